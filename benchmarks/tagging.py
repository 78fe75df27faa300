"""How well the topic tagger agrees with hand labels, and how long it takes.

    .venv/bin/python benchmarks/tagging.py [--split tune|test|all] [--misses] [--scale N]

Reads the labelled papers of benchmarks/data/tagging_eval.yml (title, split, required and acceptable
topics), finds each title's abstract in the dumps (first occurrence), tags it with taxonomy.yml and prints
for each split:
  - recall: the share of required topics the tagger gave (micro-averaged over papers),
  - precision: the share of given topics that are required or acceptable (micro-averaged),
  - exactly acceptable: the share of papers with every required topic and nothing outside
    required + acceptable,
  - a per-topic table (support, recall, precision), weakest topics first.
Tune the rules on the `tune` split only; `test` is for checking them once at the end.
Then it times tagging every paper of the dumps, and N synthetic papers (benchmarks/synthetic.py).
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import distinct_papers  # noqa: E402
from generator.enrich.topics import Taxonomy, load_taxonomy, tag_papers  # noqa: E402
from generator.parse import read_dumps  # noqa: E402

EVAL_FILE = ROOT / "benchmarks" / "data" / "tagging_eval.yml"
SPLITS = ("test", "tune", "all")


@dataclass(frozen=True)
class LabelledPaper:
    title: str
    abstract: str
    split: str
    required: frozenset[str]
    acceptable: frozenset[str]


@dataclass(frozen=True)
class Outcome:
    paper: LabelledPaper
    given: tuple[str, ...]

    @property
    def allowed(self) -> frozenset[str]:
        return self.paper.required | self.paper.acceptable

    @property
    def exactly_acceptable(self) -> bool:
        return self.paper.required <= set(self.given) <= self.allowed


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_options(argv)
    abstracts = abstracts_by_title(ROOT / "dumps")
    papers = labelled_papers(EVAL_FILE, abstracts)
    taxonomy = load_taxonomy(ROOT / "taxonomy.yml")
    outcomes = tagged(papers, taxonomy)
    for split in SPLITS if options.split is None else (options.split,):
        chosen = [outcome for outcome in outcomes if split in ("all", outcome.paper.split)]
        print_report(split, chosen, show_misses=options.misses)
    print_timing("the distinct papers of the dumps", list(abstracts.items()), taxonomy)
    if options.scale:
        records = [record for dump in read_dumps(ROOT / "dumps") for record in dump.records]
        synthetic = distinct_papers(records, options.scale, random.Random(options.scale))
        print_timing("synthetic papers", synthetic, taxonomy)
    return 0


def parse_options(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=SPLITS, help="report one split only (default: test, tune, all)")
    parser.add_argument("--misses", action="store_true", help="list every paper not tagged exactly acceptably")
    parser.add_argument("--scale", type=int, default=50_000, help="synthetic papers to time (0: none)")
    return parser.parse_args(argv)


def abstracts_by_title(dumps_dir: Path) -> dict[str, str]:
    """The abstract of each title's first occurrence, in dump order."""
    abstracts: dict[str, str] = {}
    for dump in read_dumps(dumps_dir):
        for record in dump.records:
            abstracts.setdefault(record.title, record.abstract)
    return abstracts


def labelled_papers(path: Path, abstracts: dict[str, str]) -> list[LabelledPaper]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))["papers"]
    missing = [entry["title"] for entry in entries if entry["title"] not in abstracts]
    if missing:
        raise SystemExit(f"{path}: {len(missing)} titles are in no dump; expected exact titles: {missing}")
    return [
        LabelledPaper(
            title=entry["title"],
            abstract=abstracts[entry["title"]],
            split=entry["split"],
            required=frozenset(entry.get("required") or ()),
            acceptable=frozenset(entry.get("acceptable") or ()),
        )
        for entry in entries
    ]


def tagged(papers: list[LabelledPaper], taxonomy: Taxonomy) -> list[Outcome]:
    assignments = tag_papers([(paper.title, paper.abstract) for paper in papers], taxonomy)
    return [
        Outcome(paper, tuple(assignment.topic for assignment in paper_assignments))
        for paper, paper_assignments in zip(papers, assignments)
    ]


def print_report(split: str, outcomes: list[Outcome], show_misses: bool) -> None:
    required = sum(len(outcome.paper.required) for outcome in outcomes)
    found = sum(len(outcome.paper.required & set(outcome.given)) for outcome in outcomes)
    given = sum(len(outcome.given) for outcome in outcomes)
    allowed = sum(len(outcome.allowed & set(outcome.given)) for outcome in outcomes)
    exact = sum(outcome.exactly_acceptable for outcome in outcomes)
    print(f"== split: {split} ({len(outcomes)} papers) ==")
    print(f"recall of required topics      {ratio(found, required)}  ({found}/{required})")
    print(f"precision (required+acceptable) {ratio(allowed, given)}  ({allowed}/{given})")
    print(f"exactly acceptable papers      {ratio(exact, len(outcomes))}  ({exact}/{len(outcomes)})")
    print(f"topics per paper               {given / max(len(outcomes), 1):.2f}")
    print_topic_table(outcomes)
    if show_misses:
        print_misses(outcomes)
    print()


def print_topic_table(outcomes: list[Outcome]) -> None:
    topics = sorted({topic for outcome in outcomes for topic in (*outcome.paper.required, *outcome.given)})
    rows = [topic_row(topic, outcomes) for topic in topics]
    print(f"  {'topic':28s} {'support':>7s} {'recall':>7s} {'given':>6s} {'precision':>9s}")
    for topic, support, recall, given, precision in sorted(rows, key=weakest_first):
        recall_text = f"{recall:.2f}" if recall is not None else "-"
        precision_text = f"{precision:.2f}" if precision is not None else "-"
        print(f"  {topic:28s} {support:7d} {recall_text:>7s} {given:6d} {precision_text:>9s}")


def topic_row(topic: str, outcomes: list[Outcome]) -> tuple[str, int, float | None, int, float | None]:
    support = sum(topic in outcome.paper.required for outcome in outcomes)
    hits = sum(topic in outcome.paper.required and topic in outcome.given for outcome in outcomes)
    given = sum(topic in outcome.given for outcome in outcomes)
    right = sum(topic in outcome.given and topic in outcome.allowed for outcome in outcomes)
    return (
        topic,
        support,
        hits / support if support else None,
        given,
        right / given if given else None,
    )


def weakest_first(row: tuple[str, int, float | None, int, float | None]) -> tuple[float, str]:
    topic, _, recall, _, precision = row
    known = [value for value in (recall, precision) if value is not None]
    return (min(known) if known else 1.0), topic


def print_misses(outcomes: list[Outcome]) -> None:
    for outcome in outcomes:
        if outcome.exactly_acceptable:
            continue
        given = set(outcome.given)
        missing = sorted(outcome.paper.required - given)
        extra = sorted(given - outcome.allowed)
        print(f"  - {outcome.paper.title[:90]}")
        print(f"      given {list(outcome.given)}; missing {missing}; not acceptable {extra}")


def print_timing(what: str, texts: list[tuple[str, str]], taxonomy: Taxonomy) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    tag_papers(texts, taxonomy)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"tagged {what} ({len(texts):,}) in {wall:.2f} s wall, {cpu:.2f} s CPU "
          f"({cpu / max(len(texts), 1) * 1e6:.0f} µs CPU a paper)")


def ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "  -  "


if __name__ == "__main__":
    sys.exit(main())
