"""Parsing sharp edges, each with its input inline."""
from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from generator.catalog import AbstractWords, build_catalog, group_records, newest_whole
from generator.errors import InputError
from generator.parse import (
    MAX_LINE_CHARS,
    MAX_PROBLEMS_SHOWN,
    MAX_RECORDS_PER_DUMP,
    MAX_TITLE_CHARS,
    calendar_date,
    parse_dump,
    read_dumps,
)
from generator.render.pages import SiteData
from generator.text import normalized_text


def test_crlf_bom_trailing_spaces_and_blank_runs_are_accepted():
    dump = parse_dump("\ufeffnew\r\n\r\nAug 1  \r\n\r\n\r\n\r\nTitle one \t\r\n\r\nAbstract one.\r\n\r\n\r\nTitle two\r\n\r\nAbstract two.", "000_x.txt")
    assert dump.date_label == "Aug 1" and dump.id == "000_x"
    assert [(r.title, r.abstract, r.line) for r in dump.records] == [
        ("Title one", "Abstract one.", 7), ("Title two", "Abstract two.", 12)]


def test_a_line_showing_nothing_is_blank_and_control_characters_are_text():
    """A no-break or zero-width space alone on a line, as browsers copy, separates like a blank line: read as a
    title or an abstract, it would shift every pair after it."""
    dump = parse_dump("Aug 1\n\nTitle\n\u00a0\u200b\nAbstract.\n\u3000\u3164\n\x01 title \u200b\n\n\x1c abstract\n",
                      "000_x.txt")
    assert [(r.title, r.abstract) for r in dump.records] == [("Title", "Abstract."), ("\x01 title \u200b", "\x1c abstract")]


def test_a_line_of_controls_or_variation_selectors_is_blank():
    """U+FE0F (which makes an emoji of the character before it), other variation selectors and controls show
    nothing alone on a line: two such lines used to shift every record between them."""
    dump = parse_dump("Aug 1\n\nTitle\n\ufe0f\nAbstract.\n\x00\x7f\u034f\nTitle two\n\U000e0100\nAbstract two\n", "000_x.txt")
    assert [(r.title, r.abstract) for r in dump.records] == [("Title", "Abstract."), ("Title two", "Abstract two")]


def test_a_carriage_return_inside_a_line_is_refused_and_a_file_of_cr_lines_read():
    """A lone CR in a file of LF lines would make two lines of one for some readers only (and with two of them
    the count stays even): refused, with the line as git counts it. A file of CR lines is read by CR."""
    with pytest.raises(InputError) as error:
        parse_dump("Aug 1\n\nFirst title\rwith a stray CR\n\nFirst abstract.\n", "000_x.txt")
    assert str(error.value).startswith("000_x.txt:3: a carriage return (CR) inside the line"), str(error.value)
    # More CRs than LFs, in an abstract: its sentences were read as four records of title and abstract.
    sentences = "\r".join(f"Sentence {number} of the abstract." for number in range(1, 10))
    with pytest.raises(InputError) as error:
        parse_dump(f"Aug 1\n\nA Study of Carriage Returns\n\n{sentences}\n", "000_x.txt")
    assert str(error.value).startswith("000_x.txt:5: a carriage return (CR) inside the line"), str(error.value)
    for text in ("Aug 1\r\rTitle\r\rAbstract\r", "Aug 1\r\rTitle\r\rAbstract\n"):  # a final LF added
        dump = parse_dump(text, "000_x.txt")
        assert [(r.title, r.abstract, r.line) for r in dump.records] == [("Title", "Abstract", 3)]
    dump = parse_dump("Aug 1\r\r\n\r\r\nTitle\r\r\n\r\r\nAbstract\r\r\n", "000_x.txt")  # CR LF converted twice
    assert [(r.title, r.abstract, r.line) for r in dump.records] == [("Title", "Abstract", 3)]


def test_faults_that_cancel_out_in_the_count_are_caught_where_an_abstract_reads_as_a_title():
    """A missing abstract and an abstract split in two leave an even count, and every pair between them
    reversed: the first title longer than any real one, before a shorter line, is named."""
    abstract = "We study a problem at length. " * 12
    text = (f"Aug 1\n\nT1\n\n{abstract}\n\nT2\n\nT3\n\n{abstract}\n\nT4\n\n{abstract}\n\n"
            "the second half of the fourth abstract.\n")
    with pytest.raises(InputError) as error:
        parse_dump(text, "000_x.txt")
    assert str(error.value).startswith("000_x.txt:11: title 'We study a problem at length."), str(error.value)
    assert "longer than its abstract on line 13: titles and abstracts are out of step" in str(error.value)


@pytest.mark.parametrize(("line", "form"), [("August 22", "Aug 22"), ("aug 22nd, 2026", "Aug 22"),
                                             ("Fri, Aug 22", "Aug 22"), ("Friday, August 22", "Aug 22"),
                                             ("fri, aug 22", "Aug 22"), ("Wednesday Aug 22", "Aug 22")])
def test_a_date_line_written_otherwise_names_the_form_to_write(line: str, form: str):
    """A weekday before the date (`Fri, Mar 12`) was said to be no date line at all (red team)."""
    with pytest.raises(InputError) as error:
        parse_dump(f"{line}\n\nT\n\nA.\n", "000_x.txt")
    assert f"is written otherwise than the page writes it; expected the month's first three letters and the day, " \
           f"such as '{form}'" in str(error.value), str(error.value)


def test_a_long_title_ending_in_an_abbreviation_is_a_title():
    """A title of over 150 characters that ends a sentence is a paragraph of an abstract; one that ends in an
    abbreviation's full stop (`U.S.`, `et al.`) does not end a sentence (a reviewer's catch)."""
    for ending in ("the U.S.", "Smith et al.", "GPT-4 vs."):
        title = f"{'A Long Title About Red-Teaming Open Language Models According To ' * 3}{ending}"
        assert len(title) > 150
        dump = parse_dump(f"Aug 1\n\n{title}\n\n{ABSTRACT}\n", "000_x.txt")
        assert [record.title for record in dump.records] == [title]


def test_a_day_with_a_leading_zero_is_the_same_date():
    assert parse_dump("Aug 01\n\nTitle\n\nAbstract\n", "000_x.txt").date_label == "Aug 1"


def test_a_dump_has_a_year_only_where_its_file_name_gives_its_day():
    assert calendar_date("0596_2026-08-21.txt", "Aug 21") == "2026-08-21"
    assert calendar_date("0596_2026-08-21.txt", "Aug 20") is None, "a name that disagrees with the date line"
    assert calendar_date("7_2025-02-29_2024-02-29.txt", "Feb 29") == "2024-02-29", "2025 has no Feb 29"
    assert calendar_date("12026-08-21.txt", "Aug 21") is None and calendar_date("000_8ee9efdb.txt", "Aug 1") is None
    assert parse_dump("Aug 1\n\nT\n\nA\n", "001_2023-08-01.txt").calendar_date == "2023-08-01"


def test_dumps_whose_names_give_days_out_of_order_are_refused(tmp_path):
    """Read first, `feb_...` would be the older dump on every page: its papers new, January's seen before."""
    write_dump(tmp_path, "feb_2026-02-01.txt", "Feb 1")
    write_dump(tmp_path, "jan_2026-01-05.txt", "Jan 5")
    write_dump(tmp_path, "mar_x.txt", "Mar 1")  # undated: no order to keep
    with pytest.raises(InputError) as error:
        read_dumps(tmp_path)
    assert str(error.value) == (
        "jan_2026-01-05.txt: its name gives the day 2026-01-05, before the 2026-02-01 of feb_2026-02-01.txt, which "
        "is read first (dumps are read in file-name order); expected names that sort in the order of their days "
        "(rename one of the two)")
    (tmp_path / "jan_2026-01-05.txt").rename(tmp_path / "a_jan_2026-01-05.txt")
    assert [dump.calendar_date for dump in read_dumps(tmp_path)] == ["2026-01-05", "2026-02-01", None]



@pytest.mark.parametrize(("names", "named"), [
    # The copy's name sorts first: every paper of the day was recurring, first seen in the copy (red team N3).
    (("0001_2024-03-13.txt", "0001_2024-03-13 (1).txt"), "0001_2024-03-13 (1).txt: a second dump of the day of "
                                                         "0001_2024-03-13.txt"),
    (("0001_aug01.txt", "0001_aug01 - Copy.txt"), "0001_aug01 - Copy.txt: a second dump of the day of 0001_aug01.txt"),
    # Two names of one day, the second copy of the page perhaps a later one with more papers.
    (("0001_2024-03-13.txt", "0002_2024-03-13.txt"), "0002_2024-03-13.txt: a second dump of the day of "
                                                     "0001_2024-03-13.txt"),
])
def test_a_second_dump_of_one_day_is_refused_naming_it(tmp_path, names, named):
    for name in names:
        write_dump(tmp_path, name, "Mar 13")
    with pytest.raises(InputError) as error:
        read_dumps(tmp_path)
    assert str(error.value) == f"{named}; expected one dump per day (a file saved twice? delete the copy; or a " \
                               "later copy of the day's page? keep the one that lists every paper of the day)"


def test_dumps_of_other_days_may_list_the_same_papers(tmp_path):
    write_dump(tmp_path, "0001_2024-03-13.txt", "Mar 13")
    write_dump(tmp_path, "0002_2024-03-14.txt", "Mar 14")
    write_dump(tmp_path, "0003_x.txt", "Mar 15")
    write_dump(tmp_path, "0003_x (1).txt", "Mar 16")  # a copy's name, but another day's date line
    assert len(read_dumps(tmp_path)) == 4


def test_one_misnamed_dump_is_one_problem(tmp_path):
    """A year typed wrong in one name: that dump is named, not every dump after it."""
    write_dump(tmp_path, "000_2025-01-01.txt", "Jan 1")
    write_dump(tmp_path, "001_2026-01-02.txt", "Jan 2")  # meant 2025
    for day in range(3, 6):
        write_dump(tmp_path, f"00{day - 1}_2025-01-0{day}.txt", f"Jan {day}")
    with pytest.raises(InputError) as error:
        read_dumps(tmp_path)
    assert [problem.file for problem in error.value.problems] == ["002_2025-01-03.txt"]


@pytest.mark.parametrize(("pasted", "line", "message"), [
    ("\ufeffAug 2", 7, "second date line '\\ufeffAug 2'; expected one date line per dump"),
    ("\u200bAug 2\u200b", 7, "second date line '\\u200bAug 2\\u200b'; expected one date line per dump"),
    ("Aug\u00a02", 7, "second date line 'Aug\\xa02'; expected one date line per dump"),  # seen through before one
    ("Daily Papers\u00a0", 7, "page chrome 'Daily Papers\\xa0' among the papers"),
    ("new", 7, "page chrome 'new' among the papers; expected titles and abstracts only after the date line"),
])
def test_another_pages_lines_among_the_papers_are_refused_as_they_show(pasted: str, line: int, message: str):
    """Hidden behind what shows nothing (a second file pasted whole, its byte order mark and all), a date line
    was read as a title, and with short abstracts every record after it paired up wrongly, silently."""
    with pytest.raises(InputError) as error:
        parse_dump(f"Aug 1\n\nT1\n\nA1.\n\n{pasted}\n\nT2\n\nA2.\n\nT3\n", "000_x.txt")
    assert f"000_x.txt:{line}: {message}" in str(error.value), str(error.value)


ABSTRACT = "We study a problem at length. It matters to many readers, as we show on three benchmarks."


@pytest.mark.parametrize(("lines", "named"), [
    (["Submitted by akhaliq", "40"], [("Submitted by akhaliq", 7), ("40", 9)]),  # a paper card's lines
    (["arXiv", "GitHub"], [("arXiv", 7), ("GitHub", 9)]),
    (["Previous", "Next"], [("Previous", 7), ("Next", 9)]),  # the list's navigation
    (["AI-generated summary", "\u200b42\u200b"], [("AI-generated summary", 7), (r"\u200b42\u200b", 9)]),
    (["Published on Mar 11, 2024", "Authors:"], [("Published on Mar 11, 2024", 7), ("Authors:", 9)]),  # a paper's page
    (["System theme", "Company"], [("System theme", 7), ("Company", 9)]),  # the site's footer
    (["Submitted by", "akhaliq"], [("Submitted by", 7), ("akhaliq", 9)]),  # the name on a line of its own
    (["Submitted by Jose Luis Garcia Perez", "41"], [("Submitted by Jose Luis Garcia Perez", 7), ("41", 9)]),
    (["View arXiv page", "View PDF"], [("View arXiv page", 7), ("View PDF", 9)]),  # a paper page's buttons
    (["Daily", "Weekly"], [("Daily", 7), ("Weekly", 9)]),  # the list's tabs
    (["<<<<<<< HEAD", "======="], [("<<<<<<< HEAD", 7), ("=======", 9)]),  # a merge's conflict, left in
    (["Abstract", ABSTRACT], [("Abstract", 7)]),  # a paper page's heading over its abstract: T2 has two
    (["Abstract", "We study it. Code: https://github.com/a/b"], [("Abstract", 7)]),  # one that ends in a link
    (["Code: https://github.com/a/b", "Project page: https://a.github.io/b/"],
     [("Code: https://github.com/a/b", 7), ("Project page: https://a.github.io/b/", 9)]),
    # A paper page's column of what cites it, below the abstract (red team: four papers made up of it).
    (["Models citing this paper 0", "No model linking this paper"],
     [("Models citing this paper 0", 7), ("No model linking this paper", 9)]),
    (["Cite arxiv.org/abs/2408.00118 in a dataset README.md to link it from this page.",
      "Collections including this paper 3"],
     [("Cite arxiv.org/abs/2408.00118 in a dataset README.md to link…", 7),  # the message's preview
      ("Collections including this paper 3", 9)]),
    (["Add this paper to a collection to link it from this page.", "No Space linking this paper"],
     [("Add this paper to a collection to link it from this page.", 7), ("No Space linking this paper", 9)]),
    (["· 12 authors", "Sign up or log in to comment"], [("· 12 authors", 7), ("Sign up or log in to comment", 9)]),
    (["Upvote 56", "3 comments"], [("Upvote 56", 7), ("3 comments", 9)]),
    (["Log In", "Sign Up"], [("Log In", 7), ("Sign Up", 9)]),  # the site's header
])
def test_lines_of_a_paper_card_among_the_papers_are_refused_not_made_papers(lines: list[str], named):
    """Two such lines keep the count even and the real pairs in step: each pair was published as a paper
    ("Submitted by akhaliq", abstract "40"), and a `Code:` line took the code link from its paper (red team)."""
    body = "\n\n".join(["T1", ABSTRACT, *lines, "T2", ABSTRACT])
    with pytest.raises(InputError) as error:
        parse_dump(f"Aug 1\n\n{body}\n", "000_x.txt")
    found = [(problem.message.split("'")[1], problem.line) for problem in error.value.problems]
    assert found == named, str(error.value)


def test_a_title_starting_as_a_card_line_does_is_a_title():
    """`Submitted by` and a name of up to three words is a card's line; a title that starts so is a paper."""
    dump = parse_dump(f"Aug 1\n\nSubmitted by Machines: Detecting AI-Written Peer Reviews\n\n{ABSTRACT}\n",
                      "000_x.txt")
    assert [record.title for record in dump.records] == ["Submitted by Machines: Detecting AI-Written Peer Reviews"]


def test_an_ai_summary_copied_with_its_paper_is_named_with_its_heading():
    """A paper page's AI-generated summary, copied between a title and its abstract with both headings: deleting
    the headings alone left the summary to be paired as the paper's abstract (red team)."""
    body = "\n\n".join(["T1", ABSTRACT, "T2", "AI-generated summary", "A model summarises it well.", "Abstract",
                         ABSTRACT])
    with pytest.raises(InputError) as error:
        parse_dump(f"Aug 1\n\n{body}\n", "000_x.txt")
    assert str(error.value).startswith(
        "000_x.txt:9: page chrome 'AI-generated summary' among the papers; expected titles and abstracts only after "
        "the date line, each on one line (delete it and the summary on the line after it"), str(error.value)


@pytest.mark.parametrize(("text", "line", "message"), [
    # An abstract in three paragraphs: the middle one reads as a title, and the third as its abstract.
    (f"Aug 1\n\nT1\n\n{ABSTRACT}\n\n{'We go on at length. ' * 16}\n\n{'And end it here. ' * 20}\n\nT2\n\n{ABSTRACT}\n",
     7, "title 'We go on at length. We go on at length. We go on at length. …' is 319 characters, ending a "
        "sentence, as a paragraph of an abstract does: titles and abstracts are out of step here or above"),
    # A script's one line a paper, title and abstract separated by a tab.
    (f"Aug 1\n\nT1\t{ABSTRACT * 4}\n\nT2\t{ABSTRACT * 5}\n", 3,
     "title 'T1\\tWe study a problem at length. It matters to many readers,…' is 359 characters, with a tab "
     "in it (a title and its abstract on one line?)"),
    # Short lines of a title and its abstract: under 300 characters, but no title holds a tab.
    (f"Aug 1\n\nT1\t{ABSTRACT * 2}\n\nT2\t{ABSTRACT * 2}\n", 3, "title 'T1\\tWe study a problem at length. It matters to "
     "many readers,…' is 181 characters, with a tab in it"),
    # An abstract cut in three pieces mid-sentence: the middle one reads as a title, the last as its abstract.
    (f"Aug 1\n\nT1\n\n{ABSTRACT[:50]}\n\n{ABSTRACT[50:] + ' and ' + ABSTRACT * 2}\n\n{ABSTRACT * 3}\n\nT2\n\n{ABSTRACT}\n", 7,
     "title 'eaders, as we show on three benchmarks. and We study a probl…' is 222 characters, starting in lower "
     "case, as the rest of a sentence does"),
    # A copy of the Daily Papers list, which shows titles only.
    ("Aug 1\n\nStealing Part of a Model\n\nAdding NVMe SSDs to a GPU\n\nV3D: Video Diffusion Models\n\n"
     "Qwen2.5-VL Technical Report\n", 5,
     "no abstract of the dump has a full stop, so 'Adding NVMe SSDs to a GPU' reads as a title, not an abstract"),
    # Two papers' abstracts not copied, next to each other: the second title was published as the first's
    # abstract, the second paper lost.
    (f"Aug 1\n\nT1\n\n{ABSTRACT}\n\nChronos: Learning the Language of Time Series\n\n"
     f"Synth^2: Boosting Visual-Language Models with Synthetic Captions\n\nT4\n\n{ABSTRACT}\n", 9,
     "abstract 'Synth^2: Boosting Visual-Language Models with Synthetic Capt…' of 'Chronos: Learning the Language "
     "of Time Series' reads as a title: 64 characters in title case with no full stop"),
    # A copy of the list's titles, one of which holds an abbreviation's full stop (`vs.`), or numbered as a list:
    # still a dump of no full stop (the numbered one was published, every other title as an abstract).
    ("Aug 1\n\nStealing Part of a Model\n\nBase vs. Instruct LLMs in RAG Systems\n\nV3D: Video Diffusion "
     "Models\n\nQwen2.5-VL Technical Report\n", 5,
     "no abstract of the dump has a full stop, so 'Base vs. Instruct LLMs in RAG Systems' reads as a title"),
    ("Aug 1\n\n1. Stealing Part of a Model\n\n2. Adding NVMe SSDs to a GPU\n\n3. V3D: Video Diffusion Models\n\n"
     "4. Qwen2.5-VL Technical Report\n", 5,
     "no abstract of the dump has a full stop, so '2. Adding NVMe SSDs to a GPU' reads as a title"),
    # Two papers' abstracts not copied, the next title holding `vs.`: it was published as an abstract.
    (f"Aug 1\n\nT1\n\n{ABSTRACT}\n\nStealing Part of a Model\n\nMamba vs. Transformers: Scaling Laws for Long "
     f"Context\n\nT3\n\n{ABSTRACT}\n", 9,
     "abstract 'Mamba vs. Transformers: Scaling Laws for Long Context' of 'Stealing Part of a Model' reads as a title"),
    # A paragraph of an abstract in three, its middle one of one long sentence: it was published as a paper.
    (f"Aug 1\n\nT1\n\n{ABSTRACT}\n\nT2\n\n{ABSTRACT}\n\n{'In such a scenario the work suffers from issues ' * 4}"
     f"of capacity.\n\n{ABSTRACT}\n", 11,
     "title 'In such a scenario the work suffers from issues In such a sc…' is 204 characters, ending a sentence, "
     "as a paragraph of an abstract does"),
])
def test_pairs_that_do_not_read_as_title_and_abstract_are_refused(text: str, line: int, message: str):
    """Each was published: a paragraph as a paper of its own, two papers as one, every other title as the
    abstract of the one before it (red team)."""
    with pytest.raises(InputError) as error:
        parse_dump(text, "000_x.txt")
    assert str(error.value).startswith(f"000_x.txt:{line}: {message}"), str(error.value)


@pytest.mark.parametrize("abstract", ["<img src=x onerror=alert(1)>", "Math $x^2$ and $$\\int_0^1 f$$",
                                      "An abstract of one line that says what it does", "深度学习的预训练", "NO",
                                      "Do models reason? We ask", "**Bold** _italic_ [link](http://x)",
                                      "<b>bold</b> <i>italic</i> <u>under</u>", "Math $x^2$ and $y$",
                                      "WE PROPOSE A NEW METHOD FOR THINGS", "한국어 초록 입니다 정말",
                                      "यह एक सार है ।"])
def test_short_abstracts_without_a_full_stop_that_read_as_no_title_are_abstracts(abstract: str):
    """Hostile text written as an abstract is published as written: only a title-case line is taken for a title."""
    dump = parse_dump(f"Aug 1\n\nT1\n\n{abstract}\n\nT2\n\n{ABSTRACT}\n", "000_x.txt")
    assert [record.abstract for record in dump.records] == [abstract, ABSTRACT]


def test_an_abstract_wrapped_over_several_lines_is_refused_at_its_first_piece():
    """An editor's hard wrap at 80 columns made two papers nineteen, each a piece of a sentence (red team N5)."""
    wrapped = "We study a problem at length, as\nmany readers have asked us to. It\nmatters, as we show on three\nbenchmarks."
    with pytest.raises(InputError) as error:
        parse_dump(f"Aug 1\n\nT1\n\n{wrapped}\n\nT2\n\n{wrapped}\n", "000_x.txt")
    assert str(error.value).startswith("000_x.txt:6: 'many readers have asked us to. It' goes on with the sentence of "
                                       "the line above it, in 4 lines with no blank line between them"), str(error.value)


@pytest.mark.parametrize("text", [
    f"Aug 1\n\ngsplat: A Library\ngsplat is a library. It is open.\n\nT2\n{ABSTRACT}\n",  # title and abstract
    f"Aug 1\nT1\n{ABSTRACT}\nmPLUG: a model\nmodels are written so. We show it.\n",  # no blank lines at all
])
def test_lines_without_blank_lines_between_them_are_titles_and_abstracts(text: str):
    assert len(parse_dump(text, "000_x.txt").records) == 2


def test_a_listings_abstracts_cut_short_before_a_full_stop_are_abstracts():
    """A copy of a listing cuts abstracts short, often before their first full stop: it is no titles-only copy."""
    dump = parse_dump("Aug 1\n\nT1\n\nWe study a problem at length and it matters…\n\nT2\n\nWe show that…\n", "000_x.txt")
    assert [record.title for record in dump.records] == ["T1", "T2"]


@pytest.mark.parametrize("date_line", ["\u200bAug 1", "\ufeff\ufeffAug 1", "Aug\u00a01"])
def test_a_date_line_is_known_by_what_shows_of_it(date_line: str):
    """A zero-width space, a second byte order mark or a no-break space, as browsers copy them, were refused
    before the date line, though seen through in a second date line."""
    dump = parse_dump(f"by AK and the research community\n\n{date_line}\n\nT1\n\n{ABSTRACT}\n", "000_x.txt")
    assert dump.date_label == "Aug 1" and [record.title for record in dump.records] == ["T1"]


def test_an_abstract_cut_short_in_a_later_dump_is_the_same_paper_showing_the_whole_one():
    """A later dump copied from a listing, whose abstracts end in "…", made every paper twice (red team)."""
    whole = ABSTRACT + " " + "Our method is simple and works on every dataset we tried, large or small."
    cut = whole[:70] + "…"
    dumps = (parse_dump(f"Aug 1\n\nA Paper\n\n{whole}\n", "000_a.txt"),
             parse_dump(f"Aug 2\n\nA Paper\n\n{cut}\n", "001_b.txt"))
    (paper,) = build_catalog(dumps).papers
    assert paper.abstract == whole and paper.earlier_abstracts == () and len(paper.records) == 2
    # A revision after the copy is compared with the whole wording, not the copy (a reviewer's case: it was
    # a paper of its own), and the copy is no earlier wording of it.
    revised = whole.replace("We study", "We examine")
    (paper,) = build_catalog((*dumps, parse_dump(f"Aug 3\n\nA Paper\n\n{revised}\n", "002_c.txt"))).papers
    assert paper.abstract == revised and [record.abstract for record in paper.earlier_abstracts] == [whole]
    # Too few words to tell: "We study…" could start any abstract.
    dumps = (dumps[0], parse_dump(f"Aug 2\n\nA Paper\n\n{whole[:20]}…\n", "001_b.txt"))
    assert len(build_catalog(dumps).papers) == 2


def test_two_pasted_pages_are_named_by_their_second_date_line():
    """Not by whichever line the pairing then trips over."""
    with pytest.raises(InputError) as error:
        parse_dump("Aug 1\n\nT1\n\nA long first abstract.\n\nAug 2\n\nT2\n\nA long second abstract.\n", "000_x.txt")
    assert str(error.value) == ("000_x.txt:7: second date line 'Aug 2'; expected one date line per dump "
                                "(split the file in two)"), str(error.value)


def test_a_folder_in_the_dumps_folder_is_refused_not_skipped(tmp_path):
    write_dump(tmp_path, "000_a.txt", "Aug 1")
    (tmp_path / "2025").mkdir()
    write_dump(tmp_path / "2025", "001_b.txt", "Aug 2")
    (tmp_path / ".drafts").mkdir()
    with pytest.raises(InputError) as error:
        read_dumps(tmp_path)
    assert [str(problem) for problem in error.value.problems] == [
        "2025: a folder; expected dump files in the dumps folder itself (papercat reads no folder inside it: move "
        "its dumps up, or rename it to start with a dot to keep it out)"]


@pytest.mark.parametrize("name", ["001_b.TXT", "001_b.txt ", "001_b.txt.", "001_b.\uff54\uff58\uff54", "001_b. txt",
                                  "001_b.txt\u200b"])
def test_a_dump_whose_name_was_typed_another_way_is_refused_not_skipped(tmp_path, name):
    write_dump(tmp_path, "000_a.txt")
    write_dump(tmp_path, name)
    (tmp_path / "notes.md").write_text("not a dump", encoding="utf-8")
    (tmp_path / "000_a.txt.bak").write_text("an editor's copy", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_dumps(tmp_path)
    end = name[name.rstrip(".").rfind("."):]
    assert end.lstrip(".")[:1] in ("t", "T", " ", "\uff54")
    assert str(error.value) == (f"{name}: the name reads as a dump's but ends {end!r}, not in .txt exactly; "
                                "expected a name ending in .txt (rename the file)")


def test_names_in_the_dumps_folder_are_shown_with_their_control_characters_escaped(tmp_path):
    """A pull request's file names reach a maintainer's terminal and CI log: an escape sequence there could clear
    the screen or hide text, and a line end forge a line of the report."""
    write_dump(tmp_path, "000_a.txt")
    (tmp_path / "dir\x1b[2J\nx.txt:1: fine").mkdir()
    write_dump(tmp_path, "x\x1b]0;title\x07.TXT")
    with pytest.raises(InputError) as error:
        read_dumps(tmp_path)
    shown = [problem.file for problem in error.value.problems]
    assert shown == ["x\\u001b]0;title\\u0007.TXT", "dir\\u001b[2J\\u000ax.txt:1: fine"], shown
    assert not any(char in str(error.value) for char in "\x1b\x07"), str(error.value)


def test_a_pipe_named_as_a_dump_is_refused_not_skipped(tmp_path):
    write_dump(tmp_path, "000_a.txt")
    os.mkfifo(tmp_path / "001_b.txt")
    with pytest.raises(InputError) as error:
        read_dumps(tmp_path)
    assert str(error.value) == "001_b.txt: not a regular file (a pipe, socket or device); expected a dump file"


def test_same_title_abstracts_without_letters_are_compared_by_what_they_hold():
    dump = parse_dump("Aug 1\n\nA title\n\n🙂🙂🙂\n\nA title\n\n—— ?! ——.\n\nA title\n\n🙂🙂🙂\n", "000_x.txt")
    assert len(build_catalog((dump,)).papers) == 2


@pytest.mark.parametrize(("text", "line", "message"), [
    ("Aug 1\n\nT1\n\nA long first abstract.\n\nT2\n\nT3\n\nA long third abstract.\n\nT4\n\nA long fourth one.\n",
     7, "'T2' pairs with no other line: a title or an abstract without the other, or an abstract continued"),
    ("Aug 1\n\nT1\n\nA long first abstract\nwrapped onto a second line.\n\nT2\n\nA long second abstract.\n",
     6, "'wrapped onto a second line.' pairs with no other line"),
    ("Aug 1\n\nT1\n\nA long first abstract.\n\nT2\n", 7, "title 'T2' has no abstract; expected an abstract line"),
    # A line right after another, where every other line has a blank one between: short lines, and the first
    # record's abstract (the last line or the title was named, which a reader found nothing wrong with).
    ("Aug 1\n\nA title\n\nFirst half of the abstract,\nits second half.\n\nT2\n\nAbstract two.\n",
     6, "'its second half.' pairs with no other line"),
    ("Aug 1\n\nT1\n\nA1\n\nT2\n\nA2 goes on\nand on.\n\nT3\n\nA3\n", 10, "'and on.' pairs with no other line"),
    # An abstract in two paragraphs, the first about as long as its title: the title was named (a new user's
    # review); a title ends no sentence, the first paragraph does.
    ("Aug 1\n\nT1\n\nA long first abstract, long enough.\n\nCounterfactual Replay: Reducing Reward Hacking\n\n"
     "Reinforcement learning can exploit the reward.\n\nWe introduce a replay that is longer than the first half.\n"
     "\nT3\n\nA long third abstract, long enough.\n", 11, "'We introduce a replay that is longer than the first half.' "
     "pairs with no other line"),
    # A title copied over two lines: its second half is named, with the title it goes on with (the first half
    # was named as a line that pairs with nothing, and the remedy joined it to the abstract above).
    ("Aug 1\n\nT1\n\nA long first abstract.\n\nSecond Paper: Learning to Wrap Titles\nAcross Two Lines\n"
     "We present a method for titles.\n\nT3\n\nA long third abstract.\n", 8,
     "'Across Two Lines' goes on with the title 'Second Paper: Learning to Wrap Titles' on the line above it"),
    # ...but not an abstract's first half under its title: it does not read as the rest of a title.
    ("Aug 1\n\nT1\n\nA long first abstract.\n\nSecond Paper Title\nA short abstract start without stop\n"
     "With more words here.\n\nT3\n\nA long third abstract.\n", 9, "'With more words here.' pairs with no other"),
    # A title glued to the abstract before it pairs fine: the last title without an abstract is the fault.
    ("Aug 1\n\nTitle one\n\nAbstract one is long enough to be an abstract.\nTitle two\n\nAbstract two is a long "
     "abstract too.\n\nTitle three\n\nAbstract three is long as well.\n\nTitle four\n", 14,
     "title 'Title four' has no abstract"),
])
def test_the_line_that_breaks_the_pairing_is_the_one_named(text, line, message):
    with pytest.raises(InputError) as error:
        parse_dump(text, "000_x.txt")
    assert str(error.value).startswith(f"000_x.txt:{line}: {message}"), str(error.value)


def test_a_one_megabyte_abstract_is_kept_whole():
    abstract = "word " * 200_000
    dump = parse_dump(f"Aug 1\n\nBig\n\n{abstract}\n", "000_x.txt")
    assert dump.records[0].abstract == abstract.strip()


def test_a_line_longer_than_the_limit_is_refused_with_its_line():
    with pytest.raises(InputError) as error:
        parse_dump(f"Aug 1\n\nBig\n\n{'x' * (MAX_LINE_CHARS + 1)}\n", "000_x.txt")
    assert str(error.value).startswith("000_x.txt:5: line of 2,000,001 characters; expected at most")


def test_a_title_longer_than_any_title_is_refused_with_its_line():
    """A title shows wherever its paper is linked: one of 1.9 million characters wrote 1.9 GB of pages."""
    title = "Language Model " * 200
    with pytest.raises(InputError) as error:
        parse_dump(f"Aug 1\n\nShort\n\nAn abstract.\n\n{title}\n\n{title * 2}\n", "000_x.txt")
    assert str(error.value).startswith("000_x.txt:7: title 'Language Model Language Model"), str(error.value)
    assert f"is {len(title.strip()):,} characters; expected at most {MAX_TITLE_CHARS:,}" in str(error.value)


def test_a_file_of_problems_on_every_line_lists_a_hundred_and_counts_the_rest():
    """A file of another format has a problem on every line: 250,000 lines of a stray CR printed 250,000 lines."""
    with pytest.raises(InputError) as error:
        parse_dump("Aug 1\n\nT\n\nA.\n" + "a\rb\n" * 250, "000_x.txt")
    problems = error.value.problems
    assert len(problems) == MAX_PROBLEMS_SHOWN + 1
    # 250 stray CRs, and the lines they split read as an abstract wrapped over several lines.
    assert str(problems[-1]).endswith("151 more problems in this file are not listed; expected those above fixed "
                                      "first (is it a dump?)"), str(problems[-1])


def test_too_many_records_in_one_dump_is_refused_clearly():
    body = "".join(f"Title {n}\n\nAbstract {n}\n\n" for n in range(MAX_RECORDS_PER_DUMP + 1))
    with pytest.raises(InputError) as error:
        parse_dump("Aug 1\n\n" + body, "000_x.txt")
    assert "5,001 papers in one dump; expected at most 5,000" in str(error.value)


def test_many_records_across_dumps_are_all_kept():
    dumps = tuple(parse_dump("Aug 1\n\n" + "".join(f"Paper {d}-{n}\n\nAbstract of paper {d} {n}.\n\n" for n in range(2_000)),
                             f"{d:03d}_x.txt") for d in range(5))
    assert len(build_catalog(dumps).papers) == 10_000


def test_same_title_different_abstract_is_two_papers_pointing_at_each_other():
    dump = parse_dump("Aug 1\n\nOne Title\n\nAbout vision transformers for images.\n\n"
                      "One title\n\nA study of soil bacteria in gardens.\n", "000_x.txt")
    papers = build_catalog((dump,)).papers
    assert len(papers) == 2 and papers[0].id != papers[1].id
    assert papers[0].same_title_ids == (papers[1].id,) and papers[1].same_title_ids == (papers[0].id,)


def test_many_papers_of_one_title_merge_as_one_by_one_comparisons_would_and_keep_twenty_ids():
    """A dump of thousands of records of one title compared each with every paper before it and listed every
    other paper in each: 10,000 took 77 s and 1 GB to check. Past a few papers of a title, a record is
    compared only with papers that share word triples with it; each keeps 20 ids and the count."""
    def abstract(number: int, revised: bool = False) -> str:
        words = " ".join(f"w{(number * 7 + index * 13) % 97}x{number}" for index in range(30))
        return f"We study topic {number}: {words}. {'It is revised here.' if revised else 'It is new.'}"
    papers_first = [f"One Title\n\n{abstract(number)}\n\n" for number in range(40)]
    revisions = [f"One title\n\n{abstract(number, revised=True)}\n\n" for number in (0, 9, 39)]
    papers = build_catalog((parse_dump("Aug 1\n\n" + "".join(papers_first), "000_x.txt"),
                            parse_dump("Aug 2\n\n" + "".join(revisions), "001_x.txt"))).papers
    assert len(papers) == 40, "a revision was not merged with its paper"
    assert [len(paper.records) for paper in papers[:10]] == [2, 1, 1, 1, 1, 1, 1, 1, 1, 2]
    assert len(papers[39].records) == 2
    assert all(len(paper.same_title_ids) == 20 and paper.same_title_count == 39 for paper in papers)
    assert papers[0].same_title_ids == tuple(paper.id for paper in papers[1:21])


def one_by_one(dumps) -> list[list]:
    """The merge rule itself: each record joins the first paper of its title, in order of first sighting,
    whose latest abstract (not a copy of another cut short) it matches."""
    groups: list[list] = []
    for record in (record for dump in dumps for record in dump.records):
        latest = (AbstractWords.of(newest_whole([member.abstract for member in group])) for group in groups)
        group = next((group for group, words in zip(groups, latest)
                      if normalized_text(group[0].title) == normalized_text(record.title)
                      and words.match(AbstractWords.of(record.abstract))), None)
        if group is None:
            groups.append(group := [])
        group.append(record)
    return groups


@pytest.mark.parametrize("seed", range(6))
def test_papers_of_one_title_merge_as_the_rule_says_whatever_words_they_share(seed: int):
    """Past a few papers of one title, records are compared only with papers sharing a rare word triple: it
    must merge exactly as comparing with each would, with words every record shares (a template's), few
    words, repeated ones, revisions, and copies cut short with an ellipsis."""
    rng = random.Random(seed)
    vocabulary = ["we", "model", "data", "x", "y", "z", "show", "new"][:rng.randint(3, 8)]
    template = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(0, 12)))
    abstracts: list[str] = []
    for _ in range(120):
        long_ones = [text for text in abstracts if len(text.split()) > 14 and not text.endswith("…")]
        if long_ones and rng.random() < 0.15:  # a listing's copy, cut short
            abstracts.append(" ".join(rng.choice(long_ones).split()[:rng.randint(13, 15)]) + "…")
        elif abstracts and rng.random() < 0.3:  # a revision of an earlier one
            words = rng.choice(abstracts).split()
            words[rng.randrange(len(words))] = rng.choice(vocabulary) if words else ""
            abstracts.append(" ".join(words) or "x")
        else:
            abstracts.append(f"{template} " + " ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 9))))
    # Two abstracts whose shared triples a hash alone ordered by chance (a reviewer's counterexample).
    abstracts[60:60] = ["We klszmlw model lspjgou we.", "Model lspjgou we klszmlw model."]
    dumps = tuple(parse_dump("Aug 1\n\n" + "".join(f"One Title\n\n{text}{'' if text.endswith('…') else '.'}\n\n"
                                                   for text in part), f"00{number}_x.txt")
                  for number, part in enumerate((abstracts[:61], abstracts[61:])))
    expected = [[(record.dump_id, record.line) for record in group] for group in one_by_one(dumps)]
    assert [[(record.dump_id, record.line) for record in group] for group in group_records(dumps)] == expected


def test_a_revised_sentence_still_merges_and_keeps_the_earlier_wording():
    first = "We propose a model. It is fast. It is accurate on five benchmarks. Code is released."
    second = "We propose a model. It is very fast. It is accurate on five benchmarks. Code is released."
    dumps = (parse_dump(f"Aug 1\n\nA Paper\n\n{first}\n", "000_a.txt"),
             parse_dump(f"Aug 2\n\nA paper\n\n{second}\n", "001_b.txt"))
    (paper,) = build_catalog(dumps).papers
    assert paper.abstract == second and [r.abstract for r in paper.earlier_abstracts] == [first]


@pytest.mark.parametrize("title", ["\u2066Attention Is All You Need\u2069", "Attention\ufe0f Is All You Need",
                                   "Attention Is All You Need\U000e0041", "Attention Is\u061c All You Need"])
def test_titles_that_differ_by_what_shows_nothing_are_one_paper(title: str):
    abstract = "The dominant sequence transduction models are based on recurrent networks."
    dumps = (parse_dump(f"Aug 1\n\nAttention Is All You Need\n\n{abstract}\n", "000_a.txt"),
             parse_dump(f"Aug 2\n\n{title}\n\n{abstract}\n", "001_b.txt"))
    (paper,) = build_catalog(dumps).papers
    assert paper.id == "attention-is-all-you-need" and len(paper.records) == 2


@pytest.mark.parametrize("title", ["Safe Caching for \u202eLanguage Models", "\u2067Safe Caching for Language Models",
                                   "Safe Caching for \u202bLanguage Models\u202c"])
def test_a_title_that_reads_otherwise_is_another_paper(title: str):
    """A later dump's title with a right-to-left override merged as "what shows nothing", and the paper then
    read "Safe Caching for sledoM egaugnaL" on every page, its first dump's listing too."""
    abstract = "We cache the keys and values of language models safely."
    dumps = (parse_dump(f"Aug 1\n\nSafe Caching for Language Models\n\n{abstract}\n", "000_a.txt"),
             parse_dump(f"Aug 2\n\n{title}\n\n{abstract}\n", "001_b.txt"))
    first, second = build_catalog(dumps).papers
    assert (first.title, second.title) == ("Safe Caching for Language Models", title)
    assert first.same_title_ids == (second.id,), "each warns of the other, as papers of one title do"


def test_an_invisible_mark_between_a_letter_and_its_accent_still_merges():
    abstract = "A study of coffee shops and the papers written in them."
    dumps = (parse_dump(f"Aug 1\n\nCaf\u00e9 Papers\n\n{abstract}\n", "000_a.txt"),
             parse_dump(f"Aug 2\n\nCafe\u034f\u0301 Papers\u3164\n\n{abstract}\n", "001_b.txt"))
    (paper,) = build_catalog(dumps).papers
    assert len(paper.records) == 2


def write_dump(folder: Path, name: str | bytes, date: str = "Aug 1") -> None:
    path = os.path.join(os.fsencode(folder), name if isinstance(name, bytes) else os.fsencode(name))
    with open(path, "w", encoding="utf-8") as file:
        file.write(f"{date}\n\nA title\n\nAn abstract.\n")


def test_dumps_are_read_in_file_name_order_with_numbers_by_value(tmp_path):
    for name in ("1000_c.txt", "999_b.txt", "998_a.txt", ".999_editor-copy.txt", "notes.md"):
        write_dump(tmp_path, name)
    assert [dump.file for dump in read_dumps(tmp_path)] == ["998_a.txt", "999_b.txt", "1000_c.txt"]


@pytest.mark.parametrize(("name", "shown"), [(b"001_caf\xe9.txt", "001_caf\\xe9.txt"),
                                             ("001_\x1b[31mred.txt", "001_\\u001b[31mred.txt"),
                                             ("001_\u202etxt.exe.txt", "001_\\u202etxt.exe.txt")])
def test_a_file_name_that_cannot_be_shown_is_refused_clearly(tmp_path, name, shown):
    write_dump(tmp_path, name)
    with pytest.raises(InputError) as error:
        read_dumps(tmp_path)
    assert str(error.value) == (f"{shown}: the file name is not UTF-8 or holds control characters; expected a file "
                                "name that can be shown (rename the file)")


def test_a_symbolic_link_is_not_read(tmp_path):
    (tmp_path / "dumps").mkdir()
    write_dump(tmp_path, "outside.txt")
    (tmp_path / "dumps" / "001_link.txt").symlink_to(tmp_path / "outside.txt")
    with pytest.raises(InputError) as error:
        read_dumps(tmp_path / "dumps")
    assert str(error.value).startswith("001_link.txt: a symbolic link; expected a dump file in the dumps folder itself")
    (tmp_path / "linked").symlink_to(tmp_path, target_is_directory=True)
    with pytest.raises(InputError) as error:
        read_dumps(tmp_path / "linked")
    assert str(error.value).startswith(f"{tmp_path / 'linked'}: a symbolic link; expected the folder of dumps itself")


def test_dump_names_are_distinct_and_of_one_form(tmp_path):
    for name in ("papers_2024-03-12.txt", "papers_2025-03-12.txt", "001_a.txt", "002_b.txt"):
        write_dump(tmp_path, name, "Mar 12")
    write_dump(tmp_path, "003_c.txt", "Mar 13")
    names = SiteData(build_catalog(read_dumps(tmp_path)), None).dump_names  # type: ignore[arg-type]
    assert names == {"001_a": "Mar 12 (001)", "002_b": "Mar 12 (002)", "003_c": "Mar 13 (003)",
                     "papers_2024-03-12": "Mar 12 (papers_2024-03-12)", "papers_2025-03-12": "Mar 12 (papers_2025-03-12)"}
    (tmp_path / "002_b.txt").unlink()
    (tmp_path / "papers_2025-03-12.txt").unlink()
    (tmp_path / "papers_2024-03-12.txt").unlink()
    names = SiteData(build_catalog(read_dumps(tmp_path)), None).dump_names  # type: ignore[arg-type]
    assert names == {"001_a": "Mar 12", "003_c": "Mar 13"}, "no date shown twice: dates alone"
    (tmp_path / "001_a.txt").unlink()
    (tmp_path / "003_c.txt").unlink()
    for name, label in (("0001_2024-03-12.txt", "Mar 12"), ("0002_2024-03-13.txt", "Mar 13"),
                        ("0003_2025-03-12.txt", "Mar 12")):
        write_dump(tmp_path, name, label)
    names = SiteData(build_catalog(read_dumps(tmp_path)), None).dump_names  # type: ignore[arg-type]
    assert names == {"0001_2024-03-12": "Mar 12, 2024", "0002_2024-03-13": "Mar 13, 2024",
                     "0003_2025-03-12": "Mar 12, 2025"}, "every dump's day known: dates with their years"
    write_dump(tmp_path, "0004_x.txt", "Mar 14")
    names = SiteData(build_catalog(read_dumps(tmp_path)), None).dump_names  # type: ignore[arg-type]
    assert names["0004_x"] == "Mar 14 (0004)" and names["0001_2024-03-12"] == "Mar 12 (0001)", "one form"


def test_a_catalog_mixing_dumps_named_by_day_and_not_gets_a_note(tmp_path, capsys, papercat_command):
    main = papercat_command
    write_dump(tmp_path, "000_x.txt", "Aug 1")
    assert main(["check", "--dumps", str(tmp_path)]) == 0
    assert "Note" not in capsys.readouterr().err, "no dump named by its day: nothing to say"
    write_dump(tmp_path, "001_2026-08-21.txt", "Aug 21")
    assert main(["check", "--dumps", str(tmp_path)]) == 0
    assert " ".join(capsys.readouterr().err.split()).endswith(
        "Note: 1 of 2 dumps have no day in their names (000_x.txt), unlike the others: feeds date their papers by "
        "the day of the build, above newer papers; name every dump by its day (as in 0596_2026-08-21.txt), or none")


def test_check_notes_a_dump_it_does_not_read_or_date(tmp_path, capsys, papercat_command):
    """Each was passed over in silence: a dump saved without `.txt`, and a name whose day is not the date line's
    (the dump then has no date)."""
    main = papercat_command
    write_dump(tmp_path, "000_2026-08-21.txt", "Aug 12")
    write_dump(tmp_path, "001_2026-08-22.txt", "Aug 22")
    write_dump(tmp_path, "002_2025-02-29.txt", "Feb 29")  # the note said the date line did not agree
    write_dump(tmp_path, "003_2026-08-01_2026-08-02.txt", "Aug 5")  # the note named the first day only
    write_dump(tmp_path, "005_aug22")
    write_dump(tmp_path, "006_aug23.text")
    (tmp_path / "SOURCE.md").write_text("where the dumps come from", encoding="utf-8")
    assert main(["check", "--dumps", str(tmp_path)]) == 0
    notes = [line.removeprefix("Note: ") for line in capsys.readouterr().err.splitlines() if line.startswith("Note: ")]
    assert notes == [
        "005_aug22: not read, as only .txt files are dumps; rename it to end in .txt if it is one",
        "006_aug23.text: not read, as only .txt files are dumps; rename it to end in .txt if it is one",
        "000_2026-08-21.txt: its name gives the day 2026-08-21 but its date line says Aug 12, so the dump has no "
        "date; rename it, or correct the date line",
        "002_2025-02-29.txt: its name gives 2025-02-29, which is no day of the calendar, so the dump has no date; "
        "rename it",
        "003_2026-08-01_2026-08-02.txt: its name gives the days 2026-08-01 and 2026-08-02 but its date line says "
        "Aug 5, so the dump has no date; rename it, or correct the date line"], notes
    assert not [note for note in notes if "SOURCE.md" in note], "a file not named as dumps are is no dump"
    # In a pull request's checks, each note is a warning on its file (they came on no file).
    assert main(["check", "--format", "github", "--dumps", str(tmp_path)]) == 0
    annotations = [line.split("::")[1] for line in capsys.readouterr().out.splitlines()]
    assert annotations == [f"warning file={Path(os.path.relpath(tmp_path / name)).as_posix()}" for name in (
        "005_aug22", "006_aug23.text", "000_2026-08-21.txt", "002_2025-02-29.txt", "003_2026-08-01_2026-08-02.txt")]


@pytest.mark.parametrize("encoding, named", [("utf-16", "UTF-16"), ("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16"),
                                             ("utf-32", "UTF-32")])
def test_a_dump_saved_as_utf16_is_named_so(tmp_path, encoding: str, named: str):
    """Windows editors save UTF-16; without its byte order mark it even decodes as UTF-8, every other byte NUL."""
    (tmp_path / "001_a.txt").write_bytes("Aug 1\n\nA title\n\nAn abstract.\n".encode(encoding))
    with pytest.raises(InputError) as raised:
        read_dumps(tmp_path)
    assert str(raised.value) == f"001_a.txt:1: text in {named}; expected UTF-8 (save the file as UTF-8)"


@pytest.mark.parametrize("line_end", [b"\n", b"\r\n", b"\r"])
def test_a_byte_that_is_not_utf8_is_named_on_its_line(tmp_path, line_end: bytes):
    """A file of CR lines was counted by LF: every byte was on line 1."""
    text = b"Aug 1\n\nT1\n\nWe propose a method.\n\nT2 caf\xe9\n\nWe propose another.\n".replace(b"\n", line_end)
    (tmp_path / "001_a.txt").write_bytes(text)
    with pytest.raises(InputError) as raised:
        read_dumps(tmp_path)
    assert str(raised.value) == "001_a.txt:7: byte 0xe9 is not UTF-8; expected a UTF-8 text file"


@pytest.mark.parametrize("title", ["A\x00 title\x00", "\x00" * 190 + "A title", "\x00A\x00 \x00t\x00i\x00t\x00l\x00e"])
def test_nul_characters_in_a_utf8_dump_are_text(tmp_path, title: str):
    (tmp_path / "001_a.txt").write_text(f"Aug 1\n\n{title}\n\nAn abstract.\n", encoding="utf-8")
    assert read_dumps(tmp_path)[0].records[0].title == title


def test_a_copy_that_starts_at_the_sites_header_is_read():
    """A copy of the whole page starts at Hugging Face's header: its lines were chrome among the papers, but an
    error before the date line (a reviewer)."""
    dump = parse_dump("Hugging Face\nModels\nDatasets\nSpaces\nLog In\nSign Up\nDaily Papers\nAug 3\n\n"
                      f"A Title of a Paper\n\n{ABSTRACT}\n", "000_x.txt")
    assert [record.title for record in dump.records] == ["A Title of a Paper"]
