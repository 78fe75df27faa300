"""Accessibility: axe-core's WCAG 2 A and AA rules on one page of every kind, in both palettes and at phone
width, and a reader who has only a keyboard.

axe-core is installed from npm, pinned in package-lock.json (`bash setup.sh test`), and injected into the
page as it is; nothing is downloaded while the tests run.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest

from generator.folders import PROJECT_ROOT
from tests.browser import Visitor, expect, open_visitor, write_earlier_visit

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("serious", "critical")
SCHEMES = {"light": "default", "dark": "slate"}
KINDS = ("home", "paper", "dump", "topics", "topic", "recurring", "starred", "watch", "for-you", "code", "feeds",
         "maintainers", "404", "search")
PHONE_KINDS = ("home", "paper")


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `bash setup.sh test`, which installs axe-core from package-lock.json")
    return AXE.read_text(encoding="utf-8")


def busiest_paper(catalog: dict) -> dict:
    """The paper with the most dumps and related papers: the fullest paper page."""
    return max(catalog["papers"], key=lambda paper: (len(paper["dumps"]), len(paper["related"]), paper["id"]))


def choose_palette(page: Page, scheme: str) -> None:
    """Switch to `scheme` with Material's palette toggle, as a reader would; the choice is stored for the site."""
    page.goto("")
    if page.get_attribute("body", "data-md-color-scheme") != SCHEMES[scheme]:
        page.click("label.md-header__button[for^='__palette']:visible")
    assert page.get_attribute("body", "data-md-color-scheme") == SCHEMES[scheme]


def store(page: Page, name: str, value: object) -> None:
    page.evaluate("([name, value]) => localStorage.setItem('papercat:' + name, JSON.stringify(value))", [name, value])


def open_view(page: Page, kind: str, catalog: dict) -> None:
    """One page of `kind`, with the reading state that adds to it (stars, read marks, "new" marks) shown."""
    paper = busiest_paper(catalog)
    if kind == "home":
        # A visit before the newest dump: the banner and the "new" badges are shown too.
        write_earlier_visit(page, {"dumps": [dump["id"] for dump in catalog["dumps"][:-1]],
                                   "at": datetime(2024, 1, 1, tzinfo=UTC).isoformat()})
        page.goto("")
        expect(page.locator(".pc-new-badge").first).to_be_visible()
    elif kind == "paper":
        page.goto(paper["url"])
        page.click(".pc-actions button.pc-star")
        page.click(".pc-actions button.pc-read")
        expect(page.locator(".pc-actions button.pc-read")).to_have_attribute("aria-pressed", "true")
    elif kind == "starred":
        page.goto(paper["url"])
        page.click(".pc-actions button.pc-star")
        page.goto("starred/")
        expect(page.locator("#pc-starred .pc-item")).to_have_count(1)
    elif kind == "search":
        page.goto("")
        page.keyboard.press("/")
        page.keyboard.type("diffusion")
        page.wait_for_selector("[data-pc-search-shown='diffusion']", state="attached")
        page.click(".pc-search-toggle")  # the filters and their counts too
        page.wait_for_selector("#pc-search-choices:not([hidden]) option[value^='0000']", state="attached")
    elif kind == "watch":
        store(page, "watch", {"terms": [{"text": "model", "topics": []}]})
        page.goto("watch/")
        expect(page.locator("#pc-watch .pc-item").first).to_be_visible()
    elif kind == "for-you":
        page.goto(paper["url"])
        page.click(".pc-actions button.pc-star")
        page.goto("for-you/")
        expect(page.locator("#pc-for-you .pc-item").first).to_be_visible()
    elif kind == "dump":
        # A watched word: its papers carry a badge.
        store(page, "watch", {"terms": [{"text": "model", "topics": []}]})
        page.goto(catalog["dumps"][0]["url"])
        expect(page.locator(".pc-watch-badge").first).to_be_visible()
    else:
        urls = {"topics": "topics/", "topic": catalog["topics"][0]["url"],
                "recurring": "recurring/", "code": "code/", "feeds": "feeds/", "maintainers": "maintainers/",
                "404": "404.html"}
        page.goto(urls[kind])
    page.wait_for_load_state("load")


def blocking_violations(page: Page, axe_source: str) -> list[str]:
    """axe-core's serious and critical WCAG 2 A / AA violations on the page as it is now, one line per rule."""
    page.add_script_tag(content=axe_source)
    violations = page.evaluate("""async (tags) => {
        const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
        return results.violations.map((rule) => ({id: rule.id, impact: rule.impact, help: rule.help,
            targets: rule.nodes.map((node) => node.target.join(" "))}));
    }""", WCAG_TAGS)
    return [f"{rule['id']} ({rule['impact']}: {rule['help']}) on {len(rule['targets'])} elements: "
            + ", ".join(rule["targets"][:12]) + (", ..." if len(rule["targets"]) > 12 else "")
            for rule in violations if rule["impact"] in BLOCKING_IMPACTS]


def settle_tooltips(page: Page) -> None:
    """Wait until no tooltip of Material's is fading in or out (a quarter of a second, after the clicks of
    open_view move the focus): axe measures the colours of the moment, and a half-faded tooltip was reported
    as too faint. A tooltip still shown is checked at its full colour."""
    page.wait_for_function("""() => [...document.querySelectorAll('.md-tooltip2')]
        .every(tip => ['0', '1'].includes(getComputedStyle(tip).opacity))""")


VIEWS = ([(kind, scheme, 1280) for scheme in SCHEMES for kind in KINDS]
         + [(kind, scheme, 390) for scheme in SCHEMES for kind in PHONE_KINDS])


@pytest.mark.parametrize("kind, scheme, width", VIEWS, ids=[f"{k}-{s}-{w}" for k, s, w in VIEWS])
def test_no_serious_axe_violation(browser: Browser, site_url: str, catalog: dict, axe_source: str,
                                  kind: str, scheme: str, width: int):
    with open_visitor(browser, site_url, viewport={"width": width, "height": 900}, color_scheme="light") as visitor:
        choose_palette(visitor.page, scheme)
        open_view(visitor.page, kind, catalog)
        assert visitor.page.get_attribute("body", "data-md-color-scheme") == SCHEMES[scheme], "the palette was lost"
        settle_tooltips(visitor.page)
        violations = blocking_violations(visitor.page, axe_source)
        assert not violations, f"{kind} page, {scheme} palette, {width} px:\n" + "\n".join(violations)
        assert visitor.problems == [], "\n".join(visitor.problems)


# ---- a reader with only a keyboard ---------------------------------------------------------------------------

def focused(page: Page) -> dict:
    return page.evaluate("""() => {
        const node = document.activeElement;
        const style = getComputedStyle(node.matches('.md-option') ? node.nextElementSibling : node);
        return {tag: node.tagName, href: node.getAttribute("href") || "", classes: node.className,
                ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0};
    }""")


def tab_to(page: Page, wanted: str, backwards: bool = False, limit: int = 150) -> dict:
    """Press Tab (Shift+Tab) until the focused element matches the CSS selector `wanted`; it must show a ring."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate("(wanted) => document.activeElement.matches(wanted)", wanted):
            now = focused(page)
            assert now["ring"], f"{wanted} has no visible focus ring: {now}"
            return now
    raise AssertionError(f"{limit} presses of Tab never reached {wanted}")


def stored_stars(page: Page) -> dict:
    return page.evaluate("JSON.parse(localStorage.getItem('papercat:starred') || '{}')")


@pytest.fixture
def keyboard_reader(browser: Browser, site_url: str) -> Iterator[Visitor]:
    with open_visitor(browser, site_url, viewport={"width": 1280, "height": 900}, color_scheme="light",
                      permissions=["clipboard-read", "clipboard-write"]) as visitor:
        yield visitor
        assert visitor.problems == [], "\n".join(visitor.problems)


def test_keyboard_only_reader_finds_stars_and_searches(keyboard_reader: Visitor, catalog: dict):
    page = keyboard_reader.page
    page.goto("")
    paper_link = tab_to(page, "article a.pc-title[href*='papers/']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/papers/[^/]+/$"))
    paper_id = page.get_attribute("article.pc-paper", "data-pc-paper")
    assert paper_id in paper_link["href"]

    tab_to(page, ".pc-actions button.pc-star")
    page.keyboard.press("Enter")
    expect(page.locator(".pc-actions button.pc-star")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".pc-actions button.pc-star")).to_have_accessible_name("Starred")
    assert paper_id in stored_stars(page), f"the star was not kept in localStorage: {stored_stars(page)}"
    tab_to(page, ".pc-actions button.pc-read")
    page.keyboard.press(" ")
    expect(page.locator(".pc-actions button.pc-read")).to_have_attribute("aria-pressed", "true")
    tab_to(page, "button.pc-copy")
    page.keyboard.press("Enter")
    expect(page.locator("button.pc-copy")).to_have_text("Copied")

    tab_to(page, ".md-search__input", backwards=True)
    assert page.is_checked("#__search"), "focusing the search box did not open the search"
    other = next(paper for paper in catalog["papers"] if paper["id"] != paper_id and len(paper["title"]) > 30)
    query = " ".join(re.findall(r"[A-Za-z]{4,}", other["title"])[:4])
    page.keyboard.type(query)
    page.wait_for_selector(f"[data-pc-search-shown='{query}']", state="attached")
    count = page.locator("[data-pc-search-meta]")
    expect(count).to_have_attribute("aria-live", "polite")
    expect(count).to_have_text(re.compile(r"^\d+ matching papers? Watch these words$"))
    page.keyboard.press("ArrowDown")
    result = focused(page)
    assert "md-search-result__link" in result["classes"] and result["ring"], f"no focused result: {result}"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(result["href"].rstrip("/").split("/")[-1]) + "/$"))


def test_question_mark_and_the_footer_list_the_keys(keyboard_reader: Visitor, catalog: dict):
    """The keys were in the README only: a reader of the site could not learn j, k, s, r, n or p."""
    page = keyboard_reader.page
    page.goto(catalog["dumps"][0]["url"])
    page.keyboard.press("?")
    dialog = page.locator("dialog#pc-keys")
    expect(dialog).to_be_visible()
    expect(dialog).to_have_accessible_name("Keys")
    assert dialog.locator("dt").all_text_contents() == ["j, k", "Enter", "s", "r", "h", "n, p", "/, f", "?"]
    page.keyboard.press("j")  # the open list keeps the keys to itself
    assert page.locator(".pc-item.pc-current").count() == 0
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.keyboard.press("j")
    assert page.locator(".pc-item.pc-current").count() == 1
    page.click(".pc-keys-button")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()


def test_palette_toggle_works_from_the_keyboard(keyboard_reader: Visitor):
    page = keyboard_reader.page
    page.goto("")
    tab_to(page, ".md-option")
    expect(page.locator(".md-option:focus")).to_have_accessible_name("Switch to dark mode")
    page.keyboard.press("Enter")
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    expect(page.locator(".md-option:focus")).to_have_accessible_name("Switch to light mode")
    page.reload()
    assert page.get_attribute("body", "data-md-color-scheme") == "slate", "the palette choice was not kept"
    tab_to(page, ".md-option")
    page.keyboard.press(" ")
    assert page.get_attribute("body", "data-md-color-scheme") == "default"


def test_phone_menu_opens_from_the_keyboard(browser: Browser, site_url: str):
    with open_visitor(browser, site_url, viewport={"width": 390, "height": 900}) as visitor:
        page = visitor.page
        page.goto("")
        tab_to(page, "label.md-header__button[for='__drawer']")
        expect(page.locator("label.md-header__button[for='__drawer']")).to_have_accessible_name("Navigation")
        page.keyboard.press(" ")
        assert page.is_checked("#__drawer"), "Space did not open the menu"
        page.keyboard.press("Enter")
        assert not page.is_checked("#__drawer"), "Enter did not close the menu"
        assert visitor.problems == [], "\n".join(visitor.problems)


def test_phone_menu_of_a_paper_page_holds_the_navigation(browser: Browser, site_url: str, catalog: dict):
    """Paper pages write their drawer from the tabs (assets/drawer.js), also after an instant navigation."""
    tabs = ["Home", "Dumps", "Topics", "Recurring", "Watch", "For you", "Starred"]
    menu, drawer_links = "label.md-header__button[for='__drawer']", ".md-sidebar--primary nav .md-nav__link"
    with open_visitor(browser, site_url, viewport={"width": 390, "height": 900}) as visitor:
        page = visitor.page
        page.goto(catalog["papers"][0]["url"])
        related = page.locator(".pc-related a.pc-title").first
        related_title = related.text_content()
        # A title at Material's 2em took three lines of a phone before anything else (a reader's review).
        sizes = page.eval_on_selector(".pc-paper-title", "title => [title, title.parentElement].map("
                                      "node => parseFloat(getComputedStyle(node).fontSize))")
        assert sizes[0] == 1.5 * sizes[1], sizes
        related.click()  # an instant navigation: Material swaps the page in
        expect(page.locator(".pc-paper-title")).to_have_text(related_title or "")
        page.click(menu)
        expect(page.locator(drawer_links)).to_have_text(tabs)
        expect(page.locator(".md-sidebar--primary nav")).to_have_accessible_name("Navigation")
        page.locator(drawer_links, has_text="Topics").click()
        expect(page).to_have_url(re.compile(r"/topics/$"))
        assert visitor.problems == [], "\n".join(visitor.problems)


def test_the_tab_of_a_topics_or_a_dumps_page_is_marked_and_listings_have_no_side_menu(browser: Browser,
                                                                                       site_url: str, catalog: dict):
    """A topic's page showed no tab as the current one, index pages a side menu of one item, their own, and paper
    pages an empty one (a new user's review)."""
    active = ".md-tabs__item--active .md-tabs__link"
    with open_visitor(browser, site_url, viewport={"width": 1280, "height": 800}) as visitor:
        page = visitor.page
        page.goto("topics/")
        expect(page.locator(active)).to_have_text(["Topics"])
        expect(page.locator(".md-sidebar--primary")).to_be_hidden()
        page.locator("table a").first.click()  # a topic's page, by instant navigation
        expect(page).to_have_url(re.compile(r"/topics/[^/]+/$"))
        expect(page.locator(active)).to_have_text(["Topics"])
        page.goto(catalog["dumps"][0]["url"])
        expect(page.locator(active)).to_have_text(["Dumps"])
        page.goto(catalog["papers"][0]["url"])
        expect(page.locator(active)).to_have_count(0)
        # A paper page had an empty column of side menu, and its article began a third of the way across.
        expect(page.locator(".md-sidebar--primary")).to_be_hidden()
        assert page.locator(".pc-paper").bounding_box()["x"] == page.locator(".md-tabs__link").first.bounding_box()["x"]
        page.goto("starred/")  # a hand-written page: its side menu held "Starred" alone, its list a narrow column
        expect(page.locator(active)).to_have_text(["Starred"])
        expect(page.locator(".md-sidebar--primary")).to_be_hidden()
        assert visitor.problems == [], "\n".join(visitor.problems)


def test_letter_keys_act_only_when_not_typing(keyboard_reader: Visitor, catalog: dict):
    page = keyboard_reader.page
    page.goto(catalog["dumps"][0]["url"])
    tab_to(page, ".md-search__input")
    page.keyboard.type("jks")
    assert page.input_value(".md-search__input") == "jks"
    page.keyboard.press("Escape")
    assert stored_stars(page) == {} and page.locator(".pc-item.pc-current").count() == 0
    page.keyboard.press("j")
    page.keyboard.press("s")
    first = catalog["dumps"][0]["papers"][0]
    assert list(stored_stars(page)) == [first], f"j then s should star the first paper: {stored_stars(page)}"


def test_unstar_buttons_name_their_paper(keyboard_reader: Visitor, catalog: dict):
    page = keyboard_reader.page
    paper = busiest_paper(catalog)
    page.goto(paper["url"])
    page.click(".pc-actions button.pc-star")
    page.goto("starred/")
    expect(page.locator("button.pc-unstar")).to_have_accessible_name(f"Unstar {paper['title']}")


@pytest.mark.parametrize("touch", [False, True], ids=["mouse", "finger"])
def test_star_and_read_buttons_are_targets_a_finger_can_hit(browser: Browser, site_url: str, catalog: dict,
                                                             touch: bool):
    """WCAG 2.2 asks for targets of 24 px at least: a listing's Star and Mark read buttons were 23 px high, half
    of what a phone's finger wants."""
    width, least = (390, 36) if touch else (1280, 24)
    with open_visitor(browser, site_url, viewport={"width": width, "height": 900}, has_touch=touch,
                      is_mobile=touch) as visitor:
        visitor.page.goto(catalog["dumps"][0]["url"])
        visitor.page.wait_for_selector(".pc-item-buttons .md-button")
        # And the buttons above the listing: 26 px high on a phone (a reader's review).
        heights = visitor.page.eval_on_selector_all(".pc-item-buttons .md-button, .pc-hide-read, .pc-mark-all-read",
                                                    "buttons => buttons.map(b => b.getBoundingClientRect().height)")
        assert heights and min(heights) >= least, (least, sorted(heights)[:3])
        # The × that stops watching a word was 9 by 17 px, beside the button that shows the word's papers, 17 px
        # high in its pill of 45 px.
        visitor.page.goto("watch/")
        visitor.page.fill("#pc-watch-term", "diffusion")
        visitor.page.click(".pc-watch-form button[type=submit]")
        box = visitor.page.locator("button[data-pc-unwatch]").bounding_box()
        assert box and min(box["width"], box["height"]) >= (40 if touch else 24), box
        if touch:
            only = visitor.page.locator("button.pc-watch-only").bounding_box()
            assert only and only["height"] >= 40, only
            # A dump's date on the dumps index was 15 px high in its row.
            visitor.page.goto("dumps/")
            date = visitor.page.locator(".pc-dumps-index td:first-child a").first.bounding_box()
            assert date and date["height"] >= 36, date
            # The footer's links and Keys button were 15 and 20 px high.
            heights = visitor.page.eval_on_selector_all(".pc-footer :is(a, button)",
                                                        "nodes => nodes.map(n => n.getBoundingClientRect().height)")
            assert len(heights) >= 5 and min(heights) >= 36, heights
        # A paper page's Star, Mark read and Copy link were 28 px high on a phone (a reader's review).
        visitor.page.goto(catalog["papers"][0]["url"])
        heights = visitor.page.eval_on_selector_all(".pc-actions .md-button:visible",
                                                    "buttons => buttons.map(b => b.getBoundingClientRect().height)")
        assert len(heights) >= 3 and min(heights) >= least, (least, sorted(heights)[:3])


def test_reduced_motion_turns_transitions_off(browser: Browser, site_url: str):
    durations = "() => [...document.querySelectorAll('.md-tabs__link, .md-header, .md-search__inner')]" \
                ".flatMap((node) => getComputedStyle(node).transitionDuration.split(', ').map(parseFloat))"
    for motion, expect_moving in (("no-preference", True), ("reduce", False)):
        with open_visitor(browser, site_url, viewport={"width": 1280, "height": 900}, reduced_motion=motion) as visitor:
            visitor.page.goto("")
            moving = any(duration > 0 for duration in visitor.page.evaluate(durations))
            assert moving == expect_moving, f"prefers-reduced-motion: {motion}: transitions {'on' if moving else 'off'}"


def test_every_kind_of_generated_page_has_a_skip_link_to_its_heading(real_build):
    """Material writes "Skip to content" only for a page with a table of contents; generated pages skip
    Markdown, which makes one, so the hook gives them their heading as one (generator/mkdocs_hooks.py)."""
    paper = real_build.catalog()["papers"][0]["url"]
    for url in ("", "topics/", "dumps/", "recurring/", "watch/", paper):
        page = real_build.page(url)
        target = re.search(r'<a href="#([^"]+)" class="md-skip">', page)
        assert target, f"{url or 'home'}: no skip link"
        assert f'<h1 id="{target[1]}"' in page, url
