"""The sitemap: every generated page's address, for search engines and Material's instant navigation."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from .escape import xml_text


def render_sitemap(urls: Iterable[str], site_url: str) -> Iterator[tuple[str, bytes]]:
    """`sitemap.xml` listing `urls`; nothing without a `site_url` (its addresses must be absolute).

    MkDocs' own sitemap is switched off (templates/theme/sitemap.xml) because it lists only the pages one
    MkDocs run built, and the site is built in shards. Material's instant navigation only takes over links
    to addresses in this one file, so it is a single list, not an index of smaller files.
    """
    if not site_url:
        return
    base = site_url.rstrip("/") + "/"
    entries = "".join(f"<url><loc>{xml_text(base + url)}</loc></url>\n" for url in urls)
    yield "sitemap.xml", ('<?xml version="1.0" encoding="UTF-8"?>\n'
                          '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                          f"{entries}</urlset>\n").encode()
