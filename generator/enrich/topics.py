"""Topic tagging: weighted keyword rules read from taxonomy.yml, plus curator overrides from tags.yml.

Every paper gets one to `max_topics` topics from its title and abstract. A topic's score is the sum of the
weights of its keywords found in the text; a title match counts `title_weight` times an abstract match.
Each assigned topic carries the keywords that gave it (its evidence), so a reader can see why it is there.
taxonomy.yml's header explains the rules as a curator sees them.

All keywords of all topics are compiled once per taxonomy into one trie of words, so a text is read once
whatever the number of keywords; `tag_papers` also looks each distinct word up only once per batch.
"""
from __future__ import annotations

import difflib
import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import compress
from pathlib import Path
from types import MappingProxyType

import yaml

from generator.errors import InputError, InputProblem
from generator.text import KEYWORD_DASH_TABLE, nfkc_with_hyphens

TOPIC_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
CURATOR_EVIDENCE = "added by a curator in tags.yml"
MAX_TOPICS_ALLOWED = 4  # pages and feeds promise readers at most four topics a paper

# Real abstracts are under 5,000 characters; a hostile 1 MB "abstract" is cut so it costs no more than a
# few long ones. The cut is deterministic, so the same input always gets the same topics.
MAX_MATCHED_CHARS = 20_000

WORD_OR_MARK = re.compile(r"\w+|[^\w\s-]")
ASCII_WORD_OR_MARK = re.compile(r"[a-z0-9_]+|[^ a-z0-9_-]")  # for normalised ASCII text only


# ---------------------------------------------------------------------------------------------------------
# Values


@dataclass(frozen=True)
class Keyword:
    """One phrase of a topic and its weight, as written in taxonomy.yml."""

    phrase: str
    weight: float


@dataclass(frozen=True)
class Pattern:
    """A regular expression rule of a topic; `label` is what the evidence shows instead of the regex."""

    label: str
    regex: str
    weight: float


@dataclass(frozen=True)
class Topic:
    name: str
    title: str
    description: str
    keywords: tuple[Keyword, ...] = ()
    # Counted only when in the title: "Dataset" in a title says much more than "dataset" in an abstract.
    title_keywords: tuple[Keyword, ...] = ()
    patterns: tuple[Pattern, ...] = ()
    # Overrides the global setting for topics that say what kind of paper it is ("introduces a dataset")
    # rather than what it is about, and so should not be judged against the subject topics' scores.
    relative_threshold: float | None = None


@dataclass(frozen=True)
class TaggingSettings:
    """The global knobs of the tagger, as taxonomy.yml ships them; no fallback_topic means the first topic."""

    threshold: float = 5.0
    relative_threshold: float = 0.25
    max_topics: int = 4
    title_weight: float = 3.0
    max_repeats: int = 2
    fallback_topic: str = ""


@dataclass(frozen=True)
class TopicAssignment:
    """One topic of one paper. `source` is "rules", "weak" (best guess below the threshold) or "curator"."""

    topic: str
    score: float
    evidence: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class RetiredTopic:
    """A topic an earlier taxonomy had: its page and feed stay, pointing readers to the topics that replaced it."""

    name: str
    title: str
    replaced_by: tuple[str, ...]


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[Topic, ...]
    settings: TaggingSettings = TaggingSettings()
    retired: tuple[RetiredTopic, ...] = ()
    # Compiled once per taxonomy so that tagging a paper never compiles a regex.
    rules: _CompiledRules = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rules", _compile_rules(self.topics))

    def by_name(self, name: str) -> Topic | None:
        """The topic called `name`, or None."""
        return next((topic for topic in self.topics if topic.name == name), None)

    def retired_by_name(self, name: str) -> RetiredTopic | None:
        """The retired topic called `name`, or None."""
        return next((retired for retired in self.retired if retired.name == name), None)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(topic.name for topic in self.topics)


@dataclass(frozen=True)
class Override:
    """A curator's correction for one paper."""

    add: tuple[str, ...]
    remove: tuple[str, ...]


@dataclass(frozen=True)
class Overrides:
    by_address: Mapping[str, Override] = field(default_factory=lambda: MappingProxyType({}))
    max_topics: int = TaggingSettings.max_topics

    def for_address(self, address: str) -> Override | None:
        return self.by_address.get(address)


# ---------------------------------------------------------------------------------------------------------
# Text normalisation


def normalise_text(text: str) -> str:
    """Text as the rules see it: NFKC, casefolded, every dash a '-', every whitespace run one space."""
    text = nfkc_with_hyphens(text[: MAX_MATCHED_CHARS * 2], KEYWORD_DASH_TABLE)
    return " ".join(text.casefold().split())[:MAX_MATCHED_CHARS]


def _tokens(normalised: str) -> list[str]:
    """Words and punctuation marks; marks stay as tokens so that no phrase matches across a comma or a
    full stop, while hyphens go, so "pre-training" is the two words of "pre training"."""
    # Same tokens; the ASCII-only expression is faster, and nearly every abstract is ASCII.
    tokenizer = ASCII_WORD_OR_MARK if normalised.isascii() else WORD_OR_MARK
    return tokenizer.findall(normalised)


def _compact(phrase: str) -> str:
    """The form two spellings share when they differ only by spaces or hyphens (pre-training/pretraining)."""
    return phrase.replace(" ", "").replace("-", "")


# ---------------------------------------------------------------------------------------------------------
# Compiled rules


# Compared by identity: each keyword of each topic is one object, and counting papers' matches hashes it
# millions of times.
@dataclass(frozen=True, eq=False)
class _KeywordUse:
    """One topic's use of a keyword: the same phrase may serve several topics with different weights."""

    topic_index: int
    phrase: str
    weight: float
    title_only: bool = False


@dataclass(frozen=True)
class _TrieNode:
    """The keywords reachable after some words: filled while compiling, read-only afterwards."""

    children: dict[str, _TrieNode] = field(default_factory=dict)
    uses: list[_KeywordUse] = field(default_factory=list)
    # Phrases ending in '*' here: the prefix of the next word -> uses, and the prefix lengths, longest first.
    wildcards: dict[str, list[_KeywordUse]] = field(default_factory=dict)
    wildcard_lengths: list[int] = field(default_factory=list)

    def wildcard_match(self, token: str) -> list[_KeywordUse]:
        """The uses of the longest `prefix*` keyword here that `token` starts with (an empty list if none)."""
        for length in self.wildcard_lengths:
            uses = self.wildcards.get(token[:length])
            if uses is not None and length <= len(token):
                return uses
        return []


@dataclass(frozen=True)
class _CompiledRules:
    root: _TrieNode
    patterns: tuple[tuple[re.Pattern[str], _KeywordUse], ...]


def _compile_rules(topics: Sequence[Topic]) -> _CompiledRules:
    root = _TrieNode()
    for topic_index, topic in enumerate(topics):
        uses = [_KeywordUse(topic_index, keyword.phrase, keyword.weight) for keyword in topic.keywords] + [
            _KeywordUse(topic_index, keyword.phrase, keyword.weight, title_only=True)
            for keyword in topic.title_keywords
        ]
        for use in uses:
            phrase = normalise_text(use.phrase)
            for tokens in _spelling_tokens(phrase.rstrip("*")):
                _add_to_trie(root, tokens, phrase.endswith("*"), use)
    patterns = tuple(
        (re.compile(pattern.regex), _KeywordUse(topic_index, pattern.label, pattern.weight))
        for topic_index, topic in enumerate(topics)
        for pattern in topic.patterns
    )
    return _CompiledRules(root=root, patterns=patterns)


def _add_to_trie(root: _TrieNode, tokens: tuple[str, ...], wildcard: bool, use: _KeywordUse) -> None:
    node = root
    for token in tokens[:-1] if wildcard else tokens:
        node = node.children.setdefault(token, _TrieNode())
    uses = _wildcard_uses(node, tokens[-1]) if wildcard else node.uses
    if use not in uses:
        uses.append(use)


def _wildcard_uses(node: _TrieNode, prefix: str) -> list[_KeywordUse]:
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
    wildcard_uses: list[_KeywordUse]
    # The match when no longer phrase goes on from this word, which is the common case.
    one_word_uses: list[_KeywordUse]
    can_go_on: bool


def _first_word(token: str, rules: _CompiledRules) -> _FirstWord | None:
    node = rules.root.children.get(token)
    wildcard_uses = rules.root.wildcard_match(token)
    if node is None and not wildcard_uses:
        return None
    # An exact one-word keyword beats a `prefix*` one.
    one_word_uses = node.uses if node is not None and node.uses else wildcard_uses
    can_go_on = node is not None and bool(node.children or node.wildcards)
    return _FirstWord(node, wildcard_uses, one_word_uses, can_go_on)


def _longest_match_at(tokens: list[str], start: int, first: _FirstWord) -> tuple[int, list[_KeywordUse]]:
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


# ---------------------------------------------------------------------------------------------------------
# Tagging


def tag_paper(title: str, abstract: str, taxonomy: Taxonomy) -> tuple[TopicAssignment, ...]:
    """1 to max_topics topics for one paper, sorted by score (highest first), then by topic name."""
    return tag_papers([(title, abstract)], taxonomy)[0]


def tag_papers(
    texts: Sequence[tuple[str, str]], taxonomy: Taxonomy
) -> list[tuple[TopicAssignment, ...]]:
    """`tag_paper` for each (title, abstract), in order, in time linear in the total text length."""
    words = _WordMemo(taxonomy.rules)
    return [_tagged(title, abstract, taxonomy, words) for title, abstract in texts]


class _WordMemo:
    """The rules' view of each distinct word seen in one batch: papers share most of their words, so
    each is looked up once. Lives only as long as one `tag_papers` call."""

    def __init__(self, rules: _CompiledRules):
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


def _tagged(title: str, abstract: str, taxonomy: Taxonomy, words: _WordMemo) -> tuple[TopicAssignment, ...]:
    matches = _Matches(
        title_counts=_keyword_counts(normalise_text(title), words),
        abstract_counts=_keyword_counts(normalise_text(abstract), words),
    )
    return _chosen_topics(_contributions_by_topic(matches, taxonomy.settings), matches, taxonomy)


def _keyword_counts(text: str, words: _WordMemo) -> dict[_KeywordUse, int]:
    """How often each keyword use occurs in already normalised text."""
    counts: dict[_KeywordUse, int] = {}
    for uses in _matched_keywords(_tokens(text), words):
        for use in uses:
            counts[use] = counts.get(use, 0) + 1
    for regex, use in words.rules.patterns:
        found = sum(1 for _ in regex.finditer(text))
        if found:
            counts[use] = counts.get(use, 0) + found
    return counts


def _matched_keywords(tokens: list[str], words: _WordMemo) -> list[list[_KeywordUse]]:
    """The uses of each keyword match, left to right. Where phrases overlap, the longest one at a
    position wins and the words it covers start no other match."""
    found: list[list[_KeywordUse]] = []
    next_free = 0
    last = len(tokens) - 1
    starters = words.starters
    for start in words.starts(tokens):
        if start < next_free:
            continue
        first = starters[tokens[start]]
        # Most words that could start a phrase are not followed by the rest of one: no walk needed.
        if first.can_go_on and start < last and (
            tokens[start + 1] in first.node.children or first.node.wildcard_match(tokens[start + 1])
        ):
            end, uses = _longest_match_at(tokens, start, first)
        else:
            end, uses = start + 1, first.one_word_uses
        if uses:
            found.append(uses)
            next_free = end
    return found


@dataclass(frozen=True)
class _Matches:
    """How often each keyword use was found in the title and in the abstract of one paper."""

    title_counts: Mapping[_KeywordUse, int]
    abstract_counts: Mapping[_KeywordUse, int]

    def uses(self) -> dict[_KeywordUse, None]:
        """Every matched use once, in the order found (a dict keeps the order deterministic)."""
        return dict.fromkeys((*self.title_counts, *self.abstract_counts))

    def abstract_count(self, use: _KeywordUse) -> int:
        return 0 if use.title_only else self.abstract_counts.get(use, 0)


_Contributions = dict[int, list[tuple[_KeywordUse, float]]]


def _contributions_by_topic(matches: _Matches, settings: TaggingSettings) -> _Contributions:
    """Each matched use with what it adds to its topic's score: weight x (title_weight if in the title
    + the abstract count, at most max_repeats); by topic index."""
    contributions: _Contributions = {}
    title_counts, abstract_counts = matches.title_counts, matches.abstract_counts
    for use in matches.uses():
        in_title = settings.title_weight if use in title_counts else 0.0
        in_abstract = 0 if use.title_only else min(abstract_counts.get(use, 0), settings.max_repeats)
        contributions.setdefault(use.topic_index, []).append((use, use.weight * (in_title + in_abstract)))
    return contributions


def _chosen_topics(
    contributions: _Contributions, matches: _Matches, taxonomy: Taxonomy
) -> tuple[TopicAssignment, ...]:
    """The topics that pass both thresholds, best first; else the best one, marked weak; else the fallback."""
    settings = taxonomy.settings
    scores = {index: sum(value for _, value in parts) for index, parts in contributions.items()}
    ranked = sorted(scores.items(), key=lambda item: (-item[1], taxonomy.topics[item[0]].name))
    best = ranked[0][1] if ranked else 0.0
    chosen = [
        (index, score)
        for index, score in ranked
        if score > 0 and score >= max(settings.threshold, _relative_threshold(taxonomy, index) * best)
    ]
    source = "rules"
    if not chosen and best > 0:
        chosen, source = ranked[:1], "weak"
    if not chosen:
        return (_fallback_assignment(taxonomy),)
    return tuple(
        TopicAssignment(
            taxonomy.topics[index].name, round(score, 6), _evidence(contributions[index], matches), source
        )
        for index, score in chosen[: settings.max_topics]
    )


def _relative_threshold(taxonomy: Taxonomy, topic_index: int) -> float:
    own = taxonomy.topics[topic_index].relative_threshold
    return taxonomy.settings.relative_threshold if own is None else own


def _evidence(contributions: list[tuple[_KeywordUse, float]], matches: _Matches) -> tuple[str, ...]:
    """The topic's matched keywords that count for it, strongest first: "clip (title, abstract ×3)".

    A phrase listed both in `keywords` and `title_keywords` is shown once.
    """
    value_by_phrase: dict[str, float] = {}
    in_title: set[str] = set()
    abstract_count_by_phrase: dict[str, int] = {}
    for use, value in contributions:
        phrase = use.phrase
        value_by_phrase[phrase] = value_by_phrase.get(phrase, 0.0) + value
        if use in matches.title_counts:
            in_title.add(phrase)
        abstract_count = matches.abstract_count(use)
        abstract_count_by_phrase[phrase] = max(abstract_count_by_phrase.get(phrase, 0), abstract_count)
    strongest_first = sorted(value_by_phrase.items(), key=lambda item: (-item[1], item[0]))
    return tuple(
        _evidence_label(phrase, phrase in in_title, abstract_count_by_phrase[phrase])
        for phrase, value in strongest_first
        if value > 0
    )


def _evidence_label(phrase: str, in_title: bool, abstract_count: int) -> str:
    places = ["title"] if in_title else []
    if abstract_count:
        places.append(f"abstract ×{abstract_count}" if abstract_count > 1 else "abstract")
    return f"{phrase} ({', '.join(places)})"


def _fallback_assignment(taxonomy: Taxonomy) -> TopicAssignment:
    """For text where no topic scored above zero (empty or non-scientific text)."""
    name = taxonomy.settings.fallback_topic or taxonomy.topics[0].name
    evidence = f"no topic's keywords matched; {name} is the fallback_topic of taxonomy.yml"
    return TopicAssignment(name, 0.0, (evidence,), "weak")


# ---------------------------------------------------------------------------------------------------------
# Curator overrides


def apply_overrides(
    address: str, assignments: Sequence[TopicAssignment], overrides: Overrides
) -> tuple[TopicAssignment, ...]:
    """The paper's topics after the curator's `remove` and `add` for its address in tags.yml.

    Curator topics come first, with the best remaining score so the order stays "score, highest first".
    Zero topics happen only when the curator removed every topic the rules gave and added none.
    """
    override = overrides.for_address(address)
    if override is None:
        return tuple(assignments)
    kept = [a for a in assignments if a.topic not in override.remove and a.topic not in override.add]
    top_score = max((a.score for a in assignments if a.topic not in override.remove), default=0.0)
    added = [
        TopicAssignment(topic, top_score, (CURATOR_EVIDENCE,), "curator") for topic in override.add
    ]
    return tuple(added + kept)[: max(overrides.max_topics, len(added))]


# ---------------------------------------------------------------------------------------------------------
# Loading taxonomy.yml


TAXONOMY_KEYS = ("settings", "retired", "topics")
TOPIC_KEYS = ("name", "title", "description", "relative_threshold", "keywords", "title_keywords", "patterns")
RETIRED_KEYS = ("title", "replaced_by")
REQUIRED_TOPIC_KEYS = ("name", "title", "description")
PATTERN_KEYS = ("label", "regex", "weight")
SETTINGS_KEYS = tuple(TaggingSettings.__dataclass_fields__)


class _Problems:
    """Collects the problems of one input file, so every one of them is reported at once."""

    def __init__(self, file: str):
        self.file = file
        self.found: list[InputProblem] = []

    def add(self, node: yaml.Node | None, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        self.found.append(InputProblem(self.file, line, message))

    def raise_if_any(self) -> None:
        if self.found:
            raise InputError(self.found)


def load_taxonomy(path: Path) -> Taxonomy:
    """The taxonomy in `path`; raises InputError naming FILE:LINE for every problem found."""
    problems = _Problems(str(path))
    root = _composed_yaml(path, problems, missing_ok=False)
    problems.raise_if_any()
    pairs = _mapping_pairs(root, problems, "the taxonomy", TAXONOMY_KEYS)
    topics = _topics_from(pairs.get("topics"), root, problems)
    settings = _settings_from(pairs.get("settings"), topics, problems)
    retired = _retired_from(pairs.get("retired"), topics, problems)
    problems.raise_if_any()
    return Taxonomy(topics=topics, settings=settings, retired=retired)


def _composed_yaml(path: Path, problems: _Problems, missing_ok: bool) -> yaml.Node | None:
    """The YAML node tree of the file (kept as nodes for their line numbers), or None."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if not missing_ok:
            problems.add(None, "file not found; expected a YAML file with a `topics:` list")
        return None
    except (OSError, UnicodeDecodeError) as error:
        problems.add(None, f"cannot read the file ({error}); expected a readable UTF-8 text file")
        return None
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        reason = getattr(error, "problem", None) or "not valid YAML"
        problems.found.append(InputProblem(problems.file, line, f"{reason}; expected valid YAML"))
        return None


def _mapping_pairs(
    node: yaml.Node | None, problems: _Problems, what: str, allowed: Sequence[str] | None
) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    """The mapping's entries by key as (key node, value node); reports non-mappings, unknown keys, repeats."""
    if not isinstance(node, yaml.MappingNode):
        expected = f"keys {', '.join(allowed)}" if allowed else "key: value lines"
        problems.add(node, f"{what} is not a mapping; expected {expected}")
        return {}
    pairs: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(key, str) or not key:
            problems.add(key_node, f"a key of {what} is not text; expected plain text keys")
        elif allowed is not None and key not in allowed:
            problems.add(key_node, f"unknown key '{key}' in {what}; expected one of {', '.join(allowed)}")
        elif key in pairs:
            first = pairs[key][0].start_mark.line + 1
            problems.add(key_node, f"'{key}' appears twice in {what} (first on line {first}); expected once")
        else:
            pairs[key] = (key_node, value_node)
    return pairs


def _topics_from(
    entry: tuple[yaml.Node, yaml.Node] | None, root: yaml.Node, problems: _Problems
) -> tuple[Topic, ...]:
    if entry is None:
        problems.add(root, "no `topics:` list; expected `topics:` with at least one topic")
        return ()
    key_node, node = entry
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        problems.add(key_node, "`topics:` is not a non-empty list; expected a list of topics (`- name: ...`)")
        return ()
    topics = [_topic_from(item, problems) for item in node.value]
    _report_duplicate_names(node.value, problems)
    return tuple(topic for topic in topics if topic is not None)


def _topic_from(node: yaml.Node, problems: _Problems) -> Topic | None:
    pairs = _mapping_pairs(node, problems, "a topic", TOPIC_KEYS)
    for key in REQUIRED_TOPIC_KEYS:
        if key not in pairs and isinstance(node, yaml.MappingNode):
            problems.add(node, f"topic has no `{key}:`; expected {key}, as in the other topics")
    name = _text_value(pairs.get("name"), problems)
    if name is not None and not TOPIC_NAME.match(name):
        problems.add(
            pairs["name"][1],
            f"topic name '{name}' is not a valid tag; expected lowercase letters, digits and '-' "
            "(like vision-language)",
        )
        name = None
    title = _text_value(pairs.get("title"), problems)
    description = _text_value(pairs.get("description"), problems)
    keywords = _keywords_from(pairs.get("keywords"), problems)
    title_keywords = _keywords_from(pairs.get("title_keywords"), problems)
    patterns = _patterns_from(pairs.get("patterns"), problems)
    relative_threshold = _setting_number(pairs.get("relative_threshold"), None, 0, 1, problems)
    if name is None or title is None or description is None:
        return None
    return Topic(
        name, title, " ".join(description.split()), keywords, title_keywords, patterns, relative_threshold
    )


def _report_duplicate_names(nodes: Sequence[yaml.Node], problems: _Problems) -> None:
    """Names used twice, found from the YAML itself so a repeat is reported even in an incomplete topic."""
    first_line: dict[str, int] = {}
    for node in nodes:
        name_node = _value_node(node, "name")
        if name_node is None or not _is_text(name_node):
            continue
        name = name_node.value.strip()
        if name in first_line:
            problems.add(
                name_node,
                f"topic name '{name}' is used twice (first on line {first_line[name]}); expected unique names",
            )
        else:
            first_line[name] = name_node.start_mark.line + 1


def _value_node(node: yaml.Node, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((value for item_key, value in node.value if getattr(item_key, "value", None) == key), None)


def _text_value(entry: tuple[yaml.Node, yaml.Node] | None, problems: _Problems) -> str | None:
    if entry is None:
        return None
    key_node, node = entry
    if not _is_text(node) or not node.value.strip():
        problems.add(node, f"`{key_node.value}:` is empty or not text; expected a line of text")
        return None
    return node.value.strip()


def _is_text(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str"


def _keywords_from(entry: tuple[yaml.Node, yaml.Node] | None, problems: _Problems) -> tuple[Keyword, ...]:
    if entry is None:
        return ()
    pairs = _mapping_pairs(entry[1], problems, f"`{entry[0].value}:`", None)
    keywords: list[Keyword] = []
    seen: dict[str, int] = {}
    for phrase, (key_node, value_node) in pairs.items():
        weight = _weight_value(value_node, f"keyword '{phrase}'", problems)
        if not _phrase_is_valid(phrase, key_node, problems) or weight is None:
            continue
        spelling = _compact(normalise_text(phrase))
        if spelling in seen:
            problems.add(
                key_node,
                f"keyword '{phrase}' is another spelling of the keyword on line {seen[spelling]} (a hyphen "
                "also matches a space or nothing); expected each keyword once, written with its hyphens",
            )
            continue
        seen[spelling] = key_node.start_mark.line + 1
        keywords.append(Keyword(phrase, weight))
    return tuple(keywords)


def _phrase_is_valid(phrase: str, key_node: yaml.Node, problems: _Problems) -> bool:
    normalised = normalise_text(phrase)
    stem = normalised.rstrip("*")
    if not re.search(r"\w", stem) or "*" in stem or normalised.count("*") > 1:
        problems.add(
            key_node,
            f"keyword '{phrase}' is not a phrase; expected words, optionally ending in one '*' "
            "(like quantiz*); put regular expressions under `patterns:`",
        )
        return False
    return True


def _weight_value(node: yaml.Node, what: str, problems: _Problems) -> float | None:
    weight = _number(node, whole=False)
    if weight is None or weight == 0:
        problems.add(
            node,
            f"weight of {what} is {_shown(node)}; expected a non-zero number (negative weights count "
            "against the topic)",
        )
        return None
    return weight


def _number(node: yaml.Node, whole: bool) -> float | None:
    """The finite number a YAML scalar holds, or None (text, booleans, .inf and .nan are not numbers)."""
    tags = {"tag:yaml.org,2002:int"} if whole else {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
    if not isinstance(node, yaml.ScalarNode) or node.tag not in tags:
        return None
    try:
        value = float(node.value.replace("_", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _shown(node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode):
        return f"'{node.value}'" if node.value else "empty"
    return "a list or mapping"


def _patterns_from(entry: tuple[yaml.Node, yaml.Node] | None, problems: _Problems) -> tuple[Pattern, ...]:
    if entry is None:
        return ()
    key_node, node = entry
    if not isinstance(node, yaml.SequenceNode):
        problems.add(key_node, "`patterns:` is not a list; expected `- {label: ..., regex: ..., weight: ...}`")
        return ()
    patterns = (_pattern_from(item, problems) for item in node.value)
    return tuple(pattern for pattern in patterns if pattern is not None)


def _pattern_from(node: yaml.Node, problems: _Problems) -> Pattern | None:
    pairs = _mapping_pairs(node, problems, "a pattern", PATTERN_KEYS)
    missing = [key for key in PATTERN_KEYS if key not in pairs]
    if missing and isinstance(node, yaml.MappingNode):
        problems.add(node, f"pattern has no {', '.join(missing)}; expected label, regex and weight")
        return None
    label = _text_value(pairs.get("label"), problems)
    regex = _text_value(pairs.get("regex"), problems)
    weight = _weight_value(pairs["weight"][1], "a pattern", problems) if "weight" in pairs else None
    if regex is not None and not _regex_is_valid(regex, pairs["regex"][1], problems):
        return None
    if label is None or regex is None or weight is None:
        return None
    return Pattern(label, regex, weight)


def _regex_is_valid(regex: str, node: yaml.Node, problems: _Problems) -> bool:
    try:
        compiled = re.compile(regex)
    except re.error as error:
        problems.add(node, f"regex does not compile ({error}); expected a Python regular expression")
        return False
    if compiled.search("") is not None:
        problems.add(node, "regex matches empty text; expected a regex that needs at least one character")
        return False
    return True


def _settings_from(
    entry: tuple[yaml.Node, yaml.Node] | None, topics: Sequence[Topic], problems: _Problems
) -> TaggingSettings:
    defaults = TaggingSettings()
    if entry is None:
        return defaults
    pairs = _mapping_pairs(entry[1], problems, "`settings:`", SETTINGS_KEYS)

    def number(key: str, low: float, high: float | None = None, whole: bool = False) -> float:
        return _setting_number(pairs.get(key), getattr(defaults, key), low, high, problems, whole)

    return TaggingSettings(
        threshold=number("threshold", 0),
        relative_threshold=number("relative_threshold", 0, 1),
        max_topics=int(number("max_topics", 1, MAX_TOPICS_ALLOWED, whole=True)),
        title_weight=number("title_weight", 0),
        max_repeats=int(number("max_repeats", 1, whole=True)),
        fallback_topic=_fallback_setting(pairs.get("fallback_topic"), topics, problems),
    )


def _setting_number(
    entry: tuple[yaml.Node, yaml.Node] | None,
    default: float | None,
    low: float,
    high: float | None,
    problems: _Problems,
    whole: bool = False,
) -> float | None:
    """The number in a setting (`default` when it is absent or wrong; a wrong one is reported)."""
    if entry is None:
        return default
    key_node, node = entry
    value = _number(node, whole)
    if value is None or value < low or (high is not None and value > high):
        kind = "a whole number" if whole else "a number"
        bounds = f"at least {low}" if high is None else f"between {low} and {high}"
        problems.add(node, f"`{key_node.value}:` is {_shown(node)}; expected {kind} {bounds}")
        return default
    return value


def _retired_from(
    entry: tuple[yaml.Node, yaml.Node] | None, topics: Sequence[Topic], problems: _Problems
) -> tuple[RetiredTopic, ...]:
    """The `retired:` topics: names no topic uses any more, each with a title and its replacements."""
    if entry is None or _is_empty(entry[1]):
        return ()
    names = [topic.name for topic in topics]
    retired = (
        _retired_topic(name, key_node, value_node, names, problems)
        for name, (key_node, value_node) in _mapping_pairs(entry[1], problems, "`retired:`", None).items()
    )
    return tuple(topic for topic in retired if topic is not None)


def _retired_topic(
    name: str, key_node: yaml.Node, node: yaml.Node, names: Sequence[str], problems: _Problems
) -> RetiredTopic | None:
    if not TOPIC_NAME.match(name):
        problems.add(key_node, f"retired topic name '{name}' is not a valid tag; expected lowercase letters, "
                               "digits and '-' (like agents-rl)")
        return None
    if name in names:
        problems.add(key_node, f"retired topic '{name}' is also a topic; expected a name no topic uses any more")
        return None
    pairs = _mapping_pairs(node, problems, f"retired topic '{name}'", RETIRED_KEYS)
    if isinstance(node, yaml.MappingNode) and "replaced_by" not in pairs:
        problems.add(node, f"retired topic '{name}' has no `replaced_by:`; expected a list of topic names")
    title = _text_value(pairs.get("title"), problems) if "title" in pairs else name
    replaced_by = _replacements(pairs.get("replaced_by"), names, problems)
    if title is None or not replaced_by:
        return None
    return RetiredTopic(name, title, replaced_by)


def _replacements(
    entry: tuple[yaml.Node, yaml.Node] | None, names: Sequence[str], problems: _Problems
) -> tuple[str, ...]:
    if entry is None:
        return ()
    key_node, node = entry
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        problems.add(node, "`replaced_by:` is not a non-empty list; expected a list of topic names")
        return ()
    replacements: list[str] = []
    valid = True
    for item in node.value:
        if not _is_text(item):
            problems.add(item, f"`replaced_by:` holds {_shown(item)}; expected a list of topic names")
            valid = False
        elif item.value not in names:
            problems.add(item, f"replacement '{item.value}' is not a topic; expected {_one_of(item.value, names)}")
            valid = False
        elif item.value not in replacements:
            replacements.append(item.value)
    return tuple(replacements) if valid else ()


def _fallback_setting(
    entry: tuple[yaml.Node, yaml.Node] | None, topics: Sequence[Topic], problems: _Problems
) -> str:
    names = [topic.name for topic in topics]
    if entry is None:
        return names[0] if names else ""
    name = _text_value(entry, problems)
    if name is not None and names and name not in names:
        problems.add(entry[1], f"fallback_topic '{name}' is not a topic; expected {_one_of(name, names)}")
    return name if name in names else (names[0] if names else "")


def _one_of(name: str, names: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, names, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"one of the names in taxonomy.yml{hint}"


# ---------------------------------------------------------------------------------------------------------
# Loading tags.yml


OVERRIDE_KEYS = ("add", "remove")


def load_overrides(path: Path, taxonomy: Taxonomy, known_addresses: Collection[str]) -> Overrides:
    """The curator overrides in `path` (none if the file is missing); InputError for every bad entry."""
    problems = _Problems(str(path))
    root = _composed_yaml(path, problems, missing_ok=True)
    problems.raise_if_any()
    max_topics = taxonomy.settings.max_topics
    if root is None or _is_empty(root):
        return Overrides(max_topics=max_topics)
    by_address: dict[str, Override] = {}
    for address, (key_node, value_node) in _mapping_pairs(root, problems, "tags.yml", None).items():
        if address not in known_addresses:
            problems.add(
                key_node,
                f"unknown paper address '{address}'; expected the slug of a paper in the catalog "
                "(papers/<slug>/ without the prefix)",
            )
        override = _override_from(key_node, value_node, taxonomy, problems)
        if override is not None and address in known_addresses:
            by_address[address] = override
    problems.raise_if_any()
    return Overrides(by_address=MappingProxyType(dict(sorted(by_address.items()))), max_topics=max_topics)


def _is_empty(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _override_from(
    key_node: yaml.Node, node: yaml.Node, taxonomy: Taxonomy, problems: _Problems
) -> Override | None:
    pairs = _mapping_pairs(node, problems, f"the entry for '{key_node.value}'", OVERRIDE_KEYS)
    if not pairs:
        if isinstance(node, yaml.MappingNode):
            problems.add(node, "entry has neither `add:` nor `remove:`; expected at least one of them")
        return None
    add = _topic_list(pairs.get("add"), taxonomy, problems)
    remove = _topic_list(pairs.get("remove"), taxonomy, problems)
    if add is None or remove is None:
        return None
    for topic in sorted(set(add) & set(remove)):
        problems.add(node, f"topic '{topic}' is both added and removed; expected it in one list only")
    if len(add) > taxonomy.settings.max_topics:
        problems.add(
            pairs["add"][1],
            f"{len(add)} topics added; expected at most max_topics ({taxonomy.settings.max_topics})",
        )
    return Override(add=add, remove=remove)


def _topic_list(
    entry: tuple[yaml.Node, yaml.Node] | None, taxonomy: Taxonomy, problems: _Problems
) -> tuple[str, ...] | None:
    """The topic names of an `add:` or `remove:` list, or None when any of them is wrong."""
    if entry is None:
        return ()
    key_node, node = entry
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    names: list[str] = []
    valid = True
    for item in items:
        if not _is_text(item):
            problems.add(item, f"`{key_node.value}:` holds {_shown(item)}; expected a list of topic names")
            valid = False
        elif (retired := taxonomy.retired_by_name(item.value)) is not None:
            replacements = ", ".join(retired.replaced_by)
            problems.add(item, f"topic '{item.value}' was replaced by {replacements}; expected one of those")
            valid = False
        elif taxonomy.by_name(item.value) is None:
            problems.add(item, f"unknown topic '{item.value}'; expected {_one_of(item.value, taxonomy.names)}")
            valid = False
        elif item.value not in names:
            names.append(item.value)
    return tuple(names) if valid else None
