"""Build stage: the whole story of a build, top to bottom, and the files it writes."""
from __future__ import annotations

import contextlib
import ctypes
import fnmatch
import glob
import os
import re
import secrets
import shutil
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2
import yaml
from mkdocs.utils import is_markdown_file

from . import incremental, mkdocs_hooks
from .catalog import Catalog, build_catalog
from .config import load_config
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
from .parse import dates_not_taken, mixed_dating, read_dumps, unread_files
from .render import SiteSettings, compile_templates, layout, render_lists, render_papers, render_search, site_docs
from .search import BUNDLE_DIR

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Every site papercat builds has it at its root; a data folder of a user's could hold a catalog.json.
SITE_MARK = incremental.SITE_RECORD
SITE_ROOTS = layout.GENERATED_ROOTS | {BUNDLE_DIR}  # what papercat writes at the site's root, Pagefind's index too


@dataclass(frozen=True)
class BuildPaths:
    """Where a build reads and writes: by default the project's own folders, wherever the command runs."""

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

    @property
    def search_dir(self) -> Path:
        return self.staging_dir / "search"

    @property
    def staged_config_file(self) -> Path:
        """The MkDocs config of the staging docs (write_build_config), which `papercat serve` previews."""
        return self.staging_dir / "mkdocs.yml"


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
    """mkdocs.yml and the hand-written pages of the docs_dir it names."""
    config = load_config(config_file)
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
        related = quick.find_related(paper_texts(catalog))
        with (template_problems(paths.templates_dir), new_site_folder(paths.site_dir) as new_site,
              ThreadPoolExecutor(max_workers=1) as search_indexer):
            topics = topics_and_links(catalog, checked.taxonomy, checked.overrides, quick.tagger)
            search_documents = render_search(catalog, topics, paths.templates_dir, quick.pages)
            search = quick.index_search(search_indexer, search_documents, new_site / BUNDLE_DIR)
            lists = render_lists(catalog, topics, paths.templates_dir, checked.build_day,
                                 SiteSettings(config.get("site_url"), config["site_name"]))
            enrichment = with_related_papers(topics, related())
            quick.keep()
            step("render")
            docs = site_docs(lists, render_papers(catalog, enrichment, paths.templates_dir, quick.pages),
                             [path for path in hand_written if is_markdown_file(path)], config.get("site_url"))
            result = quick.build_pages(write_build_config(paths, config, new_site), hand_written | docs,
                                       [path for path in docs if path.endswith(".md")], new_site, step)
            # Pagefind often finishes last: these use the time spent waiting for it.
            check_every_page_fresh(paths.docs_dir, new_site)
            delete_replaced_site(paths.staging_dir)
            search.result()
            swap_in(new_site, paths.site_dir, replaced_site(paths.staging_dir))
            quick.site_in_place(result)
    return BuildSummary(records=catalog.record_count, papers=len(catalog.papers), recurring=len(catalog.recurring),
                        files_written=result.written, files_unchanged=result.unchanged,
                        pages_reused=result.reused, warnings=result.warnings,
                        seconds=time.perf_counter() - started, notes=checked.notes)


def check_site_folder(paths: BuildPaths) -> None:
    """Raise InputError unless the site folder is one a build may replace as a whole: not holding, nor held by,
    the dumps or the staging folder, holding none of the build's inputs, and either new, empty or a site papercat
    built (a `--site` given by mistake must not carry a user's files away); and one it can replace: not a mount
    point, in a folder it can write to."""
    site = paths.site_dir.resolve()
    not_a_site = [f"it holds the {name} {path}" for name, path in inputs_of(paths).items()
                  if path.resolve().is_relative_to(site)]
    not_a_site += [f"it is inside the {name} {path}" for name, path in (("dumps folder", paths.dumps_dir),
                                                                        ("staging folder", paths.staging_dir))
                   if path.resolve() in site.parents]
    if site.exists() and not site.is_dir():
        not_a_site.append("it is a file")
    if not not_a_site and site.is_dir():
        try:
            if any(site.iterdir()) and not (site / SITE_MARK).is_file():
                not_a_site.append(f"it holds files but no {SITE_MARK}, so it is not a site papercat built")
        except OSError as error:
            not_a_site.append(f"it cannot be read ({error.strerror})")
    problems = [f"{problem}; expected a new or empty folder, or a site papercat built (choose another --site)"
                for problem in not_a_site]
    if is_mount_point(site):
        problems.append("it is a mount point, which a build cannot replace in one step; expected a folder inside it")
    if not is_utf8(str(site)):
        problems.append("its path is not UTF-8, which Pagefind cannot index; expected a path in UTF-8")
    folder = next((parent for parent in site.parents if parent.exists()), site)
    if not os.access(folder, os.W_OK | os.X_OK):
        problems.append(f"the new site is built beside it, in {folder}, which cannot be written to; expected a "
                        "folder you can write to")
    if problems:
        raise InputError([InputProblem(str(paths.site_dir), 0, f"cannot be the site folder: {problem}")
                          for problem in problems])


MOUNTINFO = Path("/proc/self/mountinfo")


def is_mount_point(path: Path) -> bool:
    """Whether `path` is a mount point: os.path.ismount misses a bind mount of a folder of the same file system,
    which Linux lists in /proc/self/mountinfo (its fifth field, with spaces and the like as octal escapes)."""
    if os.path.ismount(path):
        return True
    try:
        lines = MOUNTINFO.read_bytes().splitlines()
    except OSError:
        return False
    fields = [line.split(b" ") for line in lines]
    return os.fsencode(path) in {re.sub(rb"\\([0-7]{3})", lambda code: bytes([int(code[1], 8)]), field[4])
                                 for field in fields if len(field) > 4}


def is_utf8(path: str) -> bool:
    """Whether a path the file system gave holds only UTF-8 (Python keeps other bytes as lone surrogates)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_staging_folder(paths: BuildPaths) -> None:
    """Raise InputError unless the staging folder is one a build may write into and delete from: holding none
    of the build's inputs, and either one a build used or without anything under the names a build writes and
    deletes there (a `build` folder of the user's beside the site must not lose its files; what others build
    there, such as setuptools' `build/lib`, is left alone)."""
    staging = paths.staging_dir.resolve()
    problems = [f"it holds the {name} {path}" for name, path in inputs_of(paths).items()
                if name != "staging folder" and path.resolve().is_relative_to(staging)]
    if staging.exists() and not staging.is_dir():
        problems.append("it is a file")
    if not problems and staging.is_dir() and not (staging / incremental.LOCK_FILE).exists():
        written = (paths.docs_dir.name, paths.search_dir.name, paths.staged_config_file.name,
                   replaced_site(paths.staging_dir).name, *incremental.STAGING_ENTRIES)
        try:
            taken = sorted(entry.name for entry in staging.iterdir()
                           if any(fnmatch.fnmatchcase(entry.name, pattern) for pattern in written))
            if taken:
                problems.append(f"it holds {', '.join(taken)} but no {incremental.LOCK_FILE}, so a build did not "
                                "write them, and would overwrite or delete them")
        except OSError as error:
            problems.append(f"it cannot be read ({error.strerror})")
    if problems:
        raise InputError([InputProblem(str(paths.staging_dir), 0, (
            f"cannot be the staging folder, where a build keeps its work beside the site: {problem}; expected a "
            "folder an earlier build used, or one without these (move it, or choose another --site)"))
            for problem in problems])


def check_site_apart_from(hand_written_dir: Path, paths: BuildPaths) -> None:
    """Raise InputError if the site or the staging folder is inside MkDocs' `docs_dir` (every build would copy
    them into the next site, which would grow without end), or the `docs_dir` inside the site (the next build
    would delete it with the old site) or the staging folder (where a build writes)."""
    problems = [InputProblem(str(folder), 0, f"cannot be the {name} folder: it is inside the docs_dir of "
                                             f"{paths.config_file.name}, {hand_written_dir}, whose files go into "
                                             "the site; expected a folder outside it")
                for name, folder in (("site", paths.site_dir), ("staging", paths.staging_dir))
                if folder.resolve().is_relative_to(hand_written_dir)]
    if not problems:
        problems += [InputProblem(str(folder), 0, (
            f"cannot be the {name} folder: it holds the docs_dir of {paths.config_file.name}, {hand_written_dir}, "
            f"which the next build would {harm}; expected a folder apart from it"))
            for name, folder, harm in (("site", paths.site_dir, "delete with the old site"),
                                       ("staging", paths.staging_dir, "write into"))
            if hand_written_dir.is_relative_to(folder.resolve())]
    if problems:
        raise InputError(problems)


def unfinished_site_prefix(site_dir: Path) -> str:
    """The start of the name of a folder a build writes its site into, beside the site (new_site_folder)."""
    return f".{site_dir.name}.new-"


def delete_unfinished_sites(site_dir: Path) -> None:
    """Delete what builds that were killed left of the sites they were building: with the build lock held, no
    other build is writing one."""
    for unfinished in site_dir.parent.glob(f"{glob.escape(unfinished_site_prefix(site_dir))}*"):
        shutil.rmtree(unfinished, ignore_errors=True)


def inputs_of(paths: BuildPaths) -> dict[str, Path]:
    return {"dumps folder": paths.dumps_dir, "staging folder": paths.staging_dir,
            "MkDocs config": paths.config_file, "templates folder": paths.templates_dir,
            "taxonomy": paths.taxonomy_file, "curation file": paths.overrides_file}


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


@contextlib.contextmanager
def new_site_folder(site_dir: Path) -> Iterator[Path]:
    """A fresh folder beside `site_dir` to build the site into, removed on the way out unless swap_in has put
    it in place: a failed build never leaves half a site."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    # Not mkdtemp, whose folder only its owner can read: a web server copying the site would serve nothing.
    new_site = site_dir.parent / f"{unfinished_site_prefix(site_dir)}{secrets.token_hex(8)}"
    new_site.mkdir()
    try:
        yield new_site
    finally:
        shutil.rmtree(new_site, ignore_errors=True)


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
    theme = config.get("theme")
    if isinstance(theme, dict) and "custom_dir" in theme:
        config["theme"] = theme | {"custom_dir": str((paths.config_file.parent / theme["custom_dir"]).resolve())}
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


def swap_in(new_site: Path, site_dir: Path, replaced: Path) -> None:
    """Put `new_site` in place of `site_dir` in one step, so that a reader never finds no site or half of
    one. The old site is moved to `replaced` (in the staging folder: the next build deletes it while it waits
    for Pagefind, as deleting 20,000 files takes seconds), which delete_replaced_site has emptied."""
    if site_dir.is_dir() and exchange(new_site, site_dir):
        set_aside(new_site, replaced)
        return
    old_site = site_dir.with_name(f".{site_dir.name}.old")
    shutil.rmtree(old_site, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(old_site)
    try:
        new_site.rename(site_dir)
    except OSError:
        if old_site.exists():
            old_site.rename(site_dir)  # the old site back: never no site
        raise
    set_aside(old_site, replaced)


def set_aside(old_site: Path, replaced: Path) -> None:
    """Move the replaced site to `replaced`, or delete it where it cannot be moved (another file system, or a
    `replaced` still there)."""
    try:
        old_site.rename(replaced)
    except OSError:
        shutil.rmtree(old_site, ignore_errors=True)


def replaced_site(staging_dir: Path) -> Path:
    """Where the site the last build replaced waits to be deleted by the next build."""
    return staging_dir / "replaced-site"


def delete_replaced_site(staging_dir: Path) -> None:
    replaced = replaced_site(staging_dir)
    if not os.path.lexists(replaced):
        return
    try:
        shutil.rmtree(replaced)
    except OSError as error:
        raise ToolError(f"{replaced}: the site the last build replaced could not be deleted ({error}); "
                        "delete it and build again") from None


def exchange(first: Path, second: Path) -> bool:
    """Swap two folders atomically (Linux renameat2 RENAME_EXCHANGE); False where the system cannot."""
    rename_exchange, at_cwd = 2, -100
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    return renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), rename_exchange) == 0
