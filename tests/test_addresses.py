"""Paper ids (the addresses papers/<id>/): claimed first come first served, unique ignoring case, never
reserved, never empty, within 255 bytes, and a later paper's suffix comes from its content, not its place.
Each input is written inline; no site is built."""
from __future__ import annotations

from generator.catalog import Catalog, build_catalog
from generator.parse import parse_dump


def catalog_of(*dumps: list[tuple[str, str]]) -> Catalog:
    """The catalog of dumps given as lists of (title, abstract), named 000_d.txt, 001_d.txt, ..."""
    return build_catalog(tuple(
        parse_dump("Aug 1\n\n" + "".join(f"{title}\n\n{abstract}\n\n" for title, abstract in records),
                   f"{number:03d}_d.txt")
        for number, records in enumerate(dumps)))


def ids_by_abstract(catalog: Catalog) -> dict[str, str]:
    return {paper.abstract: paper.id for paper in catalog.papers}


def test_the_first_paper_gets_the_plain_slug_and_a_later_one_a_suffix():
    ids = [paper.id for paper in catalog_of([("Sparse Attention", "About attention heads in transformers."),
                                             ("Sparse attention", "A study of soil bacteria in gardens.")]).papers]
    assert ids[0] == "sparse-attention", ids
    assert ids[1].startswith("sparse-attention-") and len(ids[1]) == len("sparse-attention-") + 8, ids


def test_ids_are_unique_ignoring_case_and_punctuation():
    titles = ["Attention Is All You Need", "ATTENTION IS ALL YOU NEED", "attention: is all you need?",
              "Attention is all you need!"]
    ids = [paper.id for paper in catalog_of([(title, f"Abstract number {n} on its own subject {n * 7}.")
                                             for n, title in enumerate(titles)]).papers]
    assert len(ids) == 4 and len({paper_id.casefold() for paper_id in ids}) == 4, ids
    assert all(paper_id == paper_id.lower() and paper_id.isascii() for paper_id in ids), ids


def test_a_suffix_comes_from_the_papers_content_not_its_position():
    first = ("Scaling Laws", "Loss falls as a power law of compute in language models.")
    later = ("Scaling laws", "Bird populations in cities follow the size of parks.")
    others = [("Scaling laws", f"Unrelated abstract {n} about topic {n} in detail.") for n in range(3)]
    alone = ids_by_abstract(catalog_of([first, later]))
    crowded = ids_by_abstract(catalog_of([first, *others], [later]))
    assert crowded[later[1]] == alone[later[1]] != alone[first[1]], (alone, crowded)


def test_adding_a_dump_never_changes_an_earlier_id():
    day_one = [("Vision Transformers", "Images as patches of sixteen pixels."), ("!!!", "A paper with no title.")]
    day_two = [("vision transformers", "Another paper with this title, on vision."), ("∑∫√", "Another one.")]
    before = ids_by_abstract(catalog_of(day_one))
    after = ids_by_abstract(catalog_of(day_one, day_two))
    assert {abstract: after[abstract] for abstract in before} == before


def test_windows_reserved_names_and_the_sites_own_folders_are_never_ids():
    titles = ["CON", "nul", "Aux", "PRN", "com1", "LPT9", "index", "assets", "search", "con paper"]
    ids = [paper.id for paper in catalog_of([(title, f"Abstract {n} of a paper about {title}.")
                                             for n, title in enumerate(titles)]).papers]
    assert ids[:9] == ["con-paper", "nul-paper", "aux-paper", "prn-paper", "com1-paper", "lpt9-paper",
                       "index-paper", "assets-paper", "search-paper"], ids
    assert ids[9].startswith("con-paper-"), ids  # "con paper" is taken by CON


def test_ids_fit_in_255_bytes_whatever_the_title():
    # (A title that long starting in lower case reads as a piece of an abstract: parse.py refuses it.)
    titles = ["Word " * 400, "Ü" * 1000, "Überlänge " * 200, "X" * 2000, "注意力" * 300]
    # Each abstract longer than its title, as a dump's must be once the title is that long (parse.py).
    records = [(title, f"Abstract {n} about a very long title: {title}.") for n, title in enumerate(titles)]
    records += [(title, f"A second paper {n} with the same long title: {title}") for n, title in enumerate(titles)]
    ids = [paper.id for paper in catalog_of(records).papers]
    assert len(ids) == 10 and len(set(ids)) == 10, ids
    assert all(0 < len(paper_id.encode("utf-8")) <= 255 and paper_id.isascii() for paper_id in ids), ids


def test_a_title_with_nothing_to_spell_becomes_paper_then_paper_with_a_hash():
    """What the README promises: the first such paper gets `paper`, later ones `paper-<hash>`, and a paper
    titled "Paper" that comes after them is a repeat like any other."""
    ids = [paper.id for paper in catalog_of([("!!!", "First paper without letters in its title."),
                                             ("∑∫√", "Second paper without letters in its title."),
                                             ("😀", "Third paper without letters in its title."),
                                             ("Paper", "A paper titled Paper.")]).papers]
    assert ids[0] == "paper", ids
    assert all(paper_id.startswith("paper-") for paper_id in ids[1:]) and len(set(ids)) == 4, ids


def test_many_papers_whose_first_records_are_the_same_text_all_get_ids():
    """A record listed again after its paper's wording drifted away from it starts a new paper with the same
    first record, so the same hash: past the whole digest, they must still get ids (this used to hang)."""
    words = [f"w{n}" for n in range(60)]

    def wording(paper: int, step: int) -> str:  # each step rewrites 12 more words: a revision of the last
        return " ".join(f"p{paper}x{n}" if n < step * 12 else word for n, word in enumerate(words)) + "."

    records = [("Same Title", wording(paper, step)) for paper in range(20) for step in range(4)]
    ids = [paper.id for paper in catalog_of(records).papers]
    assert len(ids) == 20 and len(set(ids)) == 20, ids
    assert all(len(paper_id.encode("utf-8")) <= 255 for paper_id in ids), ids


def test_dump_addresses_are_unique_even_when_file_names_slugify_alike():
    dumps = tuple(parse_dump("Aug 1\n\nA title\n\nAn abstract.\n", name) for name in ("000_a b.txt", "000_a-b.txt"))
    catalog = build_catalog(dumps)
    slugs = list(catalog.dump_slugs.values())
    assert slugs[0] == "000-a-b" and slugs[1].startswith("000-a-b-") and slugs[1].isascii(), slugs
