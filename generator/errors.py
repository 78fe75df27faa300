"""Errors a user can cause by what they put in the input files."""
from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

from .text import BIDI_CONTROLS


@dataclass(frozen=True)
class InputProblem:
    """One problem in one input file: `FILE:LINE: what was wrong; expected what`."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        # Line 0 means the problem is with the file or folder as a whole.
        file, message = printable(self.file), printable(self.message)
        return f"{file}:{self.line}: {message}" if self.line else f"{file}: {message}"


def printable(text: str) -> str:
    """`text` (a name of a file, a topic or a key of tags.yml, or a message quoting one) as a terminal or a CI
    log may show it: bytes that are not UTF-8 and control characters (an escape sequence would clear a
    maintainer's terminal, a line end forge a line of the report) written as escapes."""
    if text.isascii() and text.isprintable():  # most messages: character by character, a million took minutes
        return text
    undecoded = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(f"\\u{ord(char):04x}" if is_control(char) else char for char in undecoded)


def is_control(char: str) -> bool:
    """Characters that change how the text around them shows in a terminal or log: controls, line and paragraph
    separators, and bidirectional overrides and isolates."""
    return unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in BIDI_CONTROLS


def not_utf8(file: str, error: UnicodeDecodeError, expected: str) -> InputProblem:
    """The first byte of `file` that is not UTF-8, on its line: lines end at LF, or at CR in a file with no LF
    before its end (parse.split_lines reads a dump so; YAML and MkDocs, which end a line at any CR, count the
    same lines in either kind of file)."""
    ending = b"\n" if b"\n" in error.object.rstrip(b"\r\n") else b"\r"
    line = error.object.count(ending, 0, error.start) + 1
    return InputProblem(file, line, f"byte 0x{error.object[error.start]:02x} is not UTF-8; expected {expected}")


class InputError(Exception):
    """Raised with every problem found in the input, not just the first."""

    def __init__(self, problems: list[InputProblem] | tuple[InputProblem, ...]):
        self.problems = tuple(problems)
        super().__init__()

    def __str__(self) -> str:
        # Written when shown, not when raised: problems are gathered from InputErrors raised before them.
        return "\n".join(str(problem) for problem in self.problems)


class ToolError(Exception):
    """A tool the build runs (MkDocs, Pagefind) is missing or failed; the message says what to do."""


def tool_failed(tool: str, output: str, remedy: str) -> ToolError:
    """A tool's failure, with `remedy` and what it printed; a full disk, which any tool can hit, says so instead
    (its traceback and a remedy for the tool itself would mislead)."""
    if "No space left on device" in output:
        return ToolError(f"{tool} ran out of disk space (No space left on device); free some space and build again")
    return ToolError(f"{tool} failed; {remedy}:\n{output.strip()}")


def did_you_mean(word: str, choices: Collection[str], cutoff: float = 0.6) -> str:
    """` (did you mean 'X'?)` for the choice closest to a mistyped `word`, or "" where none is close."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=cutoff)
    return f" (did you mean '{close[0]}'?)" if close else ""


# What to do about the YAML errors a hand edit makes most, by the problem PyYAML names.
YAML_REMEDIES = {
    "mapping values are not allowed here": "a value holding ': ' needs quotes, such as site_name: \"Lab: papers\"",
    "found character '\\t' that cannot start any token": "indent with spaces, not tabs",
}


def yaml_problem(problem: str | None) -> str:
    """PyYAML's name for a problem, with what to do about it where that is known."""
    problem = problem or "not valid YAML"
    remedy = YAML_REMEDIES.get(problem)
    return f"{problem}: {remedy}" if remedy else problem
