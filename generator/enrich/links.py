"""Enrich stage, links: the web addresses written in abstracts ("Code is available at https://github.com/...").

Only http and https addresses count. An address ends at whitespace, at a character a URL never holds
unencoded (`< > " { } | \\ ^` and backquote, controls, zero-width and bidirectional marks, an em dash, CJK
punctuation), and before sentence punctuation (an ellipsis too):
`…/FastV.` is the address `…/FastV`. A closing parenthesis ends it unless the address opened one itself
(`https://en.wikipedia.org/wiki/Mamba_(snake)`); a Markdown link written out, `[https://a](https://a)`, holds
two addresses. Anything else that looks like an address (`www.x.org`, `javascript:`, `data:`, an address
inside an HTML tag) stays text, and so does an address cut by a backslash (a LaTeX escape).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

# Where an address is written with a scheme and a host; no ASCII letter, digit or underscore before it keeps
# `xhttps://` out (Chinese and Japanese text writes no space before an address: `详见https://...`), and an
# attribute value of HTML written in the text (`href="https://..."`) stays text like the rest of the tag.
# CJK and full-width punctuation (`。`, `，`, `）`) ends an address as a space does: such text writes no space
# after one either.
# Zero-width and bidirectional marks, and an em dash, which web text writes without spaces ("x.org/y—the
# tool"), end it too: an address holds none of them written out.
URL = re.compile(r"(?<!=)(?<!=[\"'])(?<![A-Za-z0-9_])https?://[^\W_](?:[^\s<>\"{}|\\^`\x00-\x1f\x7f\u2028\u2029\u3000-\u303f\uff00-\uffef\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u2014]*)",
                 re.IGNORECASE)
# Sentence punctuation and quotes after an address belong to the sentence (GitHub's autolinker does the same).
TRAILING = ".,;:!?'*~_\u2019\u201d\u00bb\u203a\u2026"
BRACKETS = {")": "(", "]": "["}

# What LaTeX escapes that an address holds (`\_`, `\%`, `\&`, `\#`, `\~`), besides commands (`\allowbreak`).
ESCAPED_IN_ADDRESSES = "_%&#~-/."

CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "gitee.com")
# Anonymous GitHub: the code of a paper under double-blind review (11 papers of the real corpus) is a
# repository under /r/; its anonymised websites are under /w/.
ANONYMOUS_CODE = "anonymous.4open.science"
# Zenodo archives datasets, and software releases too: a paper links it for what it releases with the paper.
MODEL_HOSTS = ("huggingface.co", "hf.co", "modelscope.cn", "zenodo.org")
# A video is no project page (8 addresses of the real corpus, a demo or a talk).
VIDEO_HOSTS = ("youtube.com", "m.youtube.com", "youtu.be", "vimeo.com", "bilibili.com", "b23.tv")
# Nor is a license (`https://openmdw.ai/license/1-1/` was a project page): an address on a licenses' site, or
# with a part of its path so named.
LICENSE_HOSTS = ("creativecommons.org", "opensource.org", "choosealicense.com", "spdx.org")
LICENSE_PARTS = frozenset({"license", "licenses", "licence", "licences", "license.md", "license.txt"})


class LinkKind(StrEnum):
    """What an address in an abstract points to; templates/paper.md.j2 gives each its heading."""

    CODE = "code"
    MODELS = "models"
    VIDEO = "video"
    LICENSE = "license"
    PROJECT = "project"


@dataclass(frozen=True)
class PaperLink:
    """An address written in a paper's abstract, exactly as written, and what it points to."""

    url: str
    kind: LinkKind


def url_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every http(s) address in `text`, in order."""
    if "://" not in text:  # most abstracts hold no address, and URL's look-behinds are slow to find none
        return
    position = 0
    while match := URL.search(text, position):
        candidate = match.group()
        if "](" in candidate and text.rfind("[", 0, match.start()) > text.rfind("]", 0, match.start()):
            # `[address](address)` or `[text address](address)`, a Markdown link written out: the link's text
            # ends at its `]`.
            candidate = candidate[:candidate.index("](")]
        end = match.start() + address_end(candidate)
        if not cut_by_escape(text, match.end()):
            yield match.start(), end
        position = max(end, match.start() + 1)


def cut_by_escape(text: str, end: int) -> bool:
    """Whether the address ending at `end` goes on past a backslash: a LaTeX escape in an abstract taken from
    its paper (`github.io/jumping\\_cod/`, `user\\allowbreak-x.github.io`). Where the address leads is then
    unknown, and its start alone leads elsewhere: it stays text. LaTeX's spaces (`\\,`, `\\;`) end it."""
    after = text[end + 1:end + 2]
    return text[end:end + 1] == "\\" and after != "" and (after.isalnum() or after in ESCAPED_IN_ADDRESSES)


def address_end(candidate: str) -> int:
    """How much of `candidate` is the address: trailing punctuation left out, and each closing bracket that has
    fewer openers before it than closers up to it (the sentence's bracket, not the address's)."""
    # The brackets of candidate[:end], counted once and kept as `end` moves back: counting afresh at each step
    # took minutes for an address followed by 100,000 `)`.
    counts = dict.fromkeys([*BRACKETS, *BRACKETS.values()], 0)
    for char in candidate:
        if char in counts:
            counts[char] += 1
    end = len(candidate)
    while end:
        last = candidate[end - 1]
        if not (last in TRAILING or (last in BRACKETS and counts[BRACKETS[last]] < counts[last])):
            break
        if last in counts:
            counts[last] -= 1
        end -= 1
    return end


def split_at_urls(text: str) -> Iterator[tuple[str, bool]]:
    """`text` as (piece, is_address) pairs; joined, the pieces are `text` again."""
    position = 0
    for start, end in url_spans(text):
        if start > position:
            yield text[position:start], False
        yield text[start:end], True
        position = end
    if position < len(text):
        yield text[position:], False


def link_kind(url: str) -> LinkKind:
    """CODE for a code host (CODE_HOSTS, an Anonymous GitHub repository), MODELS for one of MODEL_HOSTS, VIDEO
    for one of VIDEO_HOSTS, LICENSE for one of LICENSE_HOSTS or a path with a part in LICENSE_PARTS, PROJECT for
    anything else."""
    authority, _, path = url.split("://", 1)[1].partition("/")
    host = authority.split("?", 1)[0].split("#", 1)[0]
    host = host.rsplit("@", 1)[-1].split(":", 1)[0].lower().rstrip(".").removeprefix("www.")
    # Only the hosts themselves: `someone.github.io` is a project page.
    if host in CODE_HOSTS or (host == ANONYMOUS_CODE and path.startswith("r/")):
        return LinkKind.CODE
    if host in MODEL_HOSTS:
        return LinkKind.MODELS
    if host in VIDEO_HOSTS:
        return LinkKind.VIDEO
    parts = {part.lower() for part in path.split("?", 1)[0].split("#", 1)[0].split("/")}
    return LinkKind.LICENSE if host in LICENSE_HOSTS or not parts.isdisjoint(LICENSE_PARTS) else LinkKind.PROJECT


def paper_links(abstract: str) -> tuple[PaperLink, ...]:
    """Every address of the abstract once, in the order written."""
    urls = dict.fromkeys(piece for piece, is_address in split_at_urls(abstract) if is_address)
    return tuple(PaperLink(url, link_kind(url)) for url in urls)
