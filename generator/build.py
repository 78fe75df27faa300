"""Build stage: the whole story of a build, top to bottom, and the files it writes."""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import yaml
from mkdocs.utils.yaml import yaml_load as mkdocs_yaml_load

from .catalog import Catalog, build_catalog
from .enrich import Overrides, Taxonomy, enrich, load_curation
from .errors import InputError, InputProblem
from .parse import read_dumps
from .render import generated_files
from .search import BUNDLE_DIR, index_site
from .site_builder import build_with_mkdocs, update_with_mkdocs

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Left beside the staging docs by a build that put its site in place.
BUILD_RECORD = "site-build-record"
BUILDER_PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions")
# Above this share of changed files, building every page in parallel shards is about as quick.
MAX_UPDATED_SHARE = 0.25


@dataclass(frozen=True)
class BuildPaths:
    """Where a build reads and writes; relative paths are taken from the project root."""

    dumps_dir: Path = PROJECT_ROOT / "dumps"
    site_dir: Path = PROJECT_ROOT / "site"
    config_file: Path = PROJECT_ROOT / "mkdocs.yml"
    templates_dir: Path = PROJECT_ROOT / "templates"
    taxonomy_file: Path = PROJECT_ROOT / "taxonomy.yml"
    overrides_file: Path = PROJECT_ROOT / "tags.yml"
    staging_dir: Path = PROJECT_ROOT / "build"

    @property
    def docs_dir(self) -> Path:
        return self.staging_dir / "docs"


@dataclass(frozen=True)
class BuildSummary:
    records: int
    papers: int
    recurring: int
    pages_written: int
    files_unchanged: int
    site_updated: bool  # MkDocs rebuilt only the changed pages of the previous site
    seconds: float

    def __str__(self) -> str:
        how = "the changed pages rebuilt" if self.site_updated else "every page built"
        return (f"{self.records} records read, {self.papers} papers, {self.recurring} recurring, "
                f"{self.pages_written} files written ({self.files_unchanged} unchanged), {how}, "
                f"in {self.seconds:.1f} s")


Step = Callable[[str], None]


def check(paths: BuildPaths, step: Step = lambda name: None) -> tuple[Catalog, Taxonomy, Overrides]:
    """Parse, merge and validate everything a build reads; raise InputError with every problem."""
    step("parse")
    dumps = read_dumps(paths.dumps_dir)
    step("catalog")
    catalog = build_catalog(dumps)
    taxonomy, overrides = load_curation(paths.taxonomy_file, paths.overrides_file, catalog)
    return catalog, taxonomy, overrides


def build(paths: BuildPaths, step: Step = lambda name: None) -> BuildSummary:
    """Read every dump, then write the site; on any error the previous site is left as it was."""
    started = time.perf_counter()
    catalog, taxonomy, overrides = check(paths, step)
    step("enrich")
    enrichment = enrich(catalog, taxonomy, overrides)
    step("render")
    # Taken away until this build has put its site in place: a build that fails halfway leaves docs the old
    # site was not built from, so the next build must be a full one.
    previous_build = take_build_record(paths)
    config = load_config(paths.config_file)
    hand_written_dir = site_sources(paths.config_file, config)
    hand_written_pages = sorted(path.relative_to(hand_written_dir).as_posix() for path in hand_written_dir.rglob("*.md"))
    generated = generated_files(catalog, enrichment, paths.templates_dir, build_date(), config.get("site_url"),
                                hand_written_pages, paths.docs_dir)
    synced = sync_tree(generated, hand_written_dir, paths.docs_dir)
    updated = build_site(paths, config, synced, previous_build, step)
    return BuildSummary(records=catalog.record_count, papers=len(catalog.papers), recurring=len(catalog.recurring),
                        pages_written=synced.written, files_unchanged=synced.unchanged, site_updated=updated,
                        seconds=time.perf_counter() - started)


def site_sources(config_file: Path, config: dict) -> Path:
    """The hand-written `docs_dir` named in mkdocs.yml."""
    return (config_file.parent / config.get("docs_dir", "docs")).resolve()


def load_config(config_file: Path) -> dict:
    """mkdocs.yml as MkDocs reads it, `!ENV` tags resolved."""
    try:
        with config_file.open(encoding="utf-8") as stream:
            return mkdocs_yaml_load(stream) or {}
    except (OSError, yaml.YAMLError) as error:
        raise InputError([InputProblem(str(config_file), 0, f"cannot read it ({error}); expected a MkDocs config")])


@dataclass(frozen=True)
class SyncResult:
    written: int
    unchanged: int
    removed: tuple[str, ...]  # paths relative to the synced folder


def sync_tree(generated: Iterable[tuple[str, bytes | None]], hand_written_dir: Path, target: Path) -> SyncResult:
    """Make `target` hold the hand-written pages plus the generated files, touching only what changed.

    An unchanged file keeps its bytes and modification time, so a rebuild after a new dump rewrites only
    the pages that dump changed. A generated file given as None is one `target` already holds as it is.
    """
    target.mkdir(parents=True, exist_ok=True)
    wanted: set[Path] = set()
    written = unchanged = 0
    for relative, content in iter_all(generated, hand_written_dir):
        path = safe_join(target, relative)
        wanted.add(path)
        if content is not None and write_if_changed(path, content):
            written += 1
        else:
            unchanged += 1
    return SyncResult(written, unchanged, remove_unwanted(target, wanted))


def iter_all(generated: Iterable[tuple[str, bytes | None]],
             hand_written_dir: Path) -> Iterable[tuple[str, bytes | None]]:
    for path in sorted(hand_written_dir.rglob("*")):
        if path.is_file():
            yield path.relative_to(hand_written_dir).as_posix(), path.read_bytes()
    yield from generated


def safe_join(root: Path, relative: str) -> Path:
    """`root / relative`, refusing any path that would leave `root`."""
    path = (root / relative).resolve()
    if not path.is_relative_to(root.resolve()):
        raise ValueError(f"refusing to write outside {root}: {relative!r}")
    return path


def write_if_changed(path: Path, content: bytes) -> bool:
    try:
        if path.stat().st_size == len(content) and path.read_bytes() == content:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(content)
    temporary.replace(path)
    return True


def remove_unwanted(target: Path, wanted: set[Path]) -> tuple[str, ...]:
    """Remove the files of `target` not in `wanted`, and folders left empty; the files removed."""
    removed = []
    for path in sorted(target.rglob("*"), reverse=True):
        if path.is_file() and path not in wanted:
            path.unlink()
            removed.append(path.relative_to(target).as_posix())
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return tuple(sorted(removed))


def build_site(paths: BuildPaths, config: dict, synced: SyncResult, previous_build: str | None,
               step: Step) -> bool:
    """Run MkDocs and the search indexer into a fresh folder, then swap it in: a failed build never leaves
    half a site. When the previous site was built the same way and few pages changed, it is copied and only
    the changed pages are rebuilt; returns whether that was so."""
    paths.site_dir.parent.mkdir(parents=True, exist_ok=True)
    new_site = Path(tempfile.mkdtemp(prefix=f".{paths.site_dir.name}.new-", dir=paths.site_dir.parent))
    try:
        config = write_build_config(paths, config, new_site)
        record = build_record(config, paths.site_dir)
        update = (previous_build == record and paths.site_dir.is_dir()
                  and synced.written <= MAX_UPDATED_SHARE * (synced.written + synced.unchanged))
        step("mkdocs")
        if update:
            update_with_mkdocs(config, paths.site_dir, new_site, synced.removed, paths.staging_dir,
                               leave_out=BUNDLE_DIR)
        else:
            build_with_mkdocs(config, paths.docs_dir, new_site, paths.staging_dir)
        step("search")
        index_site(new_site)
        swap_in(new_site, paths.site_dir)
        (paths.staging_dir / BUILD_RECORD).write_text(record, encoding="utf-8")
        return update
    finally:
        shutil.rmtree(new_site, ignore_errors=True)


def take_build_record(paths: BuildPaths) -> str | None:
    """What the site in place was built with (see build_record), removing the record; None if unknown."""
    path = paths.staging_dir / BUILD_RECORD
    try:
        record = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    path.unlink()
    return record


def build_record(config: dict, site_dir: Path) -> str:
    """A digest of what every page's HTML depends on besides its own source: the MkDocs config, the theme
    overrides and the versions of the builder and its extensions; and of which site it was built into (two
    sites may share a staging folder)."""
    digest = hashlib.sha256(yaml.safe_dump({**config, "site_dir": str(site_dir.resolve())},
                                           sort_keys=True).encode("utf-8"))
    custom_dir = config.get("theme", {}).get("custom_dir") if isinstance(config.get("theme"), dict) else None
    for path in sorted(Path(custom_dir).rglob("*")) if custom_dir else ():
        if path.is_file():
            digest.update(path.as_posix().encode("utf-8") + b"\0" + path.read_bytes())
    for package in BUILDER_PACKAGES:
        digest.update(f"{package}=={metadata.version(package)}".encode("utf-8"))
    return digest.hexdigest()


def write_build_config(paths: BuildPaths, config: dict, site_dir: Path) -> dict:
    """`config` (mkdocs.yml as loaded) with the staging docs folder and the new site folder, written beside
    the staging docs (`papercat serve` previews with it)."""
    config = config | {"docs_dir": str(paths.docs_dir.resolve()), "site_dir": str(site_dir.resolve())}
    theme = config.get("theme")
    if isinstance(theme, dict) and "custom_dir" in theme:
        config["theme"] = theme | {"custom_dir": str((paths.config_file.parent / theme["custom_dir"]).resolve())}
    config_file = paths.staging_dir / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return config


def build_date() -> str:
    """Today in UTC, or the date SOURCE_DATE_EPOCH names, for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    return moment.strftime("%Y-%m-%d")


def swap_in(new_site: Path, site_dir: Path) -> None:
    old_site = site_dir.with_name(f".{site_dir.name}.old")
    shutil.rmtree(old_site, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(old_site)
    new_site.rename(site_dir)
    shutil.rmtree(old_site, ignore_errors=True)
