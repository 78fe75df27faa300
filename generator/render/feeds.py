"""Atom feeds: the newest papers of the catalog, and of each topic."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..catalog import Paper
from . import layout
from .escape import xml_text
from .pages import SiteData, template_environment

# A feed is polled for what is new: more entries than any day's dump has (at most 50 in two years of Daily
# Papers), so a reader who polls daily misses nothing, and few enough that 38 feeds stay small at any
# catalog size (at 250 entries they were 15 MB, a twentieth of a 10,000-paper site).
FEED_ENTRIES = 100
EMPTY_SITEMAP = b'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>\n'


def render_feeds(site: SiteData, templates_dir: Path, built: str) -> Iterator[tuple[str, bytes]]:
    environment = template_environment(templates_dir, escape_text=xml_text)
    template = environment.get_template("feed.xml.j2")
    newest_first = sorted(site.catalog.papers, key=site.recency_key)
    # Material's instant navigation reads every <link rel="alternate"> as a language version of the site and
    # fetches sitemap.xml beside it: an empty one spares every page a failed request.
    yield "feeds/sitemap.xml", EMPTY_SITEMAP
    yield layout.feed_url(), render_feed(template, site, "All papers", "all", newest_first, built)
    for topic in site.enrichment.taxonomy.topics:
        yield (layout.feed_url(topic.name),
               render_feed(template, site, topic.title, topic.name, site.papers_by_topic[topic.name], built))
    yield from render_retired_feeds(site, environment, built)


def render_retired_feeds(site: SiteData, environment, built: str) -> Iterator[tuple[str, bytes]]:
    """A retired topic's feed keeps its address, with one entry that points subscribers to its replacements."""
    taxonomy = site.enrichment.taxonomy
    template = environment.get_template("retired_feed.xml.j2")
    for retired in taxonomy.retired:
        replacements = [taxonomy.by_name(name) for name in retired.replaced_by]
        yield layout.feed_url(retired.name), template.render(
            retired=retired, replacements=replacements, updated=f"{built}T00:00:00Z", root="../").encode("utf-8")


def render_feed(template, site: SiteData, title: str, feed_id: str, papers: list[Paper], built: str) -> bytes:
    entries = [(paper, site.topics_of(paper)) for paper in papers[:FEED_ENTRIES]]
    return template.render(title=title, feed_id=feed_id, entries=entries,
                           updated=f"{built}T00:00:00Z", root="../").encode("utf-8")
