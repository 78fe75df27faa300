"""Render stage, the files the Watch and For you pages read: small JSON files, so that no page downloads the
whole catalog (site_src/assets/watch.js and for-you.js; the README has the layout and the measured sizes).

Papers are known by number: their place in order of first sighting (Catalog.paper_numbers), which listing
items and paper pages carry as `data-pc-n`. A watched word is looked up in the one file of its first two
characters; lists of numbers are written as the first number then the differences, which keeps them short.
What a word or a phrase matches is generator/render/watch_words.py.

A phrase matches a paper whose text has its words next to each other: the word index gives the papers with
all of them, and a Bloom filter of the neighbouring words of every paper (pair_filter_files) leaves those
where they are apart (`world model` was matched by 1,952 papers of the real corpus, 294 of which say it).
"""
from __future__ import annotations

import itertools
import json
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from ..catalog import Catalog
from ..enrich import Enrichment
from ..text import COMPOUND_PREFIXES, COMPOUND_STEMS, MAX_READ_CHARS, names_and_versions
from . import layout
from .watch_words import (
    PAIR_HASHES,
    PREFIXES,
    WordLookups,
    keys_of_word,
    lower_words,
    pair_bits,
    pair_hash,
    pair_key_hash,
    phrase_keys,
    split_compound_keys,
    word_shard,
)


def watch_list_files(catalog: Catalog, enrichment: Enrichment) -> Iterator[tuple[str, bytes]]:
    """The files of the watch/ folder that show no related papers: all but paper_chunk_files. Each file of the
    folder is a deterministic function of the catalog."""
    shards, pairs = word_index(catalog)
    yield layout.WATCH_META_PATH, json_bytes({
        "papers": len(catalog.papers), "chunk": layout.WATCH_CHUNK_PAPERS,
        "compound_prefixes": list(COMPOUND_PREFIXES), "compound_stems": list(COMPOUND_STEMS),
        "topics": {topic.name: topic.title for topic in enrichment.taxonomy.topics},
        "stop_words": sorted(ENGLISH_STOP_WORDS),
        "versioned_names": versioned_names(catalog),
        # The files of the word index there are: a file that is not there would be a failed request in the
        # reader's console, for every word no paper starts so.
        "word_shards": sorted(shards),
        "pair_files": pair_file_count(len(catalog.papers)), "pair_hashes": PAIR_HASHES,
    })
    for shard in sorted(shards):
        yield layout.watch_words_path(shard), json_bytes(shards[shard])
    yield from pair_filter_files(pairs, pair_file_count(len(catalog.papers)))
    yield from topic_files(catalog, enrichment)
    yield from id_files(catalog)



# Papers of a name written before a version that make it one for search: two, so that a sentence's first word
# (`Across 5 benchmarks`) is seldom one.
VERSIONED_NAME_PAPERS = 2


def versioned_names(catalog: Catalog) -> list[str]:
    """The names, in lower case, that papers write before a version (`SAM 2`, `Qwen 3`, as text.names_and_versions
    finds them), in VERSIONED_NAME_PAPERS papers or more, and written as a word in lower case less often than
    that: search joins such a name typed in lower case before a whole number (`sam 2`), as it does a
    capitalised one, and leaves other words apart (`with 1 sample`, and `stage 2`, as papers write `Stage 2`
    at a sentence's start and `stage` in lower case elsewhere)."""
    texts = [f"{paper.title}\n{paper.abstract[:MAX_READ_CHARS]}" for paper in catalog.papers]
    papers_by_name = Counter(name for text in texts for name in {
        name.lower() for name, _, _ in names_and_versions(text)})
    names = frozenset(name for name, papers in papers_by_name.items()
                      if papers >= VERSIONED_NAME_PAPERS and len(name) > 1 and not name.isdigit())
    written_lower = Counter(word for text in texts for word in text.split() if word in names)
    return sorted(name for name in names if written_lower[name] < papers_by_name[name])


def word_index(catalog: Catalog) -> tuple[dict[str, dict[str, list[int]]], list[np.ndarray]]:
    """The word index by shard (key -> paper numbers as differences) and, batch by batch, the pairs of
    neighbouring words (pair_items), from one reading of every paper's words: what keys_of_words and
    phrase_keys give paper by paper (tested). Papers are read PAPERS_AT_A_TIME at a time, each batch's words
    numbered once (Vocabulary) and turned into keys and pairs with numpy: word by word in Python, the same
    took about 0.6 s more at the real 10,049 papers."""
    vocabulary = Vocabulary()
    keys, pairs = [], []
    for start in range(0, len(catalog.papers), PAPERS_AT_A_TIME):
        words = [lower_words(f"{paper.title}\n{paper.abstract[:MAX_READ_CHARS]}")
                 for paper in catalog.papers[start:start + PAPERS_AT_A_TIME]]
        batch = vocabulary.batch(start, words)
        keys.append(key_items(batch, vocabulary))
        pairs.append(pair_items(batch, vocabulary))
        del words, batch  # before the next batch's words are read
    return shards_of(keys, vocabulary.key_names), pairs


# A batch's words and arrays stay small at any catalog size.
PAPERS_AT_A_TIME = 1_000
# Items pack two numbers below 2**32 into one uint64, sorted by the high one: key items are key number, paper
# number; pair items paper number, pair hash.
HIGH = np.uint64(32)
LOW = np.uint64(0xFFFFFFFF)
EMPTY = np.zeros(0, dtype=np.uint64)


class Ragged:
    """Rows of ints below 2**64 of any length, added a batch of rows at a time and read many at a time."""

    def __init__(self) -> None:
        self._values = np.zeros(0, dtype=np.uint64)
        self._lengths = np.zeros(0, dtype=np.int64)
        self._starts = np.zeros(0, dtype=np.int64)

    def extend(self, rows: list[Sequence[int]]) -> None:
        lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
        self._starts = np.concatenate([self._starts, len(self._values) + np.cumsum(lengths) - lengths])
        self._lengths = np.concatenate([self._lengths, lengths])
        self._values = np.concatenate([self._values, np.fromiter(itertools.chain.from_iterable(rows), dtype=np.uint64,
                                                                 count=int(lengths.sum()))])

    def gather(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The values of `rows`, one row after another, and the length of each row."""
        taken = self._lengths[rows]
        # Each row's start, repeated for its values, plus the value's place in its row.
        places = np.arange(int(taken.sum())) - np.repeat(np.cumsum(taken) - taken, taken)
        return self._values[np.repeat(self._starts[rows], taken) + places], taken


class Vocabulary:
    """Every word read so far, numbered in order of first sight, with what the index needs of each: its keys
    (keys_of_word), numbered too, and the hashes of its phrase keys (phrase_keys of the word alone). Adding a
    word also tells `lookups` whether it may close up with the next word (WordLookups.open_words)."""

    def __init__(self) -> None:
        self.word_ids: dict[str, int] = {}
        self.key_ids: dict[str, int] = {}
        self.key_names: list[str] = []
        self.word_keys = Ragged()
        self.word_pair_hashes = Ragged()
        self.lookups = WordLookups(pair_key_hash)

    def batch(self, first: int, words: list[list[str]]) -> Batch:
        """The papers numbered from `first` whose lower-case words are `words`, their words numbered; words not
        seen before are added first."""
        new_words = [word for word in dict.fromkeys(itertools.chain.from_iterable(words))
                     if word not in self.word_ids]
        self.word_ids.update(zip(new_words, itertools.count(len(self.word_ids))))
        self.word_keys.extend([[self.key_id(key) for key in keys_of_word(word)] for word in new_words])
        self.word_pair_hashes.extend([self.lookups.keys_of_word[word] for word in new_words])
        lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
        return Batch(first, words, np.repeat(np.arange(first, first + len(words), dtype=np.uint64), lengths),
                     np.fromiter(map(self.word_ids.__getitem__, itertools.chain.from_iterable(words)),
                                 dtype=np.int64, count=int(lengths.sum())))

    def key_id(self, key: str) -> int:
        """The key's number, given on first sight."""
        if key not in self.key_ids:
            self.key_ids[key] = len(self.key_names)
            self.key_names.append(key)
        return self.key_ids[key]


@dataclass(frozen=True)
class Batch:
    first: int  # the number of its first paper
    words: list[list[str]]  # each paper's lower-case words
    numbers: np.ndarray  # the paper number of each word, in order
    word_ids: np.ndarray  # the vocabulary's number of each word


def key_items(batch: Batch, vocabulary: Vocabulary) -> np.ndarray:
    """Each key of each paper of the batch (keys_of_words), as key number, paper number: sorted, each once."""
    numbers, word_ids = unpacked(distinct((batch.numbers << HIGH) | batch.word_ids.astype(np.uint64)))
    keys, lengths = vocabulary.word_keys.gather(word_ids.astype(np.int64))
    items = [(keys << HIGH) | np.repeat(numbers, lengths)]
    # A compound written as two words (`pre training`) is one more key: only where a prefix is a word.
    for number, words in enumerate(batch.words, start=batch.first):
        if not PREFIXES.isdisjoint(words):
            items.append(np.array([(vocabulary.key_id(key) << 32) | number for key in split_compound_keys(words)],
                                  dtype=np.uint64))
    return distinct(np.concatenate(items))


def pair_items(batch: Batch, vocabulary: Vocabulary) -> np.ndarray:
    """Each paper's pairs of neighbouring phrase keys (phrase_keys), as paper number, pair hash: sorted, each
    once."""
    lookups = vocabulary.lookups
    # A paper with a word that may close up with the next (`pre training`) is read word by word: few are.
    plain_paper = np.array([lookups.open_words.isdisjoint(words) for words in batch.words], dtype=bool)
    of_plain_paper = plain_paper[(batch.numbers - np.uint64(batch.first)).astype(np.int64)]
    hashes, lengths = vocabulary.word_pair_hashes.gather(batch.word_ids[of_plain_paper])
    numbers = np.repeat(batch.numbers[of_plain_paper], lengths)
    others = [(number, phrase_keys(words, lookups)) for number, words in enumerate(batch.words, start=batch.first)
              if not plain_paper[number - batch.first]]
    numbers = np.concatenate([numbers, *(np.full(len(keys), number, dtype=np.uint64) for number, keys in others)])
    hashes = np.concatenate([hashes, *(np.array(keys, dtype=np.uint64) for _, keys in others)])
    same_paper = numbers[:-1] == numbers[1:]
    return distinct((numbers[:-1][same_paper] << HIGH) | pair_hash(hashes[:-1][same_paper], hashes[1:][same_paper]))


def distinct(items: np.ndarray) -> np.ndarray:
    """`items` sorted, each once. Not np.unique: numpy 2.3's takes ten times as long on these."""
    items = np.sort(items)
    first_of_its_kind = np.ones(len(items), dtype=bool)
    first_of_its_kind[1:] = items[1:] != items[:-1]
    return items[first_of_its_kind]


def unpacked(items: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The high and the low number of each item."""
    return items >> HIGH, items & LOW


def shards_of(batches: list[np.ndarray], key_names: list[str]) -> dict[str, dict[str, list[int]]]:
    """The word index by shard, from each batch's key_items: each key's paper numbers as differences. The keys
    are taken a KEY_RANGES-th of the items at a time: at 50,000 papers the items are millions, and joined and
    sorted at once they took about 100 MB more at the peak."""
    shards: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for low, high in itertools.pairwise(key_bounds(batches, len(key_names))):
        items = np.sort(np.concatenate([EMPTY, *(batch[np.searchsorted(batch, low):np.searchsorted(batch, high)]
                                                 for batch in batches)]))
        if not len(items):
            continue
        keys, numbers = unpacked(items)  # each key's paper numbers ascend
        starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]]))
        steps = np.diff(numbers, prepend=np.uint64(0))  # wrapped around where a key starts, so set again:
        steps[starts] = numbers[starts]
        for key, start, end in zip(keys[starts].tolist(), starts.tolist(), [*starts[1:].tolist(), len(items)]):
            shards[word_shard(key_names[key])][key_names[key]] = steps[start:end].tolist()
    return shards


KEY_RANGES = 16


def key_bounds(batches: list[np.ndarray], keys: int) -> list[np.uint64]:
    """The least item of each of KEY_RANGES ranges of key numbers with about as many items each, and the bound
    past the last. The first keys seen are the common words: equal ranges of numbers put most items in one."""
    counts = sum((np.bincount((batch >> HIGH).astype(np.intp), minlength=keys) for batch in batches),
                 np.zeros(keys, dtype=np.int64))
    cumulative = np.cumsum(counts)
    cuts = np.searchsorted(cumulative, np.linspace(0, cumulative[-1] if keys else 0, KEY_RANGES + 1)[1:-1])
    return [np.uint64(key << 32) for key in sorted({0, *cuts.tolist(), keys})]


def topic_files(catalog: Catalog, enrichment: Enrichment) -> Iterator[tuple[str, bytes]]:
    numbers_by_topic: dict[str, list[int]] = {topic.name: [] for topic in enrichment.taxonomy.topics}
    for number, paper in enumerate(catalog.papers):
        for assignment in enrichment.topics_by_paper.get(paper.id, ()):
            numbers_by_topic[assignment.topic].append(number)
    for name, numbers in numbers_by_topic.items():
        yield layout.watch_topic_path(name), json_bytes(differences(numbers))


def paper_chunk_files(catalog: Catalog, enrichment: Enrichment) -> Iterator[tuple[str, bytes]]:
    """[id, title, topics, related paper numbers, the number of the dump that first listed it (dump_file)] of
    each paper, in chunks of WATCH_CHUNK_PAPERS."""
    size = layout.WATCH_CHUNK_PAPERS
    for chunk, start in enumerate(range(0, len(catalog.papers), size)):
        yield layout.watch_papers_path(chunk), json_bytes([
            [paper.id, paper.title, [item.topic for item in enrichment.topics_by_paper.get(paper.id, ())],
             [catalog.paper_numbers[item.paper_id] for item in enrichment.related_to(paper.id)],
             catalog.dump_numbers[paper.records[0].dump_id]]
            for paper in catalog.papers[start:start + size]])


def dump_file(catalog: Catalog, dump_names: dict[str, str]) -> bytes:
    """layout.WATCH_DUMPS_PATH: [slug, name] of every dump, in catalog order: where the papers of the Watch and
    For you pages were first listed, and the dump a paper page's neighbours share (papercat.js)."""
    return json_bytes([[catalog.dump_slugs[dump.id], dump_names[dump.id]] for dump in catalog.dumps])


def id_files(catalog: Catalog) -> Iterator[tuple[str, bytes]]:
    """Starred papers are kept by id: For you looks up their numbers in the file of their first two
    characters (ids are ASCII letters, digits and hyphens)."""
    shards: dict[str, dict[str, int]] = defaultdict(dict)
    for paper in catalog.papers:
        shards[paper.id[:2]][paper.id] = catalog.paper_numbers[paper.id]
    for shard in sorted(shards):
        yield layout.watch_ids_path(shard), json_bytes(shards[shard])


# ---------------------------------------------------------------------------------------------------------
# The filter of neighbouring words: a Bloom filter of every paper's pairs
#
# An item is a pair of neighbouring keys in a paper (watch_words.pair_hash), hashed with its paper's number;
# the filter is cut into pair_file_count files by the pair's hash, so that each pair of a phrase needs one
# small file. At PAIR_BITS_PER_ITEM bits and PAIR_HASHES hashes an item, about 1 pair in 120 that a paper
# lacks is taken for one it has.
PAIR_BITS_PER_ITEM = 10
PAIR_ITEMS_PER_FILE = 4096
PAIR_ITEMS_PER_PAPER = 150  # a paper's pairs, rounded up from the real corpus's 132: it sizes the files


def pair_file_count(papers: int) -> int:
    """How many files the filter is cut into: a power of two, so that each holds about PAIR_ITEMS_PER_FILE."""
    return 1 << max(0, (papers * PAIR_ITEMS_PER_PAPER // PAIR_ITEMS_PER_FILE - 1).bit_length())


def pair_filter_files(batches: list[np.ndarray], files: int) -> Iterator[tuple[str, bytes]]:
    """The Bloom filter of the items of `batches` (pair_items) in `files` files, by pair hash; no file for
    none. The items are taken a batch at a time, so that memory holds the filter and few more arrays."""
    mask = np.uint64(files - 1)
    counts = sum((np.bincount((batch & mask).astype(np.intp), minlength=files) for batch in batches),
                 np.zeros(files, dtype=np.int64))
    sizes = (counts * PAIR_BITS_PER_ITEM + 7) // 8  # bytes
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    flat = np.zeros(int(sizes.sum()) * 8, dtype=bool)
    for batch in batches:
        number, pair = unpacked(batch)
        file = (pair & mask).astype(np.intp)
        first_bit = (starts[file] * 8).astype(np.uint64)
        for positions in pair_bits(pair, number, (sizes[file] * 8).astype(np.uint64)):
            flat[first_bit + positions] = True
    packed = np.packbits(flat, bitorder="little")
    for file in np.flatnonzero(counts):
        yield layout.watch_pairs_path(int(file)), packed[starts[file]:starts[file] + sizes[file]].tobytes()


def differences(numbers: list[int]) -> list[int]:
    """Ascending numbers as the first one then the steps between them."""
    return [number - previous for previous, number in zip([0, *numbers], numbers)]


def json_bytes(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
