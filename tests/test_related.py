"""Related papers and near-duplicate pairs: the sharp edges, each with its input written inline."""
from __future__ import annotations

import random
import re

import numpy as np
import pytest
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from generator.enrich import related
from generator.enrich.related import NearPair, PaperText, RelatedPaper, find_near_pairs, find_related

MIM_A = PaperText(
    "mim-a", "Masked Image Modeling with Vision Transformers",
    "We study masked image modeling for self-supervised pre-training of vision transformers. Random patches "
    "of the image are masked and the encoder learns to reconstruct the missing pixels, which gives strong "
    "visual representations for image classification and segmentation.")
MIM_B = PaperText(
    "mim-b", "Rethinking Masked Image Modeling Targets",
    "Masked image modeling pre-trains vision transformers by predicting masked patches. We compare pixel, "
    "feature and token targets for the masked patches and show that the reconstruction target matters for "
    "image classification after fine-tuning.")
FEDERATED = PaperText(
    "fed", "Federated Learning on Heterogeneous Clients",
    "Federated learning trains a shared model across many clients without collecting their data. We address "
    "client drift caused by heterogeneous data with a server-side correction and reduce communication rounds.")
SPEECH = PaperText(
    "speech", "Streaming Speech Recognition with Transducers",
    "We present a streaming speech recognition system built on recurrent neural network transducers. Audio "
    "frames are encoded with low latency and decoded into words for on-device voice assistants.")
RECOMMENDER = PaperText(
    "recsys", "Sequential Recommendation with Item Embeddings",
    "Recommender systems predict the next item a user will click. We learn item embeddings from user "
    "histories and rank candidate items for sequential recommendation in online shopping.")
PROTEIN = PaperText(
    "protein", "Protein Structure Prediction from Sequence",
    "Predicting the three-dimensional structure of a protein from its amino acid sequence is a central "
    "problem in biology. We train a network on known structures and predict contacts between residues.")
CATALOG = (MIM_A, MIM_B, FEDERATED, SPEECH, RECOMMENDER, PROTEIN)

# Every paper shares "learning" and "data" with every other, so each has a score with all the others.
SHARED_WORDS = tuple(
    PaperText(f"p{index}", f"Learning topic {word}", f"Learning from data about {word} and {word} with data.")
    for index, word in enumerate(("graphs", "images", "speech", "proteins", "tables", "music", "code")))


def related_ids(result: dict[str, tuple[RelatedPaper, ...]], paper_id: str) -> list[str]:
    return [item.paper_id for item in result[paper_id]]


def test_a_paper_is_never_its_own_related_paper():
    result = find_related(CATALOG, k=5)
    for paper_id, items in result.items():
        assert paper_id not in [item.paper_id for item in items], f"{paper_id} lists itself: {items}"


def test_every_paper_gets_k_related_papers_when_enough_share_terms():
    result = find_related(SHARED_WORDS, k=4)
    counts = {paper_id: len(items) for paper_id, items in result.items()}
    assert counts == {paper.paper_id: 4 for paper in SHARED_WORDS}, counts


def test_a_small_catalog_gives_what_exists():
    result = find_related(SHARED_WORDS[:3], k=5)
    counts = {paper_id: len(items) for paper_id, items in result.items()}
    assert counts == {"p0": 2, "p1": 2, "p2": 2}, counts


def test_keys_follow_input_order_and_k_zero_gives_nothing():
    result = find_related(tuple(reversed(SHARED_WORDS)), k=0)
    assert list(result) == [paper.paper_id for paper in reversed(SHARED_WORDS)]
    assert set(result.values()) == {()}


def test_one_paper_or_none():
    assert find_related([MIM_A]) == {"mim-a": ()}
    assert find_related([]) == {}
    assert find_near_pairs([MIM_A]) == ()


def test_scores_are_best_first_and_rounded():
    for items in find_related(CATALOG + SHARED_WORDS, k=5).values():
        scores = [item.score for item in items]
        assert scores == sorted(scores, reverse=True), scores
        assert all(0 < score <= 1 and score == round(score, 6) for score in scores), scores


def test_same_result_on_every_run_and_for_every_input_order():
    papers = list(CATALOG + SHARED_WORDS)
    expected = find_related(papers, k=3)
    assert find_related(papers, k=3) == expected
    for seed in range(5):
        shuffled = papers[:]
        random.Random(seed).shuffle(shuffled)
        result = find_related(shuffled, k=3)
        assert {paper_id: result[paper_id] for paper_id in expected} == expected, f"order of seed {seed}"


def test_equal_scores_go_to_the_lower_paper_id():
    copies = [PaperText(paper_id, "Graph neural networks", "Message passing on graphs with neural networks.")
              for paper_id in ("copy-c", "copy-a", "copy-b")]
    query = PaperText("query", "Graph neural networks for molecules", "Message passing on molecule graphs.")
    result = find_related([query, *copies], k=3)
    assert related_ids(result, "query") == ["copy-a", "copy-b", "copy-c"], result["query"]
    assert len({item.score for item in result["query"]}) == 1, result["query"]
    assert related_ids(result, "copy-b") == ["copy-a", "copy-c", "query"], result["copy-b"]


def test_equal_scores_go_to_the_lower_paper_id_among_many_copies():
    """More tied papers than the candidates kept per paper: the lowest ids still win."""
    copies = [PaperText(f"copy-{index:02d}", "Graph neural networks", "Message passing on graphs.")
              for index in reversed(range(related.CANDIDATES_PER_PAPER + 10))]
    query = PaperText("query", "Graph neural networks for molecules", "Message passing on molecule graphs.")
    result = find_related([query, *copies], k=4)
    assert related_ids(result, "query") == ["copy-00", "copy-01", "copy-02", "copy-03"], result["query"]
    assert related_ids(result, "copy-05") == ["copy-00", "copy-01", "copy-02", "copy-03"], result["copy-05"]


def test_masked_image_modeling_papers_find_each_other():
    result = find_related(CATALOG, k=3)
    assert related_ids(result, "mim-a")[0] == "mim-b", result["mim-a"]
    assert related_ids(result, "mim-b")[0] == "mim-a", result["mim-b"]


def test_shared_terms_are_readable_words_both_papers_use():
    papers = {paper.paper_id: paper for paper in CATALOG + SHARED_WORDS}
    for paper_id, items in find_related(papers.values(), k=3).items():
        for item in items:
            assert 1 <= len(item.shared_terms) <= 3, item
            for term in item.shared_terms:
                assert re.fullmatch(r"[a-z][a-z0-9-]*( [a-z][a-z0-9-]*){0,3}", term), term
                assert not set(term.split()) & ENGLISH_STOP_WORDS, term
                for paper in (papers[paper_id], papers[item.paper_id]):
                    text = f"{paper.title} {paper.abstract}".lower().replace("-", " ")
                    assert term.replace("-", " ") in " ".join(re.findall(r"[\w]+", text)), (term, paper.paper_id)


def test_shared_terms_leave_out_words_that_say_nothing_of_the_subject():
    """The real catalog's papers "shared: new, different, presents" or "7b"."""
    papers = [PaperText("a", "A new 7B reranker", "We present different rerankers for retrieval, a new 7B model."),
              PaperText("b", "New rerankers at 7B", "This paper presents different retrieval rerankers of 7B."),
              PaperText("c", "Graph neural networks", "Message passing on graphs with neural networks.")]
    (item,) = find_related(papers, k=1)["a"]
    assert item.paper_id == "b" and item.shared_terms and not {"new", "different", "present", "presents", "7b"} & {
        word for term in item.shared_terms for word in term.split()}, item.shared_terms


def test_overlapping_phrases_are_shown_as_one():
    result = find_related([MIM_A, MIM_B, FEDERATED], k=1)
    assert "masked image modeling" in result["mim-a"][0].shared_terms, result["mim-a"]


HOSTILE = (
    PaperText("empty", "", ""),
    PaperText("punctuation", "?!?!", "... --- ;;; ()[]{}"),
    PaperText("emoji", "🚀🔥", "😀😀😀 👍 🎉🎉"),
    PaperText("markup", "<script>alert('x')</script>", "<b>&lt;img src=x onerror=alert(1)&gt;</b> &amp;"),
    PaperText("controls", "\x00\u202e\u200b", "\ufeff\u0301\u0000 \r\n\t"),
    PaperText("huge", "Graph neural networks " * 1000, "graph message passing networks " * 50_000),
    PaperText("graph", "Graph neural networks", "Message passing on graphs with neural networks."),
)


def test_hostile_text_does_not_crash_and_termless_papers_get_nothing():
    result = find_related(HOSTILE, k=3)
    for paper_id in ("empty", "punctuation", "emoji", "controls"):
        assert result[paper_id] == (), (paper_id, result[paper_id])
    assert related_ids(result, "graph") == ["huge"], result["graph"]
    assert [(pair.first_id, pair.second_id) for pair in find_near_pairs(HOSTILE)] == [("graph", "huge")]


def test_texts_are_read_chunk_by_chunk_as_the_token_pattern_reads_them_whole():
    """Tokens are found in whitespace-separated chunks, each distinct chunk once: the words must be those
    of the token pattern run over the whole text, whatever whitespace or marks the text holds."""
    texts = [paper.title + "\n" + paper.abstract[:2000] for paper in HOSTILE] + [
        "pre-training\u00a0self-supervised\x1cvision-language\u2003co_train x_y (LLMs), GPT-4; a--b -- 3D",
        "Ünïcödé wörds\u3000and\u2028lines\tsnake_case_words 12 345 r2d2",
    ]
    for text in texts:
        chunks, counts = related._chunks_of([text])
        expected = [word for token in related.TOKEN.findall(related._clean(text))
                    for word in related._words_of_token(token)]
        assert related._words_of_chunks(chunks)[0] == expected, text[:60]
        assert counts == [len(chunks)], text[:60]


def test_only_termless_papers():
    papers = [PaperText("a", "", ""), PaperText("b", "🚀", "!!")]
    assert find_related(papers) == {"a": (), "b": ()}
    assert find_near_pairs(papers) == ()


def test_repeated_ids_are_refused():
    with pytest.raises(ValueError, match="appear more than once"):
        find_related([MIM_A, MIM_A])


def test_near_identical_abstracts_are_a_near_pair():
    revised = PaperText("mim-a-v2", "Masked Image Modelling for Vision Transformers",
                        MIM_A.abstract.replace("strong", "very strong"))
    pairs = find_near_pairs([*CATALOG, revised], threshold=0.5)
    assert [(pair.first_id, pair.second_id) for pair in pairs] == [("mim-a", "mim-a-v2")], pairs
    assert pairs[0].abstract_similarity > 0.9, pairs
    assert 0 < pairs[0].title_similarity < 1, pairs


def test_same_title_with_a_different_abstract_is_a_near_pair():
    same_title = PaperText("fed-2", FEDERATED.title, "Clients collaborate to train speech models on phones.")
    pairs = find_near_pairs([*CATALOG, same_title], threshold=0.5)
    assert pairs == (NearPair("fed", "fed-2", 1.0, pairs[0].abstract_similarity),), pairs
    assert pairs[0].abstract_similarity < 0.5, pairs


def test_a_crowd_of_copies_is_cut_down_not_listed_pair_by_pair():
    limit = related.CANDIDATES_PER_PAPER
    copies = [PaperText(f"copy-{index:02d}", f"Copy number {index}", MIM_A.abstract) for index in range(limit + 10)]
    pairs = find_near_pairs(copies, threshold=0.5)
    assert limit * len(copies) / 2 <= len(pairs) < len(copies) * (len(copies) - 1) / 2, len(pairs)
    assert {pair.abstract_similarity for pair in pairs} == {1.0}
    assert NearPair("copy-00", "copy-01", pairs[0].title_similarity, 1.0) in pairs
    assert find_near_pairs(list(reversed(copies)), threshold=0.5) == pairs


def test_a_crowd_of_copies_is_scored_in_batches_with_the_same_pairs(monkeypatch):
    """Every candidate pair's term products at once took 5.5 GB for 200 papers of one 20 KB abstract, and the
    found pairs' scores 1.9 GB for 400 (red team): batches of whole rows' pairs, and of pairs to score, find
    exactly the same pairs with the same scores."""
    copies = [PaperText(f"copy-{index:02d}", f"Copy number {index}", MIM_A.abstract) for index in range(40)]
    whole = find_near_pairs([*copies, *CATALOG], threshold=0.5)
    monkeypatch.setattr(related, "PAIR_VALUES_AT_ONCE", 1)  # one row's pairs, or one pair to score, a batch
    assert find_near_pairs([*copies, *CATALOG], threshold=0.5) == whole


def test_unrelated_papers_are_no_near_pair():
    assert find_near_pairs(CATALOG, threshold=0.5) == ()


def test_near_pairs_are_sorted_and_independent_of_input_order():
    variants = [PaperText(f"v{index}", f"Graph networks {index}", "Message passing on graphs with networks "
                          + "and attention " * index) for index in range(4)]
    expected = find_near_pairs(variants, threshold=0.3)
    assert len(expected) == 6, expected
    assert list(expected) == sorted(expected, key=lambda pair: (-pair.abstract_similarity,
                                                              -pair.title_similarity, pair.first_id))
    assert find_near_pairs(list(reversed(variants)), threshold=0.3) == expected


def test_the_large_catalog_path_agrees_with_exact_scoring(monkeypatch):
    """Above EXACT_WORK_LIMIT candidates come from each paper's strongest terms; on papers with fewer
    terms than STRONGEST_TERMS, and fewer papers than CANDIDATES_PER_PAPER, that finds every pair, so the
    answer must be the exact one."""
    revised = PaperText("mim-a-v2", "Masked Image Modelling for Vision Transformers", MIM_A.abstract + " Also.")
    papers = (*CATALOG, *SHARED_WORDS, revised)
    exact = find_related(papers, k=4)
    exact_pairs = find_near_pairs(papers, threshold=0.3)
    monkeypatch.setattr(related, "EXACT_WORK_LIMIT", 0)
    monkeypatch.setattr(related, "STRONGEST_TERMS", 200)
    assert find_related(papers, k=4) == exact
    assert find_near_pairs(papers, threshold=0.3) == exact_pairs
    assert len(exact_pairs) > 1, exact_pairs


def test_near_pairs_are_every_pair_that_reaches_the_thresholds():
    """Near pairs are found from each paper's rarer terms, with a bound on what its common terms can add:
    the answer must still be every pair whose cosine reaches a threshold, as scoring every pair finds."""
    chooser = random.Random(7)
    vocabulary = [f"word{chr(97 + index // 26)}{chr(97 + index % 26)}" for index in range(80)]
    # A few words in most papers, many in few: the mix that makes the common terms worth skipping.
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    papers = []
    for index in range(120):
        base = papers[chooser.randrange(len(papers))] if papers and chooser.random() < 0.4 else None
        title = " ".join(chooser.choices(vocabulary, weights, k=4)) if base is None or chooser.random() < 0.5 \
            else base.title
        kept = base.abstract.split()[:chooser.randrange(10, 30)] if base else []
        abstract = " ".join(kept + chooser.choices(vocabulary, weights, k=30 - len(kept)))
        papers.append(PaperText(f"p{index:03d}", title, abstract))
    vectors = related._vectorise(papers)
    for threshold, title_threshold in ((0.5, 0.8), (0.3, 0.6), (0.7, 0.95)):
        expected = set()
        for matrix, least in ((vectors.abstract, threshold), (vectors.title, title_threshold)):
            dense = matrix.toarray().astype(float)
            scores = (dense @ dense.T).round(6)
            reached = zip(*np.nonzero(np.triu(scores >= least, k=1)))
            expected |= {(papers[first].paper_id, papers[second].paper_id) for first, second in reached}
        found = find_near_pairs(papers, threshold, title_threshold=title_threshold)
        assert 20 < len(expected) < 2000, len(expected)
        assert {(pair.first_id, pair.second_id) for pair in found} == expected, (threshold, title_threshold)


def test_copies_are_cut_down_as_every_paper_picking_its_own_best_would():
    """Only the first of several papers with the same vector is scored against every paper (10,000 papers of
    one placeholder abstract took 18 s): each copy must still get the pairs of its own best
    CANDIDATES_PER_PAPER, as ranking all of its scores finds (highest first, then the lower row)."""
    chooser = random.Random(11)
    vocabulary = [f"word{chr(97 + index // 26)}{chr(97 + index % 26)}" for index in range(60)]
    placeholders = ["No abstract is available.", "Abstract: see the paper for details of the method."]
    papers = []
    for index in range(160):
        kind = chooser.random()
        if kind < 0.5:  # copies of a placeholder, more of one than a paper keeps pairs for
            abstract = placeholders[index % 2 if kind < 0.35 else 0]
        elif kind < 0.6:  # a placeholder with a word more: close to its copies, but not one of them
            abstract = f"{placeholders[0]} {chooser.choice(vocabulary)}"
        else:
            abstract = " ".join(chooser.choices(vocabulary, k=20))
        papers.append(PaperText(f"p{index:03d}", " ".join(chooser.choices(vocabulary, k=5)), abstract))
    vectors = related._vectorise(papers)
    expected = set()
    for matrix, least in ((vectors.abstract, 0.5), (vectors.title, 0.8)):
        dense = matrix.toarray().astype(float)
        scores = (dense @ dense.T).round(6)
        for row, row_scores in enumerate(scores.tolist()):
            ranked = sorted((-score, column) for column, score in enumerate(row_scores)
                            if column != row and score > 0 and score >= least)
            expected |= {(min(row, column), max(row, column)) for _, column in ranked[:related.CANDIDATES_PER_PAPER]}
    found = find_near_pairs(papers, 0.5)
    assert len(expected) > 40 * related.CANDIDATES_PER_PAPER, len(expected)
    assert {(int(pair.first_id[1:]), int(pair.second_id[1:])) for pair in found} == expected


def test_what_reads_related_papers_before_they_are_found_fails_instead_of_finding_none():
    """The build renders listings and search documents while related papers are found: one that read them
    then found none, silently, on every page."""
    from generator.enrich import Enrichment, with_related_papers
    from generator.enrich.topics import Taxonomy
    tagged = Enrichment(taxonomy=Taxonomy(topics=()), topics_by_paper={})
    with pytest.raises(ValueError, match="related papers are not found yet"):
        tagged.related_to("a")
    found = with_related_papers(tagged, ({"a": (RelatedPaper("b", 0.5, ("word",)),)}, ()))
    assert found.related_to("a") == (RelatedPaper("b", 0.5, ("word",)),) and found.related_to("b") == ()
