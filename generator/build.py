"""Build stage: the whole story of a build, top to bottom, and the files it writes."""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import yaml
from mkdocs.utils.yaml import yaml_load as mkdocs_yaml_load

from .catalog import Catalog, build_catalog
from .enrich import Overrides, Taxonomy, enrich, load_curation
from .errors import InputError, InputProblem
from .parse import read_dumps
from .render import generated_files
from .search import index_site
from .shards import build_with_mkdocs

PROJECT_ROOT = Path(__file__).resolve().parent.parent


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
    seconds: float

    def __str__(self) -> str:
        return (f"{self.records} records read, {self.papers} papers, {self.recurring} recurring, "
                f"{self.pages_written} files written ({self.files_unchanged} unchanged) in {self.seconds:.1f} s")


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
    config = load_config(paths.config_file)
    hand_written_dir = site_sources(paths.config_file, config)
    hand_written_pages = sorted(path.relative_to(hand_written_dir).as_posix() for path in hand_written_dir.rglob("*.md"))
    generated = generated_files(catalog, enrichment, paths.templates_dir, build_date(), config.get("site_url"),
                                hand_written_pages)
    written, unchanged = sync_tree(generated, hand_written_dir, paths.docs_dir)
    build_site(paths, catalog, step)
    return BuildSummary(records=catalog.record_count, papers=len(catalog.papers), recurring=len(catalog.recurring),
                        pages_written=written, files_unchanged=unchanged,
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


def sync_tree(generated: Iterable[tuple[str, bytes]], hand_written_dir: Path, target: Path) -> tuple[int, int]:
    """Make `target` hold the hand-written pages plus the generated files, touching only what changed.

    An unchanged file keeps its bytes and modification time, so a rebuild after a new dump rewrites only
    the pages that dump changed.
    """
    target.mkdir(parents=True, exist_ok=True)
    wanted: set[Path] = set()
    written = unchanged = 0
    for relative, content in iter_all(generated, hand_written_dir):
        path = safe_join(target, relative)
        wanted.add(path)
        if write_if_changed(path, content):
            written += 1
        else:
            unchanged += 1
    remove_unwanted(target, wanted)
    return written, unchanged


def iter_all(generated: Iterable[tuple[str, bytes]], hand_written_dir: Path) -> Iterable[tuple[str, bytes]]:
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


def remove_unwanted(target: Path, wanted: set[Path]) -> None:
    for path in sorted(target.rglob("*"), reverse=True):
        if path.is_file() and path not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def build_site(paths: BuildPaths, catalog: Catalog, step: Step) -> None:
    """Run MkDocs and the search indexer into a fresh folder, then swap it in: a failed build never leaves
    half a site."""
    paths.site_dir.parent.mkdir(parents=True, exist_ok=True)
    new_site = Path(tempfile.mkdtemp(prefix=f".{paths.site_dir.name}.new-", dir=paths.site_dir.parent))
    try:
        config = write_build_config(paths, new_site, catalog)
        step("mkdocs")
        build_with_mkdocs(config, paths.docs_dir, new_site, paths.staging_dir)
        step("search")
        index_site(new_site)
        swap_in(new_site, paths.site_dir)
    finally:
        shutil.rmtree(new_site, ignore_errors=True)


def write_build_config(paths: BuildPaths, site_dir: Path, catalog: Catalog) -> dict:
    """mkdocs.yml with the staging docs folder, the new site folder and this build's footer facts, written
    beside the staging docs (`papercat serve` previews with it)."""
    config = load_config(paths.config_file)
    config["docs_dir"] = str(paths.docs_dir.resolve())
    config["site_dir"] = str(site_dir.resolve())
    theme = config.setdefault("theme", {})
    if isinstance(theme, dict) and "custom_dir" in theme:
        theme["custom_dir"] = str((paths.config_file.parent / theme["custom_dir"]).resolve())
    config.setdefault("extra", {})["papercat"] = {
        "built": build_date(),
        "papers": len(catalog.papers),
        "dumps": len(catalog.dumps),
        "recurring": len(catalog.recurring),
    }
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
