"""Topic tagging: taxonomy and override validation, the tagger's promises, and hostile text."""
from __future__ import annotations

from pathlib import Path

import pytest

from generator.enrich.topics import (
    CURATOR_EVIDENCE,
    Keyword,
    TaggingSettings,
    Taxonomy,
    Topic,
    TopicAssignment,
    apply_overrides,
    load_overrides,
    load_taxonomy,
    tag_paper,
    tag_papers,
)
from generator.errors import InputError
from tests.conftest import SEED_TAXONOMY

CLIP_TITLE = "Learning Transferable Visual Models From Natural Language Supervision"
CLIP_ABSTRACT = (
    "We pre-train an image encoder and a text encoder with a contrastive objective on 400 million "
    "image-text pairs collected from the internet, as in CLIP. Natural language then references learned "
    "visual concepts, enabling zero-shot transfer to image classification, and the model is competitive "
    "with a fully supervised baseline on ImageNet."
)
BENCHMARK_TITLE = "Measuring Robustness of Reading Comprehension Models"
BENCHMARK_ABSTRACT = (
    "Models often fail on questions that need several reasoning steps. We introduce a new benchmark of "
    "12,000 questions written by experts, and we release the dataset with a public leaderboard. "
    "Strong language models score far below people on it."
)

SMALL_TAXONOMY = """\
settings:
  threshold: 4
  fallback_topic: misc
topics:
  - name: vision-language
    title: Vision & language
    description: images with text
    keywords:
      clip: 4
      image-text: 3
  - name: language-models
    title: Language models
    description: text models
    keywords:
      language model*: 3
      multimodal large language model*: -3
  - name: misc
    title: Miscellaneous
    description: everything else
"""


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy(SEED_TAXONOMY)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def topics_of(assignments: tuple[TopicAssignment, ...]) -> list[str]:
    return [assignment.topic for assignment in assignments]


# --- taxonomy.yml validation --------------------------------------------------------------------------


def test_the_shipped_taxonomy_loads_with_the_37_topics_of_version_2(taxonomy):
    assert len(taxonomy.topics) == 37, f"expected the 37 topics of taxonomy.md, got {len(taxonomy.topics)}"
    assert taxonomy.by_name("vision-language").title == "Vision & language"
    assert taxonomy.by_name("no-such-topic") is None
    assert taxonomy.by_name("agents-rl") is None, "version 1's agents-rl is split, not kept"
    retired = taxonomy.retired_by_name("agents-rl")
    assert retired is not None and retired.replaced_by == ("agents", "reinforcement-learning", "robotics-embodied")


# --- retired topics ------------------------------------------------------------------------------------


def test_a_retired_topic_names_its_replacements(tmp_path):
    taxonomy = load_taxonomy(write(tmp_path, "taxonomy.yml", SMALL_TAXONOMY + """retired:
  vision-and-language:
    title: Vision and language
    replaced_by: [vision-language, misc, misc]
  old-misc: {replaced_by: [misc]}
"""))
    assert [(r.name, r.title, r.replaced_by) for r in taxonomy.retired] == [
        ("vision-and-language", "Vision and language", ("vision-language", "misc")),
        ("old-misc", "old-misc", ("misc",)),
    ]


def test_every_retired_topic_problem_is_reported_with_its_line(tmp_path):
    path = write(tmp_path, "taxonomy.yml", SMALL_TAXONOMY + """retired:
  misc: {replaced_by: [vision-language]}
  old-topic:
    replaced_by: [vision-langauge, misc]
  Bad Name: {replaced_by: [misc]}
  no-replacements: {title: Gone}
  empty-list: {replaced_by: []}
  all: {replaced_by: [misc]}
  "trailing-break\\n": {replaced_by: [misc]}
""")
    with pytest.raises(InputError) as raised:
        load_taxonomy(path)
    messages = [str(problem) for problem in raised.value.problems]
    expected = [
        f"{path}:21: retired topic 'misc' is also a topic; expected a name no topic uses any more",
        f"{path}:23: replacement 'vision-langauge' is not a topic; expected one of the names in taxonomy.yml "
        "(did you mean 'vision-language'?)",
        f"{path}:24: retired topic name 'Bad Name' is not a valid tag",
        f"{path}:25: retired topic 'no-replacements' has no `replaced_by:`; expected a list of topic names",
        f"{path}:26: `replaced_by:` is not a non-empty list; expected a list of topic names",
        f"{path}:27: retired topic name 'all' is the name of one of the site's own pages or feeds; expected another",
        f"{path}:28: retired topic name 'trailing-break\\n' is not a valid tag",
    ]
    for start in expected:
        assert any(message.startswith(start) for message in messages), f"{start!r} not in {messages}"
    assert len(messages) == len(expected), f"expected {len(expected)} problems, got {messages}"


def test_an_override_naming_a_retired_topic_says_what_replaced_it(tmp_path, taxonomy):
    path = write(tmp_path, "tags.yml", "# curator notes\npaper-a:\n  add: [agents-rl]\n")
    with pytest.raises(InputError) as raised:
        load_overrides(path, taxonomy, {"paper-a"})
    assert str(raised.value) == (
        f"{path}:3: topic 'agents-rl' was replaced by agents, reinforcement-learning, robotics-embodied; "
        "expected one of those"
    ), str(raised.value)


def test_a_topic_may_not_take_the_name_of_a_page_or_feed_of_the_site(tmp_path):
    """A topic `all` would be feeds/all.xml, in place of the feed of all papers; `index`, the topics' index."""
    path = write(tmp_path, "taxonomy.yml", SMALL_TAXONOMY.replace("name: vision-language", "name: index", 1))
    with pytest.raises(InputError) as raised:
        load_taxonomy(path)
    assert str(raised.value.problems[0]).startswith(
        f"{path}:5: topic name 'index' is the name of one of the site's own pages or feeds; expected another name "
        "(not index, all, sitemap)"), raised.value.problems


def test_every_taxonomy_problem_is_reported_with_file_and_line(tmp_path):
    path = write(tmp_path, "taxonomy.yml", """\
topics:
  - name: Vision Language
    title: Vision & language
    description: images with text
    keywords:
      clip: heavy
  - name: graphs
    title: Graphs
    colour: blue
  - name: graphs
    title: Graphs again
    description: duplicate
    keywords:
      gnn: 0
""")
    with pytest.raises(InputError) as raised:
        load_taxonomy(path)
    messages = [str(problem) for problem in raised.value.problems]
    expected = [
        f"{path}:2: topic name 'Vision Language' is not a valid tag",
        f"{path}:6: weight of keyword 'clip' is 'heavy'; expected a non-zero number",
        f"{path}:9: unknown key 'colour' in a topic",
        f"{path}:7: topic has no `description:`",
        f"{path}:14: weight of keyword 'gnn' is '0'",
        f"{path}:10: topic name 'graphs' is used twice (first on line 7)",
    ]
    for start in expected:
        assert any(message.startswith(start) for message in messages), f"{start!r} not in {messages}"
    assert len(messages) == len(expected), f"expected {len(expected)} problems, got {messages}"


def test_a_topic_title_with_a_bidirectional_override_is_refused(tmp_path):
    """A topic's title shows on every one of its papers' pages: U+202E left open reversed the rest of the line."""
    path = write(tmp_path, "taxonomy.yml", """\
topics:
  - name: graphs
    title: "Graphs \\u202eRTL"
    description: "graph\\nneural networks"
    keywords:
      gnn: 1
""")
    with pytest.raises(InputError) as raised:
        load_taxonomy(path)
    assert [str(problem) for problem in raised.value.problems] == [
        f"{path}:3: `title:` holds the control character(s) U+202E; expected a line of plain text"]


def test_a_taxonomy_yaml_syntax_error_names_its_line(tmp_path):
    path = write(tmp_path, "taxonomy.yml", "topics:\n  - name: a\n    title: [unclosed\n")
    with pytest.raises(InputError) as raised:
        load_taxonomy(path)
    assert str(raised.value).startswith(f"{path}:"), str(raised.value)
    assert "expected valid YAML" in str(raised.value)


def test_repeated_keyword_spellings_and_bad_patterns_are_rejected(tmp_path):
    path = write(tmp_path, "taxonomy.yml", """\
topics:
  - name: pretraining
    title: Pre-training
    description: pre-training
    keywords:
      pre-training: 2
      pretraining: 2
    patterns:
      - {label: broken, regex: '(unclosed', weight: 1}
      - {label: empty, regex: 'a*', weight: 1}
      - {label: huge, regex: 'a{4294967295}', weight: 1}
      - {label: nested, regex: 'we (?:[a-z]+ ?)+!', weight: 1}
      - {label: bounded, regex: 'we (?:[a-z]+ ){0,4}?show', weight: 1}
      - {label: alternatives, regex: 'we (?:[a-z]|[a-z])+!', weight: 1}
      - {label: small, regex: 'we (?:[a-z]+ ?){0,10}!', weight: 1}
      - {label: optional, regex: '(?:aa?)+b', weight: 1}
      - {label: atomic, regex: '(?>(?:[a-z]+ ?)+!)', weight: 1}
      - {label: conditional, regex: '(x)?(?(1)(?:[a-z]+ ?)+!|y)', weight: 1}
      - {label: apart, regex: '(?:(?:the|a) ){0,2}show', weight: 1}
      - {label: back-reference, regex: 'we (\\w+) \\1', weight: 1}
      - {label: spans, regex: 'we (.*)(.*)(.*)z', weight: 1}
""")
    with pytest.raises(InputError) as raised:
        load_taxonomy(path)
    messages = [str(problem) for problem in raised.value.problems]
    repeated = f"{path}:7: keyword 'pretraining' is another spelling"
    assert any(message.startswith(repeated) for message in messages), messages
    assert any(message.startswith(f"{path}:9: regex does not compile") for message in messages), messages
    assert any(message.startswith(f"{path}:10: regex matches empty text") for message in messages), messages
    assert any(message.startswith(f"{path}:11: regex does not compile") for message in messages), messages
    assert any(message.startswith(f"{path}:12: regex has a repeat of varying length inside a repeat")
               for message in messages)
    assert not any(f"{path}:13:" in message for message in messages), "each word ends at its space: fine"
    # Each took more than 20 s on the abstract "we aaa...a is" (40 letters), a letter more doubling it: `check`
    # passed them, and the build hung.
    assert any(message.startswith(f"{path}:14: regex has repeated alternatives") for message in messages)
    for line in range(15, 19):
        assert any(message.startswith(f"{path}:{line}: regex has a repeat of varying length inside a repeat")
                   for message in messages), line
    assert not any(f"{path}:19:" in message for message in messages), "alternatives starting apart are fine"
    # `we (.*)(.*)(.*)(.*)\1z` ran minutes on one abstract: `check` passed it, and the build hung (red team).
    assert any(message.startswith(f"{path}:20: regex has a back-reference") for message in messages), messages
    assert any(message.startswith(f"{path}:21: regex has two repeats of any length that match a space")
               for message in messages), messages


def test_a_topic_name_too_long_for_a_file_name_is_refused(tmp_path):
    """A name of 300 letters passed `check`, and the build failed on the file system (red team)."""
    path = write(tmp_path, "taxonomy.yml", f"topics:\n  - name: {'v' * 300}\n    title: V\n    description: v\n")
    with pytest.raises(InputError) as raised:
        load_taxonomy(path)
    assert f"{path}:2: topic name '{'v' * 300}' is not a valid tag; expected at most 64 lowercase" in str(raised.value)


@pytest.mark.parametrize("text, expected", [
    ("", ":1: the file is empty; expected a YAML file with a `topics:` list"),
    ("# nothing but a comment\n", ":1: the file is empty"),
    ("topics: " + "[" * 20_000 + "]" * 20_000 + "\n", ":1: nested too deeply to read"),
])
def test_a_taxonomy_that_is_empty_or_too_deep_is_an_input_error(tmp_path, text: str, expected: str):
    path = write(tmp_path, "taxonomy.yml", text)
    with pytest.raises(InputError) as raised:
        load_taxonomy(path)
    assert str(raised.value).startswith(f"{path}{expected}"), str(raised.value)


def test_a_missing_taxonomy_is_an_input_error(tmp_path):
    with pytest.raises(InputError) as raised:
        load_taxonomy(tmp_path / "taxonomy.yml")
    assert "file not found" in str(raised.value)


# --- tags.yml overrides ------------------------------------------------------------------------------


def test_overrides_reject_unknown_topics_and_addresses_with_file_and_line(tmp_path, taxonomy):
    path = write(tmp_path, "tags.yml", """\
# curator overrides
known-paper:
  add: [survey]
  remove: [surveys]
unknown-paper:
  add: [survey]
""")
    with pytest.raises(InputError) as raised:
        load_overrides(path, taxonomy, known_ids={"known-paper"})
    messages = [str(problem) for problem in raised.value.problems]
    assert messages[0].startswith(
        f"{path}:4: unknown topic 'surveys'; expected one of the names in taxonomy.yml"
    ), messages
    assert len(messages) == 1, messages


def test_an_add_line_not_indented_under_its_paper_says_so(tmp_path, taxonomy):
    """`add:` at the start of its line was taken for a paper's id (a new user's review)."""
    path = write(tmp_path, "tags.yml", "known-paper:\nadd: [survey]\n")
    with pytest.raises(InputError) as raised:
        load_overrides(path, taxonomy, known_ids={"known-paper"})
    assert f"{path}:2: 'add:' is not indented; expected it under a paper's id, indented" in str(raised.value)


def test_an_override_of_a_paper_the_catalog_lacks_is_a_note_not_an_error(tmp_path, taxonomy):
    """An entry outlives the dump of its paper (and the suite builds its own catalog): it must not stop a build."""
    path = write(tmp_path, "tags.yml", "# curator overrides\nknown-paper:\n  add: [survey]\ngone-paper:\n  add: [survey]\n")
    overrides = load_overrides(path, taxonomy, known_ids={"known-paper"})
    assert [*overrides.by_paper_id] == ["known-paper"]
    assert list(map(str, overrides.unknown_papers)) == [
        f"{path}:4: no paper in the catalog has the id 'gone-paper' (mistyped, or its dump was removed): the entry "
        "is not applied"]
    path = write(tmp_path, "tags.yml", '"gone\\e[2Jpaper":\n  add: [survey]\n')  # a pull request's key, in a CI log
    assert "'gone\\u001b[2Jpaper'" in str(load_overrides(path, taxonomy, known_ids=set()).unknown_papers[0])
    # A mistyped id names the paper meant, where one id is that close.
    path = write(tmp_path, "tags.yml", "masked-frequncy-modeling:\n  add: [survey]\n")
    unknown = load_overrides(path, taxonomy, known_ids={"masked-frequency-modeling", "masked-autoencoders"})
    assert str(unknown.unknown_papers[0]).endswith("the entry is not applied (did you mean 'masked-frequency-modeling'?)")


def test_a_topic_name_from_a_pull_request_is_printed_with_its_control_characters_escaped(tmp_path, taxonomy):
    """tags.yml and taxonomy.yml come in pull requests, and their problems reach a maintainer's terminal and CI
    log: an escape sequence there could clear the screen, a line end forge a line of the report."""
    path = write(tmp_path, "tags.yml", 'known-paper:\n  add: ["surveys\\e[2J\\nx.txt:1: fine"]\n')
    with pytest.raises(InputError) as raised:
        load_overrides(path, taxonomy, known_ids={"known-paper"})
    printed = str(raised.value)
    assert "unknown topic 'surveys\\u001b[2J\\u000ax.txt:1: fine'" in printed, printed
    assert "\x1b" not in printed and "\n" not in printed, printed


def test_a_byte_that_is_not_utf8_in_the_overrides_is_named_on_its_line(tmp_path, taxonomy):
    path = tmp_path / "tags.yml"
    path.write_bytes(b"# curator overrides\nknown-paper:\n  add: [survey] # caf\xe9\n")
    with pytest.raises(InputError) as raised:
        load_overrides(path, taxonomy, known_ids={"known-paper"})
    assert str(raised.value) == f"{path}:3: byte 0xe9 is not UTF-8; expected a UTF-8 text file"


def test_a_missing_or_empty_overrides_file_means_no_overrides(tmp_path, taxonomy):
    missing = load_overrides(tmp_path / "tags.yml", taxonomy, known_ids=set())
    comments = load_overrides(write(tmp_path, "comments.yml", "# curator overrides\n#\n"), taxonomy, known_ids=set())
    assert dict(missing.by_paper_id) == {} and dict(comments.by_paper_id) == {}


def test_overrides_add_first_remove_and_may_leave_zero_when_asked(tmp_path, taxonomy):
    path = write(tmp_path, "tags.yml", """\
paper-a:
  add: [survey]
  remove: [language-models]
paper-b:
  remove: [vision-language]
""")
    overrides = load_overrides(path, taxonomy, known_ids={"paper-a", "paper-b", "paper-c"})
    rules = (
        TopicAssignment("language-models", 9.0, ("llm* (title)",), "rules"),
        TopicAssignment("vision-language", 6.0, ("clip (title)",), "rules"),
    )
    paper_a = apply_overrides("paper-a", rules, overrides)
    assert topics_of(paper_a) == ["survey", "vision-language"], paper_a
    assert paper_a[0].source == "curator" and paper_a[0].evidence == (CURATOR_EVIDENCE,)
    only_vision = (TopicAssignment("vision-language", 6.0, ("clip (title)",), "rules"),)
    assert apply_overrides("paper-b", only_vision, overrides) == (), "the curator removed the only topic"
    assert apply_overrides("paper-c", rules, overrides) == rules, "no entry, no change"


# --- the tagger ---------------------------------------------------------------------------------------


def test_every_paper_of_the_dumps_gets_one_to_four_topics_with_evidence(taxonomy, seed_dumps):
    """On the four bundled dumps: a dump committed later, good or bad, never fails the suite."""
    from generator.parse import read_dumps

    dumps = read_dumps(seed_dumps)
    texts = [(record.title, record.abstract) for dump in dumps for record in dump.records]
    for (title, _), assignments in zip(texts, tag_papers(texts, taxonomy)):
        assert 1 <= len(assignments) <= 4, f"{title!r}: {topics_of(assignments)}"
        assert all(assignment.evidence for assignment in assignments), f"{title!r} has a topic without evidence"
        assert len(set(topics_of(assignments))) == len(assignments), f"{title!r} repeats a topic"


def test_assignments_are_sorted_by_score_then_name(taxonomy):
    assignments = tag_paper(CLIP_TITLE, CLIP_ABSTRACT, taxonomy)
    order = [(-assignment.score, assignment.topic) for assignment in assignments]
    assert order == sorted(order), assignments


def test_a_clip_style_paper_is_vision_language_not_language_models(taxonomy):
    topics = topics_of(tag_paper(CLIP_TITLE, CLIP_ABSTRACT, taxonomy))
    assert "vision-language" in topics, topics
    assert "language-models" not in topics, topics


def test_a_multimodal_llm_paper_is_not_tagged_language_models(taxonomy):
    topics = topics_of(tag_paper(
        "Visual Instruction Tuning for Multimodal Large Language Models",
        "Multimodal large language models (MLLMs) answer questions about images. We align a vision encoder "
        "with a large language model using image-text instruction data and evaluate on VQA benchmarks.",
        taxonomy,
    ))
    assert topics[0] == "vision-language" and "language-models" not in topics, topics


def test_a_paper_introducing_a_benchmark_is_tagged_datasets_benchmarks(taxonomy):
    assignments = tag_paper(BENCHMARK_TITLE, BENCHMARK_ABSTRACT, taxonomy)
    by_topic = {assignment.topic: assignment for assignment in assignments}
    assert "datasets-benchmarks" in by_topic, topics_of(assignments)
    assert any("new dataset or benchmark" in item for item in by_topic["datasets-benchmarks"].evidence)


def test_evidence_names_the_matched_keywords_and_where(taxonomy):
    assignments = tag_paper(CLIP_TITLE, CLIP_ABSTRACT, taxonomy)
    vision_language = next(a for a in assignments if a.topic == "vision-language")
    assert "clip (abstract)" in vision_language.evidence, vision_language.evidence
    assert vision_language.source == "rules"


def test_longest_phrase_wins_and_title_counts_more(tmp_path):
    taxonomy = load_taxonomy(write(tmp_path, "taxonomy.yml", SMALL_TAXONOMY))
    multimodal = tag_paper("A multimodal large language model", "", taxonomy)
    assert topics_of(multimodal) == ["misc"], "the longer phrase hides 'language model' and counts against"
    in_title = tag_paper("CLIP", "", taxonomy)[0]
    in_abstract = tag_paper("", "CLIP", taxonomy)[0]
    assert in_title.score == 12 and in_abstract.score == 4, (in_title, in_abstract)
    assert in_abstract.source == "rules", "4 reaches the threshold of 4"


def test_a_phrase_and_its_bracketed_abbreviation_count_once_for_a_topic_listing_both(tmp_path):
    taxonomy = load_taxonomy(write(tmp_path, "taxonomy.yml", """\
settings: {threshold: 1, relative_threshold: 0, fallback_topic: alignment}
topics:
  - name: alignment
    title: Alignment
    description: preferences
    keywords: {direct preference optimization: 5, dpo: 5}
  - name: acronyms
    title: Acronyms
    description: a topic listing only the abbreviation
    keywords: {dpo: 1}
"""))
    scores = {a.topic: a.score for a in tag_paper("", "We use direct preference optimization (DPO).", taxonomy)}
    assert scores == {"alignment": 5, "acronyms": 1}, f"one mention for alignment, the bracket for acronyms: {scores}"
    apart = {a.topic: a.score for a in tag_paper("", "Direct preference optimization, then DPO again.", taxonomy)}
    assert apart["alignment"] == 10, f"two separate mentions count twice: {apart}"
    not_next = {a.topic: a.score for a in tag_paper("", "Direct preference optimization is used (DPO).", taxonomy)}
    assert not_next["alignment"] == 10, f"a bracket not right after the phrase counts: {not_next}"


def test_a_paper_no_keyword_matches_gets_the_fallback_topic_and_says_why(tmp_path):
    taxonomy = load_taxonomy(write(tmp_path, "taxonomy.yml", SMALL_TAXONOMY))
    [assignment] = tag_paper("Sourdough", "A recipe for bread.", taxonomy)
    assert (assignment.topic, assignment.source) == ("misc", "weak")
    assert assignment.evidence == ("nothing (no topic's keywords are in it; misc is the fallback_topic of "
                                   "taxonomy.yml)",), "the paper page prints it after 'matched'"


def test_hyphen_space_and_no_separator_spellings_match_alike(tmp_path):
    taxonomy = load_taxonomy(write(tmp_path, "taxonomy.yml", SMALL_TAXONOMY))
    for spelling in ("image-text", "image text", "imagetext", "image\u2013text", "IMAGE\u2011TEXT"):
        assert topics_of(tag_paper("", f"Pairs of {spelling} data.", taxonomy)) == ["vision-language"], spelling


def test_title_keywords_count_only_in_the_title_and_a_topic_may_skip_the_relative_threshold(tmp_path):
    taxonomy = load_taxonomy(write(tmp_path, "taxonomy.yml", """\
settings: {threshold: 4, relative_threshold: 0.5, title_weight: 3, fallback_topic: subject}
topics:
  - name: subject
    title: Subject
    description: what the paper is about
    keywords: {graph neural network*: 5}
  - name: datasets
    title: Datasets
    description: a new dataset
    relative_threshold: 0
    title_keywords: {dataset: 2}
"""))
    abstract = "Graph neural networks; graph neural networks."
    titled = tag_paper("A dataset for graph neural networks", abstract, taxonomy)
    assert [(a.topic, a.score) for a in titled] == [("subject", 25.0), ("datasets", 6.0)], titled
    assert titled[1].evidence == ("dataset (title)",)
    untitled = tag_paper("Graph neural networks", "We use a dataset.", taxonomy)
    assert topics_of(untitled) == ["subject"], untitled


def test_a_bad_topic_relative_threshold_is_reported(tmp_path):
    line = "    title: Miscellaneous\n"
    text = SMALL_TAXONOMY.replace(line, line + "    relative_threshold: 2\n")
    path = write(tmp_path, "taxonomy.yml", text)
    with pytest.raises(InputError) as raised:
        load_taxonomy(path)
    expected = f"{path}:19: `relative_threshold:` is '2'; expected a number between 0 and 1"
    assert str(raised.value) == expected, str(raised.value)


@pytest.mark.parametrize("setting, expected", [
    ("max_topics: 6", "`max_topics:` is '6'; expected a whole number between 1 and 4"),
    ("title_weight: heavy", "`title_weight:` is 'heavy'; expected a number at least 0"),
    ("fallback_topic: miscellaneous", "fallback_topic 'miscellaneous' is not a topic; expected one of the names"),
])
def test_bad_settings_are_reported_with_their_line(tmp_path, setting, expected):
    path = write(tmp_path, "taxonomy.yml", SMALL_TAXONOMY.replace("  fallback_topic: misc\n", f"  {setting}\n"))
    with pytest.raises(InputError) as raised:
        load_taxonomy(path)
    assert str(raised.value).startswith(f"{path}:3: {expected}"), str(raised.value)


def test_below_the_threshold_the_best_topic_is_weak_and_no_match_gives_the_fallback(tmp_path):
    taxonomy = load_taxonomy(write(tmp_path, "taxonomy.yml", SMALL_TAXONOMY))
    weak = tag_paper("", "A language model.", taxonomy)
    assert [(a.topic, a.source) for a in weak] == [("language-models", "weak")], weak
    nothing = tag_paper("Cooking pasta", "Boil water, add salt.", taxonomy)
    assert [(a.topic, a.source, a.score) for a in nothing] == [("misc", "weak", 0.0)], nothing
    assert nothing[0].evidence, "even the fallback explains itself"


def test_tagging_is_deterministic(taxonomy):
    texts = [(CLIP_TITLE, CLIP_ABSTRACT), (BENCHMARK_TITLE, BENCHMARK_ABSTRACT)] * 3
    first = tag_papers(texts, taxonomy)
    again = tag_papers(list(reversed(texts)), taxonomy)
    assert first == list(reversed(again))
    assert first[0] == tag_paper(CLIP_TITLE, CLIP_ABSTRACT, load_taxonomy(SEED_TAXONOMY))


def test_a_taxonomy_built_in_code_tags_like_a_loaded_one():
    taxonomy = Taxonomy(
        topics=(Topic("graphs", "Graphs", "graph learning", keywords=(Keyword("graph neural network*", 4),)),),
        settings=TaggingSettings(fallback_topic="graphs"),
    )
    assignments = tag_paper("Graph Neural Networks at scale", "", taxonomy)
    assert assignments == (TopicAssignment("graphs", 12.0, ("graph neural network* (title)",), "rules"),)


HOSTILE_TEXTS = {
    "empty": ("", ""),
    "html and script": (
        "<script>alert(1)</script><img src=x onerror=alert(1)>",
        "<b>CLIP</b> &lt;x&gt; {{ 7*7 }} {% include 'x' %} !!python/object:os.system",
    ),
    "control and zero-width characters": ("\x00\x07\u200b\u202e", "\ufeff\u0000\ud7ff"),
    "lone surrogates": ("\ud800 clip \udfff", "image\ud83d-text"),
    "combining marks and emoji": ("e\u0301" * 500 + "\U0001F600" * 100, "\u0345" * 1000),
    "one megabyte without spaces": ("x" * 1_000_000, "clip" * 250_000),
    "one megabyte of keywords": ("image-text " * 100_000, "we introduce a new benchmark " * 40_000),
    "regex metacharacters": (".*+?[](){}|\\^$", "((((a*)*)*)*)b" * 1000),
    "ligatures and full-width letters": (
        "\ufb01ne-tuning \uff23\uff2c\uff29\uff30",
        "\uff36\uff49\uff53\uff49\uff4f\uff4e\uff0d\uff2c\uff41\uff4e\uff47",
    ),
}


@pytest.mark.parametrize("case", HOSTILE_TEXTS, ids=list(HOSTILE_TEXTS))
def test_hostile_text_never_crashes_and_still_gives_a_topic(case, taxonomy):
    title, abstract = HOSTILE_TEXTS[case]
    assignments = tag_paper(title, abstract, taxonomy)
    assert 1 <= len(assignments) <= 4, f"{case}: {assignments}"
    assert all(assignment.evidence for assignment in assignments), case


def test_full_width_text_is_normalised_before_matching(taxonomy):
    topics = topics_of(tag_paper("\uff23\uff2c\uff29\uff30 for retrieval", "", taxonomy))
    assert "vision-language" in topics, topics
