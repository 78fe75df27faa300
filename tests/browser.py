"""Shared pieces of the browser tests: a built site served over http, and Debian's Chromium driven by Playwright.

Import what a test module needs: `from tests.browser import serve, open_visitor`. The session fixture
`browser` is registered once, in conftest.py. Nothing here downloads a browser, and
every request that leaves the served site is blocked and reported as an error: the catalog works offline.
"""
from __future__ import annotations

import functools
import http.server
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # Playwright is imported when a browser starts: the fast tests run without it installed.
    from playwright.sync_api import Browser, Page, Route

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def free_port() -> int:
    """A port free now, for a site that must know its address (`site_url`) before it is served."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serve(site_dir: Path, port: int = 0) -> Iterator[str]:
    """Serve `site_dir` on 127.0.0.1 at `port` (a free one by default); yields the site's base URL, ending in
    "/"."""
    handler = functools.partial(QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def chromium() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def expect(actual: object, message: str | None = None):
    """Playwright's `expect`, imported when a test first uses it."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(actual, message)  # type: ignore[call-overload]


@dataclass
class Visitor:
    """One reader: a fresh browser context (its own storage) with one page, and the problems it saw."""

    page: Page
    base_url: str
    problems: list[str] = field(default_factory=list)

    def problems_from(self, script: str) -> list[str]:
        """The script errors whose stack passes through `script` (a file name such as "papercat.js")."""
        return [problem for problem in self.problems if problem.startswith("page error") and script in problem]


@contextmanager
def open_visitor(browser: Browser, base_url: str, **context_options: object) -> Iterator[Visitor]:
    """A reader on the site at `base_url`; script errors, console errors, failed requests and requests that
    leave the site are collected in `problems`."""
    context = browser.new_context(base_url=base_url, accept_downloads=True, **context_options)
    page = context.new_page()
    visitor = Visitor(page, base_url)
    page.on("pageerror", lambda error: visitor.problems.append(f"page error on {page.url}: {error.stack}"))
    page.on("response", lambda response: response.status >= 400
            and visitor.problems.append(f"HTTP {response.status} for {response.url}"))
    # A failed request is already reported with its address by the response handler.
    page.on("console", lambda message: message.type == "error"
            and not message.text.startswith("Failed to load resource")
            and visitor.problems.append(f"console error on {page.url}: {message.text}"))

    def block_outside_request(route: Route) -> None:
        visitor.problems.append(f"request outside the site: {route.request.url}")
        route.abort()

    context.route(re.compile(rf"^(?!{re.escape(base_url)}|data:|blob:)"), block_outside_request)
    try:
        yield visitor
    finally:
        context.close()


def write_earlier_visit(page: Page, visit: dict) -> None:
    """Store `visit` ({dumps, at}) as the reader's last visit, over: the next page starts a visit after it. The
    page in view records its own visit first (papercat.js may fetch the list of dumps to do so): the write waits
    for it, or that record would land after it."""
    page.wait_for_function("localStorage.getItem('papercat:visit') !== null")
    page.evaluate("visit => localStorage.setItem('papercat:visit', JSON.stringify(visit))", visit)
