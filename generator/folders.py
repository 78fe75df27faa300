"""The folders a build writes: where it reads and writes (BuildPaths), which folders it may replace or write
into (a `--site` given by mistake must not carry a user's files away), and putting a new site in place in one
step, so that a reader never finds no site, half of one, or a mix of two."""
from __future__ import annotations

import contextlib
import ctypes
import fnmatch
import glob
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import incremental
from .errors import InputError, InputProblem, ToolError

PROJECT_ROOT = Path(__file__).resolve().parent.parent


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


def check_site_folder(paths: BuildPaths) -> None:
    """Raise InputError unless the site folder is one a build may replace as a whole: not holding, nor held by,
    the dumps or the staging folder, holding none of the build's inputs, and either new, empty or a site papercat
    built (a `--site` given by mistake must not carry a user's files away); and one it can replace: not a mount
    point, in a folder it can write to."""
    site = paths.site_dir.resolve()
    folder = next((parent for parent in site.parents if parent.exists()), site)
    too_long = name_too_long(site, folder)
    if too_long and not can_look_up(site):  # past the file system's limit: nothing else can be checked
        raise InputError([InputProblem(str(paths.site_dir), 0, f"cannot be the site folder: {too_long}")])
    not_a_site = [f"it holds the {name} {path}" for name, path in inputs_of(paths).items()
                  if path.resolve().is_relative_to(site)]
    not_a_site += [f"it is inside the {name} {path}" for name, path in (("dumps folder", paths.dumps_dir),
                                                                        ("staging folder", paths.staging_dir))
                   if path.resolve() in site.parents]
    if site.exists() and not site.is_dir():
        not_a_site.append("it is a file")
    if not not_a_site and site.is_dir():
        try:
            if any(site.iterdir()) and not (site / incremental.SITE_RECORD).is_file():
                not_a_site.append(f"it holds files but no {incremental.SITE_RECORD}, so it is not a site papercat "
                                  "built")
        except OSError as error:
            not_a_site.append(f"it cannot be read ({error.strerror})")
    problems = [f"{problem}; expected a new or empty folder, or a site papercat built (choose another --site)"
                for problem in not_a_site]
    if is_mount_point(site):
        problems.append("it is a mount point, which a build cannot replace in one step; expected a folder inside it")
    if not is_utf8(str(site)):
        problems.append("its path is not UTF-8, which Pagefind cannot index; expected a path in UTF-8")
    if not os.access(folder, os.W_OK | os.X_OK):
        problems.append(f"the new site is built beside it, in {folder}, which cannot be written to; expected a "
                        "folder you can write to")
    if too_long:
        problems.append(too_long)
    if problems:
        raise InputError([InputProblem(str(paths.site_dir), 0, f"cannot be the site folder: {problem}")
                          for problem in problems])


MOUNTINFO = Path("/proc/self/mountinfo")
UNFINISHED_SITE_TOKEN_BYTES = 8  # of randomness in the name of a site being built (new_site_folder), in hex


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
        try:
            taken = sorted(entry.name for entry in staging.iterdir() if is_staging_entry(paths, entry.name))
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


def is_staging_entry(paths: BuildPaths, name: str) -> bool:
    """Whether a build writes an entry of this name in the staging folder."""
    written = (paths.docs_dir.name, paths.search_dir.name, paths.staged_config_file.name,
               replaced_site(paths.staging_dir).name, *incremental.STAGING_ENTRIES)
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in written)


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


def can_look_up(path: Path) -> bool:
    try:
        path.exists()
    except OSError:
        return False
    return True


def name_too_long(site: Path, folder: Path) -> str:
    """The problem of a site folder whose name leaves no room for the name of the new site built beside it, if
    it has one."""
    try:
        name_max = os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        name_max = 255
    name = len(os.fsencode(site.name))
    extra = len(os.fsencode(unfinished_site_prefix(site))) - name + 2 * UNFINISHED_SITE_TOKEN_BYTES  # hex digits
    if name + extra <= name_max:
        return ""
    return (f"its name is {name} bytes, and the new site is built beside it under a name "
            f"{extra} bytes longer, past the file system's {name_max} bytes a name; expected a name of at most "
            f"{name_max - extra} bytes")


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


@contextlib.contextmanager
def new_site_folder(site_dir: Path) -> Iterator[Path]:
    """A fresh folder beside `site_dir` to build the site into, removed on the way out unless swap_in has put
    it in place: a failed build never leaves half a site."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    # Not mkdtemp, whose folder only its owner can read: a web server copying the site would serve nothing.
    new_site = site_dir.parent / f"{unfinished_site_prefix(site_dir)}{secrets.token_hex(UNFINISHED_SITE_TOKEN_BYTES)}"
    new_site.mkdir()
    try:
        yield new_site
    finally:
        shutil.rmtree(new_site, ignore_errors=True)


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
