"""Parse stage: the text of a dump -> its date label and records.

A dump is a copy of a Hugging Face "Daily Papers" page: a few lines of page chrome, a date line such as
`Aug 1` (month and day only: the page shows no year, so we never invent one), then records, each a one-line
title and a one-line abstract separated by blank lines.
"""
from __future__ import annotations

import datetime
import itertools
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, InputProblem, not_utf8, printable
from .text import ABBREVIATION_END, invisible, visible_text

# The site's header, where a copy of a whole page starts.
SITE_HEADER = frozenset({"Hugging Face", "Models", "Datasets", "Spaces", "Community", "Docs", "Enterprise",
                         "Pricing", "Log In", "Sign Up"})
# Lines the Daily Papers page puts above the date; anything else there is an error, not chrome.
PAGE_CHROME = SITE_HEADER | {
    "new",
    "Get trending papers in your email inbox!",
    "Subscribe",
    "Daily Papers",
    "byAK and the research community",
    "by AK and the research community",
    "Daily", "Weekly", "Monthly",  # the list's tabs
}
# Lines of a paper's card or page on Hugging Face, and of the list's navigation, which a copy of the page can
# carry among the papers: as a title or an abstract each would make a paper up. Known by what shows of them.
# A paper's own page adds its headings and its date; the site's footer follows the last paper.
CARD_CHROME = SITE_HEADER | {
    "AI-generated summary", "Upvote", "arXiv", "GitHub", "Previous", "Next", "Project page", "Authors", "Authors:",
    "View arXiv page", "View PDF", "Add to collection", "Daily", "Weekly", "Monthly", "Paper page", "Copy link",
    "Get this paper in your agent:", "Sign up or log in to comment", "Sign up or log in to comment.",
    "Join the discussion", "Search any paper with AI",
    "System theme", "Company", "TOS", "Privacy", "About", "Jobs", "Website",  # the site's footer
}
CARD_CHROME_LINE = re.compile(
    r"(?P<count>(?:Upvote )?[0-9]{1,6})"  # an upvote count
    # The submitter's name, of a few words and no colon (a title may start so), may be on the line after.
    r"|(?P<submitted>Submitted by(?: [^\s:]+){0,6})"
    r"|(?P<published>Published on [A-Z][a-z]{2} [0-9]{1,2}(?:, [0-9]{4})?)"
    r"|(?:· )?[0-9]{1,4} authors?|[0-9]{1,6} comments?"
    r"|hf papers [a-z]+ [0-9]{4}\.[0-9]{4,5}"  # the page's command-line hint
    # A paper page's column of what cites it, below the abstract: "Models citing this paper 0", ...
    r"|(?:Models|Datasets|Spaces) citing this paper(?: [0-9]{1,6})?|Collections including this paper(?: [0-9]{1,6})?"
    r"|No (?:model|dataset|Space) linking this paper|No Collection including this paper"
    r"|Cite arxiv\.org/abs/\S+ in a (?:model|dataset|Space) README\.md to link it from this page\."
    r"|Add this paper to a collection to link it from this page\."
    r"|Browse [0-9]{1,6} (?:models?|datasets?|Spaces?|collections?) that (?:cite|include|use)s? this paper\."
    r"|(?P<link>(?:[A-Za-z][A-Za-z ]{0,30}: ?)?https?://\S+)")  # "Code: https://…" on a line of its own
# A paper page's heading over its abstract, which a copy can carry: chrome where the line after it ends a
# sentence (no title does), an abstract where a title follows.
ABSTRACT_HEADINGS = frozenset({"Abstract", "Abstract:", "ABSTRACT", "ABSTRACT:"})
# At most this many words on the line after a bare `Submitted by` are the submitter's name, not a title.
SUBMITTER_NAME_WORDS = 3
# Every real abstract has a sentence ending in a full stop; a title seldom has one.
FULL_STOP = re.compile(r"\.(?=[\"')\]]*(?:\s|$))|[。．｡।۔]")
# The number of a numbered list before a title (`2. Title`), which ends no sentence.
LIST_NUMBER = re.compile(r"[0-9]{1,3}[.)][ \t]+")
# What git leaves in a file where a merge conflicted: a line of seven marks, maybe with a branch name.
CONFLICT_MARKER = re.compile(r"(?:<{7}|={7}|>{7}|\|{7})(?: .*)?")
# What ends a line that no sentence goes on from: a sentence's end, a clause's (`;`), or a name's (`Name:`).
CLAUSE_END = re.compile(r"[.!?:;。．｡！？।۔][\"')\]]*$")
# A listing cuts an abstract short with an ellipsis.
ELLIPSES = ("…", "...")
# Title case: at least this share of a text's words start, at their first letter with a case, with a capital;
# the small words that titles write in lower case left out (reads_as_title).
TITLE_CASE_SHARE = 0.8
TITLE_MIN_WORDS = 3
TITLE_SMALL_WORDS = frozenset({"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of", "on",
                               "or", "the", "to", "via", "vs", "vs.", "with"})
LETTER = re.compile(r"[^\W\d_]")
# Six of 10,053 real titles are longer than this, none holds a tab, starts in lower case or ends a sentence (no
# real title does): a "title" this long that does is a title and its abstract on one line (a script's
# `title<TAB>abstract`; the shortest real abstract has 165 characters), or a piece of an abstract: cut
# mid-sentence, or a paragraph of it.
ODD_TITLE_CHARS = 150

# Spaces and tabs are cut from the ends of a line; other Unicode whitespace and control characters are text
# we keep. A line of nothing but whitespace, controls, invisible format characters and variation selectors (a
# no-break or zero-width space, as copies from browsers have) is blank all the same: it shows nothing, and
# read as a title or an abstract it would shift every pair after it.
BLANKS = " \t"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
NUMBERS = re.compile(r"([0-9]+)")
DATE_LINE = re.compile(r"(?P<month>[A-Z][a-z]{2}) (?P<day>[0-9]{1,2})")
# A date line written another way: a weekday before it, a month's name in any case, full or cut, a full stop, a
# day's suffix, a year.
OTHER_DATE_LINE = re.compile(r"(?:(?i:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?i:day|nesday|sday|rsday|urday)?"
                             r"\.?,? )?(?P<month>[A-Za-z]{3,9})\.? (?P<day>[0-9]{1,2})(?:st|nd|rd|th)?(?:,? [0-9]{4})?")
MONTHS_BY_NAME = {name: month for month, full in zip(MONTHS, (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december")) for name in (full, full[:3], *(["sept"] if month == "Sep" else []))}
DAYS_IN_MONTH = dict(zip(MONTHS, (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)))
# A file name may carry the dump's full date, as `0596_2026-08-21.txt` does (`calendar_date`).
ISO_DATE = re.compile(r"(?<![0-9])([0-9]{4})-([0-9]{2})-([0-9]{2})(?![0-9])")

# Refuse rather than build a site no browser could open. Generous next to real dumps (a few dozen papers,
# abstracts of ~2 KB), strict enough that a runaway paste fails at once with the line to look at.
MAX_LINE_CHARS = 2_000_000
MAX_DUMP_BYTES = 64 * 1024 * 1024
MAX_RECORDS_PER_DUMP = 5_000
MAX_PROBLEMS_SHOWN = 100  # of one dump (problems_shown)
# The longest of 10,053 real titles has 175 characters, the shortest abstract 165.
LONG_TITLE_CHARS = 300
# A title is shown wherever its paper is linked (listings, related papers of others): one of 1.9 million
# characters wrote 1.9 GB of pages for 1,000 papers. Ten times the longest real one is refused.
MAX_TITLE_CHARS = 2_000
# Where a dump has a line too many, another line than the last is named only if the pairs left without it are,
# all together, 4 times more like title-then-abstract in the ratio of abstract length to title length.
LAST_LINE_PRIOR = math.log(4)
# A line right after another, where a dump has a blank line between all others (glued_lines), is an abstract's
# second line unless the pairs left without it fit 16 times worse than without the likeliest other.
GLUED_LINE_PRIOR = math.log(16)
# A title that ends a sentence fits a pair as badly as an abstract 16 times shorter than its title: no real title
# ends in a full stop, and the first paragraph of an abstract in two does.
SENTENCE_TITLE_FIT = -math.log(16)


@dataclass(frozen=True)
class Record:
    """One title/abstract pair as written in one dump."""

    dump_id: str
    position: int  # 0-based order in the dump
    line: int  # 1-based line of the title
    title: str
    abstract: str


@dataclass(frozen=True)
class Dump:
    """One dump file: its identity is its file name, its label the date line it shows."""

    id: str
    file: str
    date_label: str
    records: tuple[Record, ...]
    # YYYY-MM-DD where the file name gives it (calendar_date); the page itself shows no year.
    calendar_date: str | None = None

    @property
    def records_text(self) -> tuple[tuple[str, str], ...]:
        return tuple((record.title, record.abstract) for record in self.records)


def dump_id_for(file_name: str) -> str:
    """The dump's identity: its file name without the `.txt` suffix."""
    return file_name[:-4] if file_name.endswith(".txt") else file_name


def problems_shown(problems: list[InputProblem], file_name: str) -> list[InputProblem]:
    """The first MAX_PROBLEMS_SHOWN problems of a dump, and a line for the rest: a file of another format can
    have one on every line (250,000 lines of a stray CR printed 250,000 lines)."""
    if len(problems) <= MAX_PROBLEMS_SHOWN:
        return problems
    rest = problems[MAX_PROBLEMS_SHOWN]
    return [*problems[:MAX_PROBLEMS_SHOWN], InputProblem(file_name, rest.line, (
        f"{len(problems) - MAX_PROBLEMS_SHOWN:,} more problems in this file are not listed; expected those above "
        "fixed first (is it a dump?)"))]


def parse_dump(text: str, file_name: str) -> Dump:
    """Parse one dump's text; raise InputError listing every problem found in it."""
    lines = split_lines(text)
    problems = stray_carriage_returns(lines, file_name)
    date_index, date_label = find_date_line(lines, file_name, problems)
    records: tuple[Record, ...] = ()
    if date_index is not None:
        records = parse_records(lines, date_index + 1, file_name, problems)
        if not records and not problems:
            problems.append(InputProblem(
                file_name, date_index + 1,
                "the dump has a date line but no papers; expected title and abstract lines after it"))
    if problems:
        raise InputError(problems_shown(problems, file_name))
    return Dump(id=dump_id_for(file_name), file=file_name, date_label=date_label, records=records,
                calendar_date=calendar_date(file_name, date_label))


def calendar_date(file_name: str, date_label: str) -> str | None:
    """The first date written as YYYY-MM-DD in the file name whose month and day are the date line's, as ISO
    text. Nothing else tells a dump's year, so without one a dump has none: papercat never guesses it."""
    for match in ISO_DATE.finditer(dump_id_for(file_name)):
        day = day_named(match[0])
        if day and f"{MONTHS[day.month - 1]} {day.day}" == date_label:
            return day.isoformat()
    return None


def day_named(iso_date: str) -> datetime.date | None:
    """The day YYYY-MM-DD names, or None: `2025-02-29` names none."""
    try:
        return datetime.date.fromisoformat(iso_date)
    except ValueError:
        return None


def split_lines(text: str) -> list[str]:
    """Lines without a BOM, line endings or trailing spaces (copies from browsers carry all three). Lines end
    with LF or CR LF (or CR CR LF, as a CR LF file converted twice has), and a CR elsewhere stays in its line
    (`stray_carriage_returns` reports it), as git and GitHub count lines; in a file with no LF before its
    end (an old Mac file, maybe with a final LF added), lines end at CR. One LF inside makes it a file of LF
    lines: an abstract holding CRs, counted as lines of their own, could pair up as invented records."""
    text = text.removeprefix("\ufeff")
    if "\n" not in text.rstrip("\r\n"):
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [line.rstrip(BLANKS + "\r") for line in text.split("\n")]


def stray_carriage_returns(lines: list[str], file_name: str) -> list[InputProblem]:
    """A CR inside a line breaks it in two for some readers and not for others: which line is a title and which
    an abstract would depend on who reads the file."""
    return [InputProblem(file_name, number, "a carriage return (CR) inside the line; expected each line to end "
                                            "with a line feed (LF or CR LF), as a file with any LF is read")
            for number, line in enumerate(lines, 1) if "\r" in line]


def is_blank(line: str) -> bool:
    return all(shows_nothing(char) for char in line)


def shows_nothing(char: str) -> bool:
    """Whitespace, controls, invisible format characters, fillers and variation selectors."""
    category = unicodedata.category(char)
    return char.isspace() or category == "Cc" or invisible(char)


def find_date_line(lines: list[str], file_name: str,
                   problems: list[InputProblem]) -> tuple[int | None, str]:
    """Index and text of the date line; page chrome may come before it, nothing else."""
    for index, line in enumerate(lines):
        stripped = line.strip(BLANKS)
        shown = shown_text(stripped)
        if is_blank(stripped) or shown in PAGE_CHROME:
            continue
        if is_date_line(shown):
            month, day = shown.split(" ")
            return index, f"{month} {int(day)}"  # `Aug 01` is `Aug 1`: the same date for naming dumps
        problems.append(InputProblem(file_name, index + 1, impossible_date(stripped) or date_written_otherwise(shown)
                                     or (f"found {preview(stripped)} before the date line; expected page chrome or a "
                                         "date line such as 'Aug 1'")))
        return None, ""
    text_line_numbers = [index + 1 for index, line in enumerate(lines) if not is_blank(line)]
    if text_line_numbers:
        problems.append(InputProblem(
            file_name, text_line_numbers[-1],
            "no date line after the page chrome; expected a line such as 'Aug 1' before the papers"))
    else:
        problems.append(InputProblem(
            file_name, 1, "the dump is empty; expected a date line such as 'Aug 1' and papers"))
    return None, ""


def shown_text(line: str) -> str:
    """What a line shows, by which date lines and chrome are known: without a zero-width space or a byte order
    mark (a second file pasted whole), a no-break space as a space, as browsers copy both."""
    return visible_text(line).replace("\u00a0", " ").strip(BLANKS)


def date_written_otherwise(line: str) -> str | None:
    """What to write for a date line written another way than the page writes it (`August 22`, `aug 22`,
    `Aug. 22nd, 2026`, `Fri, Aug 22`), which is not taken for one: the page's is the form a dump's date is known by."""
    match = OTHER_DATE_LINE.fullmatch(line)
    month = MONTHS_BY_NAME.get(match["month"].lower()) if match else None
    if not match or not month or not 1 <= int(match["day"]) <= DAYS_IN_MONTH[month]:
        return None
    return (f"date line {preview(line)} is written otherwise than the page writes it; expected the month's first "
            f"three letters and the day, such as '{month} {int(match['day'])}'")


def impossible_date(line: str) -> str | None:
    """What is wrong with a line that is written as a date line but names no day of the year, such as `Feb 30`."""
    match = DATE_LINE.fullmatch(line)
    if not match or match["month"] not in DAYS_IN_MONTH or is_date_line(line):
        return None
    days = DAYS_IN_MONTH[match["month"]]
    return (f"date line {preview(line)} names no day: {match['month']} has days 1 to {days}; expected a date "
            "line such as 'Aug 1'")


def is_date_line(line: str) -> bool:
    """True for `Mon D` with a real month and a day that month can have."""
    match = DATE_LINE.fullmatch(line)
    if not match or match["month"] not in DAYS_IN_MONTH:
        return False
    return 1 <= int(match["day"]) <= DAYS_IN_MONTH[match["month"]]


def parse_records(lines: list[str], start: int, file_name: str,
                  problems: list[InputProblem]) -> tuple[Record, ...]:
    """Pair up the non-blank lines after the date line as title, abstract, title, abstract, ..."""
    dump_id = dump_id_for(file_name)
    text_lines = [(index + 1, line) for index, line in enumerate(lines[start:], start) if not is_blank(line)]
    for line_number, line in text_lines:
        if len(line) > MAX_LINE_CHARS:
            problems.append(InputProblem(file_name, line_number,
                                         f"line of {len(line):,} characters; expected at most {MAX_LINE_CHARS:,}"))
    foreign_lines = lines_of_another_page(text_lines, file_name) or wrapped_lines(text_lines, file_name)
    if foreign_lines:  # what pairs with what means nothing until they are gone
        problems.extend(foreign_lines)
        return ()
    if len(text_lines) % 2:
        orphan = title_continued(text_lines)
        if orphan is not None:
            (_, title), (line_number, line) = text_lines[orphan - 1:orphan + 1]
            message = (f"{preview(line)} goes on with the title {preview(title)} on the line above it (a title "
                       "copied over two lines?), or that title has no abstract; expected each title on one line "
                       "(join the two lines), followed by its abstract")
        else:
            orphan = unpaired_line(text_lines)
            line_number, line = text_lines[orphan]
            message = (f"title {preview(line)} has no abstract; expected an abstract line after it"
                       if orphan == len(text_lines) - 1 else
                       f"{preview(line)} pairs with no other line: a title or an abstract without the other, or an "
                       "abstract continued on a second line; expected title and abstract lines in turn, each on one "
                       "line")
        problems.append(InputProblem(file_name, line_number, message))
        text_lines = text_lines[:orphan] + text_lines[orphan + 1:]
    if len(text_lines) > 2 * MAX_RECORDS_PER_DUMP:
        problems.append(InputProblem(
            file_name, text_lines[2 * MAX_RECORDS_PER_DUMP][0],
            f"{len(text_lines) // 2:,} papers in one dump; expected at most {MAX_RECORDS_PER_DUMP:,} "
            "(a Daily Papers page lists a few dozen: split the file by date)"))
    problems.extend(titles_out_of_step(text_lines, file_name) or no_sentence(text_lines, file_name)
                    or abstracts_reading_as_titles(text_lines, file_name) or titles_too_long(text_lines, file_name))
    return tuple(
        Record(dump_id=dump_id, position=position, line=title_line, title=title.strip(BLANKS),
               abstract=abstract.strip(BLANKS))
        for position, ((title_line, title), (_, abstract)) in enumerate(zip(text_lines[::2], text_lines[1::2]))
    )


def unpaired_line(text_lines: list[tuple[int, str]]) -> int:
    """Of an odd number of lines, the one that most likely broke the pairing: the one whose removal leaves pairs
    most like title-then-abstract, an abstract being many times longer than its title and a title ending no
    sentence (SENTENCE_TITLE_FIT), with a glued line (GLUED_LINE_PRIOR) the likelier. The last line, a title
    whose abstract was not copied, is the usual case: another is named only when the pairs it leaves fit
    clearly better (LAST_LINE_PRIOR)."""
    def fit(first: int, second: int) -> float:
        title = text_lines[first][1]
        return (math.log(len(text_lines[second][1]) / len(title))
                + (SENTENCE_TITLE_FIT if ends_sentence(title) else 0.0))

    count = len(text_lines)
    glued = glued_lines(text_lines)
    before = [0.0]  # before[k]: the fit of the pairs (0, 1) ... (2k-2, 2k-1)
    for first in range(0, count - 1, 2):
        before.append(before[-1] + fit(first, first + 1))
    after = [0.0] * (count + 1)  # after[i]: the fit of the pairs (i+1, i+2), (i+3, i+4), ... to the end
    for skipped in range(count - 3, -1, -2):
        after[skipped] = after[skipped + 2] + fit(skipped + 1, skipped + 2)

    def score(skipped: int) -> float:
        return (before[skipped // 2] + after[skipped] + (LAST_LINE_PRIOR if skipped == count - 1 else 0.0)
                + (GLUED_LINE_PRIOR if skipped in glued else 0.0))

    return max(range(0, count, 2), key=score)


def glued_lines(text_lines: list[tuple[int, str]]) -> set[int]:
    """In a dump that puts a blank line between its lines (every real one does), the lines that follow another
    with none between, where dropping one keeps the lines before it paired: an abstract continued on a second
    line. None where more than a quarter are: such a dump is written without blank lines."""
    glued = [index for index in range(1, len(text_lines)) if text_lines[index][0] == text_lines[index - 1][0] + 1]
    return {index for index in glued if index % 2 == 0} if 4 * len(glued) <= len(text_lines) else set()


def titles_out_of_step(text_lines: list[tuple[int, str]], file_name: str) -> list[InputProblem]:
    """The first title that reads as an abstract: longer than any real title (LONG_TITLE_CHARS) and than the
    line after it, or ending a sentence (a paragraph of an abstract); or, over ODD_TITLE_CHARS, holding a tab
    (a title and its abstract on one line) or starting in lower case (a piece of an abstract). Titles and
    abstracts are out of step from there, or from above, where two faults (a line missing, a line too many)
    cancelled out in the count and left every pair between them reversed."""
    for (title_line, title), (abstract_line, abstract) in zip(text_lines[::2], text_lines[1::2]):
        if "\t" in title and len(title) > ODD_TITLE_CHARS:
            fault = "with a tab in it (a title and its abstract on one line?)"
        elif title[:1].islower() and len(title) > ODD_TITLE_CHARS:
            fault = "starting in lower case, as the rest of a sentence does"
        elif len(title) > LONG_TITLE_CHARS and len(abstract) < len(title):
            fault = f"longer than its abstract on line {abstract_line}"
        elif ends_sentence(title) and len(title) > ODD_TITLE_CHARS:
            fault = "ending a sentence, as a paragraph of an abstract does"
        else:
            continue
        return [InputProblem(file_name, title_line, (
            f"title {preview(title)} is {len(title):,} characters, {fault}: titles and abstracts are out of step "
            "here or above (a line missing, a line too many, an abstract in several paragraphs, or a title and "
            "abstract on one line); expected each title followed by its abstract, each on one line"))]
    return []


def no_sentence(text_lines: list[tuple[int, str]], file_name: str) -> list[InputProblem]:
    """A dump of papers whose abstracts are all without a full stop is a copy of the Daily Papers list, which shows
    titles only: paired up, every other title would be published as the abstract of the one before it."""
    if len(text_lines) < 4 or any(has_full_stop(abstract) or cut_short(abstract)
                                  for _, abstract in text_lines[1::2]):
        return []  # one paper is too few to tell; a listing's abstracts cut short are abstracts
    return [InputProblem(file_name, text_lines[1][0], (
        f"no abstract of the dump has a full stop, so {preview(text_lines[1][1])} reads as a title, not an "
        "abstract; expected each title followed by its abstract (a copy of the list page shows titles only: "
        "copy each paper's abstract too)"))]


def abstracts_reading_as_titles(text_lines: list[tuple[int, str]], file_name: str) -> list[InputProblem]:
    """The first abstract that reads as a title (reads_as_title): where two papers' abstracts were not copied (an
    even number of lines missing keeps the count even), the next paper's title would be published as this
    one's abstract, and the next paper lost."""
    for (_, title), (line, abstract) in zip(text_lines[::2], text_lines[1::2]):
        if reads_as_title(abstract):
            return [InputProblem(file_name, line, (
                f"abstract {preview(abstract)} of {preview(title)} reads as a title: {len(abstract):,} "
                "characters in title case with no full stop (this paper's abstract and another's not copied?); "
                "expected each title followed by its abstract, each on one line (an abstract ends its sentences "
                "with a full stop)"))]
    return []


def reads_as_title(text: str) -> bool:
    """No longer than a title can be (LONG_TITLE_CHARS), without a full stop, and in title case: every real
    abstract has a full stop, and 97% of real titles are in title case. A word counts by its first letter that
    has a case, so markup (`**bold** <i>x</i>`, `$x^2$`), text in capitals and scripts without case (Korean,
    Thai) are not in title case."""
    if len(text) > LONG_TITLE_CHARS or has_full_stop(text) or cut_short(text) or text.upper() == text:
        return False
    words = [word for word in text.split() if LETTER.search(word)]
    firsts = [first for word in words if word.lower() not in TITLE_SMALL_WORDS
              for first in [next((char for char in word if char.lower() != char.upper()), None)] if first]
    return (len(words) >= TITLE_MIN_WORDS and 2 * len(firsts) >= len(words)
            and sum(first.isupper() for first in firsts) >= TITLE_CASE_SHARE * len(firsts))


def has_full_stop(text: str) -> bool:
    """Does the text end a sentence: a full stop that ends no abbreviation (`vs.`, `Dr.`, `U.S.`), after the number
    of a numbered list (`2. Title`)?"""
    text = text.lstrip(BLANKS)
    text = text[number.end():] if (number := LIST_NUMBER.match(text)) else text
    return any(ends_no_abbreviation(text, stop) for stop in FULL_STOP.finditer(text))


def ends_no_abbreviation(text: str, stop: re.Match[str]) -> bool:
    """Whether the full stop `stop` of `text` ends a sentence, not an abbreviation (`vs.`, `et al.`, `U.S.`)."""
    return stop[0] != "." or not ABBREVIATION_END.search(text, max(0, stop.start() - 12), stop.end())


def titles_too_long(text_lines: list[tuple[int, str]], file_name: str) -> list[InputProblem]:
    return [InputProblem(file_name, line, f"title {preview(title)} is {len(title):,} characters; expected at most "
                                          f"{MAX_TITLE_CHARS:,} (the longest real titles have under 200)")
            for line, title in text_lines[::2] if len(title) > MAX_TITLE_CHARS]


def lines_of_another_page(text_lines: list[tuple[int, str]], file_name: str) -> list[InputProblem]:
    """A second date line means two pages were pasted into one file, and page or card chrome among the papers
    a page copied with its chrome: the title/abstract pairing is off, or a paper would be made up of chrome.
    Each is known by what shows of it, so that a zero-width space or a byte order mark before it (a second
    file pasted whole) does not hide it."""
    problems = []
    shown_lines = [shown_text(line) for _, line in text_lines]
    for (line_number, line), shown, above, below in zip(text_lines, shown_lines, ["", *shown_lines],
                                                        [*shown_lines[1:], ""]):
        if is_date_line(shown):
            problems.append(InputProblem(file_name, line_number, f"second date line {preview(line)}; expected one "
                                                                 "date line per dump (split the file in two)"))
            continue
        what, remedy = chrome_line(shown, above, below)
        if what:
            problems.append(InputProblem(file_name, line_number, (
                f"{what} {preview(line)} among the papers; expected titles and abstracts only after the date "
                f"line, each on one line ({remedy})")))
    return problems


def wrapped_lines(text_lines: list[tuple[int, str]], file_name: str) -> list[InputProblem]:
    """The first line that goes on with the sentence of the line right above it, in a paragraph of three lines or
    more of a dump whose paragraphs are mostly one or two lines (a title, an abstract, or both): an abstract
    wrapped over several lines (an editor's hard wrap), whose pieces would be paired up as papers. Two lines with
    none between are a title and its abstract, which may start in lower case (`gsplat is …`); a dump written
    without blank lines (a stray one or two aside) is read line by line."""
    every_paragraph = paragraphs(text_lines)
    long_paragraphs = [paragraph for paragraph in every_paragraph if len(paragraph) > 2]
    if 2 * len(long_paragraphs) > len(every_paragraph):  # written without blank lines, but for a stray one or two
        return []
    for paragraph in long_paragraphs:
        for (_, above), (line_number, line) in itertools.pairwise(paragraph):
            if line.lstrip(BLANKS)[:1].islower() and not CLAUSE_END.search(above.rstrip(BLANKS)):
                return [InputProblem(file_name, line_number, (
                    f"{preview(line)} goes on with the sentence of the line above it, in {len(paragraph)} lines "
                    "with no blank line between them (an abstract wrapped over several lines?); expected each "
                    "title and each abstract on one line (join the abstract's lines)"))]
    return []


def title_continued(text_lines: list[tuple[int, str]]) -> int | None:
    """Of an odd number of lines, in a dump with a blank line between its paragraphs, the index of the second
    line of a title copied over two lines: a paragraph of three lines, the first two reading as a title together
    (reads_as_title: not the first half of an abstract), the third an abstract with a full stop."""
    for paragraph in paragraphs(text_lines):
        if len(paragraph) == 3:
            (_, first), (_, second), (_, abstract) = paragraph
            if reads_as_title(f"{first} {second}") and has_full_stop(abstract):
                return text_lines.index(paragraph[1])
    return None


def paragraphs(text_lines: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """The lines in runs with no blank line between them."""
    runs: list[list[tuple[int, str]]] = []
    for line_number, line in text_lines:
        if runs and runs[-1][-1][0] == line_number - 1:
            runs[-1].append((line_number, line))
        else:
            runs.append([(line_number, line)])
    return runs


def chrome_line(shown: str, above: str = "", below: str = "") -> tuple[str, str]:
    """What kind of chrome a line showing `shown` between lines showing `above` and `below` is, and what to do
    with it; ("", "") for a title or abstract."""
    if CONFLICT_MARKER.fullmatch(shown):
        return "a git conflict marker", "resolve the conflict: keep one side's lines and delete the markers"
    if shown in ABSTRACT_HEADINGS and has_full_stop(below):
        return "an abstract heading", "delete the line"
    if above == "Submitted by" and len(shown.split()) <= SUBMITTER_NAME_WORDS:
        return "a submitter name", "delete it and the 'Submitted by' line above it"
    chrome = CARD_CHROME_LINE.fullmatch(shown)
    if chrome and chrome["link"]:
        return "a link on a line of its own", "put the link at the end of its abstract's line"
    if chrome and chrome["count"]:
        return "a number on a line of its own (an upvote count?)", "delete the line"
    if chrome and shown == "Submitted by":
        return "page chrome", "delete it and the submitter name on the line after it"
    if shown == "AI-generated summary":
        return "page chrome", "delete it and the summary on the line after it: the abstract is the authors' text"
    if chrome or shown in PAGE_CHROME or shown in CARD_CHROME:
        return "page chrome", "delete the line"
    return "", ""


def ends_sentence(line: str) -> bool:
    """Does the line end in a full stop, maybe followed by a closing quote or bracket, that ends no abbreviation
    (`et al.`, `U.S.`)?"""
    line = line.rstrip(BLANKS)
    stop = FULL_STOP.search(line, max(0, len(line) - 3))
    return stop is not None and ends_no_abbreviation(line, stop)


def cut_short(abstract: str) -> bool:
    """Does the abstract end in an ellipsis, as a listing's does where it cuts one short?"""
    return abstract.rstrip(BLANKS).endswith(ELLIPSES)


def preview(text: str, limit: int = 60) -> str:
    """A short, quoted, single-line rendering of input text for error messages."""
    shown = text if len(text) <= limit else text[:limit] + "…"
    return repr(shown)


def read_dumps(dumps_dir: Path) -> tuple[Dump, ...]:
    """Read and parse every `*.txt` dump in file-name order (`dump_order`); raise InputError with every problem
    found. Hidden files (an editor's `.004_x.txt`) are not dumps."""
    if dumps_dir.is_file():
        raise InputError([InputProblem(str(dumps_dir), 0, (
            "a file, not a folder; expected the folder of dumps (papercat reads every dump of the folder, to merge "
            "the papers seen in several)"))])
    if not dumps_dir.is_dir():
        raise InputError([InputProblem(str(dumps_dir), 0, "no such folder; expected a folder of dump .txt files")])
    if dumps_dir.is_symlink():
        raise InputError([InputProblem(str(dumps_dir), 0, "a symbolic link; expected the folder of dumps itself "
                                       "(papercat reads no file outside it)")])
    entries = sorted(path for path in dumps_dir.iterdir() if not path.name.startswith("."))
    files = [path for path in entries if path.is_file() or path.is_symlink()]
    paths = sorted((path for path in files if path.suffix == ".txt"), key=dump_order)
    problems = [InputProblem(printable(path.name), 0, f"the name reads as a dump's but ends "
                                                       f"{name_end(path.name)!r}, not in .txt exactly; expected a "
                                                       "name ending in .txt (rename the file)")
                for path in files if misnamed_dump(path.name)]
    # A folder of dumps inside the dumps folder (one a year, say) would be skipped with all its papers.
    problems += [InputProblem(printable(path.name), 0, "a folder; expected dump files in the dumps folder itself "
                                                        "(papercat reads no folder inside it: move its dumps up, or "
                                                        "rename it to start with a dot to keep it out)")
                 for path in entries if path.is_dir() and not path.is_symlink()]
    problems += [InputProblem(printable(path.name), 0, "not a regular file (a pipe, socket or device); expected a "
                                                        "dump file")
                 for path in entries if not (path.is_file() or path.is_symlink() or path.is_dir())
                 and (path.suffix == ".txt" or misnamed_dump(path.name))]
    if not paths and not problems:
        raise InputError([InputProblem(str(dumps_dir), 0, "no dumps found; expected at least one .txt dump file")])
    dumps: list[Dump] = []
    for path in paths:
        try:
            check_file(path)
            dumps.append(parse_dump(read_dump_text(path), path.name))
        except InputError as error:
            problems.extend(error.problems)
    problems += days_out_of_order(dumps) + copied_dumps(dumps)
    if problems:
        raise InputError(problems)
    return tuple(dumps)


def misnamed_dump(name: str) -> bool:
    """Whether a file is a dump whose name was typed another way, to be refused rather than skipped in silence
    with its papers: `.TXT`, a space or a full stop after `.txt`, `.ｔｘｔ`, `. txt`, a zero-width space after
    it. The name ends in `.txt` once what shows nothing and final full stops are left out (and compatibility
    forms read as what they stand for), but not as written. `x.txt.bak` is not a dump."""
    folded = "".join(char for char in unicodedata.normalize("NFKC", name) if not shows_nothing(char))
    return folded.rstrip(".").lower().endswith(".txt") and not name.endswith(".txt")


def name_end(name: str) -> str:
    """A file name from its last full stop that something follows: `x.TXT` -> '.TXT', `x.txt.` -> '.txt.'."""
    return name[name.rstrip(".").rfind("."):]


def days_out_of_order(dumps: list[Dump]) -> list[InputProblem]:
    """Each dump whose name gives a day before the day of the dated dump read just before it: every page would
    call the older of the two the newer (its papers "new", the other's "seen before"), and feeds would date them
    backwards. Each dump is compared with the one before it, so one misnamed dump is one problem."""
    dated = [dump for dump in dumps if dump.calendar_date]
    return [InputProblem(dump.file, 0, (
                f"its name gives the day {dump.calendar_date}, before the {before.calendar_date} of {before.file}, "
                "which is read first (dumps are read in file-name order); expected names that sort in the order of "
                "their days (rename one of the two)"))
            for before, dump in itertools.pairwise(dated) if str(dump.calendar_date) < str(before.calendar_date)]


def copied_dumps(dumps: list[Dump]) -> list[InputProblem]:
    """A second dump of one day: a name that gives the day another name gives (no two real dumps share one), or
    a file saved twice, named as the other with a copy's mark (`0001_aug01 (1).txt`), with its date line and
    papers. Each made every paper of the day recurring, seen first in whichever name sorts first. The name read
    later is named, or the one with a copy's mark."""
    by_id = {dump.id: dump for dump in dumps}
    originals = {dump.id: by_id[name] for dump in dumps
                 if (name := COPY_MARK.sub("", dump.id)) != dump.id and name in by_id
                 and (by_id[name].date_label, by_id[name].records_text) == (dump.date_label, dump.records_text)}
    by_day: dict[str, Dump] = {}
    problems = [second_dump(by_id[copy], original) for copy, original in originals.items()]
    for dump in dumps:
        if dump.id in originals or not dump.calendar_date:
            continue
        if dump.calendar_date in by_day:
            problems.append(second_dump(dump, by_day[dump.calendar_date]))
        by_day.setdefault(dump.calendar_date, dump)
    return problems


def second_dump(dump: Dump, first: Dump) -> InputProblem:
    return InputProblem(dump.file, 0, (
        f"a second dump of the day of {first.file}; expected one dump per day (a file saved twice? delete the "
        "copy; or a later copy of the day's page? keep the one that lists every paper of the day)"))


# The marks a file manager or a browser puts on a copy's name, at its end: `x (1)`, `x copy`, `x - Copy`.
COPY_MARK = re.compile(r"(?: \([0-9]+\)| ?- ?[Cc]opy(?: \([0-9]+\))?| [Cc]opy(?: [0-9]+)?|_copy)$")


def dates_not_taken(dumps: tuple[Dump, ...]) -> list[InputProblem]:
    """A note for each dump whose name gives a day that is not its date line's: the dump gets no date
    (`calendar_date`), which its writer hardly meant."""
    notes = []
    for dump in dumps:
        written = [match[0] for match in ISO_DATE.finditer(dump_id_for(dump.file))]
        if not written or dump.calendar_date:
            continue
        days = [day for day in written if day_named(day)]
        if days:
            notes.append(InputProblem(dump.file, 0, (
                f"its name gives the day{'s' if len(days) > 1 else ''} {' and '.join(days)} but its date line says "
                f"{dump.date_label}, so the dump has no date; rename it, or correct the date line")))
        else:
            notes.append(InputProblem(dump.file, 0, (
                f"its name gives {' and '.join(written)}, which {'are' if len(written) > 1 else 'is'} no day of "
                "the calendar, so the dump has no date; rename it")))
    return notes


def unread_files(dumps_dir: Path) -> list[InputProblem]:
    """A note for each file of the dumps folder named as dumps are, from a number, that is not read as one: only
    `.txt` files are (`005_aug22` or `006_aug23.text` was skipped without a word)."""
    return [InputProblem(printable(path.name), 0, "not read, as only .txt files are dumps; rename it to end in .txt "
                                                  "if it is one")
            for path in sorted(dumps_dir.iterdir()) if path.name[:1].isdigit() and path.is_file()
            and path.suffix != ".txt" and not misnamed_dump(path.name)]


def mixed_dating(dumps: tuple[Dump, ...]) -> str | None:
    """A note for a catalog in which some dumps' names give their days and others' do not: feeds date the
    papers of the others by the build's day, above newer papers (README, *Dates and years*). A name giving a
    day its date line does not has its own note (dates_not_taken)."""
    undated = [dump.file for dump in dumps if not ISO_DATE.search(dump_id_for(dump.file))]
    if not undated or not any(dump.calendar_date for dump in dumps):
        return None
    named = ", ".join(undated[:3]) + (f" and {len(undated) - 3} more" if len(undated) > 3 else "")
    return (f"{len(undated)} of {len(dumps)} dumps have no day in their names ({named}), unlike the others: feeds "
            "date their papers by the day of the build, above newer papers; name every dump by its day "
            "(as in 0596_2026-08-21.txt), or none")


def dump_order(path: Path) -> tuple[list[str | int], str]:
    """File-name order, with the numbers in names compared by value: `999_x.txt` comes before `1000_x.txt`."""
    return [int(part) if index % 2 else part for index, part in enumerate(NUMBERS.split(path.name))], path.name


def check_file(path: Path) -> None:
    """A dump is a file of the dumps folder itself, with a name that can be shown: a symbolic link could make
    the build read, and show in errors, any file of the machine (a pull request's dumps are untrusted)."""
    shown = printable(path.name)
    if shown != path.name:
        raise InputError([InputProblem(shown, 0, "the file name is not UTF-8 or holds control characters; "
                                       "expected a file name that can be shown (rename the file)")])
    if path.is_symlink():
        raise InputError([InputProblem(path.name, 0, "a symbolic link; expected a dump file in the dumps folder itself "
                                       "(papercat reads no file outside it)")])


def read_dump_text(path: Path) -> str:
    """The dump's text, or InputError naming the first byte that is not UTF-8."""
    try:
        size = path.stat().st_size
        if size > MAX_DUMP_BYTES:
            raise InputError([InputProblem(path.name, 1,
                                           f"file of {size:,} bytes; expected at most {MAX_DUMP_BYTES:,}")])
        data = path.read_bytes()
    except OSError as error:
        raise InputError([InputProblem(path.name, 0, f"cannot read it ({error.strerror}); expected a readable "
                                                     "text file")]) from None
    if encoding := wide_encoding(data):
        raise InputError([InputProblem(path.name, 1, f"text in {encoding}; expected UTF-8 (save the file as UTF-8)")])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError([not_utf8(path.name, error, "a UTF-8 text file")]) from None


def wide_encoding(data: bytes) -> str | None:
    """"UTF-32" or "UTF-16" where `data` starts with that encoding's byte order mark, or "UTF-16" where it starts
    with Latin text in UTF-16 without one (every other byte zero, the others not); else None. A UTF-8 file has
    a zero byte only for a NUL character, which is text (README, *The dump format*)."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    start = data[:200]
    pairs = len(start) // 2
    zeros = sorted([start[0:pairs * 2:2].count(0), start[1:pairs * 2:2].count(0)])
    return "UTF-16" if pairs >= 4 and zeros[1] >= 0.8 * pairs and zeros[0] <= 0.2 * pairs else None
