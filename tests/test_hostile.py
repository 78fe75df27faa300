"""Hostile text is shown exactly as written, everywhere, and changes nothing but the text shown.

The fixture tests/fixtures/004_hostile.txt holds one record per trap of shared/notes/hostile-text.md (and
more); it is built beside the four real dumps.
"""
from __future__ import annotations

import csv
import html
import io
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from xml.etree import ElementTree

import feedparser
import pytest
import yaml
from markupsafe import Markup
from mkdocs.utils import meta as mkdocs_meta

from generator.enrich.links import split_at_urls
from generator.folders import PROJECT_ROOT
from generator.parse import parse_dump
from generator.render import escape, watch
from generator.render.escape import front_matter, page_title, pagefind_filter_value, pagefind_text
from generator.render.exports import FORMULA_STARTS, as_text_cell
from generator.render.layout import FEED_ENTRIES
from generator.render.pages import DIFF_MAX_WORDS, index_meta, template_environment, word_diff
from generator.text import BIDI_CONTROLS
from tests.conftest import SITE_NAME, build_into, build_one_dump, copy_dumps

FIXTURE = Path(__file__).parent / "fixtures" / "004_hostile.txt"
# A dump's file name is text from the dumps folder too: it shows in its page's title bar and header.
HOSTILE_FILE_NAME = '003z_<img src=x onerror=alert(1)> & "q" &amp; <title>.txt'
RESERVED = {"con", "prn", "aux", "nul", "index"} | {f"com{n}" for n in range(10)} | {f"lpt{n}" for n in range(10)}


def shown(text: str) -> str:
    """What an HTML parser makes of `text` written exactly: NUL is the one character it must replace."""
    return text.replace("\x00", "\ufffd")


def hostile_records():
    return parse_dump(FIXTURE.read_text(encoding="utf-8"), FIXTURE.name).records


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    dumps = copy_dumps(folder / "dumps")
    shutil.copy(FIXTURE, dumps / FIXTURE.name)
    (dumps / HOSTILE_FILE_NAME).write_text("Aug 2\n\nA paper from a dump with a hostile file name\n\n"
                                           "Its abstract is plain.\n", encoding="utf-8")
    return build_into(folder, dumps)


@pytest.fixture(scope="module")
def hostile_papers(hostile_build):
    titles = {record.title for record in hostile_records()}
    return [paper for paper in hostile_build.catalog()["papers"] if paper["title"] in titles]


class PageParser(HTMLParser):
    """Collects what a browser would build from a page: h1 text, title, scripts, attributes."""

    def __init__(self):
        # Python's own decoding drops control characters that browsers keep: decode references like a browser.
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.h1 = ""
        self.title = ""
        self.inline_scripts: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.abstract = ""
        self.header_title = ""  # the page title Material's header shows on scrolling
        self.in_header_title = False

    def handle_starttag(self, tag, attrs):
        self.stack.append((tag, dict(attrs).get("class") or ""))
        self.in_header_title = self.in_header_title or ("data-md-component", "header-topic") in attrs
        self.attributes.extend((tag, name, value or "") for name, value in attrs)

    def handle_endtag(self, tag):
        self.in_header_title = self.in_header_title and tag != "div"  # it holds a span only
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_charref(self, name):
        code = int(name[1:], 16) if name[:1] in "xX" else int(name)
        self.handle_data(chr(code) if code else "\ufffd")

    def handle_entityref(self, name):
        self.handle_data(html.unescape(f"&{name};"))

    def handle_data(self, data):
        tags = [tag for tag, _ in self.stack]
        if "h1" in tags:
            self.h1 += data
        if tags[-1:] == ["title"]:
            self.title += data
        if tags[-1:] == ["script"]:
            self.inline_scripts.append(data)
        if any("pc-abstract" in classes for _, classes in self.stack):
            self.abstract += data
        if self.in_header_title and tags[-1:] == ["span"]:
            self.header_title += data


def parse_page(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_fixture_covers_the_traps():
    titles = " ".join(record.title + " " + record.abstract for record in hostile_records())
    for trap in ["<img", "</title>", "&#60;", "{: on", "javascript:", "*[", "--8<--", "{++", ":smile:", "$x^2$",
                 "(c)", "@someone", "!!! note", "===", "[^1]", "# Heading", "| table", "material/tags", "{{",
                 "!!python", "&amp;", "\x01", "\u202e", "\u0351", "\u200b", "\U0001F600", "con", "../", "x" * 1900,
                 '"https://', 'https://example.com/a"on', "https://example.com/b<script>", "long" * 1500,
                 "A title with a link https://", "javascript:alert(13)", "www.example.org"]:
        assert trap in titles, f"fixture lacks {trap!r}"


def test_an_address_before_a_long_run_of_closing_brackets_is_found_at_once():
    """Each closer after an address was checked by counting the brackets before it afresh: 150,000 of them
    took 10 s, a 2 MB line most of an hour."""
    text = "Code at https://github.com/a/b(c)" + ")" * 200_000
    assert [piece for piece, is_address in split_at_urls(text) if is_address] == ["https://github.com/a/b(c)"]


def test_two_very_long_wordings_of_one_paper_are_not_diffed_word_by_word():
    """A word diff grows with the square of the length, faster for repetitive text (8,000 words took 39 s)."""
    words = [f"w{number % 50}" for number in range(DIFF_MAX_WORDS + 1)]
    assert word_diff(" ".join(words), " ".join(words[1:])) is None
    assert word_diff("a b c", "a c") == Markup("a <del>b</del> c")


def test_two_repetitive_wordings_under_the_limit_are_diffed_right():
    """`a a a …` against `a a, a a, …`, 1,000 words each, took 10 s for one paper page (difflib matched every
    `a` against every other); with difflib's junk heuristic, which makes it quick, the diff is still right."""
    earlier, newest = " ".join(["a"] * 1_000), " ".join(["a", "a,"] * 500)
    marked = word_diff(earlier, newest)
    assert marked is not None and marked.count("<ins>") >= 1
    shown = re.sub(r"<del>.*?</del>", "", str(marked)).replace("<ins>", "").replace("</ins>", "")
    assert shown.split() == newest.split(), "the diff less what it deletes is the newest wording"

def test_an_earlier_wording_that_differs_in_spacing_only_says_so(tmp_path):
    """Its word diff marks nothing, and the page said the changes were marked."""
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    title = "Spacing Only Paper"
    (dumps / "001_first.txt").write_text(f"Aug 1\n\n{title}\n\nWe study\u00a0spacing in text.\n", encoding="utf-8")
    (dumps / "002_second.txt").write_text(f"Aug 2\n\n{title}\n\nWe study spacing in text.\n", encoding="utf-8")
    built = build_into(tmp_path, dumps)
    (paper,) = built.catalog()["papers"]
    page = built.page(paper["url"])
    assert "Earlier wordings" in page and "changes to the newest wording marked" not in page
    assert "the words of the newest wording, with other spaces or line breaks between them" in page
    assert '<p dir="auto">' not in page.split('id="earlier-wordings"', 1)[1], "a diff marking nothing, shown"


def test_front_matter_reads_back_as_written_whatever_its_characters():
    """MkDocs reads a page's front matter as YAML, and takes a block YAML refuses as no front matter at all,
    silently: every character must read back, in titles as in descriptions."""
    characters = [chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF]
    for start in range(0, len(characters), 2_000):
        text = "".join(characters[start:start + 2_000]) + ' :#"\'\\---\n...'
        fields = {"title": text, "description": text[::-1], "hide": ["toc"], "papercat_raw_html": True}
        body, read = mkdocs_meta.get_data(front_matter(fields) + "\nThe page.")
        assert (read, body.strip()) == (fields, "The page."), f"characters from U+{start:04X}"


@pytest.mark.parametrize("macros", [False, True])
def test_templates_escape_every_value_they_print_but_markup(tmp_path, macros: bool):
    """Paper pages and search documents leave Jinja2's autoescape off for speed (pages.template_environment):
    what they print is still escaped, a string as a list or a number, and only Markup passes as it is."""
    (tmp_path / "t.j2").write_text("{{ text }}|{{ items }}|{{ items | join(' ') }}|{{ made }}|{{ number }}")
    template = template_environment(tmp_path, macros=macros).get_template("t.j2")
    printed = template.render(text="<b>*x*</b>", items=["<i>", "[a](b)"], made=Markup("<em>ok</em>"), number=7)
    assert "<b>" not in printed and "<i>" not in printed and "*x*" not in printed and "[a]" not in printed
    assert html.unescape(printed) == "<b>*x*</b>|['<i>', '[a](b)']|<i> [a](b)|<em>ok</em>|7"


@pytest.mark.parametrize("text", ["3D & spatial", "a&amp;b", "<b>&#60;\"'", "x\x01y"])
def test_pagefind_reads_search_text_and_filter_values_as_written(text: str):
    """Pagefind decodes a search document's text once and a filter value twice, as html.unescape does."""
    assert html.unescape(pagefind_text(text)) == text
    assert html.unescape(html.unescape(pagefind_filter_value(text))) == text


@pytest.mark.slow
def test_every_hostile_title_and_abstract_is_shown_exactly(hostile_build, hostile_papers):
    assert len(hostile_papers) == len({record.title for record in hostile_records()}) - 0
    for paper in hostile_papers:
        page = parse_page(hostile_build.site / paper["url"] / "index.html")
        assert page.h1 == shown(paper["title"]), f"h1 of {paper['url']}: {page.h1!r}"
        assert page.abstract == shown(paper["abstract"]), f"abstract of {paper['url']}"
        title = isolated(shown(paper["title"]))
        assert page.title == f"{title} - {SITE_NAME}", f"<title> of {paper['url']}: {page.title!r}"
        assert page.header_title == f"\n{title}\n", f"header of {paper['url']}: {page.header_title!r}"


def isolated(title: str) -> str:
    """A title as the title bar gets it: between isolates if it holds a bidirectional control, whose override
    would otherwise reverse the " - papercat" after it too."""
    return escape.isolated(title) if BIDI_CONTROLS.intersection(title) else title


def test_a_title_with_an_open_override_is_isolated_in_the_title_bar():
    assert page_title("A \u202eright-to-left") == "\u2068A \u202eright-to-left\u2069"
    assert index_meta("Aug 2 (001 \u202etxt.exe.txt)")["title"] == "\u2068Aug 2 (001 \u202etxt.exe.txt)\u2069"
    assert page_title("שלום <b>") == "שלום &#60;b&#62;"  # right-to-left letters alone need nothing


@pytest.mark.parametrize("title", ["Invoice \u2069\u202eFDP.exe", "\u2069\u2069\u202eabc", "\u2067\u202eabc",
                                   "a\u2066b\u2069\u2069c\u2068", "ok\u2069"])
def test_an_isolate_a_title_leaves_unmatched_cannot_end_the_title_bars_isolate(title: str):
    """The added U+2068 is closed by the added U+2069 at the very end, whatever isolates the title opens or closes."""
    shown = page_title(title)
    depth, closed_at = 0, []
    for position, char in enumerate(shown):
        depth += char in "\u2066\u2067\u2068"
        if char == "\u2069" and depth:
            depth -= 1
            closed_at += [position] if depth == 0 else []
    assert closed_at == [len(shown) - 1] and depth == 0, repr(shown)


@pytest.mark.slow
def test_a_hostile_dump_file_name_is_shown_exactly(hostile_build):
    titles = [parse_page(path).title for path in (hostile_build.site / "dumps").glob("*/index.html")]
    assert f"Aug 2 ({HOSTILE_FILE_NAME}) - {SITE_NAME}" in titles, titles
    page = next(path for path in (hostile_build.site / "dumps").glob("*/index.html") if "Aug 2 (" in parse_page(path).title)
    text = page.read_text(encoding="utf-8")
    header = text.split('data-md-component="header-title"', 1)[1].split("</header>", 1)[0]
    assert "<img src=x" not in text and f"Aug 2 ({HOSTILE_FILE_NAME})" in html.unescape(header)


class LinkParser(HTMLParser):
    """The links of a page: each one's attributes, as a browser decodes them, and its text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[dict, str]] = []
        self.in_link = False

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append((dict(attrs), ""))
            self.in_link = True

    def handle_endtag(self, tag):
        if tag == "a":
            self.in_link = False

    def handle_data(self, data):
        if self.in_link:
            attributes, text = self.links[-1]
            self.links[-1] = (attributes, text + data)


def abstract_links(path: Path) -> list[tuple[dict, str]]:
    page = path.read_text(encoding="utf-8")
    abstract = page.split('<p class="pc-abstract"', 1)[1].split("</p>", 1)[0]
    parser = LinkParser()
    parser.feed("<p" + abstract + "</p>")
    return parser.links


@pytest.mark.slow
def test_addresses_in_hostile_abstracts_link_exactly_and_nothing_else_does(hostile_build, hostile_papers):
    linked = 0
    for paper in hostile_papers:
        path = hostile_build.site / paper["url"] / "index.html"
        links = abstract_links(path)
        assert [(attributes["href"], text) for attributes, text in links] == [
            (piece, piece) for piece, is_address in split_at_urls(paper["abstract"]) if is_address], paper["url"]
        for attributes, _ in links:
            assert set(attributes) == {"href", "rel"} and attributes["rel"] == "nofollow noopener", attributes
            assert attributes["href"].lower().startswith(("http://", "https://")), attributes
        title = path.read_text(encoding="utf-8").split('<h1 id="title"', 1)[1].split("</h1>", 1)[0]
        assert "<a " not in title, f"{paper['url']}: the title holds a link"
        linked += len(links)
    assert linked >= 10, f"only {linked} links in the hostile abstracts"
    catalog = {paper["title"]: paper for paper in hostile_papers}
    assert [link["url"] for link in catalog["Links with markup characters in them"]["links"]] == [
        "https://example.com/a", "https://example.com/b", "https://example.com/c'onclick='alert(12)",
        "https://example.com/[x](javascript:alert(14))", "https://example.com/?a=1&amp;b=2#c:d_e~f@g",
        "HTTPS://EXAMPLE.COM/UPPER"]
    assert catalog["Things that look like links but are not"]["links"] == []
    assert [link["url"] for link in catalog["A very long link"]["links"]] == ["https://example.com/" + "long" * 1500]


def all_pages(site: Path):
    return sorted(site.rglob("*.html"))


@pytest.mark.slow
def test_no_page_carries_script_handlers_or_javascript_urls(hostile_build):
    for path in all_pages(hostile_build.site):
        page = parse_page(path)
        for tag, name, value in page.attributes:
            assert not name.startswith("on"), f"{path}: <{tag} {name}=...>"
            assert not value.strip().lower().startswith("javascript:"), f"{path}: {name}={value!r}"
        for script in page.inline_scripts:
            assert "alert" not in script, f"{path}: inline script {script[:80]!r}"
        assert "<script>alert" not in path.read_text(encoding="utf-8")


@pytest.mark.slow
def test_no_file_is_read_into_the_site(hostile_build):
    leaks = ["site_name: papercat", "root:x:0:0", "[build-system]", "build-backend"]
    for path in hostile_build.site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".csv"):
            text = path.read_text(encoding="utf-8")
            for leak in leaks:
                assert leak not in text, f"{path} contains {leak!r}"


@pytest.mark.slow
def test_addresses_are_safe(hostile_build):
    papers = sorted((hostile_build.site / "papers").iterdir())
    names = [path.name for path in papers]
    assert len({name.casefold() for name in names}) == len(names)
    for name in names:
        assert name and len(name.encode()) <= 255 and name.casefold() not in RESERVED, name
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", name), name
    assert not (hostile_build.paths.site_dir.parent / "etc").exists()


@pytest.mark.slow
def test_catalog_json_csv_and_feeds_hold_the_exact_text(hostile_build, hostile_papers):
    by_id = {paper["id"]: paper for paper in hostile_papers}
    catalog_text = (hostile_build.site / "catalog.json").read_text(encoding="utf-8")
    assert any("\u2028" in paper["title"] for paper in hostile_papers)
    assert len(catalog_text.splitlines()) == len(catalog_text.split("\n")) - 1, "a paper's entry is one line"
    rows = list(csv.DictReader(io.StringIO((hostile_build.site / "papers.csv").read_text(encoding="utf-8"), newline="")))
    csv_titles = {row["id"]: row["title"] for row in rows}
    feed_bytes = (hostile_build.site / "feeds" / "all.xml").read_bytes()
    feed = feedparser.parse(feed_bytes)
    assert not feed.bozo, feed.get("bozo_exception")
    # The feed holds the newest papers, and the hostile dump is the newest.
    assert len(feed.entries) == min(FEED_ENTRIES, len(hostile_build.catalog()["papers"]))
    # feedparser reads C1 controls as Windows-1252; a strict XML parser shows what the feed really holds.
    atom = "{http://www.w3.org/2005/Atom}"
    feed_titles = {entry.find(f"{atom}id").text.rsplit(":", 1)[-1]: entry.find(f"{atom}title").text
                   for entry in ElementTree.fromstring(feed_bytes).iter(f"{atom}entry")}
    formulas = 0
    for paper_id, paper in by_id.items():
        # A spreadsheet would run a cell starting like a formula: papers.csv makes it text with an apostrophe.
        is_formula = paper["title"].lstrip(" \u00a0\u3000").startswith(FORMULA_STARTS)
        formulas += is_formula
        assert csv_titles[paper_id] == ("'" if is_formula else "") + paper["title"]
        expected = "".join(chr(0x2400 + ord(c)) if ord(c) < 0x20 and c not in "\t\n\r" else c for c in paper["title"])
        assert feed_titles[paper_id] == expected, paper_id
    assert formulas, "the fixture has a title a spreadsheet would read as a formula"


@pytest.mark.slow
def test_same_paper_twice_in_one_dump_is_merged_and_noted(hostile_build):
    paper = next(p for p in hostile_build.catalog()["papers"] if p["title"] == "Same paper twice in one dump")
    assert len(paper["seen"]) == 2 and paper["dumps"] == ["004_hostile"]
    assert hostile_build.text(paper["url"]).count("004_hostile.txt, line") == 2


@pytest.mark.slow
def test_titles_differing_only_by_case_get_distinct_pages(hostile_build):
    ids = [p["id"] for p in hostile_build.catalog()["papers"] if p["title"].casefold().startswith("attention is all")]
    assert len(ids) == 2 and len(set(ids)) == 2


CHECK_EVERY_PAGE_HOOK = """
from generator import mkdocs_hooks
from generator.mkdocs_hooks import on_env, on_page_context, on_page_markdown, on_post_page
mkdocs_hooks.PAPER_CHECK_EVERY = 1
"""


@pytest.mark.slow
def test_paper_pages_made_from_placeholders_are_what_materials_template_makes(hostile_build, tmp_path):
    """generator/mkdocs_hooks.py fills in a page of placeholders for every paper page but the first: built
    again with every paper page also rendered in full and compared, no page differs, and the site is the same."""
    hook = tmp_path / "check_every_page.py"
    hook.write_text(CHECK_EVERY_PAGE_HOOK, encoding="utf-8")
    config = yaml.safe_load((hostile_build.paths.staging_dir / "mkdocs.yml").read_text(encoding="utf-8"))
    config |= {"site_dir": str(tmp_path / "site"), "hooks": [str(hook)]}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--config-file", str(tmp_path / "mkdocs.yml")],
                            capture_output=True, text=True, cwd=PROJECT_ROOT, env=os.environ | {"PYTHONPATH": str(PROJECT_ROOT)})
    assert result.returncode == 0, result.stderr
    assert "differs from" not in result.stderr
    pages = sorted(path.relative_to(hostile_build.site) for path in (hostile_build.site / "papers").rglob("*.html"))
    assert len(pages) > 300
    for page in pages:
        assert (tmp_path / "site" / page).read_bytes() == (hostile_build.site / page).read_bytes(), page


# --- In a real browser ---------------------------------------------------------------------------------

from tests.browser import open_visitor, serve  # noqa: E402

TRAP_SCRIPT = """
window.__dialogs = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => { window.__dialogs.push(name + ":" + args.join(",")); };
}
"""

LIVE_MARKUP = """() => {
  const found = [];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const value = attribute.value.trim().toLowerCase();
      if (attribute.name.startsWith("on") || value.startsWith("javascript:")) {
        found.push(element.tagName + " " + attribute.name + "=" + attribute.value.slice(0, 60));
      }
    }
  }
  for (const tag of ["iframe", "object", "embed"]) {
    if (document.querySelector(".md-content " + tag)) found.push("live <" + tag + ">");
  }
  return found;
}"""


def without_controls(text: str) -> str:
    """`text` as `document.title` is compared: browsers drop some C0 controls from it (Chromium drops most,
    not all) and strip and collapse ASCII whitespace, as the HTML standard says."""
    kept = "".join(char for char in text if char in "\t\n\f\r" or not (ord(char) < 0x20 or ord(char) == 0x7F))
    return " ".join(part for part in re.split(r"[\t\n\f\r ]+", kept) if part)


@pytest.mark.slow
def test_every_page_in_chromium_is_inert_and_exact(hostile_build, hostile_papers, browser):
    expected_by_url = {paper["url"]: paper["title"] for paper in hostile_papers}
    pages = sorted(path.parent.relative_to(hostile_build.site).as_posix() + "/"
                   for path in hostile_build.site.rglob("index.html"))
    pages = [url.removeprefix("./") if url != "./" else "" for url in pages]
    assert len(pages) > 380
    with serve(hostile_build.site) as base_url, open_visitor(browser, base_url) as visitor:
        page = visitor.page
        page.add_init_script(TRAP_SCRIPT)
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for url in pages:
            page.goto(base_url + url, wait_until="load")
            assert page.evaluate("window.__dialogs") == [], f"{url}: a dump script ran"
            assert page.evaluate(LIVE_MARKUP) == [], f"{url}: live markup from a dump"
            for href, attribute_href in page.eval_on_selector_all(
                    ".pc-abstract a, .pc-links a", "links => links.map(a => [a.href, a.getAttribute('href')])"):
                assert href.startswith(("http://", "https://")), f"{url}: a link to {href[:80]}"
                assert attribute_href.lower().startswith(("http://", "https://")), f"{url}: {attribute_href[:80]}"
            if url in expected_by_url:
                title = expected_by_url[url]
                assert page.eval_on_selector("h1", "e => e.textContent") == shown(title), url
                title_bar = f"{isolated(shown(title))} - {SITE_NAME}"
                assert page.eval_on_selector("title", "e => e.textContent") == title_bar, url
                assert without_controls(page.title()) == without_controls(title_bar), url
        assert dialogs == []
        assert visitor.problems == [], "\n".join(visitor.problems)


def test_a_starred_title_keeps_its_spaces(hostile_build, hostile_papers, browser):
    spaced = [paper for paper in hostile_papers if re.search(r"\s", paper["title"].replace(" ", "")) or "  " in paper["title"]][:3]
    assert spaced
    with serve(hostile_build.site) as base_url, open_visitor(browser, base_url) as visitor:
        page = visitor.page
        for paper in spaced:
            page.goto(base_url + paper["url"])
            page.click(".pc-actions button.pc-star")
        page.goto(base_url + "starred/")
        shown_titles = page.eval_on_selector_all("#pc-starred a.pc-title", "links => links.map(link => link.textContent)")
        assert sorted(shown_titles) == sorted(shown(paper["title"]) for paper in spaced)


@pytest.mark.slow
def test_a_page_lists_a_bounded_number_of_papers_of_the_same_title(tmp_path):
    """A paper page's size does not grow with the catalog, even where many papers share a title."""
    from generator.catalog import SAME_TITLE_IDS_KEPT

    built = build_one_dump(tmp_path, "001_same.txt", [
        ("The Same Title", f"Abstract number {n} about topic{n} and subject{n * 7}.") for n in range(SAME_TITLE_IDS_KEPT + 5)])
    papers = built.catalog()["papers"]
    assert len(papers) == SAME_TITLE_IDS_KEPT + 5, "each abstract is a paper of its own"
    similar = built.text(papers[0]["url"]).split("Similar titles", 1)[1].split("Related papers", 1)[0]
    assert similar.count("The Same Title") == SAME_TITLE_IDS_KEPT
    assert "and 4 more: search for the title to list them all" in similar
    assert len(papers[0]["same_title"]) == SAME_TITLE_IDS_KEPT and papers[0]["same_title_count"] == SAME_TITLE_IDS_KEPT + 4


@pytest.mark.slow
def test_papers_of_fewer_than_two_words_build(tmp_path):
    """A paper without two neighbouring words (punctuation, one word, stop words) has no pair for the Watch
    filter of phrases: a batch of such papers crashed the build with an IndexError, though `check` passed."""
    records = [("???", "!!!"), ("TODO", "-"), ("The", "Of a.")]
    built = build_one_dump(tmp_path, "001_short.txt", records)
    assert [(paper["title"], paper["abstract"]) for paper in built.catalog()["papers"]] == records


def test_the_filter_of_phrases_takes_batches_without_a_pair(monkeypatch):
    monkeypatch.setattr(watch, "PAPERS_AT_A_TIME", 1)
    papers = [SimpleNamespace(title=title, abstract="") for title in ["alpha beta", "gamma", "", "delta epsilon"]]
    shards, pairs = watch.word_index(SimpleNamespace(papers=papers))
    assert [int(item) >> 32 for batch in pairs for item in batch] == [0, 3], "one pair for each paper of two words"
    assert shards["ga"] == {"gamma": [1]}


@pytest.mark.parametrize("texts", [[], ["?!"], ["the", "Of a."]])
def test_papers_without_a_word_to_watch_have_an_empty_word_index(texts: list[str]):
    """Stop words and punctuation only: no key at all crashed the index of an earlier version."""
    shards, pairs = watch.word_index(SimpleNamespace(papers=[SimpleNamespace(title=text, abstract="") for text in texts]))
    assert shards == {} and sum(map(len, pairs)) == 0


@pytest.mark.parametrize("name", ["paper.md.j2", "search.html.j2", "search_vocabulary.html.j2", "feed.xml.j2",
                                  "retired_feed.xml.j2"])
def test_templates_without_autoescape_build_no_html_of_their_own(name: str):
    """These render without Jinja2's autoescape (pages.template_environment): a macro's HTML, or HTML joined
    with `~`, would come out escaped as text. What they print must come made (Markup) or be plain text."""
    from jinja2 import nodes

    environment = template_environment(PROJECT_ROOT / "templates")
    tree = environment.parse((PROJECT_ROOT / "templates" / name).read_text(encoding="utf-8"))
    found = [type(node).__name__ for node in tree.find_all((nodes.Macro, nodes.CallBlock, nodes.Import,
                                                            nodes.FromImport, nodes.Concat))]
    assert found == [], f"{name} uses {found}: render it with macros=True (autoescape) or build the HTML in Python"


@pytest.mark.parametrize("title", ["=1+1", " =1+1", "\u00a0=1+1", "\u3000@SUM(A1)", "\uff1d1+1", "'quoted", "\t+1",
                                   "\u2003\u200b=1+1", "\ufeff\u202f-1"])
def test_a_title_a_spreadsheet_could_run_is_text_in_papers_csv(title: str):
    """A no-break or ideographic space before `=` let a formula through (some spreadsheets trim it)."""
    assert as_text_cell(title) == "'" + title and as_text_cell("A title = x") == "A title = x"


def test_a_site_address_with_markup_characters_stays_one_attribute(tmp_path, monkeypatch):
    """The canonical link printed `site_url` as it was (a quote, now refused by the config's check, ended the
    attribute; an ampersand is left to HTML's leniency). Feeds and sitemap escaped it already."""
    site_url = "https://example.org/a&amp;b&d/"
    monkeypatch.setenv("PAPERCAT_SITE_URL", site_url)
    built = build_one_dump(tmp_path, "001_a.txt", [("A title", "An abstract about graphs."),
                                                  ("Another title", "An abstract about vision.")])
    for url in ["", *(paper["url"] for paper in built.catalog()["papers"])]:
        links = re.findall(r'<link rel="canonical" href="([^"]*)">', built.page(url))
        assert [html.unescape(link) for link in links] == [site_url + url], (url, links)
