"""Render stage: the enriched catalog -> every file papercat generates, as bytes. A pure function: the same
catalog gives the same bytes, and nothing here reads what an earlier build wrote."""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..catalog import Catalog
from ..enrich import Enrichment
from . import layout
from .exports import catalog_csv, catalog_json
from .feeds import render_feeds
from .pages import SiteData, render_listings, render_paper_pages
from .search_documents import render_search_documents, search_environment
from .sitemap import render_sitemap
from .watch import dump_file, paper_chunk_files, watch_list_files


class KnownPages(Protocol):
    """Pages an earlier render made (generator/incremental.py keeps them): `page` returns what `render` returns,
    reusing what it made for the same path of `folder` ("docs" or "search", as in RenderedSite) from the same
    inputs. Inputs are plain values (text, numbers, frozen dataclasses and sequences of them): their repr says
    everything the page shows."""

    def page(self, folder: str, path: str, inputs: object, render: Callable[[], str]) -> str: ...


class RenderEveryPage:
    def page(self, folder: str, path: str, inputs: object, render: Callable[[], str]) -> str:
        return render()


RENDER_EVERY_PAGE = RenderEveryPage()


@dataclass(frozen=True)
class SiteSettings:
    """What mkdocs.yml says of the site that generated files show: its address (`site_url`, None if unset),
    which the sitemap and the feeds' links need, and its name (`site_name`), which the feeds' titles carry."""

    url: str | None = None
    name: str = "papercat"


@dataclass(frozen=True)
class RenderedSite:
    docs: dict[str, bytes]  # path in the MkDocs docs folder -> content: pages, feeds, exports, sitemap
    search: dict[str, bytes]  # path in the search documents' folder -> what Pagefind indexes of each paper


def render_site(catalog: Catalog, enrichment: Enrichment, templates_dir: Path, built: str,
                settings: SiteSettings, hand_written_pages: list[str],
                known: KnownPages = RENDER_EVERY_PAGE) -> RenderedSite:
    """Everything papercat generates, as one pure function of the enriched catalog (generator/build.py calls its
    parts apart, to run them beside related papers and Pagefind). `built` (YYYY-MM-DD) dates the home page and
    feeds; the sitemap also lists `hand_written_pages` (Markdown paths in the docs folder). `known` may hand
    back paper pages made before from the same inputs: the result is the same either way."""
    docs = site_docs(render_lists(catalog, enrichment, templates_dir, built, settings),
                     render_papers(catalog, enrichment, templates_dir, known), hand_written_pages, settings.url)
    return RenderedSite(docs, render_search(catalog, enrichment, templates_dir, known))


def site_docs(lists: dict[str, bytes], papers: dict[str, bytes], hand_written_pages: list[str],
              site_url: str | None) -> dict[str, bytes]:
    """The docs folder's generated files from what render_lists and render_papers made, with the sitemap of their
    pages and `hand_written_pages`: the build renders the two apart, beside related papers and Pagefind, and
    joins them here as render_site does."""
    docs = lists | papers
    pages = [path for path in docs if path.endswith(".md")]
    return docs | dict(render_sitemap([layout.url_of(path) for path in [*hand_written_pages, *pages]], site_url or ""))


def render_lists(catalog: Catalog, enrichment: Enrichment, templates_dir: Path, built: str,
                 settings: SiteSettings) -> dict[str, bytes]:
    """The listing pages, the feeds, the Watch files of words, topics and ids, and the list of search parts: none
    shows related papers, so `enrichment` need not hold them yet (the build renders these while related papers
    are found)."""
    site = SiteData(catalog, enrichment)
    docs = {path: text.encode("utf-8") for path, text in render_listings(site, templates_dir, built)}
    docs.update(render_feeds(site, templates_dir, built, settings.url, settings.name))
    docs.update(watch_list_files(catalog, enrichment))
    docs[layout.WATCH_DUMPS_PATH] = dump_file(catalog, site.dump_names)
    docs[layout.SEARCH_PARTS_PATH] = json.dumps(site.search_parts).encode("ascii")
    return docs


def render_papers(catalog: Catalog, enrichment: Enrichment, templates_dir: Path,
                  known: KnownPages = RENDER_EVERY_PAGE) -> dict[str, bytes]:
    """What shows related papers or near pairs: the paper pages, the maintainers' page, the exports and the
    Watch files of papers."""
    site = SiteData(catalog, enrichment)
    docs = {path: text.encode("utf-8") for path, text in render_paper_pages(site, templates_dir, known)}
    docs[layout.CATALOG_JSON_PATH] = catalog_json(catalog, enrichment)
    docs[layout.PAPERS_CSV_PATH] = catalog_csv(catalog, enrichment)
    docs.update(paper_chunk_files(catalog, enrichment))
    return docs


def render_search(catalog: Catalog, enrichment: Enrichment, templates_dir: Path,
                  known: KnownPages = RENDER_EVERY_PAGE) -> dict[str, bytes]:
    """The search documents, one per paper, as Pagefind indexes them; `known` as in render_site."""
    site = SiteData(catalog, enrichment)
    return {path: text.encode("utf-8") for path, text in render_search_documents(site, templates_dir, known)}


def compile_templates(templates_dir: Path) -> None:
    """Compile every page template of `templates_dir` (not the theme's overrides, which MkDocs reads): a syntax
    error, or a filter Jinja2 does not know, raises as it would in a build, without rendering anything."""
    environment = search_environment(templates_dir)  # it knows every filter the templates use
    for name in environment.list_templates(filter_func=lambda name: "/" not in name and name.endswith(".j2")):
        environment.get_template(name)
