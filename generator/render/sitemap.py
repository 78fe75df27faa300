"""The sitemap: every generated page's address, for search engines and Material's instant navigation."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from . import layout
from .escape import xml_text

SITEMAP_MAX_URLS = 50_000  # the sitemap protocol's limit for one file
NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def render_sitemap(urls: Iterable[str], site_url: str,
                   max_urls: int = SITEMAP_MAX_URLS) -> Iterator[tuple[str, bytes]]:
    """`sitemap.xml` listing `urls`; nothing without a `site_url` (its addresses must be absolute).

    MkDocs' own sitemap is switched off (templates/theme/sitemap.xml) because it lists only the pages one
    MkDocs run built, and the site is built in shards. Material's instant navigation only takes over links
    to addresses in this one file, so it is a single list up to the protocol's `max_urls`. Past that, which
    a catalog of about 50,000 papers reaches, it is an index of lists of `max_urls` (sitemaps/1.xml, ...), as
    search engines require; Material reads no index, and its instant navigation then leaves links alone.
    """
    if not site_url:
        return
    base = site_url.rstrip("/") + "/"
    urls = list(urls)
    if len(urls) <= max_urls:
        yield layout.SITEMAP_PATH, url_list(base, urls)
        return
    parts = [layout.sitemap_part_path(number) for number in range(1, (len(urls) + max_urls - 1) // max_urls + 1)]
    for index, part in enumerate(parts):
        yield part, url_list(base, urls[index * max_urls:(index + 1) * max_urls])
    entries = "".join(f"<sitemap><loc>{xml_text(base + part)}</loc></sitemap>\n" for part in parts)
    yield layout.SITEMAP_PATH, xml_file(f'<sitemapindex xmlns="{NAMESPACE}">\n{entries}</sitemapindex>\n')


def url_list(base: str, urls: list[str]) -> bytes:
    entries = "".join(f"<url><loc>{xml_text(base + url)}</loc></url>\n" for url in urls)
    return xml_file(f'<urlset xmlns="{NAMESPACE}">\n{entries}</urlset>\n')


def xml_file(body: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode()
