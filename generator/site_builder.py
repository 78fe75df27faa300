"""Build stage, the site builder: MkDocs over the staging docs, in shards run side by side, building every
page or only the pages that changed since the previous site.

MkDocs builds one page after another on one core, and holds every page it built until the end. Each shard is
a plain `mkdocs build --dirty` of the same docs into the same site folder, with `exclude_docs` leaving out
the other shards' pages. `--dirty` builds a page only when its source is newer than the page already built
(every page, in an empty folder) and never empties the folder first, so the shards do not undo each other's
work. Pages that every shard builds (the nav's, the theme's 404 and assets) come out the same from each. A
page does not depend on any other page, so a shard builds it byte for byte as a single build would (tests
check both). Zensical builds in parallel on its own: it would run as one shard.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import ToolError
from .render.layout import url_of

# A shard holds every page it builds in memory: this bounds one MkDocs process at about 1 GB.
SHARD_MAX_PAGES = 12_500
# A shard is worth starting for about this many pages to build; fewer cost more to start than they save.
SHARD_MIN_PAGES = 200
# What building one page costs beyond its size (mostly the theme), counted in bytes of Markdown.
PAGE_COST_BYTES = 10_000
# Paper files are shared out by their first character, listing folders whole; names made of these
# characters are safe in an `exclude_docs` pattern. Anything else stays with the first shard.
SHARDABLE_CHARACTERS = "0123456789abcdefghijklmnopqrstuvwxyz"
SHARDABLE_FOLDER = re.compile(r"[a-z0-9][a-z0-9_-]*")


@dataclass(frozen=True)
class PageGroup:
    """Pages one shard builds together: papers/<first character>*, or a folder of listing pages."""

    pattern: str  # gitignore pattern, relative to docs_dir
    cost: int


@dataclass(frozen=True)
class Shard:
    """The groups a shard builds; the first shard also builds every page of no group."""

    groups: tuple[PageGroup, ...]
    first: bool


def build_with_mkdocs(config: dict, docs_dir: Path, site_dir: Path, staging_dir: Path,
                      workers: int | None = None) -> None:
    """Build into `site_dir` every page of `docs_dir` newer than its built page (all of them, in an empty
    `site_dir`), in as many shards as pay off on `workers` cores."""
    workers = workers or os.cpu_count() or 1
    groups = page_groups(docs_dir, site_dir)
    shards = plan_shards(groups, shard_count(groups, workers))
    nav_files = sorted(navigation_files(config.get("nav") or []))
    for stale in staging_dir.glob("mkdocs.shard-*.yml"):
        stale.unlink()
    configs = [write_shard_config(config, shard, shards, nav_files, site_dir, staging_dir, number)
               for number, shard in enumerate(shards)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(run_mkdocs, configs))
    check_every_paper_built(docs_dir, site_dir)


def update_with_mkdocs(config: dict, previous_site: Path, site_dir: Path, removed_sources: tuple[str, ...],
                       staging_dir: Path, leave_out: str) -> None:
    """Make `site_dir` a copy of `previous_site` (without its `leave_out` folder) with the pages whose
    source changed rebuilt and those whose source was removed deleted.

    The staging docs keep an unchanged file's modification time, so `--dirty` rebuilds exactly the changed
    pages. This is right only when no page depends on another page's source, which holds here: the nav
    names a fixed set of pages, and the footer is the same on every page.
    """
    shutil.copytree(previous_site, site_dir, dirs_exist_ok=True,
                    ignore=lambda folder, names: [leave_out] if Path(folder) == previous_site else [])
    for source in removed_sources:
        remove_output(site_dir, source)
    build_with_mkdocs(config, Path(config["docs_dir"]), site_dir, staging_dir)


def remove_output(site_dir: Path, source: str) -> None:
    """Delete what MkDocs made of `source` (with directory URLs), and the folders that leaves empty."""
    output = site_dir / (url_of(source) + "index.html" if source.endswith(".md") else source)
    output.unlink(missing_ok=True)
    for folder in output.parents:
        if folder == site_dir or not folder.is_dir() or any(folder.iterdir()):
            break
        folder.rmdir()


def page_groups(docs_dir: Path, site_dir: Path) -> list[PageGroup]:
    """The groups of pages to build, each with the estimated cost of its pages that need building."""
    costs: dict[str, int] = {}
    for path in docs_dir.rglob("*.md"):
        relative = path.relative_to(docs_dir)
        built = site_dir / (url_of(relative.as_posix()) + "index.html")
        if len(relative.parts) < 2 or not needs_building(path, built):
            continue
        if relative.parts[0] == "papers" and len(relative.parts) == 2 and relative.name[0] in SHARDABLE_CHARACTERS:
            pattern = f"/papers/{relative.name[0]}*"
        elif relative.parts[0] != "papers" and SHARDABLE_FOLDER.fullmatch(relative.parts[0]):
            pattern = f"/{relative.parts[0]}/"
        else:
            continue
        costs[pattern] = costs.get(pattern, 0) + path.stat().st_size + PAGE_COST_BYTES
    return [PageGroup(pattern, cost) for pattern, cost in sorted(costs.items())]


def needs_building(source: Path, built: Path) -> bool:
    """MkDocs' `--dirty` test, for planning: no built page, or one older than its source."""
    try:
        return built.stat().st_mtime < source.stat().st_mtime
    except FileNotFoundError:
        return True


def shard_count(groups: list[PageGroup], workers: int) -> int:
    pages = sum(group.cost for group in groups) // PAGE_COST_BYTES  # at most the pages to build
    return max(1, min(workers, pages // SHARD_MIN_PAGES), -(-pages // SHARD_MAX_PAGES))


def plan_shards(groups: list[PageGroup], count: int) -> list[Shard]:
    """Share the groups out so the shards cost about the same: largest first, each to the lightest."""
    loads = [0] * count
    chosen: list[list[PageGroup]] = [[] for _ in range(count)]
    for group in sorted(groups, key=lambda group: (-group.cost, group.pattern)):
        lightest = min(range(count), key=lambda number: (loads[number], number))
        loads[lightest] += group.cost
        chosen[lightest].append(group)
    shards = [Shard(tuple(chosen[number]), first=number == 0) for number in range(count)]
    return [shard for shard in shards if shard.first or shard.groups]


def navigation_files(nav) -> set[str]:
    """Every docs file the `nav` names: each shard builds them, or its tabs would link nowhere."""
    if isinstance(nav, str):
        return set() if "://" in nav else {nav}
    if isinstance(nav, dict):
        return set().union(*(navigation_files(value) for value in nav.values()))
    if isinstance(nav, list):
        return set().union(set(), *(navigation_files(item) for item in nav))
    return set()


def exclusions(shard: Shard, shards: list[Shard], nav_files: list[str]) -> list[str]:
    """`exclude_docs` patterns (gitignore syntax, last match wins) leaving the shard its own pages."""
    nav = [f"!/{name}" for name in nav_files]
    if shard.first:
        return [group.pattern for other in shards if other is not shard for group in other.groups] + nav
    return ["/*", "!/papers/", "/papers/*", *(f"!{group.pattern}" for group in shard.groups), *nav]


def write_shard_config(config: dict, shard: Shard, shards: list[Shard], nav_files: list[str], site_dir: Path,
                       staging_dir: Path, number: int) -> Path:
    # The config's own patterns last, so that no shard takes back a page it leaves out.
    own = list(filter(None, str(config.get("exclude_docs") or "").splitlines()))
    shard_config = config | {"site_dir": str(site_dir.resolve()),
                             "exclude_docs": "\n".join(exclusions(shard, shards, nav_files) + own)}
    path = staging_dir / f"mkdocs.shard-{number}.yml"
    path.write_text(yaml.safe_dump(shard_config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def run_mkdocs(config_file: Path, dirty: bool = True) -> None:
    """MkDocs as a plain step (no plugins or hooks of ours): swapping in Zensical changes this line only."""
    command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(config_file),
               *(["--dirty"] if dirty else [])]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise ToolError(f"MkDocs failed; fix what it reports below, then build again:\n{result.stderr}")


def check_every_paper_built(docs_dir: Path, site_dir: Path) -> None:
    missing = [path.stem for path in (docs_dir / "papers").glob("*.md")
               if not (site_dir / "papers" / path.stem / "index.html").is_file()]
    if missing:
        raise ToolError(f"MkDocs built no page for {len(missing)} papers, for example {sorted(missing)[:3]}")
