"""Build stage: the whole story of a build, top to bottom, and the files it writes."""
from __future__ import annotations

import contextlib
import os
import time
import traceback
import urllib.parse
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2
import yaml
from mkdocs.theme import Theme
from mkdocs.utils import is_markdown_file

from . import incremental, mkdocs_hooks
from .catalog import Catalog, build_catalog
from .config import load_config, theme_overrides
from .enrich import (
    Overrides,
    Taxonomy,
    load_curation,
    paper_texts,
    related_papers,
    topics_and_links,
    with_related_papers,
)
from .enrich.topics import for_papers
from .errors import InputError, InputProblem, ToolError, not_utf8
from .folders import (
    BuildPaths,
    check_site_apart_from,
    check_site_folder,
    check_staging_folder,
    delete_replaced_site,
    delete_unfinished_sites,
    new_site_folder,
    replaced_site,
    swap_in,
)
from .parse import dates_not_taken, mixed_dating, read_dumps, unread_files
from .render import SiteSettings, compile_templates, layout, render_lists, render_papers, render_search, site_docs
from .search import BUNDLE_DIR

SITE_ROOTS = layout.GENERATED_ROOTS | {BUNDLE_DIR}  # what papercat writes at the site's root, Pagefind's index too


@dataclass(frozen=True)
class BuildSummary:
    records: int
    papers: int
    recurring: int
    files_written: int  # files of the staging docs whose bytes changed
    files_unchanged: int
    pages_reused: int  # pages of the previous site kept as they were, not built again
    warnings: tuple[str, ...]  # what MkDocs warned about
    seconds: float
    notes: tuple[str | InputProblem, ...] = ()  # what the input should change, though the build succeeded

    def __str__(self) -> str:
        return (f"{self.records} records read, {self.papers} papers, {self.recurring} recurring, "
                f"{self.files_written} files written ({self.files_unchanged} unchanged), "
                f"{self.pages_reused} pages reused from the previous site, in {self.seconds:.1f} s")


Step = Callable[[str], None]


@dataclass(frozen=True)
class CheckedInput:
    catalog: Catalog
    taxonomy: Taxonomy
    overrides: Overrides
    config: dict  # mkdocs.yml as MkDocs reads it
    hand_written: dict[str, bytes]  # the files of its docs_dir (hand_written_files)
    build_day: str  # YYYY-MM-DD, the day pages and feeds give the build (build_date)
    notes: tuple[str | InputProblem, ...]  # what the input should change, though it is valid; where, if one place


def check(paths: BuildPaths, step: Step = lambda name: None) -> CheckedInput:
    """Parse, merge and validate everything a build reads; raise InputError with every problem."""
    step("parse")
    build_day = build_date()
    (config, hand_written), dumps, (taxonomy, every_override), _ = every_problem_at_once(
        lambda: config_and_pages(paths.config_file), lambda: read_dumps(paths.dumps_dir),
        lambda: load_curation(paths.taxonomy_file, paths.overrides_file),
        lambda: checked_templates(paths.templates_dir))
    step("catalog")
    catalog = build_catalog(dumps)
    overrides = for_papers(every_override, paths.overrides_file, catalog.papers_by_id.keys())
    notes: tuple[str | InputProblem, ...] = (
        *unread_files(paths.dumps_dir), *dates_not_taken(catalog.dumps), *overrides.unknown_papers,
        *(note for note in [mixed_dating(catalog.dumps)] if note))
    return CheckedInput(catalog, taxonomy, overrides, config, hand_written, build_day, notes)


def config_and_pages(config_file: Path) -> tuple[dict, dict[str, bytes]]:
    """mkdocs.yml, its theme's overrides compiled, and the hand-written pages of the docs_dir it names."""
    config = load_config(config_file)
    checked_theme_overrides(config_file, config)
    return config, hand_written_files(site_sources(config_file, config))


def every_problem_at_once(*loads: Callable[[], Any]) -> list[Any]:
    """What each of `loads` returns; if any raises InputError, one InputError with the problems of them all, so
    that a user fixing the dumps does not meet the hand-written pages' problems only on the next run."""
    results: list[Any] = []
    problems: list[InputProblem] = []
    for load in loads:
        try:
            results.append(load())
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems)
    return results


def build(paths: BuildPaths, step: Step = lambda name: None, waiting: Step = lambda message: None) -> BuildSummary:
    """Read every dump, then write the site; on any error the previous site is left as it was."""
    started = time.perf_counter()
    check_site_folder(paths)
    check_staging_folder(paths)
    # Before the staging folder is made: a refused one inside the hand-written pages would stay there.
    try:
        config = load_config(paths.config_file)
    except InputError:
        check(paths)  # raises with the config's problems and every other input's
        raise
    check_site_apart_from(site_sources(paths.config_file, config), paths)
    # The process of related papers is started first, to load its modules while the dumps are read.
    with incremental.quick_build(paths.staging_dir, paths.site_dir, paths.templates_dir,
                                 {"docs": paths.docs_dir, "search": paths.search_dir}, related_papers,
                                 waiting) as quick:
        checked = check(paths, step)
        quick.keep()
        catalog, config, hand_written = checked.catalog, checked.config, checked.hand_written
        delete_unfinished_sites(paths.site_dir)
        step("enrich")
        # Related papers need the papers' words only, a search document its paper's topics and links only, and
        # a listing no related papers: the first are found while the papers are tagged, the search documents
        # indexed and the listings rendered; the search documents are indexed while the pages are built.
        wait_for_related = quick.start_related(paper_texts(catalog))
        with (template_problems(paths.templates_dir), new_site_folder(paths.site_dir) as new_site,
              ThreadPoolExecutor(max_workers=1) as search_indexer):
            tagged = topics_and_links(catalog, checked.taxonomy, checked.overrides, quick.tagger)
            search_documents = render_search(catalog, tagged, paths.templates_dir, quick.pages)
            search = quick.index_search(search_indexer, search_documents, new_site / BUNDLE_DIR)
            lists = render_lists(catalog, tagged, paths.templates_dir, checked.build_day,
                                 SiteSettings(config.get("site_url"), config["site_name"]))
            enrichment = with_related_papers(tagged, wait_for_related())
            quick.keep()
            step("render")
            docs = site_docs(lists, render_papers(catalog, enrichment, paths.templates_dir, quick.pages),
                             [path for path in hand_written if is_markdown_file(path)], config.get("site_url"))
            built = quick.build_pages(write_build_config(paths, config, new_site), hand_written | docs,
                                       [path for path in docs if path.endswith(".md")], new_site, step)
            # Pagefind often finishes last: these use the time spent waiting for it.
            check_every_page_fresh(paths.docs_dir, new_site)
            delete_replaced_site(paths.staging_dir)
            search.result()
            swap_in(new_site, paths.site_dir, replaced_site(paths.staging_dir))
            quick.site_in_place(built)
    return BuildSummary(records=catalog.record_count, papers=len(catalog.papers), recurring=len(catalog.recurring),
                        files_written=built.written, files_unchanged=built.unchanged,
                        pages_reused=built.reused, warnings=built.warnings,
                        seconds=time.perf_counter() - started,
                        notes=(*checked.notes, *local_address_note(config.get("site_url"))))


def hand_written_files(hand_written_dir: Path) -> dict[str, bytes]:
    """The files of the hand-written `docs_dir` that MkDocs reads (path in it -> content): not those under a
    name starting with a dot (an editor's `.#about.md`), which MkDocs leaves out. InputError for every symbolic
    link, which would put a file from anywhere on the machine (/proc/self/environ, say) into the site, every
    Markdown page that is not UTF-8, and every file MkDocs would write where papercat writes (SITE_ROOTS)."""
    paths = [path for path in sorted(hand_written_dir.rglob("*"))
             if not any(part.startswith(".") for part in path.relative_to(hand_written_dir).parts)]
    problems = [InputProblem(str(path), 0, "a symbolic link; expected a file (no file outside the docs_dir of "
                                           "mkdocs.yml is read into the site)")
                for path in paths if path.is_symlink()]
    files = {path.relative_to(hand_written_dir).as_posix(): path.read_bytes()
             for path in paths if path.is_file() and not path.is_symlink()}
    for path, content in files.items():
        if (root := written_file(path).split("/")[0]) in SITE_ROOTS:
            problems.append(InputProblem(str(hand_written_dir / path), 0, (
                f"MkDocs would write it into the site's {root}, where papercat writes its own, and one of the two "
                f"would be lost; expected a path outside {', '.join(sorted(SITE_ROOTS))}")))
        if is_markdown_file(path):
            try:
                content.decode("utf-8")
            except UnicodeDecodeError as error:
                problems.append(not_utf8(str(hand_written_dir / path), error, "a Markdown page in UTF-8"))
    if problems:
        raise InputError(problems)
    return files


def written_file(source: str) -> str:
    """The file of the site MkDocs writes for the file `source` of its docs folder."""
    # Any Markdown extension MkDocs knows: `dumps.markdown` is dumps/index.html too.
    return layout.built_page(f"{os.path.splitext(source)[0]}.md") if is_markdown_file(source) else source


def site_sources(config_file: Path, config: dict) -> Path:
    """The hand-written `docs_dir` named in mkdocs.yml."""
    return (config_file.parent / config.get("docs_dir", "docs")).resolve()


def local_address_note(site_url: str | None) -> list[str]:
    """A note where the site is built for the local preview's address: the feeds and the sitemap link there,
    and a site published so sent feed readers to localhost, silently."""
    if urllib.parse.urlsplit(site_url or "").hostname not in ("127.0.0.1", "localhost", "::1", "0.0.0.0"):
        return []
    return [f"site_url is {site_url}, the local preview's address, and the feeds and the sitemap link there; "
            "before publishing, build with PAPERCAT_SITE_URL (or site_url in mkdocs.yml) set to the address the "
            "site is served from"]


def check_every_page_fresh(docs_dir: Path, site_dir: Path) -> None:
    stale = incremental.stale_pages(docs_dir, site_dir)
    if stale:
        raise ToolError(f"MkDocs left {len(stale)} pages missing or out of date, for example {stale[:3]}; if a "
                        "plugin or hook of mkdocs.yml leaves pages out, let it keep papercat's; else a page of the "
                        "site was changed after it was built: build again, which builds every page anew")


def write_build_config(paths: BuildPaths, config: dict, site_dir: Path) -> dict:
    """`config` (mkdocs.yml as loaded) with the staging docs folder and the new site folder, written beside
    the staging docs (`papercat serve` previews with it)."""
    config = config | {"docs_dir": str(paths.docs_dir.resolve()), "site_dir": str(site_dir.resolve()),
                       "hooks": [*config.get("hooks", []), mkdocs_hooks.__file__]}
    if theme_dir := theme_overrides(config, paths.config_file.parent):
        config["theme"] = config["theme"] | {"custom_dir": str(theme_dir)}
    paths.staged_config_file.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return config


def build_date() -> str:
    """Today in UTC, or the date SOURCE_DATE_EPOCH names, for reproducible builds (set but empty, as CI
    systems leave it, means unset)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    try:
        moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    except (ValueError, OverflowError, OSError):
        raise InputError([InputProblem("SOURCE_DATE_EPOCH", 0, (
            f"{epoch!r} is not a time papercat can date a build by; expected whole seconds since 1970 (such as "
            "1767225600), or the variable unset"))]) from None
    return moment.strftime("%Y-%m-%d")


@contextlib.contextmanager
def template_problems(templates_dir: Path) -> Iterator[None]:
    """A template that fails to render (a syntax error, a name it does not have, a file missing) is reported
    as an input problem on its file and line, not as a traceback."""
    try:
        yield
    except Exception as error:
        place = template_line(error, templates_dir)
        if place is None:
            raise
        message = getattr(error, "message", None) or str(error)
        raise InputError([InputProblem(*place, f"the template failed: {type(error).__name__}: {message}; expected "
                                               "a template that renders (undo the last change to it)")]) from None


def checked_theme_overrides(config_file: Path, config: dict) -> None:
    """Every template of the theme's overrides (its custom_dir) compiles in MkDocs' environment for the theme,
    which renders them: a syntax error is reported on its line by `check` too, as for a template of papercat's
    (one that fails as it renders, or names a filter the theme lacks, is named when MkDocs builds)."""
    theme_dir = theme_overrides(config, config_file.parent)
    if theme_dir is None:
        return
    environment = Theme(name=config["theme"].get("name", "material"), custom_dir=str(theme_dir)).get_env()
    with template_problems(theme_dir):
        for path in sorted(theme_dir.rglob("*.html")):
            environment.get_template(path.relative_to(theme_dir).as_posix())


def checked_templates(templates_dir: Path) -> None:
    """Every template compiles (render finds what else can fail in one): `papercat check` reports it too."""
    with template_problems(templates_dir):
        compile_templates(templates_dir)


def template_line(error: Exception, templates_dir: Path) -> tuple[str, int] | None:
    """(file, line) of the papercat template `error` is the fault of, or None: an error raised in Python code a
    template calls is papercat's own, and keeps its traceback."""
    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        return error.filename, error.lineno
    if isinstance(error, jinja2.TemplateNotFound):
        return str(templates_dir / error.name) if error.name else str(templates_dir), 0
    # Jinja2 rewrites a template's frames to point at its own file and line.
    frames = [(frame.f_code.co_filename, line) for frame, line in traceback.walk_tb(error.__traceback__)]
    in_templates = [(file, line) for file, line in frames
                    if file.endswith(".j2") and Path(file).is_relative_to(templates_dir)]
    if not in_templates or not (isinstance(error, jinja2.TemplateError) or frames[-1] == in_templates[-1]):
        return None
    return in_templates[-1]
