"""Atom feeds: the newest papers of the catalog, and of each topic."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..catalog import Paper
from . import layout
from .escape import xml_text
from .pages import SiteData, template_environment
from .sitemap import NAMESPACE, xml_file

EMPTY_SITEMAP = xml_file(f'<urlset xmlns="{NAMESPACE}"/>\n')


def render_feeds(site: SiteData, templates_dir: Path, built: str, site_url: str | None,
                 site_name: str) -> Iterator[tuple[str, bytes]]:
    """The feeds; their links are absolute under `site_url` where it is set, as some feed readers resolve no
    relative link (Atom allows them, against the feed's own address)."""
    environment = template_environment(templates_dir, escape_text=xml_text)
    environment.globals.update(root=site_url.rstrip("/") + "/" if site_url else "../", site_name=site_name)
    template = environment.get_template("feed.xml.j2")
    newest_first = sorted(site.catalog.papers, key=site.recency_key)
    dates = FeedDates(site, built)
    # Material's instant navigation reads every <link rel="alternate"> as a language version of the site and
    # fetches sitemap.xml beside it: an empty one spares every page a failed request.
    yield layout.FEEDS_SITEMAP_PATH, EMPTY_SITEMAP
    yield layout.feed_url(), render_feed(template, site, dates, "All papers", "all", "", newest_first)
    for topic in site.enrichment.taxonomy.topics:
        papers = site.papers_by_topic[topic.name]
        yield (layout.feed_url(topic.name),
               render_feed(template, site, dates, topic.title, topic.name, layout.topic_url(topic.name), papers))
    yield from render_retired_feeds(site, environment, dates)


@dataclass(frozen=True)
class FeedDates:
    """Atom's dates, as `YYYY-MM-DDT00:00:00Z`. A paper was published on the day of its first dump and updated
    on the day of its newest, where the dumps' file names give their days (parse.calendar_date); otherwise
    both are the build's day, the only day papercat knows. A feed was updated when its newest entry was."""

    site: SiteData
    built: str

    def of_dump(self, dump_id: str) -> str:
        return f"{self.site.dumps_by_id[dump_id].calendar_date or self.built}T00:00:00Z"

    def published(self, paper: Paper) -> str:
        return self.of_dump(paper.records[0].dump_id)

    def updated(self, paper: Paper) -> str:
        return self.of_dump(paper.records[-1].dump_id)

    def newest(self) -> str:
        """The day of the catalog's newest dump."""
        return self.of_dump(self.site.catalog.dumps[-1].id)


def render_retired_feeds(site: SiteData, environment, dates: FeedDates) -> Iterator[tuple[str, bytes]]:
    """A retired topic's feed keeps its address, with one entry that points subscribers to its replacements."""
    taxonomy = site.enrichment.taxonomy
    template = environment.get_template("retired_feed.xml.j2")
    for retired in taxonomy.retired:
        replacements = [taxonomy.by_name(name) for name in retired.replaced_by]
        yield layout.feed_url(retired.name), template.render(
            retired=retired, replacements=replacements, updated=dates.newest()).encode("utf-8")


def render_feed(template, site: SiteData, dates: FeedDates, title: str, feed_id: str, page: str,
                papers: list[Paper]) -> bytes:
    """The feed of `papers` (newest first): "all" papers, or those of the topic `feed_id` names, whose page is at
    `page` (a path from the site's root)."""
    entries = [(paper, site.topics_of(paper), dates.published(paper), dates.updated(paper))
               for paper in papers[:layout.FEED_ENTRIES]]
    updated = max((entry_updated for *_, entry_updated in entries), default=dates.newest())
    return template.render(title=title, feed_id=feed_id, page=page, entries=entries, updated=updated).encode("utf-8")
