"""Render stage, pages for one reader: the papers with code, and the Watch and For you pages, which
site_src/assets/watch.js and for-you.js fill from this browser's storage and the files of watch.py."""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from jinja2 import Environment

from . import layout

if TYPE_CHECKING:
    from .pages import SiteData


def render_reader_pages(site: SiteData, environment: Environment) -> Iterator[tuple[str, str]]:
    """The papers with code (most recent dump first, paginated), then the Watch and For you pages."""
    from .pages import index_meta, page  # pages.py calls this module: imported on use

    with_code = sorted((paper for paper in site.catalog.papers if paper.id in site.enrichment.papers_with_code),
                       key=site.recency_key)
    for listing in layout.paginate(with_code):
        yield page(environment, "code.md.j2", layout.code_url(listing.number),
                   index_meta("Papers with code", listing.number), listing=listing, paper_count=len(with_code),
                   page_url=layout.code_url)
    topics = sorted(site.enrichment.taxonomy.topics, key=lambda topic: topic.title.casefold())
    yield page(environment, "watch.md.j2", layout.WATCH_URL, index_meta("Watch"), topics=topics)
    yield page(environment, "for_you.md.j2", layout.FOR_YOU_URL, index_meta("For you"))
