"""Enrich stage: topics, related papers and the links in abstracts, for every paper of the catalog."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from ..catalog import Catalog
from ..errors import InputError
from .links import LinkKind, PaperLink, paper_links
from .related import NearPair, PaperText, RelatedPaper, relate
from .topics import (
    Overrides,
    Taxonomy,
    TopicAssignment,
    apply_overrides,
    load_taxonomy,
    read_overrides,
    tag_papers,
)

RELATED_PER_PAPER = 5

RelatedPapers = tuple[dict[str, tuple[RelatedPaper, ...]], tuple[NearPair, ...]]

# tag_papers, or anything that returns what it returns (generator/incremental.py keeps its results).
Tagger = Callable[[Sequence[tuple[str, str]], Taxonomy], list[tuple[TopicAssignment, ...]]]


@dataclass(frozen=True)
class Enrichment:
    taxonomy: Taxonomy
    topics_by_paper: dict[str, tuple[TopicAssignment, ...]]
    links_by_paper: dict[str, tuple[PaperLink, ...]] = field(default_factory=dict)
    # None until with_related_papers: what reads them before (a listing, a search document) fails, instead of
    # finding none.
    related: RelatedPapers | None = None

    def related_to(self, paper_id: str) -> tuple[RelatedPaper, ...]:
        return self._related[0].get(paper_id, ())

    @property
    def near_pairs(self) -> tuple[NearPair, ...]:
        return self._related[1]

    @property
    def _related(self) -> RelatedPapers:
        if self.related is None:
            raise ValueError("related papers are not found yet: read them after with_related_papers")
        return self.related

    @cached_property
    def papers_with_code(self) -> frozenset[str]:
        """Ids of the papers whose abstract links to a code host."""
        return frozenset(paper_id for paper_id, links in self.links_by_paper.items()
                         if any(link.kind == LinkKind.CODE for link in links))

    def count_with_code(self, papers) -> int:
        """How many of `papers` (Paper values) link to code."""
        return sum(paper.id in self.papers_with_code for paper in papers)


def load_curation(taxonomy_path: Path, overrides_path: Path) -> tuple[Taxonomy, Overrides]:
    """The taxonomy and every entry of the curators' overrides, checked against it (topics.for_papers then keeps
    the catalog's); InputError with the problems of both, those of the overrides that need no taxonomy too
    when the taxonomy has problems."""
    try:
        taxonomy = load_taxonomy(taxonomy_path)
    except InputError as error:
        try:
            read_overrides(overrides_path, None)
        except InputError as more:
            raise InputError([*error.problems, *more.problems]) from None
        raise
    return taxonomy, read_overrides(overrides_path, taxonomy)


def enrich(catalog: Catalog, taxonomy: Taxonomy, overrides: Overrides, tag: Tagger = tag_papers) -> Enrichment:
    """Tag every paper, then find each paper's related papers and the near-duplicate pairs."""
    return with_related_papers(topics_and_links(catalog, taxonomy, overrides, tag),
                               related_papers(paper_texts(catalog)))


def topics_and_links(catalog: Catalog, taxonomy: Taxonomy, overrides: Overrides,
                     tag: Tagger = tag_papers) -> Enrichment:
    """Every paper's topics and links, no related papers yet: what its search document needs (the build
    indexes those while related papers are found)."""
    tags = tag([(paper.title, paper.abstract) for paper in catalog.papers], taxonomy)
    topics_by_paper = {paper.id: apply_overrides(paper.id, assignments, overrides)
                       for paper, assignments in zip(catalog.papers, tags)}
    return Enrichment(taxonomy=taxonomy, topics_by_paper=topics_by_paper,
                      links_by_paper={paper.id: paper_links(paper.abstract) for paper in catalog.papers})


def paper_texts(catalog: Catalog) -> list[PaperText]:
    """What related papers are found from: each paper's words, nothing else (not its topics)."""
    return [PaperText(paper.id, paper.title, paper.abstract) for paper in catalog.papers]


def related_papers(texts: Sequence[PaperText]) -> RelatedPapers:
    """Each paper's related papers, and the near-duplicate pairs."""
    return relate(texts, k=RELATED_PER_PAPER, threshold=0.5)


def with_related_papers(enrichment: Enrichment, related: RelatedPapers) -> Enrichment:
    return replace(enrichment, related=related)
