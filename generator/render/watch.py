"""Render stage, the files the Watch and For you pages read: small JSON files, so that no page downloads the
whole catalog (site_src/assets/watch.js and for-you.js; the README has the layout and the measured sizes).

Papers are known by number: their place in order of first sighting (Catalog.paper_numbers), which listing
items and paper pages carry as `data-pc-n`. A watched word is looked up in the one file of its first two
characters; lists of numbers are written as the first number then the differences, which keeps them short.

Words match as search matches them (generator/text.py): whole words, case folded, a hyphenated word as a
whole and by its parts, a closed-up compound also when written as two words (`pretraining` = `pre-training`
= `pre training`), and a plural as its singular. watch.js applies the same rules to the words a reader
watches, with the compound parts this stage writes to meta.json.
"""
from __future__ import annotations

import functools
import json
import re
from collections import defaultdict
from collections.abc import Iterator

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from ..catalog import Catalog
from ..enrich import Enrichment
from ..text import CLOSED_COMPOUND, COMPOUND_PREFIXES, COMPOUND_STEMS, HYPHENS, WORD
from ..text import words as text_words
from . import layout

SHARD_CHARACTERS = re.compile(r"[a-z0-9]")
PREFIXES = frozenset(COMPOUND_PREFIXES)


def watch_list_files(catalog: Catalog, enrichment: Enrichment) -> Iterator[tuple[str, bytes]]:
    """The files of the watch/ folder that show no related papers: all but paper_chunk_files. Each file of the
    folder is a deterministic function of the catalog."""
    yield layout.WATCH_META_PATH, json_bytes({
        "papers": len(catalog.papers), "chunk": layout.WATCH_CHUNK_PAPERS,
        "compound_prefixes": list(COMPOUND_PREFIXES), "compound_stems": list(COMPOUND_STEMS),
        "topics": {topic.name: topic.title for topic in enrichment.taxonomy.topics},
        "stop_words": sorted(ENGLISH_STOP_WORDS),
    })
    yield from word_index_files(catalog)
    yield from topic_files(catalog, enrichment)
    yield from id_files(catalog)


def word_index_files(catalog: Catalog) -> Iterator[tuple[str, bytes]]:
    numbers_by_key: dict[str, list[int]] = defaultdict(list)
    for number, paper in enumerate(catalog.papers):
        # In any order: each key's numbers still ascend, and json_bytes sorts the keys.
        for key in watch_keys(f"{paper.title}\n{paper.abstract}"):
            numbers_by_key[key].append(number)
    shards: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for key, numbers in numbers_by_key.items():
        shards[word_shard(key)][key] = differences(numbers)
    for shard in sorted(shards):
        yield layout.watch_words_path(shard), json_bytes(shards[shard])


def topic_files(catalog: Catalog, enrichment: Enrichment) -> Iterator[tuple[str, bytes]]:
    numbers_by_topic: dict[str, list[int]] = {topic.name: [] for topic in enrichment.taxonomy.topics}
    for number, paper in enumerate(catalog.papers):
        for assignment in enrichment.topics_by_paper.get(paper.id, ()):
            numbers_by_topic[assignment.topic].append(number)
    for name, numbers in numbers_by_topic.items():
        yield layout.watch_topic_path(name), json_bytes(differences(numbers))


def paper_chunk_files(catalog: Catalog, enrichment: Enrichment) -> Iterator[tuple[str, bytes]]:
    """[id, title, topics, related paper numbers] of each paper, in chunks of WATCH_CHUNK_PAPERS."""
    size = layout.WATCH_CHUNK_PAPERS
    for chunk, start in enumerate(range(0, len(catalog.papers), size)):
        yield layout.watch_papers_path(chunk), json_bytes([
            [paper.id, paper.title, [item.topic for item in enrichment.topics_by_paper.get(paper.id, ())],
             [catalog.paper_numbers[item.paper_id] for item in enrichment.related_by_paper.get(paper.id, ())]]
            for paper in catalog.papers[start:start + size]])


def id_files(catalog: Catalog) -> Iterator[tuple[str, bytes]]:
    """Starred papers are kept by id: For you looks up their numbers in the file of their first two
    characters (ids are ASCII letters, digits and hyphens)."""
    shards: dict[str, dict[str, int]] = defaultdict(dict)
    for paper in catalog.papers:
        shards[paper.id[:2]][paper.id] = catalog.paper_numbers[paper.id]
    for shard in sorted(shards):
        yield layout.watch_ids_path(shard), json_bytes(shards[shard])


def watch_keys(text: str) -> set[str]:
    """The keys under which a watched word finds this text: each word, each part of a hyphenated word, and
    two words that make a closed-up compound, normalised by `word_key`. Stop words are left out."""
    words = text_words(text.lower()) if text.isascii() else list(map(str.lower, text_words(text)))
    keys = set().union(*map(keys_of_word, set(words)))
    # Only where a prefix stands as a word of its own: most texts have none, and few have many.
    for prefix in PREFIXES.intersection(words):
        for position in positions_of(prefix, words[:-1]):
            if is_split_compound(prefix, words[position + 1]):
                keys.add(word_key(prefix + words[position + 1]))
    return keys


def positions_of(word: str, words: list[str]) -> Iterator[int]:
    position = -1
    for _ in range(words.count(word)):
        position = words.index(word, position + 1)
        yield position


# Words repeat across a catalog's abstracts: a bounded cache makes each distinct word cost once.
@functools.lru_cache(maxsize=1 << 16)
def keys_of_word(word: str) -> frozenset[str]:
    """A lower-case word's own keys: the word, and a hyphenated word's parts and its parts joined."""
    parts = HYPHENS.split(word)
    return frozenset(word_key(part) for part in {*parts, "".join(parts)} if part not in ENGLISH_STOP_WORDS)


def term_keys(term: str) -> list[str]:
    """The keys a watched word or phrase needs, every one of them: what watch.js computes in the browser."""
    words = [word.lower() for word in WORD.findall(term)]
    words = [word for word in words if word not in ENGLISH_STOP_WORDS] or words
    keys, position = [], 0
    while position < len(words):
        if position + 1 < len(words) and is_split_compound(words[position], words[position + 1]):
            keys.append(word_key(words[position] + words[position + 1]))
            position += 2
        else:
            keys.append(word_key("".join(HYPHENS.split(words[position]))))
            position += 1
    return list(dict.fromkeys(keys))


def is_split_compound(first: str, second: str) -> bool:
    """`pre` `training`: a compound search also knows closed up (`pretraining`)."""
    match = CLOSED_COMPOUND.fullmatch(first + second)
    return match is not None and match[1] == first


def word_key(word: str) -> str:
    """A lower-case word as its singular: `models` -> model, `LLMs` -> llm, `studies` -> study."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def word_shard(key: str) -> str:
    """The file a key is in: its first two characters, each outside a-z and 0-9 written `_`."""
    return shard_of_start(key[:2])


@functools.lru_cache(maxsize=1 << 12)
def shard_of_start(start: str) -> str:
    return "".join(char if SHARD_CHARACTERS.fullmatch(char) else "_" for char in start.ljust(2, "_"))


def differences(numbers: list[int]) -> list[int]:
    """Ascending numbers as the first one then the steps between them."""
    return [number - previous for previous, number in zip([0, *numbers], numbers)]


def json_bytes(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
