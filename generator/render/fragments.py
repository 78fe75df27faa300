"""Render stage, the small pieces of HTML that pages repeat: a paper's title link, topic chips and code badge,
a dump's link, and a paper's item in a listing. Templates print these values; they are made here, once per paper
or dump and page depth, because a paper shows in its dumps' and topics' listings and in its neighbours'
related lists: tens of thousands of times in a catalog of 10,000 papers, which cost most of the render time
as template macros.

Every piece of dump text goes through escape.html_text, as a template's `finalize` would send it; addresses
come from layout and are safe as they are.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup

from ..catalog import Paper
from ..enrich.links import LinkKind
from ..parse import Dump
from ..text import visible_text
from . import layout
from .escape import html_link, html_text
from .sentences import listed_sentence

if TYPE_CHECKING:
    from .pages import SiteData

CODE_BADGE = Markup(' <span class="pc-code-badge" title="The abstract links to its code">code</span>')


class Fragments:
    """The pieces for one site, each made on first use and kept: `root` is the path from the page that shows
    it back to the site root, so a piece is made once per paper and page depth."""

    def __init__(self, site: SiteData) -> None:
        self._site = site
        self._made: dict[tuple[str, ...], Markup] = {}
        self._items: dict[tuple[str, str], tuple[str, str, str]] = {}

    def paper_link(self, root: str, paper: Paper) -> Markup:
        """The paper's title, linked to its page; `data-pc-n` is its number (watch.py), by which watch.js
        marks watched papers."""
        key = ("link", root, paper.id)
        if key not in self._made:
            number = self._site.catalog.paper_numbers[paper.id]
            self._made[key] = Markup(f'<a class="pc-title" dir="auto" data-pc-n="{number}" '
                                     f'href="{root}{layout.paper_url(paper.id)}">{html_text(paper.title)}</a>')
        return self._made[key]

    def paper_chips(self, root: str, paper: Paper, leaving_out: str = "") -> Markup:
        """The paper's topics, strongest first, each linked to its topic page; none where it has no other topic
        than `leaving_out`. A chip is a plain link in `pc-chips`: a class on each was 0.1 KB a paper."""
        key = ("chips", root, paper.id, leaving_out)
        if key not in self._made:
            chips = "".join(
                f'<a href="{root}{layout.topic_url(topic.name)}">{html_text(topic.title)}</a>'
                for topic, _ in self._site.topics_of(paper) if topic.name != leaving_out)
            self._made[key] = Markup(f'<span class="pc-chips">{chips}</span>' if chips else "")
        return self._made[key]

    def code_badge(self, paper: Paper) -> Markup:
        """Marks a listed paper whose abstract links to code (generator/enrich/links.py)."""
        return CODE_BADGE if self.has_code(paper) else Markup("")

    def has_code(self, paper: Paper) -> bool:
        return paper.id in self._site.enrichment.papers_with_code

    def dump_link(self, root: str, dump: Dump) -> Markup:
        key = ("dump", root, dump.id)
        if key not in self._made:
            url = layout.dump_url(self._site.catalog.dump_slugs[dump.id])
            self._made[key] = Markup(f'<a href="{root}{url}">{html_text(self._site.dump_names[dump.id])}</a>')
        return self._made[key]

    def dump_links(self, root: str, dumps) -> str:
        return ", ".join(self.dump_link(root, dump) for dump in dumps)

    def seen_in(self, root: str, paper: Paper) -> Markup:
        """The links of the dumps that listed the paper, oldest first."""
        return Markup(self.dump_links(root, [self._site.dumps_by_id[dump_id] for dump_id in paper.dump_ids]))

    def paper_item(self, root: str, paper: Paper, listed_in: Dump | None = None, on_topic: str = "",
                   with_code_links: bool = False) -> Markup:
        """The paper in a listing: its link, topics, the dumps that listed it and its key sentence. On the
        page of the dump it is `listed_in`, the other dumps that listed it instead; on
        the page of the topic named `on_topic`, its chips leave that topic out (the page is about it); with
        `with_code_links`, its code's addresses after the sentence (the papers with code)."""
        if (root, paper.id) not in self._items:
            self._items[root, paper.id] = self._item_parts(root, paper)
        start, seen, tail = self._items[root, paper.id]
        chips = self.paper_chips(root, paper, leaving_out=on_topic)
        seen = f" {seen}" if listed_in is None else self.seen_besides(root, paper, listed_in)
        return Markup(f"{start}{chips}{seen}{tail}{self.code_links(paper) if with_code_links else ''}</li>")

    def code_links(self, paper: Paper) -> str:
        links = [html_link(link.url) for link in self._site.enrichment.links_by_paper.get(paper.id, ())
                 if link.kind == LinkKind.CODE]
        return f'\n<p class="pc-code-links">Code: {", ".join(links)}</p>' if links else ""

    def seen_besides(self, root: str, paper: Paper, dump: Dump) -> str:
        """On the page of `dump`, the other dumps that listed the paper: nothing for most papers, which only it
        lists (papercat.js takes the page's dump for the paper's then)."""
        earlier = self._site.earlier_dumps(paper, dump)
        later = self._site.later_dumps(paper, dump)
        shown = layout.OTHER_DUMPS_SHOWN
        seen = [f"Seen before in {self.dump_links(root, earlier[-shown:])}{more(len(earlier) - shown, 'earlier')}"
                ] if earlier else []
        if later:
            seen.append(f"{'again' if earlier else 'Seen again'} in {self.dump_links(root, later[:shown])}"
                        f"{more(len(later) - shown, 'later')}")
        # A paper shows its newest record's title; this dump may have written it otherwise (case, spaces).
        for title in titles_besides(paper, dump):
            seen.append(f'{"listed" if seen else "Listed"} here as “<span dir="auto">{html_text(title)}</span>”')
        return f' <span class="pc-seen pc-note">{"; ".join(seen)}</span>' if seen else ""

    def _item_parts(self, root: str, paper: Paper) -> tuple[str, str, str]:
        """The item before its chips, its "Seen in", and the item after the place of a dump page's note, but
        for its end."""
        start = (f'<li class="pc-item">{self.paper_link(root, paper)}{self.code_badge(paper)}\n'
                 f'<div class="pc-item-meta">')
        seen = f'<span class="pc-seen">Seen in {self.seen_in(root, paper)}</span>'
        tail = (f'</div>\n<p class="pc-key-sentence" dir="auto">'
                f'{html_text(listed_sentence(paper.abstract, paper.title))}</p>')
        return start, seen, tail


def more(count: int, which: str) -> str:
    return f" and {count:,} {which}" if count > 0 else ""


def titles_besides(paper: Paper, dump: Dump) -> list[str]:
    """The titles `dump` gave `paper` that read otherwise than the one its pages show."""
    return list(dict.fromkeys(record.title for record in paper.records
                              if record.dump_id == dump.id and reads_otherwise(record.title, paper.title)))


def reads_otherwise(title: str, shown: str) -> bool:
    """Whether `title` looks other than `shown`: not only by what shows nothing, or by the width of spaces."""
    def looks(text: str) -> str:
        return " ".join(visible_text(text).split())
    return title != shown and looks(title) != looks(shown)
