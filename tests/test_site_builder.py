"""The site builder's parts, one at a time, on tiny folders written inline: staging files (sync_tree), the
MkDocs config of a build, the swap of the new site into place and the checks around it. No MkDocs run."""
from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest
import yaml

from generator import build as site_build
from generator import folders, incremental, mkdocs_hooks
from generator.build import build_date, check_every_page_fresh, site_sources, write_build_config
from generator.errors import InputError, ToolError
from generator.folders import PROJECT_ROOT, BuildPaths, delete_replaced_site, exchange, replaced_site, swap_in
from generator.mkdocs_hooks import source_comment


def files_in(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def folder_with(folder: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(text, encoding="utf-8")
    return folder


# ---------------------------------------------------------------------------------------------------------
# Staging files


def test_sync_tree_rewrites_a_changed_file_of_the_same_size(tmp_path):
    incremental.sync_tree({"page.md": b"old"}, tmp_path)
    assert incremental.sync_tree({"page.md": b"new"}, tmp_path) == incremental.SyncResult(1, 0)
    assert (tmp_path / "page.md").read_bytes() == b"new"


def test_sync_tree_removes_emptied_folders_and_keeps_the_rest(tmp_path):
    incremental.sync_tree({"papers/a.md": b"a", "papers/b.md": b"b", "topics/x/1.md": b"x"}, tmp_path)
    incremental.sync_tree({"papers/a.md": b"a"}, tmp_path)
    assert files_in(tmp_path) == {"papers/a.md": b"a"}
    assert sorted(path.name for path in tmp_path.iterdir()) == ["papers"], "an emptied folder was left"


def test_sync_tree_leaves_no_temporary_file(tmp_path):
    incremental.sync_tree({"a.md": b"a", "b/c.md": b"c"}, tmp_path)
    incremental.sync_tree({"a.md": b"changed", "b/c.md": b"c"}, tmp_path)
    assert sorted(files_in(tmp_path)) == ["a.md", "b/c.md"]


def test_sync_tree_refuses_a_path_outside_the_target_before_writing_anything(tmp_path):
    target = tmp_path / "docs"
    incremental.sync_tree({"kept.md": b"kept"}, target)
    with pytest.raises(ValueError, match="refusing to write outside"):
        incremental.sync_tree({"new.md": b"new", "../escaped.md": b"x"}, target)
    assert files_in(tmp_path) == {"docs/kept.md": b"kept"}


# ---------------------------------------------------------------------------------------------------------
# The config MkDocs runs with


def test_the_build_config_points_mkdocs_at_the_staging_docs_and_the_new_site(tmp_path):
    paths = BuildPaths(config_file=tmp_path / "project" / "mkdocs.yml", staging_dir=tmp_path / "build")
    paths.staging_dir.mkdir()
    config = {"site_name": "Papers", "theme": {"name": "material", "custom_dir": "templates/theme"},
              "hooks": ["own_hook.py"]}
    written = write_build_config(paths, config, tmp_path / "new-site")
    assert written["docs_dir"] == str((tmp_path / "build" / "docs").resolve())
    assert written["site_dir"] == str((tmp_path / "new-site").resolve())
    assert written["hooks"] == ["own_hook.py", site_build.mkdocs_hooks.__file__]
    assert written["theme"] == {"name": "material", "custom_dir": str((tmp_path / "project/templates/theme").resolve())}
    assert config == {"site_name": "Papers", "theme": {"name": "material", "custom_dir": "templates/theme"},
                      "hooks": ["own_hook.py"]}, "the config as loaded was changed"
    assert yaml.safe_load((paths.staging_dir / "mkdocs.yml").read_text(encoding="utf-8")) == written


def test_a_theme_given_by_name_is_left_as_it_is(tmp_path):
    paths = BuildPaths(config_file=tmp_path / "mkdocs.yml", staging_dir=tmp_path)
    assert write_build_config(paths, {"theme": "mkdocs"}, tmp_path / "site")["theme"] == "mkdocs"


def test_hand_written_pages_are_read_from_docs_dir_beside_mkdocs_yml(tmp_path):
    assert site_sources(tmp_path / "mkdocs.yml", {"docs_dir": "site_src"}) == (tmp_path / "site_src").resolve()
    assert site_sources(tmp_path / "mkdocs.yml", {}) == (tmp_path / "docs").resolve()


def test_the_build_date_follows_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(86_400 * 365))
    assert build_date() == "1971-01-01"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "")  # as CI systems leave it: unset
    assert len(build_date()) == 10
    for wrong in ("abc", "1e9", "99999999999999"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", wrong)
        with pytest.raises(InputError, match=f"SOURCE_DATE_EPOCH: '{wrong}' is not a time papercat can date"):
            build_date()


def test_ctrl_c_while_the_command_loads_is_a_message_not_a_traceback(monkeypatch, capsys):
    import builtins

    from generator import launch

    real_import = builtins.__import__

    def interrupted(name, *args, **kwargs):
        if name == "cli":
            raise KeyboardInterrupt
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", interrupted)
    assert launch.main() == 130
    assert capsys.readouterr().err == "papercat: interrupted before it began; nothing was changed\n"


# ---------------------------------------------------------------------------------------------------------
# Reusing pages and checking them


def built_from(source: bytes, body: str = "<p>page</p>") -> str:
    """A page as the MkDocs hook ends it: with the digest of the source it was built from."""
    return f"{body}\n{source_comment(source)}\n"


def test_every_page_must_be_built_from_its_current_source(tmp_path):
    docs = folder_with(tmp_path / "docs", {"papers/a.md": "a", "papers/b.md": "b", "index.md": "home"})
    site = folder_with(tmp_path / "site", {"papers/a/index.html": built_from(b"a"),
                                           "papers/b/index.html": built_from(b"old b"),
                                           "index.html": built_from(b"home")})
    assert incremental.stale_pages(docs, site) == ["papers/b.md"]
    (site / "papers/b/index.html").unlink()
    with pytest.raises(ToolError, match=r"MkDocs left 1 pages missing or out of date.*papers/b\.md"):
        check_every_page_fresh(docs, site)
    (site / "papers/b/index.html").write_text(built_from(b"b"), encoding="utf-8")
    check_every_page_fresh(docs, site)


def test_only_pages_built_after_their_source_was_written_are_reused(tmp_path):
    docs = folder_with(tmp_path / "docs", {"papers/kept.md": "kept", "papers/changed.md": "changed"})
    previous = folder_with(tmp_path / "previous", {"papers/kept/index.html": "kept page",
                                                   "papers/changed/index.html": "old page"})
    later, earlier = (docs / "papers/kept.md").stat().st_mtime + 10, (docs / "papers/changed.md").stat().st_mtime - 10
    os.utime(previous / "papers/kept/index.html", (later, later))
    os.utime(previous / "papers/changed/index.html", (earlier, earlier))
    new_site = tmp_path / "new"
    new_site.mkdir()
    stamps = incremental.site_stamps(previous)
    assert incremental.link_unchanged_pages(previous, new_site, docs, ["papers/kept.md", "papers/changed.md"],
                                            stamps) == 1
    assert files_in(new_site) == {"papers/kept/index.html": b"kept page"}
    assert (new_site / "papers/kept/index.html").samefile(previous / "papers/kept/index.html")


def test_the_build_record_is_forgotten_when_mkdocs_fails(tmp_path, monkeypatch):
    """The staged docs change before MkDocs runs: were the record of the site they last built kept through a
    failed build, the next build would trust file times that no site in place was built from."""
    staging = tmp_path / "build"
    staging.mkdir()
    incremental.write_build_record(staging, "digest")

    def failing_mkdocs(*arguments):
        raise RuntimeError("MkDocs failed")

    monkeypatch.setattr(incremental, "build_with_mkdocs", failing_mkdocs)
    config = {"docs_dir": str(staging / "docs"), "site_dir": str(tmp_path / "new"), "nav": []}
    with pytest.raises(RuntimeError):
        incremental.build_pages(config, {"index.md": b"# Home\n"}, [], tmp_path / "site", tmp_path / "new",
                                staging, {}, lambda name: None)
    assert incremental.read_build_record(staging) is None


# ---------------------------------------------------------------------------------------------------------
# Putting the new site in place


def test_swap_in_replaces_the_site_and_sets_the_old_one_aside(tmp_path):
    (tmp_path / "build").mkdir()
    site = folder_with(tmp_path / "site", {"old.html": "old"})
    new = folder_with(tmp_path / ".site.new-1", {"index.html": "new"})
    swap_in(new, site, tmp_path / "build" / "replaced-site")
    assert files_in(site) == {"index.html": b"new"}
    assert files_in(tmp_path / "build" / "replaced-site") == {"old.html": b"old"}
    assert sorted(path.name for path in tmp_path.iterdir()) == ["build", "site"]


def test_swap_in_puts_the_first_site_in_place(tmp_path):
    (tmp_path / "build").mkdir()
    new = folder_with(tmp_path / ".site.new-1", {"index.html": "new"})
    swap_in(new, tmp_path / "site", tmp_path / "build" / "replaced-site")
    assert files_in(tmp_path / "site") == {"index.html": b"new"}
    assert sorted(path.name for path in tmp_path.iterdir()) == ["build", "site"]
    assert not (tmp_path / "build" / "replaced-site").exists()


def test_swap_in_renames_where_folders_cannot_be_exchanged(tmp_path, monkeypatch):
    monkeypatch.setattr(folders, "exchange", lambda first, second: False)
    (tmp_path / "build").mkdir()
    folder_with(tmp_path / ".site.old", {"left.html": "from an interrupted build"})
    site = folder_with(tmp_path / "site", {"old.html": "old"})
    swap_in(folder_with(tmp_path / ".site.new-1", {"index.html": "new"}), site, tmp_path / "build" / "replaced-site")
    assert files_in(site) == {"index.html": b"new"}
    assert files_in(tmp_path / "build" / "replaced-site") == {"old.html": b"old"}
    assert sorted(path.name for path in tmp_path.iterdir()) == ["build", "site"]


def test_swap_in_deletes_the_old_site_where_it_cannot_be_set_aside(tmp_path):
    site = folder_with(tmp_path / "site", {"old.html": "old"})
    swap_in(folder_with(tmp_path / ".site.new-1", {"index.html": "new"}), site, tmp_path / "missing" / "replaced")
    assert files_in(site) == {"index.html": b"new"}
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]


def test_swap_in_deletes_the_old_site_when_a_replaced_one_is_still_there(tmp_path):
    folder_with(tmp_path / "build" / "replaced-site", {"older.html": "older"})
    site = folder_with(tmp_path / "site", {"old.html": "old"})
    swap_in(folder_with(tmp_path / ".site.new-1", {"index.html": "new"}), site, tmp_path / "build" / "replaced-site")
    assert files_in(site) == {"index.html": b"new"}
    assert sorted(path.name for path in tmp_path.iterdir()) == ["build", "site"]


def test_a_replaced_site_that_cannot_be_deleted_is_a_clear_error(tmp_path, monkeypatch):
    folder_with(replaced_site(tmp_path / "build"), {"page.html": "old"})

    def refuse(path, *arguments, **keywords):
        raise PermissionError(13, "Permission denied", str(path))
    monkeypatch.setattr(folders.shutil, "rmtree", refuse)
    with pytest.raises(ToolError, match=r"replaced-site: the site the last build replaced could not be deleted "
                                        r"\(.*Permission denied.*\); delete it and build again"):
        delete_replaced_site(tmp_path / "build")


def test_exchange_fails_cleanly_when_a_folder_is_missing(tmp_path):
    site = folder_with(tmp_path / "site", {"index.html": "kept"})
    assert exchange(tmp_path / "missing", site) is False
    assert files_in(site) == {"index.html": b"kept"}


@pytest.mark.parametrize("name", ["../escape.md", "/etc/passwd", "a/../../b.md", ""])
def test_sync_tree_refuses_a_name_that_leaves_its_folder(tmp_path, name):
    with pytest.raises(ValueError, match="refusing to write outside"):
        incremental.sync_tree({name: b"x"}, tmp_path / "docs")
    assert not (tmp_path / "escape.md").exists()


def test_sync_tree_writes_any_name_that_stays_in_its_folder(tmp_path):
    """Hand-written files may have any name Linux allows."""
    names = {"a\\b.md": b"1", "x..y/z.md": b"2", "sp ace/é.md": b"3"}
    incremental.sync_tree(names, tmp_path)
    assert {path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*") if path.is_file()} == set(names)


# --- Paper pages made from placeholders (generator/mkdocs_hooks.py) ------------------------------------


def paper(number: int) -> SimpleNamespace:
    return SimpleNamespace(meta={"title": f"Paper {number} &#42;", "description": f"About {number}",
                                 "template": "paper.html"},
                           canonical_url=f"https://example.org/papers/p{number}/", url=f"papers/p{number}/",
                           content=f'<h1 id="title">Paper {number}</h1><p>text {number}</p>',
                           file=SimpleNamespace(src_uri=f"papers/p{number}.md"))


def made_pages(chrome_template: str) -> tuple[list[str], list[str], bool]:
    """Ten paper pages made by PaperChrome, the same pages rendered in full by the template, and whether
    PaperChrome filled in placeholders."""
    environment = jinja2.Environment(loader=jinja2.DictLoader({"paper-chrome.html": chrome_template}))
    chrome = mkdocs_hooks.PaperChrome(environment)
    papers = [paper(number) for number in range(10)]
    made = [chrome.page({"base_url": "../..", "page": page}, page) for page in papers]
    full = [environment.get_template("paper-chrome.html").render(base_url="../..", page=page) for page in papers]
    return made, full, any(chrome._pages.values())


def test_paper_pages_made_from_placeholders_are_the_templates_pages():
    made, full, filled_in = made_pages('<title>{{ page.meta.title }} - site</title><meta content="{{ page.meta.description }}">'
                            '<link href="{{ page.canonical_url }}"><a href="{{ base_url }}/">home</a>'
                            "<span>{{ page.meta.title }}</span>{{ page.content }}")
    assert made == full and filled_in


def test_a_value_that_differs_from_page_to_page_turns_the_placeholders_off():
    made, full, filled_in = made_pages("<title>{{ page.meta.title }}</title><a href='{{ page.url }}edit'>edit</a>{{ page.content }}")
    assert made == full and not filled_in


def test_a_template_that_reads_a_value_differently_turns_the_placeholders_off():
    made, full, filled_in = made_pages("<title>{{ page.meta.title | length }}</title>{{ page.content | upper }}")
    assert made == full and not filled_in


def test_a_page_built_where_the_previous_sites_page_is_linked_leaves_that_page_alone(tmp_path):
    """The hook gives MkDocs a new file to write: the page in place may be the live site's, hard-linked."""
    live, linked = tmp_path / "live.html", tmp_path / "new" / "index.html"
    live.write_text("the live site's page", encoding="utf-8")
    linked.parent.mkdir()
    os.link(live, linked)
    page = SimpleNamespace(meta={}, file=SimpleNamespace(abs_dest_path=str(linked), content_bytes=b"# x"))
    output = mkdocs_hooks.on_post_page("<html>new</html>", page=page)
    linked.write_text(output, encoding="utf-8")  # as MkDocs writes it
    assert live.read_text(encoding="utf-8") == "the live site's page"


def test_a_pagefind_that_cannot_be_run_says_to_reinstall(tmp_path, monkeypatch):
    from generator import search

    binary = tmp_path / "pagefind"
    binary.write_text("#!/bin/sh\n", encoding="utf-8")
    binary.chmod(0o644)
    monkeypatch.setattr(search, "PAGEFIND", binary)
    with pytest.raises(ToolError, match=r"Pagefind cannot be run \(.* is not executable\); run `bash setup.sh`"):
        search.check_installed()


def test_a_config_inheriting_another_is_read_with_the_settings_it_inherits(tmp_path):
    """MkDocs follows `INHERIT:` from a file only: read from text, the theme and docs_dir were lost, so `check`
    passed and the build failed."""
    from generator.config import load_config

    project = (PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (tmp_path / "base.yml").write_text(project.replace("custom_dir: templates/theme",
                                                       f"custom_dir: {PROJECT_ROOT / 'templates' / 'theme'}")
                                       .replace("docs_dir: site_src", f"docs_dir: {PROJECT_ROOT / 'site_src'}"),
                                       encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("INHERIT: base.yml\nsite_name: Mine\n", encoding="utf-8")
    config = load_config(tmp_path / "mkdocs.yml")
    assert "INHERIT" not in config and config["site_name"] == "Mine"
    assert config["theme"]["name"] == "material" and config["docs_dir"] == str(PROJECT_ROOT / "site_src")


def test_a_template_is_blamed_for_its_own_errors_only(tmp_path):
    """`{{ 1 / 0 }}` is the template's fault, to be named on its line; an error in Python code a template calls is
    papercat's, and keeps its traceback."""
    from generator.build import template_problems
    from generator.render.pages import template_environment

    (tmp_path / "t.j2").write_text("line one\n{{ 1 / 0 }}\n", encoding="utf-8")
    (tmp_path / "u.j2").write_text("{{ broken() }}\n", encoding="utf-8")
    environment = template_environment(tmp_path)
    with pytest.raises(InputError, match=r"t\.j2:2: the template failed: ZeroDivisionError"), \
            template_problems(tmp_path):
        environment.get_template("t.j2").render()

    def broken():
        raise KeyError("a papercat bug")

    with pytest.raises(KeyError), template_problems(tmp_path):
        environment.get_template("u.j2").render(broken=broken)


def test_a_pagefind_that_writes_no_index_says_so(tmp_path, monkeypatch):
    from generator import search

    binary = tmp_path / "pagefind"
    binary.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    binary.chmod(0o755)
    monkeypatch.setattr(search, "PAGEFIND", binary)
    (tmp_path / "documents").mkdir()
    with pytest.raises(ToolError, match="Pagefind ended without writing the index of"):
        search.index_search_documents(tmp_path / "documents", tmp_path / "bundle", yield_cpu=False)


def test_a_build_writes_only_what_the_staging_folder_check_protects(real_build):
    """A `build` folder of the user's is refused unless a build used it, by the names a build writes there: one
    the list lacked (site-stamps.json) was overwritten in a user's folder."""
    staging = real_build.paths.staging_dir
    written = sorted(entry.name for entry in staging.iterdir())
    assert written and [name for name in written if not folders.is_staging_entry(real_build.paths, name)] == []
