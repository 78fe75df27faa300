"""Search stage: the Pagefind indexes of the papers, one per search part (generator/render/layout.py), in
<site>/pagefind/<part>/; site_src/assets/search-parts.js searches them together.

Pagefind reads one small HTML document per paper (templates/search.html.j2), not the built site, so it
indexes while MkDocs builds. The extra word forms each document carries come from
`generator.text.search_variants`.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path

from .errors import ToolError, tool_failed

BUNDLE_DIR = "pagefind"
# Pagefind 1.6 is published on npm only; setup.sh installs it from package-lock.json.
PAGEFIND = Path(__file__).resolve().parent.parent / "node_modules" / ".bin" / "pagefind"


def lowest_priority() -> list[str]:
    """The prefix that runs a command at the lowest CPU priority, if the system has `nice`."""
    nice = shutil.which("nice")
    return [nice, "-n", "19"] if nice else []


def index_search_parts(documents_dir: Path, bundle_dir: Path, parts: Iterable[str], *, yield_cpu: bool,
                       kept: Callable[[str, Path], bool] = lambda part, bundle: False) -> None:
    """Write the Pagefind bundle of each search part (a folder of `documents_dir`) into `bundle_dir`/<part>, one
    part after another, as Pagefind holds a whole index in memory; but a part that `kept`(part, bundle) put in
    place itself (generator/incremental.py, KeptSearchParts)."""
    for part in parts:
        if not kept(part, bundle_dir / part):
            index_search_documents(documents_dir / part, bundle_dir / part, yield_cpu=yield_cpu)


def index_search_documents(documents_dir: Path, bundle_dir: Path, *, yield_cpu: bool) -> None:
    """Write the Pagefind bundle of the search documents (one per paper, at its page's address) into
    `bundle_dir`; raise ToolError if Pagefind is missing or fails. With `yield_cpu`, Pagefind runs at the
    lowest CPU priority."""
    check_installed()
    priority = lowest_priority() if yield_cpu else []
    command = [*priority, str(PAGEFIND), "--site", str(documents_dir), "--output-path", str(bundle_dir),
               "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True, errors="replace")
    if result.returncode != 0:
        raise tool_failed("Pagefind", result.stdout + result.stderr, f"it could not index {documents_dir} (exit "
                          f"{result.returncode}); run `bash setup.sh` to reinstall it if this persists")
    if not (bundle_dir / "pagefind-entry.json").is_file():
        raise ToolError(f"Pagefind ended without writing the index of {documents_dir} into {bundle_dir}; run "
                        f"`bash setup.sh` to reinstall it:\n{result.stdout}{result.stderr}")


def indexer_version() -> str:
    """What Pagefind says its version is; raise ToolError if it is missing."""
    check_installed()
    result = subprocess.run([str(PAGEFIND), "--version"], capture_output=True, text=True, errors="replace")
    if result.returncode != 0:
        raise ToolError(f"Pagefind failed to start (exit {result.returncode}); run `bash setup.sh` to reinstall "
                        f"it:\n{result.stdout}{result.stderr}")
    return result.stdout.strip()


def check_installed() -> None:
    if not PAGEFIND.is_file():
        raise ToolError(f"Pagefind is not installed ({PAGEFIND} is missing); run `bash setup.sh`, "
                        "which installs it from package-lock.json with npm")
    if not os.access(PAGEFIND, os.X_OK):
        raise ToolError(f"Pagefind cannot be run ({PAGEFIND} is not executable); run `bash setup.sh`, which "
                        "installs it again from package-lock.json with npm")
