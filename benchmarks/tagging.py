"""How well the topic tagger agrees with hand labels, how browsable its topics are, and how long it takes.

    .venv/bin/python benchmarks/tagging.py [--split tune|test|holdout|holdout2|...|holdout5|untuned|all]
                                           [--misses] [--corpus DIR] [--scale N]

Two labelled sets, scored separately:
  - seed: benchmarks/data/tagging_eval.yml, papers of the bundled dumps found by exact title;
  - real: benchmarks/data/tagging_eval_real.yml, papers of the real 2024-2026 corpus (--corpus, default
    ../shared/real_corpus beside the project) found by file and record number. Skipped, with a message,
    when the corpus is not there: it is third-party text and is not shipped.
For each split of each set (a set with no paper in a split says so):
  - recall: the share of required topics the tagger gave (micro-averaged over papers),
  - precision: the share of given topics that are required or acceptable (micro-averaged),
  - exactly acceptable: the share of papers with every required topic and nothing outside
    required + acceptable,
  - a per-topic table (support, recall, precision), weakest topics first.
Then browsability over every distinct paper of the corpus: the share of papers each topic holds (a topic
holding a fifth of the catalog tells a reader little; one under 0.3% is hardly a topic), and the share of
papers whose topics rest on a weak signal. Last, the time to tag the corpus, and N synthetic papers.
Tune the rules on the `tune` split only. `test` was meant for one check at the end, but it has been scored
several times while tuning, so it is no longer an untouched estimate. `holdout` (real set only) is a batch
labelled after all tuning and never tuned against: score it once, at the end, for the figures to quote
(`--split holdout`), and do not tune on it; a rule change after that needs a fresh batch. `holdout2` is that
fresh batch, for the rules tuned after `holdout` was scored, and `holdout3` a third, labelled after `holdout2`
was scored, for the rules as they were then; `holdout4` a fourth, for the rules tuned on 2026-12-06, and
`holdout5` a fifth, for those tuned on 2026-12-07. `untuned` pools the five holdouts; `all`, and the default
report, include them: while tuning, pass `--split tune`.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import distinct_papers  # noqa: E402
from generator.enrich.topics import Taxonomy, load_taxonomy, tag_papers  # noqa: E402
from generator.parse import Dump, read_dumps  # noqa: E402

SEED_EVAL_FILE = ROOT / "benchmarks" / "data" / "tagging_eval.yml"
REAL_EVAL_FILE = ROOT / "benchmarks" / "data" / "tagging_eval_real.yml"
DEFAULT_CORPUS = Path("../shared/real_corpus")
SPLITS = ("test", "tune", "holdout", "holdout2", "holdout3", "holdout4", "holdout5", "untuned", "all")
# The splits no rule was ever tuned on, pooled: the widest untouched estimate.
UNTUNED = ("holdout", "holdout2", "holdout3", "holdout4", "holdout5")
# Browsability targets: no topic above this share of papers, none below the other, few weak papers.
MAX_TOPIC_SHARE = 0.20
MIN_TOPIC_SHARE = 0.003
MAX_WEAK_SHARE = 0.15


@dataclass(frozen=True)
class LabelledPaper:
    name: str
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
    taxonomy = load_taxonomy(ROOT / "taxonomy.yml")
    seed_dumps = read_dumps(ROOT / "dumps")
    seed_papers = labelled_seed_papers(SEED_EVAL_FILE, abstracts_by_title(seed_dumps))
    report_set("seed (bundled dumps, 2022-23)", seed_papers, taxonomy, options)
    corpus_dir = (ROOT / options.corpus).resolve()
    if not corpus_dir.is_dir():
        print(f"real corpus not found at {corpus_dir}: real-set and browsability figures skipped "
              "(pass --corpus DIR)\n")
    else:
        corpus = read_dumps(corpus_dir)
        real_papers = labelled_real_papers(REAL_EVAL_FILE, corpus)
        report_set("real (2024-26 corpus)", real_papers, taxonomy, options)
        corpus_texts = list(abstracts_by_title(corpus).items())
        print_browsability(corpus_texts, taxonomy)
        print_timing("the distinct papers of the real corpus", corpus_texts, taxonomy)
    print_timing("the distinct papers of the bundled dumps", list(abstracts_by_title(seed_dumps).items()),
                 taxonomy)
    if options.scale:
        records = [record for dump in seed_dumps for record in dump.records]
        synthetic = distinct_papers(records, options.scale, random.Random(options.scale))
        print_timing("synthetic papers", synthetic, taxonomy)
    return 0


def parse_options(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=SPLITS,
                        help="report one split only (default: all of these in turn)")
    parser.add_argument("--misses", action="store_true", help="list every paper not tagged exactly acceptably")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="folder of real dumps, relative to the project (default: ../shared/real_corpus)")
    parser.add_argument("--scale", type=int, default=0, help="synthetic papers to time (default 0: none)")
    return parser.parse_args(argv)


def abstracts_by_title(dumps: Sequence[Dump]) -> dict[str, str]:
    """The abstract of each title's first occurrence, in dump order."""
    abstracts: dict[str, str] = {}
    for dump in dumps:
        for record in dump.records:
            abstracts.setdefault(record.title, record.abstract)
    return abstracts


def labelled_seed_papers(path: Path, abstracts: dict[str, str]) -> list[LabelledPaper]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))["papers"]
    missing = [entry["title"] for entry in entries if entry["title"] not in abstracts]
    if missing:
        raise SystemExit(f"{path}: {len(missing)} titles are in no dump; expected exact titles: {missing}")
    return [labelled(entry, entry["title"], entry["title"], abstracts[entry["title"]]) for entry in entries]


def labelled_real_papers(path: Path, corpus: Sequence[Dump]) -> list[LabelledPaper]:
    """The labelled corpus papers; `record` counts a file's records from 1, as the labellers read them."""
    records_by_file = {f"{dump.id}.txt": dump.records for dump in corpus}
    papers = []
    for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["papers"]:
        records = records_by_file.get(entry["source"], ())
        if not 1 <= entry["record"] <= len(records):
            raise SystemExit(f"{path}: no record {entry['record']} in {entry['source']}; "
                             "expected a file of the corpus and a record number from 1")
        record = records[entry["record"] - 1]
        papers.append(labelled(entry, f"{entry['source']} record {entry['record']}", record.title,
                               record.abstract))
    return papers


def labelled(entry: dict, name: str, title: str, abstract: str) -> LabelledPaper:
    return LabelledPaper(name=name, title=title, abstract=abstract, split=entry["split"],
                         required=frozenset(entry.get("required") or ()),
                         acceptable=frozenset(entry.get("acceptable") or ()))


def report_set(what: str, papers: list[LabelledPaper], taxonomy: Taxonomy, options: argparse.Namespace) -> None:
    outcomes = tagged(papers, taxonomy)
    for split in SPLITS if options.split is None else (options.split,):
        chosen = [outcome for outcome in outcomes
                  if split in ("all", outcome.paper.split) or (split == "untuned" and outcome.paper.split in UNTUNED)]
        if not chosen:
            print(f"== {what}, split {split}: no papers in this split ==\n")
            continue
        print_report(f"{what}, split {split}", chosen, show_misses=options.misses)


def tagged(papers: list[LabelledPaper], taxonomy: Taxonomy) -> list[Outcome]:
    assignments = tag_papers([(paper.title, paper.abstract) for paper in papers], taxonomy)
    return [
        Outcome(paper, tuple(assignment.topic for assignment in paper_assignments))
        for paper, paper_assignments in zip(papers, assignments)
    ]


def print_report(what: str, outcomes: list[Outcome], show_misses: bool) -> None:
    required = sum(len(outcome.paper.required) for outcome in outcomes)
    found = sum(len(outcome.paper.required & set(outcome.given)) for outcome in outcomes)
    given = sum(len(outcome.given) for outcome in outcomes)
    allowed = sum(len(outcome.allowed & set(outcome.given)) for outcome in outcomes)
    exact = sum(outcome.exactly_acceptable for outcome in outcomes)
    print(f"== {what} ({len(outcomes)} papers) ==")
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
        print(f"  - {outcome.paper.name[:60]}: {outcome.paper.title[:70]}")
        print(f"      given {list(outcome.given)}; missing {missing}; not acceptable {extra}")


def print_browsability(texts: list[tuple[str, str]], taxonomy: Taxonomy) -> None:
    """The share of the corpus each topic holds, and the share resting on a weak signal."""
    assignments = tag_papers(texts, taxonomy)
    counts = Counter(assignment.topic for paper in assignments for assignment in paper)
    weak = sum(any(assignment.weak for assignment in paper) for paper in assignments)
    total = len(texts)
    shares = {name: counts[name] / total for name in taxonomy.names}
    print(f"== browsability over the real corpus ({total:,} distinct papers, {len(shares)} topics) ==")
    print(f"topics per paper               {sum(counts.values()) / total:.2f}")
    print(f"largest topic share            {max(shares.values()):.1%}  (target <= {MAX_TOPIC_SHARE:.0%})")
    print(f"smallest topic share           {min(shares.values()):.1%}  (target >= {MIN_TOPIC_SHARE:.1%})")
    print(f"papers resting on a weak signal {weak / total:.1%}  ({weak:,}; target <= {MAX_WEAK_SHARE:.0%})")
    for name, share in sorted(shares.items(), key=lambda item: (-item[1], item[0])):
        flag = "  <- too big" if share > MAX_TOPIC_SHARE else "  <- too small" if share < MIN_TOPIC_SHARE else ""
        print(f"  {name:28s} {share:6.1%} {counts[name]:6,}{flag}")
    print()


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
