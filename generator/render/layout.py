"""The one place that knows where each generated page lives and how pages link to each other."""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

Item = TypeVar("Item")

# Listing pages are split so no page of a large catalog outgrows a quick download.
LISTING_PAGE_SIZE = 250


# The first part of every path papercat writes into the site: its pages' folders and its files at the root.
# No hand-written file may be written there (build.hand_written_files): MkDocs would keep one of the two.
GENERATED_ROOTS = frozenset({"index.html", "catalog.json", "papers.csv", "search-parts.json", "sitemap.xml", "sitemaps",
                             "code", "dumps", "feeds", "for-you", "maintainers", "papers", "recurring", "topics",
                             "watch"})


def paper_url(paper_id: str) -> str:
    return f"papers/{paper_id}/"


def dump_url(dump_slug: str, page: int = 1) -> str:
    return f"dumps/{dump_slug}/" if page == 1 else f"dumps/{dump_slug}/{page}/"


def topic_url(topic_name: str, page: int = 1) -> str:
    return f"topics/{topic_name}/" if page == 1 else f"topics/{topic_name}/{page}/"


def recurring_url(page: int = 1) -> str:
    return "recurring/" if page == 1 else f"recurring/{page}/"


def code_url(page: int = 1) -> str:
    return "code/" if page == 1 else f"code/{page}/"


def feed_url(topic_name: str | None = None) -> str:
    return f"feeds/{topic_name}.xml" if topic_name else "feeds/all.xml"


# The index pages, each one page whatever the catalog's size.
DUMPS_URL = "dumps/"
TOPICS_URL = "topics/"
FEEDS_URL = "feeds/"  # the page that lists the feeds
MAINTAINERS_URL = "maintainers/"
WATCH_URL = "watch/"
FOR_YOU_URL = "for-you/"
# The exports, at the site's root.
CATALOG_JSON_PATH = "catalog.json"
PAPERS_CSV_PATH = "papers.csv"
SITEMAP_PATH = "sitemap.xml"
FEEDS_SITEMAP_PATH = f"{FEEDS_URL}sitemap.xml"  # beside the feeds, for Material (render.feeds)
# A feed is polled for what is new: more entries than any day's dump has (at most 50 in two years of Daily
# Papers), so a reader who polls daily misses nothing, and few enough that 38 feeds stay small at any
# catalog size (at 250 entries they were 15 MB, a twentieth of a 10,000-paper site).
FEED_ENTRIES = 100
# A paper page names at most this many papers with nearly its abstract: a page's size never depends on the
# catalog's, even where one abstract was pasted under many titles.
SAME_ABSTRACTS_SHOWN = 5
# A dump page names this many of the nearest other dumps that listed a paper, each way, and counts the rest:
# every other dump, on every dump's page, grew with the square of a daily paper's dumps (2 GB of pages for 10
# papers listed by 2,000 dumps). The paper's page names every one.
OTHER_DUMPS_SHOWN = 5
# A word diff of a long abstract takes tens of milliseconds: a paper reworded in every one of many dumps (a
# hostile catalog) has its newest earlier wordings marked, and the older ones shown as they were.
EARLIER_WORDINGS_MARKED = 3


def sitemap_part_path(number: int) -> str:
    """A list of the sitemap's index, where a catalog has more pages than one sitemap lists (render.sitemap)."""
    return f"sitemaps/{number}.xml"


# The reader's pages (watch.js, for-you.js) download small files of these folders, never the whole catalog.
WATCH_CHUNK_PAPERS = 100


def watch_words_path(shard: str) -> str:
    """The index of watched words whose first two characters name `shard` (see watch_words.word_shard)."""
    return f"watch/words/{shard}.json"


def watch_topic_path(topic_name: str) -> str:
    return f"watch/topics/{topic_name}.json"


def watch_papers_path(chunk: int) -> str:
    """Titles, ids, topics and related papers of papers number chunk * WATCH_CHUNK_PAPERS and on."""
    return f"watch/papers/{chunk}.json"


def watch_ids_path(shard: str) -> str:
    """Paper numbers of the paper ids starting with `shard` (two characters)."""
    return f"watch/ids/{shard}.json"


def watch_pairs_path(number: int) -> str:
    """The filter of neighbouring words (see watch.pair_filter_files) whose pairs' hashes end in `number`."""
    return f"watch/pairs/{number}.bin"


WATCH_META_PATH = "watch/meta.json"
WATCH_DUMPS_PATH = "watch/dumps.json"

# A large catalog's search is split into parts, each a Pagefind index of its own, which the search box searches
# together: indexing holds one part in memory at a time (one index of 50,000 papers took 6.3 GB). A part holds
# whole dumps, in catalog order: those starting within one stretch of this many records. A paper is searched in
# the part of its latest dump. Parts rank by their own word statistics and search a word of an abstract that one
# of them lacks less exactly than one index does (render.search_documents.search_vocabulary), so a catalog of two years
# (the real corpus has 10,053 records) is still one part.
SEARCH_PART_RECORDS = 12_500
SEARCH_PARTS_PATH = "search-parts.json"  # the parts, oldest dumps first: each a folder of generator.search.BUNDLE_DIR


def search_parts(dump_sizes: Sequence[int]) -> list[str]:
    """The search part of each dump, given every dump's record count in catalog order. A dump added at the end
    leaves every other dump in its part."""
    parts, start = [], 0
    for size in dump_sizes:
        parts.append(str(start // SEARCH_PART_RECORDS))
        start += size
    return parts


def search_document_path(part: str, paper_id: str) -> str:
    """Where a paper's search document is, in the folder of search documents: its part's folder holds the
    documents at their pages' addresses, which Pagefind takes for the results' URLs."""
    return f"{part}/{paper_url(paper_id)}index.html"


def search_vocabulary_path(part: str) -> str:
    """Where a search part's vocabulary document is (render.search_documents.search_vocabulary), beside its papers."""
    return f"{part}/search-vocabulary/index.html"


def source_path(url: str) -> str:
    """The Markdown file MkDocs turns into `url` (with `use_directory_urls`)."""
    if url == "":
        return "index.md"
    return url.rstrip("/") + ".md"


def url_of(source: str) -> str:
    """The address MkDocs gives the Markdown file `source` (with `use_directory_urls`; a README is its folder's
    index, as MkDocs takes it)."""
    folder, _, name = source.removesuffix(".md").rpartition("/")
    prefix = f"{folder}/" if folder else ""
    return prefix if name in ("index", "README") else f"{prefix}{name}/"


def built_page(source: str) -> str:
    """The file MkDocs writes for the Markdown file `source` (with directory URLs)."""
    return url_of(source) + "index.html"


def root_prefix(url: str) -> str:
    """The relative path from the page at `url` back to the site root."""
    return "../" * url.count("/")


@dataclass(frozen=True)
class ListingPage:
    """One page of a paginated listing."""

    number: int
    count: int  # pages in the listing
    items: tuple
    first: int  # the position of its first item in the whole listing, from 1

    def pager_numbers(self, around: int = 2) -> list[int | None]:
        """The page numbers a pager links to: the first, the last and those within `around` of this one, in
        order; None where two or more numbers are left out (one left out is shown instead)."""
        shown = sorted({1, self.count, *range(max(1, self.number - around), min(self.count, self.number + around) + 1)})
        numbers: list[int | None] = []
        for previous, number in zip([0, *shown], shown):
            if number - previous == 2:
                numbers.append(previous + 1)
            elif number - previous > 2:
                numbers.append(None)
            numbers.append(number)
        return numbers


def paginate(items: Sequence[Item], page_size: int = LISTING_PAGE_SIZE) -> list[ListingPage]:
    """Split `items` into pages; an empty listing still has one (empty) page."""
    count = max(1, math.ceil(len(items) / page_size))
    return [ListingPage(number, count, tuple(items[(number - 1) * page_size:number * page_size]),
                        (number - 1) * page_size + 1)
            for number in range(1, count + 1)]
