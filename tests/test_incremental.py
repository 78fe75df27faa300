"""The speed seam (generator/incremental.py) never changes what a reader sees: a page is rebuilt whenever
anything that shapes it changed, MkDocs' warnings reach the user, and builds running at once never mix."""
from __future__ import annotations

import gc
import json
import math
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import incremental
from generator.build import BuildPaths, build
from generator.errors import InputError, ToolError
from generator.folders import PROJECT_ROOT, exchange
from tests.conftest import SEED_DUMPS, SEED_TAXONOMY, copy_dumps, shipped

PAPERCAT = Path(sys.executable).parent / "papercat"


def project_copy(folder: Path) -> BuildPaths:
    """BuildPaths reading a copy of the project's config, theme, templates and hand-written pages, so a test
    can change any of them; the dumps are the first two seeds."""
    shutil.copytree(PROJECT_ROOT / "templates", folder / "templates")
    shutil.copytree(PROJECT_ROOT / "site_src", folder / "site_src")
    shutil.copy(PROJECT_ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    return shipped(dumps_dir=copy_dumps(folder / "dumps", SEED_DUMPS[:2]), site_dir=folder / "site",
                   config_file=folder / "mkdocs.yml", templates_dir=folder / "templates",
                   staging_dir=folder / "build")


def paper_pages(site: Path) -> list[Path]:
    return sorted((site / "papers").glob("*/index.html"))


@pytest.mark.slow
def test_an_unchanged_rebuild_reuses_every_page_and_writes_nothing(tmp_path):
    paths = project_copy(tmp_path)
    first = build(paths)
    second = build(paths)
    assert first.pages_reused == 0
    assert second.files_written == 0, f"an unchanged rebuild wrote {second.files_written} files"
    hand_written = list((tmp_path / "site_src").rglob("*.md"))
    assert hand_written and second.pages_reused == len(list(paths.docs_dir.rglob("*.md"))) - len(hand_written)
    # The site the second build replaced waits in the staging folder, for the third build to delete; nothing
    # is left beside the site.
    assert list(tmp_path.glob(".site*")) == []
    assert (paths.staging_dir / "replaced-site" / "index.html").is_file()


@pytest.mark.slow
def test_a_changed_page_template_rebuilds_the_pages_it_shapes(tmp_path):
    paths = project_copy(tmp_path)
    build(paths)
    template = paths.templates_dir / "paper.md.j2"
    template.write_text(template.read_text(encoding="utf-8").replace(
        "<h2 id=\"seen-in\">", "<p>template-marker</p>\n<h2 id=\"seen-in\">"), encoding="utf-8")
    build(paths)
    pages = paper_pages(paths.site_dir)
    stale = [page for page in pages if "template-marker" not in page.read_text(encoding="utf-8")]
    assert pages and not stale, f"{len(stale)} of {len(pages)} paper pages were not rebuilt"


@pytest.mark.slow
def test_a_changed_theme_override_rebuilds_every_page(tmp_path):
    paths = project_copy(tmp_path)
    build(paths)
    footer = tmp_path / "templates" / "theme" / "partials" / "copyright.html"
    footer.write_text(footer.read_text(encoding="utf-8").replace("made with papercat", "theme-marker"),
                      encoding="utf-8")
    second = build(paths)
    assert second.pages_reused == 0
    pages = list(paths.site_dir.rglob("index.html"))
    assert all("theme-marker" in page.read_text(encoding="utf-8") for page in pages)


@pytest.mark.slow
def test_another_version_of_an_output_shaping_package_rebuilds_every_page(tmp_path, monkeypatch):
    paths = project_copy(tmp_path)
    build(paths)
    real_version = incremental.metadata.version
    for package in incremental.OUTPUT_SHAPING_PACKAGES:
        monkeypatch.setattr(incremental.metadata, "version",
                            lambda name, package=package: "0.0-other" if name == package else real_version(name))
        assert build(paths).pages_reused == 0, f"a new version of {package} did not rebuild the pages"
        monkeypatch.setattr(incremental.metadata, "version", real_version)
        build(paths)
    assert {"jinja2", "markupsafe", "pyyaml", "mkdocs", "mkdocs-material"} <= set(incremental.OUTPUT_SHAPING_PACKAGES)


@pytest.mark.slow
def test_a_copy_of_an_older_site_put_back_is_not_reused(tmp_path):
    """Only the staging folder knew what the site was built with: a copy put back in its place (a backup, a
    checkout) kept the pages of another configuration, and the next build published them as they were."""
    paths = project_copy(tmp_path)
    build(paths)
    shutil.copytree(paths.site_dir, tmp_path / "backup")
    config = paths.config_file.read_text(encoding="utf-8")
    paths.config_file.write_text(config.replace('site_url: !ENV [PAPERCAT_SITE_URL, "http://127.0.0.1:8000/"]',
                                                'site_url: "https://example.org/catalog/"'), encoding="utf-8")
    build(paths)
    shutil.rmtree(paths.site_dir)
    shutil.copytree(tmp_path / "backup", paths.site_dir)
    assert build(paths).pages_reused == 0
    stale = [page for page in paths.site_dir.rglob("index.html")
             if 'rel="canonical" href="http://127.0.0.1:8000/' in page.read_text(encoding="utf-8")]
    assert not stale, f"{len(stale)} pages of the copy were published again"


@pytest.mark.slow
def test_a_page_or_search_bundle_changed_in_the_site_is_made_again(tmp_path):
    """A page edited in the site after it was built (its source digest left as it was) and a search bundle cut
    short were reused by every later build, for good (red team): only what the last build left is reused."""
    paths = project_copy(tmp_path)
    build(paths)
    page = paper_pages(paths.site_dir)[0]
    built_page = page.read_bytes()
    page.write_bytes(built_page.replace(b"<h2 id=\"seen-in\">", b"<h2>edited in the site</h2><h2 id=\"seen-in\">"))
    bundle = paths.site_dir / "pagefind" / "0"
    fragment = next((bundle / "fragment").iterdir())
    indexed_fragment = fragment.read_bytes()
    fragment.write_bytes(b"")
    (bundle / "pagefind.js").unlink()
    second = build(paths)
    assert page.read_bytes() == built_page, "the page edited in the site was published again"
    assert fragment.read_bytes() == indexed_fragment and (bundle / "pagefind.js").is_file(), "the search is broken"
    generated = len(list(paths.docs_dir.rglob("*.md"))) - len(list((tmp_path / "site_src").rglob("*.md")))
    assert second.pages_reused == generated - 1, "every other page is reused still"


@pytest.mark.slow
@pytest.mark.parametrize(("written", "error"), [
    ("{% if %}", "the template failed: TemplateSyntaxError: Expected an expression"),  # found by check
    ("{{ no_such_thing.attribute }}", "the theme template failed: UndefinedError: 'no_such_thing'")])  # by MkDocs
def test_a_failing_theme_override_is_named_by_file_and_line(tmp_path, written, error):
    """A mistake in a theme override (templates/theme) printed MkDocs' traceback of 50 lines (red team)."""
    paths = project_copy(tmp_path)
    main = paths.templates_dir / "theme" / "main.html"
    lines = main.read_text(encoding="utf-8").splitlines(keepends=True)
    line = next(number for number, text in enumerate(lines, start=1) if "{% block site_meta %}" in text) + 1
    lines.insert(line - 1, f"{written}\n")
    main.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        build(paths)
    assert str(raised.value).startswith(f"{main}:{line}: {error}"), str(raised.value)
    assert "Traceback" not in str(raised.value)


@pytest.mark.slow
def test_a_title_the_nav_takes_from_a_page_is_shown_on_every_page(tmp_path):
    """A nav entry without a title shows its page's heading on every page: a change to that one source shapes
    them all."""
    paths = project_copy(tmp_path)
    config = paths.config_file.read_text(encoding="utf-8")
    paths.config_file.write_text(config.replace("  - For you: for-you.md\n", "  - For you: for-you.md\n  - about.md\n"),
                                 encoding="utf-8")
    about = tmp_path / "site_src" / "about.md"
    about.write_text("# About\n\nWhat this catalog is.\n", encoding="utf-8")
    build(paths)
    about.write_text("# About this catalog\n\nWhat this catalog is.\n", encoding="utf-8")
    build(paths)
    pages = list(paths.site_dir.rglob("index.html"))
    stale = [page for page in pages if "About this catalog" not in page.read_text(encoding="utf-8")]
    assert len(pages) > 100 and not stale, f"{len(stale)} of {len(pages)} pages show the old title"


@pytest.mark.slow
def test_a_stale_page_is_found_after_the_build(tmp_path):
    paths = project_copy(tmp_path)
    build(paths)
    assert incremental.stale_pages(paths.docs_dir, paths.site_dir) == []
    source = next(iter(sorted((paths.docs_dir / "papers").glob("*.md"))))
    source.write_bytes(source.read_bytes() + b"\n<p>changed after the build</p>\n")
    assert incremental.stale_pages(paths.docs_dir, paths.site_dir) == [f"papers/{source.name}"]


@pytest.mark.slow
def test_mkdocs_warnings_reach_the_user(tmp_path):
    paths = project_copy(tmp_path)
    (tmp_path / "site_src" / "broken.md").write_text("# Broken\n\nSee [the guide](missing.md).\n", encoding="utf-8")
    summary = build(paths)
    assert any("broken.md" in warning and "missing.md" in warning for warning in summary.warnings), summary.warnings


@pytest.mark.slow
def test_the_cli_prints_mkdocs_warnings(tmp_path):
    paths = project_copy(tmp_path)
    (tmp_path / "site_src" / "broken.md").write_text("See [the guide](missing.md).\n", encoding="utf-8")
    result = subprocess.run([str(PAPERCAT), "build", "--dumps", str(paths.dumps_dir), "--site", "site",
                             "--config-file", "mkdocs.yml"], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "MkDocs: WARNING" in result.stderr and "missing.md" in result.stderr, result.stderr


@pytest.mark.slow
def test_two_builds_at_once_never_mix_their_sites(tmp_path):
    """A preview in one terminal and a build in another, of different dumps, into one site."""
    first = copy_dumps(tmp_path / "first", SEED_DUMPS[:2])
    second = copy_dumps(tmp_path / "second", SEED_DUMPS[2:])
    for round_number in range(2):
        runs = [subprocess.Popen([str(PAPERCAT), "build", "--dumps", str(dumps), "--site", str(tmp_path / "site")],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for dumps in (first, second)]
        outputs = [run.communicate() for run in runs]
        for run, (_, stderr) in zip(runs, outputs):
            assert run.returncode == 0 and "Traceback" not in stderr, stderr
        catalog = json.loads((tmp_path / "site" / "catalog.json").read_text(encoding="utf-8"))
        pages = {path.parent.name for path in paper_pages(tmp_path / "site")}
        assert pages == {paper["id"] for paper in catalog["papers"]}, f"round {round_number}: a mixed site"
        assert {dump["file"] for dump in catalog["dumps"]} in ({*SEED_DUMPS[:2]}, {*SEED_DUMPS[2:]})
        assert incremental.stale_pages(tmp_path / "build" / "docs", tmp_path / "site") == []


def test_swapping_two_folders_is_one_step(tmp_path):
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "page").write_text("new", encoding="utf-8")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "page").write_text("old", encoding="utf-8")
    assert exchange(tmp_path / "new", tmp_path / "site")
    assert (tmp_path / "site" / "page").read_text(encoding="utf-8") == "new"
    assert (tmp_path / "new" / "page").read_text(encoding="utf-8") == "old"


def test_sync_tree_writes_only_what_changed_and_removes_the_rest(tmp_path):
    target = tmp_path / "docs"
    assert incremental.sync_tree({"a.md": b"a", "sub/b.md": b"b"}, target) == incremental.SyncResult(2, 0)
    before = (target / "a.md").stat().st_mtime_ns
    assert incremental.sync_tree({"a.md": b"a", "c.md": b"c"}, target) == incremental.SyncResult(1, 1)
    assert (target / "a.md").stat().st_mtime_ns == before
    assert sorted(path.relative_to(target).as_posix() for path in target.rglob("*")) == ["a.md", "c.md"]


def checked_seeds(folder: Path, names=SEED_DUMPS):
    from generator.build import check
    return check(shipped(dumps_dir=copy_dumps(folder / "dumps", names)))


def test_kept_topics_are_the_topics_tagging_gives(tmp_path):
    from generator.enrich import enrich
    staging = tmp_path / "build"
    earlier = checked_seeds(tmp_path / "earlier", SEED_DUMPS[:2])
    enrich(earlier.catalog, earlier.taxonomy, earlier.overrides, incremental.cached_tagger(staging))
    checked = checked_seeds(tmp_path / "all")
    fresh = enrich(checked.catalog, checked.taxonomy, checked.overrides)
    for run in ("partly kept", "all kept"):
        kept = enrich(checked.catalog, checked.taxonomy, checked.overrides, incremental.cached_tagger(staging))
        assert kept.topics_by_paper == fresh.topics_by_paper, f"{run}: topics differ from an uncached run"
    assert len(json.loads((staging / incremental.TOPIC_CACHE).read_text())["topics"]) == len(checked.catalog.papers)


def test_two_texts_that_differ_only_by_where_a_nul_falls_keep_their_own_topics(tmp_path):
    """Title and abstract were hashed joined by NUL, which dump text may hold: these two papers shared a digest,
    and so the first's topics."""
    from generator.enrich.topics import load_taxonomy, tag_papers
    taxonomy = load_taxonomy(SEED_TAXONOMY)
    texts = [("Notes\0diffusion model", "We study soil."), ("Notes", "diffusion model\0We study soil.")]
    assert incremental.cached_tagger(tmp_path)(texts, taxonomy) == tag_papers(texts, taxonomy)


def test_kept_topics_are_dropped_when_the_taxonomy_or_code_changes(tmp_path, monkeypatch):
    from dataclasses import replace
    checked = checked_seeds(tmp_path, SEED_DUMPS[:1])
    texts = [(paper.title, paper.abstract) for paper in checked.catalog.papers]
    tagger = incremental.cached_tagger(tmp_path / "build")
    tagger(texts, checked.taxonomy)
    calls = []
    monkeypatch.setattr(incremental, "tag_papers", lambda texts, taxonomy: calls.append(len(texts)) or
                        [() for _ in texts])
    tagger(texts, checked.taxonomy)
    assert calls == [0], "a second run with the same taxonomy and code tagged papers again"
    stricter = replace(checked.taxonomy, settings=replace(checked.taxonomy.settings, threshold=99.0))
    tagger(texts, stricter)
    assert calls[-1] == len(texts), "a changed taxonomy kept the topics of the old one"
    monkeypatch.setattr(incremental, "GENERATOR_DIR", tmp_path / "other-code")
    (tmp_path / "other-code").mkdir()
    (tmp_path / "other-code" / "topics.py").write_text("# another version\n")
    tagger(texts, checked.taxonomy)
    assert calls[-1] == len(texts), "changed code kept the topics the old code gave"


@pytest.mark.parametrize("topics", [{"d": [["x", 1.0]]}, {"d": 3}, ["d"], None])
def test_a_topic_cache_changed_by_hand_only_means_tagging_again(tmp_path, topics):
    """Under the right key, an entry of another shape ended the build in a traceback."""
    from generator.enrich.topics import load_taxonomy, tag_papers
    taxonomy = load_taxonomy(SEED_TAXONOMY)
    (tmp_path / incremental.TOPIC_CACHE).write_text(json.dumps({"key": incremental.tagging_key(taxonomy),
                                                                "topics": topics}))
    texts = [("Diffusion models", "We study diffusion models.")]
    assert incremental.cached_tagger(tmp_path)(texts, taxonomy) == tag_papers(texts, taxonomy)


def render_keeping_pages(staging: Path, templates_dir: Path, names=SEED_DUMPS):
    """Render the seeds through KeptPages into `staging`, as a build does; the docs and how many pages were kept."""
    from generator.enrich import enrich
    from generator.render import SiteSettings, render_site
    checked = checked_seeds(staging / "input", names)
    folders = {"docs": staging / "docs", "search": staging / "search"}
    known = incremental.KeptPages(staging, folders, templates_dir)
    rendered = render_site(checked.catalog, enrich(checked.catalog, checked.taxonomy, checked.overrides),
                           templates_dir, "2026-01-01", SiteSettings(), [], known)
    incremental.sync_tree(rendered.docs, folders["docs"])
    incremental.sync_tree(rendered.search, folders["search"])
    known.save()
    shutil.rmtree(staging / "input")
    return rendered.docs | {f"search/{path}": text for path, text in rendered.search.items()}, known.reused


def test_kept_paper_pages_are_the_pages_a_fresh_render_makes(tmp_path):
    templates = PROJECT_ROOT / "templates"
    # The first three already show a date twice, as a catalog past a year does (SiteData.dump_names).
    render_keeping_pages(tmp_path / "build", templates, [name for name in SEED_DUMPS if name != SEED_DUMPS[2]])
    updated, reused = render_keeping_pages(tmp_path / "build", templates)
    fresh, _ = render_keeping_pages(tmp_path / "fresh", templates)
    assert reused > 0, "adding a dump kept no paper page"
    assert sorted(updated) == sorted(fresh)
    assert [path for path in fresh if updated[path] != fresh[path]] == []


def test_a_staging_page_changed_by_hand_is_rendered_again(tmp_path):
    templates = PROJECT_ROOT / "templates"
    staging = tmp_path / "build"
    first, _ = render_keeping_pages(staging, templates, SEED_DUMPS[:1])
    page = next(path for path in sorted(first) if path.startswith("papers/"))
    (staging / "docs" / page).write_text("edited by hand\n", encoding="utf-8")
    again, reused = render_keeping_pages(staging, templates, SEED_DUMPS[:1])
    assert reused > 0
    assert again[page] == first[page], "a page changed by hand in the staging folder was published as it was"


def test_a_changed_template_or_package_renders_every_paper_page_again(tmp_path, monkeypatch):
    templates = tmp_path / "templates"
    shutil.copytree(PROJECT_ROOT / "templates", templates)
    staging = tmp_path / "build"
    render_keeping_pages(staging, templates, SEED_DUMPS[:1])
    assert render_keeping_pages(staging, templates, SEED_DUMPS[:1])[1] > 0
    with open(templates / "_charts.j2", "a", encoding="utf-8") as template:
        template.write("{# changed #}\n")
    assert render_keeping_pages(staging, templates, SEED_DUMPS[:1])[1] == 0, "a changed template kept pages"
    real_version = incremental.metadata.version
    for package in incremental.RENDER_SHAPING_PACKAGES:
        monkeypatch.setattr(incremental.metadata, "version",
                            lambda name, package=package: "0.0-other" if name == package else real_version(name))
        assert render_keeping_pages(staging, templates, SEED_DUMPS[:1])[1] == 0, f"a new {package} kept pages"
    assert {"jinja2", "markupsafe", "pyyaml"} <= set(incremental.RENDER_SHAPING_PACKAGES)


def test_a_kept_page_is_rendered_from_plain_values_only(tmp_path):
    """A page's inputs are its cache key: anything but plain values (text, numbers, frozen dataclasses and
    sequences of them) could show on the page without its repr saying so."""
    from dataclasses import fields, is_dataclass

    from generator.enrich import enrich
    from generator.render import SiteSettings, render_site

    def plain(value) -> bool:
        if value is None or isinstance(value, (str, int, float, bool)):
            return True
        if isinstance(value, (tuple, list)):
            return all(map(plain, value))
        if isinstance(value, dict):
            return all(isinstance(key, str) and plain(item) for key, item in value.items())
        return (is_dataclass(value) and value.__dataclass_params__.frozen
                and all(plain(getattr(value, field.name)) for field in fields(value)))

    class Recording:
        def __init__(self):
            self.inputs = []

        def page(self, folder, path, inputs, render):
            self.inputs.append((folder, inputs))
            return render()

    checked = checked_seeds(tmp_path)
    recording = Recording()
    render_site(checked.catalog, enrich(checked.catalog, checked.taxonomy, checked.overrides),
                PROJECT_ROOT / "templates", "2026-01-01", SiteSettings(), [], recording)
    assert len(recording.inputs) == 2 * len(checked.catalog.papers)
    assert [(folder, inputs) for folder, inputs in recording.inputs if not plain(inputs)] == []


# --- Work beside the build ---------------------------------------------------------------------------


def test_a_function_run_in_its_own_process_gives_its_result():
    with incremental.in_own_process(math.comb) as start:
        assert start(50, 25)() == math.comb(50, 25)


def test_a_function_failing_in_its_own_process_is_a_clear_error():
    expected = r"(?s)finding factorial failed \(exit 1\); build again.*factorial\(\) not defined for negative"
    with incremental.in_own_process(math.factorial) as start, pytest.raises(ToolError, match=expected):
        start(-1)()


def test_its_process_is_stopped_when_the_build_fails_first():
    started = time.monotonic()
    with pytest.raises(RuntimeError), incremental.in_own_process(time.sleep) as start:
        start(60)
        raise RuntimeError("the build failed")
    assert time.monotonic() - started < 20


def test_its_process_is_stopped_when_the_build_fails_before_starting_it():
    started = time.monotonic()
    with pytest.raises(RuntimeError), incremental.in_own_process(time.sleep):
        raise RuntimeError("the dumps were wrong")
    assert time.monotonic() - started < 20


def test_what_the_function_prints_does_not_spoil_its_result():
    with incremental.in_own_process(print) as start:
        assert start("printed, not returned")() is None


def test_kept_objects_are_spared_by_the_collector_until_the_build_ends():
    with incremental.collector_sparing_kept_objects() as keep:
        kept = [[] for _ in range(1000)]
        keep()
        assert gc.get_freeze_count() >= len(kept)
    assert gc.get_freeze_count() == 0


def test_objects_the_caller_froze_stay_frozen():
    kept = [[] for _ in range(1000)]
    gc.freeze()
    try:
        with incremental.collector_sparing_kept_objects() as keep:
            keep()
        # Not an exact count: a frozen object that dies meanwhile leaves the frozen generation (a fresh clone's
        # run once found one fewer).
        assert gc.get_freeze_count() >= len(kept), "the caller's frozen objects were unfrozen"
    finally:
        gc.unfreeze()
