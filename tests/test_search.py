"""Search in the browser: Material's search box over the Pagefind index of the built site.

Every query is typed into the real header search of the real catalog in Chromium, and the paper it names must
be among the first three results (by address). Timings live in benchmarks/search.py, not here.
"""
from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from generator.enrich.topics import load_taxonomy
from generator.folders import PROJECT_ROOT
from generator.render import layout
from generator.render.layout import SEARCH_PARTS_PATH
from generator.render.pages import newest_first_key
from generator.render.search_documents import name_key, report_name
from generator.search import index_search_documents
from generator.text import names_and_versions, search_variants
from tests.browser import Visitor, expect, free_port, open_visitor, serve
from tests.conftest import SEED_TAXONOMY, build_into, build_one_dump, copy_dumps

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
    # parts Pagefind splits again and never indexes whole
    ("LLaVA-OneVision, DeepSeek-R1, Search-o1 and Self-MoE", ["onevision", "r1", "o1", "moe"]),
    # tails of a longer hyphenated word, which Pagefind indexes only closed up whole
    ("DeepSeek-R1-Zero and Vision-Language-Action models", ["r1zero", "languageaction"]),
    ("A-B-C-D-E-F-G-H-I-Vision-Language-Action", ["languageaction"]),  # the tails of its last parts
])
def test_search_variants_spell_out_what_pagefind_cannot(text: str, forms: list[str]):
    variants = search_variants(text, "")
    assert all(form in variants for form in forms), f"{text!r}: {variants!r} lacks some of {forms}"


@pytest.mark.parametrize("text, found", [
    ("Llama 2 and GPT 3.5 beat wav2vec 2.0", [("Llama", "2", ""), ("GPT", "3", "5"), ("wav2vec", "2", "0")]),
    ("GPT 4 5", [("GPT", "4", "")]),  # the 4 is the first match's: it names nothing
    ("models 2 and Qwen 2.", [("Qwen", "2", "")]),  # no digit or capital in `models`; a full stop ends a sentence
    ("GPT 3.555 and foo_GPT 4", []),  # three digits; a name after `_` is not a whole word
    ("GPT 3.555 X 7", [("X", "7", "")]),
])
def test_names_and_versions(text: str, found: list[tuple[str, str, str]]):
    assert names_and_versions(text) == found


def test_newest_first_holds_past_sixteen_million(browser: Browser, tmp_path: Path):
    """Pagefind reads sort values that all parse as numbers as 32-bit floats, which merge keys past 2**24: the
    papers of dump 300, a year of daily dumps on, came out of the newest-first order in Chromium."""
    keys = [newest_first_key(dump, position) for dump in (299, 300) for position in range(4)]
    for number, key in enumerate(keys):
        document = tmp_path / "docs" / f"p{number}" / "index.html"
        document.parent.mkdir(parents=True)
        document.write_text(f'<html lang="en"><body><article data-pagefind-body><p>paper {number}</p>'
                            f'<b data-pagefind-sort="newest:{key}"></b></article></body></html>', encoding="utf-8")
    index_search_documents(tmp_path / "docs", tmp_path / "site" / "pagefind", yield_cpu=False)
    with serve(tmp_path / "site") as base_url, open_visitor(browser, base_url) as visitor:
        visitor.page.goto("pagefind/pagefind-entry.json")
        urls = visitor.page.evaluate("""async url => {
            const pagefind = await import(url);
            const search = await pagefind.search("paper", { sort: { newest: "desc" } });
            return Promise.all(search.results.map(async (result) => (await result.data()).url));
        }""", f"{base_url}pagefind/pagefind.js")
    newest_first = sorted(range(len(keys)), key=lambda number: keys[number], reverse=True)
    assert urls == [f"/p{number}/" for number in newest_first]


def test_search_variants_leave_ordinary_words_alone():
    assert search_variants("We prevent present returns", "in 2020 the over 15 models") == ""
    assert search_variants("state-of-the-art and end-to-end text-to-image models", "") == ""
    assert "qwen32b" not in search_variants("DeepSeek-R1-Distill-Qwen-32B", "").split(), "Qwen3 would find it"


def test_search_variants_of_a_hostile_hyphenated_word_stay_short():
    """Every tail of a word of a million parts closed up would be a million words of up to a million letters."""
    word = "-".join(["ab"] * 5_000)  # enough to tell a square from a line, small enough to fail quickly
    assert len(search_variants("", word)) < 10 * len(word)


@dataclass(frozen=True)
class Result:
    url: str
    title: str  # the title element's text
    title_elements: int  # elements inside the title's isolate (a <bdi>, its one child): 0, titles are text
    excerpt_html: str
    topics: tuple[str, ...]
    seen: str  # when the paper was listed


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
    return results_shown(page)


def results_shown(page: Page) -> list[Result]:
    return [Result(*item) for item in page.eval_on_selector_all(".md-search-result__item", """items => items.map(item => [
        item.querySelector("a").getAttribute("href"),
        item.querySelector(".pc-search-title").textContent,
        item.querySelector(".pc-search-title > bdi:only-child").childElementCount,
        item.querySelector(".pc-search-excerpt").innerHTML,
        [...item.querySelectorAll(".pc-chip")].map(chip => chip.textContent),
        item.querySelector(".pc-search-seen")?.textContent,
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


# Pagefind also matches the longer words a query's word starts: `SAM` finds `Samplers`, `Same` and `Samples`.
WORD_AND_LONGER_WORDS = [
    ("Samplers and Efficient Curriculum for Discrete Diffusion",
     "We study samplers for discrete diffusion models. Our samplers need fewer steps than ancestral sampling."),
    ("Same Task, Different Data: Samples of Transfer",
     "We measure transfer across datasets with the same task and report how many samples each needs."),
    ("Medical SAM: Segmenting Medical Images as Video",
     "We adapt SAM, a segmentation foundation model, to 3D medical images by treating slices as frames of a "
     "video, and report results on ten benchmarks."),
    ("Surgical SAM: Real-time Segmentation in Surgical Video",
     "Surgical SAM prunes frames to segment instruments in real time, on two public surgical datasets, with a "
     "memory of past frames."),
]


def test_papers_with_the_word_itself_come_before_longer_words_it_starts(browser: Browser, tmp_path: Path):
    """With Pagefind's default ranking the short paper on samplers came first for `SAM` (as on the real
    catalog, where `SAM` brought up *Ψ-Samplers* above every Segment Anything paper)."""
    titles = titles_found(browser, tmp_path, WORD_AND_LONGER_WORDS, "SAM")
    assert {*titles[:2]} == {"Medical SAM: Segmenting Medical Images as Video",
                             "Surgical SAM: Real-time Segmentation in Surgical Video"}, titles
    assert len(titles) == 4, titles  # the longer words are still found, after


def titles_found(browser: Browser, tmp_path: Path, papers: list[tuple[str, str]], query: str) -> list[str]:
    """The titles search lists first for `query` in the catalog of one dump of `papers` (title, abstract), which
    searched without a problem."""
    built = build_one_dump(tmp_path, "2024-08-01.txt", papers)
    with serve(built.site) as url, open_visitor(browser, url) as visitor:
        visitor.page.goto("")
        titles = [result.title for result in search(visitor.page, query)]
        assert not search_problems(visitor), search_problems(visitor)
    return titles


def test_a_title_with_the_word_comes_before_one_with_another_word_of_its_stem(browser: Browser, tmp_path: Path):
    """Pagefind matches `transformer` by its stem, transform: on the real catalog *Coarse-Guided Visual Generation
    via Weighted h-Transform Sampling* came first of 1,465 papers, above every title with Transformer."""
    papers = [("Weighted h-Transform Sampling", "We sample with an h-transform, a transform of the diffusion."),
              ("Gaussian Weighted Linear Transformation", "A linear transformation reduces the dimension of data."),
              ("Differential Transformer for Long Sequences",
               "We propose a transformer whose attention subtracts two softmax maps, which cancels the noise of "
               "attention over long sequences of tokens and improves the modelling of language at every scale we "
               "tried, from small models to large ones, with fewer parameters than the baseline transformer.")]
    built = build_one_dump(tmp_path, "2024-08-01.txt", papers)
    with serve(built.site) as url, open_visitor(browser, url) as visitor:
        visitor.page.goto("")
        for query in ("transformer", "transformers"):  # a title's singular holds the plural typed
            titles = [result.title for result in search(visitor.page, query)]
            assert titles[0] == "Differential Transformer for Long Sequences", (query, titles)
            assert len(titles) == 3, titles  # the other words of its stem are still found, after
        assert not search_problems(visitor), search_problems(visitor)


# A name and its version, in a title and in abstracts: search joins them (`Gemma 2` is searched as gemma2).
NAME_AND_VERSION_PAPERS = [
    ("ShieldGemma: Content Moderation Based on Gemma", "ShieldGemma fine-tunes Gemma 2 to moderate content."),
    ("Gemma 2: Improving Open Language Models at a Practical Size",
     "In this work, we introduce Gemma 2, a new addition to the Gemma family of lightweight, state-of-the-art open "
     "models, ranging in scale from 2 billion to 27 billion parameters, trained with knowledge distillation "
     "instead of next token prediction."),
    ("Matryoshka Quantization of Open Models",
     "We quantize Gemma 2 and Mistral models to nested integer widths with one training run."),
]


def test_a_name_and_version_in_a_title_weighs_as_the_title(browser: Browser, tmp_path: Path):
    """The joined form of a title's `Gemma 2` weighed as an abstract's: the Gemma 2 paper came last here, and
    15th of 26 on the real catalog (now 2nd)."""
    titles = titles_found(browser, tmp_path, NAME_AND_VERSION_PAPERS, "Gemma 2")
    assert titles[0] == "Gemma 2: Improving Open Language Models at a Practical Size", titles


# Papers building on a model, which say its name more often than its own report does.
REPORT_AND_FOLLOWERS = [
    *[(f"Qwen3-{kind}: A Language Model for {task}",
       f"We adapt a language model to {task}, a domain where general models fall short of specialists. "
       f"Qwen3-{kind} adds a {task} head and trains it on a corpus of {task} gathered for the purpose, with the base "
       "weights frozen; "
       "on three benchmarks of the domain it closes most of the gap to specialist systems at a fraction of their "
       "cost, and we release the weights and the data.")
      for kind, task in [("Vision", "images"), ("Audio", "speech"), ("Code", "programs"), ("Math", "proofs"),
                         ("Med", "clinical notes"), ("Law", "contracts"), ("Chem", "molecules"), ("Geo", "maps"),
                         ("Fin", "filings"), ("Bio", "proteins"), ("Music", "scores"), ("Game", "play")]],
    ("Qwen3 Technical Report",
     "We present Qwen3, a new family of large language models, dense and mixture-of-experts, from 0.6 to 235 "
     "billion parameters, with a thinking mode and a non-thinking mode in one model, trained on 36 trillion "
     "tokens in 119 languages. Qwen3 is released under an open license."),
]


@pytest.mark.parametrize("title, name", [
    ("Qwen3 Technical Report", "Qwen3"), ("GPT-4o System Card", "GPT-4o"), ("The Llama 3 Herd of Models", "Llama 3"),
    ("SkyReels-V3 Technique Report", "SkyReels-V3"), ("mxbai-edge-colbert-v0 tech report", "mxbai-edge-colbert-v0"),
    ("rStar2-Agent: Agentic Reasoning Technical Report", ""),  # named before its colon, as any title
    ("Technical Report", ""), ("On Writing a Technical Report Well", ""),
    ("Qwen3 \t Technical   Report", "Qwen3"), (" " * 50_000 + "x", ""),  # a run of spaces took a time of its square
])
def test_a_report_title_gives_its_name(title: str, name: str):
    assert report_name(title) == name


def test_a_name_is_one_word_as_search_compares_names():
    assert [name_key(name) for name in ("Qwen2.5-VL", "Llama 3", "Ünï Modèl", "GPT-4o")] == [
        "qwen25vl", "llama3", "unimodel", "gpt4o"]


def test_a_report_comes_first_for_its_name(browser: Browser, tmp_path: Path):
    """*Qwen3 Technical Report* ranked below the first ten results for `Qwen3` on the real catalog, under papers
    on Qwen3-VL and Qwen3-Omni, which say the name more often (here it came below the first ten of 13)."""
    titles = titles_found(browser, tmp_path, REPORT_AND_FOLLOWERS, "Qwen3")
    assert titles[0] == "Qwen3 Technical Report", titles


def test_only_paper_pages_are_indexed(real_build):
    parts = json.loads((real_build.site / SEARCH_PARTS_PATH).read_text(encoding="utf-8"))
    entries = [json.loads((real_build.site / "pagefind" / part / "pagefind-entry.json").read_text(encoding="utf-8"))
               for part in parts]
    indexed = sum(language["page_count"] for entry in entries for language in entry["languages"].values())
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
    }""", f"{searcher.base_url}pagefind/0/pagefind.js")  # the bundled dumps make one part
    assert indexed["content"] == paper["abstract"], indexed["content"]
    assert indexed["meta"]["title"] == paper["title"], indexed["meta"]
    assert indexed["meta"]["topics"] == " · ".join(topic_titles(paper)), indexed["meta"]


def topic_titles(paper: dict) -> list[str]:
    taxonomy = load_taxonomy(SEED_TAXONOMY)
    return [taxonomy.by_name(name).title for name in paper["tags"]]


def test_topic_name_gives_papers_with_that_topic(searcher: Visitor):
    """Papers on theory rarely say "theory": their topic is what finds them."""
    results = search(searcher.page, "Theory")[:3]
    assert results and all("Theory" in result.topics for result in results), [r.topics for r in results]


def test_an_excerpt_ends_as_the_abstract_ends(searcher: Visitor, real_build):
    """Pagefind ends a text without a full stop with one: an abstract's closing address came out as `.../15M.`."""
    paper = next(paper for paper in real_build.catalog()["papers"]
                 if paper["id"] == "15m-multimodal-facial-image-text-dataset")
    result = next(result for result in search(searcher.page, "publicly available OpenFace-CQUPT")
                  if result.url.endswith(f"/papers/{paper['id']}/"))
    shown = html.unescape(re.sub(r"</?mark>", "", result.excerpt_html))
    assert paper["abstract"].endswith(shown), f"excerpt {shown!r}"
    assert shown.endswith("OpenFace-CQUPT/FaceCaption-15M"), shown


def test_result_shows_exact_title_topics_and_highlighted_abstract(searcher: Visitor, real_build):
    paper = next(paper for paper in real_build.catalog()["papers"] if paper["id"] == JUST_ONE_BYTE)
    result = search(searcher.page, "Simultaneous Perturbation Stochastic Approximation")[0]
    assert result.title == paper["title"], f"title shown {result.title!r}, expected {paper['title']!r}"
    assert "<mark>Simultaneous</mark>" in result.excerpt_html, result.excerpt_html
    marks = [mark for found in search(searcher.page, "retrieval")
             for mark in re.findall(r"<mark>(.*?)</mark>", found.excerpt_html)]
    assert marks and all(re.fullmatch(r"\w(.*\w)?", mark) for mark in marks), f"punctuation marked: {marks}"
    assert list(result.topics) == topic_titles(paper), result.topics
    dump = next(dump for dump in real_build.catalog()["dumps"] if dump["id"] == paper["dumps"][0])
    assert result.seen.startswith(f"Seen in {dump['date']}") and len(paper["dumps"]) == 1, result.seen
    recurring = next(paper for paper in real_build.catalog()["papers"] if len(paper["dumps"]) == 2)
    first = next(dump for dump in real_build.catalog()["dumps"] if dump["id"] == recurring["dumps"][0])
    result = next(result for result in search(searcher.page, recurring["title"]) if result.title == recurring["title"])
    assert re.fullmatch(rf"Seen in {re.escape(first['date'])}( \(\d+\))? and 1 later dump", result.seen), result.seen


def test_shortcuts_open_search_and_escape_closes_it(searcher: Visitor):
    page = searcher.page
    for key in ["/", "s", "f"]:
        # The topics index: no paper there for papercat.js to star with `s` (on a listing, `s` with no paper
        # picked says how to pick one).
        page.goto("topics/")
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
    for _ in range(2):  # the first result's link, then the second's
        page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement === document.querySelectorAll('.md-search-result__link')[1]")
    for _ in range(2):
        page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.matches('[data-pc-search-query]')")
    page.fill("[data-pc-search-query]", "TabDPT")
    page.wait_for_function("document.querySelector('[data-pc-search-result]').dataset.pcSearchShown === 'TabDPT'")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/papers/{TABDPT}/")
    assert not page.evaluate("document.getElementById('__search').checked"), "search stayed open"


def test_a_quoted_phrase_offers_its_other_spelling(searcher: Visitor):
    """Pagefind matches a quoted phrase word after word and a hyphenated word closed up: `"chain of thought"`
    found 62 real papers and missed the 410 that write chain-of-thought, with nothing to say so."""
    page = searcher.page
    page.goto("")
    page.keyboard.press("/")
    spaced = search(page, '"mixture of experts"')
    page.wait_for_selector(".pc-search-other-spelling", state="attached")
    hint = " ".join(page.inner_text(".pc-search-other-spelling").split())
    count = int(re.match(r"(\d+) papers write it as", hint)[1])
    assert hint.endswith('as "mixture-of-experts".'), hint
    page.click(".pc-search-other-spelling .pc-search-suggestion")
    page.wait_for_selector("""[data-pc-search-shown='"mixture-of-experts"']:not([aria-busy])""", state="attached")
    assert page.input_value("[data-pc-search-query]") == '"mixture-of-experts"'
    assert page.inner_text("[data-pc-search-meta]").startswith(f"{count} matching papers"), "the count it gave"
    hyphenated = search(page, '"mixture-of-experts"')
    assert {result.url for result in hyphenated} != {result.url for result in spaced}, "the other spelling's papers"
    page.wait_for_selector(".pc-search-other-spelling", state="attached")
    assert '"mixture of experts"' in page.inner_text(".pc-search-other-spelling"), "and back"
    search(page, "mixture-of-experts")
    page.wait_for_selector(".pc-search-other-spelling", state="attached")
    assert '"mixture of experts"' in page.inner_text(".pc-search-other-spelling"), "a hyphenated word not quoted"
    search(page, "mixture of experts")
    page.wait_for_timeout(300)
    assert page.query_selector(".pc-search-other-spelling") is None, "no hint for words not quoted"


def test_a_word_no_paper_has_is_named_and_the_nearest_word_offered(searcher: Visitor):
    """Pagefind searches a word it lacks as the longest start of it that it has: `difusion` finds `dif...`."""
    page = searcher.page

    def hint_for(query: str) -> str:
        search(page, query)
        page.wait_for_selector(f"[data-pc-search-checked={json.dumps(query)}]", state="attached")
        return " ".join(page.inner_text("[data-pc-search-meta]").split())

    # A typo's query is searched corrected, as a search engine does: the papers of `dif...` words were shown.
    corrected = [result.url for result in search(page, "diffusion models")]
    assert corrected and "No paper" not in hint_for("diffusion models")
    # Finished only once corrected: a screen reader read out the typo's count first, and tests saw its papers.
    assert [result.url for result in search(page, "Difusion models")] == corrected
    said = hint_for("Difusion models")
    assert re.fullmatch(r"\d+ matching papers for diffusion models: no paper has the word “Difusion”\. "
                        r"Search as typed", said), said
    assert [result.url for result in results_shown(page)] == corrected
    # As typed, the papers listed have `dif...` words: they do not match the query, and the count said they did.
    page.click(".pc-search-suggestion")
    page.wait_for_selector("[data-pc-search-checked='Difusion models']:not([aria-busy])", state="attached")
    said = " ".join(page.inner_text("[data-pc-search-meta]").split())
    assert re.match(r"\d+ papers?, none with every word as typed\. No paper has the word “Difusion”\. Search for "
                    r"diffusion models\?", said), said
    assert page.input_value("[data-pc-search-query]") == "Difusion models"
    page.click(".pc-search-suggestion")
    page.wait_for_selector("[data-pc-search-shown='diffusion models']:not([aria-busy])", state="attached")
    assert page.input_value("[data-pc-search-query]") == "diffusion models"
    assert hint_for("xqzzyv").endswith("No paper has the word “xqzzyv”."), "nothing near it: no suggestion"
    assert hint_for("q" * 5000).endswith(f"No paper has the word “{'q' * 40}…”."), "a screen reader reads it out"
    assert "No paper" not in hint_for("pre-training GPT-3 transformers of the web")
    assert "No paper" not in hint_for("ranking+retrieval"), "words joined by a symbol are two words"
    # No paper has the corrected words (`retrieval-augmented` and `generation`): nothing is searched for them.
    assert hint_for("retreival-augmented generation").endswith("Search for retrieval-augmented generation?")
    # A version no paper has was searched as the name's start (`gpt`), with no word named.
    assert hint_for("GPT 6 poker").endswith("No paper has the word “GPT 6”."), "a name and version typed apart"
    assert hint_for("llama9").endswith("No paper has the word “llama9”."), "closed up"
    assert hint_for("GPT-6 poker").endswith("No paper has the word “GPT-6”."), "hyphenated"
    for known in ["GPT 4 poker", "GPT-4 poker", "LLaMA 2", "llama2", "T5", "3D"]:
        assert "No paper" not in hint_for(known), known
    assert not [problem for problem in searcher.problems if "watch/" in problem], "a word index file asked in vain"


def test_a_word_finds_the_longer_words_it_starts_whatever_was_searched_before(browser: Browser, site_url: str):
    """Pagefind loads the index chunk a query's word falls in, and matches the longer words it starts in the
    chunks loaded: those past a chunk's end were found only once another search had loaded their chunk
    (`DeepSeek-R1` found 98 of 143 papers at the real 10,049, all of them after `deepseekr1distill`). `at`
    ends a chunk of the bundled dumps' index: a first search found the 132 papers with the word `at` only."""
    with open_visitor(browser, site_url) as visitor:
        page = visitor.page
        chunks: list[str] = []
        page.on("request", lambda request: "/index/" in request.url and chunks.append(request.url))
        page.goto("")
        first, first_count, first_chunks = search(page, "at"), count_said(page), len(set(chunks))
        search(page, "attention")
        assert search(page, "at") == first and count_said(page) == first_count, first_count
        assert first_chunks >= 2, "`at` no longer ends an index chunk: choose a word that does"


def test_symbols_alone_are_named_as_no_words_to_search_for(searcher: Visitor):
    """An emoji or a `%` alone said "Type to start searching", as if nothing had been typed (red team)."""
    page = searcher.page
    assert search(page, "😀 %") == []
    assert page.text_content("[data-pc-search-meta]") == "Nothing to search for: search finds words, of letters and digits"
    assert search(page, "d") == []
    assert page.text_content("[data-pc-search-meta]") == "Type to start searching"


@pytest.mark.parametrize("pasted", ["2303.08774", "arXiv:2303.08774v2", "arXiv: 2303.08774", "https://arxiv.org/abs/2303.08774",
                                    "https://arxiv.org/pdf/2303.08774v1.pdf", "https://arxiv.org/html/2303.08774v2",
                                    "huggingface.co/papers/2303.08774", "https://hf.co/papers/2303.08774?ref=x"])
def test_an_arxiv_id_says_the_catalog_has_none_and_links_to_arxiv(searcher: Visitor, pasted: str):
    """A pasted arXiv id found "1 matching paper", an unrelated one that wrote a number like it (a reader's
    review): dumps carry titles and abstracts only."""
    page = searcher.page
    assert search(page, pasted) == []
    said = page.text_content("[data-pc-search-meta]")
    assert said.startswith("The catalog knows papers by title and abstract, not by arXiv id"), said
    link = page.locator("[data-pc-search-meta] a")
    assert link.text_content() == "open 2303.08774 on arXiv"
    assert link.get_attribute("href") == "https://arxiv.org/abs/2303.08774"


def test_a_symbol_between_two_words_searches_both_words(searcher: Visitor):
    page = searcher.page
    page.goto("")
    page.keyboard.press("/")
    apart = [result.title for result in search(page, "ranking retrieval")]
    apart_count = count_said(page)
    assert [result.title for result in search(page, "ranking+retrieval")] == apart and count_said(page) == apart_count
    # Few papers write `vs`: with it, Pagefind, which finds papers with every word, found none.
    for compared in ("ranking vs retrieval", "ranking vs. retrieval", "ranking versus retrieval"):
        assert [result.title for result in search(page, compared)] == apart and count_said(page) == apart_count


def test_back_from_a_result_and_a_shared_address_open_the_search(browser: Browser, site_url: str):
    with open_visitor(browser, site_url) as visitor:
        page = visitor.page
        page.goto("topics/")
        first = search(page, "diffusion")[0]
        page.click(".md-search-result__link >> nth=0")
        page.wait_for_url(lambda url: url.rstrip("/").endswith(first.url.rstrip("/").removeprefix("..")))
        page.go_back()
        page.wait_for_selector("[data-pc-search-result][data-pc-search-shown='diffusion']:not([aria-busy])",
                               state="attached")
        assert page.is_checked("#__search") and page.input_value("[data-pc-search-query]") == "diffusion"
        assert page.url.endswith("topics/?q=diffusion")
        page.goto("dumps/?q=pre-training")
        page.wait_for_selector("[data-pc-search-shown='pre-training']:not([aria-busy])", state="attached")
        assert page.is_checked("#__search") and page.locator(".md-search-result__item").count() > 0
        assert not search_problems(visitor), search_problems(visitor)


def test_the_end_of_the_results_scrolled_into_view_shows_the_next_ones(browser: Browser, site_url: str):
    """One topic's papers took a reader 37 clicks of "Show 10 more": scrolling on shows them, as Material's
    own search does, each once."""
    with open_visitor(browser, site_url, viewport={"width": 1280, "height": 800}) as visitor:
        page = visitor.page
        page.goto("?q=model")
        page.wait_for_selector("[data-pc-search-shown='model']:not([aria-busy])", state="attached")
        results = page.locator(".md-search-result__item")
        expect(results).to_have_count(10)
        total = int(page.text_content("[data-pc-search-meta]").split()[0])
        assert total > 20, total
        page.locator(".md-search__scrollwrap").evaluate("wrap => wrap.scrollTo(0, wrap.scrollHeight)")
        expect(results).to_have_count(20)
        page.locator(".md-search__scrollwrap").evaluate("wrap => wrap.scrollTo(0, wrap.scrollHeight)")
        expect(results).to_have_count(30)
        links = page.eval_on_selector_all(".md-search-result__link", "links => links.map(a => a.getAttribute('href'))")
        assert len(set(links)) == len(links), "a result was shown twice"
        # A new search starts at its first result: it opened where the last was scrolled to, and that showed
        # its next ten, and the next, on its own (a reviewer).
        page.fill("[data-pc-search-query]", "masked")
        page.wait_for_selector("[data-pc-search-shown='masked']:not([aria-busy])", state="attached")
        page.wait_for_timeout(500)
        expect(results).to_have_count(min(10, int(page.text_content("[data-pc-search-meta]").split()[0])))
        assert page.locator(".md-search__scrollwrap").evaluate("wrap => wrap.scrollTop") == 0
        assert not search_problems(visitor), search_problems(visitor)


def test_a_search_opened_from_the_address_fits_a_phone(browser: Browser, site_url: str):
    """Opened from a shared address, or by Back from a result, the search told Material nothing, which locks
    the page's scroll when a tap opens it: the open search then made the page three screens wide."""
    with open_visitor(browser, site_url, viewport={"width": 390, "height": 844}, is_mobile=True,
                      has_touch=True) as visitor:
        page = visitor.page
        page.goto("topics/?q=retrieval")
        page.wait_for_selector("[data-pc-search-shown='retrieval']:not([aria-busy])", state="attached")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.evaluate("document.body.hasAttribute('data-md-scrolllock')")
        page.keyboard.press("Escape")
        assert not page.is_checked("#__search")
        # Material unlocks it once the search's closing animation is done.
        page.wait_for_function("!document.body.hasAttribute('data-md-scrolllock')", timeout=3000)
        assert not search_problems(visitor), search_problems(visitor)


def test_the_address_holds_the_search_as_it_is_typed(browser: Browser, site_url: str):
    """A reader copies the address to share a search, or reloads it: the address had the words only once a
    result was opened."""
    with open_visitor(browser, site_url) as visitor:
        page = visitor.page
        page.goto("topics/")
        search(page, "diffusion models")
        assert page.url.endswith("topics/?q=diffusion+models"), page.url
        page.reload()
        page.wait_for_selector("[data-pc-search-shown='diffusion models']:not([aria-busy])", state="attached")
        assert page.is_checked("#__search")
        page.keyboard.press("Escape")
        closed = ("location.pathname.endsWith('topics/') && !location.search"
                  " && !document.getElementById('__search').checked")
        page.wait_for_function(closed)  # on a loaded machine the address changed a moment after the key
        search(page, "diffusion")
        search(page, "")
        assert page.url.endswith("topics/"), "an emptied search stays in the address"
        # Closed by a click beside it (Material's overlay), by Tab past its end: out of the address too.
        search(page, "diffusion")
        page.dispatch_event(".md-search__overlay", "click")
        page.wait_for_function(closed)
        # Opened again without typing, then left by a result: Back comes back to it.
        page.keyboard.press("/")
        assert page.is_checked("#__search") and page.url.endswith("topics/?q=diffusion"), page.url
        page.click(".md-search-result__link >> nth=0")
        page.wait_for_url(lambda url: "/papers/" in url)
        page.go_back()
        page.wait_for_selector("[data-pc-search-shown='diffusion']:not([aria-busy])", state="attached")
        assert page.is_checked("#__search") and page.url.endswith("topics/?q=diffusion"), page.url
        page.focus("[data-pc-search-query]")
        page.keyboard.press("Shift+Tab")
        page.wait_for_function(closed)
        assert not search_problems(visitor), search_problems(visitor)


def test_back_reopens_the_search_under_instant_navigation(browser: Browser, seed_dumps: Path, tmp_path: Path,
                                                        monkeypatch):
    """Material's instant navigation (on where a site is served from its `site_url`, as when published) closed the
    search 125 ms after Back, after search.js had opened it from the address."""
    port = free_port()
    monkeypatch.setenv("PAPERCAT_SITE_URL", f"http://127.0.0.1:{port}/")
    built = build_into(tmp_path, seed_dumps)
    with serve(built.site, port) as url, open_visitor(browser, url) as visitor:
        page = visitor.page
        page.goto("topics/")
        page.evaluate("window.notReloaded = true")
        first = search(page, "diffusion")[0]
        page.click(".md-search-result__link >> nth=0")
        page.wait_for_url(lambda address: address.rstrip("/").endswith(first.url.rstrip("/").removeprefix("..")))
        assert page.evaluate("window.notReloaded"), "instant navigation is off: the test tests nothing"
        page.go_back()
        page.wait_for_selector("[data-pc-search-result][data-pc-search-shown='diffusion']:not([aria-busy])",
                               state="attached")
        page.wait_for_timeout(400)  # past Material's closing of the search
        assert page.is_checked("#__search"), "Back left the search closed"
        assert page.evaluate("window.notReloaded") and page.url.endswith("topics/?q=diffusion")
        assert not search_problems(visitor), search_problems(visitor)


def test_search_works_under_a_sub_path(browser: Browser, real_build, tmp_path: Path):
    """GitHub Pages serves a project site under /<repo>/: the index and the result links must follow."""
    (tmp_path / "repo").symlink_to(real_build.site, target_is_directory=True)
    with serve(tmp_path) as root_url, open_visitor(browser, root_url) as visitor:
        visitor.page.goto("repo/topics/")
        urls = [result.url for result in search(visitor.page, "TabDPT")]
        assert urls[:1] == [f"/repo/papers/{TABDPT}/"], urls
        choose(visitor.page, topic="Tabular data")
        assert f"/repo/papers/{TABDPT}/" in shown(visitor.page)[1], "the topic filter lost the paper"
        assert not search_problems(visitor), search_problems(visitor)


# ---- filters and order ---------------------------------------------------------------------------------

def choose(page: Page, topic: str = "", first_dump: str = "", last_dump: str = "", code: bool = False,
           order: str = "relevance") -> None:
    """Open the search box's filters (once) and set them and the order (dump filter values, or "" for an open
    end); wait for the results they give."""
    if page.get_attribute(".pc-search-toggle", "aria-expanded") != "true":
        page.click(".pc-search-toggle")
        page.wait_for_selector("#pc-search-choices:not([hidden])")
    page.select_option("[data-pc-filter='topic']", topic)
    page.select_option("[data-pc-filter='from']", first_dump)
    page.select_option("[data-pc-filter='to']", last_dump)
    page.set_checked("[data-pc-filter='code']", code)
    page.select_option("[data-pc-filter='order']", order)
    page.wait_for_selector("[data-pc-search-result]:not([aria-busy])", state="attached")


def count_said(page: Page) -> str:
    """What the search box says of the number of papers found, without the hint that may follow it."""
    return page.eval_on_selector("[data-pc-search-meta]", "meta => meta.firstChild.textContent")


def shown(page: Page) -> tuple[int, list[str]]:
    """The number of papers the search box says it found, and the addresses of all of them, in order."""
    meta = page.text_content("[data-pc-search-meta]")
    count = 0 if meta.startswith(("No", "Type")) else int(meta.split()[0])
    while page.is_visible("[data-pc-search-more]"):
        before = page.locator(".md-search-result__item").count()
        page.click("[data-pc-search-more]")
        page.wait_for_function("n => document.querySelectorAll('.md-search-result__item').length > n", arg=before)
    return count, page.eval_on_selector_all(".md-search-result__link", "links => links.map(a => a.getAttribute('href'))")


def option_counts(page: Page, control: str) -> dict[str, int]:
    """What each choice of a filter says it would keep: {option value: count}."""
    return {value: int(text.rsplit(" · ", 1)[1]) for value, text in page.eval_on_selector_all(
        f"[data-pc-filter='{control}'] option", "options => options.map(o => [o.value, o.textContent])") if value}


def code_count(page: Page) -> int:
    return int(page.text_content("[data-pc-count='code']").rsplit(" · ", 1)[1])


def all_results(page: Page, base_url: str, query: str) -> list[str]:
    """Every paper's address Pagefind gives for `query` with no filter, asked directly of each search part
    (leaving out the parts' vocabulary documents, as search.js does)."""
    return page.evaluate("""async ([base, query]) => {
        const parts = await (await fetch(base + "search-parts.json")).json();
        const urls = await Promise.all(parts.map(async (part) => {
            const filters = parts.length > 1 ? { not: { vocabulary: "yes" } } : {};
            const search = await (await import(`${base}pagefind/${part}/pagefind.js`)).search(query, { filters });
            return Promise.all(search.results.map(async (result) => (await result.data()).url));
        }));
        return urls.flat();
    }""", [base_url, query])


@dataclass(frozen=True)
class CatalogView:
    """What catalog.json says the filters should find."""

    catalog: dict

    @property
    def dump_values(self) -> list[str]:
        """The dump filter's values, as search documents carry them (their number, then the dump's name: its
        date, and once two dumps show the same date, every dump's date and sequence part)."""
        dates = [dump["date"] for dump in self.catalog["dumps"]]
        repeated = len(set(dates)) < len(dates)
        return [f"{index:04d} {date} ({dump['id'].split('_')[0][:8]})" if repeated else f"{index:04d} {date}"
                for index, (dump, date) in enumerate(zip(self.catalog["dumps"], dates))]

    def url(self, paper: dict) -> str:
        return "/" + paper["url"]

    def topic_title(self, name: str) -> str:
        return next(topic["title"] for topic in self.catalog["topics"] if topic["name"] == name)

    def has_code(self, paper: dict) -> bool:
        return any(link["kind"] == "code" for link in paper["links"])

    def dump_indexes(self, paper: dict) -> set[int]:
        index = {dump["id"]: number for number, dump in enumerate(self.catalog["dumps"])}
        return {index[dump_id] for dump_id in paper["dumps"]}

    def newest_first(self, papers: list[dict]) -> list[str]:
        """Addresses in the site's order: latest dump first, then by place in that dump."""
        def key(paper: dict) -> tuple[int, int]:
            latest = max(self.dump_indexes(paper))
            return (-latest, self.catalog["dumps"][latest]["papers"].index(paper["id"]))
        return [self.url(paper) for paper in sorted(papers, key=key)]

    def papers_at(self, urls: list[str]) -> list[dict]:
        by_url = {self.url(paper): paper for paper in self.catalog["papers"]}
        return [by_url[url] for url in urls]


@pytest.fixture(scope="module")
def view(real_build) -> CatalogView:
    return CatalogView(real_build.catalog())


@pytest.fixture
def filtering(searcher: Visitor) -> Page:
    """The search box open and empty, its filters shown and unset (a page load starts it afresh)."""
    page = searcher.page
    page.goto("")
    page.keyboard.press("/")
    choose(page)
    return page


def test_choices_show_the_catalogs_counts_before_a_search(filtering: Page, view: CatalogView):
    papers = view.catalog["papers"]
    topics = {view.topic_title(topic["name"]): sum(topic["name"] in paper["tags"] for paper in papers)
              for topic in view.catalog["topics"]}
    assert option_counts(filtering, "topic") == {title: count for title, count in topics.items() if count}
    dumps = {value: sum(index in view.dump_indexes(paper) for paper in papers)
             for index, value in enumerate(view.dump_values)}
    assert option_counts(filtering, "from") == dumps == option_counts(filtering, "to")
    assert list(option_counts(filtering, "from")) == view.dump_values[::-1], "newest dump first"
    assert code_count(filtering) == sum(map(view.has_code, papers))


def build_dated_dumps(tmp_path: Path, days: list[tuple[str, str]]):
    """The site of a dump a day, each named NNN_YYYY-MM-DD.txt by the (day, date line) pairs given, in order,
    each of one paper on graphs."""
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    for number, (day, date_line) in enumerate(days):
        (dumps / f"{number:03}_{day}.txt").write_text(
            f"{date_line}\n\nPaper {number} on graphs\n\nAn abstract about graphs {number}.\n", encoding="utf-8")
    return build_into(tmp_path, dumps)


def test_the_last_week_month_or_year_of_dumps_is_one_click(browser: Browser, filtering: Page, tmp_path: Path):
    """To say "this week", a reader scrolled a list of 600 dumps twice (a reader's review). The presets count
    back from the newest dump, where every dump's name gives its day; the bundled dumps give none."""
    expect(filtering.locator(".pc-search-presets")).to_be_hidden()
    built = build_dated_dumps(tmp_path, [("2024-07-01", "Jul 1"), ("2024-07-25", "Jul 25"), ("2024-08-01", "Aug 1")])
    with serve(built.site) as url, open_visitor(browser, url) as visitor:
        page = visitor.page
        page.goto("")
        page.keyboard.press("/")
        search(page, "graphs")
        choose(page)
        for days, first, count in [("7", "Aug 1, 2024", 1), ("30", "Jul 25, 2024", 2), ("365", "Jul 1, 2024", 3)]:
            page.click(f".pc-search-presets [data-pc-days='{days}']")
            page.wait_for_selector("[data-pc-search-result]:not([aria-busy])", state="attached")
            assert page.input_value("[data-pc-filter='from']").endswith(f" {first}"), days
            assert page.input_value("[data-pc-filter='to']") == ""
            expect(page.locator(".md-search-result__item")).to_have_count(count)
        assert not search_problems(visitor), search_problems(visitor)


def test_topic_alone_lists_its_papers_newest_first(filtering: Page, view: CatalogView):
    topic = next(topic for topic in view.catalog["topics"] if topic["name"] == "safety-security")
    choose(filtering, topic=topic["title"])
    expected = view.newest_first([paper for paper in view.catalog["papers"] if topic["name"] in paper["tags"]])
    assert shown(filtering) == (len(expected), expected)


def test_dump_range_keeps_the_papers_seen_in_it(filtering: Page, view: CatalogView):
    values = view.dump_values
    choose(filtering, first_dump=values[2], last_dump=values[1])  # either way round
    expected = view.newest_first([paper for paper in view.catalog["papers"] if view.dump_indexes(paper) & {1, 2}])
    assert shown(filtering) == (len(expected), expected)
    choose(filtering, first_dump=values[3])  # to the last dump
    expected = view.newest_first([paper for paper in view.catalog["papers"] if 3 in view.dump_indexes(paper)])
    assert shown(filtering) == (len(expected), expected)


def test_has_code_keeps_the_papers_linking_to_code(filtering: Page, view: CatalogView):
    choose(filtering, code=True)
    expected = view.newest_first([paper for paper in view.catalog["papers"] if view.has_code(paper)])
    assert shown(filtering) == (len(expected), expected)


def test_filters_narrow_a_query_and_counts_follow_it(filtering: Page, view: CatalogView, searcher: Visitor):
    query = "pre-training"
    matching = view.papers_at(all_results(filtering, searcher.base_url, query))
    search(filtering, query)
    assert shown(filtering)[0] == len(matching)
    assert code_count(filtering) == sum(map(view.has_code, matching))
    topics = {view.topic_title(name): sum(name in paper["tags"] for paper in matching)
              for name in {name for paper in matching for name in paper["tags"]}}
    assert {title: count for title, count in option_counts(filtering, "topic").items() if count} == topics

    topic = max(topics, key=lambda title: (topics[title], title))
    choose(filtering, topic=topic, first_dump=view.dump_values[1], code=True)
    kept = [paper for paper in matching if view.has_code(paper) and view.dump_indexes(paper) - {0}
            and topic in map(view.topic_title, paper["tags"])]
    count, urls = shown(filtering)
    assert (count, sorted(urls)) == (len(kept), sorted(map(view.url, kept))), f"{topic}: {urls}"
    assert code_count(filtering) == len(kept)
    # A select's counts are what choosing each value instead would list: a dump before the chosen first one, or
    # another topic, read as none.
    with_code = [paper for paper in matching if view.has_code(paper)]
    in_range = [paper for paper in with_code if view.dump_indexes(paper) - {0}]
    topics = {view.topic_title(name): sum(name in paper["tags"] for paper in in_range)
              for name in {name for paper in in_range for name in paper["tags"]}}
    assert {title: count for title, count in option_counts(filtering, "topic").items() if count} == topics
    of_topic = [paper for paper in with_code if topic in map(view.topic_title, paper["tags"])]
    dumps = {value: sum(index in view.dump_indexes(paper) for paper in of_topic)
             for index, value in enumerate(view.dump_values)}
    assert option_counts(filtering, "from") == dumps == option_counts(filtering, "to")
    assert dumps[view.dump_values[0]] > 0, "no paper of the first dump: the test tests nothing"


def test_closed_filters_do_not_apply(filtering: Page):
    search(filtering, "diffusion")
    everything = shown(filtering)
    choose(filtering, code=True, order="newest")
    assert shown(filtering)[0] < everything[0], "Has code kept every paper"
    filtering.click(".pc-search-toggle")
    filtering.wait_for_selector("[data-pc-search-result]:not([aria-busy])", state="attached")
    assert shown(filtering) == everything


def test_newest_first_orders_the_same_papers_by_dump(filtering: Page, view: CatalogView):
    search(filtering, "diffusion")
    count, by_relevance = shown(filtering)
    choose(filtering, order="newest")
    assert shown(filtering) == (count, view.newest_first(view.papers_at(by_relevance)))
    assert by_relevance != view.newest_first(view.papers_at(by_relevance)), "relevance is not newest first here"


def test_back_from_a_result_brings_back_the_filters_and_order(browser: Browser, site_url: str, view: CatalogView):
    """Back gave the words alone: the topic, dumps, code and order a reader chose were gone, and a filtered
    search could not be shared."""
    with open_visitor(browser, site_url) as visitor:
        page = visitor.page
        page.goto("topics/")
        search(page, "language")
        topic = view.topic_title(view.catalog["topics"][0]["name"])
        choose(page, topic=topic, first_dump=view.dump_values[1], code=True, order="newest")
        before = shown(page)
        assert before[0] > 0, "the filters leave no paper: choose others"
        page.click(".md-search-result__link >> nth=0")
        page.wait_for_url(lambda url: "/papers/" in url)
        page.go_back()
        page.wait_for_selector("[data-pc-search-result][data-pc-search-shown='language']:not([aria-busy])",
                               state="attached")
        assert page.get_attribute(".pc-search-toggle", "aria-expanded") == "true"
        assert [page.input_value(f"[data-pc-filter='{name}']") for name in ("topic", "from", "to", "order")] == \
            [topic, view.dump_values[1], "", "newest"]
        assert page.is_checked("[data-pc-filter='code']")
        assert shown(page) == before
        shared = page.url
        assert "order=newest" in shared and "code=yes" in shared and "to=" not in shared, shared
        page.goto("")
        page.goto(shared)
        page.wait_for_selector("[data-pc-search-shown='language']:not([aria-busy])", state="attached")
        assert shown(page) == before, "a shared address gives the same results"
        # An address without choices, reached without a page load (as instant navigation goes Back): the
        # choices set before stayed, and the search found nothing.
        page.evaluate("url => { history.pushState(null, '', url); document$.next(document); }",
                      visitor.base_url + "topics/?q=diffusion")
        page.wait_for_selector("[data-pc-search-shown='diffusion']:not([aria-busy])", state="attached")
        assert page.get_attribute(".pc-search-toggle", "aria-expanded") == "false"
        assert [page.input_value(f"[data-pc-filter='{name}']") for name in ("topic", "from", "to", "order")] == \
            ["", "", "", "relevance"] and not page.is_checked("[data-pc-filter='code']")
        unfiltered = shown(page)
        page.goto("topics/")
        search(page, "diffusion")
        assert shown(page) == unfiltered, "the same words in a fresh page"
        assert not search_problems(visitor), search_problems(visitor)


def test_filters_work_from_the_keyboard(searcher: Visitor):
    """Tab goes from the box to the filters, Enter opens them; a filter's keys are its own; Escape closes the
    search."""
    page = searcher.page
    page.goto("")
    page.keyboard.press("/")
    page.keyboard.type("model")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('.pc-search-toggle')"), "Tab did not reach the filters"
    page.keyboard.press("Enter")
    page.wait_for_selector("#pc-search-choices:not([hidden])")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches(\"[data-pc-filter='topic']\")"), "Tab did not reach the topic"
    page.keyboard.press("ArrowDown")  # a select's own key: picks the first topic, as a reader would
    page.wait_for_selector("[data-pc-search-result]:not([aria-busy])", state="attached")
    assert page.input_value("[data-pc-filter='topic']") != "", "ArrowDown did not choose a topic"
    assert page.evaluate("document.activeElement.matches(\"[data-pc-filter='topic']\")"), "focus left the filter"
    for _ in range(3):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches(\"[data-pc-filter='code']\")")
    page.keyboard.press(" ")
    page.wait_for_selector("[data-pc-search-result]:not([aria-busy])", state="attached")
    assert page.is_checked("[data-pc-filter='code']"), "Space did not tick Has code"
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked"), "Escape did not close search"


def test_search_filters_screenshot(browser: Browser, site_url: str, view: CatalogView):
    """The README's picture of the search filters (.github/screenshot-search-filters.png is a copy of this file)."""
    artefacts = PROJECT_ROOT / "test-artifacts" / "screenshots"
    artefacts.mkdir(parents=True, exist_ok=True)
    with open_visitor(browser, site_url, viewport={"width": 1280, "height": 800}, color_scheme="light") as visitor:
        page = visitor.page
        page.goto("")
        page.keyboard.press("/")
        search(page, "pre-training")
        choose(page, topic="Vision & language", first_dump=view.dump_values[1], code=True, order="newest")
        page.screenshot(path=str(artefacts / "search-filters-1280-light.png"))
        assert not search_problems(visitor), search_problems(visitor)


# ---- hostile titles -------------------------------------------------------------------------------------

HOSTILE_TITLES = ["<img src=x onerror=alert(1)>", "</title><script>alert(2)</script>"]
WAV2VEC_TITLE = "Speech representations with wav2vec 2.0 for zanzibar dialects"
# Longer than an excerpt (30 words), with a U+FEFF, which Pagefind does not split words at.
MARMALADE = ("Marmalade entities stay as written: &amp; &lt;b&gt; &#x3C;i&#x3E;, a bare & ampersand, and <mark>. "
             "One\ufefftwo. " + " ".join(f"filler{number}" for number in range(30)))
# Titles and an abstract that Pagefind reads differently from a browser, each found by its one unusual word.
SPELLED_OUT_TITLES = {
    "xylophonic": "Control\x01left\x1bright xylophonic title with a NUL \x00 in it",
    "quodlibetic": "Nbspy\u00a0\u00a0quodlibetic title\u00a0",
    "zwitterionic": "\u2003Emspace zwitterionic title \\u0041 with a backslash",
    "pyrrhic": "Entity &amp; pyrrhic &#60; title",
}
CONTROL_ABSTRACT = "Vexillology abstract with \x01 and \x0e controls, as written."
ACCENTED_TITLE = "FürElise: a title word with an accent its abstract does not have"
QWEN_TITLE = "Tuning Qwen2.5 for monsoon forecasts"
CARET_TITLE = "UniF^2ace: faces of the zanzibar archive"
NUMBER_TITLE = "Glimpse: Denoising Archives with 1 Sample"
NAMED_TITLE = "Zorbl 2: Segmenting Archives"
DECIMAL_TITLE = "Quokka Sampling with 1.5 Steps"
SPELLED_OUT_RECORDS = "\n\n".join(f"{title}\n\nAn abstract about {word}." for word, title in SPELLED_OUT_TITLES.items())
HOSTILE_DUMP = f"""Sep 3

{HOSTILE_TITLES[0]}

Zanzibar quokka abstract with <script>alert(3)</script> and <b onmouseover=alert(4)>bold</b> in it.

{HOSTILE_TITLES[1]}

Zanzibar quokka second abstract, plain.

{WAV2VEC_TITLE}

We fine-tune wav2vec 2.0 on recordings of zanzibar dialects.

Entities in a zanzibar abstract

{MARMALADE}

{SPELLED_OUT_RECORDS}

Vexillology paper

{CONTROL_ABSTRACT}

{ACCENTED_TITLE}

An abstract about a piano piece and nothing else.

{QWEN_TITLE}

We adapt Qwen2.5 to forecasts of the monsoon.

{CARET_TITLE}

A face model whose name holds a caret.

{NUMBER_TITLE}

Denoising in one step, for the zanzibar archive.

{NAMED_TITLE}

We present Zorbl 2, which segments archives.

Zorbl2Long: Zorbl 2 for Long Archives

Zorbl 2 segments short archives; we extend Zorbl 2 to long ones, as Zorbl 2 was not made for them.

Zorbl Archives in Volumes

We bind the zorbl archives in 2 volumes.

{DECIMAL_TITLE}

Sampling the quokka archive in one and a half steps.
"""
# A second dump of the same date: dump names then carry their file's first part, here `a&amp;b`.
SAME_DATE_DUMP = "Sep 3\n\nA paper of the second Sep 3 dump\n\nIts abstract, about heraldry.\n"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("search-hostile")
    dumps = copy_dumps(folder / "dumps")
    (dumps / "900_search_hostile.txt").write_text(HOSTILE_DUMP, encoding="utf-8")
    (dumps / "a&amp;b_same_date.txt").write_text(SAME_DATE_DUMP, encoding="utf-8")
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


def test_an_excerpt_shows_the_abstract_exactly(browser: Browser, hostile_site: str):
    """Pagefind's excerpt escapes < and > but not &: put in as HTML, `&amp;` showed as `&`."""
    with open_visitor(browser, hostile_site) as visitor:
        visitor.page.goto("")
        search(visitor.page, "marmalade")
        excerpt = visitor.page.locator(".pc-search-excerpt").first
        assert excerpt.text_content() == " ".join(MARMALADE.split(" ")[:30])
        assert excerpt.evaluate("node => [...node.children].map(child => child.outerHTML)") == ["<mark>Marmalade</mark>"]
        assert not search_problems(visitor), search_problems(visitor)


@pytest.mark.parametrize("word", SPELLED_OUT_TITLES)
def test_a_result_shows_the_title_exactly_as_its_page_does(browser: Browser, hostile_site: str, word: str):
    """Pagefind leaves a reference to a control character undecoded, and trims and joins a title's spaces."""
    with open_visitor(browser, hostile_site) as visitor:
        visitor.page.goto("")
        titles = [result.title for result in search(visitor.page, word)]
        assert titles[:1] == [SPELLED_OUT_TITLES[word].replace("\x00", "\ufffd")], titles
        assert not search_problems(visitor), search_problems(visitor)


def test_an_excerpt_shows_control_characters_as_written(browser: Browser, hostile_site: str):
    with open_visitor(browser, hostile_site) as visitor:
        visitor.page.goto("")
        search(visitor.page, "vexillology")
        assert visitor.page.locator(".pc-search-excerpt").first.text_content() == CONTROL_ABSTRACT


def test_a_dump_filter_shows_the_dump_name_as_written(browser: Browser, hostile_site: str):
    """Pagefind decodes a filter value twice: `a&amp;b` became `a&b`."""
    with open_visitor(browser, hostile_site) as visitor:
        visitor.page.goto("")
        search(visitor.page, "heraldry")
        choose(visitor.page)
        labels = visitor.page.eval_on_selector_all("[data-pc-filter='from'] option", "options => options.map(o => o.textContent)")
        assert "Sep 3 (a&amp;b) · 1" in labels, labels
        visitor.page.select_option("[data-pc-filter='from']", label="Sep 3 (a&amp;b) · 1")
        visitor.page.select_option("[data-pc-filter='to']", label="Sep 3 (a&amp;b) · 1")
        visitor.page.wait_for_selector("[data-pc-search-result]:not([aria-busy])", state="attached")
        results = search(visitor.page, "heraldry")
        assert [result.title for result in results] == ["A paper of the second Sep 3 dump"]
        assert results[0].seen == "Seen in Sep 3 (a&amp;b)", "the dump's name as written, in the result too"


def test_a_word_found_in_a_title_without_its_accent_is_not_called_unknown(browser: Browser, hostile_site: str):
    with open_visitor(browser, hostile_site) as visitor:
        page = visitor.page
        page.goto("")
        page.keyboard.press("/")
        assert [result.title for result in search(page, "FurElise")] == [ACCENTED_TITLE]
        page.wait_for_selector("[data-pc-search-checked='FurElise']", state="attached")
        assert "No paper" not in page.inner_text("[data-pc-search-meta]")


@pytest.mark.parametrize("query, title", [("Qwen 2.5", QWEN_TITLE), ("qwen2.5", QWEN_TITLE),
                                          ("Qwen 2.5 monsoon", QWEN_TITLE), ("qwen 2.5 monsoon", QWEN_TITLE),
                                          ("UniF^2ace", CARET_TITLE), (NUMBER_TITLE, NUMBER_TITLE),
                                          ("quokka with 1.5 steps", DECIMAL_TITLE)])
def test_a_name_and_its_version_typed_apart_find_it_written_closed_up(browser: Browser, hostile_site: str, query: str,
                                                                      title: str):
    """As the index holds them: `Qwen 2.5` joined as qwen25, in lower case too (a version with a point), a
    symbol inside a name dropped (unif2ace), a word in lower case before a whole number left apart (`with 1`),
    and a stop word before any number (`with 1.5` is no name and version)."""
    with open_visitor(browser, hostile_site) as visitor:
        visitor.page.goto("")
        visitor.page.keyboard.press("/")
        assert title in [result.title for result in search(visitor.page, query)[:3]], query


@pytest.mark.parametrize("query", ["Zorbl 2", "zorbl2", "zorbl 2"])
def test_the_paper_a_query_names_comes_first(browser: Browser, hostile_site: str, query: str):
    """`SAM 2` ranked *SAM 2: Segment Anything in Images and Videos* seventh of the real catalog, below papers
    that build on it and say its name more often. In lower case (`sam 2`) it found 997 papers with `sam` and
    `2` anywhere: a name papers write before a version is joined to it in lower case too."""
    with open_visitor(browser, hostile_site) as visitor:
        visitor.page.goto("")
        visitor.page.keyboard.press("/")
        assert [result.title for result in search(visitor.page, query)] == [
            NAMED_TITLE, "Zorbl2Long: Zorbl 2 for Long Archives"], query


@pytest.mark.parametrize("query", ["wav2vec 2.0", "wav2vec2", "wav2vec", "wav2vec 2"])
def test_versioned_model_name_found_by_parts_and_whole(browser: Browser, hostile_site: str, query: str):
    """No real paper says "wav2vec 2.0", so the hostile build carries one."""
    with open_visitor(browser, hostile_site) as visitor:
        visitor.page.goto("")
        titles = [result.title for result in search(visitor.page, query)[:3]]
        assert WAV2VEC_TITLE in titles, f"{query!r}: expected {WAV2VEC_TITLE!r} in the top three, got {titles}"


# ---- a catalog searched in parts ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def parted_site(tmp_path_factory) -> Iterator[str]:
    """The bundled dumps built in three search parts (dump 0; dumps 1 and 2; dump 3), as a catalog past 12,500
    records is: each part is a Pagefind index of its own."""
    folder = tmp_path_factory.mktemp("search-parts")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(layout, "SEARCH_PART_RECORDS", 100)
        built = build_into(folder, copy_dumps(folder / "dumps"))
    assert json.loads((built.site / SEARCH_PARTS_PATH).read_text(encoding="utf-8")) == ["0", "1", "2"]
    with serve(built.site) as url:
        yield url


def test_a_catalog_in_parts_names_no_version(browser: Browser, parted_site: str):
    """A part without a version searches the name's start, whatever the others hold, and its papers can fill
    the first page: the hint would say that no paper has a version some paper has."""
    with open_visitor(browser, parted_site) as visitor:
        page = visitor.page
        page.goto("")
        for query, hint in [("GPT 6 poker", ""), ("Difusion models", "no paper has the word “difusion”.")]:
            search(page, query)
            page.wait_for_selector(f"[data-pc-search-checked={json.dumps(query)}]", state="attached")
            said = " ".join(page.inner_text("[data-pc-search-meta]").split())
            assert (hint in said.lower()) if hint else "no paper" not in said.lower(), (query, said)


def test_parts_are_searched_as_one_index(browser: Browser, parted_site: str, site_url: str, view: CatalogView):
    """Every paper the one index of the same catalog finds, exactly those for a word of a title, the papers
    each query should find near the top, the same counts, and newest first in the same order."""
    with open_visitor(browser, parted_site) as parted, open_visitor(browser, site_url) as whole:
        for visitor in (parted, whole):
            visitor.page.goto("")
        page = parted.page
        for query, paper in QUERIES:
            urls = [result.url for result in search(page, query)[:3]]
            assert f"/papers/{paper}/" in urls, f"{query!r}: expected /papers/{paper}/ in the top three, got {urls}"
            in_parts = all_results(page, parted_site, query)
            assert set(all_results(whole.page, site_url, query)) <= set(in_parts), query
            assert int(page.text_content("[data-pc-search-meta]").split()[0]) == len(in_parts), query
        # Title words of one part only: without every part's vocabulary document, another part would answer with
        # papers on their start (`self` for `selfie`).
        for query in ("Selfie", "UNITER", "Titan", "layercake"):
            for visitor in (parted, whole):
                search(visitor.page, query)
                visitor.page.wait_for_selector(f"[data-pc-search-checked={json.dumps(query)}]", state="attached")
            in_whole = all_results(whole.page, site_url, query)
            assert sorted(all_results(page, parted_site, query)) == sorted(in_whole), query
            said = count_said(page)
            assert said == count_said(whole.page), query
            if said.endswith(" for "):  # a word no paper has (`layercake`), searched corrected in both
                in_whole = all_results(whole.page, site_url, page.text_content("[data-pc-search-meta] strong"))
            assert said.startswith(f"{len(in_whole)} "), (query, said)
        for visitor in (parted, whole):
            visitor.page.goto("")
            visitor.page.keyboard.press("/")
            choose(visitor.page)
        for control in ("topic", "from"):
            assert option_counts(page, control) == option_counts(whole.page, control), control
        topic = view.topic_title("safety-security")
        choose(page, topic=topic)
        expected = view.newest_first([paper for paper in view.catalog["papers"] if "safety-security" in paper["tags"]])
        assert shown(page) == (len(expected), expected)
        search(page, "diffusion")
        choose(page, order="newest")
        count, urls = shown(page)
        assert (count, urls) == (len(urls), view.newest_first(view.papers_at(urls))) and count > 5
        for visitor in (parted, whole):  # a query, a topic, a range of dumps and code, with their counts
            search(visitor.page, "pre-training")
            choose(visitor.page, topic=view.topic_title("language-models"), first_dump=view.dump_values[1], code=True)
        (in_parts, urls), (in_whole, whole_urls) = shown(page), shown(whole.page)
        assert in_parts == in_whole > 0 and sorted(urls) == sorted(whole_urls)
        assert option_counts(page, "from") == option_counts(whole.page, "from")
        assert code_count(page) == code_count(whole.page)
        assert not search_problems(parted), search_problems(parted)



def test_dated_dumps_are_grouped_by_month_in_the_dump_filter(browser: Browser, tmp_path: Path):
    """Two years of daily dumps made each end of the range a list of 600 days: where every dump's name gives
    its day, the days come under their months, newest first (the bundled, undated dumps stay one list)."""
    built = build_dated_dumps(tmp_path, [("2026-07-30", "Jul 30"), ("2026-07-31", "Jul 31"), ("2026-08-01", "Aug 1")])
    with serve(built.site) as url, open_visitor(browser, url) as visitor:
        page = visitor.page
        page.goto("")
        page.keyboard.press("/")
        choose(page)
        for end in ("from", "to"):
            groups = page.eval_on_selector_all(f"[data-pc-filter='{end}'] optgroup", "groups => groups.map(group => "
                                               "[group.label, [...group.children].map(option => option.value)])")
            assert groups == [["Aug 2026", ["0002 Aug 1, 2026"]],
                              ["Jul 2026", ["0001 Jul 31, 2026", "0000 Jul 30, 2026"]]], groups
        choose(page, first_dump="0001 Jul 31, 2026")
        assert sorted(result.title for result in search(page, "graphs")) == ["Paper 1 on graphs", "Paper 2 on graphs"]
        assert not search_problems(visitor), search_problems(visitor)


def test_results_mark_the_papers_the_reader_starred_or_read(browser: Browser, site_url: str, catalog: dict):
    """Listings mark them; search results did not, so a reader searching opened papers read before."""
    starred, read, other = [paper for paper in catalog["papers"] if "masked" in paper["title"].lower()][:3]
    with open_visitor(browser, site_url) as visitor:
        page = visitor.page
        page.goto("")
        page.evaluate("""([starred, read]) => {
            localStorage.setItem('papercat:starred', JSON.stringify({[starred]: {id: starred, title: 'x', url: 'x'}}));
            localStorage.setItem('papercat:read', JSON.stringify({[read]: '2026-01-01T00:00:00Z'}));
        }""", [starred["id"], read["id"]])
        page.keyboard.press("/")
        search(page, "masked")
        marks = page.eval_on_selector_all(".md-search-result__item", """items => Object.fromEntries(items.map(item => [
            item.querySelector("a").getAttribute("href").split("/").filter(Boolean).pop(),
            [item.classList.contains("pc-is-starred"), item.classList.contains("pc-is-read"),
             getComputedStyle(item.querySelector(".pc-search-title"), "::after").content]]))""")
        assert marks[starred["id"]][0] and "★" in marks[starred["id"]][2], marks[starred["id"]]
        assert marks[read["id"]][1] and not marks[read["id"]][0], marks[read["id"]]
        assert marks[other["id"]][:2] == [False, False], marks[other["id"]]
        assert not search_problems(visitor), search_problems(visitor)


def test_a_result_is_starred_and_marked_read_where_it_is(browser: Browser, site_url: str):
    """A reader sweeping a subject opened each paper to star it, and came back (a reader's review): each result
    has a listing's Star and Mark read, beside its link, and the search stays open."""
    with open_visitor(browser, site_url) as visitor:
        page = visitor.page
        page.goto("?q=masked")
        page.wait_for_selector("[data-pc-search-shown='masked']:not([aria-busy])", state="attached")
        first = page.locator(".md-search-result__item").first
        paper_id = first.locator("a.md-search-result__link").get_attribute("href").split("/")[-2]
        title = first.locator(".pc-search-title").text_content()
        star = first.locator("button.pc-star")
        expect(star).to_have_accessible_name(f"Star: {title}")
        star.click()
        expect(star).to_have_attribute("aria-pressed", "true")
        expect(first).to_have_class(re.compile(r"\bpc-is-starred\b"))
        first.locator("button.pc-read").click()
        expect(first).to_have_class(re.compile(r"\bpc-is-read\b"))
        stored = page.evaluate("[localStorage.getItem('papercat:starred'), localStorage.getItem('papercat:read')]")
        assert paper_id in json.loads(stored[0]) and paper_id in json.loads(stored[1])
        assert json.loads(stored[0])[paper_id]["title"] == title
        assert page.is_checked("#__search"), "starring closed the search"
        # From the keyboard: Down and Up go result by result (walking each result's buttons too took three
        # presses a result, a reader's review), Right and Left along a result to its buttons; Space presses one
        # (it was typed into the box), and Tab never lands on a hidden result's button.
        second = page.locator(".md-search-result__item").nth(1)
        page.focus("[data-pc-search-query]")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowRight")
        expect(first.locator("button.pc-star")).to_be_focused()
        page.keyboard.press("ArrowDown")  # from a result's button, the next result's link
        expect(second.locator("a.md-search-result__link")).to_be_focused()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")  # past its last button, it stays
        expect(second.locator("button.pc-read")).to_be_focused()
        page.keyboard.press("ArrowLeft")
        expect(second.locator("button.pc-star")).to_be_focused()
        page.keyboard.press(" ")
        expect(second.locator("button.pc-star")).to_have_attribute("aria-pressed", "true")
        assert page.input_value("[data-pc-search-query]") == "masked"
        assert page.evaluate("[...document.querySelectorAll('.md-search-result__item button')].every(b => b.tabIndex === -1)")
        assert not search_problems(visitor), search_problems(visitor)
