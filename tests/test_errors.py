"""Bad input: every problem as FILE:LINE, a non-zero exit, and the previous site left exactly as it was."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.folders import PROJECT_ROOT
from tests.conftest import build_into, shipped

# Each case runs papercat as a user does, in its own process, and most build a site first.
pytestmark = pytest.mark.slow

GOOD = "Daily Papers\n\nAug 1\n\nA Good Title\n\nA good abstract about models.\n"
PAPERCAT = [sys.executable, "-m", "generator.cli"]


def site_fingerprint(site: Path) -> dict[str, tuple[str, int]]:
    return {path.relative_to(site).as_posix(): (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
            for path in sorted(site.rglob("*")) if path.is_file()}


def papercat(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*PAPERCAT, *args], capture_output=True, text=True)


@pytest.fixture(scope="module")
def previous_site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("previous")
    dumps = folder / "dumps"
    dumps.mkdir()
    (dumps / "000_good.txt").write_text(GOOD, encoding="utf-8")
    return build_into(folder, dumps).site


CASES = {
    "missing date line": ("new\n\nSubscribe\n", "000_bad.txt:3: no date line after the page chrome"),
    "text before the date line": ("new\n\nHello there\n\nAug 1\n\nT\n\nA\n", "000_bad.txt:3: found 'Hello there' before the date line"),
    "title with no abstract": ("Aug 1\n\nTitle one\n\nAbstract one\n\nLonely title\n", "000_bad.txt:7: title 'Lonely title' has no abstract"),
    "empty dump": ("", "000_bad.txt:1: the dump is empty"),
    "date line with no papers": ("Aug 1\n\n", "000_bad.txt:1: the dump has a date line but no papers"),
    "date line written otherwise": ("August 22\n\nT\n\nA\n", "000_bad.txt:1: date line 'August 22' is written "
                                    "otherwise than the page writes it; expected the month's first three letters and "
                                    "the day, such as 'Aug 22'"),
    "impossible date": ("Feb 31\n\nT\n\nA\n", "000_bad.txt:1: date line 'Feb 31' names no day: Feb has days 1 to 29"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_dump_is_reported_and_site_untouched(case, previous_site, tmp_path):
    text, expected = CASES[case]
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    (dumps / "000_bad.txt").write_text(text, encoding="utf-8")
    before = site_fingerprint(previous_site)
    result = papercat("build", "--dumps", str(dumps), "--site", str(previous_site))
    assert result.returncode == 1, result.stderr
    assert expected in result.stderr, result.stderr
    assert result.stderr.rstrip().endswith("1 problem(s) found; nothing was changed in the site."), result.stderr
    assert site_fingerprint(previous_site) == before
    checked = papercat("check", "--dumps", str(dumps))
    assert checked.returncode == 1 and expected in checked.stderr, checked.stderr
    assert checked.stderr.rstrip().endswith("1 problem(s) found; fix them, then check again."), checked.stderr


def test_non_utf8_dump_names_the_line(previous_site, tmp_path):
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    (dumps / "000_bad.txt").write_bytes(b"Aug 1\n\nTitle\n\nCaf\xe9 abstract\n")
    before = site_fingerprint(previous_site)
    result = papercat("build", "--dumps", str(dumps), "--site", str(previous_site))
    assert result.returncode == 1
    assert "000_bad.txt:5: byte 0xe9 is not UTF-8; expected a UTF-8 text file" in result.stderr
    assert site_fingerprint(previous_site) == before


def test_every_problem_in_every_dump_is_reported(tmp_path):
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    (dumps / "000_a.txt").write_text("", encoding="utf-8")
    (dumps / "001_b.txt").write_text("Aug 1\n\nOnly a title\n", encoding="utf-8")
    (dumps / "002_c.txt").write_text(GOOD, encoding="utf-8")
    result = papercat("check", "--dumps", str(dumps))
    assert result.returncode == 1
    assert "000_a.txt:1:" in result.stderr and "001_b.txt:3:" in result.stderr


def test_every_file_a_build_reads_has_its_problems_reported_in_one_run(tmp_path):
    """A mistake in mkdocs.yml hid the dumps' problems, and the dumps' a mistake in taxonomy.yml or tags.yml:
    each came up only on the run after the one before had been fixed."""
    from generator.build import BuildPaths, build, check
    from generator.errors import InputError

    dumps = tmp_path / "dumps"
    dumps.mkdir()
    (dumps / "000_bad.txt").write_text("Aug 1\n\nOnly a title\n", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text((PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8") + "use_directory_urls: false\n",
                      encoding="utf-8")
    taxonomy = tmp_path / "taxonomy.yml"
    taxonomy.write_text(shipped().taxonomy_file.read_text(encoding="utf-8") + "  - name: [\n", encoding="utf-8")
    overrides = tmp_path / "tags.yml"
    overrides.write_text("some-paper:\n  add: [no-such-topic\n", encoding="utf-8")  # no closing bracket
    paths = BuildPaths(dumps_dir=dumps, site_dir=tmp_path / "site", config_file=config, taxonomy_file=taxonomy,
                       overrides_file=overrides, staging_dir=tmp_path / "build")
    for run in (check, build):
        with pytest.raises(InputError) as raised:
            run(paths)
        files = {Path(problem.file).name for problem in raised.value.problems}
        assert files == {"000_bad.txt", "mkdocs.yml", "taxonomy.yml", "tags.yml"}, (run.__name__, raised.value.problems)
    assert not (tmp_path / "build").exists() and not (tmp_path / "site").exists()
    # A topic name is checked against the taxonomy, once the taxonomy can be read.
    taxonomy.write_text(shipped().taxonomy_file.read_text(encoding="utf-8"), encoding="utf-8")
    overrides.write_text("some-paper:\n  add: [no-such-topic]\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        check(paths)
    assert {Path(problem.file).name for problem in raised.value.problems} == {"000_bad.txt", "mkdocs.yml", "tags.yml"}
    assert "unknown topic 'no-such-topic'" in str(raised.value)


@pytest.mark.parametrize("make", ["missing", "empty", "a dump"])
def test_missing_or_empty_dumps_folder(make, previous_site, tmp_path):
    """A dump named instead of its folder (a user checking the new one) was said to be no such folder."""
    dumps = tmp_path / "dumps"
    if make == "empty":
        dumps.mkdir()
        (dumps / "notes.md").write_text("not a dump", encoding="utf-8")
    if make == "a dump":
        dumps = tmp_path / "001_2024-08-01.txt"
        dumps.write_text("Aug 1\n\nA title\n\nAn abstract.\n", encoding="utf-8")
    before = site_fingerprint(previous_site)
    result = papercat("build", "--dumps", str(dumps), "--site", str(previous_site))
    assert result.returncode == 1
    expected = {"missing": "no such folder", "empty": "no dumps found", "a dump": "a file, not a folder"}[make]
    assert f"{dumps}: {expected}" in result.stderr, result.stderr
    assert site_fingerprint(previous_site) == before


@pytest.mark.parametrize("site", ["the dumps' parent", "the dumps folder", "a folder of other files",
                                  "a site holding the dumps", "a folder inside the dumps",
                                  "a folder of data with a catalog.json"])
def test_a_site_folder_that_is_not_a_site_is_refused_and_left_as_it_was(site, tmp_path):
    """A build replaces its site folder as a whole: a wrong --site must not carry a user's files away."""
    project = tmp_path / "project"
    dumps = project / "dumps"
    dumps.mkdir(parents=True)
    (dumps / "000_good.txt").write_text(GOOD, encoding="utf-8")
    (project / "NOTES.md").write_text("my notes", encoding="utf-8")
    folder = {"the dumps' parent": project, "the dumps folder": dumps, "a folder of other files": project,
              "a site holding the dumps": project, "a folder inside the dumps": dumps / "site",
              "a folder of data with a catalog.json": project}[site]
    if site == "a site holding the dumps":
        (project / ".papercat-build").write_text("", encoding="utf-8")  # what marks a site: the rule on holding counts
    if site == "a folder of data with a catalog.json":
        (project / "catalog.json").write_text("{}", encoding="utf-8")
    if site in ("a folder of other files", "a folder of data with a catalog.json"):
        dumps = tmp_path / "elsewhere"
        dumps.mkdir()
        (dumps / "000_good.txt").write_text(GOOD, encoding="utf-8")
    before = site_fingerprint(project)
    result = papercat("build", "--dumps", str(dumps), "--site", str(folder))
    assert result.returncode == 1, result.stderr
    assert f"{folder}: cannot be the site folder: " in result.stderr, result.stderr
    assert "expected a new or empty folder, or a site papercat built" in result.stderr
    assert "Traceback" not in result.stderr
    assert site_fingerprint(project) == before
    assert not (folder.parent / "build" / "replaced-site").exists()


@pytest.mark.parametrize("staging", ["a folder of other files", "the dumps folder", "a folder holding the dumps"])
def test_a_staging_folder_papercat_did_not_make_is_refused_and_left_as_it_was(staging, tmp_path):
    """A build writes and deletes in the `build` folder beside its site: one of the user's lost its files, and
    dumps kept there were deleted by a build that said it succeeded."""
    project = tmp_path / "project"
    folder = project / "build"
    dumps = {"a folder of other files": project / "dumps", "the dumps folder": folder,
             "a folder holding the dumps": folder / "search"}[staging]
    dumps.mkdir(parents=True)
    (dumps / "000_good.txt").write_text(GOOD, encoding="utf-8")
    if staging == "a folder of other files":
        (folder / "docs").mkdir(parents=True)
        (folder / "docs" / "notes.md").write_text("my notes", encoding="utf-8")
    before = site_fingerprint(project)
    result = papercat("build", "--dumps", str(dumps), "--site", str(project / "site"))
    assert result.returncode == 1, result.stderr
    expected = {"a folder of other files": "it holds docs but no .lock, so a build did not write them, and would "
                                           "overwrite or delete them",
                "the dumps folder": f"it holds the dumps folder {dumps}",
                "a folder holding the dumps": f"it holds the dumps folder {dumps}"}[staging]
    assert f"{folder}: cannot be the staging folder, where a build keeps its work beside the site: {expected}; " \
           "expected a folder an earlier build used, or one without these" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert site_fingerprint(project) == before
    assert not (project / "site").exists()


def test_a_staging_folder_shared_with_other_builds_keeps_their_files(tmp_path):
    """`pip install .` leaves setuptools' `build/lib` in the project, where the staging folder is."""
    from generator.build import build
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    (dumps / "000_good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "build" / "lib" / "generator").mkdir(parents=True)
    (tmp_path / "build" / "lib" / "generator" / "cli.py").write_text("# setuptools' copy", encoding="utf-8")
    build(shipped(dumps_dir=dumps, site_dir=tmp_path / "site", staging_dir=tmp_path / "build"))
    assert (tmp_path / "site" / "catalog.json").is_file()
    assert (tmp_path / "build" / "lib" / "generator" / "cli.py").read_text(encoding="utf-8") == "# setuptools' copy"


def test_a_staging_folder_holding_the_hand_written_pages_is_refused(tmp_path):
    """A build writes its staging docs there."""
    from generator.errors import InputError
    from generator.folders import BuildPaths, check_site_apart_from
    staging = tmp_path / "build"
    with pytest.raises(InputError) as error:
        check_site_apart_from(staging / "docs", BuildPaths(site_dir=tmp_path / "site", staging_dir=staging))
    assert str(error.value).startswith(f"{staging}: cannot be the staging folder: it holds the docs_dir"), \
        str(error.value)


def test_a_site_inside_the_hand_written_pages_is_refused(tmp_path):
    """MkDocs copies every file of its docs_dir into the site: a site there would carry itself, and the staging
    folder beside it, into the next site, which grew with every build."""
    shutil.copytree(PROJECT_ROOT / "site_src", tmp_path / "site_src")
    config = (PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(config.replace("custom_dir: templates/theme",
                                                        f"custom_dir: {PROJECT_ROOT / 'templates' / 'theme'}"))
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    (dumps / "000_good.txt").write_text(GOOD, encoding="utf-8")
    site = tmp_path / "site_src" / "out"
    result = subprocess.run([*PAPERCAT, "build", "--dumps", str(dumps), "--config-file", "mkdocs.yml",
                             "--site", str(site)], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert f"{site}: cannot be the site folder: it is inside the docs_dir of mkdocs.yml" in result.stderr, result.stderr
    assert not site.exists() and "Traceback" not in result.stderr
    assert not (tmp_path / "site_src" / "build").exists(), "the staging folder beside the site was made all the same"


def test_what_a_killed_build_left_beside_the_site_is_deleted(previous_site):
    """A build writes its site into a folder beside the old one; one killed halfway left it there for good."""
    left = previous_site.parent / f".{previous_site.name}.new-killed"
    (left / "papers").mkdir(parents=True)
    (left / "papers" / "index.html").write_text("half a site", encoding="utf-8")
    other = previous_site.parent / f".{previous_site.name}-other.new-x"  # another site's: not this build's to delete
    other.mkdir()
    result = papercat("build", "--dumps", str(previous_site.parent / "dumps"), "--site", str(previous_site))
    assert result.returncode == 0, result.stderr
    assert not left.exists() and other.exists()


@pytest.mark.parametrize("trouble", ["mount point", "bind mount", "folder not writable"])
def test_a_site_folder_a_build_cannot_replace_is_refused_before_the_build(trouble, tmp_path, monkeypatch):
    """A mount point cannot be renamed, and the new site is built beside the old one: both failed after the
    whole build, with a traceback. A bind mount of a folder of the same file system, which os.path.ismount does
    not see, failed as late, "Invalid cross-device link". (Simulated: a test cannot mount, and root may write
    anywhere.)"""
    from generator import folders
    from generator.errors import InputError
    from generator.folders import BuildPaths, check_site_folder
    site = tmp_path / "my site"
    site.mkdir()
    if trouble == "mount point":
        monkeypatch.setattr(folders.os.path, "ismount", lambda path: Path(path) == site)
    elif trouble == "bind mount":  # as Linux lists it, a space written \040
        (tmp_path / "mountinfo").write_bytes(b"22 27 0:21 / /proc rw - proc proc rw\n31 27 8:1 /x "
                                             + os.fsencode(site).replace(b" ", b"\\040") + b" rw - ext4 /dev/sda1 rw\n")
        monkeypatch.setattr(folders, "MOUNTINFO", tmp_path / "mountinfo")
    else:
        monkeypatch.setattr(folders.os, "access", lambda path, mode: Path(path) != tmp_path)
    with pytest.raises(InputError) as error:
        check_site_folder(BuildPaths(dumps_dir=tmp_path / "dumps", site_dir=site, staging_dir=tmp_path / "build"))
    mounted = "it is a mount point, which a build cannot replace in one step; expected a folder inside it"
    expected = {"mount point": mounted, "bind mount": mounted,
                "folder not writable": f"the new site is built beside it, in {tmp_path}, which cannot be written to"}
    assert f"{site}: cannot be the site folder: {expected[trouble]}" in str(error.value), str(error.value)


@pytest.mark.parametrize("length", [240, 300])
def test_a_site_name_too_long_for_the_new_site_beside_it_is_refused_before_the_build(length, tmp_path):
    """A name of 234 to 255 bytes is a folder ext4 makes, but the new site beside it, `.NAME.new-<16 hex>`, is
    not: the build failed at its end with `[Errno 36] File name too long` on a name the user never wrote."""
    from generator.errors import InputError
    from generator.folders import BuildPaths, check_site_folder
    site = tmp_path / ("b" * length)
    with pytest.raises(InputError) as error:
        check_site_folder(BuildPaths(dumps_dir=tmp_path / "dumps", site_dir=site, staging_dir=tmp_path / "build"))
    assert (f"cannot be the site folder: its name is {length} bytes, and the new site is built beside it under a "
            "name 22 bytes longer, past the file system's 255 bytes a name; expected a name of at most 233 bytes"
            in str(error.value)), str(error.value)
    check_site_folder(BuildPaths(dumps_dir=tmp_path / "dumps", site_dir=tmp_path / ("b" * 233),
                                 staging_dir=tmp_path / "build"))


def test_a_site_path_that_is_not_utf8_is_refused_before_the_build(tmp_path):
    """Pagefind could not index under it: the build failed at its end, saying to reinstall Pagefind."""
    from generator.errors import InputError
    from generator.folders import BuildPaths, check_site_folder
    site = Path(os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9")) / "site"
    site.parent.mkdir()
    with pytest.raises(InputError) as error:
        check_site_folder(BuildPaths(dumps_dir=tmp_path / "dumps", site_dir=site, staging_dir=site.parent / "build"))
    assert "cannot be the site folder: its path is not UTF-8, which Pagefind cannot index" in str(error.value)


def test_a_site_holding_the_hand_written_pages_is_refused(tmp_path):
    """The next build would delete them with the old site."""
    from generator.errors import InputError
    from generator.folders import BuildPaths, check_site_apart_from
    site = tmp_path / "site"
    with pytest.raises(InputError) as error:
        check_site_apart_from(site / "pages", BuildPaths(site_dir=site, staging_dir=tmp_path / "build"))
    assert str(error.value).startswith(f"{site}: cannot be the site folder: it holds the docs_dir"), str(error.value)


def test_check_accepts_the_real_dumps(seed_dumps):
    result = papercat("check", "--dumps", str(seed_dumps))
    assert result.returncode == 0, result.stderr
    assert "362 records, 325 papers in 4 dumps" in result.stderr


def test_github_annotations_point_at_file_and_line(tmp_path):
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    (dumps / "000_bad.txt").write_text("Aug 1\n\nTitle one\n\nAbstract\n\nLonely: title, 100%\n", encoding="utf-8")
    result = subprocess.run([*PAPERCAT, "check", "--format", "github", "--dumps", "dumps"],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::error file=dumps/000_bad.txt,line=7::title 'Lonely: title, 100%25' has no abstract; "
        "expected an abstract line after it"]


CONFIG_CASES = {
    "bad YAML": ("site_name: papercat\ntheme: [material\n", "mkdocs.yml:3: not valid YAML"),
    "a colon in the site's name": ("site_name: Lab: papers\ntheme:\n  name: material\n",
                                   "mkdocs.yml:1: not valid YAML (mapping values are not allowed here: a value "
                                   "holding ': ' needs quotes, such as site_name: \"Lab: papers\")"),
    "unknown theme": ("site_name: papercat\ndocs_dir: site_src\ntheme:\n  name: materia\n",
                      "mkdocs.yml:3: setting 'theme': Unrecognised theme name: 'materia'"),
    "strict mode": ("site_name: papercat\ndocs_dir: site_src\nstrict: true\ntheme:\n  name: material\n",
                    "mkdocs.yml:3: setting 'strict' is true: papercat rebuilds only changed pages"),
    "file URLs": ("site_name: papercat\ndocs_dir: site_src\nuse_directory_urls: false\ntheme:\n  name: material\n",
                  "mkdocs.yml:3: setting 'use_directory_urls' is false: every page papercat writes links"),
    "not UTF-8": (b"site_name: papercat\ndocs_dir: site_src\n# caf\xe9\ntheme:\n  name: material\n",
                  "mkdocs.yml:3: byte 0xe9 is not UTF-8; expected a MkDocs config in UTF-8"),
    "theme without papercat's overrides": ("site_name: papercat\ndocs_dir: site_src\ntheme:\n  name: material\n",
                                           "mkdocs.yml:3: setting 'theme' lacks papercat's overrides of Material"),
    # MkDocs stops at the first setting it refuses, before the theme: the theme's check met it unread.
    "no site_name": ("docs_dir: site_src\ntheme:\n  name: material\n",
                     "mkdocs.yml: setting 'site_name': Required configuration not provided."),
    "empty": ("# nothing yet\n", "mkdocs.yml: setting 'site_name': Required configuration not provided."),
    "site_url without a scheme": ("site_name: papercat\nsite_url: example.org\ntheme:\n  name: material\n",
                                  "mkdocs.yml:2: setting 'site_url': "),
    "site_url with a quote": ('site_name: papercat\ndocs_dir: site_src\nsite_url: "https://example.org/a\\"b/"\n',
                              "mkdocs.yml:3: setting 'site_url' holds '\"', which pages would write"),
    # MkDocs accepts these, and the build then failed at its end with pages missing.
    "pages left out": ("site_name: papercat\ndocs_dir: site_src\nexclude_docs: |\n  papers/\n",
                       "mkdocs.yml:3: setting 'exclude_docs' leaves files papercat writes out of the site (papers/<id>.md"),
    # A catalog past 50,000 pages lists them in sitemaps/<n>.xml, which the pattern dropped without a word.
    "sitemap lists left out": ("site_name: papercat\ndocs_dir: site_src\nexclude_docs: |\n  sitemaps/\n",
                               "mkdocs.yml:3: setting 'exclude_docs' leaves files papercat writes out of the site "
                               "(sitemaps/1.xml)"),
    "drafts": ("site_name: papercat\ndocs_dir: site_src\ndraft_docs: 'topics/*'\n",
               "mkdocs.yml:3: setting 'draft_docs' leaves files papercat writes out of the site (topics/<topic>.md)"),
    "offline plugin": ("site_name: papercat\ndocs_dir: site_src\ntheme:\n  name: material\nplugins:\n  - offline\n",
                       "mkdocs.yml:5: setting 'plugins' holds the offline plugin"),

    # A hook's own error, raised as MkDocs imports it (failing_hook.py, written beside every case's config).
    "a hook that fails to load": ("site_name: papercat\ndocs_dir: site_src\nhooks:\n  - failing_hook.py\n",
                                  "mkdocs.yml:3: MkDocs could not load it: RuntimeError: boom ("),
    "missing INHERIT file": ("INHERIT: nope.yml\nsite_name: papercat\n",
                             "mkdocs.yml: cannot be read (Inherited config file 'nope.yml' does not exist"),
    "no nav": ("site_name: papercat\ndocs_dir: site_src\ntheme:\n  name: material\n",
               "mkdocs.yml: no 'nav' setting: MkDocs would list every page in every page's navigation"),
    "a stylesheet not there": ("site_name: papercat\ndocs_dir: site_src\nextra_css: [assets/none.css]\ntheme: material\n",
                               "mkdocs.yml:3: setting 'extra_css' names 'assets/none.css', which is not in"),
    "a stylesheet that is no path": ("site_name: papercat\ndocs_dir: site_src\nextra_css: [5]\ntheme: material\n",
                                     "mkdocs.yml:3: setting 'extra_css' holds 5; expected a list of paths"),
    "HTML in the site's name": ("site_name: R&D <AI> papers\ndocs_dir: site_src\ntheme: material\n",
                                "mkdocs.yml:1: setting 'site_name' holds HTML (`<`, `>` or an entity such as `&amp;`)"),
    "an address with a query": ("site_name: papercat\ndocs_dir: site_src\nsite_url: https://x.org/?a=1\n",
                                "mkdocs.yml:3: setting 'site_url' holds a query or a fragment"),
    "an address with a password": ("site_name: papercat\ndocs_dir: site_src\nsite_url: https://u:pw@x.org/\n",
                                   "mkdocs.yml:3: setting 'site_url' holds a user name or password"),
    "a tag that does not fit": ("site_name: papercat\nextra: {n: !!int abc}\n",
                                "mkdocs.yml: cannot be read (ValueError: invalid literal for int()"),
}


@pytest.mark.parametrize("case", CONFIG_CASES, ids=list(CONFIG_CASES))
def test_a_wrong_mkdocs_yml_is_reported_like_input_and_the_site_untouched(case, previous_site, tmp_path):
    """A wrong mkdocs.yml is found before anything is rendered: by `check`, and by `build`, which then
    leaves the previous site as it was."""
    text, expected = CONFIG_CASES[case]
    (tmp_path / "mkdocs.yml").write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    (tmp_path / "site_src").mkdir()
    (tmp_path / "failing_hook.py").write_text('raise RuntimeError("boom")\n', encoding="utf-8")
    dumps = previous_site.parent / "dumps"
    before = site_fingerprint(previous_site)
    for command in (["check"], ["build", "--site", str(previous_site)]):
        result = subprocess.run([*PAPERCAT, *command, "--dumps", str(dumps), "--config-file", "mkdocs.yml"],
                                capture_output=True, text=True, cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        assert expected in result.stderr, result.stderr
        assert "Traceback" not in result.stderr, result.stderr
    assert site_fingerprint(previous_site) == before


@pytest.mark.parametrize(("value", "expected"), [
    ("junk", "setting 'site_url': The URL isn't valid"),
    ("https://x.org/\n", "setting 'site_url' holds '\\n'"),  # a line end a CI secret kept
])
def test_a_wrong_address_in_the_environment_is_named_as_the_variables(value: str, expected: str):
    """mkdocs.yml reads site_url from PAPERCAT_SITE_URL: the file's line was blamed for the variable's value, and
    a trailing line end went into every feed's links (red team)."""
    result = subprocess.run([*PAPERCAT, "check"], capture_output=True, text=True, cwd=PROJECT_ROOT,
                            env=os.environ | {"PAPERCAT_SITE_URL": value})
    assert result.returncode == 1
    assert f"mkdocs.yml:7: {expected}" in result.stderr, result.stderr
    assert f"(the value is PAPERCAT_SITE_URL={value!r}, from the environment: correct the variable)" in result.stderr


def test_check_notes_what_mkdocs_warns_of_in_the_config(tmp_path):
    """An unknown setting was shown by a build only, as MkDocs printed it: a pull request's check said OK (red team)."""
    from generator.config import config_warnings
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: papercat\nfoo_bar: 1\n", encoding="utf-8")
    assert [str(note) for note in config_warnings(config)] == [
        f"{config}:2: setting 'foo_bar': Unrecognised configuration name: foo_bar"]


def test_the_offline_plugin_turned_off_is_no_problem(tmp_path):
    """Material's advice for a site built both ways: the plugin listed, enabled only for the offline build."""
    from generator.config import load_config

    config = (PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("docs_dir: site_src", f"docs_dir: {PROJECT_ROOT / 'site_src'}").replace(
        "custom_dir: templates/theme", f"custom_dir: {PROJECT_ROOT / 'templates' / 'theme'}")
    (tmp_path / "mkdocs.yml").write_text(config.replace("plugins: []", "plugins:\n  - offline:\n      enabled: false"),
                                         encoding="utf-8")
    assert load_config(tmp_path / "mkdocs.yml")["plugins"]


def test_a_file_system_error_during_the_build_is_a_message_not_a_traceback(tmp_path, monkeypatch, capsys):
    from generator import cli

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device", str(tmp_path / "site"))

    monkeypatch.setattr(cli, "build", full_disk)
    assert cli.main(["build", "--site", str(tmp_path / "site")]) == 1
    errors = capsys.readouterr().err
    assert f"papercat: [Errno 28] No space left on device: '{tmp_path / 'site'}'; free some space and build " \
           "again" in errors, errors
    assert "never a mix" in errors and "Traceback" not in errors


@pytest.mark.parametrize(("stop", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ctrl_c_or_a_kill_is_a_message_not_a_traceback_and_the_site_stays(previous_site, seed_dumps, stop, status):
    """SIGTERM (a `kill`, a CI job cancelled) ended a build without a word (red team)."""
    before = site_fingerprint(previous_site)
    # Other dumps than the site's: a build of some seconds, interrupted once it writes its new site.
    unfinished = f".{previous_site.name}.new-*"
    left_before = set(previous_site.parent.glob(unfinished))
    # A shell's background job ignores Ctrl-C, and so would the build it starts: as in a terminal, it must not.
    build = subprocess.Popen([*PAPERCAT, "build", "--dumps", str(seed_dumps), "--site", str(previous_site)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while (set(previous_site.parent.glob(unfinished)) <= left_before and build.poll() is None
           and time.monotonic() < deadline):
        time.sleep(0.05)
    build.send_signal(stop)
    _, errors = build.communicate(timeout=120)
    assert build.returncode == status, errors
    assert "papercat: interrupted; the site was not changed" in errors and "Traceback" not in errors, errors
    assert site_fingerprint(previous_site) == before


@pytest.mark.parametrize(("started", "swapped", "said"), [
    (True, False, "the site was not changed"), (True, True, "the new site is in place, whole"),
    (False, False, "the site was not changed by this build, stopped while it waited for the other one")])
def test_an_interrupted_build_says_which_site_is_in_place(monkeypatch, capsys, tmp_path, started, swapped, said):
    """It said "the one before this build, or the whole new one", where the site's record tells which; and a
    build stopped while another it waited for had changed the site said the new site was in place (red team):
    the record is read once the build holds the staging folder, at its first stage."""
    from generator import cli
    from generator.incremental import SITE_RECORD
    site = tmp_path / "site"
    site.mkdir()
    (site / SITE_RECORD).write_text("before", encoding="utf-8")

    def interrupted_build(paths, stage, *args, **kwargs):
        (paths.site_dir / SITE_RECORD).write_text("the other build's", encoding="utf-8")  # while this one waited
        if started:
            stage("parse")
        if swapped:
            (paths.site_dir / SITE_RECORD).write_text("after", encoding="utf-8")
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "build", interrupted_build)
    assert cli.main(["build", "--site", str(site)]) == 130
    assert capsys.readouterr().err.endswith(f"papercat: interrupted; {said}\n")


def test_a_full_disk_is_named_not_blamed_on_the_tool(monkeypatch):
    from generator import incremental

    def mkdocs_on_a_full_disk(*args, **kwargs):
        return subprocess.CompletedProcess(args, 1, "", "Traceback (most recent call last):\n  ...\n"
                                                        "OSError: [Errno 28] No space left on device: 'site/x'\n")

    monkeypatch.setattr(incremental.subprocess, "run", mkdocs_on_a_full_disk)
    with pytest.raises(incremental.ToolError) as failure:
        incremental.run_mkdocs(Path("mkdocs.yml"))
    assert str(failure.value) == ("MkDocs ran out of disk space (No space left on device); free some space and "
                                  "build again")


def project_with_hand_written(tmp_path: Path, add) -> Path:
    """A copy of the project's hand-written pages and mkdocs.yml in `tmp_path`, after `add(site_src)`."""
    shutil.copytree(PROJECT_ROOT / "site_src", tmp_path / "site_src")
    config = (PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(config.replace("custom_dir: templates/theme",
                                                        f"custom_dir: {PROJECT_ROOT / 'templates' / 'theme'}"))
    add(tmp_path / "site_src")
    return tmp_path / "mkdocs.yml"


def refused_build(config: Path, previous_site: Path) -> str:
    """What `papercat build` with `config` into the previous site printed; it must have failed without a traceback
    and left the site exactly as it was."""
    before = site_fingerprint(previous_site)
    result = papercat("build", "--dumps", str(previous_site.parent / "dumps"), "--config-file", str(config),
                      "--site", str(previous_site))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert site_fingerprint(previous_site) == before
    return result.stderr


@pytest.mark.parametrize("name, root", [("dumps/index.md", "dumps"), ("index.md", "index.html"),
                                        ("topics/README.md", "topics"), ("catalog.json", "catalog.json"),
                                        ("recurring.markdown", "recurring"), ("papers/notes.md", "papers"),
                                        ("pagefind/0/pagefind-entry.json", "pagefind")])
def test_a_hand_written_file_where_papercat_writes_is_refused_and_the_site_untouched(name, root, previous_site,
                                                                                    tmp_path):
    """Two files for one place: one was lost in silence, and a failed build wrote the hand-written page into the
    site in place, through the hard link to its unchanged page. `papercat check` says so too, before a build."""
    def add(site_src: Path) -> None:
        (site_src / name).parent.mkdir(parents=True, exist_ok=True)
        (site_src / name).write_text("# Mine\n", encoding="utf-8")

    config = project_with_hand_written(tmp_path, add)
    expected = (f"{tmp_path / 'site_src' / name}: MkDocs would write it into the site's {root}, where papercat writes "
                "its own, and one of the two would be lost; expected a path outside catalog.json, code, dumps, ")
    assert expected in refused_build(config, previous_site)
    checked = papercat("check", "--dumps", str(previous_site.parent / "dumps"), "--config-file", str(config))
    assert checked.returncode == 1 and expected in checked.stderr, checked.stderr


def test_a_bad_dump_and_a_bad_hand_written_page_are_reported_together(tmp_path):
    """Both are input a user fixes: the second problem came only after the first was fixed."""
    config = project_with_hand_written(tmp_path, lambda site_src: (site_src / "catalog.json").write_text("{}"))
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    (dumps / "001_bad.txt").write_text("Aug 1\n\nA title without an abstract\n", encoding="utf-8")
    result = papercat("check", "--dumps", str(dumps), "--config-file", str(config))
    assert result.returncode == 1, result.stderr
    assert f"{tmp_path / 'site_src' / 'catalog.json'}: MkDocs would write it" in result.stderr, result.stderr
    assert "001_bad.txt:3: " in result.stderr, result.stderr


def test_every_file_papercat_writes_is_under_a_root_no_hand_written_file_may_use(real_build):
    """A new generated folder missing from layout.GENERATED_ROOTS would let a hand-written page overwrite it."""
    from generator.build import SITE_ROOTS, written_file

    hand_written = {path.relative_to(PROJECT_ROOT / "site_src").as_posix()
                    for path in (PROJECT_ROOT / "site_src").rglob("*")}
    generated = {written_file(path.relative_to(real_build.docs).as_posix()).split("/")[0]
                 for path in real_build.docs.rglob("*") if path.is_file()
                 and path.relative_to(real_build.docs).as_posix() not in hand_written}
    in_site = {path.name for path in real_build.site.iterdir()} - {"assets", "404.html", ".papercat-build"}
    not_in_this_build = {"pagefind", "sitemaps"}  # Pagefind writes its own; sitemaps/ past 50,000 addresses
    assert generated | not_in_this_build == SITE_ROOTS
    assert in_site - {written_file(path).split("/")[0] for path in hand_written} | {"sitemaps"} == SITE_ROOTS


def test_a_symbolic_link_among_the_hand_written_pages_is_refused(previous_site, tmp_path):
    """It would publish whatever it points at: /proc/self/environ, say."""
    config = project_with_hand_written(tmp_path, lambda site_src: (site_src / "env.txt").symlink_to("/etc/hostname"))
    printed = refused_build(config, previous_site)
    assert f"{tmp_path / 'site_src' / 'env.txt'}: a symbolic link; expected a file" in printed, printed


def test_the_site_folder_can_be_read_by_a_web_server(previous_site):
    """The new site was made with mkdtemp, whose folder only its owner could read: copied to a web root, 403.
    It has the mode any new folder has (the umask's)."""
    umask = os.umask(0o022)
    os.umask(umask)
    assert previous_site.stat().st_mode & 0o777 == 0o777 & ~umask, oct(previous_site.stat().st_mode)


def test_a_hand_written_page_that_is_not_utf8_names_its_line(previous_site, tmp_path):
    config = project_with_hand_written(tmp_path, lambda site_src: (site_src / "about.md").write_bytes(b"# x\n\xff\n"))
    printed = refused_build(config, previous_site)
    assert f"{tmp_path / 'site_src' / 'about.md'}:2: byte 0xff is not UTF-8" in printed, printed


@pytest.mark.parametrize("name, edit, expected", [
    ("dumps.md.j2", ("{{ paper_count }}", "{{ paper_count | nosuchfilter }}"),
     ":19: the template failed: TemplateAssertionError: No filter named"),
    ("paper.md.j2", ("{{ paper.title }}", "{{ no_such_name }}"),
     ":2: the template failed: UndefinedError: 'no_such_name' is undefined"),
])
def test_a_template_that_fails_names_its_file_and_line(name, edit, expected, previous_site, tmp_path):
    from generator.build import build
    from generator.errors import InputError

    templates = tmp_path / "templates"
    shutil.copytree(PROJECT_ROOT / "templates", templates)
    (templates / name).write_text((templates / name).read_text(encoding="utf-8").replace(*edit), encoding="utf-8")
    before = site_fingerprint(previous_site)
    with pytest.raises(InputError) as raised:
        build(shipped(dumps_dir=previous_site.parent / "dumps", site_dir=previous_site, templates_dir=templates,
                         staging_dir=previous_site.parent / "build"))
    assert str(raised.value).startswith(f"{templates / name}{expected}"), str(raised.value)
    assert site_fingerprint(previous_site) == before


def test_check_finds_a_template_that_does_not_compile(tmp_path):
    from generator.build import check
    from generator.errors import InputError

    templates = tmp_path / "templates"
    shutil.copytree(PROJECT_ROOT / "templates", templates)
    topic = templates / "topic.md.j2"
    topic.write_text(topic.read_text(encoding="utf-8") + "{% if %}\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        check(shipped(templates_dir=templates))
    lines = topic.read_text(encoding="utf-8").count("\n")
    assert str(raised.value).startswith(f"{topic}:{lines}: the template failed: TemplateSyntaxError"), raised.value


def test_check_finds_a_theme_override_that_does_not_compile(tmp_path):
    """A mistake in a theme override passed `check`, and `build` met it as MkDocs' traceback (red team)."""
    shutil.copytree(PROJECT_ROOT / "site_src", tmp_path / "site_src")
    shutil.copytree(PROJECT_ROOT / "templates" / "theme", tmp_path / "theme")
    (tmp_path / "mkdocs.yml").write_text((PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "custom_dir: templates/theme", "custom_dir: theme"), encoding="utf-8")
    main = tmp_path / "theme" / "main.html"
    main.write_text(main.read_text(encoding="utf-8") + "{% if %}\n", encoding="utf-8")
    result = papercat("check", "--config-file", str(tmp_path / "mkdocs.yml"))
    lines = main.read_text(encoding="utf-8").count("\n")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"{main}:{lines}: the template failed: TemplateSyntaxError: Expected an expression" in \
        result.stdout + result.stderr, result.stdout + result.stderr


def test_serve_on_a_taken_address_says_so_before_building(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        address = f"127.0.0.1:{taken.getsockname()[1]}"
        result = papercat("serve", "--dev-addr", address, "--dumps", str(tmp_path / "none"))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"papercat: cannot serve on {address} (Address already in use); choose another with --dev-addr" in \
        result.stderr


@pytest.mark.slow
def test_a_stopped_serve_leaves_its_address_free(tmp_path):
    """`papercat serve` ran `mkdocs serve` as a child process: a kill of papercat (a closed terminal, a
    supervisor) left the server running and holding the address."""
    import urllib.request

    from generator.cli import address_problem
    from tests.browser import free_port

    dumps = tmp_path / "dumps"
    dumps.mkdir()
    (dumps / "000_good.txt").write_text(GOOD, encoding="utf-8")
    address = f"127.0.0.1:{free_port()}"
    server = subprocess.Popen([*PAPERCAT, "serve", "--dumps", str(dumps), "--site", str(tmp_path / "site"),
                               "--dev-addr", address], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                urllib.request.urlopen(f"http://{address}/", timeout=5).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "the server did not start"
                time.sleep(0.5)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        deadline = time.monotonic() + 10
        while address_problem(address) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert address_problem(address) is None, f"{address} is still taken after papercat serve was stopped"
    finally:
        server.kill()


def test_a_source_date_epoch_that_is_not_seconds_is_refused_and_a_blank_one_is_unset(previous_site, tmp_path):
    # The installed command, not `-m generator.cli`: numpy reads the variable while papercat's modules load.
    command = Path(sys.executable).parent / "papercat"
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    (dumps / "000_good.txt").write_text(GOOD, encoding="utf-8")
    before = site_fingerprint(previous_site)
    for wrong in ("abc", "1.5"):
        result = subprocess.run([str(command), "build", "--dumps", str(dumps), "--site", str(previous_site)],
                                capture_output=True, text=True, env=os.environ | {"SOURCE_DATE_EPOCH": wrong})
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert f"SOURCE_DATE_EPOCH: '{wrong}' is not a time papercat can date a build by" in result.stderr
    assert site_fingerprint(previous_site) == before
    site = tmp_path / "site"
    result = subprocess.run([str(command), "build", "--dumps", str(dumps), "--site", str(site)],
                            capture_output=True, text=True, env=os.environ | {"SOURCE_DATE_EPOCH": " "})
    assert result.returncode == 0, result.stderr
    assert json.loads((site / "catalog.json").read_text(encoding="utf-8"))["papers"][0]["title"] == "A Good Title"


def test_a_note_names_a_dump_as_written_even_with_brackets(tmp_path):
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    (dumps / "0001_2026-08-01.txt").write_text(GOOD, encoding="utf-8")
    (dumps / "0002_[bold red]evil[link=x]:smile:.txt").write_text(GOOD.replace("A Good Title", "Another Title"),
                                                                   encoding="utf-8")
    result = papercat("check", "--dumps", str(dumps))
    assert result.returncode == 0, result.stderr
    # The catalog's own tags.yml may add notes of its own.
    note = next(line for line in result.stderr.splitlines() if line.startswith("Note: ") and "no day" in line)
    assert "0002_[bold red]evil[link=x]:smile:.txt" in note, result.stderr
    assert note.endswith("(as in 0596_2026-08-21.txt), or none"), "a note broken over lines, as Rich did in a log"



@pytest.mark.parametrize("option", ["--dumps", "--site", "--config-file"])
def test_an_empty_path_option_is_refused(option):
    """`--dumps "$DUMPS"` with the variable unset read the current folder, and listed its files as bad dumps."""
    result = papercat("build", option, "")
    assert result.returncode == 2
    assert f"papercat build: error: argument {option}: it is empty; expected a path" in result.stderr, result.stderr
