"""How good the related-papers links are, and how long they take as the catalog grows.

    .venv/bin/python benchmarks/related.py [--corpus DUMPS_DIR] [--sizes 1000,10000,50000] [--k 5]

(a) Quality, on the real catalog of the bundled dumps or of --corpus (each distinct title once, first
    occurrence wins): every paper is tagged with taxonomy.yml, and the script prints the share of related
    links whose two papers share at least one topic, and the share of papers whose first related paper
    shares one. The fallback topic a paper gets when no keyword matched is not counted as a topic. It also
    prints how long relate() takes (related papers and near pairs together), and how many of the related
    papers that scoring every pair finds are listed (EXACT_WORK_LIMIT lifted).
(b) Scale: find_related on synthetic catalogs made by recombining the real papers (a fixed seed, so every
    run reads the same text), each size in its own process so that its peak memory is its own: wall time,
    CPU time and peak resident memory, with the memory the process held before find_related started.
(c) Agreement: above EXACT_WORK_LIMIT find_related scores only the candidates that each paper's strongest
    terms find; on a synthetic catalog of --agreement-size papers the script compares that with scoring
    every pair (EXACT_WORK_LIMIT lifted) and prints how many related papers and first related papers agree.

Synthetic catalogs are harder than real ones of the same size: all their words come from a few hundred
papers, so every term is common and far more papers are near-ties.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.enrich import related as related_module  # noqa: E402
from generator.enrich.related import PaperText, RelatedPaper, find_related, relate  # noqa: E402
from generator.enrich.topics import load_taxonomy, tag_papers  # noqa: E402
from generator.parse import read_dumps  # noqa: E402

DEFAULT_SIZES = "1000,10000,50000"
DEFAULT_AGREEMENT_SIZE = 10_000
SYNTHETIC_SEED = 2024
FIRST_RELATED_TARGET = 0.85
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class ScaleRun:
    papers: int
    wall_seconds: float
    cpu_seconds: float
    peak_mb: float
    before_mb: float


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_options(argv)
    real = real_papers(ROOT / "dumps")
    if options.measure:
        print(json.dumps(measure_in_this_process(real, options.measure, options.k).__dict__))
        return 0
    print_quality(real_papers(options.corpus) if options.corpus else real, options.k)
    print_scale([measure_in_subprocess(size, options.k) for size in sizes(options.sizes)])
    if options.agreement_size:
        print_agreement(synthetic_papers(real, options.agreement_size, SYNTHETIC_SEED), options.k)
    return 0


def parse_options(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help=f"synthetic catalog sizes (default {DEFAULT_SIZES})")
    parser.add_argument("--corpus", type=Path, help="dumps folder for (a) (default: the bundled dumps)")
    parser.add_argument("--k", type=int, default=5, help="related papers per paper (default 5, as on the site)")
    parser.add_argument("--agreement-size", type=int, default=DEFAULT_AGREEMENT_SIZE,
                        help=f"papers for (c), 0 to skip (default {DEFAULT_AGREEMENT_SIZE:,})")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)  # one size, in a child process
    return parser.parse_args(argv)


def sizes(text: str) -> list[int]:
    return [int(size) for size in text.split(",") if size.strip()]


def real_papers(dumps_dir: Path) -> list[PaperText]:
    """Each distinct title once, with the abstract of its first occurrence, in dump order."""
    abstracts: dict[str, str] = {}
    for dump in read_dumps(dumps_dir):
        for record in dump.records:
            abstracts.setdefault(record.title, record.abstract)
    return [PaperText(f"paper-{index:04d}", title, abstract)
            for index, (title, abstract) in enumerate(abstracts.items())]


# ---------------------------------------------------------------------------------------------------------
# (a) Quality


def print_quality(papers: Sequence[PaperText], k: int) -> None:
    topics = topics_by_paper(papers)
    wall, cpu = time.perf_counter(), time.process_time()
    related, near_pairs = relate(papers, k=k, threshold=0.5)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    links = [(paper_id, item) for paper_id, items in related.items() for item in items]
    shared_links = sum(1 for paper_id, item in links if topics[paper_id] & topics[item.paper_id])
    firsts = {paper_id: items[0] for paper_id, items in related.items() if items}
    shared_firsts = sum(1 for paper_id, item in firsts.items() if topics[paper_id] & topics[item.paper_id])
    exact = exact_related(papers, k)
    found = sum(len(ids_of(related[paper_id]) & ids_of(items)) for paper_id, items in exact.items())
    print(f"Real catalog: {len(papers)} distinct papers, k = {k}")
    print(f"  related links whose papers share a topic:      {share(shared_links, len(links))}")
    print(f"  papers whose first related paper shares one:    {share(shared_firsts, len(firsts))}"
          f"   (target {FIRST_RELATED_TARGET:.0%})")
    print(f"  exact related papers that are listed:           {share(found, sum(map(len, exact.values())))}")
    print(f"  papers with no related paper:                   {len(papers) - len(firsts)}")
    print(f"  papers with no topic but the fallback:          {sum(1 for names in topics.values() if not names)}")
    print(f"  mean score of first related papers:             {mean_score(firsts):.3f}")
    print(f"  near pairs (abstract >= 0.5 or title >= 0.8):   {len(near_pairs)}")
    print(f"  relate(), related papers and near pairs:        {wall:.1f} s ({cpu:.1f} s CPU)")


def topics_by_paper(papers: Sequence[PaperText]) -> dict[str, frozenset[str]]:
    """Each paper's topic names, without the fallback topic given when no keyword matched at all."""
    taxonomy = load_taxonomy(ROOT / "taxonomy.yml")
    tags = tag_papers([(paper.title, paper.abstract) for paper in papers], taxonomy)
    return {paper.paper_id: frozenset(assignment.topic for assignment in assignments if assignment.score > 0)
            for paper, assignments in zip(papers, tags)}


def share(part: int, whole: int) -> str:
    return f"{part:,} of {whole:,} ({part / whole:.1%})" if whole else "none"


def mean_score(firsts: Mapping[str, RelatedPaper]) -> float:
    return sum(item.score for item in firsts.values()) / len(firsts) if firsts else 0.0


# ---------------------------------------------------------------------------------------------------------
# (b) Scale


def measure_in_subprocess(size: int, k: int) -> ScaleRun:
    command = [sys.executable, str(Path(__file__).resolve()), "--measure", str(size), "--k", str(k)]
    finished = subprocess.run(command, capture_output=True, text=True, check=True)
    return ScaleRun(**json.loads(finished.stdout.strip().splitlines()[-1]))


def measure_in_this_process(real: Sequence[PaperText], size: int, k: int) -> ScaleRun:
    papers = synthetic_papers(real, size, SYNTHETIC_SEED)
    before_mb = peak_resident_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    find_related(papers, k=k)
    return ScaleRun(size, round(time.perf_counter() - wall, 2), round(time.process_time() - cpu, 2),
                    round(peak_resident_mb(), 1), round(before_mb, 1))


def peak_resident_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports kilobytes


def synthetic_papers(real: Sequence[PaperText], size: int, seed: int) -> list[PaperText]:
    """`size` papers recombined from the real ones: each abstract takes as many sentences as one real
    abstract has, drawn from that abstract and two others; each title as many words as its real title,
    drawn from it and one other title."""
    rng = random.Random(seed)
    sentences = [SENTENCE_END.split(paper.abstract) for paper in real]
    title_words = [paper.title.split() for paper in real]
    papers = []
    for index in range(size):
        first, second, third = rng.sample(range(len(real)), 3)
        pool = sentences[first] + sentences[second] + sentences[third]
        abstract = " ".join(rng.sample(pool, len(sentences[first])))
        title = " ".join(rng.sample(title_words[first] + title_words[second], len(title_words[first])))
        papers.append(PaperText(f"synthetic-{index:06d}", title, abstract))
    return papers


def print_scale(runs: Sequence[ScaleRun]) -> None:
    if not runs:
        return
    print(f"\nfind_related on synthetic catalogs (seed {SYNTHETIC_SEED}), one process per size")
    print(f"  {'papers':>8} {'wall s':>8} {'CPU s':>8} {'peak MB':>9} {'before MB':>10} {'added MB':>9}")
    for run in runs:
        print(f"  {run.papers:>8,} {run.wall_seconds:>8.1f} {run.cpu_seconds:>8.1f} {run.peak_mb:>9.0f}"
              f" {run.before_mb:>10.0f} {run.peak_mb - run.before_mb:>9.0f}")


# ---------------------------------------------------------------------------------------------------------
# (c) Agreement with exact scoring


def print_agreement(papers: Sequence[PaperText], k: int) -> None:
    wall = time.perf_counter()
    fast = find_related(papers, k=k)
    fast_seconds = time.perf_counter() - wall
    wall = time.perf_counter()
    exact = exact_related(papers, k)
    exact_seconds = time.perf_counter() - wall
    found = sum(len(ids_of(fast[paper_id]) & ids_of(items)) for paper_id, items in exact.items())
    links = sum(len(items) for items in exact.values())
    firsts = [paper_id for paper_id, items in exact.items() if items]
    same_first = sum(1 for paper_id in firsts if fast[paper_id][:1] and fast[paper_id][0] == exact[paper_id][0])
    print(f"\nStrongest-terms candidates against exact scoring, {len(papers):,} synthetic papers")
    print(f"  exact related papers the fast path also lists:  {share(found, links)}")
    print(f"  same first related paper:                       {share(same_first, len(firsts))}")
    print(f"  wall time, fast path / every pair scored:       {fast_seconds:.1f} s / {exact_seconds:.1f} s")


def exact_related(papers: Sequence[PaperText], k: int) -> dict[str, tuple[RelatedPaper, ...]]:
    """find_related with every pair scored, whatever the size of the catalog."""
    exact_limit = related_module.EXACT_WORK_LIMIT
    related_module.EXACT_WORK_LIMIT = float("inf")
    try:
        return find_related(papers, k=k)
    finally:
        related_module.EXACT_WORK_LIMIT = exact_limit


def ids_of(items: Sequence[RelatedPaper]) -> set[str]:
    return {item.paper_id for item in items}


if __name__ == "__main__":
    sys.exit(main())
