"""Loading tags.yml: the curator's corrections of single papers' topics, every problem reported with its line."""
from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from types import MappingProxyType

import yaml

from ...errors import InputProblem, did_you_mean, printable
from .taxonomy_file import expected_topic
from .values import Override, Overrides, Taxonomy
from .yaml_nodes import Problems, composed_yaml, is_empty, is_text, mapping_pairs, shown

OVERRIDE_KEYS = ("add", "remove")


def load_overrides(path: Path, taxonomy: Taxonomy, known_ids: Collection[str]) -> Overrides:
    """The curator overrides in `path` (none if the file is missing) of the papers of `known_ids`, with a note
    for each entry of another id; InputError for every bad entry."""
    return for_papers(read_overrides(path, taxonomy), path, known_ids)


def read_overrides(path: Path, taxonomy: Taxonomy | None) -> Overrides:
    """Every entry of `path`, whatever paper it names; InputError for every bad entry. With no taxonomy (its
    file has problems of its own), only what needs none is checked: the YAML and the shape of each entry."""
    problems = Problems(str(path))
    root = composed_yaml(path, problems, missing_ok=True)
    problems.raise_if_any()
    max_topics = taxonomy.settings.max_topics if taxonomy else Overrides.max_topics
    if root is None or is_empty(root):
        return Overrides(max_topics=max_topics)
    by_paper_id: dict[str, Override] = {}
    lines: dict[str, int] = {}
    for paper_id, (key_node, value_node) in mapping_pairs(root, problems, "tags.yml", None).items():
        override = _override_from(key_node, value_node, taxonomy, problems)
        if override is not None:
            by_paper_id[paper_id] = override
            lines[paper_id] = key_node.start_mark.line + 1
    problems.raise_if_any()
    return Overrides(by_paper_id=MappingProxyType(dict(sorted(by_paper_id.items()))), max_topics=max_topics,
                     lines=MappingProxyType(lines))


def for_papers(overrides: Overrides, path: Path, known_ids: Collection[str]) -> Overrides:
    """The entries of `overrides` (read_overrides) that name a paper of `known_ids`, and a note on its line for
    each of the others: not an error, as an entry outlives the dump of its paper and must not stop the
    catalog's next build."""
    unknown = [InputProblem(str(path), overrides.lines[paper_id], unknown_paper(paper_id, known_ids))
               for paper_id in sorted(overrides.by_paper_id, key=overrides.lines.__getitem__)
               if paper_id not in known_ids]
    return Overrides(by_paper_id=MappingProxyType({paper_id: override for paper_id, override
                                                   in overrides.by_paper_id.items() if paper_id in known_ids}),
                     max_topics=overrides.max_topics, lines=overrides.lines, unknown_papers=tuple(unknown))


def unknown_paper(paper_id: str, known_ids: Collection[str]) -> str:
    # Ids are long and share words (`...-for-large-language-models`): only a close one is suggested.
    return (f"no paper in the catalog has the id '{printable(paper_id)}' (mistyped, or its dump was removed): the "
            f"entry is not applied{did_you_mean(paper_id, known_ids, cutoff=0.8)}")


def _override_from(
    key_node: yaml.Node, node: yaml.Node, taxonomy: Taxonomy | None, problems: Problems
) -> Override | None:
    if key_node.value in OVERRIDE_KEYS and not isinstance(node, yaml.MappingNode):  # `add:` not under an id
        problems.add(key_node, f"'{key_node.value}:' is not indented; expected it under a paper's id, indented: "
                               f"`some-paper-id:` then `  {key_node.value}: [topic]`")
        return None
    pairs = mapping_pairs(node, problems, f"the entry for '{key_node.value}'", OVERRIDE_KEYS)
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
    if taxonomy and len(add) > taxonomy.settings.max_topics:
        problems.add(
            pairs["add"][1],
            f"{len(add)} topics added; expected at most max_topics ({taxonomy.settings.max_topics})",
        )
    return Override(add=add, remove=remove)


def _topic_list(
    entry: tuple[yaml.Node, yaml.Node] | None, taxonomy: Taxonomy | None, problems: Problems
) -> tuple[str, ...] | None:
    """The topic names of an `add:` or `remove:` list, or None when any of them is wrong."""
    if entry is None:
        return ()
    key_node, node = entry
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    names: list[str] = []
    valid = True
    for item in items:
        if not is_text(item):
            problems.add(item, f"`{key_node.value}:` holds {shown(item)}; expected a list of topic names")
            valid = False
        elif taxonomy is None:
            names.append(item.value)
        elif (retired := taxonomy.retired_by_name(item.value)) is not None:
            replacements = ", ".join(retired.replaced_by)
            problems.add(item, f"topic '{item.value}' was replaced by {replacements}; expected one of those")
            valid = False
        elif taxonomy.by_name(item.value) is None:
            problems.add(item, f"unknown topic '{item.value}'; expected {expected_topic(item.value, taxonomy.names)}")
            valid = False
        elif item.value not in names:
            names.append(item.value)
    return tuple(names) if valid else None
