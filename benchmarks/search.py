"""How fast the catalog's search answers in a real browser, at the real catalog and at synthetic large ones.

    .venv/bin/python benchmarks/search.py [--sizes real,10000,50000] [--work DIR] [--reuse] [--runs 3]

For each catalog: build it with `papercat build` (synthetic catalogs from dumps made by recombining the real
titles and abstracts, 50 records a dump, every title unique, the same for every run), index it again on its
own to time Pagefind and its peak memory, serve it with http.server and, in headless Chromium
(/usr/bin/chromium, a fresh browser context per run so nothing is cached):
  - first results: from navigation start to the first rendered result, for a query entered (`/`, then the
    whole query in one input event) as soon as the home page is parsed (median of --runs),
  - keystroke: from a keydown to the result list answering the new query, one key at a time (median and
    slowest of the keys),
  - downloaded: bytes of search data (everything under /pagefind/) fetched for the first query,
  - index: files and megabytes of <site>/pagefind/ on disk.
Timings are printed, never asserted: tests/test_search.py checks what results show, not how fast.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.parse import MONTHS, Record, read_dumps  # noqa: E402
from generator.search import BUNDLE_DIR  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
RECORDS_PER_DUMP = 50
FIRST_QUERY = "pretraining data"
KEYSTROKES = " quality"  # typed one key at a time after the first query
PAGE_CHROME = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\nbyAK and the research community\n\n"

# Records, in ms from navigation start, each keydown, the first rendered result and when the result list
# first answers each query (search.js sets data-pc-search-shown once it has rendered a query's results).
TIMING_SCRIPT = """
window.__pcTimes = { keydowns: [], firstResult: null, answered: {} };
addEventListener("keydown", () => window.__pcTimes.keydowns.push(performance.now()), true);
new MutationObserver(() => {
  const times = window.__pcTimes;
  if (times.firstResult === null && document.querySelector(".md-search-result__item")) {
    times.firstResult = performance.now();
  }
  const shown = document.querySelector("[data-pc-search-result]")?.dataset.pcSearchShown;
  if (shown !== undefined && !(shown in times.answered)) times.answered[shown] = performance.now();
}).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-pc-search-shown"] });
"""


@dataclass(frozen=True)
class Measurement:
    catalog: str
    papers: int
    build_seconds: float
    index_seconds: float
    index_peak_mb: float
    index_files: int
    index_mb: float
    first_results_ms: float
    keystroke_median_ms: float
    keystroke_max_ms: float
    first_query_kb: float


def main() -> int:
    args = parse_arguments()
    from playwright.sync_api import sync_playwright

    measurements = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size in args.sizes.split(","):
            folder = args.work / size
            dumps_dir = ROOT / "dumps" if size == "real" else write_synthetic_dumps(folder / "dumps", int(size))
            build_seconds = build_catalog(dumps_dir, folder / "site", reuse=args.reuse)
            print(f"{size}: built in {build_seconds:.0f} s; indexing again to time Pagefind", file=sys.stderr)
            index_seconds, index_peak_mb = time_indexing(folder / "site")
            measurements.append(measure(browser, size, folder / "site", build_seconds, index_seconds,
                                        index_peak_mb, args.runs))
            print(format_row(measurements[-1]), file=sys.stderr)
        browser.close()
    print_table(measurements)
    return 0


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="real,10000,50000",
                        help="comma-separated catalogs: 'real' and/or paper counts (default: real,10000,50000)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/papercat-search-bench"),
                        help="folder for the synthetic dumps and the built sites")
    parser.add_argument("--reuse", action="store_true", help="reuse a site already built in --work")
    parser.add_argument("--runs", type=int, default=3, help="page loads per catalog (the median is shown)")
    return parser.parse_args()


# ---- catalogs -------------------------------------------------------------------------------------------

def write_synthetic_dumps(target: Path, paper_count: int) -> Path:
    """Dumps of `paper_count` papers, each a real title's first half with another's second half and an
    abstract made of two real abstracts' halves; seeded, so every run writes the same files."""
    records = [record for dump in read_dumps(ROOT / "dumps") for record in dump.records]
    chooser = random.Random(paper_count)
    papers: list[tuple[str, str]] = []
    seen: set[str] = set()
    while len(papers) < paper_count:
        first, second = chooser.choice(records), chooser.choice(records)
        title = mixed_title(first, second)
        if title_key(title) not in seen:
            seen.add(title_key(title))
            papers.append((title, mixed_abstract(first, second)))
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob("*.txt"):
        old.unlink()
    for number, start in enumerate(range(0, paper_count, RECORDS_PER_DUMP)):
        date = f"{MONTHS[number // 28 % 12]} {number % 28 + 1}"
        body = "".join(f"{title}\n\n{abstract}\n\n" for title, abstract in papers[start:start + RECORDS_PER_DUMP])
        (target / f"{number:05d}_synthetic.txt").write_text(f"{PAGE_CHROME}{date}\n\n{body}", encoding="utf-8")
    return target


def mixed_title(first: Record, second: Record) -> str:
    first_words, second_words = first.title.split(), second.title.split()
    return " ".join(first_words[:max(1, len(first_words) // 2)] + second_words[len(second_words) // 2:])


def mixed_abstract(first: Record, second: Record) -> str:
    first_sentences = re.split(r"(?<=\.) ", first.abstract)
    second_sentences = re.split(r"(?<=\.) ", second.abstract)
    return " ".join(first_sentences[:max(1, len(first_sentences) // 2)] + second_sentences[len(second_sentences) // 2:])


def title_key(title: str) -> str:
    """Titles the catalog could merge as one paper share this key."""
    return re.sub(r"[\W_]+", "", title.casefold())


def build_catalog(dumps_dir: Path, site_dir: Path, *, reuse: bool) -> float:
    if reuse and (site_dir / BUNDLE_DIR / "pagefind.js").is_file():
        return float("nan")
    started = time.perf_counter()
    command = [str(ROOT / ".venv" / "bin" / "papercat"), "build", "--dumps", str(dumps_dir), "--site", str(site_dir)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def time_indexing(site_dir: Path) -> tuple[float, float]:
    """Seconds and peak megabytes of Pagefind indexing the built site (in a child, to read its peak RSS)."""
    child = ("import json, resource, sys, time; from pathlib import Path; from generator.search import index_site;"
             "started = time.perf_counter(); index_site(Path(sys.argv[1]));"
             "print(json.dumps([time.perf_counter() - started,"
             " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024]))")
    output = subprocess.run([sys.executable, "-c", child, str(site_dir)], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    seconds, peak_mb = json.loads(output)
    return seconds, peak_mb


# ---- browser --------------------------------------------------------------------------------------------

class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(site_dir: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def measure(browser, catalog: str, site_dir: Path, build_seconds: float, index_seconds: float,
            index_peak_mb: float, runs: int) -> Measurement:
    bundle = [path for path in (site_dir / BUNDLE_DIR).rglob("*") if path.is_file()]
    with serve(site_dir) as base_url:
        loads = [measure_one_load(browser, base_url) for _ in range(runs)]
    first_results = statistics.median(load[0] for load in loads)
    keystrokes = [delay for load in loads for delay in load[1]]
    return Measurement(
        catalog=catalog, papers=len(list((site_dir / "papers").iterdir())), build_seconds=build_seconds,
        index_seconds=index_seconds, index_peak_mb=index_peak_mb, index_files=len(bundle),
        index_mb=sum(path.stat().st_size for path in bundle) / 1e6, first_results_ms=first_results,
        keystroke_median_ms=statistics.median(keystrokes), keystroke_max_ms=max(keystrokes),
        first_query_kb=statistics.median(load[2] for load in loads) / 1e3,
    )


def measure_one_load(browser, base_url: str) -> tuple[float, list[float], int]:
    """(ms from navigation start to the first result, ms per keystroke, bytes of /pagefind/ for the first query)."""
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(TIMING_SCRIPT)
    search_bytes: list[int] = []
    page.on("requestfinished", lambda request: "/pagefind/" in request.url
            and search_bytes.append(request.sizes()["responseBodySize"]))
    page.goto(base_url, wait_until="domcontentloaded")
    page.keyboard.press("/")
    page.fill("[data-pc-search-query]", FIRST_QUERY)  # the whole query in one input event, as fast as it can come
    wait_for_answer(page, FIRST_QUERY)
    first_result_ms = page.evaluate("window.__pcTimes.firstResult")
    first_query_bytes = sum(search_bytes)
    delays = []
    for key in KEYSTROKES:
        query = (page.input_value("[data-pc-search-query]") + key).strip()
        page.keyboard.type(key)
        wait_for_answer(page, query)
        delays.append(page.evaluate("q => window.__pcTimes.answered[q] - window.__pcTimes.keydowns.at(-1)", query))
    context.close()
    return first_result_ms, delays, first_query_bytes


def wait_for_answer(page, query: str) -> None:
    page.wait_for_function("q => q in window.__pcTimes.answered", arg=query)


# ---- report ---------------------------------------------------------------------------------------------

HEADER = ("catalog", "papers", "build s", "index s", "index peak MB", "index files", "index MB",
          "first results ms", "keystroke ms (median / max)", "first query KB")


def format_row(measurement: Measurement) -> str:
    return " | ".join([
        measurement.catalog, f"{measurement.papers:,}", f"{measurement.build_seconds:.0f}",
        f"{measurement.index_seconds:.1f}", f"{measurement.index_peak_mb:.0f}", f"{measurement.index_files:,}",
        f"{measurement.index_mb:.1f}", f"{measurement.first_results_ms:.0f}",
        f"{measurement.keystroke_median_ms:.0f} / {measurement.keystroke_max_ms:.0f}",
        f"{measurement.first_query_kb:.0f}",
    ])


def print_table(measurements: list[Measurement]) -> None:
    print(f"first query {FIRST_QUERY!r}, then {KEYSTROKES!r} one key at a time; Chromium headless, cold cache")
    print("| " + " | ".join(HEADER) + " |")
    print("|" + "---|" * len(HEADER))
    for measurement in measurements:
        print(f"| {format_row(measurement)} |")


if __name__ == "__main__":
    sys.exit(main())
