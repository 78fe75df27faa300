"""What For you suggests, in a real browser, on a built site.

    .venv/bin/python benchmarks/for_you.py --site DIR [--stars 3,10,30] [--seed 3] [--newest-dumps 7]

For each topic of the site's catalog.json with papers to draw from, and each number of --stars: that many papers
of the topic, drawn at random (seeded) from those first listed before the newest --newest-dumps dumps (For you's
NEWEST_DUMPS), are starred in a fresh browser context, and For you is opened. Printed for each: how many papers
it lists as new (from the newest dumps) by their related papers, by the starred titles' rare words and by
shared topics, and how many of them have the topic, and the same for the first ten suggestions below them;
then the totals, and the share of the newest dumps' papers that have the row's topic, as a floor to compare
with. Stars drawn from a whole topic are more scattered than a reader's, and
a suggestion may be right without the topic: the shares are for comparing the two lists and versions of the
code, not a precision.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import chromium, serve  # noqa: E402

FIRST_SUGGESTIONS = 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, required=True, help="a site papercat built")
    parser.add_argument("--stars", default="3,10,30", help="numbers of papers to star, comma-separated")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--newest-dumps", type=int, default=7, help="For you's NEWEST_DUMPS")
    options = parser.parse_args()
    catalog = json.loads((options.site / "catalog.json").read_text(encoding="utf-8"))
    # As for-you.js counts them: half the dumps of a small catalog.
    newest_count = min(options.newest_dumps, len(catalog["dumps"]) // 2)
    newest = {dump["id"] for dump in catalog["dumps"][len(catalog["dumps"]) - newest_count:]}
    drawn = random.Random(options.seed)
    newest_papers = [paper for paper in catalog["papers"] if paper["dumps"][0] in newest]
    totals = {"new": [0, 0], "by words": [0, 0], "by topics": [0, 0], "first": [0, 0], "chance": [0, 0]}
    print(f"{'topic':<24} stars  new (of the topic)  by words            by topics           "
          f"first {FIRST_SUGGESTIONS} (of the topic)")
    with serve(options.site) as base_url, chromium() as browser:
        for topic in [topic["name"] for topic in catalog["topics"]]:
            pool = [paper for paper in catalog["papers"] if topic in paper["tags"] and paper["dumps"][0] not in newest]
            for count in [int(stars) for stars in options.stars.split(",")]:
                if len(pool) < count:
                    continue
                lists = suggested(browser, base_url, drawn.sample(pool, count))
                row = []
                for name, topics in lists.items():
                    on_topic = sum(topic in paper_topics.split() for paper_topics in topics)
                    totals[name][0] += len(topics)
                    totals[name][1] += on_topic
                    row.append(f"{len(topics):>3} ({on_topic:>3})")
                print(f"{topic:<24} {count:>5}  {'  '.join(f'{cell:<18}' for cell in row)}")
                totals["chance"][0] += len(newest_papers)
                totals["chance"][1] += sum(topic in paper["tags"] for paper in newest_papers)
    for name, (listed, on_topic) in totals.items():
        print(f"{name}: {listed} papers, {on_topic} of the stars' topic ({on_topic / max(listed, 1):.0%})")
    print("(chance: the newest dumps' papers, once for each row)")


def suggested(browser, base_url: str, starred: list[dict]) -> dict[str, list[str]]:
    """The topics of each paper For you lists as new, and of its first suggestions, with `starred` starred."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(base_url)
    stars = {paper["id"]: {"id": paper["id"], "title": paper["title"], "url": paper["url"],
                           "starred": "2026-01-01T00:00:00Z"} for paper in starred}
    page.evaluate("stars => localStorage.setItem('papercat:starred', JSON.stringify(stars))", stars)
    page.goto(base_url + "for-you/")
    page.wait_for_selector("#pc-for-you[data-pc-ready]", timeout=120_000)
    topics = "items => items.map(item => item.dataset.pcTopics)"
    lists = {"new": page.eval_on_selector_all("#pc-for-you .pc-for-you-new .pc-item", topics),
             "by words": page.eval_on_selector_all("#pc-for-you .pc-for-you-words .pc-item", topics),
             "by topics": page.eval_on_selector_all("#pc-for-you .pc-for-you-topics .pc-item", topics),
             "first": page.eval_on_selector_all("#pc-for-you .pc-for-you-list .pc-item", topics)[:FIRST_SUGGESTIONS]}
    context.close()
    return lists


if __name__ == "__main__":
    main()
