"""Build stage, the site builder: MkDocs over the staging docs, split into shards run side by side, or only
over the pages that changed since the previous site.

MkDocs builds one page after another on one core, and holds every page it built until the end. Each shard is
a plain `mkdocs build` of the same docs with `exclude_docs` leaving out the other shards' paper pages; one
shard builds everything else. The shards' paper folders are then moved into that shard's site. A paper page
does not depend on any other page, so a shard builds it byte for byte as a single build would (a test checks
it). Zensical builds in parallel on its own: it would run as one shard.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

# A shard holds every page it builds in memory: this bounds one MkDocs process at about 1 GB.
SHARD_MAX_PAGES = 12_500
# Below this many paper pages, starting a second MkDocs costs more than it saves.
SHARD_MIN_PAPERS = 200
# What building one page costs beyond its size (mostly the theme), counted in bytes of Markdown.
PAGE_COST_BYTES = 10_000
# Paper files are shared out by their first character; slugs start with one of these.
SHARDABLE = "0123456789abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Shard:
    """The paper files a shard builds, by first character; the shard with `rest` builds all other pages."""

    prefixes: frozenset[str]
    rest: bool


def build_with_mkdocs(config: dict, docs_dir: Path, site_dir: Path, staging_dir: Path,
                      workers: int | None = None) -> None:
    """Build `docs_dir` into `site_dir` with MkDocs, in as many shards as pay off on `workers` cores."""
    workers = workers or os.cpu_count() or 1
    shards = plan_shards(paper_costs(docs_dir), other_pages_cost(docs_dir), shard_count(docs_dir, workers))
    nav_files = sorted(navigation_files(config.get("nav") or []))
    sites = {shard: site_dir if shard.rest else Path(tempfile.mkdtemp(prefix=".shard-", dir=site_dir.parent))
             for shard in shards}
    try:
        configs = [write_shard_config(config, shard, shards, nav_files, sites[shard], staging_dir, number)
                   for number, shard in enumerate(shards)]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(run_mkdocs, configs))
        for shard, shard_site in sites.items():
            if not shard.rest:
                move_papers(shard_site, site_dir)
    finally:
        for shard, shard_site in sites.items():
            if not shard.rest:
                shutil.rmtree(shard_site, ignore_errors=True)
    check_every_paper_built(docs_dir, site_dir)


def update_with_mkdocs(config: dict, previous_site: Path, site_dir: Path, removed_sources: tuple[str, ...],
                       staging_dir: Path, leave_out: str) -> None:
    """Make `site_dir` a copy of `previous_site` (without its `leave_out` folder) with the pages whose
    source changed rebuilt and those whose source was removed deleted.

    MkDocs' `--dirty` rebuilds a page when its source is newer than the built page; the staging docs keep
    an unchanged file's modification time. This is right only when no page depends on another page's
    source, which holds here: the nav names a fixed set of pages, and the footer is the same on every page.
    """
    shutil.copytree(previous_site, site_dir, dirs_exist_ok=True,
                    ignore=lambda folder, names: [leave_out] if Path(folder) == previous_site else [])
    for source in removed_sources:
        remove_output(site_dir, source)
    config_file = staging_dir / "mkdocs.update.yml"
    config_file.write_text(yaml.safe_dump(config | {"site_dir": str(site_dir.resolve())}, sort_keys=False,
                                          allow_unicode=True), encoding="utf-8")
    run_mkdocs(config_file, dirty=True)
    check_every_paper_built(Path(config["docs_dir"]), site_dir)


def remove_output(site_dir: Path, source: str) -> None:
    """Delete what MkDocs made of `source` (with directory URLs), and the folders that leaves empty."""
    if source.endswith(".md"):
        stem = source.removesuffix(".md")
        folder = stem.removesuffix("index") if stem == "index" or stem.endswith("/index") else stem + "/"
        output = site_dir / folder / "index.html"
    else:
        output = site_dir / source
    output.unlink(missing_ok=True)
    for folder in output.parents:
        if folder == site_dir or not folder.is_dir() or any(folder.iterdir()):
            break
        folder.rmdir()


def paper_costs(docs_dir: Path) -> dict[str, int]:
    """The estimated cost of each first character's paper pages."""
    costs: dict[str, int] = {}
    for path in (docs_dir / "papers").glob("*.md"):
        costs[path.name[0]] = costs.get(path.name[0], 0) + path.stat().st_size + PAGE_COST_BYTES
    return costs


def other_pages_cost(docs_dir: Path) -> int:
    """The estimated cost of the pages outside papers/: listings, mostly."""
    return sum(path.stat().st_size + PAGE_COST_BYTES for path in docs_dir.rglob("*.md")
               if path.relative_to(docs_dir).parts[0] != "papers")


def shard_count(docs_dir: Path, workers: int) -> int:
    papers = sum(1 for _ in (docs_dir / "papers").glob("*.md"))
    if papers < SHARD_MIN_PAPERS:
        return 1
    return max(workers, -(-papers // SHARD_MAX_PAGES))


def plan_shards(costs: dict[str, int], other_pages_cost: int, count: int) -> list[Shard]:
    """Share the first characters out so the shards cost about the same (largest first, to the lightest).

    The shard with the other pages starts with their cost; characters outside SHARDABLE stay with it.
    """
    rest_cost = other_pages_cost + sum(cost for prefix, cost in costs.items() if prefix not in SHARDABLE)
    loads = [rest_cost] + [0] * (count - 1)
    prefixes: list[set[str]] = [set() for _ in range(count)]
    for prefix, cost in sorted(((p, c) for p, c in costs.items() if p in SHARDABLE), key=lambda pc: (-pc[1], pc[0])):
        lightest = min(range(count), key=lambda number: (loads[number], number))
        loads[lightest] += cost
        prefixes[lightest].add(prefix)
    shards = [Shard(frozenset(prefixes[number]), rest=number == 0) for number in range(count)]
    return [shard for shard in shards if shard.rest or shard.prefixes]


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
    if shard.rest:
        others = "".join(sorted(set().union(*(other.prefixes for other in shards if not other.rest))))
        return [f"/papers/[{others}]*"] if others else []
    return ["/*", "!/papers/", *(f"!/{name}" for name in nav_files),
            "/papers/*", f"!/papers/[{''.join(sorted(shard.prefixes))}]*"]


def write_shard_config(config: dict, shard: Shard, shards: list[Shard], nav_files: list[str], site_dir: Path,
                       staging_dir: Path, number: int) -> Path:
    own = list(filter(None, str(config.get("exclude_docs") or "").splitlines()))
    shard_config = config | {"site_dir": str(site_dir.resolve()),
                             "exclude_docs": "\n".join(own + exclusions(shard, shards, nav_files))}
    path = staging_dir / f"mkdocs.shard-{number}.yml"
    path.write_text(yaml.safe_dump(shard_config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def run_mkdocs(config_file: Path, dirty: bool = False) -> None:
    """MkDocs as a plain step (no plugins or hooks of ours): swapping in Zensical changes this line only."""
    command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(config_file),
               *(["--dirty"] if dirty else [])]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"MkDocs failed:\n{result.stderr}")


def move_papers(shard_site: Path, site_dir: Path) -> None:
    target = site_dir / "papers"
    target.mkdir(exist_ok=True)
    for folder in sorted((shard_site / "papers").iterdir()):
        folder.rename(target / folder.name)


def check_every_paper_built(docs_dir: Path, site_dir: Path) -> None:
    missing = [path.stem for path in (docs_dir / "papers").glob("*.md")
               if not (site_dir / "papers" / path.stem / "index.html").is_file()]
    if missing:
        raise RuntimeError(f"MkDocs built no page for {len(missing)} papers, for example {sorted(missing)[:3]}")
