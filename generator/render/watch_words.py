"""Render stage, what a watched word or phrase matches: the keys of a text's words and the hashes of its
neighbouring words. site_src/assets/reader-data.js computes the same for what a reader watches (the tests
hold the two together); generator/render/watch.py builds the Watch files from these.

Words match as search matches them (generator/text.py): whole words, case folded, a hyphenated word as a
whole and by its parts, a closed-up compound also when written as two words (`pretraining` = `pre-training`
= `pre training`), and a plural as its singular. reader-data.js applies the same rules to the words a reader
watches, with the compound parts the Watch files' meta.json gives it.

A phrase matches a paper whose text has its words next to each other, stop words between them aside
(phrase_keys): a pair of neighbouring keys is hashed as reader-data.js hashes it, CRC-32 of each key's UTF-8
bytes, then the finaliser of MurmurHash3 over products modulo 2**32.
"""
from __future__ import annotations

import functools
import itertools
import re
import unicodedata
import zlib
from collections.abc import Iterator

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from ..text import CLOSED_COMPOUND, COMPOUND_PREFIXES, HYPHENS, NAME_MAX_PARTS
from ..text import words as text_words

SHARD_CHARACTERS = re.compile(r"[a-z0-9]")
PREFIXES = frozenset(COMPOUND_PREFIXES)
DOTTED_I = "i\u0307"  # `İ` lower-cased


def lower_words(text: str) -> list[str]:
    """The words of `text`, lower case, in order. ASCII text is lower-cased first (the same words, found
    faster); other text in Unicode form NFKC (`Café` is one word however its accent is written, `ﬁne` is
    `fine`), then word by word, as `İ` lower-cased is `i` and a combining dot, which splits a word; that dot is
    then dropped, so that `istanbul` finds `İstanbul`. What reader-data.js's lowerWords does to a watched word."""
    if text.isascii():
        return text_words(text.lower())
    return [word.lower().replace(DOTTED_I, "i") for word in text_words(unicodedata.normalize("NFKC", text))]


def watch_keys(text: str) -> set[str]:
    """The keys under which a watched word finds this text: each word, each part of a hyphenated word, and
    two words that make a closed-up compound, normalised by `word_key`. Stop words are left out."""
    return keys_of_words(lower_words(text))


def keys_of_words(words: list[str]) -> set[str]:
    """watch_keys of the text whose lower-case words are `words`."""
    return set().union(*map(keys_of_word, set(words)), split_compound_keys(words))


def split_compound_keys(words: list[str]) -> set[str]:
    """The keys of the compounds that lower-case `words` write as two words (`pre training`)."""
    # Only where a prefix stands as a word of its own: most texts have none, and few have many.
    return {word_key(prefix + words[position + 1]) for prefix in PREFIXES.intersection(words)
            for position in positions_of(prefix, words[:-1]) if is_split_compound(prefix, words[position + 1])}


def positions_of(word: str, words: list[str]) -> Iterator[int]:
    position = -1
    for _ in range(words.count(word)):
        position = words.index(word, position + 1)
        yield position


# Words repeat across a catalog's abstracts: a bounded cache makes each distinct word cost once.
@functools.lru_cache(maxsize=1 << 16)
def keys_of_word(word: str) -> frozenset[str]:
    """A lower-case word's own keys: the word, and a hyphenated word's parts and its first parts joined, two or
    more of them: a watched `Qwen2.5-VL` (keys qwen2, 5vl) finds `Qwen2.5-VL-7B` (5-vl-7b gives 5vl too), as
    a model family is written with its sizes. Of a longer word than NAME_MAX_PARTS, its first parts are joined up
    to that many, and the whole word."""
    parts = HYPHENS.split(word)
    joined = {"".join(parts[:count]) for count in range(2, min(len(parts), NAME_MAX_PARTS) + 1)}
    joined.add("".join(parts))
    return frozenset(word_key(part) for part in {*parts, *joined} if part not in ENGLISH_STOP_WORDS)


def term_keys(term: str) -> list[str]:
    """The keys a watched word or phrase needs, every one of them: what reader-data.js's termKeys computes in the
    browser."""
    words = lower_words(term)
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


# ---------------------------------------------------------------------------------------------------------
# Phrases: the keys of neighbouring words, and their hashes
#
# The filter of neighbouring words (watch.pair_filter_files) sets PAIR_HASHES bits for each pair of a paper.
PAIR_HASHES = 7
GOLDEN = 0x9E3779B1
SECOND_SEED = 0x5BD1E995
MASK = 0xFFFFFFFF


def phrase_keys(words: list[str], lookups: WordLookups | None = None) -> list:
    """The keys of lower-case `words` in order, as a phrase is matched: stop words left out, a hyphenated word
    as its parts, a split compound closed up (`pre-training data`, `pre training data` and `pretraining data`
    are all pretraining, data). With `lookups`, each key is as `lookups.key` gives it (its hash)."""
    lookups = lookups or WordLookups(word_key)
    keys = list(itertools.chain.from_iterable(map(lookups.keys_of_word.__getitem__, words)))
    if lookups.open_words.isdisjoint(words):
        return keys
    # A word ends in a compound's prefix: the compound may close up across words (`pre training`).
    return closed_up(list(itertools.chain.from_iterable(map(word_parts, words))), lookups.key)


def closed_up(tokens: list[str], key) -> list:
    """`key` of each token, two that make a split compound as one (`pre` `training` -> pretraining)."""
    keys = list(map(key.__getitem__, tokens))
    # Most texts have a prefix somewhere but few a split compound: only those places are looked at.
    compounds = without_overlaps(sorted(position for prefix in PREFIXES.intersection(tokens[:-1])
                                        for position in positions_of(prefix, tokens[:-1])
                                        if is_split_compound(prefix, tokens[position + 1])))
    if not compounds:
        return keys
    # In one pass: replacing each compound's two keys in place moved every key after it, once per compound.
    joined, starts = [], set(compounds)
    position = 0
    while position < len(tokens):
        if position in starts:
            joined.append(key[tokens[position] + tokens[position + 1]])
            position += 2
        else:
            joined.append(keys[position])
            position += 1
    return joined


def phrase_forms(term: str) -> list[list[str]]:
    """The keys a watched phrase needs next to each other in a paper's phrase_keys, in either of two forms:
    each hyphenated word as its parts, or as one word (`GPT-4 model` is found where a paper writes `GPT4
    model`). What reader-data.js computes in the browser."""
    words = lower_words(term)
    joined = [HYPHENS.sub("", word) for word in words if word not in ENGLISH_STOP_WORDS]
    return [phrase_keys(words), phrase_keys(joined)]


class Memo(dict):
    """`function` of each key, computed once: words repeat across a catalog's abstracts."""

    def __init__(self, function) -> None:
        super().__init__()
        self._function = function

    def __missing__(self, key):
        value = self[key] = self._function(key)
        return value


class WordLookups:
    """What phrase_keys looks up for each word or token, made once per catalog: `key` gives a token's key, or
    whatever stands for it, `keys_of_word` a word's keys on its own, and `open_words` holds the words seen so
    far whose last part is a compound's prefix, which may close up with the next word."""

    def __init__(self, key) -> None:
        self.key = Memo(key)
        self.keys_of_word = Memo(self._keys_of_word)
        self.open_words: set[str] = set()

    def _keys_of_word(self, word: str) -> tuple:
        parts = word_parts(word)
        if parts and parts[-1] in PREFIXES:
            self.open_words.add(word)
        return tuple(closed_up(list(parts), self.key))


def word_parts(word: str) -> tuple[str, ...]:
    """The parts of a lower-case word that are not stop words; none for a stop word."""
    if word in ENGLISH_STOP_WORDS:
        return ()
    return tuple(part for part in HYPHENS.split(word) if part not in ENGLISH_STOP_WORDS)


def without_overlaps(positions: list[int]) -> list[int]:
    """Ascending `positions` of two-token compounds, left to right, none taking the token another took."""
    kept: list[int] = []
    for position in positions:
        if not kept or position >= kept[-1] + 2:
            kept.append(position)
    return kept


def pair_key_hash(token: str) -> int:
    """The hash of a token's key, as reader-data.js computes it: CRC-32 of its UTF-8 bytes."""
    return zlib.crc32(word_key(token).encode("utf-8"))


def mix(first, second):
    """first * GOLDEN + second, modulo 2**32 (numpy arrays of uint64 below 2**32, or ints)."""
    return (first * GOLDEN + second) & MASK


def finalised(value):
    """MurmurHash3's 32-bit finaliser."""
    value = value ^ (value >> 16)
    value = (value * 0x85EBCA6B) & MASK
    value = value ^ (value >> 13)
    value = (value * 0xC2B2AE35) & MASK
    return value ^ (value >> 16)


def pair_hash(first_key_hash, second_key_hash):
    return finalised(mix(first_key_hash, second_key_hash))


def pair_bits(pair, number, bits) -> Iterator:
    """The PAIR_HASHES bits of the item (pair, number) in a file of `bits` bits (ints, or numpy arrays)."""
    first = finalised(mix(pair, number))
    step = finalised(first ^ SECOND_SEED) | 1
    return ((first + index * step) % bits for index in range(PAIR_HASHES))


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
