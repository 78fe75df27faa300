"""Search stage: the Pagefind index of the papers, in parts.

Pagefind reads one small HTML document per paper (templates/search.html.j2), not the built site, so it
indexes while MkDocs builds. The documents are gathered in parts by the dumps that list them
(render/layout.py, search_parts): each part is a Pagefind bundle of its own, `pagefind/<part>/`, and
`pagefind/parts.json` names them newest first. The browser searches every part side by side and merges what
they find (site_src/assets/search.js); a build indexes again only the parts whose documents changed
(generator/incremental.py). The extra word forms each document carries come from `generator.text.search_variants`.
"""
from __future__ import annotations

import json
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import ToolError

BUNDLE_DIR = "pagefind"
PARTS_FILE = "parts.json"  # in BUNDLE_DIR: the parts' folder names, newest first
NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"
# Pagefind 1.6 is published on npm only; setup.sh installs it from package-lock.json.
PAGEFIND = NODE_MODULES / ".bin" / "pagefind"


@dataclass(frozen=True)
class SearchIndexStats:
    parts: int
    indexed: int  # parts Pagefind indexed in this build; the others were kept as they were
    files: int
    bytes: int
    seconds: float

    def __str__(self) -> str:
        return (f"search index: {self.parts} parts ({self.indexed} indexed), {self.files} files, "
                f"{self.bytes / 1e6:.1f} MB in {self.seconds:.1f} s")


def parts_of(documents_dir: Path) -> list[str]:
    """The parts' folder names, oldest first."""
    return sorted(path.name for path in documents_dir.iterdir() if path.is_dir())


def index_part(documents_dir: Path, bundle_dir: Path) -> None:
    """Write the Pagefind bundle of one part's search documents into `bundle_dir`; raise ToolError if Pagefind
    is missing or fails."""
    if not PAGEFIND.is_file():
        raise ToolError(f"Pagefind is not installed ({PAGEFIND} is missing); run `bash setup.sh`, "
                        "which installs it from package-lock.json with npm")
    command = [str(PAGEFIND), "--site", str(documents_dir), "--output-path", str(bundle_dir), "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise ToolError(f"Pagefind failed to index {documents_dir} (exit {result.returncode}); run "
                        f"`bash setup.sh` to reinstall it if this persists:\n{result.stdout}{result.stderr}")


def write_parts_list(bundle_dir: Path, parts: list[str]) -> None:
    bundle_dir.mkdir(parents=True, exist_ok=True)
    (bundle_dir / PARTS_FILE).write_text(json.dumps(sorted(parts, reverse=True)) + "\n", encoding="utf-8")


def pagefind_version() -> str:
    """The installed Pagefind packages (the command and its binary), as their package files say."""
    return "\n".join(path.read_text(encoding="utf-8")
                     for path in sorted([*NODE_MODULES.glob("pagefind/package.json"),
                                         *NODE_MODULES.glob("@pagefind/*/package.json")]))


def bundle_stats(bundle_dir: Path, parts: int, indexed: int, started: float) -> SearchIndexStats:
    files = [path for path in bundle_dir.rglob("*") if path.is_file()]
    return SearchIndexStats(parts=parts, indexed=indexed, files=len(files),
                            bytes=sum(path.stat().st_size for path in files), seconds=time.perf_counter() - started)


def index_search_documents(documents_dir: Path, bundle_dir: Path) -> SearchIndexStats:
    """Index every part of the search documents in `documents_dir` into `bundle_dir`."""
    started = time.perf_counter()
    parts = parts_of(documents_dir)
    for part in parts:
        index_part(documents_dir / part, bundle_dir / part)
    write_parts_list(bundle_dir, parts)
    return bundle_stats(bundle_dir, len(parts), len(parts), started)
