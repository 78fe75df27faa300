"""Topic tagging: weighted keyword rules read from taxonomy.yml, plus curator overrides from tags.yml.

Every paper gets one to `max_topics` topics from its title and abstract. A topic's score is the sum of the
weights of its keywords found in the text; a title match counts `title_weight` times an abstract match.
Each assigned topic carries the keywords that gave it (its evidence), so a reader can see why it is there.
taxonomy.yml's header explains the rules as a curator sees them.

All keywords of all topics are compiled once per taxonomy into one trie of words, so a text is read once
whatever the number of keywords; `tag_papers` also looks each distinct word up only once per batch.

One job a module: `values` (the types), `keywords` (the matcher), `scoring` (a paper's topics, their
evidence and the curator's corrections), `taxonomy_file` and `tags_file` (loading and checking the two
files), and `yaml_nodes` (the YAML reading both share, which keeps every value's line number).
"""
from __future__ import annotations

from .scoring import CURATOR_EVIDENCE, apply_overrides, tag_paper, tag_papers
from .tags_file import for_papers, load_overrides, read_overrides
from .taxonomy_file import MAX_TOPICS_ALLOWED, TOPIC_NAME, load_taxonomy
from .values import (
    Keyword,
    Override,
    Overrides,
    Pattern,
    RetiredTopic,
    TaggingSettings,
    Taxonomy,
    Topic,
    TopicAssignment,
)

__all__ = [
    "CURATOR_EVIDENCE", "MAX_TOPICS_ALLOWED", "TOPIC_NAME", "Keyword", "Override", "Overrides", "Pattern",
    "RetiredTopic", "TaggingSettings", "Taxonomy", "Topic", "TopicAssignment", "apply_overrides", "for_papers",
    "load_overrides", "load_taxonomy", "read_overrides", "tag_paper", "tag_papers",
]
