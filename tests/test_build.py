"""End to end: the real dumps in, the site a reader sees out (issue: the first working catalog)."""
from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml

from generator import incremental
from generator.build import local_address_note
from generator.config import load_config
from generator.parse import read_dumps
from generator.render import layout
from generator.render.pages import index_meta
from tests.conftest import SEED_DUMPS, build_into, copy_dumps, text_of


def test_every_paper_has_a_page(real_build):
    papers = sorted((real_build.site / "papers").iterdir())
    assert len(papers) == 325, f"expected 325 paper pages, found {len(papers)}"
    catalog = real_build.catalog()
    assert len(catalog["papers"]) == 325, f"catalog.json lists {len(catalog['papers'])} papers"
    assert {paper["url"] for paper in catalog["papers"]} == {f"papers/{path.name}/" for path in papers}


def test_every_record_is_on_its_papers_page(real_build, seed_dumps):
    catalog = real_build.catalog()
    url_by_title = {}
    for paper in catalog["papers"]:
        for seen in paper["seen"]:
            url_by_title.setdefault(seen["title"], []).append(paper["url"])
    missing = []
    for dump in read_dumps(seed_dumps):
        for record in dump.records:
            pages = [text_of(real_build.page(url)) for url in url_by_title.get(record.title, [])]
            if not any(record.title in text and record.abstract in text and dump.date_label in text for text in pages):
                missing.append(f"{dump.file}:{record.line}")
    assert not missing, f"records not shown on a paper page: {missing[:10]}"
    assert sum(len(dump.records) for dump in read_dumps(seed_dumps)) == 362


def test_recurring_table_lists_exactly_the_recurring_papers(real_build):
    page = real_build.page("recurring")
    rows = [html.unescape(row) for row in re.findall(r'<tr class="pc-item"><td><a class="pc-title"[^>]* href="[^"]*?papers/([^"/]+)/"', page)]
    catalog = real_build.catalog()
    recurring = {paper["id"] for paper in catalog["papers"] if len(paper["dumps"]) > 1}
    assert len(rows) == 32, f"expected 32 recurring rows, found {len(rows)}"
    assert set(rows) == recurring
    counts = [len(next(p for p in catalog["papers"] if p["id"] == row)["dumps"]) for row in rows]
    assert counts == sorted(counts, reverse=True), "recurring table is not most-seen first"
    header = page.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert header.count("<th>") == 2 + 4, "expected a column per dump"


def test_dump_pages_list_papers_in_dump_order_marked_new_or_seen(real_build):
    catalog = real_build.catalog()
    for dump in catalog["dumps"]:
        page = real_build.page(dump["url"])
        listed = [html.unescape(item) for item in re.findall(r'<li class="pc-item"><a class="pc-title"[^>]* href="[^"]*?papers/([^"/]+)/"', page)]
        assert listed == dump["papers"], f"{dump['file']}: dump page order differs from the dump"
        assert dump["date"] in text_of(page) and dump["file"] in text_of(page)
    # A dump page names the other dumps of a paper, only where there are any: most papers are in one dump.
    first, second = (real_build.page(dump["url"]) for dump in catalog["dumps"][:2])
    assert "Seen before in" in second and "Seen again in" in first and "Seen before in" not in first
    only_here = sum(paper["dumps"] == [catalog["dumps"][0]["id"]] for paper in catalog["papers"])
    assert first.count('<li class="pc-item">') - first.count('class="pc-seen pc-note"') == only_here


def test_home_page_shows_counts_and_newest_dump(real_build):
    text = text_of(real_build.page(""))
    assert "325 papers" in text and "4 dumps" in text and "32 recurring papers" in text
    catalog = real_build.catalog()
    newest = catalog["dumps"][-1]
    heading = re.search(r'<h2 id="newest">.*?</h2>\s*<p>(.*?)</p>\s*<ol class="pc-listing" data-pc-dump="([^"]+)">(.*?)</ol>',
                        real_build.page(""), re.S)
    assert heading and f'href="{newest["url"]}"' in heading[0], "the newest dump's heading links to another dump"
    seen_before = {paper_id for dump in catalog["dumps"][:-1] for paper_id in dump["papers"]}
    new_ids = [paper_id for paper_id in newest["papers"] if paper_id not in seen_before]
    assert " ".join(html.unescape(heading[1]).split()) == f"{len(new_ids)} of its {len(newest['papers'])} papers are new to the catalog."
    listed = re.findall(r'class="pc-title"[^>]* href="papers/([^"/]+)/"', heading[3])
    assert listed == new_ids, "the home page lists other papers than those new in the newest dump"
    # Each item names its other dumps only: "Seen in <the newest dump>" repeated the heading (a reader's review);
    # the list names its dump for the scripts' new marks.
    assert heading[2] == newest["url"].split("/")[1] and "Seen in" not in heading[3]


def test_maintainers_page_names_each_weak_papers_id_and_topics(real_build):
    """A curator fixing a weak guess in tags.yml needs the paper's id and what it was given."""
    catalog = real_build.catalog()
    titles = {topic["name"]: topic["title"] for topic in catalog["topics"]}
    by_id = {paper["id"]: paper for paper in catalog["papers"]}
    weak = real_build.page("maintainers/").split('<ul class="pc-weak">', 1)[1].split("</ul>", 1)[0]
    rows = re.findall(r'href="\.\./papers/([^"/]+)/">.*?</a> <code>([^<]+)</code>: ([^<]*)</li>', weak)
    assert rows and len(rows) == weak.count("<li>")
    for linked, named, topics in rows:
        assert linked == named and html.unescape(topics) == ", ".join(titles[tag] for tag in by_id[named]["tags"])


def test_catalog_json_schema(real_build):
    catalog = real_build.catalog()
    for paper in catalog["papers"]:
        assert {"id", "url", "title", "abstract", "tags", "dumps", "related"} <= paper.keys()
        assert paper["url"] == f"papers/{paper['id']}/"
        assert all(isinstance(tag, str) for tag in paper["tags"])
    ids = {paper["id"] for paper in catalog["papers"]}
    for dump in catalog["dumps"]:
        assert {"id", "file", "date", "papers"} <= dump.keys()
        assert set(dump["papers"]) <= ids


def test_navigation_lists_only_index_pages(real_build):
    paper_page = real_build.page(real_build.catalog()["papers"][0]["url"])
    nav_links = re.findall(r'<a href="([^"]*)" class="md-(?:nav|tabs)__link', paper_page)
    assert nav_links, "no navigation found"
    assert not [link for link in nav_links if "papers/" in link], "a paper is listed in the navigation"


def test_addresses_are_unique_case_insensitively(real_build):
    ids = [paper["id"] for paper in real_build.catalog()["papers"]]
    assert len({paper_id.casefold() for paper_id in ids}) == len(ids)
    assert all(paper_id and len(paper_id.encode()) <= 255 for paper_id in ids)


def generated_fingerprint(docs: Path) -> dict[str, str]:
    return {path.relative_to(docs).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(docs.rglob("*")) if path.is_file()}


@pytest.mark.slow
def test_builds_are_deterministic(real_build, seed_dumps, tmp_path):
    again = build_into(tmp_path, seed_dumps)
    assert generated_fingerprint(again.docs) == generated_fingerprint(real_build.docs)
    assert (again.site / "catalog.json").read_bytes() == (real_build.site / "catalog.json").read_bytes()


@pytest.mark.slow
def test_adding_a_dump_keeps_every_address(tmp_path):
    dumps = copy_dumps(tmp_path / "dumps", SEED_DUMPS[:2])
    before = {p["title"]: p["id"] for p in build_into(tmp_path / "a", dumps).catalog()["papers"]}
    copy_dumps(dumps)
    after = {p["title"]: p["id"] for p in build_into(tmp_path / "b", dumps).catalog()["papers"]}
    changed = {title: (before[title], after.get(title)) for title in before if after.get(title) != before[title]}
    assert not changed, f"addresses changed after adding dumps: {changed}"
    assert len(after) > len(before)


@pytest.mark.slow
def test_unchanged_rebuild_rewrites_no_generated_file(tmp_path):
    dumps = copy_dumps(tmp_path / "dumps", SEED_DUMPS[1:2])
    first = build_into(tmp_path / "out", dumps)
    mtimes = {path: path.stat().st_mtime_ns for path in first.docs.rglob("*") if path.is_file()}
    second = build_into(tmp_path / "out", dumps)
    assert second.summary.files_written == 0
    assert {path: path.stat().st_mtime_ns for path in second.docs.rglob("*") if path.is_file()} == mtimes


@pytest.mark.slow
def test_same_title_papers_warn_and_link_each_other(tmp_path):
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    (dumps / "000_x.txt").write_text(
        "Aug 1\n\nShared Title\n\nVision transformers for image classification at scale.\n\n"
        "Shared title\n\nA field study of soil bacteria in urban gardens.\n", encoding="utf-8")
    built = build_into(tmp_path, dumps)
    first, second = built.catalog()["papers"]
    for paper, other in ((first, second), (second, first)):
        page = built.page(paper["url"])
        assert "Similar titles" in built.text(paper["url"])
        assert f'href="../../papers/{other["id"]}/"' in html.unescape(page)


@pytest.mark.slow
def test_pages_do_not_grow_with_the_catalog(tmp_path):
    from benchmarks.synthetic import write_synthetic_dumps

    sizes, recurring_columns = {}, {}
    for count in (100, 650):  # 2 dumps, then 13: past the recurring table's column per dump
        built = build_into(tmp_path / str(count), write_synthetic_dumps(tmp_path / str(count) / "dumps", count))
        pages = sorted(path.stat().st_size for path in (built.site / "papers").glob("*/index.html"))
        sizes[count] = (pages[len(pages) // 2], pages[-1])
        recurring = built.page("recurring")
        recurring_columns[count] = recurring.split("</thead>", 1)[0].count("<th>") if "<thead>" in recurring else 0
        if count == 650:  # each row a listing's item, with the dumps that listed the paper and its sentence
            items = re.findall(r'<li class="pc-item">.*?</li>', recurring, re.S)
            assert items and all("Seen in" in item and "pc-key-sentence" in item for item in items), items[:1]
    (median_small, largest_small), (median_large, largest_large) = sizes[100], sizes[650]
    assert median_large <= median_small * 1.1, f"median paper page grew: {sizes}"
    assert largest_large <= largest_small * 1.2, f"largest paper page grew: {sizes}"
    assert recurring_columns == {100: 2 + 2, 650: 0}, "the recurring page should stop having a column per dump"


@pytest.mark.slow
def test_sharded_build_makes_the_pages_one_mkdocs_run_makes(real_build, tmp_path):
    """MkDocs builds the site in parallel shards: every file must be what a single MkDocs run writes."""
    assert len(list(real_build.docs.glob("papers/*.md"))) >= incremental.SHARD_MIN_PAGES, "the real build is not sharded"
    config = load_config(real_build.paths.staging_dir / "mkdocs.yml")
    single_site = tmp_path / "single"
    run_mkdocs_once = tmp_path / "mkdocs.yml"
    run_mkdocs_once.write_text(yaml.safe_dump(config | {"site_dir": str(single_site)}), encoding="utf-8")
    incremental.run_mkdocs(run_mkdocs_once)
    built = {path.relative_to(real_build.site) for path in real_build.site.rglob("*") if path.is_file()
             and path.relative_to(real_build.site).parts[0] not in ("pagefind", incremental.SITE_RECORD)}
    single = {path.relative_to(single_site) for path in single_site.rglob("*") if path.is_file()}
    assert built == single
    differing = [path for path in sorted(built) if (real_build.site / path).read_bytes() != (single_site / path).read_bytes()]
    assert not differing, f"pages differ from a single MkDocs run: {differing[:5]}"


def test_a_site_built_for_the_local_preview_says_so(real_build):
    """Feeds and the sitemap link under site_url: a site built with the local preview's address and published
    sent feed readers to localhost, and the build said nothing (a reader's review)."""
    (note,) = [note for note in real_build.summary.notes if "site_url" in str(note)]
    assert note.startswith("site_url is http://127.0.0.1:8000/, the local preview's address") and \
        "build with PAPERCAT_SITE_URL" in note, note
    assert local_address_note("https://someone.github.io/papers/") == [] == local_address_note(None)


def test_sitemap_lists_every_page_for_instant_navigation(real_build):
    """Material's instant navigation takes over only links to addresses listed in /sitemap.xml."""
    sitemap = ElementTree.parse(real_build.site / "sitemap.xml").getroot()
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    listed = {loc.text for loc in sitemap.iter(f"{namespace}loc")}
    pages = {path.parent.relative_to(real_build.site).as_posix() for path in real_build.site.rglob("index.html")}
    base = load_config(real_build.paths.staging_dir / "mkdocs.yml")["site_url"].rstrip("/") + "/"
    expected = {base + ("" if page == "." else page + "/") for page in pages}
    assert listed == expected


def site_files(site: Path) -> dict[Path, bytes]:
    """Every file of a built site, the search index included (Pagefind 1.6 writes the same bytes for the same
    documents)."""
    return {path.relative_to(site): path.read_bytes() for path in site.rglob("*") if path.is_file()}


@pytest.mark.slow
def test_a_site_updated_page_by_page_is_the_site_a_full_build_makes(real_build, tmp_path):
    """After a dump is added or removed, MkDocs builds only the changed pages and keeps the others of the
    previous site. The result must be what building every page makes."""
    # The dump added is not the newest, and the first three already show a date twice, as a catalog past a
    # year does (the first date shown twice renames every dump: see SiteData.dump_names).
    added = SEED_DUMPS[2]
    dumps = copy_dumps(tmp_path / "dumps", [name for name in SEED_DUMPS if name != added])
    first = build_into(tmp_path, dumps)
    assert first.summary.pages_reused == 0
    three_dumps = site_files(first.site)
    copy_dumps(dumps, [added])
    second = build_into(tmp_path, dumps)
    assert second.summary.pages_reused > 0
    four_dumps, expected = site_files(second.site), site_files(real_build.site)
    assert sorted(four_dumps) == sorted(expected)
    assert [path for path in expected if four_dumps[path] != expected[path]] == []
    (dumps / added).unlink()
    third = build_into(tmp_path, dumps)
    assert third.summary.pages_reused > 0
    back_to_three = site_files(third.site)
    assert sorted(back_to_three) == sorted(three_dumps)
    assert [path for path in three_dumps if back_to_three[path] != three_dumps[path]] == []
    assert (third.site / "pagefind" / "0" / "pagefind.js").is_file()


@pytest.mark.slow
def test_a_new_dump_indexes_only_the_search_parts_it_changes(tmp_path, monkeypatch):
    """A large catalog's search is in parts of whole dumps. A new dump of words the catalog has changes the
    newest part only, whose index is built again while the others are kept from the site in place. A new title
    word changes every part (each holds every title's words), and a paper seen again moves to the newest part.
    Each time the site is what a full build makes."""
    monkeypatch.setattr(layout, "SEARCH_PART_RECORDS", 5)  # dumps of 3 records start parts 0, 0, 1, 1, 2
    words = ("alpha", "beta", "gamma", "delta")
    titles = [f"{first} {second} study" for first in words for second in words if first != second]
    dumps_of = {number: titles[number * 3:number * 3 + 3] for number in range(4)}
    dumps_of[4] = [titles[0], "omega alpha study"]  # seen again in dump 0's part; a new word

    def write_dump(dumps: Path, number: int) -> None:
        records = "".join(f"{title}\n\nWe study {title.removesuffix(' study')}.\n\n" for title in dumps_of[number])
        dumps.mkdir(parents=True, exist_ok=True)
        (dumps / f"{number:03d}_dump.txt").write_text(f"Aug {number + 1}\n\n{records}", encoding="utf-8")

    def entry_files(site: Path) -> dict[str, int]:
        return {part: (site / "pagefind" / part / "pagefind-entry.json").stat().st_ino
                for part in json.loads((site / "search-parts.json").read_text(encoding="utf-8"))}

    def full_build(count: int) -> Path:
        for number in range(count):
            write_dump(tmp_path / f"full{count}" / "dumps", number)
        return build_into(tmp_path / f"full{count}", tmp_path / f"full{count}" / "dumps").site

    for number in range(3):  # every word of dump 3 is in the first three dumps
        write_dump(tmp_path / "daily" / "dumps", number)
    site = build_into(tmp_path / "daily", tmp_path / "daily" / "dumps").site
    before = entry_files(site)
    assert list(before) == ["0", "1"]
    for added, kept in ((3, {"0"}), (4, set())):
        write_dump(tmp_path / "daily" / "dumps", added)
        daily = build_into(tmp_path / "daily", tmp_path / "daily" / "dumps")
        after = entry_files(site)
        assert {part for part in before if after[part] == before[part]} == kept, f"dump {added}"
        daily_files, full_files = site_files(daily.site), site_files(full_build(added + 1))
        assert sorted(daily_files) == sorted(full_files)
        assert [path for path in full_files if daily_files[path] != full_files[path]] == []
        before = after
    assert list(before) == ["0", "1", "2"]
    search_dir = daily.paths.search_dir
    assert [path.relative_to(search_dir).parts[0] for path in search_dir.glob("*/papers/alpha-beta-study")] == ["2"]


def test_search_parts_hold_whole_dumps_by_where_they_start():
    """A dump starting within a stretch of SEARCH_PART_RECORDS records is in that stretch's part, however large:
    a dump is never split, and a dump added at the end moves no other."""
    stretch = layout.SEARCH_PART_RECORDS
    assert layout.search_parts([]) == []
    assert layout.search_parts([stretch - 1, 2, 1]) == ["0", "0", "1"]
    assert layout.search_parts([stretch * 2 + 5, 50]) == ["0", "2"]
    assert layout.search_parts([stretch - 1, 2, 1, 7])[:3] == layout.search_parts([stretch - 1, 2, 1])


def test_page_addresses_follow_mkdocs_directory_urls():
    """The sitemap and the incremental build both map a Markdown file to the page MkDocs makes of it."""
    from generator.render.layout import url_of

    assert [url_of(source) for source in ("index.md", "papers/x.md", "guide/index.md", "topics/cv/2.md")] == [
        "", "papers/x/", "guide/", "topics/cv/2/"]


def test_listing_titles_are_escaped_and_say_which_page():
    assert index_meta("Agents")["title"] == "Agents"
    assert index_meta("Safety & security", 3)["title"] == "Safety &#38; security (page 3)"


def test_a_sitemap_past_the_protocols_limit_is_an_index_of_lists():
    """Search engines read at most 50,000 addresses from one sitemap file: past that it is an index."""
    from generator.render.sitemap import render_sitemap

    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    urls = [f"papers/p{n}/" for n in range(7)]
    files = dict(render_sitemap(urls, "https://example.org/cat", max_urls=3))
    assert sorted(files) == ["sitemap.xml", "sitemaps/1.xml", "sitemaps/2.xml", "sitemaps/3.xml"]
    index = ElementTree.fromstring(files["sitemap.xml"])
    assert index.tag == f"{namespace}sitemapindex"
    parts = [loc.text for loc in index.iter(f"{namespace}loc")]
    assert parts == [f"https://example.org/cat/sitemaps/{n}.xml" for n in (1, 2, 3)]
    listed = [loc.text for part in sorted(files)[1:] for loc in ElementTree.fromstring(files[part]).iter(f"{namespace}loc")]
    assert listed == [f"https://example.org/cat/{url}" for url in urls]
    assert list(dict(render_sitemap(urls, "https://example.org/cat", max_urls=7))) == ["sitemap.xml"]
