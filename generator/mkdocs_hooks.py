"""The MkDocs hook papercat adds to its build config: generated pages skip Markdown and lose indentation.

A generated page's body is finished HTML in which every character of dump text is already escaped
(generator/render/escape.py). Python-Markdown would only copy it through, after parsing it as raw HTML, at
about 0.5 ms a KB; on a catalog of 10,000 papers that is half of MkDocs' time (benchmarks/scale.py). So a
page whose front matter sets `papercat_html: true` hands its body to the theme as it is. Material's templates
indent every line they print: on those pages each run of whitespace that starts a line is cut (none of them
holds `<pre>` or `<textarea>`, where it would show), about a fifth of a paper page's bytes.

Hand-written pages go through Markdown as usual. Every page, hand-written or not, ends with a comment
holding the digest of the source it was built from, which lets the build check that no page in the site is
stale (generator/incremental.py).
"""
from __future__ import annotations

import hashlib
import re

from mkdocs.structure.pages import Page

RAW_HTML = "papercat_html"
INDENTATION = re.compile(r"\n\s+")
SOURCE_DIGEST_PREFIX = "<!-- papercat-source: "


def source_digest(source: bytes) -> str:
    return hashlib.sha256(source).hexdigest()[:32]


def on_page_markdown(markdown: str, page: Page, **kwargs) -> str:
    if not page.meta.get(RAW_HTML):
        return markdown
    page.papercat_html = markdown  # type: ignore[attr-defined]
    return ""


def on_page_content(html: str, page: Page, **kwargs) -> str:
    return getattr(page, "papercat_html", html)


def on_post_page(output: str, page: Page, **kwargs) -> str:
    if page.meta.get(RAW_HTML):
        output = INDENTATION.sub("\n", output)
    return f"{output.rstrip()}\n{SOURCE_DIGEST_PREFIX}{source_digest(page.file.content_bytes)} -->\n"
