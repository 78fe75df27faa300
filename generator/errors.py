"""Errors a user can cause by what they put in the input files."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InputProblem:
    """One problem in one input file: `FILE:LINE: what was wrong; expected what`."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        # Line 0 means the problem is with the file or folder as a whole.
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


def not_utf8(file: str, error: UnicodeDecodeError, expected: str) -> InputProblem:
    """The first byte of `file` that is not UTF-8, on its line."""
    line = error.object.count(b"\n", 0, error.start) + 1
    return InputProblem(file, line, f"byte 0x{error.object[error.start]:02x} is not UTF-8; expected {expected}")


class InputError(Exception):
    """Raised with every problem found in the input, not just the first."""

    def __init__(self, problems: list[InputProblem] | tuple[InputProblem, ...]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class ToolError(Exception):
    """A tool the build runs (MkDocs, Pagefind) is missing or failed; the message says what to do."""


def tool_failed(tool: str, output: str, remedy: str) -> ToolError:
    """A tool's failure, with `remedy` and what it printed; a full disk, which any tool can hit, says so instead
    (its traceback and a remedy for the tool itself would mislead)."""
    if "No space left on device" in output:
        return ToolError(f"{tool} ran out of disk space (No space left on device); free some space and build again")
    return ToolError(f"{tool} failed; {remedy}:\n{output.strip()}")
