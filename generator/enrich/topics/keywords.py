"""Topic tagging, the keyword matcher: every keyword of every topic compiled once into one trie of words,
and the keywords a text holds, read once whatever their number; where phrases overlap, the longest wins."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import compress
from typing import TYPE_CHECKING

from ...text import KEYWORD_DASH_TABLE, MAX_READ_CHARS, nfkc_with_hyphens

if TYPE_CHECKING:
    from .values import Topic


WORD_OR_MARK = re.compile(r"\w+|[^\w\s-]")
ASCII_WORD_OR_MARK = re.compile(r"[a-z0-9_]+|[^ a-z0-9_-]")  # for normalised ASCII text only


def keyword_text(text: str) -> str:
    """Text as the rules see it: NFKC, casefolded, every dash a '-', every whitespace run one space. Not
    text.normalized_text, which makes papers' identities and must never change (addresses would move): this one
    changes with the rules' needs (its dashes, the length read) and only changes topics."""
    text = nfkc_with_hyphens(text[: MAX_READ_CHARS * 2], KEYWORD_DASH_TABLE)
    return " ".join(text.casefold().split())[:MAX_READ_CHARS]


def _tokens(normalised: str) -> list[str]:
    """Words and punctuation marks; marks stay as tokens so that no phrase matches across a comma or a
    full stop, while hyphens go, so "pre-training" is the two words of "pre training"."""
    # Same tokens; the ASCII-only expression is faster, and nearly every abstract is ASCII.
    tokenizer = ASCII_WORD_OR_MARK if normalised.isascii() else WORD_OR_MARK
    return tokenizer.findall(normalised)


def compact_spelling(phrase: str) -> str:
    """The form two spellings share when they differ only by spaces or hyphens (pre-training/pretraining)."""
    return phrase.replace(" ", "").replace("-", "")


# Compared by identity: each keyword of each topic is one object, and counting papers' matches hashes it
# millions of times.
@dataclass(frozen=True, eq=False)
class KeywordUse:
    """One topic's use of a keyword: the same phrase may serve several topics with different weights."""

    topic_index: int
    phrase: str
    weight: float
    title_only: bool = False


@dataclass(frozen=True)
class _TrieNode:
    """The keywords reachable after some words: filled while compiling, read-only afterwards."""

    children: dict[str, _TrieNode] = field(default_factory=dict)
    uses: list[KeywordUse] = field(default_factory=list)
    # Phrases ending in '*' here: the prefix of the next word -> uses, and the prefix lengths, longest first.
    wildcards: dict[str, list[KeywordUse]] = field(default_factory=dict)
    wildcard_lengths: list[int] = field(default_factory=list)

    def wildcard_match(self, token: str) -> list[KeywordUse]:
        """The uses of the longest `prefix*` keyword here that `token` starts with (an empty list if none)."""
        for length in self.wildcard_lengths:
            uses = self.wildcards.get(token[:length])
            if uses is not None and length <= len(token):
                return uses
        return []


@dataclass(frozen=True)
class CompiledRules:
    root: _TrieNode
    patterns: tuple[tuple[re.Pattern[str], KeywordUse], ...]


def compile_rules(topics: Sequence[Topic]) -> CompiledRules:
    root = _TrieNode()
    for topic_index, topic in enumerate(topics):
        uses = [KeywordUse(topic_index, keyword.phrase, keyword.weight) for keyword in topic.keywords] + [
            KeywordUse(topic_index, keyword.phrase, keyword.weight, title_only=True)
            for keyword in topic.title_keywords
        ]
        for use in uses:
            phrase = keyword_text(use.phrase)
            for tokens in _spelling_tokens(phrase.rstrip("*")):
                _add_to_trie(root, tokens, phrase.endswith("*"), use)
    patterns = tuple(
        (re.compile(pattern.regex), KeywordUse(topic_index, pattern.label, pattern.weight))
        for topic_index, topic in enumerate(topics)
        for pattern in topic.patterns
    )
    return CompiledRules(root=root, patterns=patterns)


def _add_to_trie(root: _TrieNode, tokens: tuple[str, ...], wildcard: bool, use: KeywordUse) -> None:
    node = root
    for token in tokens[:-1] if wildcard else tokens:
        node = node.children.setdefault(token, _TrieNode())
    uses = _wildcard_uses(node, tokens[-1]) if wildcard else node.uses
    if use not in uses:
        uses.append(use)


def _wildcard_uses(node: _TrieNode, prefix: str) -> list[KeywordUse]:
    """The uses list of `prefix*` at the node, made on first use."""
    if prefix not in node.wildcards:
        node.wildcards[prefix] = []
        node.wildcard_lengths[:] = sorted({len(known) for known in node.wildcards}, reverse=True)
    return node.wildcards[prefix]


def _spelling_tokens(phrase: str) -> set[tuple[str, ...]]:
    """Every token sequence of a normalised phrase: a hyphen may also be a space or nothing."""
    spellings: list[tuple[str, ...]] = [()]
    for word in phrase.split():
        spellings = [done + more for done in spellings for more in _hyphen_spellings(word)]
    return {spelling for spelling in spellings if spelling}


def _hyphen_spellings(word: str) -> list[tuple[str, ...]]:
    """The token sequences of one word: "re-rank" gives ("re", "rank") and ("rerank",)."""
    parts = [part for part in word.split("-") if part]
    joined: list[tuple[str, ...]] = [tuple(parts[:1])]
    for part in parts[1:]:
        joined = [done + (part,) for done in joined] + [done[:-1] + (done[-1] + part,) for done in joined]
    return [tuple(token for piece in pieces for token in _tokens(piece)) for pieces in joined]


@dataclass(frozen=True)
class _FirstWord:
    """What the rules know about a word where a match would start; looked up once per distinct word."""

    node: _TrieNode | None
    wildcard_uses: list[KeywordUse]
    # The match when no longer phrase goes on from this word, which is the common case.
    one_word_uses: list[KeywordUse]
    can_go_on: bool


def _first_word(token: str, rules: CompiledRules) -> _FirstWord | None:
    node = rules.root.children.get(token)
    wildcard_uses = rules.root.wildcard_match(token)
    if node is None and not wildcard_uses:
        return None
    # An exact one-word keyword beats a `prefix*` one.
    one_word_uses = node.uses if node is not None and node.uses else wildcard_uses
    can_go_on = node is not None and bool(node.children or node.wildcards)
    return _FirstWord(node, wildcard_uses, one_word_uses, can_go_on)


def _longest_match_at(tokens: list[str], start: int, first: _FirstWord) -> tuple[int, list[KeywordUse]]:
    """(end, uses) of the longest keyword starting at `start`; an exact phrase beats a `prefix*` of the
    same length. `end` is `start` when nothing matches."""
    best_end, best_uses = (start + 1, first.wildcard_uses) if first.wildcard_uses else (start, [])
    node, position = first.node, start + 1
    while node is not None:
        if node.uses and position >= best_end:
            best_end, best_uses = position, node.uses
        if position == len(tokens):
            break
        if node.wildcards:
            wildcard_uses = node.wildcard_match(tokens[position])
            if wildcard_uses and position + 1 > best_end:
                best_end, best_uses = position + 1, wildcard_uses
        node, position = node.children.get(tokens[position]), position + 1
    return best_end, best_uses


class WordMemo:
    """The rules' view of each distinct word seen in one batch: papers share most of their words, so
    each is looked up once. Lives only as long as one `tag_papers` call."""

    def __init__(self, rules: CompiledRules):
        self.rules = rules
        self.seen: set[str] = set()
        self.starters: dict[str, _FirstWord] = {}

    def starts(self, tokens: list[str]) -> list[int]:
        """The positions of the words where a keyword could start."""
        new_words = set(tokens).difference(self.seen)
        for token in new_words:
            first = _first_word(token, self.rules)
            if first is not None:
                self.starters[token] = first
        self.seen |= new_words
        return list(compress(range(len(tokens)), map(self.starters.__contains__, tokens)))


def keyword_counts(text: str, words: WordMemo) -> dict[KeywordUse, int]:
    """How often each keyword use occurs in already normalised text."""
    counts: dict[KeywordUse, int] = {}
    for uses in _matched_keywords(_tokens(text), words):
        for use in uses:
            counts[use] = counts.get(use, 0) + 1
    for regex, use in words.rules.patterns:
        found = sum(1 for _ in regex.finditer(text))
        if found:
            counts[use] = counts.get(use, 0) + found
    return counts


def _matched_keywords(tokens: list[str], words: WordMemo) -> list[list[KeywordUse]]:
    """The uses of each keyword match, left to right. Where phrases overlap, the longest one at a
    position wins and the words it covers start no other match. A word alone in brackets right after a
    match, "phrase (ABBR)", counts only for topics the phrase did not count for."""
    found: list[list[KeywordUse]] = []
    next_free = 0
    last = len(tokens) - 1
    starters = words.starters
    for start in words.starts(tokens):
        if start < next_free:
            continue
        first = starters[tokens[start]]
        node = first.node
        # Most words that could start a phrase are not followed by the rest of one: no walk needed.
        if node is not None and first.can_go_on and start < last and (
            tokens[start + 1] in node.children or node.wildcard_match(tokens[start + 1])
        ):
            end, uses = _longest_match_at(tokens, start, first)
        else:
            end, uses = start + 1, first.one_word_uses
        if uses and found and _abbreviates_last_match(tokens, start, next_free):
            # "reinforcement learning from human feedback (RLHF)" is one mention, not two.
            uses = _uses_of_other_topics(uses, found[-1])
        if uses:
            found.append(uses)
            next_free = end
    return found


def _abbreviates_last_match(tokens: list[str], start: int, last_match_end: int) -> bool:
    """Whether the word at `start` stands alone in brackets right after the last match: "phrase (ABBR)"."""
    return start == last_match_end + 1 and tokens[start - 1] == "(" and tokens[start + 1 : start + 2] == [")"]


def _uses_of_other_topics(uses: list[KeywordUse], last_uses: list[KeywordUse]) -> list[KeywordUse]:
    """The uses of an abbreviation for topics the phrase it abbreviates did not already count for."""
    counted = {use.topic_index for use in last_uses}
    return [use for use in uses if use.topic_index not in counted]
