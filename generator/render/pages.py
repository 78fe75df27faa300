"""Render stage: the enriched catalog -> the Markdown pages MkDocs builds, as (path, text) pairs."""
from __future__ import annotations

import calendar
import difflib
import itertools
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..catalog import Catalog, Paper
from ..enrich import Enrichment
from ..enrich.topics import Topic
from ..mkdocs_hooks import RAW_HTML
from ..parse import MONTHS, Dump
from . import layout
from .charts import horizontal_bars, stacked_bars
from .escape import (
    escaping_finalizer,
    front_matter,
    html_button_link,
    html_link,
    html_text,
    html_text_with_links,
    page_title,
)
from .fragments import Fragments, reads_otherwise
from .reader_pages import render_reader_pages
from .sentences import key_sentence, truncate

if TYPE_CHECKING:
    from . import KnownPages

DESCRIPTION_MAX_CHARS = 200
# The home page's banner for a reader back after some days lists the newest dumps they have not seen, up to this
# many (the dumps index marks every one).
NEW_DUMPS_LISTED = 30
# The maintainers' page lists the strongest cases only, so it stays one quick page at any catalog size.
MAINTAINER_ROWS = 300
# The recurring page is a table with a column per dump up to this many dumps, then a listing.
RECURRING_MATRIX_MAX_DUMPS = 12
# Search filters and sorts by a dump's number in zero-padded text (a daily dump for 27 years fits in four
# digits), and sorts by a paper's place in its dump (no dump holds 100,000 papers).
DUMP_NUMBER_DIGITS = 4
DUMP_POSITION_DIGITS = 5


def template_environment(templates_dir: Path, escape_text=html_text, macros: bool = False) -> Environment:
    """Jinja2 with every printed value escaped by `escape_text`, unless it is Markup: no template can forget to.

    Only templates that call macros (`macros=True`) need Jinja2's own autoescape as well, which marks what a
    macro returns as Markup; elsewhere it would escape again what `escape_text` made, a fifth of the time of
    paper pages, search documents and feeds. A macro called without it, or HTML joined with `~`, would print
    escaped: tests/test_hostile.py checks that those templates use neither."""
    environment = Environment(
        loader=FileSystemLoader(templates_dir), autoescape=macros, finalize=escaping_finalizer(escape_text),
        undefined=StrictUndefined, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
    )
    environment.globals.update(layout=layout, html_link=html_link, html_button_link=html_button_link,
                               html_text_with_links=html_text_with_links)
    environment.filters.update(thousands="{:,}".format, day=day_name)
    return environment


def day_name(iso_day: str) -> str:
    """`2026-12-05` as pages write days: `Dec 5, 2026`."""
    year, month, day = iso_day.split("-")
    return f"{MONTHS[int(month) - 1]} {int(day)}, {year}"


@dataclass(frozen=True)
class SiteData:
    """What every page template may look up: the catalog, its enrichment and derived orderings."""

    catalog: Catalog
    enrichment: Enrichment

    @cached_property
    def dumps_by_id(self) -> dict[str, Dump]:
        return {dump.id: dump for dump in self.catalog.dumps}

    def topics_of(self, paper: Paper) -> list:
        """(topic, assignment) pairs for the paper, strongest first."""
        taxonomy = self.enrichment.taxonomy
        return [(taxonomy.by_name(assignment.topic), assignment)
                for assignment in self.enrichment.topics_by_paper.get(paper.id, ())]

    @cached_property
    def papers_by_topic(self) -> dict[str, list[Paper]]:
        """Each topic's papers, most recent dump first, then by their place in that dump."""
        grouped: dict[str, list[Paper]] = {topic.name: [] for topic in self.enrichment.taxonomy.topics}
        for paper in self.catalog.papers:
            for assignment in self.enrichment.topics_by_paper.get(paper.id, ()):
                grouped[assignment.topic].append(paper)
        for papers in grouped.values():
            papers.sort(key=self.recency_key)
        return grouped

    @cached_property
    def topics_by_size(self) -> list[Topic]:
        """The topics, most papers first (then by name): the Topics page's order and the home page chart's."""
        return sorted(self.enrichment.taxonomy.topics,
                      key=lambda topic: (-len(self.papers_by_topic[topic.name]), topic.name))

    @cached_property
    def same_abstract(self) -> dict[str, list[tuple[str, float]]]:
        """(the other paper's id, how alike) for each paper whose abstract is nearly another's, most alike first."""
        others: dict[str, list[tuple[str, float]]] = {}
        for pair in self.enrichment.near_pairs:
            if pair.same_abstract:
                others.setdefault(pair.first_id, []).append((pair.second_id, pair.abstract_similarity))
                others.setdefault(pair.second_id, []).append((pair.first_id, pair.abstract_similarity))
        return others

    def recency_key(self, paper: Paper) -> tuple[int, int, str]:
        last = paper.records[-1]
        return (-self.catalog.dump_numbers[last.dump_id], last.position, paper.id)

    def newest_first_key(self, paper: Paper) -> str:
        """The search box's `newest` sort value (descending gives `recency_key`'s order): the number of the
        paper's latest dump in catalog order, then its place in that dump counted from the end, each
        zero-padded. Dumps carry no year, so their order in the catalog is the only time there is."""
        last = paper.records[-1]
        return newest_first_key(self.catalog.dump_numbers[last.dump_id], last.position)

    @cached_property
    def search_part_of_dump(self) -> dict[str, str]:
        dumps = self.catalog.dumps
        return dict(zip([dump.id for dump in dumps], layout.search_parts([len(dump.records) for dump in dumps])))

    def search_part(self, paper: Paper) -> str:
        return self.search_part_of_dump[paper.records[-1].dump_id]

    @cached_property
    def search_parts(self) -> list[str]:
        """The search parts that hold papers, oldest dumps first: a part may hold none, where its dumps' papers
        all came back in later dumps."""
        return sorted({self.search_part(paper) for paper in self.catalog.papers}, key=int)

    @cached_property
    def dump_filter_values(self) -> dict[str, str]:
        """Each dump's value in the search box's dump filter: its number in catalog order, zero-padded so the
        values sort in that order (search.js turns a range of dumps into the values between two of them),
        then the name a reader sees."""
        return {dump.id: dump_filter_value(index, self.dump_names[dump.id])
                for index, dump in enumerate(self.catalog.dumps)}

    def is_new_in(self, paper: Paper, dump: Dump) -> bool:
        return paper.records[0].dump_id == dump.id

    def earlier_dumps(self, paper: Paper, dump: Dump) -> list[Dump]:
        """The other dumps that listed `paper` before `dump`, oldest first (a paper's dumps are in catalog order)."""
        return [self.dumps_by_id[dump_id] for dump_id in paper.dump_ids[:paper.dump_ids.index(dump.id)]]

    @cached_property
    def chart_bars(self) -> tuple[str, dict[str, str], list[str]]:
        """What a chart of the dumps has a bar per ("dump" or "month"), each dump's bar, and the bars in order: a
        bar per month, every month from the first dump's to the last's, where every dump is dated (a bar per
        dump showed two years of daily dumps as their newest 52), else a bar per dump."""
        dumps = self.catalog.dumps
        if not self.every_dump_has_its_day:
            return "dump", self.dump_names, [self.dump_names[dump.id] for dump in dumps]
        month_of = {dump.id: month_number(str(dump.calendar_date)) for dump in dumps}
        first = min(month_of.values())
        bars = [f"{MONTHS[month % 12]} {month // 12}" for month in range(first, max(month_of.values()) + 1)]
        return "month", {dump_id: bars[month - first] for dump_id, month in month_of.items()}, bars

    @cached_property
    def last_month_until(self) -> str:
        """Where charts have a bar per month: the newest dump's name if its month goes on past its day (its bar
        holds that month so far), else ''."""
        if self.chart_bars[0] != "month":
            return ""
        newest = max(self.catalog.dumps, key=lambda dump: str(dump.calendar_date))
        day = date.fromisoformat(str(newest.calendar_date))
        return "" if day.day == calendar.monthrange(day.year, day.month)[1] else self.dump_names[newest.id]

    @cached_property
    def papers_listed_per_bar(self) -> Counter:
        """How many papers each bar of chart_bars listed (bars_listing of every paper)."""
        return bars_listing(self.catalog.papers, self.chart_bars[1])

    @cached_property
    def new_counts(self) -> dict[str, int]:
        """How many papers each dump was the first to list."""
        return Counter(paper.records[0].dump_id for paper in self.catalog.papers)

    def later_dumps(self, paper: Paper, dump: Dump) -> list[Dump]:
        return [self.dumps_by_id[dump_id] for dump_id in paper.dump_ids[paper.dump_ids.index(dump.id) + 1:]]

    @cached_property
    def every_dump_has_its_day(self) -> bool:
        """Whether every dump's file name gives a day (parse.calendar_date), each dump's its own."""
        days = [dump.calendar_date for dump in self.catalog.dumps]
        return all(days) and len(set(days)) == len(days)

    @cached_property
    def dump_names(self) -> dict[str, str]:
        """Where every dump's file name gives a day of its own (parse.calendar_date), the date label and the
        year: `Aug 21, 2026`. Else the date label; once two dumps show the same date (a catalog past a year),
        every dump's label plus its file's sequence part, so that names have one form, or its whole file name
        where sequence parts are the same too: no two dumps share a name."""
        if self.every_dump_has_its_day:
            return {dump.id: f"{dump.date_label}, {str(dump.calendar_date)[:4]}" for dump in self.catalog.dumps}
        labels = Counter(dump.date_label for dump in self.catalog.dumps)
        if all(count == 1 for count in labels.values()):
            return {dump.id: dump.date_label for dump in self.catalog.dumps}
        short = {dump.id: f"{dump.date_label} ({dump.id.split('_')[0][:8]})" for dump in self.catalog.dumps}
        shown = Counter(short.values())
        return {dump.id: short[dump.id] if shown[short[dump.id]] == 1 else f"{dump.date_label} ({dump.id})"
                for dump in self.catalog.dumps}


def month_number(day: str) -> int:
    """The month of a YYYY-MM-DD day, counted from January of year 0: consecutive months, consecutive numbers."""
    return int(day[:4]) * 12 + int(day[5:7]) - 1


def newest_first_key(dump_number: int, position: int) -> str:
    """SiteData.newest_first_key of a paper last seen at `position` of the dump numbered `dump_number`.

    A hyphen joins the two numbers: Pagefind reads sort values that all parse as numbers as 32-bit floats,
    which cannot tell keys apart past 16,777,216 (the 168th dump on), and it compares any other values as
    text."""
    from_end = 10 ** DUMP_POSITION_DIGITS - 1 - position
    return f"{dump_number:0{DUMP_NUMBER_DIGITS}d}-{from_end:0{DUMP_POSITION_DIGITS}d}"


def dump_filter_value(dump_number: int, name: str) -> str:
    """SiteData.dump_filter_values of the dump numbered `dump_number`, named `name`."""
    return f"{dump_number:0{DUMP_NUMBER_DIGITS}d} {name}"


@dataclass(frozen=True)
class TopicLabel:
    """What a paper page shows of a topic."""

    name: str
    title: str


def render_listings(site: SiteData, templates_dir: Path, built: str) -> Iterator[tuple[str, str]]:
    """The Markdown pages that list papers (home, dumps, topics, recurring, with code) and the Watch and For
    you pages, as (path in docs_dir, text). None of them shows related papers."""
    environment = listing_environment(templates_dir, Fragments(site))
    yield from render_home(site, environment, built)
    yield from render_dumps(site, environment)
    yield from render_topics(site, environment)
    yield from render_retired_topics(site, environment)
    yield page(environment, "feeds.md.j2", layout.FEEDS_URL, index_meta("Feeds"),
               topics=site.topics_by_size, retired=site.enrichment.taxonomy.retired)
    yield from render_recurring(site, environment)
    yield from render_reader_pages(site, environment)


def render_paper_pages(site: SiteData, templates_dir: Path, known: KnownPages) -> Iterator[tuple[str, str]]:
    """The maintainers' page and every paper page, as (path in docs_dir, text); paper pages may be ones
    `known` made before."""
    fragments = Fragments(site)
    yield from render_maintainers(site, listing_environment(templates_dir, fragments))
    # Paper pages see nothing but their inputs, so that the inputs say everything a page shows (KnownPages).
    paper_environment = template_environment(templates_dir)
    for paper in site.catalog.papers:
        yield render_paper(site, paper_environment, fragments, paper, known)


def listing_environment(templates_dir: Path, fragments: Fragments) -> Environment:
    environment = template_environment(templates_dir, macros=True)
    environment.globals.update(paper_link=fragments.paper_link, paper_chips=fragments.paper_chips,
                               code_badge=fragments.code_badge, dump_link=fragments.dump_link,
                               paper_item=fragments.paper_item, seen_in=fragments.seen_in)
    return environment


def page(environment: Environment, template: str, url: str, meta: dict, **context) -> tuple[str, str]:
    """One page: front matter plus the rendered template, with links relative to `url`. Its body is finished
    HTML, which MkDocs passes through without Markdown (generator/mkdocs_hooks.py)."""
    body = environment.get_template(template).render(root=Markup(layout.root_prefix(url)), url=url, **context)
    return layout.source_path(url), front_matter(meta | {RAW_HTML: True}) + "\n" + body


def index_meta(title: str, page_number: int = 1) -> dict:
    """A listing page's front matter. Its title is escaped, as a paper's is: Material prints page titles as
    they are, and a dump page's title holds the dump's file name. Past the first page of a listing, the title
    says which page it is, so that tabs, history and bookmarks tell them apart. The table of contents is
    hidden, as on paper pages: it would hold the page's one heading, and its column narrowed every table. So is
    the side menu: the tabs are the navigation, and it held the page itself or nothing (the phone's menu is
    Material's drawer, which stays)."""
    return {"title": page_title(title if page_number == 1 else f"{title} (page {page_number})"),
            "hide": ["navigation", "toc"]}


def render_paper(site: SiteData, environment: Environment, fragments: Fragments, paper: Paper,
                 known: KnownPages) -> tuple[str, str]:
    """The paper's page, from plain values only: the pieces it shares with other pages come made (the page is
    rendered 10,000 times in a large catalog, and each call from a template costs more than the piece)."""
    url = layout.paper_url(paper.id)
    root = layout.root_prefix(url)
    inputs = {
        "paper": paper, "number": site.catalog.paper_numbers[paper.id], "has_code": fragments.has_code(paper),
        "chips": fragments.paper_chips(root, paper),
        "topics": [(TopicLabel(topic.name, topic.title), assignment) for topic, assignment in site.topics_of(paper)],
        "related": [(fragments.paper_link(root, other), fragments.code_badge(other), item.shared_terms)
                    for item in site.enrichment.related_to(paper.id)
                    for other in [site.catalog.papers_by_id[item.paper_id]]],
        "sightings": [(fragments.dump_link(root, site.dumps_by_id[record.dump_id]),
                       site.dumps_by_id[record.dump_id].file, record.line,
                       record.title if reads_otherwise(record.title, paper.title) else "") for record in paper.records],
        "earlier": [(site.dump_names[record.dump_id], site.dumps_by_id[record.dump_id].file, record.abstract)
                    for record in paper.earlier_abstracts],
        "same_title": [fragments.paper_link(root, site.catalog.papers_by_id[other]) for other in paper.same_title_ids],
        "same_title_more": paper.same_title_count - len(paper.same_title_ids),
        "same_abstract": [(fragments.paper_link(root, site.catalog.papers_by_id[other]), round(similarity * 100))
                          for other, similarity in site.same_abstract.get(paper.id, ())[:layout.SAME_ABSTRACTS_SHOWN]],
        "links": site.enrichment.links_by_paper.get(paper.id, ()),
    }
    path = layout.source_path(url)
    return path, known.page("docs", path, inputs, lambda: paper_page(environment, url, inputs))


def paper_page(environment: Environment, url: str, inputs: dict) -> str:
    paper = inputs["paper"]
    meta = {
        "title": page_title(paper.title),
        "description": str(html_text(truncate(key_sentence(paper.abstract, paper.title), DESCRIPTION_MAX_CHARS))),
        "hide": ["toc"],
        "template": "paper.html",  # trimmed chrome, rendered once for all papers (generator/mkdocs_hooks.py)
    }
    earlier = [earlier_wording(name, file, abstract, paper.abstract,
                               marked=index >= len(inputs["earlier"]) - layout.EARLIER_WORDINGS_MARKED)
               for index, (name, file, abstract) in enumerate(inputs["earlier"])]
    return page(environment, "paper.md.j2", url, meta, **(inputs | {"earlier": earlier}))[1]


def render_home(site: SiteData, environment: Environment, built: str) -> Iterator[tuple[str, str]]:
    newest = site.catalog.dumps[-1]
    new_papers = [site.catalog.papers_by_id[paper_id] for paper_id in site.catalog.paper_ids_in(newest)
                  if site.is_new_in(site.catalog.papers_by_id[paper_id], newest)]
    shown = layout.paginate(new_papers)[0]
    counts = {"papers": len(site.catalog.papers), "dumps": len(site.catalog.dumps),
              "recurring": len(site.catalog.recurring), "topics": len(site.enrichment.taxonomy.topics),
              "with_code": len(site.enrichment.papers_with_code)}
    yield page(environment, "home.md.j2", "", {"title": "Home", "hide": ["navigation", "toc"]},
               counts=counts, built=built, newest=newest, new_papers=shown.items, new_count=len(new_papers),
               newest_count=len(site.catalog.paper_ids_in(newest)),
               newest_url=layout.dump_url(site.catalog.dump_slugs[newest.id]),
               newest_slug=site.catalog.dump_slugs[newest.id],
               dump_slugs=[site.catalog.dump_slugs[dump.id] for dump in site.catalog.dumps],
               latest_dumps=[(dump, site.catalog.dump_slugs[dump.id], site.new_counts[dump.id])
                             for dump in site.catalog.dumps[::-1][:NEW_DUMPS_LISTED]],
               dump_chart=dump_chart(site), topic_chart=topic_chart(site))


def dump_chart(site: SiteData):
    """Papers per dump or month, new to the catalog and seen before; the second left out where no bar has any (the
    real catalog's 4 recurring papers came back within their month: the key named a colour no bar showed)."""
    unit, bar_of, bars = site.chart_bars
    new = Counter(bar_of[paper.records[0].dump_id] for paper in site.catalog.papers)
    listed = site.papers_listed_per_bar
    rows = [(bar, (new[bar], listed[bar] - new[bar])) for bar in bars]
    series = ("new to the catalog", "seen before") if any(seen for _, (_, seen) in rows) else ("new to the catalog",)
    return stacked_bars(f"Papers per {unit}", series, [(bar, values[:len(series)]) for bar, values in rows], unit,
                        until=site.last_month_until)


def bars_listing(papers: Iterable[Paper], bar_of: dict[str, str]) -> Counter:
    """How many of `papers` each bar's dumps listed: a paper listed by two dumps of one month counts once."""
    return Counter(bar for paper in papers for bar in {bar_of[dump_id] for dump_id in paper.dump_ids})


def topic_chart(site: SiteData):
    return horizontal_bars("Papers per topic", [
        (topic.title, len(site.papers_by_topic[topic.name])) for topic in site.topics_by_size])


def topic_trend(site: SiteData, topic_name: str):
    """The topic's papers per month (or dump), each with its share of all the month's papers, and a line through
    the shares: the months of Daily Papers hold 131 to 631 papers, and the topic's bars followed that more than
    the topic (a reader's review: Agents looked to fall from 198 papers to 125 as its share rose to its
    highest)."""
    unit, bar_of, bars = site.chart_bars
    listed = bars_listing(site.papers_by_topic[topic_name], bar_of)
    every = site.papers_listed_per_bar
    shares = [listed[bar] / every[bar] if every[bar] else None for bar in bars]
    notes = [f"{share:.1%} of {every[bar]:,}" if share is not None else "" for bar, share in zip(bars, shares)]
    return stacked_bars(f"Papers with this topic per {unit}", ("papers",), [(bar, (listed[bar],)) for bar in bars],
                        unit, notes, f"Share of the {unit}'s papers", shares, site.last_month_until)


def render_dumps(site: SiteData, environment: Environment) -> Iterator[tuple[str, str]]:
    rows = [(dump, len(site.catalog.paper_ids_in(dump)), site.new_counts[dump.id])
            for dump in reversed(site.catalog.dumps)]
    # Dumps not all dated are one table, a month without a heading.
    months = dump_months(rows) if site.every_dump_has_its_day else [DumpMonth("", "", "", rows)]
    years = [(year, list(year_months)) for year, year_months in itertools.groupby(months, lambda month: month.year)]
    yield page(environment, "dumps.md.j2", layout.DUMPS_URL, index_meta("Dumps"), months=months, years=years,
               with_years=site.every_dump_has_its_day)
    dumps = site.catalog.dumps
    for index, dump in enumerate(dumps):
        papers = [site.catalog.papers_by_id[paper_id] for paper_id in site.catalog.paper_ids_in(dump)]
        older, newer = dumps[index - 1] if index else None, dumps[index + 1] if index + 1 < len(dumps) else None
        slug = site.catalog.dump_slugs[dump.id]
        # The file name says what a sequence part would: the label alone, or with the year where known.
        title = f"{site.dump_names[dump.id] if site.every_dump_has_its_day else dump.date_label} ({dump.file})"
        for listing in layout.paginate(papers):
            meta = index_meta(title, listing.number)
            yield page(environment, "dump.md.j2", layout.dump_url(slug, listing.number), meta,
                       dump=dump, name=site.dump_names[dump.id], older=older, newer=newer, slug=slug,
                       listing=listing, paper_count=len(papers), new_count=site.new_counts[dump.id],
                       page_url=lambda number, slug=slug: layout.dump_url(slug, number))


@dataclass(frozen=True)
class DumpMonth:
    """The rows of the dumps page (dump, papers, new papers) of one month: `anchor` 2026-08, `name` Aug,
    `year` 2026."""

    anchor: str
    name: str
    year: str
    rows: list[tuple[Dump, int, int]]


def dump_months(rows: list[tuple[Dump, int, int]]) -> list[DumpMonth]:
    """Dated dumps' rows by month, newest month first, each month's rows in the order given: two years of daily
    dumps are 600 rows, which a reader finds by month."""
    by_month: dict[str, list[tuple[Dump, int, int]]] = {}
    for row in rows:
        by_month.setdefault(str(row[0].calendar_date)[:7], []).append(row)
    return [DumpMonth(month, MONTHS[int(month[5:]) - 1], month[:4], month_rows)
            for month, month_rows in sorted(by_month.items(), reverse=True)]


def render_topics(site: SiteData, environment: Environment) -> Iterator[tuple[str, str]]:
    topics = site.topics_by_size
    rows = [(topic, len(papers), site.enrichment.count_with_code(papers))
            for topic in topics for papers in [site.papers_by_topic[topic.name]]]
    yield page(environment, "topics.md.j2", layout.TOPICS_URL, index_meta("Topics"), rows=rows)
    for topic in topics:
        papers = site.papers_by_topic[topic.name]
        co_occurring = co_occurring_topics(site, topic.name, papers)
        trend = topic_trend(site, topic.name)
        months = listing_months(site, papers)
        for listing in layout.paginate(papers):
            yield page(environment, "topic.md.j2", layout.topic_url(topic.name, listing.number),
                       index_meta(topic.title, listing.number)
                       | {"topic_feed": layout.feed_url(topic.name), "topic_title": str(html_text(topic.title))},
                       topic=topic, description=as_sentence(topic.description), listing=listing,
                       paper_count=len(papers), co_occurring=co_occurring, trend=trend,
                       months=months, groups=month_groups(site, listing, bool(months)),
                       code_count=site.enrichment.count_with_code(papers),
                       page_url=lambda number, name=topic.name: layout.topic_url(name, number))


def listing_months(site: SiteData, papers: list[Paper]) -> list[tuple[str, int, str]]:
    """Each month of a listing of several pages, newest first, with the page its papers start on and the anchor
    of its heading there (month_groups): a topic of 2,000 papers was eight pages of numbers, with no way to go to
    last year's. None where dumps are not all dated, or for one page."""
    unit, _, _ = site.chart_bars
    if unit != "month" or len(papers) <= layout.LISTING_PAGE_SIZE:
        return []
    first_pages: dict[str, int] = {}
    for position, paper in enumerate(papers):  # most recent dump first (SiteData.recency_key)
        first_pages.setdefault(listed_month(site, paper), position // layout.LISTING_PAGE_SIZE + 1)
    return [(month, number, month_anchor(month)) for month, number in first_pages.items()]


def month_groups(site: SiteData, listing: layout.ListingPage,
                 by_month: bool) -> list[tuple[str, str, int, list[Paper]]]:
    """A listing page's papers as (month, anchor, number of its first paper, papers) runs, each under a heading
    that the months' links lead to (a link to the page a month starts on left its papers under a page of later
    ones); one run with no month where the listing is not `by_month`."""
    first = listing.first
    if not by_month:
        return [("", "", first, list(listing.items))]
    groups = []
    for month, run in itertools.groupby(listing.items, lambda paper: listed_month(site, paper)):
        papers = list(run)
        groups.append((month, month_anchor(month), first, papers))
        first += len(papers)
    return groups


def listed_month(site: SiteData, paper: Paper) -> str:
    """The month a listing files the paper under, that of its latest dump (listings are newest first)."""
    _, bar_of, _ = site.chart_bars
    return bar_of[paper.records[-1].dump_id]


def month_anchor(month: str) -> str:
    """`Mar 2025` -> month-2025-03."""
    name, year = month.split()
    return f"month-{year}-{MONTHS.index(name) + 1:02d}"


def render_retired_topics(site: SiteData, environment: Environment) -> Iterator[tuple[str, str]]:
    """A short page at each retired topic's old address, linking to the topics that replaced it."""
    taxonomy = site.enrichment.taxonomy
    for retired in taxonomy.retired:
        replacements = [taxonomy.by_name(name) for name in retired.replaced_by]
        yield page(environment, "retired_topic.md.j2", layout.topic_url(retired.name), index_meta(retired.title),
                   retired=retired, replacements=replacements)


def co_occurring_topics(site: SiteData, topic_name: str, papers: list[Paper], limit: int = 5) -> list:
    """The topics most often given together with this one, with how often."""
    counts = Counter(assignment.topic for paper in papers
                     for assignment in site.enrichment.topics_by_paper[paper.id] if assignment.topic != topic_name)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [(site.enrichment.taxonomy.by_name(name), count) for name, count in ranked]


def render_recurring(site: SiteData, environment: Environment) -> Iterator[tuple[str, str]]:
    recurring = site.catalog.recurring
    dumps = site.catalog.dumps
    matrix_dumps = [(dump, layout.dump_url(site.catalog.dump_slugs[dump.id]), site.dump_names[dump.id])
                    for dump in dumps] if len(dumps) <= RECURRING_MATRIX_MAX_DUMPS else []
    for listing in layout.paginate(recurring):
        yield page(environment, "recurring.md.j2", layout.recurring_url(listing.number),
                   index_meta("Recurring", listing.number), listing=listing, paper_count=len(recurring),
                   matrix_dumps=matrix_dumps, page_url=layout.recurring_url)


def as_sentence(phrase: str) -> str:
    """A phrase of taxonomy.yml ("multi-step reasoning of models: ...") as a sentence on its own."""
    return f"{phrase[:1].upper()}{phrase[1:]}{'' if phrase.endswith(('.', '!', '?')) else '.'}"


def render_maintainers(site: SiteData, environment: Environment) -> Iterator[tuple[str, str]]:
    weak = [(paper, [topic.title for topic, _ in site.topics_of(paper)]) for paper in site.catalog.papers
            if any(assignment.weak for assignment in site.enrichment.topics_by_paper[paper.id])]
    pairs = site.enrichment.near_pairs
    papers_by_id = site.catalog.papers_by_id
    yield page(environment, "maintainers.md.j2", layout.MAINTAINERS_URL, index_meta("Maintainers"),
               near_pairs=[(papers_by_id[pair.first_id], papers_by_id[pair.second_id], pair)
                           for pair in pairs[:MAINTAINER_ROWS]], near_pair_count=len(pairs),
               weak=weak[:MAINTAINER_ROWS], weak_count=len(weak))


# Real abstracts have at most about 300 words; past this many, a word diff takes seconds (it grows with the
# square of the length, and faster for repetitive text), and a page shows the earlier wording unmarked.
DIFF_MAX_WORDS = 1_000


def earlier_wording(dump_name: str, file: str, abstract: str, newest: str,
                    marked: bool) -> tuple[str, str, str, Markup | None, bool, bool]:
    """What a paper page shows of an earlier wording of its abstract: where, the wording, its word diff against
    the newest (None when too long, when it has the same words: a diff would mark nothing, or when not
    `marked`), whether it has the same words, spaced otherwise, and `marked`."""
    respaced = abstract.split() == newest.split()
    return dump_name, file, abstract, word_diff(abstract, newest) if marked and not respaced else None, respaced, marked


def word_diff(earlier: str, newest: str) -> Markup | None:
    """The earlier wording against the newest, word by word: removed words in <del>, added in <ins>; None when
    either has more than DIFF_MAX_WORDS words."""
    old_words, new_words = earlier.split(), newest.split()
    if max(len(old_words), len(new_words)) > DIFF_MAX_WORDS:
        return None
    parts = []
    # difflib's autojunk (a word that makes up over 1% of a wording of 200 words or more starts no match) keeps
    # repetitive text quick: without it, `a a a …` against `a a, a a, …` took 10 s for one page at 1,000 words.
    for tag, old_start, old_end, new_start, new_end in difflib.SequenceMatcher(
            None, old_words, new_words).get_opcodes():
        if tag in ("delete", "replace"):
            parts.append(Markup("<del>%s</del>") % html_text(" ".join(old_words[old_start:old_end])))
        if tag in ("insert", "replace"):
            parts.append(Markup("<ins>%s</ins>") % html_text(" ".join(new_words[new_start:new_end])))
        if tag == "equal":
            parts.append(html_text(" ".join(old_words[old_start:old_end])))
    return Markup(" ").join(parts)
