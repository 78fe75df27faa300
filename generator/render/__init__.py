"""Render stage: every generated file of the site, as (path in docs_dir, bytes)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..catalog import Catalog
from ..enrich import Enrichment
from . import layout
from .exports import catalog_csv, catalog_json
from .feeds import render_feeds
from .pages import SiteData, page_is_current, render_pages
from .sitemap import render_sitemap
from .watch import watch_files


def generated_files(catalog: Catalog, enrichment: Enrichment, templates_dir: Path, built: str,
                    site_url: str | None, hand_written_pages: list[str],
                    docs_dir: Path) -> Iterator[tuple[str, bytes | None]]:
    """Pages, feeds, exports and the sitemap; `built` (YYYY-MM-DD) dates the home page and feeds, and the
    sitemap also lists `hand_written_pages` (Markdown paths in docs_dir). A page `docs_dir` already holds as
    it would be rendered again comes as (path, None)."""
    site = SiteData(catalog, enrichment)
    urls = [layout.url_of(path) for path in hand_written_pages]
    for path, text in render_pages(site, templates_dir, built, page_is_current(docs_dir)):
        urls.append(layout.url_of(path))
        yield path, None if text is None else text.encode("utf-8")
    yield from render_sitemap(urls, site_url or "")
    yield from render_feeds(site, templates_dir, built)
    yield "catalog.json", catalog_json(catalog, enrichment)
    yield "papers.csv", catalog_csv(catalog, enrichment)
    yield from watch_files(catalog, enrichment)
