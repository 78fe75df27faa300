"""Render stage: every generated file of the site, as (path in docs_dir, bytes)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..catalog import Catalog
from ..enrich import Enrichment
from .exports import catalog_csv, catalog_json
from .feeds import render_feeds
from .pages import SiteData, render_pages


def generated_files(catalog: Catalog, enrichment: Enrichment, templates_dir: Path,
                    built: str) -> Iterator[tuple[str, bytes]]:
    """Pages, feeds and exports; `built` (YYYY-MM-DD) dates the feeds."""
    site = SiteData(catalog, enrichment)
    for path, text in render_pages(site, templates_dir):
        yield path, text.encode("utf-8")
    yield from render_feeds(site, templates_dir, built)
    yield "catalog.json", catalog_json(catalog, enrichment)
    yield "papers.csv", catalog_csv(catalog, enrichment)
