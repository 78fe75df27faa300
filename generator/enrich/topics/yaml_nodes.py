"""Reading taxonomy.yml and tags.yml as YAML nodes, which keep the line of every value, so that each
problem is reported as FILE:LINE, all of them at once."""
from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import yaml

from ...errors import InputError, InputProblem, not_utf8, yaml_problem


class Problems:
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


def composed_yaml(path: Path, problems: Problems, missing_ok: bool) -> yaml.Node | None:
    """The YAML node tree of the file (kept as nodes for their line numbers), or None."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if not missing_ok:
            problems.add(None, "file not found; expected a YAML file with a `topics:` list")
        return None
    except UnicodeDecodeError as error:
        problems.found.append(not_utf8(problems.file, error, "a UTF-8 text file"))
        return None
    except OSError as error:
        problems.add(None, f"cannot read the file ({error.strerror}); expected a readable UTF-8 text file")
        return None
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        problems.found.append(InputProblem(problems.file, 1, "nested too deeply to read; expected the YAML of "
                                                             "the file as papercat ships it, a few levels deep"))
        return None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        reason = yaml_problem(getattr(error, "problem", None))
        problems.found.append(InputProblem(problems.file, line, f"{reason}; expected valid YAML"))
        return None


def mapping_pairs(
    node: yaml.Node | None, problems: Problems, what: str, allowed: Sequence[str] | None
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


def is_text(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str"


def finite_number(node: yaml.Node, whole: bool) -> float | None:
    """The finite number a YAML scalar holds, or None (text, booleans, .inf and .nan are not numbers)."""
    tags = {"tag:yaml.org,2002:int"} if whole else {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
    if not isinstance(node, yaml.ScalarNode) or node.tag not in tags:
        return None
    try:
        value = float(node.value.replace("_", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def shown(node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode):
        return f"'{node.value}'" if node.value else "empty"
    return "a list or mapping"


def is_empty(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"
