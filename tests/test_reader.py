"""Links in abstracts, papers with code, the Watch page and For you: unit rules written inline, then the real
build (the four bundled dumps) in Chromium, served under a sub-path as GitHub Pages serves a project site."""
from __future__ import annotations

import csv
import html
import io
import itertools
import json
import re
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from generator.build import check
from generator.enrich import enrich
from generator.enrich.links import link_kind, paper_links, split_at_urls
from generator.folders import PROJECT_ROOT
from generator.render import layout
from generator.render.escape import html_text_with_links
from generator.render.watch import paper_chunk_files, watch_list_files, word_index
from generator.render.watch_words import (
    WordLookups,
    lower_words,
    pair_bits,
    pair_hash,
    pair_key_hash,
    phrase_forms,
    phrase_keys,
    split_compound_keys,
    term_keys,
    watch_keys,
    word_shard,
)
from tests.browser import Visitor, expect, open_visitor, serve, write_earlier_visit
from tests.conftest import build_into, build_one_dump, shipped

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

# ---- links: rules ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, addresses", [
    ("Code: https://github.com/x/FastV.", ["https://github.com/x/FastV"]),
    ("(see https://github.com/x/y).", ["https://github.com/x/y"]),
    ("https://en.wikipedia.org/wiki/Mamba_(snake), and", ["https://en.wikipedia.org/wiki/Mamba_(snake)"]),
    ("at https://a.io/x; https://b.io/y: https://c.io/z! https://d.io/w? ok", ["https://a.io/x", "https://b.io/y",
                                                                              "https://c.io/z", "https://d.io/w"]),
    ('"https://github.com/q/r" and \'https://e.org/s\'', ["https://github.com/q/r", "https://e.org/s"]),
    ('https://e.com/a"onmouseover="x', ["https://e.com/a"]),
    ("https://e.com/<script>", ["https://e.com/"]),
    ("\\url{https://chatglm.cn}", ["https://chatglm.cn"]),
    ("HTTP://Example.COM/A?b=1&c=2#d", ["HTTP://Example.COM/A?b=1&c=2#d"]),
    ("javascript:alert(1) data:text/html,x www.example.org ftp://x.org xhttps://y.org https://_bad", []),
    ('<a href="https://example.net/">x</a> src=https://example.net/i.png', []),
    # A Markdown link written out (real_corpus 0537_2026-05-29.txt, line 17), CJK and full-width punctuation.
    ("Page: [https://github.com/a/b](https://github.com/a/b).", ["https://github.com/a/b", "https://github.com/a/b"]),
    ("详见https://a.org/x，谢谢 [see https://b.org](https://b.org)", ["https://a.org/x", "https://b.org", "https://b.org"]),
    ("见 https://github.com/a/repo。代码（https://b.io/c），«https://d.io/e»", ["https://github.com/a/repo",
                                                                           "https://b.io/c", "https://d.io/e"]),
    ("https://github.com/x/y\u200b. https://github.com/x/z—the tool, https://github.com/x/w… more",
     ["https://github.com/x/y", "https://github.com/x/z", "https://github.com/x/w"]),
    ("https://en.wikipedia.org/wiki/Michelson–Morley_experiment", ["https://en.wikipedia.org/wiki/Michelson–Morley_experiment"]),
    # LaTeX escapes in real abstracts cut an address short of where it leads: none is linked (real_corpus
    # 0099_2024-09-18.txt line 37 has `https://yxyang.github.io/jumping\_cod/`); a backslash before a space ends one.
    ("at https://yxyang.github.io/jumping\\_cod/ and https://zheny2751\\allowbreak-dotcom.github.io/x.", []),
    ("at https://x.org/a\\ b, https://github.com/x/y\\, and https://z.org\\", ["https://x.org/a",
                                                                             "https://github.com/x/y", "https://z.org"]),
])
def test_addresses_found_as_written_without_sentence_punctuation(text: str, addresses: list[str]):
    found = [piece for piece, is_address in split_at_urls(text) if is_address]
    assert found == addresses, f"{text!r}: {found}"
    assert "".join(piece for piece, _ in split_at_urls(text)) == text, "pieces do not join back to the text"


@pytest.mark.parametrize("url, kind", [
    ("https://github.com/a/b", "code"), ("http://www.github.com/a", "code"), ("https://gitlab.com/a", "code"),
    ("https://bitbucket.org/a", "code"), ("https://codeberg.org/a", "code"), ("https://someone.github.io/p", "project"),
    ("https://huggingface.co/datasets/a/b", "models"), ("https://hf.co/a", "models"), ("https://aka.ms/x", "project"),
    ("https://user@GitHub.com:443/a", "code"), ("https://anonymous.4open.science/r/x-8B06/", "code"),
    ("https://anonymous.4open.science/w/site/", "project"), ("https://WWW.Anonymous.4open.science/r/x", "code"),
    ("https://gitee.com/a/b", "code"), ("https://modelscope.cn/models/a", "models"), ("https://zenodo.org/records/1", "models"),
    ("https://youtu.be/4ZdcuiwFU7I", "video"), ("https://www.youtube.com/watch?v=x", "video"),
    ("https://openmdw.ai/license/1-1/", "license"), ("https://creativecommons.org/licenses/by/4.0/", "license"),
    ("https://github.com/a/b/blob/main/LICENSE", "code"), ("https://a.github.io/licensed-models/", "project"),
])
def test_link_kinds(url: str, kind: str):
    assert link_kind(url) == kind, url


def test_links_escape_like_text_and_hrefs_hold_exactly_the_address():
    markup = str(html_text_with_links("at https://e.com/a_b?c=1&amp;d=\"x"))
    assert markup == ('at <a href="https&#58;//e.com/a&#95;b?c&#61;1&#38;amp;d&#61;" rel="nofollow noopener">'
                      'https&#58;//e.com/a&#95;b?c&#61;1&#38;amp;d&#61;</a>&#34;x'), markup


# ---- watch words: rules ---------------------------------------------------------------------------------


def test_word_variants_match_as_search_matches_them():
    text_keys = {text: watch_keys(text) for text in ["We pretrain with pretraining.", "Pre-training data.",
                                                      "Pre training of LLMs.", "Two studies of models."]}
    for text, keys in text_keys.items():
        if "train" in text.lower():
            assert set(term_keys("pre-training")) <= keys or "pretrain" in keys, (text, keys)
    for term in ["pretraining", "pre-training", "Pre training", "PRETRAINING"]:
        assert term_keys(term) == ["pretraining"], term
    assert term_keys("LLMs") == term_keys("llm") == ["llm"]
    assert term_keys("study") == term_keys("studies") == ["study"]
    assert term_keys("models of the world") == ["model", "world"], "stop words are not needed"
    assert "training" in watch_keys("Pre-training data."), "a part of a hyphenated word is a word"
    assert "model" not in watch_keys("modeling"), "whole words only"
    assert word_shard("pretraining") == "pr" and word_shard("x") == "x_" and word_shard("预训练") == "__"


def test_a_paper_page_heads_each_kind_of_link_as_what_it_leads_to(tmp_path):
    """A talk on YouTube and a license were listed as the paper's project page (readers' reviews)."""
    from generator.render import SiteSettings, render_site
    (tmp_path / "001_x.txt").write_text(
        "Aug 1\n\nA Paper With Links\n\nWe show a method. Code: https://github.com/a/b. Talk: https://youtu.be/4ZdcuiwFU7I. "
        "Site: https://a.github.io/b/. Weights under https://openmdw.ai/license/1-1/.\n", encoding="utf-8")
    checked = check(shipped(dumps_dir=tmp_path))
    rendered = render_site(checked.catalog, enrich(checked.catalog, checked.taxonomy, checked.overrides),
                           PROJECT_ROOT / "templates", "2026-01-01", SiteSettings(), [])
    page = rendered.docs[layout.source_path(layout.paper_url(checked.catalog.papers[0].id))].decode()
    headings = re.findall(r"<dt>([^<]+)</dt>\s*<dd class=\"pc-link-(\w+)\">", page)
    assert headings == [("Code", "code"), ("Video", "video"), ("Project page", "project"), ("License", "license")], headings


@pytest.fixture(scope="module")
def enriched(seed_dumps):
    checked = check(shipped(dumps_dir=seed_dumps))
    return checked.catalog, checked.taxonomy, checked.overrides


def test_watch_files_are_deterministic(enriched):
    catalog, taxonomy, overrides = enriched
    def watch_files(enrichment):
        return dict(watch_list_files(catalog, enrichment)) | dict(paper_chunk_files(catalog, enrichment))

    first = watch_files(enrich(catalog, taxonomy, overrides))
    second = watch_files(enrich(catalog, taxonomy, overrides))
    assert first == second, "two renders of the same dumps differ"


def test_a_watched_model_finds_the_papers_that_name_its_sizes():
    """A model family is written with its sizes: a watched `Qwen2.5-VL` found 33 of the real catalog's 71 papers
    naming it, missing every `Qwen2.5-VL-7B`."""
    for term, text in [("Qwen2.5-VL", "We tune Qwen2.5-VL-7B-Instruct."), ("DeepSeek-R1", "DeepSeek-R1-Distill-Qwen"),
                       ("LLaVA-OneVision", "LLaVA-OneVision-72B")]:
        assert set(term_keys(term)) <= watch_keys(text), (term, text)
        said = phrase_keys(lower_words(text))  # the words as the filter of neighbouring words has them
        assert any(said[start:start + len(keys)] == keys for keys in phrase_forms(term)
                   for start in range(len(said))), (term, said)
    assert not set(term_keys("Qwen2.5-VL")) <= watch_keys("We tune Qwen2.5-7B on VL tasks."), "not any VL"


def test_a_hostile_hyphenated_word_keeps_the_word_index_small():
    """Every first part of a word joined grew with the square of its parts: an abstract holding `ab-ab-…` of
    50,000 parts (150 KB) took 8 GB to index, and the build was killed. The word, and a family's first parts,
    are still found."""
    word = "-".join(["ab"] * 5_000)  # enough to tell a square from a line, small enough to fail quickly
    assert sum(map(len, watch_keys(word))) < 2 * len(word)
    assert set(term_keys(word)) <= watch_keys(f"We study {word}.")
    assert set(term_keys("ab-ab-ab")) <= watch_keys(f"We study {word}.")


@pytest.mark.parametrize("batch", [1, 7, 2_000])
def test_the_word_index_gives_each_paper_its_watch_keys_and_phrase_pairs(enriched, monkeypatch, batch: int):
    """word_index reads papers in batches with numpy; watch_keys and phrase_keys say, paper by paper, what it
    must find (and what watch.js computes for a watched word): the bundled dumps hold split compounds (`pre
    tuning`, `self supervised`) and words that may close up with the next."""
    catalog = enriched[0]
    monkeypatch.setattr("generator.render.watch.PAPERS_AT_A_TIME", batch)
    shards, pairs = word_index(catalog)
    papers_by_key: dict[str, list[int]] = {}
    pairs_expected = set()
    for number, paper in enumerate(catalog.papers):
        words = lower_words(f"{paper.title}\n{paper.abstract}")
        for key in watch_keys(f"{paper.title}\n{paper.abstract}"):
            papers_by_key.setdefault(key, []).append(number)
        pairs_expected |= {(number << 32) | pair_hash(first, second)
                           for first, second in itertools.pairwise(phrase_keys(words, WordLookups(pair_key_hash)))}
    assert any(split_compound_keys(lower_words(paper.abstract)) for paper in catalog.papers)
    assert {key: list(itertools.accumulate(steps)) for shard in shards.values() for key, steps in shard.items()} == papers_by_key
    assert all(key in shards[word_shard(key)] for key in papers_by_key)
    assert [int(item) for batch in pairs for item in batch] == sorted(pairs_expected)


# ---- the real build -------------------------------------------------------------------------------------


def with_code(paper: dict) -> bool:
    return any(link["kind"] == "code" for link in paper["links"])


def test_catalog_and_csv_carry_the_links(real_build):
    papers = real_build.catalog()["papers"]
    for paper in papers:
        assert paper["links"] == [{"url": link.url, "kind": link.kind} for link in paper_links(paper["abstract"])]
    assert sum(bool(paper["links"]) for paper in papers) > 50, "expected many papers with links"
    rows = list(csv.DictReader(io.StringIO((real_build.site / "papers.csv").read_text(encoding="utf-8"), newline="")))
    assert {row["id"]: row["links"] for row in rows} == {
        paper["id"]: " ".join(link["url"] for link in paper["links"]) for paper in papers}


def test_paper_pages_link_every_address_and_say_whether_they_have_code(real_build):
    for paper in real_build.catalog()["papers"]:
        page = real_build.page(paper["url"])
        article = re.search(r'<article class="pc-paper"[^>]*data-pc-has-code="(true|false)"', page)
        assert article and article[1] == str(with_code(paper)).lower(), paper["url"]
        assert ('id="code-and-resources"' in page) == bool(paper["links"]), paper["url"]
        # A Code button beside Find on arXiv leads to the first code link (a reader's review: it was found
        # only below the abstract).
        code = [link["url"] for link in paper["links"] if link["kind"] == "code"]
        button = re.search(r'<a class="md-button" href="([^"]*)" rel="nofollow noopener">Code</a></div>', page)
        assert (html.unescape(button[1]) if button else None) == (code[0] if code else None), paper["url"]


def listed_ids(page: str) -> list[str]:
    return re.findall(r'<li class="pc-item"><a class="pc-title"[^>]* href="[^"]*?papers/([^"/]+)/"', page)


def test_code_listing_holds_exactly_the_papers_with_code(real_build):
    papers = real_build.catalog()["papers"]
    by_id = {paper["id"]: paper for paper in papers}
    expected = {paper["id"] for paper in papers if with_code(paper)}
    listed, number, pages = [], 1, 0
    while (real_build.site / ("code/" if number == 1 else f"code/{number}/") / "index.html").is_file():
        page = real_build.page("code/" if number == 1 else f"code/{number}/")
        listed += listed_ids(page)
        badges = page.count('class="pc-code-badge"')
        assert badges == len(listed_ids(page)), f"code/{number}: {badges} badges"
        # Each item links its code itself: it was a badge, two clicks away from the repository.
        for item in page.split('<li class="pc-item">')[1:]:
            paper = by_id[listed_ids('<li class="pc-item">' + item)[0]]
            code_links = item.split("pc-code-links", 1)[1].split("</li>", 1)[0]
            shown = [html.unescape(url) for url in re.findall(r'<a href="([^"]+)"', code_links)]
            assert shown == [link["url"] for link in paper["links"] if link["kind"] == "code"], paper["id"]
        number, pages = number + 1, pages + 1
    assert sorted(listed) == sorted(expected), "the code listing and catalog.json disagree"
    assert f"<strong>{len(expected)}</strong> <a href=\"code/\">papers with code</a>" in real_build.page("")


def test_every_topic_page_counts_its_papers_with_code(real_build):
    catalog = real_build.catalog()
    code_count = Counter(tag for paper in catalog["papers"] if with_code(paper) for tag in paper["tags"])
    for topic in catalog["topics"]:
        match = re.search(r'data-pc-code-count="(\d+)"', real_build.page(topic["url"]))
        assert match and int(match[1]) == code_count[topic["name"]], topic["name"]


def test_listings_badge_exactly_the_papers_with_code(real_build):
    papers = {paper["id"]: paper for paper in real_build.catalog()["papers"]}
    page = real_build.page(real_build.catalog()["dumps"][0]["url"])
    for item in re.findall(r'<li class="pc-item"><a class="pc-title"[^>]* href="[^"]*?papers/([^"/]+)/">(.*?)</li>', page, re.S):
        assert ('pc-code-badge' in item[1]) == with_code(papers[item[0]]), item[0]


@pytest.mark.parametrize("text, keys", [
    ("Pre-training data for world models", ["pretraining", "data", "world", "model"]),
    ("pre training data", ["pretraining", "data"]),
    ("A state-of-the-art vision-language model", ["state", "art", "vision", "language", "model"]),
    ("Mixture of Experts, and LLMs", ["mixture", "expert", "llm"]),
])
def test_a_phrase_is_keyed_in_order_without_stop_words(text: str, keys: list[str]):
    assert phrase_keys(lower_words(text)) == keys


def test_a_phrase_is_found_hyphenated_or_closed_up():
    assert phrase_forms("GPT-4 model") == [["gpt", "4", "model"], ["gpt4", "model"]]
    assert phrase_forms("vision language model")[0] == phrase_keys(lower_words("vision-language model"))


# ---- in Chromium, under a sub-path ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def sub_path_site(real_build, tmp_path_factory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("subpath")
    (root / "repo").symlink_to(real_build.site, target_is_directory=True)
    with serve(root) as root_url:
        yield root_url + "repo/"


@pytest.fixture
def visitor(browser: Browser, sub_path_site: str) -> Iterator[Visitor]:
    with open_visitor(browser, sub_path_site) as opened:
        yield opened
        assert opened.problems == [], "\n".join(opened.problems)


def requests_of(page: Page) -> list[str]:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    return requested


def test_abstract_links_are_clickable_and_exact(visitor: Visitor, real_build):
    paper = next(paper for paper in real_build.catalog()["papers"] if with_code(paper))
    page = visitor.page
    page.goto(paper["url"])
    hrefs = page.eval_on_selector_all(".pc-abstract a", "links => links.map(a => [a.getAttribute('href'), a.rel, a.textContent])")
    written = [piece for piece, is_address in split_at_urls(paper["abstract"]) if is_address]
    assert hrefs == [[url, "nofollow noopener", url] for url in written], hrefs
    target = written[0]
    page.route(re.compile(re.escape(target)), lambda route: route.fulfill(status=200, content_type="text/plain", body="code"))
    page.locator(".pc-abstract a").first.click()
    page.wait_for_url(lambda url: url.rstrip("/") == target.rstrip("/"))


WATCHED = "pre-training"


def watched_numbers(catalog: dict, term: str) -> set[int]:
    keys = set(term_keys(term))
    return {number for number, paper in enumerate(catalog["papers"])
            if keys <= watch_keys(f"{paper['title']}\n{paper['abstract']}")}


def watch(page: Page, term: str, topics: tuple[str, ...] = ()) -> None:
    page.goto("watch/")
    page.fill("#pc-watch-term", term)
    if topics:
        page.click(".pc-watch-topics summary")
        for topic in topics:
            page.check(f".pc-watch-topics input[value='{topic}']")
    page.click(".pc-watch-form button[type=submit]")
    page.wait_for_selector("#pc-watch[data-pc-ready]")


def test_watched_papers_new_since_the_last_visit_are_marked_new(visitor: Visitor, real_build):
    """Listings mark a paper new when every dump that listed it came since the last visit; the Watch page's
    papers, drawn after the page was set up, never were."""
    catalog = real_build.catalog()
    dumps = catalog["dumps"]
    newest_only = {paper["id"] for paper in catalog["papers"] if paper["dumps"] == [dumps[-1]["id"]]}
    page = visitor.page
    watch(page, WATCHED)
    write_earlier_visit(page, {"dumps": [dump["url"].split("/")[1] for dump in dumps[:-1]],
                               "at": "2024-01-02T03:04:05Z"})
    page.goto("watch/")
    page.wait_for_selector("#pc-watch[data-pc-ready]")
    ids = "items => items.map(item => item.querySelector('a.pc-title').getAttribute('href').split('/').at(-2))"
    drawn = set(page.locator("#pc-watch .pc-item").evaluate_all(ids))
    expected = drawn & newest_only
    assert expected and expected != drawn, "the test needs papers of the newest dump and of others"
    expect(page.locator("#pc-watch .pc-item.pc-new")).to_have_count(len(expected))
    assert set(page.locator("#pc-watch .pc-item.pc-new").evaluate_all(ids)) == expected


def test_a_watched_word_with_a_right_to_left_override_leaves_its_count_in_place(visitor: Visitor):
    term = "\u202ereversed"
    watch(visitor.page, term)
    entry = visitor.page.locator("#pc-watch .pc-watch-only").first
    assert entry.locator("bdi").text_content() == term
    assert entry.locator(".pc-watch-count").text_content() == " · no paper yet"
    assert entry.evaluate("node => node.lastElementChild.matches('.pc-watch-count')")


def test_a_search_is_watched_from_the_search_box(visitor: Visitor, real_build):
    """Search and Watch did not meet: a search run every day had to be typed again on the Watch page (a
    reader's review)."""
    page = visitor.page
    page.goto("")
    page.keyboard.press("/")
    page.fill("[data-pc-search-query]", WATCHED)
    page.wait_for_function("words => document.querySelector('[data-pc-search-result]').dataset.pcSearchShown === words",
                           arg=WATCHED)
    # By keyboard: after the results (it is on every search: the first arrow down still reaches the first result).
    page.keyboard.press("ArrowUp")
    expect(page.locator("[data-pc-search-meta] button.pc-search-watch")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("[data-pc-search-meta] .pc-search-watched")).to_have_text(
        "Watched: listings mark the papers that write them together, and Watch lists them.")
    page.goto("watch/")
    page.wait_for_selector("#pc-watch[data-pc-ready]")
    expected = len(watched_numbers(real_build.catalog(), WATCHED))
    expect(page.locator("#pc-watch .pc-watch-term")).to_have_text([f"{WATCHED} · {expected} papers×"])
    assert visitor.problems == [], "\n".join(visitor.problems)


def test_a_watched_typo_is_offered_the_word_papers_have(visitor: Visitor):
    """A watched typo matched no paper, then or on any later day, and said only "no paper yet" (a reader's
    review): the entry is offered with the catalog's nearest word, as search corrects a typo."""
    page = visitor.page
    watch(page, "Difusion models")
    fix = page.locator("#pc-watch .pc-watch-fix")
    expect(fix).to_have_text("\u201cDifusion models\u201d matches no paper: watch \u201cdiffusion models\u201d instead?")
    fix.locator("button").click()
    page.wait_for_selector("#pc-watch[data-pc-ready]")
    expect(page.locator("#pc-watch .pc-watch-term")).to_have_text([re.compile(r"diffusion models · [1-9]\d* papers?×")])
    expect(fix).to_have_count(0)
    watch(page, "xqzzyv")  # nothing near it: nothing offered
    expect(page.locator("#pc-watch .pc-watch-fix")).to_have_count(0)
    assert visitor.problems == [], "\n".join(visitor.problems)


def test_a_watched_word_marks_the_right_papers_and_survives_a_reload(visitor: Visitor, real_build):
    catalog = real_build.catalog()
    expected = watched_numbers(catalog, WATCHED)
    assert 20 < len(expected) < len(catalog["papers"]), len(expected)
    page = visitor.page
    requested = requests_of(page)
    watch(page, WATCHED)
    listed = page.eval_on_selector_all("#pc-watch .pc-item", "items => items.map(i => Number(i.dataset.pcListed))")
    shown = len(listed) + sum(int(re.search(r"\d+", text)[0]) for text in page.eval_on_selector_all(
        "#pc-watch .pc-watch-more:not([hidden])", "buttons => buttons.map(b => b.textContent)"))
    assert shown == len(expected) and set(listed) <= expected, f"{shown} listed, {len(expected)} expected"
    assert listed == sorted(listed, reverse=True), "not newest first"
    # Its items are sorted in place like any listing's (they were drawn after the page had its buttons).
    expect(page.locator("#pc-watch .pc-item button.pc-star")).to_have_count(len(listed))
    page.locator("#pc-watch .pc-item button.pc-read").first.click()
    expect(page.locator("#pc-watch .pc-item").first).to_have_class(re.compile(r"\bpc-is-read\b"))
    page.locator("#pc-watch .pc-item button.pc-read").first.click()
    first = catalog["papers"][listed[0]]
    assert page.locator("#pc-watch .pc-item a.pc-title").first.text_content() == first["title"]
    assert page.locator("#pc-watch .pc-watch-count").text_content() == f" · {len(expected)} papers"
    watch(page, "difusion")
    assert page.locator("#pc-watch .pc-watch-term").nth(1).text_content().startswith("difusion · no paper yet")
    # One entry's papers only: 1,448 watched papers could not be told apart by word (reader review).
    page.click("[data-pc-watch-only='1']")
    page.wait_for_selector("#pc-watch[data-pc-ready] [data-pc-watch-only='1'][aria-pressed='true']")
    assert page.locator(".pc-watch-summary").text_content() == "No paper in the catalog matches it yet."
    assert page.locator("#pc-watch .pc-item").count() == 0
    page.click("[data-pc-watch-only='0']")
    page.wait_for_selector("#pc-watch[data-pc-ready] [data-pc-watch-only='0'][aria-pressed='true']")
    assert page.locator(".pc-watch-summary").text_content() == f"{len(expected)} papers of \u201c{WATCHED}\u201d, newest first."
    page.click("[data-pc-watch-only='0']")
    page.wait_for_selector("#pc-watch[data-pc-ready] [data-pc-watch-only='0'][aria-pressed='false']")
    assert page.locator(".pc-watch-summary").text_content() == f"{len(expected)} watched papers, newest first."
    page.click("[data-pc-unwatch='1']")
    page.wait_for_function("document.querySelectorAll('.pc-watch-term').length === 1")
    assert not [url for url in requested if url.endswith("catalog.json")], "the Watch page downloaded the catalog"
    for reload in (False, True):
        page.goto(catalog["dumps"][0]["url"])
        if reload:
            page.reload()
        page.wait_for_function("document.querySelector('a.pc-title[data-pc-n]') !== null")
        page.wait_for_timeout(300)
        numbers = page.eval_on_selector_all(".pc-listing a.pc-title[data-pc-n]", "links => links.map(a => Number(a.dataset.pcN))")
        marked = set(page.eval_on_selector_all(".pc-listing a.pc-title[data-pc-watched]",
                                               "links => links.map(a => Number(a.dataset.pcN))"))
        assert marked == expected & set(numbers), f"marked {sorted(marked)}, expected {sorted(expected & set(numbers))}"
        assert page.locator(".pc-listing .pc-watch-badge").first.text_content() == f"watch: {WATCHED}"
    paper_page = catalog["papers"][min(expected)]["url"]
    page.goto(paper_page)
    page.wait_for_selector("article .pc-watched-by")
    assert WATCHED in page.locator("article .pc-watched-by").text_content()


def test_a_watched_words_match_shows_the_sentence_it_is_in(visitor: Visitor, real_build):
    """A match said which entry it was for, not where (a reader's review): a paper whose title lacks the word
    shows the abstract's sentence that has it, the word marked; one whose title has it, its key sentence."""
    catalog = real_build.catalog()
    page = visitor.page
    watch(page, "benchmark")
    items = page.locator("#pc-watch .pc-item")
    listed = items.evaluate_all("items => items.map(i => Number(i.dataset.pcListed))")
    in_title = [bool(re.search(r"\bbenchmarks?\b", catalog["papers"][number]["title"], re.IGNORECASE))
                for number in listed]
    apart = items.nth(in_title.index(False))
    apart.scroll_into_view_if_needed()
    where = apart.locator("p.pc-where")
    expect(where).to_be_visible()
    paper = catalog["papers"][listed[in_title.index(False)]]
    assert where.text_content().strip("\u2026") in paper["abstract"], where.text_content()  # a long one cut at words
    marks = where.locator("mark").all_text_contents()
    assert marks and all(re.fullmatch(r"benchmarks?", mark, re.IGNORECASE) for mark in marks), marks
    titled = items.nth(in_title.index(True))
    titled.scroll_into_view_if_needed()
    expect(titled.locator("p.pc-key-sentence")).to_be_visible()
    expect(titled.locator("p.pc-where")).to_have_count(0)


def test_a_watched_name_and_version_typed_apart_finds_them_closed_up(tmp_path: Path, browser: Browser):
    """Researchers type `qwen 2.5 vl`; papers write `Qwen2.5-VL` (a reader's review on the real catalog: 3
    papers against 73). Both are found, the name marked whole, and not a paper where the words are apart."""
    built = build_one_dump(tmp_path, "001_a.txt", [
        ("Charts", "We tune Qwen2.5-VL on charts. It helps."),
        ("Tables", "We compare Qwen 2.5 VL with others."),
        ("Apart", "We use Qwen2 models; 5 VL baselines help."),
        ("Newer", "We train Qwen3-VL.")])
    with serve(built.site) as url, open_visitor(browser, url) as visitor:
        page = visitor.page
        watch(page, "qwen 2.5 vl")
        items = page.locator("#pc-watch .pc-item")
        listed = {built.catalog()["papers"][number]["title"]
                  for number in items.evaluate_all("items => items.map(i => Number(i.dataset.pcListed))")}
        assert listed == {"Charts", "Tables"}
        marks = page.locator("#pc-watch .pc-item p.pc-where mark").all_text_contents()
        assert sorted(marks) == sorted(["Qwen2.5-VL", "Qwen", "2.5", "VL"]), marks


def test_a_watched_hyphenated_word_finds_it_written_apart_and_closed_up(tmp_path: Path, browser: Browser):
    """`kv-cache` found only papers writing it so or closed up, fewer than `kv cache` (a reader's review on the
    real catalog: 43 against 171): it finds all three ways of writing it. A word written another way that
    matches the same papers is not watched twice."""
    built = build_one_dump(tmp_path, "001_a.txt", [
        ("Apart", "We grow the KV cache."), ("Hyphen", "We shrink the KV-cache."), ("Closed", "We use KVCache."),
        ("Pretraining", "We study pre-training."), ("Neither", "We cache KV pairs."),
        ("Together", "We use co-training here."), ("Training", "We study training of models.")])
    with serve(built.site) as url, open_visitor(browser, url) as visitor:
        page = visitor.page

        def listed() -> set[str]:
            numbers = page.locator("#pc-watch .pc-item").evaluate_all("items => items.map(i => Number(i.dataset.pcListed))")
            return {built.catalog()["papers"][number]["title"] for number in numbers}

        watch(page, "kv-cache")
        assert listed() == {"Apart", "Hyphen", "Closed"}
        # Spaced out, `co-training` would be `training`, `co` being a stop word (a reviewer's catch).
        watch(page, "co-training")
        page.click("[data-pc-watch-only='1']")
        page.wait_for_selector("#pc-watch[data-pc-ready] [data-pc-watch-only='1'][aria-pressed='true']")
        assert listed() == {"Together"}
        watch(page, "pre-training")
        page.fill("#pc-watch-term", "pretraining")
        page.click(".pc-watch-form button[type=submit]")
        expect(page.locator("#pc-watch .pc-watch-status")).to_have_text(
            "Already watched as \u201cpre-training\u201d, which matches the same papers.")
        expect(page.locator("#pc-watch .pc-watch-term")).to_have_count(3)
        # Nor from the search box's Watch these words.
        page.locator("label.md-search__icon, .md-search__input").first.click()
        page.fill("input.md-search__input", "pre training")
        page.click(".pc-search-watch")
        expect(page.locator(".pc-search-watched")).to_have_text(
            "Already watched as \u201cpre-training\u201d: Watch lists them.")
        assert len(page.evaluate("JSON.parse(localStorage.getItem('papercat:watch')).terms")) == 3


def test_a_word_no_longer_watched_can_be_watched_again(visitor: Visitor):
    """The × acted at once, with no undo, and reset the list to every match (a reader's review): the entry whose
    papers alone are shown stays so, and Undo puts the removed one back in its place."""
    page = visitor.page
    watch(page, "diffusion")
    page.fill("#pc-watch-term", "language")
    page.click(".pc-watch-form button[type=submit]")
    page.wait_for_selector("[data-pc-watch-only='1']")
    page.click("[data-pc-watch-only='1']")
    page.wait_for_selector("#pc-watch[data-pc-ready] [data-pc-watch-only='1'][aria-pressed='true']")
    page.click("[data-pc-unwatch='0']")
    expect(page.locator("#pc-watch .pc-watch-status[role=status]")).to_have_text(
        "Stopped watching \u201cdiffusion\u201d. Undo")
    expect(page.locator("#pc-watch .pc-watch-status button")).to_be_focused()  # the × pressed is gone
    expect(page.locator(".pc-watch-only[aria-pressed='true']")).to_have_text(re.compile("^language"))
    page.keyboard.press("Enter")
    expect(page.locator(".pc-watch-only")).to_have_count(2)
    expect(page.locator("[data-pc-watch-only='0']")).to_be_focused()
    assert [entry["text"] for entry in page.evaluate("JSON.parse(localStorage.getItem('papercat:watch')).terms")] == [
        "diffusion", "language"]
    expect(page.locator(".pc-watch-only[aria-pressed='true']")).to_have_text(re.compile("^language"))


def test_a_watched_phrase_shows_the_sentence_that_says_it(tmp_path: Path, browser: Browser):
    """The first sentence with a phrase's words was shown even where they were apart (`vision-language-action
    models`) and a later one said the phrase (a reader's review)."""
    built = build_one_dump(tmp_path, "001_a.txt", [
        ("Robots", "We build vision-language-action models for robots. A vision language model then plans.")])
    with serve(built.site) as url, open_visitor(browser, url) as visitor:
        page = visitor.page
        watch(page, "vision language model")
        expect(page.locator("#pc-watch .pc-item p.pc-where")).to_have_text("A vision language model then plans.")


def test_where_a_watched_word_matched_is_marked_in_any_sentence(tmp_path: Path, browser: Browser):
    """The sentence where a watched word is: its two words written apart are both marked (`pre training` for
    `pretraining`); a sentence too long to show whole is cut around the word, whatever its script, and never
    between the halves of a character (a reviewer's cases)."""
    long_cjk = "中" * 400 + "、benchmark、" + "中" * 200
    long_math = "a" + "\U0001d70b" * 250 + "、benchmark 。"
    built = build_one_dump(tmp_path, "001_a.txt", [
        ("Scaling Laws for Data", "We study pre training at scale. It helps."),
        ("Characters", f"We read characters. {long_cjk}"),
        ("Symbols", f"We read symbols. {long_math}")])
    with serve(built.site) as url, open_visitor(browser, url) as visitor:
        page = visitor.page
        watch(page, "pretraining")
        where = page.locator("#pc-watch .pc-item p.pc-where")
        expect(where).to_have_text("We study pre training at scale.")
        expect(where.locator("mark")).to_have_text(["pre", "training"])
        watch(page, "benchmark")
        page.click("[data-pc-watch-only='1']")
        page.wait_for_selector("#pc-watch[data-pc-ready] [data-pc-watch-only='1'][aria-pressed='true']")
        lines = page.locator("#pc-watch .pc-item p.pc-where")
        expect(lines).to_have_count(2)
        for text in lines.all_text_contents():
            assert "benchmark" in text and "\ufffd" not in text and len(text) <= 302, text
            assert text.strip("\u2026") in long_cjk + long_math, text
        expect(lines.locator("mark")).to_have_text(["benchmark", "benchmark"])


def test_watch_page_puts_papers_new_since_the_last_visit_on_top(browser: Browser, sub_path_site: str, real_build):
    catalog = real_build.catalog()
    expected = watched_numbers(catalog, WATCHED)
    boundary = sorted(expected)[len(expected) // 2]
    with open_visitor(browser, sub_path_site) as visitor:
        page = visitor.page
        page.goto("")
        page.evaluate("([term, count]) => { localStorage.setItem('papercat:watch', JSON.stringify({terms: [{text: term, topics: []}]}));"
                      "localStorage.setItem('papercat:watch-visit', JSON.stringify({papers: count, at: '2024-01-01T00:00:00Z'})); }",
                      [WATCHED, boundary])
        page.goto("watch/")
        page.wait_for_selector("#pc-watch[data-pc-ready]")
        fresh = page.eval_on_selector_all(".pc-watch-new .pc-item", "items => items.map(i => Number(i.dataset.pcListed))")
        heading = page.locator(".pc-watch-new h2").text_content()
        assert heading.startswith("New since your last visit"), heading
        assert re.search(r" on (Jan 1, 2024|Dec 31, 2023): ", heading), f"the last visit's date as pages write it: {heading}"
        assert heading.endswith(f": {len([n for n in expected if n >= boundary])} papers"), heading
        assert fresh and all(number >= boundary for number in fresh), fresh
        # Each says when it was listed, as every listing does: the dump that first listed it, linked.
        dump_urls = {dump["id"]: dump["url"] for dump in catalog["dumps"]}
        first_dumps = {paper["id"]: dump_urls[paper["dumps"][0]] for paper in catalog["papers"]}
        seen = page.eval_on_selector_all(".pc-watch-new .pc-item", "items => items.map(i => [i.dataset.pcPaper, "
                                         "i.querySelector('.pc-seen a').getAttribute('href')])")
        assert all(href.endswith("/" + first_dumps[paper_id]) for paper_id, href in seen), seen
        # The visit goes on in a second tab (a tab's session was the visit: a second one showed nothing new),
        # and ends after a pause of three hours.
        tab = page.context.new_page()
        tab.goto(page.url)
        tab.wait_for_selector("#pc-watch[data-pc-ready]")
        assert tab.locator(".pc-watch-new h2").text_content() == heading
        tab.close()
        page.evaluate("""() => { const visit = JSON.parse(localStorage.getItem('papercat:watch-visit'));
                                 visit.seen = new Date(Date.now() - 3 * 3600 * 1000 - 1000).toISOString();
                                 localStorage.setItem('papercat:watch-visit', JSON.stringify(visit)); }""")
        page.reload()
        page.wait_for_selector("#pc-watch[data-pc-ready]")
        expect(page.locator(".pc-watch-new")).to_have_count(0)
        assert visitor.problems == [], visitor.problems


def test_topics_narrow_a_watched_word_and_export_import_round_trips(visitor: Visitor, real_build, tmp_path: Path):
    catalog = real_build.catalog()
    topic = Counter(tag for number in watched_numbers(catalog, WATCHED)
                    for tag in catalog["papers"][number]["tags"]).most_common(1)[0][0]
    expected = {number for number in watched_numbers(catalog, WATCHED) if topic in catalog["papers"][number]["tags"]}
    page = visitor.page
    watch(page, WATCHED, (topic,))
    summary = page.locator("#pc-watch .pc-watch-summary").text_content()
    assert summary.startswith(f"{len(expected)} watched papers"), summary
    with page.expect_download() as download:
        page.click("[data-pc-watch-export]")
    exported = tmp_path / "watch.json"
    download.value.save_as(exported)
    assert json.loads(exported.read_text())["terms"] == [{"text": WATCHED, "topics": [topic]}]
    page.click("[data-pc-unwatch]")
    page.wait_for_function("!document.querySelector('.pc-watch-term')")
    page.set_input_files("[data-pc-watch-import]", str(exported))
    page.wait_for_selector("#pc-watch[data-pc-ready] .pc-watch-term")
    assert page.evaluate("JSON.parse(localStorage.getItem('papercat:watch')).terms") == [{"text": WATCHED, "topics": [topic]}]
    # A file of another catalog: its topics this one lacks were kept, and narrowed the word to nothing (red team).
    page.click("[data-pc-unwatch]")
    page.wait_for_function("!document.querySelector('.pc-watch-term')")
    exported.write_text(json.dumps({"terms": [{"text": WATCHED, "topics": [topic, "<b>x</b>"]}]}), encoding="utf-8")
    page.set_input_files("[data-pc-watch-import]", str(exported))
    expect(page.locator("#pc-watch")).to_contain_text(
        "Imported 1 watched word. Left out the topics this catalog does not have: <b>x</b>.")
    assert page.evaluate("JSON.parse(localStorage.getItem('papercat:watch')).terms") == [{"text": WATCHED, "topics": [topic]}]


def words_together(catalog: dict, term: str) -> set[int]:
    """The papers where a watched phrase's words stand next to each other, exactly (no Bloom filter)."""
    def pairs(keys: list[str]) -> set[tuple[str, str]]:
        return set(itertools.pairwise(keys))

    return {number for number in watched_numbers(catalog, term)
            for paper in [catalog["papers"][number]]
            for text_pairs in [pairs(phrase_keys(lower_words(f"{paper['title']}\n{paper['abstract']}")))]
            if any(len(keys) < 2 or pairs(keys) <= text_pairs for keys in phrase_forms(term))}


def filter_says_together(site: Path, catalog: dict, term: str) -> set[int]:
    """What the built Bloom filter answers for a phrase, read here as reader-data.js reads it."""
    meta = json.loads((site / layout.WATCH_META_PATH).read_text(encoding="utf-8"))

    def may_hold(first: str, second: str, number: int) -> bool:
        pair = pair_hash(zlib.crc32(first.encode()), zlib.crc32(second.encode()))
        path = site / layout.watch_pairs_path(pair & (meta["pair_files"] - 1))
        bits = path.read_bytes() if path.exists() else b""
        return bool(bits) and all(bits[bit >> 3] >> (bit & 7) & 1 for bit in pair_bits(pair, number, len(bits) * 8))

    return {number for number in watched_numbers(catalog, term)
            if any(len(keys) < 2 or all(may_hold(*pair, number) for pair in itertools.pairwise(keys))
                   for keys in phrase_forms(term))}


PHRASES = ["language models", "image generation", "reinforcement learning", "large language model",
           "pre-trained models", "state of the art"]


def test_a_watched_phrase_matches_papers_that_say_it(visitor: Visitor, real_build, catalog: dict):
    """A phrase once matched every paper holding its words anywhere; the filter leaves those where they are
    apart, but for its rare false positives, in the browser as in Python."""
    page = visitor.page
    page.goto("")
    page.wait_for_function("window.papercatReader !== undefined")
    for phrase in PHRASES:
        anywhere, together = watched_numbers(catalog, phrase), words_together(catalog, phrase)
        in_browser = set(page.evaluate("async text => { const info = await window.papercatReader.meta();"
                                       " return [...await window.papercatReader.papersMatching({text, topics: []}, info)]; }",
                                       phrase))
        assert in_browser == filter_says_together(real_build.site, catalog, phrase), phrase
        assert together <= in_browser <= anywhere, phrase
        assert len(in_browser - together) <= 1 + len(anywhere - together) // 20, (phrase, len(in_browser - together))
    assert sum(len(watched_numbers(catalog, phrase) - words_together(catalog, phrase)) for phrase in PHRASES) > 50


def test_watched_words_in_the_browser_are_keyed_like_the_index(visitor: Visitor):
    terms = ["pretraining", "Pre-training", "pre training", "LLMs", "studies", "Diffusion Models",
             "self supervised", "state-of-the-art", "the", "GPT-4", "深度学习", "a model of the world", "İstanbul",
             "Caf\u00e9", "Cafe\u0301", "\ufb01ne-tuning", "istanbul", "ISTANBUL"]
    # Lower-cased, `İ` is `i` and a combining dot: a word is found before it is lower-cased, on both sides, and
    # the dot is dropped: written with a plain i, the word finds it, and the other way round.
    for watched, text in [("İstanbul", "İstanbul"), ("istanbul", "İstanbul"), ("ISTANBUL", "İSTANBUL"),
                          ("İstanbul", "Istanbul")]:
        assert set(term_keys(watched)) <= watch_keys(f"Papers from {text}"), (watched, text)
    # An accent written as a second character, a ligature: the word as a reader types it finds it.
    assert set(term_keys("Caf\u00e9")) | set(term_keys("fine-tuning")) <= watch_keys("Cafe\u0301 \ufb01ne-tuning")
    page = visitor.page
    page.goto("")
    page.wait_for_function("window.papercatReader !== undefined")
    in_browser = page.evaluate("async terms => { const info = await window.papercatReader.meta();"
                               " return terms.map(term => window.papercatReader.termKeys(term, info)); }", terms)
    assert in_browser == [term_keys(term) for term in terms]
    in_browser = page.evaluate("async terms => { const info = await window.papercatReader.meta(); return terms.map("
                               "term => [false, true].map(joined => window.papercatReader.phraseKeys(term, info, joined))); }",
                               terms)
    assert in_browser == [phrase_forms(term) for term in terms]
    # Each key is looked up in the file its first two characters name: 𝜋 is one character outside the BMP.
    keys = ["pretraining", "x", "预训练", "𝜋", "𝜋x", "a𝜋"]
    shards = page.evaluate("keys => keys.map(key => window.papercatReader.wordShard(key))", keys)
    assert shards == [word_shard(key) for key in keys]


def test_for_you_suggests_papers_sharing_the_starred_subject(visitor: Visitor, real_build):
    catalog = real_build.catalog()
    papers = catalog["papers"]
    by_id = {paper["id"]: paper for paper in papers}
    # Two papers on one subject: a paper and its closest related paper, sharing a topic.
    first = next(paper for paper in papers if paper["related"]
                 and set(paper["tags"]) & set(by_id[paper["related"][0]]["tags"]))
    second = by_id[first["related"][0]]
    subject = set(first["tags"]) & set(second["tags"])
    page = visitor.page
    page.goto("for-you/")
    assert "Star a paper" in page.locator("#pc-for-you").text_content()
    requested = requests_of(page)
    open_for_you(page, first, second)
    # The related papers of the stars (the newest dumps' papers, listed first, have a test of their own).
    items = page.eval_on_selector_all("#pc-for-you .pc-for-you-list .pc-item",
                                      "items => items.map(i => [i.dataset.pcPaper, i.dataset.pcTopics, i.dataset.pcFrom])")
    assert len(items) >= 5, items
    assert not {first["id"], second["id"]} & {paper_id for paper_id, _, _ in items}, "a starred paper is suggested"
    on_subject = [paper_id for paper_id, topics, _ in items[:5] if subject & set(topics.split())]
    assert len(on_subject) >= 4, f"{len(on_subject)} of the first 5 have the topic {subject}: {items[:5]}"
    starred_topics = set(first["tags"]) | set(second["tags"])
    sharing = [paper_id for paper_id, topics, _ in items if starred_topics & set(topics.split())]
    assert len(sharing) >= 0.8 * len(items), f"{len(sharing)} of {len(items)} share a topic of the starred papers"
    assert {source for _, _, source in items} <= {first["id"], second["id"]}
    assert page.locator("#pc-for-you .pc-suggestion-why").first.text_content().startswith("Because you starred ")
    first_dump = next(dump for dump in catalog["dumps"] if dump["id"] == by_id[items[0][0]]["dumps"][0])
    seen = page.locator(f"#pc-for-you .pc-item[data-pc-paper='{items[0][0]}'] .pc-seen a")
    assert seen.get_attribute("href").endswith("/" + first_dump["url"]), "For you says when a paper was listed"
    # Topics show as every listing shows them: chips linked to their topic pages.
    chips = page.eval_on_selector_all(f"#pc-for-you .pc-item[data-pc-paper='{items[0][0]}'] .pc-chips a",
                                      "links => links.map(a => [a.textContent, a.getAttribute('href')])")
    titles = {topic["name"]: topic["title"] for topic in catalog["topics"]}
    assert [(title, href.split("/topics/", 1)[1]) for title, href in chips] == [
        (titles[name], f"{name}/") for name in by_id[items[0][0]]["tags"]]
    assert not [url for url in requested if url.endswith("catalog.json")], "For you downloaded the catalog"
    read_id = items[0][0]
    page.evaluate("id => localStorage.setItem('papercat:read', JSON.stringify({[id]: '2024-01-01T00:00:00Z'}))", read_id)
    page.reload()
    page.wait_for_selector("#pc-for-you[data-pc-ready]")
    assert read_id not in page.eval_on_selector_all("#pc-for-you .pc-item", "items => items.map(i => i.dataset.pcPaper)")


def open_for_you(page: Page, *starred: dict) -> None:
    """Star each paper on its page, then open For you once it has drawn its suggestions."""
    for paper in starred:
        page.goto(paper["url"])
        page.click(".pc-actions button.pc-star")
    page.goto("for-you/")
    page.wait_for_selector("#pc-for-you[data-pc-ready]")


def test_for_you_first_lists_new_papers_whose_related_papers_are_starred(visitor: Visitor, real_build):
    """A starred paper's related papers were found when it was listed, so a paper listed since hardly ever
    shows among them and For you stayed the same day after day. The newest dumps' papers (half of the
    bundled four) are looked at from their side too, and listed first."""
    catalog = real_build.catalog()
    by_id = {paper["id"]: paper for paper in catalog["papers"]}
    newest = {dump["id"] for dump in catalog["dumps"][-2:]}
    # A new paper whose closest related paper is an older one that does not list it back.
    new, starred = next((paper, by_id[paper["related"][0]]) for paper in catalog["papers"]
                        if paper["dumps"][0] in newest and paper["related"]
                        and by_id[paper["related"][0]]["dumps"][0] not in newest
                        and paper["id"] not in by_id[paper["related"][0]]["related"])
    page = visitor.page
    open_for_you(page, starred)
    listed = "items => items.map(i => [i.dataset.pcPaper, i.dataset.pcFrom])"
    new_items = page.eval_on_selector_all("#pc-for-you .pc-for-you-new .pc-item", listed)
    assert [new["id"], starred["id"]] in new_items, new_items
    assert all(by_id[paper_id]["dumps"][0] in newest for paper_id, _ in new_items)
    assert page.locator("#pc-for-you h2").all_text_contents()[:2] == ["New in the newest 2 dumps", "Closest to your stars"]
    others = page.eval_on_selector_all("#pc-for-you .pc-for-you-list .pc-item", listed)
    assert others and not {paper_id for paper_id, _ in new_items} & {paper_id for paper_id, _ in others}


def test_for_you_lists_new_papers_that_share_a_starred_papers_topics(visitor: Visitor, real_build):
    """Few new papers are close to the stars by their related papers (none in 72 of 111 draws on the real
    catalog), and the page said so and stopped (a reader's review: stars on reasoning with RL found nothing that
    week)."""
    catalog = real_build.catalog()
    by_id = {paper["id"]: paper for paper in catalog["papers"]}
    newest = {dump["id"] for dump in catalog["dumps"][-2:]}
    new_papers = [paper for paper in catalog["papers"] if paper["dumps"][0] in newest]

    def alike(star: dict, paper: dict) -> bool:
        return len(set(star["tags"]) & set(paper["tags"])) >= min(2, len(star["tags"]))
    starred = next(paper for paper in catalog["papers"] if paper["dumps"][0] not in newest
                   and len(paper["tags"]) >= 2 and sum(alike(paper, new) for new in new_papers) >= 3)
    page = visitor.page
    open_for_you(page, starred)
    listed = page.eval_on_selector_all("#pc-for-you .pc-for-you-topics .pc-item",
                                       "items => items.map(i => [i.dataset.pcPaper, i.dataset.pcFrom])")
    assert listed and all(source == starred["id"] and by_id[paper_id]["dumps"][0] in newest
                          and alike(starred, by_id[paper_id]) for paper_id, source in listed), listed
    why = page.locator("#pc-for-you .pc-for-you-topics .pc-suggestion-why").first.text_content()
    assert why.startswith("Shares ") and why.endswith(f" with {starred['title']}"), why
    related_ones = page.eval_on_selector_all("#pc-for-you .pc-for-you-new .pc-item, #pc-for-you .pc-for-you-list .pc-item",
                                             "items => items.map(i => i.dataset.pcPaper)")
    assert not set(related_ones) & {paper_id for paper_id, _ in listed}, "a paper is listed once"
    # A shared topic says the least: those come last, after the papers closest to the stars (a reader's review).
    headings = page.locator("#pc-for-you h2").all_text_contents()
    assert headings[-2] == "Closest to your stars" and headings[-1].endswith(", on your stars' topics"), headings
    # A line at the top leads to each section, with its count: the last is 30 papers down (a reader's review).
    links = page.locator("#pc-for-you nav.pc-for-you-sections a")
    expect(links.last).to_have_text(f"{headings[-1]} ({len(listed)})")
    links.last.click()
    expect(page.locator("#pc-for-you h2").last).to_be_in_viewport()
    assert page.locator("#pc-for-you > ol").evaluate_all("lists => lists.map(l => l.className)")[-1].endswith(
        "pc-for-you-topics")


def test_for_you_lists_new_papers_that_use_a_starred_titles_rare_words_together(visitor: Visitor, real_build):
    """A day's papers on KV caches or speculative decoding seldom have a starred one among their five related
    papers, found against the whole catalog, and For you offered papers of a shared broad topic instead (a
    reader's review): a new paper with two neighbouring rare words of a starred title, together, comes first."""
    catalog = real_build.catalog()
    newest = {dump["id"] for dump in catalog["dumps"][-2:]}
    texts = {paper["id"]: f"{paper['title']}\n{paper['abstract']}".lower() for paper in catalog["papers"]}

    def share(word: str) -> float:
        pattern = re.compile(rf"\b{word}s?\b")
        return sum(bool(pattern.search(text)) for text in texts.values()) / len(texts)

    def pairs(title: str) -> list[tuple[str, str]]:  # plain words, neither a plural nor a stop word's length
        words = re.findall(r"[a-z]+(?=[\s:,]|$)", title.lower())
        return [(a, b) for a, b in itertools.pairwise(words) if min(len(a), len(b)) > 3 and not a.endswith("s")
                and not b.endswith("s") and re.search(rf"\b{a} {b}\b", title.lower())]
    found = next((star, new, pair) for star in catalog["papers"] if star["dumps"][0] not in newest
                 for pair in pairs(star["title"]) if max(map(share, pair)) <= 0.05
                 for new in catalog["papers"] if new["dumps"][0] in newest and f"{pair[0]} {pair[1]}" in texts[new["id"]]
                 and new["id"] not in star["related"] and star["id"] not in new["related"])
    star, new, (first, second) = found
    page = visitor.page
    open_for_you(page, star)
    items = page.locator("#pc-for-you .pc-for-you-words .pc-item")
    listed = items.evaluate_all("items => items.map(i => [i.dataset.pcPaper, i.dataset.pcFrom])")
    assert [new["id"], star["id"]] in listed, (found, listed)
    why = page.locator(f"#pc-for-you .pc-for-you-words .pc-item[data-pc-paper='{new['id']}'] .pc-suggestion-why")
    expect(why).to_contain_text(f"“{first}”")
    expect(why).to_contain_text(f"“{second}”")
    expect(why).to_contain_text(f" of the title of {star['title']}")


def test_for_you_shows_where_a_new_paper_has_a_starred_titles_words(tmp_path: Path, browser: Browser):
    """A paper found by a starred title's rare words showed its key sentence, and a passing mention looked like
    its subject (a reader's review): the sentence that says the words shows, marked, as on Watch."""
    # Each of the two has closer papers than the other (its five related papers), and plain ones around them
    # keep the two words rare (in at most 5% of papers).
    serving = [(f"Batching Requests on Clusters {number}", "We serve requests on GPU clusters with batching and "
                f"queueing, case {number}.") for number in range(6)]
    drafting = [(f"Drafting Tokens with Small Models {number}", "We draft tokens with small drafter models, "
                 f"variant {number}.") for number in range(6)]
    plain = [(f"Study {number} of Plain Things", f"We look at plain thing number {number}.") for number in range(40)]
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    for day, records in ((1, [("Speculative Decoding for Small Drafter Models", "We draft tokens with small drafter "
                               "models for drafting."), *serving, *drafting, *plain[:20]]),
                         (2, [("Fast Serving Systems", "We serve requests on GPU clusters with batching and queueing. "
                               "Our speculative decoding is fast."), *plain[20:]])):
        text = "".join(f"{title}\n\n{abstract}\n\n" for title, abstract in records)
        (dumps / f"00{day}_a.txt").write_text(f"Aug {day}\n\n{text}", encoding="utf-8")
    built = build_into(tmp_path, dumps)
    star = next(paper for paper in built.catalog()["papers"] if paper["title"].startswith("Speculative"))
    with serve(built.site) as url, open_visitor(browser, url) as visitor:
        page = visitor.page
        open_for_you(page, star)
        item = page.locator("#pc-for-you .pc-for-you-words .pc-item", has_text="Fast Serving Systems")
        expect(item.locator("p.pc-where")).to_have_text("Our speculative decoding is fast.")
        expect(item.locator("p.pc-where mark")).to_have_text(["speculative", "decoding"])


def test_for_you_takes_each_starred_papers_topics_in_turn(visitor: Visitor, real_build):
    """A starred paper of one topic shares it with a day's every paper of that topic: it took nine of the ten
    places (a reader's review). Each starred paper's most alike new papers come in turn."""
    catalog = real_build.catalog()
    newest = {dump["id"] for dump in catalog["dumps"][-2:]}
    new_papers = [paper for paper in catalog["papers"] if paper["dumps"][0] in newest]

    def alike(star: dict) -> list[dict]:
        return [new for new in new_papers if len(set(star["tags"]) & set(new["tags"])) >= min(2, len(star["tags"]))]
    old = [paper for paper in catalog["papers"] if paper["dumps"][0] not in newest]
    broad = next(paper for paper in old if len(paper["tags"]) == 1 and len(alike(paper)) >= 12)
    narrow = next(paper for paper in old if len(paper["tags"]) >= 2 and alike(paper)
                  and not {new["id"] for new in alike(paper)} <= {new["id"] for new in alike(broad)})
    page = visitor.page
    open_for_you(page, broad, narrow)
    sources = page.eval_on_selector_all("#pc-for-you .pc-for-you-topics .pc-item", "items => items.map(i => i.dataset.pcFrom)")
    assert len(sources) == 10 and set(sources[:2]) == {broad["id"], narrow["id"]}, sources


def test_for_you_works_with_one_star(visitor: Visitor, real_build):
    paper = next(paper for paper in real_build.catalog()["papers"] if paper["related"])
    page = visitor.page
    open_for_you(page, paper)
    suggested = page.eval_on_selector_all("#pc-for-you .pc-item", "items => items.map(i => i.dataset.pcPaper)")
    by_words = page.eval_on_selector_all("#pc-for-you .pc-for-you-new .pc-item, #pc-for-you .pc-for-you-list .pc-item",
                                         "items => items.map(i => i.dataset.pcPaper)")
    assert paper["related"][0] in by_words[:3], f"{paper['related'][0]} not in {by_words[:3]}"
    expect(page.locator("#pc-for-you .pc-item button.pc-star")).to_have_count(len(suggested))


def test_watch_page_screenshot(browser: Browser, sub_path_site: str, real_build):
    """The README's picture of the Watch page (.github/screenshot-watch.png is a copy of this file)."""
    catalog = real_build.catalog()
    artefacts = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
    artefacts.mkdir(parents=True, exist_ok=True)
    with open_visitor(browser, sub_path_site, viewport={"width": 1280, "height": 900}) as visitor:
        page = visitor.page
        page.goto("")
        page.evaluate("count => { localStorage.setItem('papercat:watch', JSON.stringify({terms: ["
                      "{text: 'diffusion', topics: []}, {text: 'pre-training', topics: []}, {text: 'agents', topics: []}]}));"
                      "localStorage.setItem('papercat:watch-visit', JSON.stringify({papers: count, at: '2024-08-01T00:00:00Z'})); }",
                      len(catalog["papers"]) - 12)
        page.goto("watch/")
        page.wait_for_selector("#pc-watch[data-pc-ready]")
        page.locator("#pc-watch .pc-watch-terms").scroll_into_view_if_needed()
        page.screenshot(path=str(artefacts / "watch-1280-light.png"))
        assert visitor.problems == [], visitor.problems
