"""How fast the catalog's search answers in a real browser, at the real catalog and at synthetic large ones.

    .venv/bin/python benchmarks/search.py [--sizes real,10000,50000] [--work DIR] [--reuse] [--runs 3]

For each catalog: build it with `papercat build` (synthetic catalogs from dumps made by recombining the real
titles and abstracts, 50 records a dump, every title unique, the same for every run), index it again on its
own to time Pagefind and its peak memory, serve it with http.server and, in headless Chromium
(/usr/bin/chromium, a fresh browser context per page load so nothing is cached), for two kinds of query:
  - selective: words a few papers have ("model merging", then " at scale" typed one key at a time),
  - broad: words most papers have ("pretraining data", then " quality"); the synthetic catalogs recombine
    325 papers about pre-training, so their broad words are in most of 10,000 or 50,000 papers,
measure
  - first results: from navigation start of the home page (and from its DOMContentLoaded, and from the `/`
    that opens the search) to the first rendered result, the query entered (`/`, then the whole query in
    one input event) as soon as the page is parsed (median of --runs page loads),
  - keystroke: from a keydown to the result list answering the new query (median and slowest key),
  - downloaded: bytes of search data (everything under /pagefind/) fetched for the first query,
and, once per catalog, the files and megabytes of <site>/pagefind/ and Pagefind's indexing time and memory.
With --shell, a synthetic catalog is not built by `papercat build` (whose related-papers and MkDocs stages
take hours at 50,000 papers) but written as bare paper pages: the real site's page around an article with
the markup templates/paper.md.j2 gives Pagefind (title, abstract, spelling variants; no topics), then
indexed with generator.search.index_site. The search sees what it sees in a real build.
Timings are printed, never asserted: tests/test_search.py checks what results show, not how fast.
"""
from __future__ import annotations

import argparse
import html
import http.server
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import synthetic_papers, write_synthetic_dumps  # noqa: E402
from tests.browser import serve  # noqa: E402
from generator.search import BUNDLE_DIR, index_site, search_variants  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ANSWER_TIMEOUT_MS = 60_000  # a query not answered by then is shown as inf
# (kind, first query, keys typed one at a time after it)
QUERIES = (("selective", "model merging", " at scale"), ("broad", "pretraining data", " quality"))

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
class IndexFigures:
    catalog: str
    papers: int
    build_seconds: float
    index_seconds: float
    index_peak_mb: float
    index_files: int
    index_mb: float


@dataclass(frozen=True)
class QueryFigures:
    catalog: str
    kind: str
    query: str
    first_results_ms: float  # from navigation start
    first_results_after_dcl_ms: float  # from DOMContentLoaded
    first_results_after_open_ms: float  # from the keydown that opened the search
    keystroke_median_ms: float
    keystroke_max_ms: float
    first_query_kb: float


def main() -> int:
    args = parse_arguments()
    from playwright.sync_api import sync_playwright

    indexes: list[IndexFigures] = []
    queries: list[QueryFigures] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size in args.sizes.split(","):
            folder = args.work / (f"{size}-shell" if args.shell and size != "real" else size)
            site_dir = folder / "site"
            if args.shell and size != "real":
                build_catalog("real", args.work / "real", reuse=True)
                build_seconds = build_shell_site(args.work / "real" / "site", site_dir, int(size), reuse=args.reuse)
            else:
                build_seconds = build_catalog(size, folder, reuse=args.reuse)
            print(f"{size}: built in {build_seconds:.0f} s; indexing again to time Pagefind", file=sys.stderr)
            indexes.append(index_figures(size, site_dir, build_seconds))
            print(format_row(indexes[-1]), file=sys.stderr)
            with serve(site_dir) as base_url:
                for kind, query, keys in QUERIES:
                    queries.append(query_figures(browser, base_url, size, kind, query, keys, args.runs))
                    print(format_row(queries[-1]), file=sys.stderr)
        browser.close()
    print(f"{CHROMIUM} headless; load average (1, 5, 15 min) at the end: {os.getloadavg()} on {os.cpu_count()} CPUs")
    print_table(indexes)
    print()
    print_table(queries)
    return 0


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="real,10000,50000",
                        help="comma-separated catalogs: 'real' and/or paper counts (default: real,10000,50000)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/papercat-search-bench"),
                        help="folder for the synthetic dumps and the built sites")
    parser.add_argument("--reuse", action="store_true", help="reuse a site already built in --work")
    parser.add_argument("--runs", type=int, default=3, help="page loads per catalog (the median is shown)")
    parser.add_argument("--shell", action="store_true",
                        help="write synthetic catalogs as bare paper pages instead of running papercat build")
    return parser.parse_args()


# ---- catalogs -------------------------------------------------------------------------------------------

def build_catalog(size: str, folder: Path, *, reuse: bool) -> float:
    """Seconds `papercat build` took (NaN when --reuse found the site already built)."""
    site_dir = folder / "site"
    if reuse and (site_dir / BUNDLE_DIR / "pagefind.js").is_file():
        return float("nan")
    dumps_dir = ROOT / "dumps" if size == "real" else write_synthetic_dumps(folder / "dumps", int(size))
    started = time.perf_counter()
    command = [str(ROOT / ".venv" / "bin" / "papercat"), "build", "--dumps", str(dumps_dir), "--site", str(site_dir)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def build_shell_site(real_site: Path, site_dir: Path, paper_count: int, *, reuse: bool) -> float:
    """Seconds to write and index the bare paper pages of --shell (NaN when --reuse found them)."""
    if reuse and (site_dir / BUNDLE_DIR / "pagefind.js").is_file():
        return float("nan")
    started = time.perf_counter()
    shutil.rmtree(site_dir, ignore_errors=True)
    shutil.copytree(real_site, site_dir, ignore=lambda folder, names: {"papers", BUNDLE_DIR} & set(names))
    shell = next((real_site / "papers").iterdir()) / "index.html"
    before, rest = shell.read_text(encoding="utf-8").split('<article class="pc-paper"', 1)
    after = rest.split("</article>", 1)[1]
    for number, (title, abstract) in enumerate(synthetic_papers(paper_count)):
        page = site_dir / "papers" / f"synthetic-{number:05d}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(before + shell_article(title, abstract) + after, encoding="utf-8")
    index_site(site_dir)
    return time.perf_counter() - started


def shell_article(title: str, abstract: str) -> str:
    """The paper article as Pagefind reads it from templates/paper.md.j2 (chips and lists are ignored)."""
    return (f'<article class="pc-paper" data-pagefind-body>\n'
            f'<h1 class="pc-paper-title" data-pagefind-ignore data-pagefind-meta="title">{html.escape(title)}</h1>\n'
            f'<p class="pc-abstract">{html.escape(abstract)}</p>\n'
            f'<span class="pc-variants" hidden data-pagefind-ignore data-pagefind-meta="variants">'
            f'{html.escape(search_variants(title, abstract))}</span>\n</article>')


def index_figures(catalog: str, site_dir: Path, build_seconds: float) -> IndexFigures:
    index_seconds, index_peak_mb = time_indexing(site_dir)
    bundle = [path for path in (site_dir / BUNDLE_DIR).rglob("*") if path.is_file()]
    return IndexFigures(catalog=catalog, papers=sum(1 for _ in (site_dir / "papers").iterdir()),
                        build_seconds=build_seconds, index_seconds=index_seconds, index_peak_mb=index_peak_mb,
                        index_files=len(bundle), index_mb=sum(path.stat().st_size for path in bundle) / 1e6)


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


def query_figures(browser, base_url: str, catalog: str, kind: str, query: str, keys: str,
                  runs: int) -> QueryFigures:
    loads = [measure_one_load(browser, base_url, query, keys) for _ in range(runs)]
    keystrokes = [delay for load in loads for delay in load.keystroke_ms]
    return QueryFigures(
        catalog=catalog, kind=kind, query=query,
        first_results_ms=statistics.median(load.first_result_ms for load in loads),
        first_results_after_dcl_ms=statistics.median(load.first_result_ms - load.dcl_ms for load in loads),
        first_results_after_open_ms=statistics.median(load.first_result_ms - load.open_ms for load in loads),
        keystroke_median_ms=statistics.median(keystrokes), keystroke_max_ms=max(keystrokes),
        first_query_kb=statistics.median(load.first_query_bytes for load in loads) / 1e3,
    )


@dataclass(frozen=True)
class Load:
    dcl_ms: float
    open_ms: float
    first_result_ms: float
    keystroke_ms: list[float]
    first_query_bytes: int


def measure_one_load(browser, base_url: str, query: str, keys: str) -> Load:
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(TIMING_SCRIPT)
    search_bytes: list[int] = []
    page.on("requestfinished", lambda request: "/pagefind/" in request.url
            and search_bytes.append(request.sizes()["responseBodySize"]))
    page.goto(base_url, wait_until="domcontentloaded")
    page.keyboard.press("/")
    # The whole query at once, without waiting for the box to finish opening as Playwright's fill would.
    page.evaluate("""query => {
        const box = document.querySelector("[data-pc-search-query]");
        box.value = query;
        box.dispatchEvent(new Event("input"));
    }""", query)
    answered = wait_for_answer(page, query)
    first_query_bytes = sum(search_bytes)
    delays = []
    for key in keys if answered else []:
        typed = (page.input_value("[data-pc-search-query]") + key).strip()
        page.keyboard.type(key)
        if not wait_for_answer(page, typed):
            delays.append(math.inf)
            break
        delays.append(page.evaluate("q => window.__pcTimes.answered[q] - window.__pcTimes.keydowns.at(-1)", typed))
    times = page.evaluate("""() => ({ dcl: performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd,
                                      open: window.__pcTimes.keydowns[0], first: window.__pcTimes.firstResult })""")
    context.close()
    return Load(dcl_ms=times["dcl"], open_ms=times["open"], first_result_ms=times["first"] if answered else math.inf,
                keystroke_ms=delays or [math.inf], first_query_bytes=first_query_bytes)


def wait_for_answer(page, query: str) -> bool:
    """Whether the result list answered `query` within ANSWER_TIMEOUT_MS."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function("q => q in window.__pcTimes.answered", arg=query, timeout=ANSWER_TIMEOUT_MS)
    except PlaywrightTimeout:
        return False
    return True


# ---- report ---------------------------------------------------------------------------------------------

def format_row(figures: IndexFigures | QueryFigures) -> str:
    if isinstance(figures, IndexFigures):
        return " | ".join([figures.catalog, f"{figures.papers:,}", f"{figures.build_seconds:.0f}",
                           f"{figures.index_seconds:.1f}", f"{figures.index_peak_mb:,.0f}",
                           f"{figures.index_files:,}", f"{figures.index_mb:.1f}"])
    return " | ".join([figures.catalog, f"{figures.kind}: {figures.query!r}", f"{figures.first_results_ms:,.0f}",
                       f"{figures.first_results_after_dcl_ms:,.0f}", f"{figures.first_results_after_open_ms:,.0f}",
                       f"{figures.keystroke_median_ms:,.0f} / {figures.keystroke_max_ms:,.0f}",
                       f"{figures.first_query_kb:,.0f}"])


HEADERS = {
    IndexFigures: ("catalog", "papers", "build s", "index s", "index peak MB", "index files", "index MB"),
    QueryFigures: ("catalog", "query", "first results ms from navigation", "... from DOMContentLoaded",
                   "... from opening search", "keystroke ms (median / slowest)", "search data KB, first query"),
}


def print_table(rows: list) -> None:
    if not rows:
        return
    header = HEADERS[type(rows[0])]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print(f"| {format_row(row)} |")


if __name__ == "__main__":
    sys.exit(main())
