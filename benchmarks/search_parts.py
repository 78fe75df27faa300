"""What searching a catalog in parts changes against one index of it: the papers found and the top ranks.

    .venv/bin/python benchmarks/search_parts.py --parts SITE --whole SITE [--pool DIR] [--names 40]

Both sites must hold the same papers: the shell catalogs of benchmarks/search.py, built with and without
--part-records (at 50,000 papers, `--part-records 1000000` makes one index). Each query of
benchmarks.search.QUERIES, and --names paper names (a title's part before its colon, such as `TorchTitan`, from
papers chosen at random with a fixed seed among those the sites hold), is searched in headless Chromium through
each site's own assets/search-parts.js, as its search box searches. For each query it prints how many papers
each site finds, how many the parts find that the one index does not, and whether the first paper and
the top three are the same; then the totals.
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.search import QUERIES  # noqa: E402
from benchmarks.synthetic import synthetic_papers  # noqa: E402
from tests.browser import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402

NAME = re.compile(r"^([^\s:]{3,40}):\s")
SEARCH_SCRIPT = """async ([base, query]) => {
  const pagefind = await (await import(base + "assets/search-parts.js")).loadParts(new URL(base));
  const found = await pagefind.search(query);
  const urls = await Promise.all(found.results.map(async (result) => (await result.data()).url));
  return [urls, urls.slice(0, 3)];
}"""


def main() -> int:
    args = parse_arguments()
    papers = synthetic_papers(args.papers, args.pool.resolve())
    titles = [title for title, _ in random.Random(0).sample(papers, len(papers))]
    names = list(dict.fromkeys(match.group(1) for title in titles if (match := NAME.match(title))))[:args.names]
    from playwright.sync_api import sync_playwright

    rows = []
    with serve(args.parts) as parts_url, serve(args.whole) as whole_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pages = [(browser.new_page(), url) for url in (parts_url, whole_url)]
        for page, url in pages:
            page.goto(url)
        for query in [*QUERIES, *names]:
            (in_parts, parts_top), (in_whole, whole_top) = [
                page.evaluate(SEARCH_SCRIPT, [url, query]) for page, url in pages]
            rows.append((query, len(in_parts), len(in_whole), len(set(in_parts) - set(in_whole)),
                         parts_top[:1] == whole_top[:1], parts_top == whole_top))
        browser.close()
    print("| query | found in parts | found by one index | only in parts | same first | same top three |")
    print("|---|---|---|---|---|---|")
    for query, parts, whole, extra, first, top in rows:
        print(f"| {query} | {parts} | {whole} | {extra} | {'yes' if first else 'no'} | {'yes' if top else 'no'} |")
    print(f"\n{len(rows)} queries: {sum(row[3] > 0 for row in rows)} found papers the one index does not; "
          f"the first paper differs in {sum(not row[4] for row in rows)}, the top three in "
          f"{sum(not row[5] for row in rows)}")
    return 0


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", type=Path, required=True, help="the site searched in parts")
    parser.add_argument("--whole", type=Path, required=True, help="the site of one index")
    parser.add_argument("--papers", type=int, default=50_000, help="papers the shell sites hold")
    parser.add_argument("--pool", type=Path, default=ROOT / "dumps", help="the dumps the shell sites recombine")
    parser.add_argument("--names", type=int, default=40, help="paper names to search besides QUERIES")
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())
