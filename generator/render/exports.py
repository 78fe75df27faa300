"""Machine-readable exports: catalog.json and papers.csv. Text goes in exactly as written in the dumps."""
from __future__ import annotations

import csv
import io
import json
import re

from ..catalog import Catalog, Paper
from ..enrich import Enrichment
from . import layout


def catalog_json(catalog: Catalog, enrichment: Enrichment) -> bytes:
    """The catalog as JSON; the schema is documented in the README."""
    document = {
        "papers": [paper_entry(paper, enrichment) for paper in catalog.papers],
        "dumps": [
            {"id": dump.id, "file": dump.file, "date": dump.date_label, "calendar_date": dump.calendar_date,
             "url": layout.dump_url(catalog.dump_slugs[dump.id]), "papers": list(catalog.paper_ids_in(dump))}
            for dump in catalog.dumps
        ],
        "topics": [
            {"name": topic.name, "title": topic.title, "description": topic.description,
             "url": layout.topic_url(topic.name)}
            for topic in enrichment.taxonomy.topics
        ],
    }
    return one_entry_a_line(document).encode("utf-8")


LINE_ENDS = "\u0085\u2028\u2029"


def one_entry_a_line(document: dict[str, list]) -> str:
    """Compact JSON with each entry of each list on a line of its own: small, and still readable and diffable.
    The characters other tools also end a line at (U+0085, U+2028, U+2029: Python's str.splitlines, editors)
    are written as escapes, so that each entry is one line for them too."""
    def compact(value) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    sections = [f"{compact(key)}:[\n" + ",\n".join(map(compact, entries)) + "\n]" for key, entries in document.items()]
    return escape_line_ends("{" + ",\n".join(sections) + "}\n")


def escape_line_ends(json_text: str) -> str:
    """`json_text` with each of LINE_ENDS written as its escape; they occur only inside strings. str.replace, as
    str.translate took over a second on the real catalog's 27 MB."""
    for char in LINE_ENDS:
        json_text = json_text.replace(char, f"\\u{ord(char):04x}")
    return json_text


def paper_entry(paper: Paper, enrichment: Enrichment) -> dict:
    topics = enrichment.topics_by_paper.get(paper.id, ())
    return {
        "id": paper.id,
        "url": layout.paper_url(paper.id),
        "title": paper.title,
        "abstract": paper.abstract,
        "tags": [assignment.topic for assignment in topics],
        "tag_evidence": {assignment.topic: list(assignment.evidence) for assignment in topics},
        "dumps": list(paper.dump_ids),
        "related": [item.paper_id for item in enrichment.related_to(paper.id)],
        "seen": [seen_entry(record, paper) for record in paper.records],
        "same_title": list(paper.same_title_ids),
        "same_title_count": paper.same_title_count,
        "links": [{"url": link.url, "kind": link.kind} for link in enrichment.links_by_paper.get(paper.id, ())],
    }


def seen_entry(record, paper: Paper) -> dict:
    """Where a record of the paper stands; its abstract only where it differs from the paper's newest."""
    entry = {"dump": record.dump_id, "line": record.line, "title": record.title}
    return entry if record.abstract == paper.abstract else entry | {"abstract": record.abstract}


# A cell starting with one of these is a formula to a spreadsheet (`=HYPERLINK(...)` in a title would send a
# reader's data away): such a cell starts with an apostrophe, which spreadsheets read as "this is text". So
# does a cell starting with an apostrophe, which a spreadsheet would otherwise take as that mark and hide.
# Spaces and invisible characters before them do not count, as some spreadsheets trim them, and their
# full-width forms are marks too for some.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'", "\uff1d", "\uff0b", "\uff0d", "\uff20")
LEADING_BLANKS = re.compile(r"(?:[^\S\t\r]|[\u200b-\u200d\u2060\ufeff])*")  # a tab or CR is a mark itself


def catalog_csv(catalog: Catalog, enrichment: Enrichment) -> bytes:
    """One row per paper for spreadsheets: id, title, url, topics, dumps, links (addresses never hold spaces)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["id", "title", "url", "topics", "dumps", "links"])
    for paper in catalog.papers:
        topics = " ".join(assignment.topic for assignment in enrichment.topics_by_paper.get(paper.id, ()))
        links = " ".join(link.url for link in enrichment.links_by_paper.get(paper.id, ()))
        writer.writerow(map(as_text_cell, [paper.id, paper.title, layout.paper_url(paper.id), topics,
                                           " ".join(paper.dump_ids), links]))
    return buffer.getvalue().encode("utf-8")


def as_text_cell(value: str) -> str:
    blanks = LEADING_BLANKS.match(value)
    return f"'{value}" if value.startswith(FORMULA_STARTS, blanks.end() if blanks else 0) else value

