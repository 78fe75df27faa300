"""Topic tagging, the values: a taxonomy's topics, keywords and settings, a paper's topics, curator overrides."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from ...errors import InputProblem
from .keywords import CompiledRules, compile_rules


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


# Where a paper's topic comes from (TopicAssignment.source).
RULES = "rules"  # its score reached the thresholds
WEAK = "weak"  # no topic's did: the best score, or the fallback topic when nothing scored
CURATOR = "curator"  # tags.yml added it


@dataclass(frozen=True)
class TopicAssignment:
    """One topic of one paper, its score, the matches behind it, and its `source`: RULES, WEAK or CURATOR."""

    topic: str
    score: float
    evidence: tuple[str, ...]
    source: str

    @property
    def by_curator(self) -> bool:
        return self.source == CURATOR

    @property
    def weak(self) -> bool:
        return self.source == WEAK

    @property
    def best_below_threshold(self) -> bool:
        """A weak topic that something matched, unlike the fallback topic."""
        return self.source == WEAK and self.score > 0


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
    rules: CompiledRules = field(init=False, repr=False, compare=False)
    # Render looks a topic up by name for every chip it draws: over a hundred thousand times at 10,000 papers.
    topics_by_name: Mapping[str, Topic] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rules", compile_rules(self.topics))
        object.__setattr__(self, "topics_by_name", MappingProxyType({topic.name: topic for topic in self.topics}))

    def by_name(self, name: str) -> Topic | None:
        """The topic called `name`, or None."""
        return self.topics_by_name.get(name)

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
    by_paper_id: Mapping[str, Override] = field(default_factory=lambda: MappingProxyType({}))
    max_topics: int = TaggingSettings.max_topics
    lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))  # paper id -> its entry's line
    # Entries naming no paper of the catalog, not applied: "FILE:LINE: no paper in the catalog has the id ...".
    unknown_papers: tuple[InputProblem, ...] = ()

    def for_paper(self, paper_id: str) -> Override | None:
        return self.by_paper_id.get(paper_id)
