"""What a reader sees: the pages at laptop and phone width in both palettes, charts, feeds, exports, and
nothing loaded from outside the site."""
from __future__ import annotations

import csv
import html
import io
import re
from collections import Counter
from html.parser import HTMLParser
from xml.etree import ElementTree

import feedparser
import pytest

from generator.build import check
from generator.enrich import enrich
from generator.folders import PROJECT_ROOT
from generator.render.charts import stacked_bars
from generator.render.feeds import render_feeds
from generator.render.layout import FEED_ENTRIES
from generator.render.pages import (
    SiteData,
    dump_chart,
    render_listings,
    template_environment,
    topic_trend,
)
from generator.render.sentences import listed_sentence
from tests.browser import open_visitor, serve
from tests.conftest import SITE_NAME, shipped

ARTEFACTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
WIDTHS = (1280, 390)
SCHEMES = ("light", "dark")


def pages_to_shoot(real_build) -> dict[str, str]:
    catalog = real_build.catalog()
    paper = max(catalog["papers"], key=lambda p: (len(p["dumps"]), len(p["related"]), p["id"]))
    return {"home": "", "paper": paper["url"], "topic": catalog["topics"][0]["url"], "topics": "topics/"}


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_pages_fit_the_screen_in_both_palettes(real_build, browser, width, scheme):
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    with serve(real_build.site) as base_url, open_visitor(
            browser, base_url, viewport={"width": width, "height": 900}, color_scheme=scheme) as visitor:
        for name, url in pages_to_shoot(real_build).items():
            visitor.page.goto(base_url + url)
            visitor.page.wait_for_load_state("load")
            expected_scheme = "slate" if scheme == "dark" else "default"
            assert visitor.page.get_attribute("body", "data-md-color-scheme") == expected_scheme
            overflow = visitor.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{name} at {width}px scrolls sideways by {overflow}px"
            # A table scrolls in its own box: the topics index's descriptions were all off a phone's screen.
            cells_past = visitor.page.evaluate("Math.max(0, ...[...document.querySelectorAll('.pc-topics-index td')]"
                                               ".map(cell => cell.getBoundingClientRect().right))"
                                               " - document.documentElement.clientWidth")
            assert cells_past <= 0, f"{name} at {width}px has table cells {cells_past}px past the screen"
            visitor.page.screenshot(path=str(ARTEFACTS / f"{name}-{width}-{scheme}.png"), full_page=False)
        assert visitor.problems == [], "\n".join(visitor.problems)


def test_palette_toggle_is_remembered(real_build, browser):
    with serve(real_build.site) as base_url, open_visitor(browser, base_url, color_scheme="light") as visitor:
        page = visitor.page
        page.goto(base_url)
        page.click("label.md-header__button[for^='__palette']:visible")
        assert page.get_attribute("body", "data-md-color-scheme") == "slate"
        page.reload()
        assert page.get_attribute("body", "data-md-color-scheme") == "slate"


def test_charts_have_text_alternatives(real_build):
    home = real_build.page("")
    for chart in ("papers-per-dump", "papers-per-topic"):
        svg = re.search(rf'<svg[^>]*data-pc-chart="{chart}"[^>]*>(.*?)</svg>', home, re.S)
        assert svg, f"home page lacks the {chart} chart"
        assert re.search(r'role="img" aria-labelledby="[^"]+"', svg.group(0)) and "<title" in svg.group(1)
    assert "<details class=\"pc-disclosure pc-chart-data\">" in home, "the per-dump numbers are not given as text"
    topic = real_build.page(real_build.catalog()["topics"][0]["url"])
    # Below the papers, as on the home page: above them, it took a phone's whole first screen. A link above the
    # papers leads to it: 250 papers down, a reader never saw it (a reader's review).
    assert topic.index('<ol class="pc-listing"') < topic.index('data-pc-chart="topic-trend"')
    assert topic.index('#topic-trend">its papers over time</a>') < topic.index('<ol class="pc-listing"')
    assert '<figure class="pc-figure" id="topic-trend">' in topic


class ResourceParser(HTMLParser):
    """Every resource a page asks the browser to load (not plain links a reader may follow)."""

    def __init__(self):
        super().__init__()
        self.resources: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "audio", "video", "embed") and attributes.get("src"):
            self.resources.append(attributes["src"])
        if tag == "link" and attributes.get("href") and attributes.get("rel") not in ("alternate", "canonical"):
            self.resources.append(attributes["href"])
        if tag == "object" and attributes.get("data"):
            self.resources.append(attributes["data"])
        if attributes.get("srcset"):
            self.resources.append(attributes["srcset"])


def is_external(url: str) -> bool:
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url.strip(), re.I))


def test_no_page_loads_anything_from_outside(real_build):
    for path in real_build.site.rglob("*.html"):
        parser = ResourceParser()
        parser.feed(path.read_text(encoding="utf-8"))
        external = [url for url in parser.resources if is_external(url)]
        assert not external, f"{path.relative_to(real_build.site)} loads {external}"
    for path in real_build.site.rglob("*.css"):
        urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", path.read_text(encoding="utf-8"))
        assert not [url for url in urls if is_external(url)], f"{path} loads from outside: {urls}"


def test_every_icon_has_its_shape_in_the_css(real_build):
    """Header icons are empty <svg> elements that papercat.css paints (templates/theme/partials/icon.html): an
    icon named in mkdocs.yml without its rule there would be invisible."""
    css = (real_build.site / "assets" / "papercat.css").read_text(encoding="utf-8")
    drawn = set(re.findall(r"^\.(pc-icon--[\w-]+) \{ --pc-icon: url\('data:image/svg\+xml", css, re.M))
    sources = [real_build.page(""), real_build.page(real_build.catalog()["papers"][0]["url"]),
               *((real_build.site / "assets" / script).read_text(encoding="utf-8")
                 for script in ("search-box.js", "md-palette.js"))]
    used = {name for source in sources for name in re.findall(r"pc-icon--[\w-]+", source)}
    assert len(used) >= 7 and used <= drawn, f"icons without a shape in papercat.css: {sorted(used - drawn)}"


def test_feeds_hold_the_newest_papers_once(real_build):
    catalog = real_build.catalog()
    papers = {paper["id"]: paper for paper in catalog["papers"]}
    newest_first = [papers[paper_id] for dump in reversed(catalog["dumps"]) for paper_id in dump["papers"]
                    if papers[paper_id]["dumps"][-1] == dump["id"]]
    feed = feedparser.parse((real_build.site / "feeds" / "all.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert [entry.id for entry in feed.entries] == [f"urn:papercat:paper:{paper['id']}" for paper in newest_first][:FEED_ENTRIES]
    assert [entry.title for entry in feed.entries] == [paper["title"] for paper in newest_first][:FEED_ENTRIES]
    for topic in catalog["topics"]:
        topic_feed = feedparser.parse((real_build.site / "feeds" / f"{topic['name']}.xml").read_bytes())
        assert not topic_feed.bozo
        expected = [f"urn:papercat:paper:{p['id']}" for p in newest_first if topic["name"] in p["tags"]][:FEED_ENTRIES]
        assert [entry.id for entry in topic_feed.entries] == expected
    home = real_build.page("")
    assert re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="feeds/all.xml"', home)
    topic_page = real_build.page(catalog["topics"][0]["url"])
    assert f'feeds/{catalog["topics"][0]["name"]}.xml' in topic_page
    # The feeds are listed on a page of their own, linked from every page's footer (only the feed of all papers
    # was, and /feeds/ was a 404).
    listed = re.findall(r'<a href="([^"]+)" type="application/atom\+xml">', real_build.page("feeds/"))
    # In the Topics page's order: most papers first, then by name.
    sizes = Counter(tag for paper in catalog["papers"] for tag in paper["tags"])
    by_size = sorted(catalog["topics"], key=lambda topic: (-sizes[topic["name"]], topic["name"]))
    assert listed[:len(catalog["topics"]) + 1] == ["../feeds/all.xml"] + [f"../feeds/{topic['name']}.xml"
                                                                         for topic in by_size]
    assert listed[len(catalog["topics"]) + 1:] == ["../feeds/agents-rl.xml"], "the retired topic's feed"
    assert all((real_build.site / "feeds" / href.removeprefix("../feeds/")).is_file() for href in listed)
    assert '<a href="feeds/">Feeds</a>' in home


def test_feed_links_are_the_sites_own_addresses_of_built_pages(real_build):
    """Some feed readers resolve no relative link: every link of a feed is absolute, under the site's address
    (`site_url`, the pages' canonical address), and leads to a file the build made. A topic's feed leads to
    the topic's page (it led to the home page: a reader's review)."""
    site_url = re.search(r'<link rel="canonical" href="([^"]+)">', real_build.page("")).group(1)
    feeds = [path for path in sorted((real_build.site / "feeds").glob("*.xml")) if path.name != "sitemap.xml"]
    assert len(feeds) > 10
    for feed_path in feeds:
        hrefs: dict[str, list[str]] = {}
        feed = ElementTree.parse(feed_path).getroot()
        for link in feed.iter("{http://www.w3.org/2005/Atom}link"):
            hrefs.setdefault(link.get("rel"), []).append(link.get("href"))
        assert hrefs["self"] == [f"{site_url}feeds/{feed_path.name}"]
        page = feed.find("{http://www.w3.org/2005/Atom}link[@rel='alternate']").get("href")
        assert page == site_url + ("" if feed_path.stem == "all" else f"topics/{feed_path.stem}/"), page
        for href in [href for rel_hrefs in hrefs.values() for href in rel_hrefs]:
            assert href.startswith(site_url), (feed_path.name, href)
            target = real_build.site / href.removeprefix(site_url)
            assert (target / "index.html" if href.endswith("/") else target).is_file(), (feed_path.name, href)


def test_feeds_date_papers_by_the_days_their_dump_names_give(seed_dumps, tmp_path):
    """Dumps carry no year: a dump's file name may give its day, and a dump without one is dated by the build."""
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    named = {"000_8ee9efdb4ab40406.txt": "000_2023-08-01.txt", "001_ca6fd16a7bf5ba76.txt": "001_2024-03-11.txt",
             "002_b6f4b1d9201f11ec.txt": "002_2024-08-21.txt",  # its date line says Aug 20: no day
             "003_ed1ec047728eac42.txt": "003_ed1ec047728eac42.txt"}
    for seed, name in named.items():
        (dumps / name).write_bytes((seed_dumps / seed).read_bytes())
    checked = check(shipped(dumps_dir=dumps))
    assert [dump.calendar_date for dump in checked.catalog.dumps] == ["2023-08-01", "2024-03-11", None, None]
    site = SiteData(checked.catalog, enrich(checked.catalog, checked.taxonomy, checked.overrides))
    feeds = dict(render_feeds(site, PROJECT_ROOT / "templates", "2026-12-05", None, "Smith Lab papers"))
    day_of_dump = {"000_2023-08-01": "2023-08-01", "001_2024-03-11": "2024-03-11"}
    papers = {f"urn:papercat:paper:{paper.id}": paper for paper in checked.catalog.papers}
    dated = set()
    retired = {f"feeds/{topic.name}.xml" for topic in site.enrichment.taxonomy.retired}
    for path in [path for path in feeds if path.endswith(".xml") and path not in {"feeds/sitemap.xml", *retired}]:
        feed = feedparser.parse(feeds[path])
        assert not feed.bozo and feed.entries
        assert feed.feed.title.startswith("Smith Lab papers: "), "a feed is titled with the site's own name"
        for entry in feed.entries:
            records = papers[entry.id].records
            assert entry.published == f"{day_of_dump.get(records[0].dump_id, '2026-12-05')}T00:00:00Z"
            assert entry.updated == f"{day_of_dump.get(records[-1].dump_id, '2026-12-05')}T00:00:00Z"
            dated.update({entry.published[:10], entry.updated[:10]})
        assert feed.feed.updated == max(entry.updated for entry in feed.entries)
    assert dated == {"2023-08-01", "2024-03-11", "2026-12-05"}


def test_the_dumps_page_of_dated_dumps_lists_them_by_month(tmp_path):
    """Two years of daily dumps are 600 rows: with every dump dated, the page has a heading per month, newest
    first, and a line of links to them by year; undated dumps stay one table (the bundled build)."""
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    days = {"000_2025-12-30.txt": "Dec 30", "001_2026-08-03.txt": "Aug 3", "002_2026-08-04.txt": "Aug 4",
            "003_2026-09-01.txt": "Sep 1"}
    for number, (name, day) in enumerate(days.items()):
        # The Aug 4 dump lists Aug 3's first paper again.
        again = "Paper 1 on graphs\n\nAn abstract about graphs 1.\n\n" if day == "Aug 4" else ""
        (dumps / name).write_text(f"{day}\n\n{again}Paper {number} on graphs\n\nAn abstract about graphs {number}.\n\n"
                                  f"Another paper {number}\n\nAn abstract about vision {number}.\n", encoding="utf-8")
    checked = check(shipped(dumps_dir=dumps))
    site = SiteData(checked.catalog, enrich(checked.catalog, checked.taxonomy, checked.overrides))
    page = dict(render_listings(site, PROJECT_ROOT / "templates", "2026-12-05"))["dumps.md"]
    headings = re.findall(r'<h2 id="([0-9-]+)">([^<]+) <small>([^<]+)</small></h2>', page)
    assert headings == [("2026-09", "Sep 2026", "1 dump, 2 papers listed"),
                        ("2026-08", "Aug 2026", "2 dumps, 5 papers listed"),
                        ("2025-12", "Dec 2025", "1 dump, 2 papers listed")], headings
    assert re.findall(r"<strong>(\d+)</strong>|<a href=\"#([0-9-]+)\">", page) == [
        ("2026", ""), ("", "2026-09"), ("", "2026-08"), ("2025", ""), ("", "2025-12")]
    assert [html.unescape(name) for name in re.findall(r"<code>([^<]+)</code>", page)] == list(reversed(days))
    # Charts have a bar per month: a bar per dump showed two years of daily dumps as their newest 52.
    charts = [dump_chart(site), topic_trend(site, site.enrichment.taxonomy.topics[0].name)]
    assert [chart.title for chart in charts] == ["Papers per month", "Papers with this topic per month"]
    # Every month, those without a dump too; a paper listed twice in a month counts once.
    months = ["Dec 2025", "Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026", "May 2026", "Jun 2026", "Jul 2026",
              "Aug 2026", "Sep 2026"]
    assert [bar.label for bar in charts[0].bars] == months
    # No paper is seen again in a later month: "seen before" is left out, as no bar would show it.
    assert charts[0].series == ("new to the catalog",)
    assert [[segment[1] for segment in bar.segments] for bar in charts[0].bars] == [[2]] + [[0]] * 7 + [[4], [2]]
    assert charts[0].unit == "month"
    assert [bar.label for bar in charts[0].bars if bar.tick] == ["Jan 2026"], "a year's first month is labelled"
    # A topic's month says its share of the month's papers: the months' sizes swing, and its bars with them.
    every = [bar.total for bar in charts[0].bars]
    assert [bar.note for bar in charts[1].bars] == [
        f"{bar.total / total:.1%} of {total}" if total else "" for bar, total in zip(charts[1].bars, every)]
    assert any(bar.total for bar in charts[1].bars) and charts[1].note_heading == "Share of the month's papers"
    drawn = template_environment(PROJECT_ROOT / "templates", macros=True).from_string(
        '{% import "_charts.j2" as charts %}{{ charts.stacked(chart, "t") }}').render(chart=charts[1])
    assert "<th>Share of the month&#39;s papers</th>" in drawn or "<th>Share of the month's papers</th>" in drawn
    # And a line through the shares (a reader's review: Agents' bars fell from 198 papers to 125 as its share rose
    # to its highest), on a scale of its own that the caption gives.
    shares = [bar.total / total for bar, total in zip(charts[1].bars, every) if total]
    line = charts[1].share_line
    assert line and line.highest == max(shares) and line.highest_label == next(
        bar.label for bar, total in zip(charts[1].bars, every) if total and bar.total / total == max(shares))
    # Months without a dump (Jan to Jul 2026) break the line: the topic did not vanish in them. A month alone
    # between two such is a dot (a line of one point draws nothing).
    assert len(line.runs) == 2, line.runs
    lone = stacked_bars("t", ("papers",), [("a", (1,)), ("b", (0,)), ("c", (2,)), ("d", (0,))], "month",
                        shares=[None, 0.5, None, 0.25]).share_line
    assert lone and len(lone.runs) == 2 and all(" " not in run for run in lone.runs)
    drawn_lone = template_environment(PROJECT_ROOT / "templates", macros=True).from_string(
        '{% import "_charts.j2" as charts %}{{ charts.stacked(chart, "t") }}').render(
        chart=stacked_bars("t", ("papers",), [("a", (1,)), ("b", (0,)), ("c", (2,))], "month", shares=[None, 0.5, None]))
    assert drawn_lone.count('<circle class="pc-share-dot"') == 1 and "<polyline" not in drawn_lone
    heights = [160 - float(point.split(",")[1]) for run in line.runs for point in run.split()]
    assert [round(height / max(heights), 3) for height in heights] == [round(share / max(shares), 3) for share in shares]
    assert all((f'<polyline class="pc-share-line" points="{run}"/>' if " " in run else
                f'<circle class="pc-share-dot" cx="{run.split(",")[0]}" cy="{run.split(",")[1]}" r="2.5"/>') in drawn
               for run in line.runs), line.runs
    assert f"the highest, {max(shares) * 100:.1f}% ({line.highest_label}), at the top" in drawn
    # And on the chart, beside its highest point: read against the count axis, the line looked like papers.
    peak = re.search(r'<text class="pc-share-peak" x="([\d.]+)" y="([\d.]+)"[^>]*>([\d.]+)%</text>', drawn)
    assert peak and peak[3] == f"{max(shares) * 100:.1f}" and float(peak[2]) - 10 == min(heights_y := [
        float(point.split(",")[1]) for run in line.runs for point in run.split()]), (peak, heights_y)
    # The newest dump, Sep 1, leaves its month going on: its bar is that month so far, and says so.
    assert charts[0].until == charts[1].until == "Sep 1, 2026"
    assert drawn.count('class="pc-so-far"') == 1 and "Sep 2026 so far, to Sep 1, 2026" in drawn
    assert "<td>Sep 2026, to Sep 1, 2026</td>" in drawn


def test_a_segment_of_a_few_papers_shows_on_a_bar_of_hundreds():
    """The home chart's key named the colour of papers seen before, which no bar showed: the real catalog's 4
    recurring papers, in months of 600, were under a tenth of a unit high."""
    chart = stacked_bars("Papers per month", ("new to the catalog", "seen before"),
                         [("Jan 2026", (600, 1)), ("Feb 2026", (400, 0)), ("Mar 2026", (1, 1)), ("Apr 2026", (2, 0))],
                         "month")
    (_, _, _, seen_height), = [segment for segment in chart.bars[0].segments if segment[0] == "seen before"]
    assert seen_height >= 2
    assert [segment[3] for segment in chart.bars[1].segments][1] == 0, "nothing seen before: no segment"
    # Each bar stays as tall as its total: the height is taken from its largest segment.
    scale = 152 / 601
    assert [round(sum(segment[3] for segment in bar.segments), 1) for bar in chart.bars] == [
        round(scale * total, 1) for total in (601, 400, 2, 2)]


def test_a_chart_of_many_months_names_its_tallest_bar():
    """Every chart's tallest bar is as tall: a small topic's 3 papers looked like a large one's 200."""
    months = [(f"{name} {year}", (count, 0)) for year in (2025, 2026)
              for count, name in enumerate(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep"], start=1)]
    chart = stacked_bars("Papers with this topic per month", ("papers", "seen before"), months, "month")
    environment = template_environment(PROJECT_ROOT / "templates", macros=True)
    drawn = environment.from_string('{% import "_charts.j2" as charts %}{{ charts.stacked(chart, "t") }}').render(
        chart=chart)
    caption = re.search(r"<figcaption>(.*?)</figcaption>", drawn, re.S)[1]
    assert caption.endswith("· the tallest bar: 9 (Sep 2025)"), caption
    few = stacked_bars("Papers per dump", ("new", "seen before"), months[:4])
    drawn = environment.from_string('{% import "_charts.j2" as charts %}{{ charts.stacked(chart, "t") }}').render(
        chart=few)
    assert "tallest" not in drawn, "a chart of few bars shows each bar's number under it"


def test_a_chart_has_numbered_grid_lines_where_bars_of_those_numbers_end():
    """A chart without a y-axis gave only the tallest bar's number: how many papers a month had was a guess."""
    months = [(f"m{count}", (count, 0)) for count in range(1, 10)]
    chart = stacked_bars("Papers per month", ("papers", "seen before"), months, "month")
    environment = template_environment(PROJECT_ROOT / "templates", macros=True)
    drawn = environment.from_string('{% import "_charts.j2" as charts %}{{ charts.stacked(chart, "t") }}').render(
        chart=chart)
    numbers = re.findall(r'<line class="pc-grid"[^>]* y1="([\d.]+)"[^>]*/><text[^>]*>(\d+)</text>', drawn)
    assert [number for _, number in numbers] == ["2", "4", "6", "8"]
    bar_tops = {bar.total: bar.segments[-1][2] for bar in chart.bars}
    assert all(float(y) == bar_tops[int(number)] for y, number in numbers)
    assert all(bar.x >= chart.axis_width for bar in chart.bars), "a bar drawn over the grid's numbers"
    on_a_step = stacked_bars("Papers per month", ("papers",), [(f"m{count}", (count,)) for count in range(1, 9)])
    assert on_a_step.grid[-1].value == 8 and on_a_step.grid[-1].y >= 8, "the top line's number cut by the edge"
    assert stacked_bars("Papers per month", ("papers",), [("m", (0,))]).grid == (), "a line over no bars"


def test_a_topic_of_several_pages_of_dated_dumps_links_its_months(tmp_path):
    """A topic of 2,000 papers was eight pages of numbers, with no way to go to last year's papers."""
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    for number, (name, day) in enumerate({"000_2026-06-30.txt": "Jun 30", "001_2026-07-01.txt": "Jul 1",
                                          "002_2026-08-01.txt": "Aug 1"}.items()):
        records = "".join(f"Graph neural networks {number}-{index}\n\nWe propose graph neural network {index} for "
                          f"graphs.\n\n" for index in range(130))
        (dumps / name).write_text(f"{day}\n\n{records}", encoding="utf-8")
    checked = check(shipped(dumps_dir=dumps))
    site = SiteData(checked.catalog, enrich(checked.catalog, checked.taxonomy, checked.overrides))
    pages = dict(render_listings(site, PROJECT_ROOT / "templates", "2026-12-05"))
    assert len(site.papers_by_topic["graphs"]) == 390 and "topics/graphs/2.md" in pages
    for path in ("topics/graphs.md", "topics/graphs/2.md"):
        months = re.search(r'<nav class="pc-months" aria-label="Months">(.*?)</nav>', pages[path])[1]
        root = "../../" if path == "topics/graphs.md" else "../../../"
        # Newest first, 130 papers a month: August's and July's start on page 1, June's (from the 261st) on 2,
        # each at its heading there (a month's link left its papers under a page of later ones).
        assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', months) == [
            (f"{root}topics/graphs/#month-2026-08", "Aug 2026"), (f"{root}topics/graphs/#month-2026-07", "Jul 2026"),
            (f"{root}topics/graphs/2/#month-2026-06", "Jun 2026")], months
    headings = {path: re.findall(r'<h2 class="pc-month-heading" id="([^"]+)">([^<]+)</h2>\s*<ol class="pc-listing" '
                                 r'start="(\d+)">', pages[path]) for path in ("topics/graphs.md", "topics/graphs/2.md")}
    assert headings == {"topics/graphs.md": [("month-2026-08", "Aug 2026", "1"), ("month-2026-07", "Jul 2026", "131")],
                        "topics/graphs/2.md": [("month-2026-07", "Jul 2026", "251"),
                                               ("month-2026-06", "Jun 2026", "261")]}, headings
    assert 'class="pc-months"' not in pages["topics/video.md"], "one page needs no months"
    assert 'class="pc-month-heading"' not in pages["topics/video.md"]


def test_a_listing_shows_the_sentence_that_says_what_the_paper_does(real_build):
    assert listed_sentence("LLMs are large. Yet they fail. To this end, we propose X. It works.") == "…To this end, we propose X."
    assert listed_sentence("We present Y, a model. It works.") == "We present Y, a model."
    assert listed_sentence("A survey of Z. Nothing proposed.") == "A survey of Z.", "no such sentence: the first"
    assert listed_sentence("Agents fail. We find two challenges in memory. To address them, we propose Mem, a store "
                           "for agents.") == "…To address them, we propose Mem, a store for agents.", "making first"
    assert listed_sentence("Policies (e.g. Diffusion Policy) fail often. We propose P, a policy for robots (see Sec. "
                           "4). It works.") == "…We propose P, a policy for robots (see Sec. 4).", "abbreviations"
    assert listed_sentence("We propose " + "word " * 80 + "end.").endswith(" word…"), "cut between words"
    # A name with a full stop in it, as the title writes it (real corpus, 0252_2025-04-23.txt record 24).
    assert listed_sentence("We propose QX. Lens, a framework for reading charts. It works.", "QX. Lens: charts") == \
        "We propose QX. Lens, a framework for reading charts."
    assert listed_sentence("Tools fail. We propose " + "x. " * 100_000 + "A. B. Good, a method of words.",
                           "A. B. Good " * 10_000).startswith("…We propose x."), "hostile title and abstract"
    assert listed_sentence("We propose QX. Lens, a framework of many words.", "x" * 300_000 + ". QX. Lens") == \
        "We propose QX. Lens, a framework of many words.", "a title of one long word (this took minutes)"
    assert listed_sentence("A.\u00a0" * 200_000 + "We propose Z, a method for reading charts.", "QX. Lens: charts") == (
        "…We propose Z, a method for reading charts."), (
        "sentences ending in no-break spaces (this took seconds per paper, growing with the square)")
    # Hostile text: read once, not once a sentence (this took hours when each sentence was found from the start).
    assert listed_sentence("We propose x. " * 100_000 + "We propose a method of six words.") == \
        "…We propose a method of six words."
    catalog = real_build.catalog()
    paper = next(paper for paper in catalog["papers"] if paper["abstract"].startswith("Web search provides"))
    dump_page = real_build.page(catalog["dumps"][0]["url"])
    item = dump_page[dump_page.index(f'{paper["url"]}"'):]
    sentence = html.unescape(re.search(r'class="pc-key-sentence" dir="auto">([^<]*)</p>', item)[1])
    assert sentence == "…Specifically, we propose a pre-training model-based IR system called DynamicRetriever."


def test_csv_round_trips(real_build):
    catalog = real_build.catalog()
    rows = list(csv.DictReader(io.StringIO((real_build.site / "papers.csv").read_text(encoding="utf-8"), newline="")))
    assert [row["id"] for row in rows] == [paper["id"] for paper in catalog["papers"]]
    for row, paper in zip(rows, catalog["papers"]):
        assert row["title"] == paper["title"] and row["url"] == paper["url"]
        assert row["topics"].split() == paper["tags"] and row["dumps"].split() == paper["dumps"]


def test_paper_page_has_what_a_reader_needs(real_build):
    catalog = real_build.catalog()
    paper = next(p for p in catalog["papers"] if len(p["dumps"]) > 1)
    page = real_build.page(paper["url"])
    text = real_build.text(paper["url"])
    for piece in ("Seen in", "Related papers", "Why these topics", "Copy link", "Find on arXiv", "Find on Hugging Face"):
        assert piece in text, f"paper page lacks {piece!r}"
    assert 'data-pc-find="arxiv"' in page and 'data-pc-find="hugging-face"' in page, "papercat.js makes their addresses"
    chips = page.split('class="pc-chips">', 1)[1].split("</span>", 1)[0]
    assert chips.count("<a href=") == len(paper["tags"])
    # Its date right under the title: "Seen in" at the foot of the page was 2,000 px down on a phone.
    first = next(dump for dump in catalog["dumps"] if dump["id"] == paper["dumps"][0])
    later = len(paper["dumps"]) - 1
    assert f"{paper['title']} Seen in " in text, text[:300]
    seen = page.split('<p class="pc-paper-seen">', 1)[1].split("</p>", 1)[0]
    assert seen.startswith(f'Seen in <a href="../../{first["url"]}">'), seen
    assert seen.endswith(f"</a> and {later} later dump{'s' if later > 1 else ''}"), seen


def test_each_dump_page_links_the_dumps_before_and_after_it(real_build):
    dumps = real_build.catalog()["dumps"]
    for index, dump in enumerate(dumps):
        nav = real_build.page(dump["url"]).split('<nav class="pc-dump-nav"', 1)[1].split("</nav>", 1)[0]
        older = f'Older: <a href="../../{dumps[index - 1]["url"]}">' if index else None
        newer = (f'<span class="pc-newer">Newer: <a href="../../{dumps[index + 1]["url"]}">'
                 if index + 1 < len(dumps) else None)
        for link in (older, newer):
            assert link is None or link in nav, (dump["url"], nav)
        assert nav.count("<a ") == (older is not None) + (newer is not None)


def test_a_dump_chart_says_which_dumps_it_shows():
    from generator.render.charts import MAX_BARS, stacked_bars

    rows = [(f"d{n}", (n,)) for n in range(MAX_BARS + 8)]
    assert stacked_bars("Papers per dump", ("papers",), rows).title == (
        f"Papers per dump, the newest {MAX_BARS} of {MAX_BARS + 8} dumps: d8 to d{MAX_BARS + 7}")
    assert stacked_bars("Papers per dump", ("papers",), rows[:20]).title == "Papers per dump: d0 to d19"
    assert stacked_bars("Papers per dump", ("papers",), rows[:4]).title == "Papers per dump"


def test_the_home_chart_names_only_the_series_its_bars_show(tmp_path, real_build):
    """The key named "seen before" on a catalog whose few recurring papers came back within their month: a
    colour no bar showed (a reader's review). A catalog with papers seen again keeps it."""
    from tests.conftest import build_one_dump

    built = build_one_dump(tmp_path, "001_a.txt", [("One paper", "We study one thing."),
                                                   ("Another paper", "We study another thing.")])
    assert "new to the catalog" in built.page("") and "seen before" not in built.page("")
    assert '<span class="pc-key pc-series-2"></span> seen before' in real_build.page("")


def test_each_topic_page_links_its_own_feed(real_build):
    for topic in real_build.catalog()["topics"]:
        page = real_build.page(f"topics/{topic['name']}/")
        assert f'href="../../feeds/{topic["name"]}.xml" type="application/atom+xml">Atom feed</a> of this topic' in page
        assert (real_build.site / "feeds" / f"{topic['name']}.xml").is_file()


def test_a_long_listing_is_paginated_with_links_to_its_pages(tmp_path):
    from generator.render.layout import LISTING_PAGE_SIZE
    from tests.conftest import build_one_dump

    built = build_one_dump(tmp_path, "001_long.txt", [
        (f"Paper number {n} on topic{n}", f"An abstract about subject{n} and method{n * 3}.")
        for n in range(LISTING_PAGE_SIZE + 10)])
    url = built.catalog()["dumps"][0]["url"]
    first, second = built.page(url), built.page(f"{url}2/")
    assert f"<title>Aug 1 (001_long.txt) - {SITE_NAME}</title>" in html.unescape(first)
    assert f"<title>Aug 1 (001_long.txt) (page 2) - {SITE_NAME}</title>" in html.unescape(second)
    assert 'rel="next">Next</a> · <span aria-current="page">1</span> <a href="../../' in first
    assert f'<ol class="pc-listing" start="{LISTING_PAGE_SIZE + 1}">' in second
    assert second.count('<li class="pc-item">') == 10 and 'rel="prev">Previous</a>' in second


def test_the_404_page_leads_home(real_build):
    page = (real_build.site / "404.html").read_text(encoding="utf-8")
    logo = re.search(rf'<a href="([^"]+)" title="{re.escape(html.escape(SITE_NAME))}" class="md-header__button md-logo"', page)
    assert logo, "no header logo link"
    assert f'<a href="{logo[1]}">Go to the home page</a>' in page


def test_counts_and_the_build_day_read_as_pages_write_them(real_build, tmp_path):
    """`10,049 papers`, `built Dec 5, 2026`: as dump names write days, not `10049` and `2026-12-05`."""
    from generator.render.pages import template_environment

    assert re.search(r"<span>built [A-Z][a-z]{2} \d{1,2}, \d{4}</span>", real_build.page("")), "the build day"
    (tmp_path / "t.j2").write_text("{{ 10049 | thousands }} {{ '2026-12-05' | day }}", encoding="utf-8")
    assert template_environment(tmp_path).get_template("t.j2").render() == "10,049 Dec 5, 2026"


def test_a_paper_whose_abstract_is_nearly_anothers_says_so_on_its_page(tmp_path):
    """In the real corpus a paper was listed with another's abstract (0.99 alike, different titles), and only
    the maintainers' page told: its readers took the other paper's abstract, topics and related papers for its
    own."""
    from tests.conftest import build_one_dump

    shared = ("We propose a verifier that checks the outcome of long reasoning chains, trained with active "
              "learning on expert annotations, and reaches an F1 score of 83.1 on our held-out benchmark.")
    built = build_one_dump(tmp_path, "001_pasted.txt", [
        ("OPV: an outcome-based process verifier", shared),
        ("A long-horizon agent for olympiad mathematics", shared.replace("83.1", "83.2")),
        ("Graph networks for molecules", "We learn molecular graphs with message passing and predict properties."),
    ])
    papers = {paper["title"]: paper for paper in built.catalog()["papers"]}
    first, second = papers["OPV: an outcome-based process verifier"], papers["A long-horizon agent for olympiad mathematics"]
    for paper, other in ((first, second), (second, first)):
        notice = re.search(r'<div class="pc-warning pc-same-abstract"><p>(.*?)</p></div>', built.page(paper["url"]))
        assert notice, paper["url"]
        assert f'href="../../{other["url"]}"' in notice.group(1) and "% alike" in notice.group(1)
    assert "pc-same-abstract" not in built.page(papers["Graph networks for molecules"]["url"])


def test_a_dump_that_wrote_a_title_otherwise_shows_it_as_written(tmp_path):
    """A paper shows its newest record's title: a later dump's `CAFÉ LATTE:  CACHING MODELS` replaced the first
    dump's `Café Latte: Caching Models` on every page, that dump's own listing too, and the first wording was on
    no page (red team, 2026-12-06)."""
    from tests.conftest import build_into

    abstract = "We cache the keys and values of language models in a coffee shop, safely and quickly."
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    (dumps / "001_a.txt").write_text(f"Aug 1\n\nCafé Latte: Caching Models\n\n{abstract}\n", encoding="utf-8")
    (dumps / "002_b.txt").write_text(f"Aug 2\n\nCAFÉ LATTE:\u00a0 CACHING MODELS\n\n{abstract}\n", encoding="utf-8")
    built = build_into(tmp_path, dumps)
    catalog = built.catalog()
    (paper,) = catalog["papers"]
    notes = [[text_of_html(note) for note in re.findall(r'<span class="pc-seen pc-note">(.*?)</span></div>',
                                                        built.page(dump["url"]))] for dump in catalog["dumps"]]
    assert notes == [["Seen again in Aug 2; listed here as “Café Latte: Caching Models”"], ["Seen before in Aug 1"]]
    sightings = re.findall(r"<li>.*?</li>", built.page(paper["url"]).split('<ul class="pc-seen-in">')[1].split("</ul>")[0])
    assert [text_of_html(item) for item in sightings] == [
        "Aug 1 001_a.txt, line 3, as “Café Latte: Caching Models”", "Aug 2 002_b.txt, line 3"], sightings


def test_a_dump_page_names_the_nearest_other_dumps_of_a_paper_and_counts_the_rest(tmp_path):
    """Each dump page named every other dump of a paper: 2,000 daily dumps of 10 papers made 2 GB of pages."""
    from generator.render.layout import OTHER_DUMPS_SHOWN
    from tests.conftest import build_into

    dumps = tmp_path / "dumps"
    dumps.mkdir()
    count = OTHER_DUMPS_SHOWN + 3
    for day in range(1, count + 1):
        (dumps / f"{day:03d}_2026-08-{day:02d}.txt").write_text(
            f"Aug {day}\n\nA Paper Seen Every Day\n\nWe study a paper that every dump lists, day after day.\n",
            encoding="utf-8")
    built = build_into(tmp_path, dumps)
    catalog = built.catalog()
    notes = [" ".join(text_of_html(note) for note in re.findall(r'<span class="pc-seen pc-note">(.*?)</span></div>',
                                                                 built.page(dump["url"]))) for dump in catalog["dumps"]]
    days = [f"Aug {day}, 2026" for day in range(1, count + 1)]
    assert notes[0] == f"Seen again in {', '.join(days[1:1 + OTHER_DUMPS_SHOWN])} and 2 later", notes[0]
    assert notes[-1] == f"Seen before in {', '.join(days[-1 - OTHER_DUMPS_SHOWN:-1])} and 2 earlier", notes[-1]
    assert notes[3] == f"Seen before in {', '.join(days[:3])}; again in {', '.join(days[4:4 + OTHER_DUMPS_SHOWN])}"
    assert len(re.findall(r"<li>", built.page(catalog["papers"][0]["url"]).split('<ul class="pc-seen-in">')[1]
                          .split("</ul>")[0])) == count, "the paper's page names every dump"


def text_of_html(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def test_only_the_newest_earlier_wordings_are_marked_word_by_word(tmp_path):
    """A paper reworded in each of many dumps cost a word diff per wording (28 ms at 950 words): a hostile
    catalog within the limits took a third of the publish job's hour. Older wordings are shown as they were."""
    from generator.render.layout import EARLIER_WORDINGS_MARKED
    from tests.conftest import build_into

    dumps = tmp_path / "dumps"
    dumps.mkdir()
    count = EARLIER_WORDINGS_MARKED + 2
    for number in range(count + 1):
        abstract = f"We cache the keys and values of language models, version {number}, safely and quickly."
        (dumps / f"{number:03}_x.txt").write_text(f"Aug {number + 1}\n\nCaching Models\n\n{abstract}\n",
                                                   encoding="utf-8")
    built = build_into(tmp_path, dumps)
    (paper,) = built.catalog()["papers"]
    summaries = re.findall(r'<details class="pc-diff"><summary>(.*?)</summary>(.*?)</details>', built.page(paper["url"]))
    assert len(summaries) == count
    for index, (summary, body) in enumerate(summaries):
        marked = index >= count - EARLIER_WORDINGS_MARKED
        assert ("changes to the newest wording marked" in summary) == marked, (index, summary)
        assert ("<del>" in body) == marked, (index, body)
        assert f"version {index}," in html.unescape(body), "every wording is shown as it was"
