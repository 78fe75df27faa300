"""Catalog stage: records -> papers (same paper merged), each with a stable id."""
from __future__ import annotations

import hashlib
import itertools
import math
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

from slugify import slugify

from .parse import Dump, Record, cut_short
from .text import REORDERING_CONTROLS, normalized_text

# Revisions of a sentence or two keep most word triples; unrelated abstracts share almost none.
SAME_ABSTRACT_MIN_SIMILARITY = 0.5
# A listing's abstract cut short ("… a new method for…") is its paper's if it starts as the paper's does, for
# at least this many words: fewer could start many abstracts.
CUT_SHORT_MIN_WORDS = 12
# A paper keeps the ids of at most this many other papers of its title, and their count, which its page and its
# entry in catalog.json show: kept whole, they grew with the square of a dump of thousands of records of one
# title (1 GB for 10,000; its pages were 128 KB).
SAME_TITLE_IDS_KEPT = 20
# Past this many papers of one title, a record is compared only with those that share one of its rarest word
# triples (TitleGroups); below it, with each.
TITLE_GROUPS_SCANNED = 8
SLUG_MAX_CHARS = 80
# Names Windows refuses for files, and names our own site layout uses.
RESERVED_SLUGS = frozenset(
    {"con", "prn", "aux", "nul", "index", "assets", "search"}
    | {f"com{n}" for n in range(10)} | {f"lpt{n}" for n in range(10)}
)
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Paper:
    """A distinct paper: every record of it across dumps, oldest first."""

    # The paper's one name: an ASCII slug of its title, unique ignoring case. It is "id" in catalog.json, the
    # key in tags.yml, and its page is papers/<id>/ (render/layout.py).
    id: str
    records: tuple[Record, ...]
    same_title_ids: tuple[str, ...] = ()  # the first SAME_TITLE_IDS_KEPT different papers whose titles match
    same_title_count: int = 0  # how many there are

    @property
    def title(self) -> str:
        return self.records[-1].title

    @cached_property
    def abstract(self) -> str:
        """The newest wording: Hugging Face shows the latest revision of a paper (newest_whole)."""
        return newest_whole([record.abstract for record in self.records])

    @cached_property
    def dump_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(record.dump_id for record in self.records))

    @property
    def earlier_abstracts(self) -> tuple[Record, ...]:
        """Records whose wording differs from the newest, first record of each wording; not wordings that are
        another cut short, which only leave its end out."""
        seen = {self.abstract, *cut_wordings([record.abstract for record in self.records])}
        earlier = []
        for record in self.records:
            if record.abstract not in seen:
                seen.add(record.abstract)
                earlier.append(record)
        return tuple(earlier)


@dataclass(frozen=True)
class Catalog:
    dumps: tuple[Dump, ...]
    papers: tuple[Paper, ...]  # in order of first sighting

    @cached_property
    def papers_by_id(self) -> dict[str, Paper]:
        return {paper.id: paper for paper in self.papers}

    @cached_property
    def paper_numbers(self) -> dict[str, int]:
        """Each paper's place in order of first sighting, from 0: adding a dump appends new numbers."""
        return {paper.id: number for number, paper in enumerate(self.papers)}

    @cached_property
    def dump_numbers(self) -> dict[str, int]:
        """Each dump's place in catalog order, from 0."""
        return {dump.id: number for number, dump in enumerate(self.dumps)}

    @cached_property
    def paper_id_by_record(self) -> dict[tuple[str, int], str]:
        return {(record.dump_id, record.position): paper.id for paper in self.papers for record in paper.records}

    def paper_ids_in(self, dump: Dump) -> tuple[str, ...]:
        """The dump's papers in the order the dump lists them (a paper listed twice appears once)."""
        return tuple(dict.fromkeys(self.paper_id_by_record[dump.id, record.position] for record in dump.records))

    @cached_property
    def recurring(self) -> tuple[Paper, ...]:
        """Papers seen in two or more dumps, most dumps first, then by first sighting."""
        order = {paper.id: index for index, paper in enumerate(self.papers)}
        multi = [paper for paper in self.papers if len(paper.dump_ids) > 1]
        return tuple(sorted(multi, key=lambda paper: (-len(paper.dump_ids), order[paper.id])))

    @cached_property
    def dump_slugs(self) -> dict[str, str]:
        """Each dump's address part: its file name may hold characters a URL cannot."""
        taken: set[str] = set()
        return {dump.id: claim_slug(base_slug(dump.id, "dump"), taken, dump.id) for dump in self.dumps}

    @property
    def record_count(self) -> int:
        return sum(len(dump.records) for dump in self.dumps)


def build_catalog(dumps: tuple[Dump, ...]) -> Catalog:
    """Merge records of the same paper and give every paper its id."""
    groups = group_records(dumps)
    ids = assign_ids(groups)
    same_title = defaultdict(list)
    for group, paper_id in zip(groups, ids):
        same_title[normalized_text(group[0].title)].append(paper_id)
    papers = []
    for group, paper_id in zip(groups, ids):
        of_title = same_title[normalized_text(group[0].title)]
        others = itertools.islice((other for other in of_title if other != paper_id), SAME_TITLE_IDS_KEPT)
        papers.append(Paper(id=paper_id, records=tuple(group), same_title_ids=tuple(others),
                            same_title_count=len(of_title) - 1))
    return Catalog(dumps=dumps, papers=tuple(papers))


def group_records(dumps: tuple[Dump, ...]) -> list[list[Record]]:
    """Records grouped by paper, groups in order of first sighting.

    Same normalised title alone is not enough: Hugging Face lists different papers under one title, and those
    have clearly different abstracts.
    """
    records = [record for dump in dumps for record in dump.records]
    titles = [merge_key(record.title) for record in records]
    # Only records whose titles meet are compared, each abstract's words made once.
    words: dict[str, AbstractWords] = {}

    def words_of(abstract: str) -> AbstractWords:
        if abstract not in words:
            words[abstract] = AbstractWords.of(abstract)
        return words[abstract]

    crowded = {title for title, count in Counter(titles).items() if count > TITLE_GROUPS_SCANNED}
    triple_counts: dict[str, Counter[tuple[str, ...]]] = defaultdict(Counter)
    for record, title in zip(records, titles):
        if title in crowded:
            triple_counts[title].update(words_of(record.abstract).shingles)
    groups: list[list[Record]] = []
    groups_by_title: dict[str, TitleGroups] = {}
    for record, title in zip(records, titles):
        if title not in groups_by_title:
            groups_by_title[title] = TitleGroups(words_of, triple_counts.get(title, Counter()))
        group = groups_by_title[title].add(record)
        if len(group) == 1:
            groups.append(group)
    return groups


def merge_key(title: str) -> str:
    """What two records' titles must share to be one paper's: the normalised title, and the controls that
    reorder text, in the order written. Those show nothing themselves but turn the text around them (a later
    dump's `\u202eLanguage Models` reads "sledoM egaugnaL"): a title holding others is another title."""
    return normalized_text(title) + "\0" + "".join(char for char in title if char in REORDERING_CONTROLS)


class TitleGroups:
    """The groups of records of one title, each compared by the words of its latest record. A record joins the
    first group, in order of first sighting, whose abstract it matches.

    A dump of thousands of records of one title and different abstracts made that a comparison with every group
    before. Past TITLE_GROUPS_SCANNED groups, only those that share one of the record's first word triples are
    compared: the prefix filter of set-similarity joins (two sets of Jaccard similarity at least t share one of
    the first |X| - ceil(t|X|) + 1 elements of each, in one fixed order of all elements). The order is the
    rarest triples of the title's records first, so that words every record shares (a template's) stay out of
    the prefixes, then a hash and the triple itself, which make it total.

    Abstracts of their own words after a long shared template still share the template's triples in their
    prefixes, and every group was compared (2,000 records took 100 s). So, as in PPJoin, a group is compared
    only if it could reach the similarity: in the one order, the first triple two abstracts share is their
    first in common, so no more of them than follow it in either can be shared, and a group whose length
    alone rules it out is not compared either."""

    def __init__(self, words_of: Callable[[str], AbstractWords], triple_counts: Counter[tuple[str, ...]]) -> None:
        self.words_of = words_of  # made only for titles of more than one record: most have one
        self.triple_counts = triple_counts  # over every record of the title, for one past TITLE_GROUPS_SCANNED
        self.groups: list[list[Record]] = []
        # triple -> group -> the triple's place in that group's order; made past TITLE_GROUPS_SCANNED groups
        self.by_triple: dict[tuple[str, ...], dict[int, int]] | None = None
        # With it, the groups by their first CUT_SHORT_MIN_WORDS words, and those whose latest is cut short.
        self.by_start: dict[tuple[str, ...], set[int]] = defaultdict(set)
        self.cut_groups: set[int] = set()
        self.prefixes: dict[str, list[tuple[str, ...]]] = {}

    def add(self, record: Record) -> list[Record]:
        """The group `record` joins, a new one if it matches none."""
        number = self._matching_group(record.abstract) if self.groups else None
        if number is None:
            number = len(self.groups)
            self.groups.append([])
        elif self.by_triple is not None:
            self._unindex(number)
        self.groups[number].append(record)
        if self.by_triple is None and len(self.groups) > TITLE_GROUPS_SCANNED:
            self.by_triple = defaultdict(dict)
            for indexed in range(len(self.groups)):
                self._index(indexed)
        elif self.by_triple is not None:
            self._index(number)
        return self.groups[number]

    def latest(self, number: int) -> str:
        """The abstract a group is compared by: its newest, but not a copy of another cut short (newest_whole)."""
        group = self.groups[number]
        if not cut_short(group[-1].abstract):  # nearly always: the group's other records need not be read
            return group[-1].abstract
        return newest_whole([record.abstract for record in group])

    def _index(self, number: int) -> None:
        """Add a group to the indexes by its latest abstract."""
        postings, group_sets = self._index_entries(number)
        for posting, place in postings:
            posting[number] = place
        for groups in group_sets:
            groups.add(number)

    def _unindex(self, number: int) -> None:
        """Take a group out of the indexes, before its latest abstract changes."""
        postings, group_sets = self._index_entries(number)
        for posting, _ in postings:
            posting.pop(number, None)
        for groups in group_sets:
            groups.discard(number)

    def _index_entries(self, number: int) -> tuple[list[tuple[dict[int, int], int]], list[set[int]]]:
        latest = self.latest(number)
        start = self.by_start[self.words_of(latest).words[:CUT_SHORT_MIN_WORDS]]
        return self._postings(latest), [start, self.cut_groups] if cut_short(latest) else [start]

    def _matching_group(self, abstract: str) -> int | None:
        words = self.words_of(abstract)
        candidates: Iterable[int] = range(len(self.groups))
        if self.by_triple is not None:
            candidates = sorted(self._may_match(abstract))
        latest = (self.words_of(self.latest(number)) for number in candidates)
        return next((number for number, other in zip(candidates, latest) if other.match(words)), None)

    def _may_match(self, abstract: str) -> set[int]:
        """The groups sharing a triple of the prefixes whose similarity the length and place bounds allow, and
        those of the same first words where one of the two is cut short (no similarity bounds that)."""
        assert self.by_triple is not None
        same_start = self.by_start.get(self.words_of(abstract).words[:CUT_SHORT_MIN_WORDS], set())
        cut_matches = same_start if cut_short(abstract) else same_start & self.cut_groups
        size = len(self.words_of(abstract).shingles)
        met: set[int] = set()
        possible: set[int] = set()
        for place, triple in enumerate(self._prefix(abstract)):
            for number, other_place in self.by_triple.get(triple, {}).items():
                if number in met:
                    continue
                met.add(number)  # first met here: the first triple the two share
                other_size = len(self.words_of(self.latest(number)).shingles)
                least = SAME_ABSTRACT_MIN_SIMILARITY / (1 + SAME_ABSTRACT_MIN_SIMILARITY) * (size + other_size)
                if min(size - place, other_size - other_place) >= least - 1e-9:  # a hair under, as in _prefix
                    possible.add(number)
        return possible | cut_matches

    def _postings(self, abstract: str) -> list[tuple[dict[int, int], int]]:
        """The groups by each of the first word triples of `abstract`, with the triple's place in its order."""
        assert self.by_triple is not None
        return [(self.by_triple[triple], place) for place, triple in enumerate(self._prefix(abstract))]

    def _prefix(self, abstract: str) -> list[tuple[str, ...]]:
        """The triples of `abstract` one of which every abstract it matches has among its own."""
        if abstract not in self.prefixes:
            ordered = sorted(self.words_of(abstract).shingles, key=lambda triple: (
                self.triple_counts[triple], zlib.crc32("\0".join(triple).encode("utf-8")), triple))
            # A hair under the threshold: a rounding error may only lengthen the prefix, never cut a match.
            needed = math.ceil(SAME_ABSTRACT_MIN_SIMILARITY * len(ordered) - 1e-9)
            self.prefixes[abstract] = ordered[:len(ordered) - needed + 1]
        return self.prefixes[abstract]


@dataclass(frozen=True)
class AbstractWords:
    """An abstract's normalised words and their 3-grams, by which two abstracts are compared."""

    words: tuple[str, ...]
    shingles: frozenset[tuple[str, ...]]
    cut: bool = False  # cut short (parse.cut_short)

    @classmethod
    def of(cls, abstract: str, size: int = 3) -> AbstractWords:
        normalised = normalized_text(abstract)
        # An abstract of no letters or digits at all (`🙂🙂🙂`) is compared by what it has instead.
        words = tuple(WORD.findall(normalised)) or tuple(normalised.split())
        return cls(words, frozenset(words[i:i + size] for i in range(max(1, len(words) - size + 1))),
                   cut_short(abstract))

    def match(self, other: AbstractWords) -> bool:
        """True when the abstracts are the same text or a revision of a sentence or two of each other: the
        Jaccard similarity of their 3-grams (linear in the text, unlike an edit distance) is high enough; or
        one is cut short and starts as the other does (its last word may be cut in two)."""
        if self.words == other.words or self.cut_from(other) or other.cut_from(self):
            return True
        shared = len(self.shingles & other.shingles)
        return shared / (len(self.shingles) + len(other.shingles) - shared) >= SAME_ABSTRACT_MIN_SIMILARITY

    def cut_from(self, whole: AbstractWords) -> bool:
        """Is this abstract cut short from `whole`: ending in an ellipsis, and starting as `whole` does for at
        least CUT_SHORT_MIN_WORDS words (its last word may be cut in two)?"""
        start = self.words[:-1]
        return self.cut and len(start) >= CUT_SHORT_MIN_WORDS and whole.words[:len(start)] == start


def newest_whole(wordings: Sequence[str]) -> str:
    """The newest of a paper's wordings (oldest first) that is not another of them cut short: a later copy of a
    listing ("… a new method for…") is shown as the paper's abstract, or compared with new records, in place
    of the whole one, only where no whole one was seen."""
    if not cut_short(wordings[-1]):
        return wordings[-1]
    cuts = cut_wordings(wordings)
    return next((wording for wording in reversed(wordings) if wording not in cuts), wordings[-1])


def cut_wordings(wordings: Sequence[str]) -> set[str]:
    """The wordings that are another of them cut short (AbstractWords.cut_from)."""
    if not any(map(cut_short, wordings)):
        return set()
    words = {wording: AbstractWords.of(wording) for wording in wordings}
    return {wording for wording in words if any(
        other != wording and words[wording].cut_from(words[other]) for other in words)}


def assign_ids(groups: list[list[Record]]) -> list[str]:
    """One unique id per paper, first come first served.

    A paper keeps its id when dumps are added after it: the first paper with a slug gets it plain, a
    later one with the same slug gets a suffix from its own first record, never from its position.
    """
    taken: set[str] = set()
    return [claim_slug(base_slug(group[0].title, "paper"), taken, content_key(group[0])) for group in groups]


def base_slug(text: str, kind: str) -> str:
    """A readable ASCII slug of `text`; never empty (then `kind`), never a reserved name."""
    slug = slugify(text, max_length=SLUG_MAX_CHARS, word_boundary=True, save_order=True) or kind
    return f"{slug}-{kind}" if slug in RESERVED_SLUGS else slug


def claim_slug(slug: str, taken: set[str], key: str) -> str:
    """`slug`, or, when it is taken, `slug` with a suffix hashed from `key`; added to `taken`."""
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
    claimed = next(candidate for candidate in candidate_slugs(slug, digest) if candidate not in taken)
    taken.add(claimed)
    return claimed


def candidate_slugs(slug: str, digest: str) -> Iterator[str]:
    """`slug`, then `slug` with ever longer prefixes of `digest`, then with all of it and a count.

    Papers share a digest only when their first records are the same text: a record listed again after its
    paper's wording drifted away from it starts a new paper. Past the whole digest, only order of first
    sighting can tell such papers apart; without the count, the 17th of them would never find a free slug.
    """
    yield slug
    for length in range(8, len(digest) + 1, 4):
        yield f"{slug}-{digest[:length]}"
    for count in itertools.count(2):
        yield f"{slug}-{digest}-{count}"


def content_key(record: Record) -> str:
    """What identifies a paper's first record, whatever its place in the dumps."""
    return normalized_text(record.title) + "\n" + normalized_text(record.abstract)
