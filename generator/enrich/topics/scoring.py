"""Topic tagging, the scores: what each matched keyword adds to its topic, which topics a paper gets and
the evidence for each, and the curator's corrections from tags.yml."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .keywords import KeywordUse, WordMemo, keyword_counts, keyword_text
from .values import CURATOR, RULES, WEAK, Overrides, TaggingSettings, Taxonomy, TopicAssignment

CURATOR_EVIDENCE = "added by a curator in tags.yml"


def tag_paper(title: str, abstract: str, taxonomy: Taxonomy) -> tuple[TopicAssignment, ...]:
    """1 to max_topics topics for one paper, sorted by score (highest first), then by topic name."""
    return tag_papers([(title, abstract)], taxonomy)[0]


def tag_papers(
    texts: Sequence[tuple[str, str]], taxonomy: Taxonomy
) -> list[tuple[TopicAssignment, ...]]:
    """`tag_paper` for each (title, abstract), in order, in time linear in the total text length."""
    words = WordMemo(taxonomy.rules)
    return [_tagged(title, abstract, taxonomy, words) for title, abstract in texts]


def _tagged(title: str, abstract: str, taxonomy: Taxonomy, words: WordMemo) -> tuple[TopicAssignment, ...]:
    matches = _Matches(
        title_counts=keyword_counts(keyword_text(title), words),
        abstract_counts=keyword_counts(keyword_text(abstract), words),
    )
    return _chosen_topics(_contributions_by_topic(matches, taxonomy.settings), matches, taxonomy)


@dataclass(frozen=True)
class _Matches:
    """How often each keyword use was found in the title and in the abstract of one paper."""

    title_counts: Mapping[KeywordUse, int]
    abstract_counts: Mapping[KeywordUse, int]

    def uses(self) -> dict[KeywordUse, None]:
        """Every matched use once, in the order found (a dict keeps the order deterministic)."""
        return dict.fromkeys((*self.title_counts, *self.abstract_counts))

    def abstract_count(self, use: KeywordUse) -> int:
        return 0 if use.title_only else self.abstract_counts.get(use, 0)


_Contributions = dict[int, list[tuple[KeywordUse, float]]]


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
    source = RULES
    if not chosen and best > 0:
        chosen, source = ranked[:1], WEAK
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


def _evidence(contributions: list[tuple[KeywordUse, float]], matches: _Matches) -> tuple[str, ...]:
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
    # Paper pages print it after "matched".
    evidence = f"nothing (no topic's keywords are in it; {name} is the fallback_topic of taxonomy.yml)"
    return TopicAssignment(name, 0.0, (evidence,), WEAK)


def apply_overrides(
    paper_id: str, assignments: Sequence[TopicAssignment], overrides: Overrides
) -> tuple[TopicAssignment, ...]:
    """The paper's topics after the curator's `remove` and `add` for its id in tags.yml.

    Curator topics come first, with the best remaining score so the order stays "score, highest first".
    Zero topics happen only when the curator removed every topic the rules gave and added none.
    """
    override = overrides.for_paper(paper_id)
    if override is None:
        return tuple(assignments)
    kept = [a for a in assignments if a.topic not in override.remove and a.topic not in override.add]
    top_score = max((a.score for a in assignments if a.topic not in override.remove), default=0.0)
    added = [
        TopicAssignment(topic, top_score, (CURATOR_EVIDENCE,), CURATOR) for topic in override.add
    ]
    return tuple(added + kept)[: max(overrides.max_topics, len(added))]
