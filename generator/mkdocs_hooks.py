"""The MkDocs hook papercat adds to its build config: generated pages skip Markdown and lose indentation.

A generated page's body is finished HTML in which every character of dump text is already escaped
(generator/render/escape.py). Python-Markdown would only copy it through, after parsing it as raw HTML, at
about 0.5 ms a KB; on a catalog of 10,000 papers that is half of MkDocs' time (benchmarks/scale.py). So a
page whose front matter sets `papercat_html: true` hands its body to the theme as it is, without even building
a Python-Markdown for it (MkDocs builds one per page, with every extension). Material's templates
indent every line they print: on those pages each run of whitespace that starts a line is cut (none of them
holds `<pre>` or `<textarea>`, where it would show), about a fifth of a paper page's bytes.

Paper pages (front matter `template: paper.html`) are most of a catalog, and Material's template was half
of MkDocs' time on them: the chrome around every paper is the same but for the page's title, description,
address and content. So the theme's paper-chrome.html is rendered once for a paper page with placeholders for
those four, and the other paper pages fill in the placeholders (`PaperChrome`). The shortcut proves itself:
the placeholders of the first page of each kind, filled in for the second, must make what the template makes
of the second, or the kind is rendered in full; every PAPER_CHECK_EVERY-th page is checked again, and a
difference stops the build (a wrong page is never published).

Hand-written pages go through Markdown as usual. Every page, hand-written or not, ends with a comment
holding the digest of the source it was built from, which lets the build check that no page in the site is
stale (generator/incremental.py).
"""
from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
import os
import posixpath
import re

import jinja2
import markupsafe
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

RAW_HTML = "papercat_html"
# Line breaks, spaces and tabs only: a title may start with a no-break or an ideographic space, which is text.
INDENTATION = re.compile(r"\n[\n\t ]+")
FIRST_HEADING = re.compile(r'<h1 id="([^"]+)"')
PAPER_TEMPLATE = "paper.html"
PAPER_CHROME_TEMPLATE = "paper-chrome.html"
PAPER_CHECK_EVERY = 1000
# Placeholders no page value can hold (dump text reaches a page with its control characters escaped). The
# content's holds a heading, as a paper's content does: Material adds a heading to content without one.
PLACEHOLDERS = {"title": "\x00title\x00", "description": "\x00description\x00",
                "canonical_url": "\x00canonical\x00", "content": "<h1>\x00content\x00</h1>"}


def source_comment(source: bytes) -> str:
    """What ends a page built from the Markdown `source`: incremental.stale_pages reads it back."""
    return f"<!-- papercat-source: {hashlib.sha256(source).hexdigest()[:32]} -->"


class PaperChrome:
    """Paper pages made from a page of placeholders (see the module's notes): one per kind of page, that is
    per folder, base URL, front matter (but title and description) and which of the four values are set."""

    def __init__(self, env: jinja2.Environment) -> None:
        self._template = env.get_template(PAPER_CHROME_TEMPLATE)
        self._candidates: dict[tuple, str] = {}  # kind -> a page of placeholders, not yet checked
        self._pages: dict[tuple, str | None] = {}  # kind -> the checked page of placeholders; None: it differed
        self._made = 0

    def page(self, context: dict, page: Page) -> str:
        values = {"title": page.meta.get("title"), "description": page.meta.get("description"),
                  "canonical_url": page.canonical_url and str(markupsafe.escape(page.canonical_url)),
                  "content": page.content}
        kind = (posixpath.dirname(page.url.rstrip("/")), context["base_url"], "<h1" in (page.content or ""),
                repr(sorted((key, value) for key, value in page.meta.items() if key not in values)),
                tuple(bool(value) for value in values.values()))
        self._made += 1
        if kind not in self._pages:
            # Made from the first page of its kind, checked on the second: a value that differs from page to
            # page besides the four (an edit link, say) shows there.
            rendered = self._template.render(context)
            if kind in self._candidates:
                candidate = self._candidates.pop(kind)
                self._pages[kind] = candidate if _filled(candidate, values) == rendered else None
            else:
                self._candidates[kind] = self._template.render(context | {"page": _with_placeholders(page)})
            return rendered
        known = self._pages[kind]
        if known is None:
            return self._template.render(context)
        filled = _filled(known, values)
        if self._made % PAPER_CHECK_EVERY == 0 and filled != self._template.render(context):
            raise PluginError(f"paper page {page.file.src_uri} differs from {PAPER_CHROME_TEMPLATE} made from "
                              "placeholders (generator/mkdocs_hooks.py); nothing was published. Please report it "
                              "with your mkdocs.yml and theme overrides")
        return filled


def _with_placeholders(page: Page) -> Page:
    copied = copy.copy(page)
    copied.meta = {**page.meta, "title": PLACEHOLDERS["title"], "description": PLACEHOLDERS["description"]}
    copied.canonical_url = PLACEHOLDERS["canonical_url"]
    copied.content = PLACEHOLDERS["content"]
    return copied


def _filled(placeholders: str, values: dict) -> str:
    for name, value in values.items():
        placeholders = placeholders.replace(PLACEHOLDERS[name], value or "")
    return placeholders


# Module state, which nothing else in papercat has: MkDocs' hooks are module functions, with no object to hold
# what one hook hands the next. One per build: MkDocs calls on_env at the start of each.
_paper_chrome: PaperChrome | None = None


def on_env(env: jinja2.Environment, **kwargs) -> jinja2.Environment:
    global _paper_chrome
    _paper_chrome = PaperChrome(env)
    return env


def on_page_context(context: dict, page: Page, **kwargs) -> dict:
    if page.meta.get("template") == PAPER_TEMPLATE and _paper_chrome is not None:
        context["papercat_page"] = _paper_chrome.page(context, page)
    return context


def on_page_markdown(markdown: str, page: Page, **kwargs) -> str:
    if page.meta.get(RAW_HTML):
        # MkDocs calls page.render next, which builds a new Python-Markdown (with all its extensions) for every
        # page, even to convert nothing: about 2 s of CPU for the real catalog's 10,777 pages. This page's own
        # render replaces it.
        page.render = functools.partial(_render_raw_html, page)  # type: ignore[method-assign]
    return markdown


def _render_raw_html(page: Page, config: MkDocsConfig, files: Files) -> None:
    """What Page.render sets, for a page whose source (page.markdown, as the page_markdown hooks left it) is
    finished HTML."""
    html = page.markdown or ""
    page.content = html
    # Material writes its "Skip to content" link only for a page that has a table of contents: the page's
    # heading is its table of contents.
    heading = FIRST_HEADING.search(html)
    page.toc = get_toc([{"level": 1, "id": heading[1], "name": heading[1], "children": []}] if heading else [])
    page.present_anchor_ids = set()
    page.links_to_anchors = {}


def on_post_page(output: str, page: Page, **kwargs) -> str:
    # MkDocs writes the page next, into the file in place if there is one: that may be the previous site's page,
    # hard-linked into the new site (incremental.link_unchanged_pages), which must never change. A new file.
    with contextlib.suppress(FileNotFoundError):
        os.unlink(page.file.abs_dest_path)
    if page.meta.get(RAW_HTML):
        output = INDENTATION.sub("\n", output)
    return f"{output.rstrip()}\n{source_comment(page.file.content_bytes)}\n"
