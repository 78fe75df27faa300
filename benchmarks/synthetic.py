"""Synthetic catalogs made from the real dumps, for the scale and search benchmarks.

Titles and abstracts are recombined from real ones (half of one with half of another), every title unique,
50 records a dump, and about one record in ten is a paper of an earlier dump seen again. Seeded by the size,
so every run writes the same files.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

from generator.parse import MONTHS, Record, read_dumps

ROOT = Path(__file__).resolve().parent.parent
RECORDS_PER_DUMP = 50
SEEN_AGAIN_SHARE = 0.1
PAGE_CHROME = "new\n\nSubscribe\n\nDaily Papers\n\nbyAK and the research community\n\n"


def synthetic_papers(paper_count: int, dumps_dir: Path = ROOT / "dumps") -> list[tuple[str, str]]:
    """(title, abstract) of `paper_count` distinct recombined papers, the same on every run."""
    records = [record for dump in read_dumps(dumps_dir) for record in dump.records]
    return distinct_papers(records, paper_count, random.Random(paper_count))


def write_synthetic_dumps(target: Path, paper_count: int, dumps_dir: Path = ROOT / "dumps") -> Path:
    """Write dumps holding `paper_count` distinct papers into `target` (emptied first); return `target`."""
    papers = synthetic_papers(paper_count, dumps_dir)
    chooser = random.Random(-paper_count)
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob("*.txt"):
        old.unlink()
    listed: list[tuple[str, str]] = []
    for number, start in enumerate(range(0, paper_count, RECORDS_PER_DUMP)):
        batch = papers[start:start + RECORDS_PER_DUMP]
        repeats = [chooser.choice(listed) for _ in range(round(len(batch) * SEEN_AGAIN_SHARE))] if listed else []
        listed.extend(batch)
        write_dump(target / f"{number:05d}_synthetic.txt", number, batch + repeats)
    return target


def distinct_papers(records: list[Record], count: int, chooser: random.Random) -> list[tuple[str, str]]:
    papers: list[tuple[str, str]] = []
    seen: set[str] = set()
    while len(papers) < count:
        first, second = chooser.choice(records), chooser.choice(records)
        title = half(first.title, 0) + " " + half(second.title, 1) + f" {len(papers)}"
        key = re.sub(r"\W+", " ", title.casefold())
        if key not in seen:
            seen.add(key)
            papers.append((title, half(first.abstract, 0) + " " + half(second.abstract, 1)))
    return papers


def half(text: str, which: int) -> str:
    words = text.split()
    middle = len(words) // 2
    return " ".join(words[:middle] if which == 0 else words[middle:])


def write_dump(path: Path, number: int, papers: list[tuple[str, str]]) -> None:
    date = f"{MONTHS[number % 12]} {number % 28 + 1}"
    body = "".join(f"{title}\n\n{abstract}\n\n" for title, abstract in papers)
    path.write_text(PAGE_CHROME + date + "\n\n" + body, encoding="utf-8")
