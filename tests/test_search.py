"""Search in the browser: Material's search box over the Pagefind index of the built site.

Every query is typed into the real header search of the real catalog in Chromium, and the paper it names must
be among the first three results (by address). Timings live in benchmarks/search.py, not here.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from generator.build import PROJECT_ROOT
from generator.enrich.topics import load_taxonomy
from generator.text import search_variants
from tests.browser import open_visitor, serve, Visitor
from tests.conftest import build_into, copy_dumps

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

SELFIE = "selfie-self-supervised-pretraining-for-image-embedding"
TABDPT = "tabdpt-scaling-tabular-foundation-models"
JUST_ONE_BYTE = "just-one-byte-per-gradient-a-note-on-low-bandwidth-decentralized-language-model"
LLM_SURVEY = "a-survey-of-large-language-models"
HYPERFITTING = "the-hyperfitting-phenomenon-sharpening-and-stabilizing-llms-for-open-ended-text"
TOKEN_CRISIS = "to-repeat-or-not-to-repeat-insights-from-scaling-llm-under-token-crisis"
DYNAMIC_RETRIEVER = "dynamicretriever-a-pre-training-model-based-ir-system-with-neither-sparse-nor"
TORCHTITAN = "torchtitan-one-stop-pytorch-native-solution-for-production-ready-llm-pre"
POSITION_PREDICTION = "position-prediction-as-an-effective-pretraining-strategy"
ARTGPT = "artgpt-4-artistic-vision-language-understanding-with-adapter-enhanced-minigpt-4"
STACK_OVERFLOW = "stack-over-flowing-with-results-the-case-for-domain-specific-pre-training-over"  # Megatron-LM
POKERBENCH = "pokerbench-training-large-language-models-to-become-professional-poker-players"  # GPT-4
INTRINSIC = "intrinsic-dimensionality-explains-the-effectiveness-of-language-model-fine"  # "fine-tuning"
MULTI_LLM = "enabling-flexible-multi-llm-integration-for-scalable-knowledge-aggregation"  # "finetuning"
LINES = "lines-post-training-layer-scaling-prevents-forgetting-and-enhances-model-merging"  # "LLM" only
UNI_MOE = "uni-moe-scaling-unified-multimodal-llms-with-mixture-of-experts"  # "LLMs" only
NETFOUND = "netfound-foundation-model-for-network-security"  # topic Safety & security; never says "safety"
GEOGALACTICA = "geogalactica-a-scientific-large-language-model-in-geoscience"  # never says "medicine"

# (query, the paper that must be among the first three results)
QUERIES = [
    # exact titles
    ("Selfie: Self-supervised Pretraining for Image Embedding", SELFIE),
    ("TabDPT: Scaling Tabular Foundation Models", TABDPT),
    ("Just One Byte (per gradient): A Note on Low-Bandwidth Decentralized Language Model Finetuning Using "
     "Shared Randomness", JUST_ONE_BYTE),
    ("A Survey of Large Language Models", LLM_SURVEY),
    # distinctive phrases of abstracts
    ("sidesteps the need for predicting exact pixel values", SELFIE),
    ("near-zero training loss on a small set of samples", HYPERFITTING),
    ("multi-epoch degradation", TOKEN_CRISIS),
    ("Simultaneous Perturbation Stochastic Approximation", JUST_ONE_BYTE),
    ("index-retrieve-rerank", DYNAMIC_RETRIEVER),
    # model and system names, whole and by their parts
    ("TorchTitan", TORCHTITAN),
    ("Torch Titan", TORCHTITAN),
    ("Wav2Vec", POSITION_PREDICTION),
    ("MiniGPT-4", ARTGPT),
    ("MiniGPT", ARTGPT),
    ("Megatron-LM", STACK_OVERFLOW),
    ("Megatron LM", STACK_OVERFLOW),
    ("MegatronLM", STACK_OVERFLOW),
    ("Megatron", STACK_OVERFLOW),
    ("GPT-4 poker", POKERBENCH),
    ("GPT4 poker", POKERBENCH),
    ("GPT 4 poker", POKERBENCH),
    # pretraining / pre-training / pre training: the paper writes "Pretraining"...
    ("self-supervised pretraining image embedding", SELFIE),
    ("self-supervised pre-training image embedding", SELFIE),
    ("self-supervised pre training image embedding", SELFIE),
    # ... and this one "pre-training"
    ("repeating pretraining data", TOKEN_CRISIS),
    ("repeating pre-training data", TOKEN_CRISIS),
    ("repeating pre training data", TOKEN_CRISIS),
    # fine-tuning / finetuning, both ways
    ("intrinsic dimensionality finetuning", INTRINSIC),
    ("intrinsic dimensionality fine-tuning", INTRINSIC),
    ("multi-LLM integration fine-tuning", MULTI_LLM),
    ("multi-LLM integration finetuning", MULTI_LLM),
    ("multi-LLM integration fine tuning", MULTI_LLM),
    # LLM / LLMs, both ways
    ("layer scaling forgetting LLMs", LINES),
    ("layer scaling forgetting LLM", LINES),
    ("unified multimodal LLM", UNI_MOE),
    ("unified multimodal LLMs", UNI_MOE),
    # topic names: these papers have the topic but not all of its words
    ("Safety & security", NETFOUND),
    ("Science & medicine", GEOGALACTICA),
]


@pytest.mark.parametrize("text, forms", [
    ("Self-supervised Pretraining for Image Embedding", ["pre training"]),
    ("we finetune and finetuning helps", ["fine tune", "fine tuning"]),
    ("evaluated with GPT-4 and Llama-3-8B", ["gpt 4", "llama 3 8b", "gpts"]),
    ("fine-tuned with wav2vec 2.0 and Qwen 2.5", ["wav2vec2", "qwen2", "qwen25"]),
    ("an LLM for LLM-based agents", ["llms"]),
])
def test_search_variants_spell_out_what_pagefind_cannot(text: str, forms: list[str]):
    variants = search_variants(text, "")
    assert all(form in variants for form in forms), f"{text!r}: {variants!r} lacks some of {forms}"


def test_search_variants_leave_ordinary_words_alone():
    assert search_variants("We prevent present returns", "in 2020 the over 15 models") == ""


@dataclass(frozen=True)
class Result:
    url: str
    title: str  # the title element's text
    title_elements: int  # elements inside the title element: 0, titles are text
    excerpt_html: str
    topics: tuple[str, ...]


@pytest.fixture(scope="module")
def site_url(real_build) -> Iterator[str]:
    with serve(real_build.site) as url:
        yield url


@pytest.fixture(scope="module")
def searcher(browser: Browser, site_url: str) -> Iterator[Visitor]:
    """One reader for all the queries: the search box keeps its index between them, as in real use."""
    with open_visitor(browser, site_url) as visitor:
        visitor.page.goto("")
        yield visitor
        assert not search_problems(visitor), search_problems(visitor)


def search(page: Page, query: str) -> list[Result]:
    """Type `query` into the header search and read the results once they answer it."""
    page.fill("[data-pc-search-query]", query)
    page.wait_for_function(
        "query => document.querySelector('[data-pc-search-result]').dataset.pcSearchShown === query",
        arg=query.strip())
    return [Result(*item) for item in page.eval_on_selector_all(".md-search-result__item", """items => items.map(item => [
        item.querySelector("a").getAttribute("href"),
        item.querySelector(".pc-search-title").textContent,
        item.querySelector(".pc-search-title").childElementCount,
        item.querySelector(".pc-search-excerpt").innerHTML,
        [...item.querySelectorAll(".pc-chip")].map(chip => chip.textContent),
    ])""")]


def search_problems(visitor: Visitor) -> list[str]:
    """Script errors in search.js or Pagefind, and failed or outside requests for search data."""
    return [problem for problem in visitor.problems
            if "search.js" in problem or "pagefind" in problem or "outside the site" in problem]


@pytest.mark.parametrize("query, paper", QUERIES, ids=[query[:40] for query, _ in QUERIES])
def test_query_finds_the_paper_in_the_top_three(searcher: Visitor, query: str, paper: str):
    urls = [result.url for result in search(searcher.page, query)[:3]]
    assert f"/papers/{paper}/" in urls, f"{query!r}: expected /papers/{paper}/ in the top three, got {urls}"


@pytest.mark.parametrize("query, paper", [
    ("importance", "well-read-students-learn-better-on-the-importance-of-pre-training-compact-models"),
    ("ELECTRA", "electra-pre-training-text-encoders-as-discriminators-rather-than-generators"),
    ("metric", "name-tagging-under-domain-shift-via-metric-learning-for-life-sciences"),
])
def test_title_outranks_abstracts(searcher: Visitor, query: str, paper: str):
    """The word is in this paper's title only, and three times or more in other papers' abstracts."""
    urls = [result.url for result in search(searcher.page, query)]
    assert urls[:1] == [f"/papers/{paper}/"], f"{query!r}: expected /papers/{paper}/ first, got {urls[:3]}"


def test_only_paper_pages_are_indexed(real_build):
    entry = json.loads((real_build.site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    indexed = sum(language["page_count"] for language in entry["languages"].values())
    papers = len(real_build.catalog()["papers"])
    assert indexed == papers, f"{indexed} pages indexed, expected the {papers} paper pages only"


@pytest.mark.parametrize("query", ["Aug", "dumps", "recurring", "topics", "model", "catalog"])
def test_only_paper_pages_are_results(searcher: Visitor, query: str):
    urls = [result.url for result in search(searcher.page, query)]
    others = [url for url in urls if not url.startswith("/papers/")]
    assert not others, f"{query!r} found pages that are not papers: {others}"


def test_paper_page_indexes_abstract_as_text_and_title_topics_as_metadata(searcher: Visitor, real_build):
    """Buttons, "why these topics", "seen in" and "related papers" repeat on every paper page: not indexed."""
    paper = next(paper for paper in real_build.catalog()["papers"] if paper["id"] == TABDPT)
    indexed = searcher.page.evaluate("""async url => {
        const pagefind = await import(url);
        const search = await pagefind.search("TabDPT");
        return await search.results[0].data();
    }""", f"{searcher.base_url}pagefind/pagefind.js")
    assert indexed["content"] == paper["abstract"], indexed["content"]
    assert indexed["meta"]["title"] == paper["title"], indexed["meta"]
    assert indexed["meta"]["topics"] == " · ".join(topic_titles(paper)), indexed["meta"]


def topic_titles(paper: dict) -> list[str]:
    taxonomy = load_taxonomy(PROJECT_ROOT / "taxonomy.yml")
    return [taxonomy.by_name(name).title for name in paper["tags"]]


def test_topic_name_gives_papers_with_that_topic(searcher: Visitor):
    """Papers on theory rarely say "theory": their topic is what finds them."""
    results = search(searcher.page, "Theory")[:3]
    assert results and all("Theory" in result.topics for result in results), [r.topics for r in results]


def test_result_shows_exact_title_topics_and_highlighted_abstract(searcher: Visitor, real_build):
    paper = next(paper for paper in real_build.catalog()["papers"] if paper["id"] == JUST_ONE_BYTE)
    result = search(searcher.page, "Simultaneous Perturbation Stochastic Approximation")[0]
    assert result.title == paper["title"], f"title shown {result.title!r}, expected {paper['title']!r}"
    assert "<mark>Simultaneous</mark>" in result.excerpt_html, result.excerpt_html
    assert list(result.topics) == topic_titles(paper), result.topics


def test_shortcuts_open_search_and_escape_closes_it(searcher: Visitor):
    page = searcher.page
    for key in ["/", "s", "f"]:
        page.goto("")  # the home page: no paper there for papercat.js to star with `s`
        page.keyboard.press(key)
        assert page.evaluate("document.getElementById('__search').checked"), f"{key!r} did not open search"
        assert page.evaluate("document.activeElement.matches('[data-pc-search-query]')"), f"{key!r}: box not focused"
        assert page.input_value("[data-pc-search-query]") == "", f"{key!r} was typed into the box"
        page.keyboard.press("Escape")
        assert not page.evaluate("document.getElementById('__search').checked"), "Escape did not close search"


def test_arrows_walk_the_results_and_enter_opens_the_first(searcher: Visitor):
    page = searcher.page
    page.goto("")
    page.keyboard.press("/")
    search(page, "tabular")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement === document.querySelectorAll('.md-search-result__link')[1]")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.matches('[data-pc-search-query]')")
    page.fill("[data-pc-search-query]", "TabDPT")
    page.wait_for_function("document.querySelector('[data-pc-search-result]').dataset.pcSearchShown === 'TabDPT'")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/papers/{TABDPT}/")
    assert not page.evaluate("document.getElementById('__search').checked"), "search stayed open"


def test_search_works_under_a_sub_path(browser: Browser, real_build, tmp_path: Path):
    """GitHub Pages serves a project site under /<repo>/: the index and the result links must follow."""
    (tmp_path / "repo").symlink_to(real_build.site, target_is_directory=True)
    with serve(tmp_path) as root_url, open_visitor(browser, root_url) as visitor:
        visitor.page.goto("repo/topics/")
        urls = [result.url for result in search(visitor.page, "TabDPT")]
        assert urls[:1] == [f"/repo/papers/{TABDPT}/"], urls
        assert not search_problems(visitor), search_problems(visitor)


# ---- hostile titles -------------------------------------------------------------------------------------

HOSTILE_TITLES = ["<img src=x onerror=alert(1)>", "</title><script>alert(2)</script>"]
WAV2VEC_TITLE = "Speech representations with wav2vec 2.0 for zanzibar dialects"
HOSTILE_DUMP = f"""Sep 3

{HOSTILE_TITLES[0]}

Zanzibar quokka abstract with <script>alert(3)</script> and <b onmouseover=alert(4)>bold</b> in it.

{HOSTILE_TITLES[1]}

Zanzibar quokka second abstract, plain.

{WAV2VEC_TITLE}

We fine-tune wav2vec 2.0 on recordings of zanzibar dialects.
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("search-hostile")
    dumps = copy_dumps(folder / "dumps")
    (dumps / "900_search_hostile.txt").write_text(HOSTILE_DUMP, encoding="utf-8")
    with serve(build_into(folder, dumps).site) as url:
        yield url


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_hostile_title_shows_as_text_and_runs_nothing(browser: Browser, hostile_site: str, title: str):
    with open_visitor(browser, hostile_site) as visitor:
        dialogs: list[str] = []
        visitor.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        visitor.page.goto("")
        results = search(visitor.page, title)
        assert any(result.title == title and result.title_elements == 0 for result in results), \
            f"{title!r} not shown as text: {[(r.title, r.title_elements) for r in results]}"
        search(visitor.page, "zanzibar quokka")  # the hostile abstract's excerpt
        visitor.page.hover(".md-search-result__item")
        assert visitor.page.locator(".md-search-result script, .md-search-result img, .md-search-result b").count() == 0
        assert not dialogs, f"a dialog opened: {dialogs}"
        assert not search_problems(visitor), search_problems(visitor)


@pytest.mark.parametrize("query", ["wav2vec 2.0", "wav2vec2", "wav2vec", "wav2vec 2"])
def test_versioned_model_name_found_by_parts_and_whole(browser: Browser, hostile_site: str, query: str):
    """No real paper says "wav2vec 2.0", so the hostile build carries one."""
    with open_visitor(browser, hostile_site) as visitor:
        visitor.page.goto("")
        titles = [result.title for result in search(visitor.page, query)[:3]]
        assert WAV2VEC_TITLE in titles, f"{query!r}: expected {WAV2VEC_TITLE!r} in the top three, got {titles}"
