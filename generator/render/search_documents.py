"""Render stage, what Pagefind indexes: one small HTML document per paper (templates/search.html.j2), with the
spelling variants of its words (generator/text.py), and in a catalog searched in parts, each part's vocabulary
document."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, Template

from ..text import MAX_READ_CHARS, search_variants
from . import layout
from .escape import pagefind_filter_value, pagefind_keeps_spaces, pagefind_spaced_text, pagefind_text
from .pages import TopicLabel, template_environment

if TYPE_CHECKING:
    from . import KnownPages
    from .pages import SiteData


def render_search_documents(site: SiteData, templates_dir: Path, known: KnownPages) -> Iterator[tuple[str, str]]:
    """One small HTML document per paper, at its page's address in its search part's folder, holding what search
    indexes of it: Pagefind reads these instead of the built site, so it can run while MkDocs builds."""
    template = search_environment(templates_dir).get_template("search.html.j2")
    for paper in site.catalog.papers:
        path = layout.search_document_path(site.search_part(paper), paper.id)
        topics = [(TopicLabel(topic.name, topic.title), assignment) for topic, assignment in site.topics_of(paper)]
        inputs = {"paper": paper, "topics": topics,
                  "dumps": [site.dump_filter_values[dump_id] for dump_id in paper.dump_ids],
                  "has_code": paper.id in site.enrichment.papers_with_code, "newest_key": site.newest_first_key(paper),
                  "name": name_key(report_name(paper.title)),
                  # Pagefind ends such an abstract with a full stop, which search.js takes off again.
                  "open_end": not paper.abstract.endswith(".")}
        yield path, known.page("search", path, inputs, partial(search_document, template, inputs))
    if len(site.search_parts) > 1:
        words = search_vocabulary([paper.title for paper in site.catalog.papers],
                                  [topic.title for topic in site.enrichment.taxonomy.topics])
        vocabulary = search_vocabulary_document(templates_dir, words)
        for part in site.search_parts:
            yield layout.search_vocabulary_path(part), vocabulary


# A title that is a name and the kind of document it is: `Qwen3 Technical Report`, `GPT-4o System Card`, `The
# Llama 3 Herd of Models`.
REPORT_TITLE = re.compile(r"(?:The )?(?P<name>[^:]+?) (?:Technical Report|Tech Report|Technique Report|System Card|"
                          r"Model Card|Herd of Models)", re.IGNORECASE)


def report_name(title: str) -> str:
    """The name a report's title gives (REPORT_TITLE), or "", its spaces as single spaces: the paper that is the
    name's own report. Search weighs it three times the topics (site_src/assets/search-parts.js, as one word:
    name_key), which brings the report among the first results, and puts the paper first for it
    (site_src/assets/search.js): for `Qwen3`, *Qwen3 Technical Report* ranked below the first ten, under papers
    on Qwen3-VL and Qwen3-Omni, which say the name more often. Spaces are made single first: runs of them took
    the pattern a time of their square."""
    match = REPORT_TITLE.fullmatch(" ".join(title.split()))
    return match["name"] if match else ""


def name_key(name: str) -> str:
    """A name as search compares names (site_src/assets/search.js, nameKey): its letters and digits, in lower
    case, accents folded (`Qwen2.5-VL` is qwen25vl). As one word, the name is found by a query of it (`Qwen2.5-VL`
    or `qwen25vl`, as search joins a name and its version) and by the start of it (`Qwen2.5`), not by a word
    inside it: `multimodal` brought up *Douyin Multimodal Embedding Model Technical Report* first."""
    folded = unicodedata.normalize("NFD", name)
    return "".join(char for char in folded if char.isalnum() and not unicodedata.category(char).startswith("M")).lower()


def search_vocabulary(titles: list[str], topic_titles: list[str]) -> list[str]:
    """Every word of the papers' titles, of their search variants and of the topics' titles, as written, in
    order. Each search part holds them all in a document the search leaves out
    (templates/search_vocabulary.html.j2): Pagefind searches a word missing from an index as the longest start
    of it the index has (`selfie` as `self`), which one index of the whole catalog does only for a word no
    paper has, but a part would do for every word its papers lack. A title's words are what a reader searches
    a paper by (its name above all); every abstract's words in every part made a typed query of four words
    five times slower at 50,000 papers (README, *Search*)."""
    words = {word for title in topic_titles for word in title.split()}
    for title in titles:
        words.update(title.split())
        words.update(search_variants(title, "").split())
    return sorted(words)


def search_vocabulary_document(templates_dir: Path, words: list[str]) -> str:
    return search_environment(templates_dir).get_template("search_vocabulary.html.j2").render(words=" ".join(words))


def search_environment(templates_dir: Path) -> Environment:
    """The environment of the documents Pagefind indexes, which it reads differently from a browser."""
    environment = template_environment(templates_dir, escape_text=pagefind_text)
    environment.filters["filter_value"] = pagefind_filter_value
    return environment


def search_document(template: Template, inputs: dict) -> str:
    paper = inputs["paper"]
    spaced_title = "" if pagefind_keeps_spaces(paper.title) else pagefind_spaced_text(paper.title)
    return template.render(**inputs, **variants_by_place(paper.title, paper.abstract[:MAX_READ_CHARS]),
                           spaced_title=spaced_title)


def variants_by_place(title: str, abstract: str) -> dict[str, str]:
    """search_variants of the title, which search weighs as the title (`SAM 2` gives sam2, which the query
    `SAM 2` is searched as: as an abstract's, SAM2Long's title ranked above *SAM 2: Segment Anything*), and
    those only the abstract adds."""
    in_title = search_variants(title, "")
    shown = set(in_title.split())
    return {"title_variants": in_title,
            "search_variants": " ".join(word for word in search_variants("", abstract).split() if word not in shown)}
