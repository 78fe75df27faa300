"""Loading taxonomy.yml: its topics, settings and retired topics, every problem reported with its line."""
from __future__ import annotations

import re
import re._compiler as sre_compiler  # type: ignore[import-not-found]

# The regex parser re.compile uses (private, but the one that reads the regex as the engine will run it).
import re._constants as sre_constants  # type: ignore[import-not-found]
import re._parser as sre_parser  # type: ignore[import-not-found]
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TypeVar

import yaml

from ...errors import InputError, InputProblem, did_you_mean, is_control
from .keywords import compact_spelling, keyword_text
from .values import Keyword, Pattern, RetiredTopic, TaggingSettings, Taxonomy, Topic
from .yaml_nodes import Problems, composed_yaml, finite_number, is_empty, is_text, mapping_pairs, shown

# A setting's default: a number, or None where a topic falls back on the global setting.
Default = TypeVar("Default", float, None)

# fullmatch: `$` would let a final line break through. A name is a file's (topics/<name>.md, feeds/<name>.xml):
# 64 characters keep it far from a file system's 255 bytes.
TOPIC_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
# Names the site gives its own files where topic pages and feeds go (topics/index.html, feeds/all.xml,
# feeds/sitemap.xml): a topic of that name would take their place.
RESERVED_TOPIC_NAMES = ("index", "all", "sitemap")
MAX_TOPICS_ALLOWED = 4  # pages and feeds promise readers at most four topics a paper

TAXONOMY_KEYS = ("settings", "retired", "topics")
TOPIC_KEYS = ("name", "title", "description", "relative_threshold", "keywords", "title_keywords", "patterns")
RETIRED_KEYS = ("title", "replaced_by")
REQUIRED_TOPIC_KEYS = ("name", "title", "description")
PATTERN_KEYS = ("label", "regex", "weight")
SETTINGS_KEYS = tuple(TaggingSettings.__dataclass_fields__)


def load_taxonomy(path: Path) -> Taxonomy:
    """The taxonomy in `path`; raises InputError naming FILE:LINE for every problem found."""
    problems = Problems(str(path))
    root = composed_yaml(path, problems, missing_ok=False)
    if root is None:  # not read, or empty
        raise InputError(problems.found or [InputProblem(str(path), 1, "the file is empty; expected a YAML file "
                                                                       "with a `topics:` list")])
    pairs = mapping_pairs(root, problems, "the taxonomy", TAXONOMY_KEYS)
    topics = _topics_from(pairs.get("topics"), root, problems)
    settings = _settings_from(pairs.get("settings"), topics, problems)
    retired = _retired_from(pairs.get("retired"), topics, problems)
    problems.raise_if_any()
    return Taxonomy(topics=topics, settings=settings, retired=retired)


def _topics_from(
    entry: tuple[yaml.Node, yaml.Node] | None, root: yaml.Node, problems: Problems
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


def _topic_from(node: yaml.Node, problems: Problems) -> Topic | None:
    pairs = mapping_pairs(node, problems, "a topic", TOPIC_KEYS)
    for key in REQUIRED_TOPIC_KEYS:
        if key not in pairs and isinstance(node, yaml.MappingNode):
            problems.add(node, f"topic has no `{key}:`; expected {key}, as in the other topics")
    name = _text_value(pairs.get("name"), problems)
    if name is not None and not TOPIC_NAME.fullmatch(name):
        problems.add(
            pairs["name"][1],
            f"topic name '{name}' is not a valid tag; expected at most 64 lowercase letters, digits and '-' "
            "(like vision-language)",
        )
        name = None
    elif name in RESERVED_TOPIC_NAMES:
        problems.add(pairs["name"][1], reserved_name_problem("topic", name))
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


def _report_duplicate_names(nodes: Sequence[yaml.Node], problems: Problems) -> None:
    """Names used twice, found from the YAML itself so a repeat is reported even in an incomplete topic."""
    first_line: dict[str, int] = {}
    for node in nodes:
        name_node = _value_node(node, "name")
        if name_node is None or not is_text(name_node):
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


def _text_value(entry: tuple[yaml.Node, yaml.Node] | None, problems: Problems) -> str | None:
    if entry is None:
        return None
    key_node, node = entry
    if not is_text(node) or not node.value.strip():
        problems.add(node, f"`{key_node.value}:` is empty or not text; expected a line of text")
        return None
    # A title shows on every paper's page: an override (U+202E) it left open would reverse the text after it.
    if controls := sorted({f"U+{ord(char):04X}" for char in node.value if is_control(char) and char not in "\n\t"}):
        problems.add(node, f"`{key_node.value}:` holds the control character(s) {', '.join(controls)}; expected "
                           "a line of plain text")
        return None
    return node.value.strip()


def _keywords_from(entry: tuple[yaml.Node, yaml.Node] | None, problems: Problems) -> tuple[Keyword, ...]:
    if entry is None:
        return ()
    pairs = mapping_pairs(entry[1], problems, f"`{entry[0].value}:`", None)
    keywords: list[Keyword] = []
    seen: dict[str, int] = {}
    for phrase, (key_node, value_node) in pairs.items():
        weight = _weight_value(value_node, f"keyword '{phrase}'", problems)
        if not _phrase_is_valid(phrase, key_node, problems) or weight is None:
            continue
        spelling = compact_spelling(keyword_text(phrase))
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


def _phrase_is_valid(phrase: str, key_node: yaml.Node, problems: Problems) -> bool:
    normalised = keyword_text(phrase)
    stem = normalised.rstrip("*")
    if not re.search(r"\w", stem) or "*" in stem or normalised.count("*") > 1:
        problems.add(
            key_node,
            f"keyword '{phrase}' is not a phrase; expected words, optionally ending in one '*' "
            "(like quantiz*); put regular expressions under `patterns:`",
        )
        return False
    return True


def _weight_value(node: yaml.Node, what: str, problems: Problems) -> float | None:
    weight = finite_number(node, whole=False)
    if weight is None or weight == 0:
        problems.add(
            node,
            f"weight of {what} is {shown(node)}; expected a non-zero number (negative weights count "
            "against the topic)",
        )
        return None
    return weight


def _patterns_from(entry: tuple[yaml.Node, yaml.Node] | None, problems: Problems) -> tuple[Pattern, ...]:
    if entry is None:
        return ()
    key_node, node = entry
    if not isinstance(node, yaml.SequenceNode):
        problems.add(key_node, "`patterns:` is not a list; expected `- {label: ..., regex: ..., weight: ...}`")
        return ()
    patterns = (_pattern_from(item, problems) for item in node.value)
    return tuple(pattern for pattern in patterns if pattern is not None)


def _pattern_from(node: yaml.Node, problems: Problems) -> Pattern | None:
    pairs = mapping_pairs(node, problems, "a pattern", PATTERN_KEYS)
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


def _regex_is_valid(regex: str, node: yaml.Node, problems: Problems) -> bool:
    try:
        compiled = re.compile(regex)
    except (re.error, OverflowError, RecursionError) as error:  # `a{4294967295}`, thousands of nested groups
        problems.add(node, f"regex does not compile ({error}); expected a Python regular expression")
        return False
    if compiled.search("") is not None:
        problems.add(node, "regex matches empty text; expected a regex that needs at least one character")
        return False
    parsed = sre_parser.parse(regex)
    if (shape := polynomial_shape(parsed)) is not None:
        problems.add(node, f"regex has {shape}, on which Python's regex engine tries every way of splitting the "
                           "text and can take minutes on one abstract; expected repeats that stop at a space "
                           "(`\\w+`, `[^ .;]+`), a few words at most (`(?:[^ ]+ ){0,4}`), and no back-reference")
        return False
    if (shape := backtracking_shape(parsed)) is not None:
        problems.add(node, f"regex has {shape}, on which Python's regex engine tries every way of matching and "
                           "can take hours on one abstract; expected a repeat inside a repeat only before a "
                           "character it cannot match (`(?:[a-z]+ ){0,4}`), and repeated alternatives only with "
                           "different first letters (`(?:the|a) `)")
        return False
    return True


REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT)
# What Python's engine never backtracks into from outside: only the shape within counts.
ATOMIC = (sre_constants.ASSERT, sre_constants.ASSERT_NOT, sre_constants.ATOMIC_GROUP)
ONE_CHARACTER = (sre_constants.LITERAL, sre_constants.NOT_LITERAL, sre_constants.IN, sre_constants.ANY)


def backtracking_shape(parsed, repeated: bool = False) -> str | None:
    """The shape of the parsed regex on which Python's backtracking engine tries every way of splitting the
    text (catastrophic backtracking), or None. Inside a repeat (`repeated`), a repeat of varying length is safe
    only when a character it cannot match follows it (`(?:[^ ]+ ){0,8}`: each word ends at its space, while
    `(?:[a-z]+ ?)+` splits a word of n letters 2^n ways), and alternatives only when each starts with a letter
    of its own (`(?:ab|a)+` matches `aaa` several ways)."""
    items = list(parsed)
    for index, (op, value) in enumerate(items):
        if op in REPEATS:
            low, high, body = value
            if repeated and low != high and not ends_at(body, items[index + 1:index + 2]):
                return "a repeat of varying length inside a repeat (`(?:[a-z]+ ?)+`, `(?:aa?)+`)"
            inner = [(body, op != sre_constants.POSSESSIVE_REPEAT and (repeated or high > 1))]
        elif op == sre_constants.BRANCH:
            if repeated and not starts_apart(value[1]):
                return "repeated alternatives that may start alike (`(?:a|ab)+`)"
            inner = [(branch, repeated) for branch in value[1]]
        elif op == sre_constants.SUBPATTERN:
            inner = [(value[-1], repeated)]
        elif op == sre_constants.GROUPREF_EXISTS:
            inner = [(branch, repeated) for branch in value[1:] if branch is not None]
        elif op in ATOMIC:
            inner = [(value if op == sre_constants.ATOMIC_GROUP else value[1], False)]
        else:
            inner = []
        for part, part_repeated in inner:
            if (shape := backtracking_shape(part, part_repeated)) is not None:
                return shape
    return None


def polynomial_shape(parsed) -> str | None:
    """A back-reference, or two repeats of unbounded length that both match a space, such as `.*`: on an abstract
    without a match, Python's engine tries every way of splitting the text between them, n^k ways for k of them
    (`we (.*)(.*)(.*)(.*)z` ran minutes on one abstract). A repeat that stops at a space, as `\\w+` and
    `[^ .;]+` do, reads one word."""
    spanning = 0
    for op, value in flattened(parsed):
        if op == sre_constants.GROUPREF:
            return "a back-reference (`\\1`, `(?P=name)`)"
        if op in REPEATS and value[1] == sre_constants.MAXREPEAT and len(value[2]) == 1 \
                and value[2][0][0] in ONE_CHARACTER and sre_compiler.compile(value[2], 0).fullmatch(" "):
            spanning += 1
    return "two repeats of any length that match a space (`.*` twice)" if spanning > 1 else None


def flattened(parsed) -> Iterator[tuple]:
    """Every item of the parsed regex, those inside groups, repeats, alternatives and assertions too."""
    for op, value in parsed:
        yield op, value
        if op in REPEATS:
            yield from flattened(value[2])
        elif op == sre_constants.BRANCH:
            for branch in value[1]:
                yield from flattened(branch)
        elif op == sre_constants.SUBPATTERN:
            yield from flattened(value[-1])
        elif op in ATOMIC:
            yield from flattened(value if op == sre_constants.ATOMIC_GROUP else value[1])
        elif op == sre_constants.GROUPREF_EXISTS:
            for branch in value[1:]:
                if branch is not None:
                    yield from flattened(branch)


def ends_at(body, following: list) -> bool:
    """Whether a repeat of `body` must end where the item `following` it is: `body` matches one character, and
    `following` is one character that `body` cannot match."""
    if len(body) != 1 or body[0][0] not in ONE_CHARACTER or len(following) != 1:
        return False
    op, value = following[0]
    return op == sre_constants.LITERAL and sre_compiler.compile(body, 0).fullmatch(chr(value)) is None


def starts_apart(branches) -> bool:
    """Whether every branch starts with a letter (a literal character) that no other starts with."""
    firsts = [branch[0][1] if len(branch) and branch[0][0] == sre_constants.LITERAL else None for branch in branches]
    return None not in firsts and len(set(firsts)) == len(firsts)


def _settings_from(
    entry: tuple[yaml.Node, yaml.Node] | None, topics: Sequence[Topic], problems: Problems
) -> TaggingSettings:
    defaults = TaggingSettings()
    if entry is None:
        return defaults
    pairs = mapping_pairs(entry[1], problems, "`settings:`", SETTINGS_KEYS)

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
    default: Default,
    low: float,
    high: float | None,
    problems: Problems,
    whole: bool = False,
) -> float | Default:
    """The number in a setting (`default` when it is absent or wrong; a wrong one is reported)."""
    if entry is None:
        return default
    key_node, node = entry
    value = finite_number(node, whole)
    if value is None or value < low or (high is not None and value > high):
        kind = "a whole number" if whole else "a number"
        bounds = f"at least {low}" if high is None else f"between {low} and {high}"
        problems.add(node, f"`{key_node.value}:` is {shown(node)}; expected {kind} {bounds}")
        return default
    return value


def _retired_from(
    entry: tuple[yaml.Node, yaml.Node] | None, topics: Sequence[Topic], problems: Problems
) -> tuple[RetiredTopic, ...]:
    """The `retired:` topics: names no topic uses any more, each with a title and its replacements."""
    if entry is None or is_empty(entry[1]):
        return ()
    names = [topic.name for topic in topics]
    retired = (
        _retired_topic(name, key_node, value_node, names, problems)
        for name, (key_node, value_node) in mapping_pairs(entry[1], problems, "`retired:`", None).items()
    )
    return tuple(topic for topic in retired if topic is not None)


def reserved_name_problem(kind: str, name: str) -> str:
    return (f"{kind} name '{name}' is the name of one of the site's own pages or feeds; expected another name "
            f"(not {', '.join(RESERVED_TOPIC_NAMES)})")


def _retired_topic(
    name: str, key_node: yaml.Node, node: yaml.Node, names: Sequence[str], problems: Problems
) -> RetiredTopic | None:
    if not TOPIC_NAME.fullmatch(name):
        problems.add(key_node, f"retired topic name {name!r} is not a valid tag; expected at most 64 lowercase "
                               "letters, digits and '-' (like agents-rl)")
        return None
    if name in RESERVED_TOPIC_NAMES:
        problems.add(key_node, reserved_name_problem("retired topic", name))
        return None
    if name in names:
        problems.add(key_node, f"retired topic '{name}' is also a topic; expected a name no topic uses any more")
        return None
    pairs = mapping_pairs(node, problems, f"retired topic '{name}'", RETIRED_KEYS)
    if isinstance(node, yaml.MappingNode) and "replaced_by" not in pairs:
        problems.add(node, f"retired topic '{name}' has no `replaced_by:`; expected a list of topic names")
    title = _text_value(pairs.get("title"), problems) if "title" in pairs else name
    replaced_by = _replacements(pairs.get("replaced_by"), names, problems)
    if title is None or not replaced_by:
        return None
    return RetiredTopic(name, title, replaced_by)


def _replacements(
    entry: tuple[yaml.Node, yaml.Node] | None, names: Sequence[str], problems: Problems
) -> tuple[str, ...]:
    if entry is None:
        return ()
    _, node = entry
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        problems.add(node, "`replaced_by:` is not a non-empty list; expected a list of topic names")
        return ()
    replacements: list[str] = []
    valid = True
    for item in node.value:
        if not is_text(item):
            problems.add(item, f"`replaced_by:` holds {shown(item)}; expected a list of topic names")
            valid = False
        elif item.value not in names:
            problems.add(item, f"replacement '{item.value}' is not a topic; "
                               f"expected {expected_topic(item.value, names)}")
            valid = False
        elif item.value not in replacements:
            replacements.append(item.value)
    return tuple(replacements) if valid else ()


def _fallback_setting(
    entry: tuple[yaml.Node, yaml.Node] | None, topics: Sequence[Topic], problems: Problems
) -> str:
    names = [topic.name for topic in topics]
    if entry is None:
        return names[0] if names else ""
    name = _text_value(entry, problems)
    if name is not None and names and name not in names:
        problems.add(entry[1], f"fallback_topic '{name}' is not a topic; expected {expected_topic(name, names)}")
    return name if name in names else (names[0] if names else "")


def expected_topic(name: str, names: Sequence[str]) -> str:
    return f"one of the names in taxonomy.yml{did_you_mean(name, names)}"
