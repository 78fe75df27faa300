"""How fast the catalog's search answers in a real browser, at real catalogs and at synthetic large ones.

    .venv/bin/python benchmarks/search.py [--sizes real,10000,50000] [--corpus DIR] [--pool DIR] [--shell]
                                          [--part-records N] [--work DIR]
                                          [--reuse] [--search-only] [--runs 3] [--key-delay 120]
                                          [--choose NAME=VALUE ...] [--filter-cost]

For each catalog: build it with `papercat build` (the bundled dumps for `real`, the dumps in --corpus DIR,
read in place, for `corpus`, and for a number, synthetic dumps made by recombining the titles and abstracts
of the bundled dumps, or of the dumps in --pool DIR, 50 records a dump, every title unique, the same for every
run), index its search documents again
on their own to time Pagefind and its peak memory, serve it with http.server and, in headless Chromium
(/usr/bin/chromium), for each query of QUERIES, --runs times, each in a fresh browser context so nothing is
cached but what the run itself fetched:
  - open the home page, open the search with `/` and search once for a word no paper has, so Pagefind is
    loaded and initialised, then empty the box,
  - type the query one key at a time, --key-delay ms apart, as a reader would,
  - measure the time from the last keydown to the first rendered result of the whole query, and the bytes
    of search data (everything under /pagefind/) fetched while it was typed, stale searches included.
With --choose (topic=TITLE, from=DUMP, to=DUMP, code=yes, order=newest; DUMP as the dump filter's value,
such as `0000 Aug 1 (000)`), every query is measured twice: as above, and with those filters and order set in the
search box (its filters opened) before the query is typed.
With --filter-cost, the queries are not typed: each is searched FILTER_COST_REPEATS times through Pagefind's
API in one page, once without and once with Pagefind's filters loaded (the search box loads them when a
reader opens its filters; from then on every search counts its results per filter value), and each
search's time is printed.
The medians are printed (and the slowest run's time), with, once per catalog, the files and megabytes of
<site>/pagefind/ and Pagefind's indexing time and memory (left out with --search-only: with --reuse, to measure
a change to site_src/assets/search.js copied into the built sites).
With --shell, a synthetic catalog is not built by `papercat build` (whose related-papers and MkDocs stages
take hours at 50,000 papers): the pages of the bundled catalog's site minus its papers (the home page,
assets and search.js: what the search box needs) are copied, the search documents are rendered from
templates/search.html.j2 as a build renders them (no topics or code, dumps of 50 papers) in search parts of
--part-records records, and the parts are indexed with generator.search.index_search_parts. The search
sees what it sees in a real build; the result links lead nowhere.
Timings are printed, never asserted: tests/test_search.py checks what results show, not how fast.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import RECORDS_PER_DUMP, synthetic_papers, write_synthetic_dumps  # noqa: E402
from generator.render import layout  # noqa: E402
from generator.render.layout import (  # noqa: E402
    SEARCH_PARTS_PATH,
    search_document_path,
    search_parts,
    search_vocabulary_path,
)
from generator.render.pages import dump_filter_value, newest_first_key  # noqa: E402
from generator.render.search_documents import (  # noqa: E402
    search_document,
    search_environment,
    search_vocabulary,
    search_vocabulary_document,
)
from generator.search import BUNDLE_DIR, index_search_parts  # noqa: E402
from tests.browser import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402

ANSWER_TIMEOUT_MS = 60_000  # a query not answered by then is shown as inf
QUERIES = ("model merging", "diffusion", "video generation benchmark", "language models",
           "large language model reasoning", "pretraining data quality")
WARM_UP_QUERY = "quokka"  # no paper has it: loads and initialises Pagefind without fetching result fragments
# Stale searches of a query's prefixes may still be fetching when its results show: their bytes count too.
SETTLE_MS = 500

# Records, in ms from navigation start, each keydown and when the result list first answers each query
# (search.js sets data-pc-search-shown once it has rendered a query's results), with its result count.
TIMING_SCRIPT = """
window.__pcTimes = { keydowns: [], answered: {}, items: {} };
addEventListener("keydown", () => window.__pcTimes.keydowns.push(performance.now()), true);
new MutationObserver(() => {
  const times = window.__pcTimes;
  const shown = document.querySelector("[data-pc-search-result]")?.dataset.pcSearchShown;
  if (shown !== undefined && !(shown in times.answered)) {
    times.answered[shown] = performance.now();
    times.items[shown] = document.querySelectorAll(".md-search-result__item").length;
  }
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
    query: str
    results: int  # results rendered on the first page
    last_key_to_results_ms: float  # median of the runs
    slowest_ms: float
    search_kb: float  # median of the runs


@dataclass(frozen=True)
class Catalog:
    name: str
    folder: Path

    @property
    def site_dir(self) -> Path:
        return self.folder / "site"

    @property
    def documents_dir(self) -> Path:
        """Where the search documents are: the build's staging folder, or the shell's own."""
        return self.folder / "build" / "search"


def main() -> int:
    args = parse_arguments()
    from playwright.sync_api import sync_playwright

    indexes: list[IndexFigures] = []
    queries: list[QueryFigures] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for catalog, build_seconds in catalogs(args):
            if not args.search_only:
                print(f"{catalog.name}: built in {build_seconds:.0f} s; indexing again to time Pagefind",
                      file=sys.stderr)
                indexes.append(index_figures(catalog, build_seconds))
                print(format_row(indexes[-1]), file=sys.stderr)
            with serve(catalog.site_dir) as base_url:
                if args.filter_cost:
                    for query in QUERIES:
                        print(filter_cost_row(browser, base_url, catalog.name, query))
                    continue
                for query in QUERIES:
                    for choices in [{}, args.choose] if args.choose else [{}]:
                        queries.append(query_figures(browser, base_url, catalog.name, query, choices, args.runs,
                                                     args.key_delay))
                        print(format_row(queries[-1]), file=sys.stderr)
        browser.close()
    method = (f"{FILTER_COST_REPEATS} searches a query in one page" if args.filter_cost
              else f"{args.runs} runs a query, keys {args.key_delay} ms apart")
    print(f"{CHROMIUM} headless, {method}; load average "
          f"(1, 5, 15 min) at the end: {os.getloadavg()} on {os.cpu_count()} CPUs")
    print_table(indexes)
    print()
    print_table(queries)
    return 0


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=None,
                        help="comma-separated catalogs: 'real' and/or paper counts "
                             "(default: real,10000,50000, or none with --corpus)")
    parser.add_argument("--corpus", type=Path,
                        help="a folder of dumps to build and measure as the catalog 'corpus' (read in place)")
    parser.add_argument("--pool", type=Path, default=ROOT / "dumps",
                        help="the dumps whose papers the synthetic catalogs recombine (default: the bundled ones)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/papercat-search-bench"),
                        help="folder for the synthetic dumps and the built sites")
    parser.add_argument("--reuse", action="store_true", help="reuse a site already built in --work")
    parser.add_argument("--runs", type=int, default=3, help="runs a query, each in a fresh browser context")
    parser.add_argument("--key-delay", type=int, default=120, help="ms between keys as the query is typed")
    parser.add_argument("--search-only", action="store_true",
                        help="measure the search only, without timing Pagefind's indexing (with --reuse)")
    parser.add_argument("--shell", action="store_true",
                        help="write synthetic catalogs as search documents instead of running papercat build")
    parser.add_argument("--part-records", type=int, default=layout.SEARCH_PART_RECORDS,
                        help="with --shell, records a search part holds (default: the build's); a number past the "
                             "catalog's size makes one index, to compare")
    parser.add_argument("--filter-cost", action="store_true",
                        help="time repeated searches through Pagefind's API without and with its filters loaded")
    parser.add_argument("--choose", action="append", default=[], metavar="NAME=VALUE",
                        help="a filter or the order to set in the search box (topic, from, to, code, order); "
                             "each query is then measured without and with them")
    args = parser.parse_args()
    args.choose = dict(choice.split("=", 1) for choice in args.choose)
    if args.sizes is None:
        args.sizes = "" if args.corpus else "real,10000,50000"
    return args


# ---- catalogs -------------------------------------------------------------------------------------------

def catalogs(args: argparse.Namespace):
    """Each catalog to measure, built (or reused), with the seconds its build took."""
    if args.corpus:
        corpus = Catalog("corpus", args.work / "corpus")
        yield corpus, build_catalog(corpus, args.corpus.resolve(), reuse=args.reuse)
    for size in filter(None, args.sizes.split(",")):
        if args.shell and size != "real":
            real = Catalog("real", args.work / "real")
            build_catalog(real, ROOT / "dumps", reuse=True)
            # Named by the pool too, so that --reuse never takes a catalog recombined from other dumps.
            layout.SEARCH_PART_RECORDS = args.part_records
            shell = Catalog(size, args.work / f"{size}-{args.pool.resolve().name}-{args.part_records}-shell")
            yield shell, build_shell_site(real.site_dir, shell, int(size), args.pool.resolve(), reuse=args.reuse)
        else:
            catalog = Catalog(size, args.work / (size if size == "real" else f"{size}-{args.pool.resolve().name}"))
            dumps_dir = ROOT / "dumps" if size == "real" else catalog.folder / "dumps"
            if size != "real" and not (args.reuse and is_built(catalog)):
                write_synthetic_dumps(dumps_dir, int(size), args.pool.resolve())
            yield catalog, build_catalog(catalog, dumps_dir, reuse=args.reuse)


def is_built(catalog: Catalog) -> bool:
    return (catalog.site_dir / SEARCH_PARTS_PATH).is_file() and catalog.documents_dir.is_dir()


def build_catalog(catalog: Catalog, dumps_dir: Path, *, reuse: bool) -> float:
    """Seconds `papercat build` took (NaN when --reuse found the site already built)."""
    if reuse and is_built(catalog):
        return float("nan")
    started = time.perf_counter()
    command = [str(ROOT / ".venv" / "bin" / "papercat"), "build", "--dumps", str(dumps_dir),
               "--site", str(catalog.site_dir)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def build_shell_site(real_site: Path, shell: Catalog, paper_count: int, pool: Path, *, reuse: bool) -> float:
    """Seconds to write and index the search documents of --shell (NaN when --reuse found them)."""
    if reuse and is_built(shell):
        return float("nan")
    started = time.perf_counter()
    shutil.rmtree(shell.folder, ignore_errors=True)
    shutil.copytree(real_site, shell.site_dir, ignore=lambda folder, names: {"papers", BUNDLE_DIR} & set(names))
    template = search_environment(ROOT / "templates").get_template("search.html.j2")
    papers = synthetic_papers(paper_count, pool)
    # Filter values, sort keys and search parts as the synthetic dumps would give (RECORDS_PER_DUMP papers a dump).
    dump_parts = search_parts([RECORDS_PER_DUMP] * -(-len(papers) // RECORDS_PER_DUMP))
    for number, (title, abstract) in enumerate(papers):
        paper_id = f"synthetic-{number:05d}"
        dump, position = divmod(number, RECORDS_PER_DUMP)
        document = shell.documents_dir / search_document_path(dump_parts[dump], paper_id)
        document.parent.mkdir(parents=True)
        paper = SimpleNamespace(id=paper_id, title=title, abstract=abstract)
        inputs = {"paper": paper, "topics": [], "dumps": [dump_filter_value(dump, "synthetic")], "has_code": False,
                  "newest_key": newest_first_key(dump, position), "open_end": not abstract.endswith(".")}
        document.write_text(search_document(template, inputs), encoding="utf-8")
    parts = sorted(set(dump_parts), key=int)
    (shell.site_dir / SEARCH_PARTS_PATH).write_text(json.dumps(parts), encoding="utf-8")
    if len(parts) > 1:
        words = search_vocabulary([title for title, _ in papers], [])
        vocabulary = search_vocabulary_document(ROOT / "templates", words)
        for part in parts:
            document = shell.documents_dir / search_vocabulary_path(part)
            document.parent.mkdir(parents=True)
            document.write_text(vocabulary, encoding="utf-8")
    index_search_parts(shell.documents_dir, shell.site_dir / BUNDLE_DIR, parts, yield_cpu=False)
    return time.perf_counter() - started


def index_figures(catalog: Catalog, build_seconds: float) -> IndexFigures:
    index_seconds, index_peak_mb = time_indexing(catalog.documents_dir)
    bundle = [path for path in (catalog.site_dir / BUNDLE_DIR).rglob("*") if path.is_file()]
    return IndexFigures(catalog=catalog.name, papers=sum(1 for _ in catalog.documents_dir.glob("*/papers/*")),
                        build_seconds=build_seconds, index_seconds=index_seconds, index_peak_mb=index_peak_mb,
                        index_files=len(bundle), index_mb=sum(path.stat().st_size for path in bundle) / 1e6)


def time_indexing(documents_dir: Path) -> tuple[float, float]:
    """Seconds and peak megabytes of Pagefind indexing the search documents into a scratch folder, part after
    part as a full build does (in a child, to read the peak RSS of the largest part's Pagefind)."""
    child = ("import json, resource, sys, time; from pathlib import Path;"
             "from generator.search import index_search_parts;"
             "started = time.perf_counter();"
             "index_search_parts(Path(sys.argv[1]), Path(sys.argv[2]),"
             " sorted(part.name for part in Path(sys.argv[1]).iterdir()), yield_cpu=False);"
             "print(json.dumps([time.perf_counter() - started,"
             " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024]))")
    with tempfile.TemporaryDirectory(prefix="papercat-bench-index-") as scratch:
        output = subprocess.run([sys.executable, "-c", child, str(documents_dir), str(Path(scratch) / BUNDLE_DIR)],
                                cwd=ROOT, check=True, capture_output=True, text=True).stdout
    seconds, peak_mb = json.loads(output)
    return seconds, peak_mb


# ---- browser --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Run:
    last_key_to_results_ms: float
    results: int
    search_bytes: int


def query_figures(browser, base_url: str, catalog: str, query: str, choices: dict[str, str], runs: int,
                  key_delay: int) -> QueryFigures:
    measured = [measure_one_run(browser, base_url, query, choices, key_delay) for _ in range(runs)]
    chosen = " ".join(f"[{name}={value}]" for name, value in choices.items())
    return QueryFigures(
        catalog=catalog, query=f"{query} {chosen}".strip(), results=min(run.results for run in measured),
        last_key_to_results_ms=statistics.median(run.last_key_to_results_ms for run in measured),
        slowest_ms=max(run.last_key_to_results_ms for run in measured),
        search_kb=statistics.median(run.search_bytes for run in measured) / 1e3,
    )


def measure_one_run(browser, base_url: str, query: str, choices: dict[str, str], key_delay: int) -> Run:
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(TIMING_SCRIPT)
    # Pagefind fetches from a web worker, which the page's resource timing does not see; Playwright does.
    search_bytes: list[int] = []
    page.on("requestfinished", lambda request: "/pagefind/" in request.url
            and search_bytes.append(request.sizes()["responseBodySize"]))
    page.goto(base_url, wait_until="load")
    page.keyboard.press("/")
    page.keyboard.type(WARM_UP_QUERY)
    answered = wait_for_answer(page, WARM_UP_QUERY)
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    if choices:
        page.click(".pc-search-toggle")
        page.wait_for_selector("#pc-search-choices:not([hidden])", timeout=ANSWER_TIMEOUT_MS)
    for name, value in choices.items():
        control = f"[data-pc-filter='{name}']"
        page.check(control) if name == "code" else page.select_option(control, value)
    page.wait_for_selector("[data-pc-search-result]:not([aria-busy])", state="attached", timeout=ANSWER_TIMEOUT_MS)
    page.focus("[data-pc-search-query]")
    page.wait_for_timeout(SETTLE_MS)
    search_bytes.clear()
    page.keyboard.type(query, delay=key_delay)
    answered = answered and wait_for_answer(page, query)
    page.wait_for_timeout(SETTLE_MS)
    times = page.evaluate("q => [window.__pcTimes.answered[q] - window.__pcTimes.keydowns.at(-1),"
                          " window.__pcTimes.items[q]]", query)
    context.close()
    return Run(last_key_to_results_ms=times[0] if answered else float("inf"), results=times[1] or 0,
               search_bytes=sum(search_bytes))


FILTER_COST_REPEATS = 5
FILTER_COST_SCRIPT = """async ([base, loadFilters, query, repeats]) => {
  const pagefind = await (await import(base + "assets/search-parts.js")).loadParts(new URL(base));
  if (loadFilters) await pagefind.filters();
  await pagefind.search("quokka");
  const times = [];
  let results = 0;
  for (let repeat = 0; repeat < repeats; repeat++) {
    const started = performance.now();
    results = (await pagefind.search(query)).results.length;
    times.push(Math.round(performance.now() - started));
  }
  return [results, times];
}"""


def filter_cost_row(browser, base_url: str, catalog: str, query: str) -> str:
    """`catalog | query | results | ms of each search without filters loaded | ms with them loaded`."""
    (results, without), (_, loaded) = [search_times(browser, base_url, query, load_filters)
                                       for load_filters in (False, True)]
    return " | ".join([catalog, repr(query), str(results), ", ".join(map(str, without)), ", ".join(map(str, loaded))])


def search_times(browser, base_url: str, query: str, load_filters: bool) -> tuple[int, list[int]]:
    """The results of `query` and the ms of each of FILTER_COST_REPEATS searches for it, in a fresh context."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(base_url, wait_until="load")
    results, times = page.evaluate(FILTER_COST_SCRIPT, [base_url, load_filters, query,
                                                        FILTER_COST_REPEATS])
    context.close()
    return results, times


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
    return " | ".join([figures.catalog, repr(figures.query), f"{figures.results}",
                       f"{figures.last_key_to_results_ms:,.0f}", f"{figures.slowest_ms:,.0f}",
                       f"{figures.search_kb:,.0f}"])


HEADERS = {
    IndexFigures: ("catalog", "papers", "build s", "index s", "index peak MB", "index files", "index MB"),
    QueryFigures: ("catalog", "query", "results shown", "last key to first results ms (median)", "slowest ms",
                   "search data KB while typing (median)"),
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
