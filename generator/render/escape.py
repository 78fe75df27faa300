"""The one place that decides how text from a dump is written into a generated file.

Dump text is data, never markup. In pages every character that can start markup becomes a numeric character
reference, so neither HTML, Markdown, nor any Markdown extension (attr_list, abbr, footnotes, snippets,
critic, emoji, arithmatex, magiclink, ...) nor Jinja2 or a Material marker can see syntax in it, and the
browser still shows exactly the characters written. See shared/notes/hostile-text.md for why each matters.
"""
from __future__ import annotations

import json
import re

from markupsafe import Markup

from ..enrich.links import split_at_urls
from ..text import BIDI_CONTROLS, ISOLATE_END, ISOLATE_STARTS

# Every character that starts syntax in HTML, Markdown or an extension (the note lists them), and C0 controls
# and DEL: Python-Markdown uses raw \x02 and \x03 as its own placeholders and expands raw tabs into spaces,
# while browsers keep a referenced control character as written (except NUL, which every HTML parser replaces).
# Plain prose punctuation (. , ; ( ) - / ? %) starts no syntax once these are escaped, and is left as it is:
# every reference costs the MkDocs build a parse step, page after page.
MARKUP_CHARACTERS = "&<>\"'`*_[]{}:$\\~^=+|#!@"
_HTML_ESCAPES = {char: f"&#{ord(char)};" for char in [*MARKUP_CHARACTERS, *map(chr, range(0x20)), "\x7f"]}
# A regular expression finds the few characters to replace several times faster than str.translate reads
# every character of an abstract through a table.
_HTML_ESCAPED = re.compile("[" + re.escape("".join(_HTML_ESCAPES)) + "]")

# XML 1.0 cannot carry C0 controls at all, not even as references: feeds show their Unicode "control pictures".
_XML_ESCAPES = {ord(char): f"&#{ord(char)};" for char in "&<>\"'"} | {
    code: chr(0x2400 + code) for code in range(0x20) if code not in (0x09, 0x0A, 0x0D)} | {
    0xFFFE: "\N{REPLACEMENT CHARACTER}", 0xFFFF: "\N{REPLACEMENT CHARACTER}"}


def html_text(text: str) -> Markup:
    """HTML that shows exactly `text` and means nothing to Markdown, its extensions or templates."""
    return Markup(_HTML_ESCAPED.sub(_html_escape, text))


def page_title(text: str) -> str:
    """A page's title in its front matter, for the browser's title bar and Material's header: html_text, and
    between the isolates U+2068 and U+2069 if it holds a bidirectional control, so that an override it leaves
    open (U+202E) stops at its end instead of reversing the " - papercat" after it."""
    return str(html_text(text if BIDI_CONTROLS.isdisjoint(text) else isolated(text)))


def isolated(text: str) -> str:
    """`text` between U+2068 and U+2069, with one more of the first for each U+2069 of its own that closes
    nothing (it would end the isolate early, and an override after it would run on) and one more of the
    second for each isolate it leaves open."""
    opened = stray = 0
    for char in text:
        if char in ISOLATE_STARTS:
            opened += 1
        elif char == ISOLATE_END:
            opened, stray = (opened - 1, stray) if opened else (0, stray + 1)
    return "\u2068" * (1 + stray) + text + ISOLATE_END * (1 + opened)


def _html_escape(match: re.Match[str]) -> str:
    return _HTML_ESCAPES[match[0]]


def html_text_with_links(text: str) -> Markup:
    """`html_text(text)`, with every http(s) address in it a link to exactly that address.

    The address goes through the same escaping in the href as in the link text: its `: = & _ ~ @ #` become
    numeric references, which the browser's HTML parser turns back into exactly the address, and which leave
    Markdown and its extensions nothing to rewrite. Addresses never hold `"`, `<` or whitespace (see
    generator/enrich/links.py), and start with http: or https:, so no attribute or `javascript:` can come of one.
    """
    if "://" not in text:  # most abstracts hold no address
        return html_text(text)
    return Markup("").join(html_link(piece) if is_address else html_text(piece)
                           for piece, is_address in split_at_urls(text))


def html_link(url: str) -> Markup:
    """A link to the http(s) address `url` (one `split_at_urls` found), showing it as written."""
    return Markup('<a href="{0}" rel="nofollow noopener">{0}</a>').format(html_text(url))


def html_button_link(url: str, label: str) -> Markup:
    """A button-styled link to the http(s) address `url`, labelled `label`, which is papercat's own text."""
    return Markup('<a class="md-button" href="{0}" rel="nofollow noopener">{1}</a>').format(html_text(url), label)


# What Pagefind reads as written in a search document (generator/search.py indexes them): it leaves a reference
# to a C0 control undecoded (`&#1;` would be searched and shown as those four characters), so only HTML's own
# characters are references; NUL, which the paper page shows as U+FFFD, is written as that.
_PAGEFIND_ESCAPES = [(char, f"&#{ord(char)};") for char in "&<>\"'"] + [("\x00", "\ufffd")]
# Pagefind trims a title and writes each run of these (Unicode White_Space) as one space.
_WHITE_SPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_PAGEFIND_SPACES = re.compile(f"[{_WHITE_SPACE}]+")
_SPACE_OR_BACKSLASH = re.compile(f"[{_WHITE_SPACE}\\\\]")


def pagefind_text(text: str) -> Markup:
    """HTML from which Pagefind reads exactly `text` (but for NUL, read as U+FFFD as on every page)."""
    text = str(text)  # Markup's own replace would escape the references it puts in
    for char, escaped in _PAGEFIND_ESCAPES:  # `&` first; str.translate took half a second on 10,000 abstracts
        text = text.replace(char, escaped)
    return Markup(text)


def pagefind_filter_value(text: str) -> Markup:
    """`pagefind_text` for a filter value, which Pagefind 1.6 decodes twice (`a&amp;b` became `a&b`)."""
    return pagefind_text(pagefind_text(text))


def pagefind_keeps_spaces(text: str) -> bool:
    """Does Pagefind keep the spaces of `text` as written: single spaces between words, none at the ends?"""
    return _PAGEFIND_SPACES.sub(" ", text).strip(" ") == text


def pagefind_spaced_text(text: str) -> str:
    """`text` with a backslash and every space character written `\\uXXXX` (a backslash as `\\u005c`): the form
    in which a title's spaces reach search results as written; site_src/assets/search.js reads it back."""
    return _SPACE_OR_BACKSLASH.sub(_unicode_escape, text)


def xml_text(text: str) -> Markup:
    """XML character data for `text`; controls XML forbids become visible control pictures."""
    return Markup(text.translate(_XML_ESCAPES))


# YAML reads JSON as JSON means it, but for these characters, which it reads as line breaks (and so folds into
# spaces) or refuses in a document: DEL and the C1 controls, the line and paragraph separators, the byte order
# mark and the non-characters U+FFFE and U+FFFF. Escaped, they are read back as written.
_NOT_YAML_AS_WRITTEN = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
_JSON = json.JSONEncoder(ensure_ascii=False)


def front_matter(fields: dict) -> str:
    """A YAML front matter block that reads back as `fields` (strings, numbers, booleans and lists of them),
    whatever their characters: one JSON object, which YAML reads as a flow mapping. It takes a tenth of the
    time of yaml.dump, which took 0.3 s for the pages of 10,000 papers."""
    return f"---\n{_NOT_YAML_AS_WRITTEN.sub(_unicode_escape, _JSON.encode(fields))}\n---\n"


def _unicode_escape(match: re.Match[str]) -> str:
    """The matched character as `\\uXXXX`, which JSON, YAML and search.js read back (all are in the BMP)."""
    return f"\\u{ord(match[0]):04x}"


def escaping_finalizer(escape):
    """A Jinja2 `finalize` hook: every value a template prints, but Markup, goes through `escape` as text."""
    def finalize(value: object) -> object:
        return value if isinstance(value, Markup) else escape(str(value))
    return finalize
