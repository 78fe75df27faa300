"""Render stage, what a page shows of an abstract in a line: its key sentence, the one that says what the paper
makes, which listings show for each paper and paper pages give as their description."""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ..text import ABBREVIATION_END

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")
NEXT_WORD = re.compile(r"[^\W_]+")
WORD_RUN = re.compile(r"\S+")
# A word ending in such a mark, and the word after it: in a title, a name (`QX. Lens`), not two sentences. Tried
# from the start of a word only: from every character, a title of one long word took a time of its square.
MARKED_NAME = re.compile(r"(?<!\S)(\S*[.!?])\s+(?=([^\W_]+))")
# The sentence that says what a paper does: "we propose ...", "To this end, this paper introduces ...". Of the
# real corpus's 10,049 abstracts, 97% have one, and only 14% begin with it: most open with the background. A
# sentence that says what the paper makes wins over an earlier one that says what it finds or studies ("we find
# two challenges ... we propose X").
SUBJECT = (r"\b(?:[Ww]e|[Tt]his (?:paper|work|study|report|survey|review|article)) "
           r"(?:(?:\w+ly|first|then|further|also|here|now) )?")
MAKES = re.compile(SUBJECT + r"(?:propos|present|introduc|develop|design|build|construct|releas|curat|collect|"
                   r"creat|formulat|offer|provid|establish|train|extend)")
STUDIES = re.compile(SUBJECT + r"(?:show|demonstrat|find|stud|investigat|explor|examin|analy[sz]|describ|address|"
                     r"tackl|leverag|revisit|appl|focus|report|evaluat|benchmark|synthesi[sz]|review|survey)")
# Fewer words than this say little out of their context ("We show that they do.").
KEY_SENTENCE_MIN_WORDS = 6
KEY_SENTENCE_MAX_CHARS = 300


# A listing and a paper page's description each ask for it: a bounded cache finds it once a paper.
@lru_cache(maxsize=1 << 16)
def key_sentence(abstract: str, title: str = "") -> str:
    """The abstract's first sentence of some words that says what the paper makes (MAKES), or else its first
    such sentence that says what it finds or studies (STUDIES), or else its first sentence of some words, or
    else its first. One reading of the abstract: hostile text may hold a million sentences."""
    first = studies = wordy = None
    for sentence in sentences_of(abstract, title):
        first = sentence if first is None else first
        if len(sentence.split()) < KEY_SENTENCE_MIN_WORDS:
            continue
        if MAKES.search(sentence):
            return sentence
        if studies is None and STUDIES.search(sentence):
            studies = sentence
        wordy = sentence if wordy is None else wordy
    return studies or wordy or first or abstract


def sentences_of(abstract: str, title: str = "") -> Iterator[str]:
    """The sentences of an abstract: they end at a full stop, question or exclamation mark that ends no
    abbreviation, before a space and a capital or a digit, unless the words on either side are a name the
    `title` gives (`QX. Lens`)."""
    names = {f"{match[1]} {match[2]}" for match in MARKED_NAME.finditer(title)}
    # Where the word ending at each place starts, from one reading: looking back from each sentence's end for
    # a space took the square of an abstract's length where sentences end in other spaces (no-break, tabs).
    word_starts = {word.end(): word.start() for word in WORD_RUN.finditer(abstract)} if names else {}
    start = 0
    for boundary in SENTENCE_END.finditer(abstract):
        if ABBREVIATION_END.search(abstract, max(0, boundary.start() - 12), boundary.start()):
            continue
        if names and (after := NEXT_WORD.match(abstract, boundary.end())):
            before = abstract[word_starts[boundary.start()]:boundary.start()]
            if f"{before} {after[0]}" in names:
                continue
        yield abstract[start:boundary.start()]
        start = boundary.end()
    yield abstract[start:]


def listed_sentence(abstract: str, title: str = "") -> str:
    """What a listing shows of an abstract: its key sentence, after an ellipsis unless the abstract begins with it."""
    sentence = key_sentence(abstract, title)
    return ("" if abstract.startswith(sentence) else "…") + truncate(sentence, KEY_SENTENCE_MAX_CHARS)


def truncate(text: str, limit: int) -> str:
    """`text`, or as much of it as fits in `limit` characters with an ellipsis, cut between words where a space
    falls in the second half."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    space = cut.rfind(" ", limit // 2)
    return (cut[:space] if space > 0 else cut).rstrip() + "…"
