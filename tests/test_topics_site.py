"""Topics on the built site: chips with reasons, topic pages both ways, curator overrides."""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ElementTree

import feedparser
import pytest

from generator.build import BuildPaths, build, check
from generator.errors import InputError
from generator.folders import PROJECT_ROOT
from tests.conftest import shipped


def test_every_paper_has_one_to_four_topics_with_reasons(real_build):
    catalog = real_build.catalog()
    topic_titles = {topic["name"]: topic["title"] for topic in catalog["topics"]}
    for paper in catalog["papers"]:
        assert 1 <= len(paper["tags"]) <= 4, f"{paper['id']} has {len(paper['tags'])} topics"
        text = real_build.text(paper["url"])
        reasons = text.split("Why these topics", 1)[1].split("Seen in", 1)[0]
        for tag in paper["tags"]:
            reason = re.search(re.escape(topic_titles[tag]) + r" ?: (matched \S|added by a curator)", reasons)
            assert reason, f"{paper['id']}: no reason shown for {tag}"
            assert paper["tag_evidence"][tag], f"{paper['id']}: {tag} has no evidence"


def test_topic_pages_and_paper_pages_link_both_ways(real_build):
    catalog = real_build.catalog()
    index = real_build.page("topics")
    counts = [int(n) for n in re.findall(r'</a></td><td>(\d+)</td>', index)]
    assert len(counts) == len(catalog["topics"]) == 37
    assert counts == sorted(counts, reverse=True), "topics index is not most papers first"
    # The feeds page lists the topics' feeds in the same order (a reader's review: it followed taxonomy.yml).
    topic_order = re.findall(r'<td class="pc-name"><a href="(?:\.\./)*topics/([^/"]+)/"', index)
    feeds = real_build.page("feeds").split('class="pc-feeds"', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r'href="(?:\.\./)*feeds/([^/"]+)\.xml"', feeds) == ["all", *topic_order], topic_order
    for topic in catalog["topics"]:
        page = real_build.page(topic["url"])
        listed = {html.unescape(item) for item in re.findall(r'class="pc-item"><a class="pc-title"[^>]* href="[^"]*?papers/([^"/]+)/"', page)}
        expected = {paper["id"] for paper in catalog["papers"] if topic["name"] in paper["tags"]}
        assert listed == expected, f"topic page {topic['name']} lists the wrong papers"
        description = topic["description"]  # a phrase of taxonomy.yml, which the page writes as a sentence
        assert f"{description[:1].upper()}{description[1:]}." in real_build.text(topic["url"])
    paper = catalog["papers"][0]
    chips = re.findall(r'<a href="([^"]+)"', real_build.page(paper["url"]).split('class="pc-chips">', 1)[1].split("</span>", 1)[0])
    assert [html.unescape(chip) for chip in chips][:len(paper["tags"])] == [
        f"../../topics/{tag}/" for tag in paper["tags"]]


REPLACEMENTS = {"agents": "Agents", "reinforcement-learning": "Reinforcement learning",
                "robotics-embodied": "Robotics & embodied AI"}


def test_a_replaced_topic_keeps_its_page_linking_to_its_replacements(real_build):
    page = real_build.page("topics/agents-rl")
    links = {html.unescape(href): html.unescape(re.sub(r"<[^>]+>", "", text)) for href, text in
             re.findall(r'<li><a href="([^"]+)">(.*?)</a>', page.split('class="pc-replaced-by"', 1)[1])}
    assert links == {f"../../topics/{name}/": title for name, title in REPLACEMENTS.items()}, links
    assert "Agents & reinforcement learning" in real_build.text("topics/agents-rl")
    for name in REPLACEMENTS:
        assert (real_build.site / "topics" / name / "index.html").is_file(), f"{name} has no page"
    catalog_topics = {topic["name"] for topic in real_build.catalog()["topics"]}
    assert "agents-rl" not in catalog_topics and set(REPLACEMENTS) <= catalog_topics


def test_a_replaced_topic_feed_has_one_entry_pointing_to_its_replacements(real_build):
    atom = "{http://www.w3.org/2005/Atom}"
    feed_bytes = (real_build.site / "feeds" / "agents-rl.xml").read_bytes()
    assert not feedparser.parse(feed_bytes).bozo, "not a well-formed Atom feed"
    feed = ElementTree.fromstring(feed_bytes)
    entries = feed.findall(f"{atom}entry")
    assert len(entries) == 1, f"expected one entry, got {len(entries)}"
    entry = entries[0]
    assert entry.findtext(f"{atom}title") == ("Agents & reinforcement learning was replaced by Agents, "
                                               "Reinforcement learning, Robotics & embodied AI")
    related = [link.get("href") for link in entry.findall(f"{atom}link") if link.get("rel") == "related"]
    assert [href.rsplit("/", 1)[-1] for href in related] == [f"{name}.xml" for name in REPLACEMENTS], related
    for name in REPLACEMENTS:
        assert (real_build.site / "feeds" / f"{name}.xml").is_file(), f"feeds/{name}.xml is missing"


def test_no_paper_address_moved_with_the_new_taxonomy(real_build):
    recorded = (PROJECT_ROOT / "tests" / "fixtures" / "paper_addresses_v1.txt").read_text(encoding="utf-8")
    before = [line for line in recorded.splitlines() if line and not line.startswith("#")]
    after = [paper["url"] for paper in real_build.catalog()["papers"]]
    assert len(before) == 325 and after == before, sorted(set(before) ^ set(after))[:10]


def test_an_override_naming_a_replaced_topic_stops_the_build_with_its_line(paths_with_overrides):
    paths = paths_with_overrides(
        "dynamicretriever-a-pre-training-model-based-ir-system-with-neither-sparse-nor:\n  remove: [agents-rl]\n")
    with pytest.raises(InputError) as error:
        build(paths)
    assert re.search(r"tags\.yml:2: topic 'agents-rl' was replaced by agents, reinforcement-learning, "
                     r"robotics-embodied; expected one of those", str(error.value)), str(error.value)


def test_related_lists_exclude_self_and_merged_records(real_build):
    catalog = real_build.catalog()
    by_id = {paper["id"]: paper for paper in catalog["papers"]}
    for paper in catalog["papers"]:
        assert len(paper["related"]) == 5 and paper["id"] not in paper["related"]
        assert len(set(paper["related"])) == 5
        merged_titles = {seen["title"] for seen in paper["seen"]}
        assert not any(by_id[other]["title"] in merged_titles for other in paper["related"])
        shown = re.findall(r'<li class="pc-item"><a class="pc-title"[^>]* href="[^"]*?papers/([^"/]+)/"', real_build.page(paper["url"]).split('id="related"', 1)[1])
        assert [html.unescape(item) for item in shown] == paper["related"]


# Papers picked by hand, and what their nearest neighbour must be about.
NEAREST = {
    "Masked Frequency Modeling for Self-Supervised Visual Pre-Training": r"(?i)mask|self-supervised",
    "Tutel: Adaptive Mixture-of-Experts at Scale": r"(?i)mixture.of.experts|\bMoE",
    "Time-MoE: Billion-Scale Time Series Foundation Models with Mixture of Experts": r"(?i)time.series",
    "Contribution-based Low-Rank Adaptation with Pre-training Model for Real Image Restoration": r"(?i)low-rank|LoRA",
    "When to Pre-Train Graph Neural Networks? From Data Generation Perspective!": r"(?i)graph",
}


@pytest.mark.parametrize("title", sorted(NEAREST))
def test_nearest_neighbour_is_sensible(real_build, title):
    catalog = real_build.catalog()
    by_id = {paper["id"]: paper for paper in catalog["papers"]}
    paper = next(p for p in catalog["papers"] if p["title"] == title)
    nearest = by_id[paper["related"][0]]
    assert re.search(NEAREST[title], nearest["title"]), f"{title!r} -> {nearest['title']!r}"


@pytest.fixture()
def paths_with_overrides(tmp_path, seed_dumps):
    def make(overrides: str) -> BuildPaths:
        (tmp_path / "tags.yml").write_text(overrides, encoding="utf-8")
        return shipped(dumps_dir=seed_dumps, site_dir=tmp_path / "site", staging_dir=tmp_path / "build",
                       overrides_file=tmp_path / "tags.yml")
    return make


@pytest.mark.slow
def test_curator_overrides_change_topics(real_build, paths_with_overrides):
    paper = next(p for p in real_build.catalog()["papers"] if "survey" not in p["tags"] and len(p["tags"]) >= 2)
    removed = paper["tags"][-1]
    paths = paths_with_overrides(f"{paper['id']}:\n  add: [survey]\n  remove: [{removed}]\n")
    build(paths)
    rebuilt = next(p for p in __import__("json").loads((paths.site_dir / "catalog.json").read_text())["papers"]
                   if p["id"] == paper["id"])
    assert "survey" in rebuilt["tags"] and removed not in rebuilt["tags"]
    page_text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", (paths.site_dir / paper["url"] / "index.html").read_text())).split())
    assert re.search(r"Surveys? ?[^:]*: added by a curator", page_text), page_text[:500]


def test_a_mistyped_id_in_tags_yml_is_annotated_on_its_line_with_the_id_meant(tmp_path, seed_dumps, monkeypatch,
                                                                                capsys, papercat_command):
    """A pull request's typo was a warning on no file: the entry was silently not applied."""
    (tmp_path / "tags.yml").write_text("# comment\nmasked-frequncy-modeling-for-self-supervised-visual-pre-training:\n"
                                       "  add: [survey]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert papercat_command(["check", "--format", "github", "--dumps", str(seed_dumps)],
                            overrides_file=tmp_path / "tags.yml") == 0
    assert capsys.readouterr().out.splitlines() == [
        "::warning file=tags.yml,line=2::no paper in the catalog has the id "
        "'masked-frequncy-modeling-for-self-supervised-visual-pre-training' (mistyped, or its dump was removed): "
        "the entry is not applied (did you mean 'masked-frequency-modeling-for-self-supervised-visual-pre-training'?)"]


def test_overrides_of_unknown_papers_and_topics_name_the_file_and_line(paths_with_overrides):
    paths = paths_with_overrides("# comment\nno-such-paper:\n  add: [survey]\n")
    notes = check(paths).notes  # a paper the catalog lacks: noted, not an error
    assert any(re.match(r".*tags\.yml:2: no paper in the catalog has the id 'no-such-paper'", str(note)) for note in notes)
    paths = paths_with_overrides(
        "dynamicretriever-a-pre-training-model-based-ir-system-with-neither-sparse-nor:\n  add: [surveys]\n")
    with pytest.raises(InputError) as error:
        build(paths)
    assert re.search(r"tags\.yml:2: .*surveys", str(error.value)), str(error.value)
