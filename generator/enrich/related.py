"""Related papers and near-duplicate pairs, from TF-IDF vectors of titles and abstracts.

Every paper gets the k papers whose words are closest to its own: cosine similarity of TF-IDF vectors of
title and abstract, the title counting more than the abstract, with the terms the two share most so that a
reader sees why they are listed together. Maintainers get the pairs of papers so alike in title or abstract
that they may be one paper the catalog failed to merge.

Comparing every paper with every other is quadratic work, so memory is kept linear: scores are computed for
one block of rows at a time, against itself and the later rows only (a score is the same either way round),
and only each row's best few are kept, never an N x N matrix. Terms that only one paper uses are dropped
first (after the vectors are normalised): they add nothing to any pair. While the work is small
(EXACT_WORK_LIMIT: real catalogs of 10,000 papers) every pair is scored exactly. Above it, each paper's
candidates are the papers that share its strongest terms, and only those are scored exactly: the time of a
paper's common words ("model", "training") meeting every other paper is what this saves, at the price of
sometimes missing one of a paper's k best (benchmarks/related.py measures how often: 3% of them on a
synthetic catalog of 10,000 papers, where every word is common).

Near pairs need a high score, which lets them skip the common words without missing any: a pair whose
cosine reaches the threshold shares a term of the first paper outside its most common ones (those whose
norm stays below the threshold), and a bound on what the common ones can add leaves few pairs to score.
Papers with the same vector (copies of one placeholder abstract) are scored once, as their first one. Above
EXACT_WORK_LIMIT near pairs are looked for among the candidates of the strongest terms, like related papers.
"""
from __future__ import annotations

import collections
import html
import itertools
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfTransformer
from sklearn.preprocessing import normalize

from ..text import MAX_READ_CHARS, contains_phrase, nfkc_with_hyphens

# Share of the score that comes from the title. A title names the subject in a few chosen words, so each of
# its words weighs about four times an abstract word even at this share (a title has ~6 terms, an abstract
# ~150); a larger share lets one shared title word ("Pre-training") outweigh whole abstracts.
TITLE_WEIGHT = 0.15


# Words every abstract uses whatever its subject, on top of scikit-learn's English stop words: kept, they
# would make "paper propose" the term two unrelated papers share.
BOILERPLATE_WORDS = frozenset({
    "abstract", "achieve", "achieved", "achieves", "approach", "approaches", "based", "demonstrate",
    "demonstrates", "et", "al", "existing", "experiment", "experiments", "extensive", "furthermore", "github",
    "http", "https", "introduce", "introduces", "method", "methods", "moreover", "novel", "outperform",
    "outperforms", "paper", "propose", "proposed", "proposes", "recent", "recently", "result", "results",
    "significantly", "show", "shows", "state", "art", "study", "task", "tasks", "use", "used", "using",
    "work", "www", "com",
})
STOP_WORDS = ENGLISH_STOP_WORDS | BOILERPLATE_WORDS

# Prefixes that web text joins to a word with a hyphen: "pre-training" is one term, not the words "pre" and
# "training" (which would make "language pre" a term of "vision-language pre-training"). Other hyphens
# separate words: "vision-language" is "vision language".
PREFIXES = frozenset({
    "anti", "auto", "bi", "co", "cross", "de", "hyper", "inter", "intra", "meta", "mid", "mono", "multi",
    "non", "out", "over", "poly", "post", "pre", "re", "self", "semi", "sub", "super", "tri", "ultra", "un",
    "under", "uni",
})
# Words (hyphens included) and punctuation marks one by one. Marks, bare numbers and one-letter words never
# become terms, but they stay in the sequence so that no two-word term spans a full stop or a comma.
TOKEN = re.compile(r"[\w-]+|[^\w\s]")
# Markup and links are page furniture, not the paper's words: two abstracts that both link to GitHub are
# not related for it.
TAG = re.compile(r"<[^<>]{0,1000}>")
LINK = re.compile(r"(?:https?://|www\.)\S+")

# Scores are rounded before any comparison so that float noise across platforms cannot reorder ties.
SCORE_DECIMALS = 6
MAX_SHARED_TERMS = 3
# Words that count towards a pair's score, as any shared word does, but say nothing of why two papers are alike
# ("shares: new, different, presents"), and model sizes in billions of parameters (`32b`, `7b`).
VAGUE_TERMS = frozenset({"new", "different", "present", "presents", "presented", "various", "given", "way",
                         "ways", "make", "makes", "making", "provide", "provides", "well", "just", "like"})
MODEL_SIZE = re.compile(r"\d+(?:\.\d+)?b")
# How many of a pair's top terms are read to pick the three shown, and the least share of the pair's score a
# term must add to be one of them.
RANKED_TERMS = 8
MIN_TERM_SHARE = 0.01
# A single word used by more than this share of the papers ("model", "data") says little about why two
# papers are related: shared terms show it only when the pair shares nothing more telling.
COMMON_WORD_SHARE = 0.2

# Up to this much work (multiply-adds of the exact all-pairs product) every pair is scored exactly. Above
# it, each paper's candidates are found from the strongest terms of each paper only, then scored exactly.
EXACT_WORK_LIMIT = 1_000_000_000
STRONGEST_TERMS = 64
# Terms so common that their part of the exact scores is cheaper as a dense product.
DENSE_TERMS = 400
CANDIDATES_PER_PAPER = 30
# Exact candidate scores are summed in another order than the final ones, which can move a rounded score by
# 1e-6: a paper's candidates are all within this of its k-th best, so none of its k best is left out.
CANDIDATE_SLACK = 3e-6
# Columns of scores whose largest value stands for them in a cheap lower bound of a row's k-th best score.
SCORE_GROUP = 64
# Every SAMPLE_STEP-th value of a row stands for it in a cheap lower bound of its k-th largest value.
SAMPLE_STEP = 16
# Scores of one block of rows hold at most this many cells, which caps memory whatever the catalog size.
BLOCK_CELLS = 4_000_000
MAX_BLOCK_ROWS = 500
# Pairs of near-duplicates are multiplied term by term in batches holding at most this many stored values of
# their two rows (about 100 MB), one row's candidate pairs (or one pair) at least: 200 papers with one abstract
# of 20 KB took 5.5 GB in one batch.
PAIR_VALUES_AT_ONCE = 8_000_000

DEFAULT_TITLE_THRESHOLD = 0.8


# ---------------------------------------------------------------------------------------------------------
# Values


@dataclass(frozen=True)
class PaperText:
    """What the comparison reads of a paper."""

    paper_id: str
    title: str
    abstract: str


@dataclass(frozen=True)
class RelatedPaper:
    """One paper related to another: its id, the cosine similarity, and up to three terms both use most."""

    paper_id: str
    score: float
    shared_terms: tuple[str, ...]


# Abstracts this alike are one text, give or take a few words: two titles over it are one paper under two
# names, or one of them was given the other's abstract (the real corpus has both).
SAME_ABSTRACT = 0.9


@dataclass(frozen=True)
class NearPair:
    """Two papers so alike that they may be one paper; `first_id` sorts before `second_id`."""

    first_id: str
    second_id: str
    title_similarity: float
    abstract_similarity: float

    @property
    def same_abstract(self) -> bool:
        return self.abstract_similarity >= SAME_ABSTRACT


@dataclass(frozen=True)
class _Vectors:
    """L2-normalised TF-IDF rows, one per paper, and the term each column of `combined` stands for."""

    title: sparse.csr_matrix
    abstract: sparse.csr_matrix
    combined: sparse.csr_matrix
    term_of_column: np.ndarray  # index into `terms`: a term has a title column and an abstract column
    terms: tuple[str, ...]
    common_terms: np.ndarray  # True for the terms of `terms` that are too common to explain a relation


@dataclass(frozen=True)
class _Pairs:
    """Pairs of papers by row index, with the entry-wise products of their vectors: a row of `products`
    sums to the pair's cosine similarity, and its entries are what each term contributes."""

    firsts: np.ndarray
    seconds: np.ndarray
    products: sparse.csr_matrix

    def scores(self) -> np.ndarray:
        return _rounded(_row_sums(self.products))

    def subset(self, positions: np.ndarray) -> _Pairs:
        return _Pairs(self.firsts[positions], self.seconds[positions], self.products[positions])


# ---------------------------------------------------------------------------------------------------------
# Related papers


def find_related(papers: Sequence[PaperText], k: int = 5) -> dict[str, tuple[RelatedPaper, ...]]:
    """For each paper (keys in input order), its k most similar other papers, best first, equal scores in
    paper_id order; each with its cosine similarity rounded to SCORE_DECIMALS and the terms the two share
    most. Papers that share no term with any other get an empty tuple; so does every paper when k is 0.
    The result depends only on the set of papers, not on their order."""
    ordered = _in_id_order(papers)
    return _related(papers, ordered, _vectorise_pairs_of(ordered), k)


def relate(papers: Sequence[PaperText], k: int = 5, threshold: float = 0.5
           ) -> tuple[dict[str, tuple[RelatedPaper, ...]], tuple[NearPair, ...]]:
    """find_related and find_near_pairs of the same papers, vectorising them once."""
    _check_thresholds(threshold, DEFAULT_TITLE_THRESHOLD)
    ordered = _in_id_order(papers)
    vectors = _vectorise_pairs_of(ordered)
    return (_related(papers, ordered, vectors, k),
            _near_pairs(ordered, vectors, threshold, DEFAULT_TITLE_THRESHOLD))


def _in_id_order(papers: Sequence[PaperText]) -> list[PaperText]:
    """Working in paper_id order makes a row's index its tie-break, and every result independent of the
    input order (also which pairs of a crowd of copies are kept)."""
    _check_unique_ids(papers)
    return sorted(papers, key=lambda paper: paper.paper_id)


def _vectorise_pairs_of(ordered: Sequence[PaperText]) -> _Vectors | None:
    """The vectors, or None when there are fewer than two papers to pair."""
    return _vectorise(ordered) if len(ordered) > 1 else None


def _related(papers: Sequence[PaperText], ordered: Sequence[PaperText], vectors: _Vectors | None,
             k: int) -> dict[str, tuple[RelatedPaper, ...]]:
    if k < 0:
        raise ValueError(f"k is {k}; expected 0 or more related papers per paper")
    related: dict[str, tuple[RelatedPaper, ...]] = {paper.paper_id: () for paper in papers}
    if k > 0 and vectors is not None:
        related.update(_related_in_id_order(ordered, vectors, k))
    return related


def _related_in_id_order(papers: Sequence[PaperText], vectors: _Vectors,
                         k: int) -> dict[str, tuple[RelatedPaper, ...]]:
    remembered = _RememberedTerms()
    related: dict[str, tuple[RelatedPaper, ...]] = {}
    for candidates in _candidate_blocks(vectors.combined, k):
        best = candidates.subset(_best_positions(candidates, k))
        shared = _shared_terms(best, vectors, papers, remembered)
        for first, second, score, terms in zip(best.firsts.tolist(), best.seconds.tolist(), best.scores().tolist(),
                                               shared):
            paper_id = papers[first].paper_id
            item = RelatedPaper(papers[second].paper_id, float(score), terms)
            related[paper_id] = related.get(paper_id, ()) + (item,)
    return related


def _check_unique_ids(papers: Sequence[PaperText]) -> None:
    ids = [paper.paper_id for paper in papers]
    if len(set(ids)) != len(ids):
        repeated = sorted({paper_id for paper_id in ids if ids.count(paper_id) > 1})[:5]
        raise ValueError(f"paper ids {repeated} appear more than once; expected one PaperText per paper")


def _candidate_blocks(matrix: sparse.csr_matrix, k: int) -> Iterator[_Pairs]:
    """Pairs that hold each row's k best (see _candidate_pairs) with their products, one block of rows at a
    time."""
    if _exact_work(matrix) > EXACT_WORK_LIMIT:
        # Partial scores of the strongest terms are sparse: a dense array per block would cost more.
        source = _strongest_terms(_shared_columns(matrix), STRONGEST_TERMS)
        source_transposed = source.T.tocsr()
        for rows in _row_blocks(matrix.shape[0]):
            yield _pairs(matrix, *_sparse_candidate_pairs(source[rows] @ source_transposed, rows.start))
        return
    # Exact scores only need what may be among the k best.
    wanted = min(k, CANDIDATES_PER_PAPER)
    earlier = _EarlierScores(matrix.shape[0], wanted, CANDIDATE_SLACK)
    for rows, strip in _score_strips(matrix, DENSE_TERMS):
        strip[np.arange(len(strip)), np.arange(len(strip))] = 0  # a paper is no candidate of its own
        candidates = _candidate_pairs(strip, rows, earlier, wanted, CANDIDATE_SLACK)
        earlier.learn(rows, strip)
        yield _pairs(matrix, *candidates)


def _score_strips(matrix: sparse.csr_matrix, dense_terms: int) -> Iterator[tuple[slice, np.ndarray]]:
    """Each block of rows with its scores against itself and every later row, as a dense array: scores
    are symmetric, so its scores with the earlier rows were part of their strips. (Both products sum the
    same terms in the same order either way round, so a score read from another row's strip is the very
    same number.) The `dense_terms` most common terms meet almost every pair: their part is a dense
    product, much faster per pair than a sparse one. The other terms' part is a sparse product."""
    frequency = np.bincount(matrix.indices, minlength=matrix.shape[1])
    is_common = np.zeros(matrix.shape[1], dtype=bool)
    is_common[np.argsort(-frequency, kind="stable")[:dense_terms]] = True
    common = matrix[:, is_common].toarray()
    common_transposed = np.ascontiguousarray(common.T)
    rest = matrix[:, ~is_common].tocsr()
    rest_transposed = rest.T.tocsr()
    for rows in _strip_blocks(matrix.shape[0]):
        scores = (rest[rows] @ rest_transposed[:, rows.start:]).toarray()
        if dense_terms:
            scores += common[rows] @ common_transposed[:, rows.start:]
        yield rows, scores


def _shared_columns(combined: sparse.csr_matrix) -> sparse.csr_matrix:
    """Candidates are found with each paper's strongest terms that another paper uses too. A paper's most
    distinctive words find the papers closest to it; its common words are what make the all-pairs product
    quadratic."""
    document_frequency = np.bincount(combined.indices, minlength=combined.shape[1])
    return _rows_keeping(combined, np.flatnonzero(document_frequency[combined.indices] > 1))


def _exact_work(matrix: sparse.csr_matrix) -> float:
    """Multiply-adds of matrix @ matrix.T: each term pairs up every two papers that use it."""
    document_frequency = np.bincount(matrix.indices, minlength=matrix.shape[1]).astype(np.float64)
    return float(np.dot(document_frequency, document_frequency))


def _strongest_terms(matrix: sparse.csr_matrix, limit: int) -> sparse.csr_matrix:
    """Each row's `limit` largest entries (equal weights: the lower column first)."""
    lengths = np.diff(matrix.indptr)
    rows = np.repeat(np.arange(matrix.shape[0]), lengths)
    # One sort key: row, then highest weight (weights lie in (0, 1]); columns are sorted inside each row,
    # so a stable sort leaves equal weights in column order.
    order = np.argsort(rows * 4.0 - matrix.data, kind="stable")
    rank = np.arange(len(order)) - np.repeat(matrix.indptr[:-1], lengths)
    return _rows_keeping(matrix, np.sort(order[rank < limit]))


def _rows_keeping(matrix: sparse.csr_matrix, positions: np.ndarray) -> sparse.csr_matrix:
    """`matrix` with only the entries at `positions` (sorted), same shape."""
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))[positions]
    indptr = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=matrix.shape[0]))))
    return sparse.csr_matrix((matrix.data[positions], matrix.indices[positions], indptr), shape=matrix.shape)


def _row_blocks(row_count: int) -> Iterator[slice]:
    """Consecutive slices of rows, each small enough that its scores against every row fit in BLOCK_CELLS."""
    size = max(1, min(MAX_BLOCK_ROWS, BLOCK_CELLS // max(row_count, 1)))
    for start in range(0, row_count, size):
        yield slice(start, min(start + size, row_count))


def _strip_blocks(row_count: int) -> Iterator[slice]:
    """Consecutive slices of rows, each small enough that its scores against itself and the later rows fit
    in BLOCK_CELLS: fewer rows remain, so blocks grow. Fewer blocks save more than Python's time: BLAS
    threads spin for a while after each product, on CPU time the build pays."""
    start = 0
    while start < row_count:
        stop = min(row_count, start + max(1, BLOCK_CELLS // (row_count - start)))
        yield slice(start, stop)
        start = stop


def _candidate_pairs(strip: np.ndarray, rows: slice, earlier: _EarlierScores, wanted: int, slack: float
                     ) -> tuple[np.ndarray, np.ndarray]:
    """(paper, candidate) row pairs for a block of rows, in row then column order: in each row, the other
    rows with a positive score that is at least the row's `wanted`-th best score less `slack`, at most
    CANDIDATES_PER_PAPER of them, equal scores to the lower row. A row's scores are those of its strip
    (the block's rows and the later ones) and those `earlier` kept from the strips before."""
    # A cheap first cut on the unrounded scores (rounding moves a score by less than 1e-6), then the rule
    # on the rounded scores of the few left. The cut needs each row's `wanted`-th best score, which is
    # found among the few scores that reach a lower bound of it: a whole-row partition costs more than
    # the scoring itself.
    best_before = earlier.best[rows]
    floors = np.maximum(best_before.min(axis=1), _kth_largest_per_row(_group_maxima(strip), wanted))
    strip_rows, strip_columns = _positive_reaching(strip, (floors - slack - 1e-6)[:, None])
    strip_values = strip[strip_rows, strip_columns]
    cutoffs = _best_in_rows(best_before, strip_values, strip_rows).min(axis=1)
    kept_rows, kept_columns, kept_values = earlier.take(rows)
    # Earlier columns first: then each row's scores are in column order.
    order = np.argsort(np.concatenate((kept_rows, strip_rows)), kind="stable")
    return _chosen_candidates(np.concatenate((kept_rows, strip_rows))[order],
                              np.concatenate((kept_columns, strip_columns + rows.start))[order],
                              np.concatenate((kept_values, strip_values))[order], cutoffs, slack, rows.start)


def _chosen_candidates(rows: np.ndarray, columns: np.ndarray, unrounded: np.ndarray, cutoffs: np.ndarray,
                       slack: float, first_row: int) -> tuple[np.ndarray, np.ndarray]:
    """The rule of _candidate_pairs applied to scores in row then column order, which hold every score that
    reaches its row's cutoff less `slack`."""
    close = unrounded >= (cutoffs - slack - 1e-6)[rows]
    rows, columns, values = rows[close], columns[close], _rounded(unrounded[close])
    chosen = np.flatnonzero((values > 0) & (values >= _rounded(cutoffs)[rows] - slack))
    chosen = chosen[_first_candidates(rows[chosen], columns[chosen], values[chosen])]
    return rows[chosen] + first_row, columns[chosen].astype(np.int64)


def _first_candidates(rows: np.ndarray, columns: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Positions of each row's CANDIDATES_PER_PAPER best rounded `values`, equal values in column order,
    in the order they come (rows grouped)."""
    order = np.lexsort((columns, -values, rows))
    return np.sort(order[_ranks_within_groups(rows[order]) < CANDIDATES_PER_PAPER])


class _EarlierScores:
    """What the strips of earlier blocks tell of each later row: its `wanted` best scores with the rows of
    those blocks, exactly, and its scores that reach the least of them less `slack` (all that may become
    candidates once the row's own strip is in). Rows are forgotten when their block takes them."""

    def __init__(self, row_count: int, wanted: int, slack: float) -> None:
        self.best = np.zeros((row_count, wanted), dtype=np.float32)
        self._slack = slack
        self._rows = np.zeros(0, dtype=np.int64)
        self._columns = np.zeros(0, dtype=np.int64)
        self._values = np.zeros(0, dtype=np.float32)

    def learn(self, rows: slice, strip: np.ndarray) -> None:
        """Read the scores of the rows after `rows` from their columns of its strip."""
        later = strip[:, len(strip):]
        if not later.size:
            return
        first_later = rows.stop
        floors = np.maximum(self.best[first_later:].min(axis=1), _kth_largest_per_column(later, self.best.shape[1]))
        found_rows, found_columns = _positive_reaching(later, floors - self._slack - 1e-6)
        # The later rows are the columns of the strip: each later row's scores in column order.
        order = np.lexsort((found_rows, found_columns))
        later_rows = found_columns[order] + first_later
        values = later[found_rows[order], found_columns[order]]
        touched = np.unique(later_rows)
        self.best[touched] = _best_in_rows(self.best[touched], values, np.searchsorted(touched, later_rows))
        self._keep(np.concatenate((self._rows, later_rows)),
                   np.concatenate((self._columns, found_rows[order] + rows.start)),
                   np.concatenate((self._values, values)))

    def take(self, rows: slice) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The kept scores of `rows` (row numbers within the block, columns, values), which are forgotten."""
        taken = (self._rows >= rows.start) & (self._rows < rows.stop)
        found = self._rows[taken] - rows.start, self._columns[taken], self._values[taken]
        self._rows, self._columns, self._values = self._rows[~taken], self._columns[~taken], self._values[~taken]
        return found

    def _keep(self, rows: np.ndarray, columns: np.ndarray, values: np.ndarray) -> None:
        kept = np.flatnonzero(values >= (self.best[rows].min(axis=1) - self._slack - 1e-6))
        # A crowd of copies ties with thousands of rows: only the first CANDIDATES_PER_PAPER of a row can be
        # candidates, which keeps memory linear.
        if np.bincount(rows[kept], minlength=len(self.best)).max(initial=0) > CANDIDATES_PER_PAPER:
            kept = kept[_first_candidates(rows[kept], columns[kept], _rounded(values[kept]))]
        self._rows, self._columns, self._values = rows[kept], columns[kept], values[kept]


def _positive_reaching(scores: np.ndarray, floors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.nonzero((scores > 0) & (scores >= floors)), in one pass: the least positive number stands in for
    floors of zero or below."""
    rows, columns = np.nonzero(scores >= np.maximum(floors, np.finfo(scores.dtype).smallest_subnormal))
    return rows, columns


def _best_in_rows(best: np.ndarray, values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Each row of `best` (its largest values so far, as many as it has columns) updated with `values`
    (grouped by row, >= 0) of the rows numbered `rows`."""
    wanted = best.shape[1]
    table = np.concatenate((best, _row_table(values.astype(best.dtype, copy=False), rows, len(best), 0)), axis=1)
    width = table.shape[1]
    return np.partition(table, width - wanted, axis=1)[:, width - wanted:]


def _kth_largest_per_column(scores: np.ndarray, k: int) -> np.ndarray:
    """A lower bound of each column's k-th largest value: the k-th largest of its groups' maxima (0 when
    there are fewer than k groups)."""
    group = max(1, len(scores) // (2 * k))
    maxima = np.maximum.reduceat(scores, np.arange(0, len(scores), group), axis=0)
    return _kth_largest_per_row(np.ascontiguousarray(maxima.T), k)


def _kth_largest_per_row(scores: np.ndarray, k: int) -> np.ndarray:
    """Each row's k-th largest value (0 for rows shorter than k)."""
    width = scores.shape[1]
    if width < k:
        return np.zeros(len(scores), dtype=scores.dtype)
    return np.partition(scores, width - k, axis=1)[:, width - k]


def _group_maxima(scores: np.ndarray) -> np.ndarray:
    """The largest value of each run of SCORE_GROUP columns of each row. The k-th largest of a row's group
    maxima is at most its k-th largest value: k groups hold a value at least that large."""
    return np.maximum.reduceat(scores, np.arange(0, scores.shape[1], SCORE_GROUP), axis=1)


def _sparse_candidate_pairs(scores: sparse.spmatrix, first_row: int) -> tuple[np.ndarray, np.ndarray]:
    """(paper, candidate) row pairs, in row then column order: each row's CANDIDATES_PER_PAPER
    best-scoring other rows with a positive score, equal scores to the lower row."""
    scores = sparse.csr_matrix(scores)
    rows = np.repeat(np.arange(scores.shape[0]), np.diff(scores.indptr))
    values = _rounded(scores.data)
    values[scores.indices == rows + first_row] = 0  # a paper is no candidate of its own
    cutoffs = _kth_largest_in_rows(values, rows, scores.shape[0], CANDIDATES_PER_PAPER)
    chosen = np.flatnonzero((values > 0) & (values >= cutoffs[rows]))
    chosen = chosen[np.lexsort((scores.indices[chosen], rows[chosen]))]
    chosen = _without_excess_ties(chosen, rows, values, cutoffs, CANDIDATES_PER_PAPER)
    return rows[chosen] + first_row, scores.indices[chosen].astype(np.int64)


def _kth_largest_in_rows(values: np.ndarray, rows: np.ndarray, row_count: int, k: int) -> np.ndarray:
    """Each row's k-th largest value (0 for a row with fewer than k values); `values` are >= 0 and
    grouped by row. The k-th largest of a sample of a row's values is at most the row's: only the values
    that reach it can be among its k largest, so the costly partition reads those only (rows of tens of
    thousands of values, where every paper shares a common word, shrink to a few hundred)."""
    floors = _kth_largest_per_row(_row_table(values[::SAMPLE_STEP], rows[::SAMPLE_STEP], row_count, k), k)
    reaching = values >= floors[rows]
    return _kth_largest_per_row(_row_table(values[reaching], rows[reaching], row_count, k), k)


def _row_table(values: np.ndarray, rows: np.ndarray, row_count: int, min_width: int) -> np.ndarray:
    """`values` (grouped by row) as a row_count x width table, each row's values from its first column on,
    padded with zeros to the longest row or `min_width`: one partition of it costs less than one call a row."""
    starts = np.searchsorted(rows, np.arange(row_count))
    width = max(min_width, int(np.bincount(rows, minlength=row_count).max(initial=0)))
    table = np.zeros((row_count, width), dtype=values.dtype)
    table[rows, np.arange(len(rows)) - starts[rows]] = values
    return table


def _without_excess_ties(chosen: np.ndarray, rows: np.ndarray, values: np.ndarray, cutoffs: np.ndarray,
                         limit: int) -> np.ndarray:
    """`chosen` (in row then column order) with, in each row, every value above the row's cutoff and only
    as many ties at the cutoff, in column order, as fit in `limit`."""
    chosen_rows = rows[chosen]
    above = values[chosen] > cutoffs[chosen_rows]
    room = limit - np.bincount(chosen_rows[above], minlength=len(cutoffs))
    tied = np.flatnonzero(~above)
    keep = above.copy()
    keep[tied[_ranks_within_groups(chosen_rows[tied]) < room[chosen_rows[tied]]]] = True
    return chosen[keep]


def _pairs(matrix: sparse.csr_matrix, firsts: np.ndarray, seconds: np.ndarray) -> _Pairs:
    return _Pairs(firsts, seconds, sparse.csr_matrix(matrix[firsts].multiply(matrix[seconds])))


def _row_sums(matrix: sparse.csr_matrix) -> np.ndarray:
    return np.asarray(matrix.sum(axis=1), dtype=np.float64).ravel()


def _rounded(values: np.ndarray) -> np.ndarray:
    return np.round(values.astype(np.float64), SCORE_DECIMALS)


def _best_positions(pairs: _Pairs, k: int, threshold: float = 0.0) -> np.ndarray:
    """Positions of each paper's k best pairs with a positive score of at least `threshold`, ordered by
    paper, then score (highest first), then the other paper's row. `pairs` come in row then column order."""
    scores = pairs.scores()
    order = np.argsort(pairs.firsts * 4.0 + (1.0 - scores), kind="stable")
    order = order[(scores[order] > 0) & (scores[order] >= threshold)]
    return order[_ranks_within_groups(pairs.firsts[order]) < k]


def _ranks_within_groups(sorted_groups: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... inside each run of equal values of a sorted array."""
    return np.arange(len(sorted_groups)) - np.searchsorted(sorted_groups, sorted_groups, side="left")


# ---------------------------------------------------------------------------------------------------------
# Shared terms


@dataclass(frozen=True)
class _RememberedTerms:
    """What _shared_terms works out once for all blocks: the singular spelling of every term seen (the same
    terms come back for many pairs), and the shared terms of every pair, by its rows, lower row first (a
    pair comes back as its reverse on the other paper's page, with the same products and terms)."""

    singular_forms: dict[str, str] = field(default_factory=dict)
    terms_by_pair: dict[tuple[int, int], tuple[str, ...]] = field(default_factory=dict)


def _shared_terms(pairs: _Pairs, vectors: _Vectors, papers: Sequence[PaperText],
                  remembered: _RememberedTerms) -> list[tuple[str, ...]]:
    """For each pair, up to three terms that add most to its score, in readable form."""
    keys = [(min(first, second), max(first, second))
            for first, second in zip(pairs.firsts.tolist(), pairs.seconds.tolist())]
    unseen: dict[tuple[int, int], int] = {}
    for position, key in enumerate(keys):
        if key not in remembered.terms_by_pair:
            unseen.setdefault(key, position)
    ranked = _ranked_terms(pairs.products[list(unseen.values())], vectors)
    for (first, second), terms in zip(unseen, ranked):
        remembered.terms_by_pair[first, second] = _readable_terms(terms, papers[first], papers[second],
                                                                  remembered.singular_forms)
    return [remembered.terms_by_pair[key] for key in keys]


def _ranked_terms(products: sparse.csr_matrix, vectors: _Vectors) -> Iterator[list[str]]:
    """Each pair's RANKED_TERMS terms by contribution, highest first, common words last (equal
    contributions: alphabetical). A term's title and abstract columns count together."""
    # copy=True: summing duplicates rewrites indptr in place, and it must not be the products' own.
    by_term = sparse.csr_matrix(
        (products.data, vectors.term_of_column[products.indices], products.indptr),
        shape=(products.shape[0], len(vectors.terms)), copy=True)
    by_term.sum_duplicates()
    rows = np.repeat(np.arange(by_term.shape[0]), np.diff(by_term.indptr))
    values = _rounded(by_term.data)
    # A term that adds less than MIN_TERM_SHARE of a pair's score does not explain the pair.
    telling = (values > 0) & (values >= MIN_TERM_SHARE * _row_sums(by_term)[rows])
    rows, values, terms = rows[telling], values[telling], by_term.indices[telling]
    # One sort key: row, then common words last, then highest value (contributions lie in [0, 1]); a stable
    # sort keeps equal keys in column order, which is alphabetical.
    order = np.argsort(rows * 4.0 + vectors.common_terms[terms] * 2.0 + (1.0 - values), kind="stable")
    order = order[_ranks_within_groups(rows[order]) < RANKED_TERMS]
    bounds = np.searchsorted(rows[order], np.arange(by_term.shape[0] + 1))
    term_indices = terms[order].tolist()
    # One pair's list at a time: lists that live on are scanned again and again by the garbage collector.
    return ([vectors.terms[index] for index in term_indices[start:end]]
            for start, end in itertools.pairwise(bounds))


def _readable_terms(ranked: list[str], first: PaperText, second: PaperText,
                    singular_forms: dict[str, str]) -> tuple[str, ...]:
    """The first three of `ranked` that say something new: a word already inside a chosen phrase is
    skipped (a plural counts as its singular), a chosen word gives way to a phrase holding it, and two
    phrases that overlap ("masked image", "image modeling") become one when both papers write the longer
    phrase."""
    chosen: list[str] = []
    for term in ranked:
        if term in VAGUE_TERMS or MODEL_SIZE.fullmatch(term):
            continue
        singular = _padded_singular(term, singular_forms)
        if any(singular in _padded_singular(phrase, singular_forms) for phrase in chosen):
            continue
        kept = [phrase for phrase in chosen if _padded_singular(phrase, singular_forms) not in singular]
        chosen = _with_term(kept, term, first, second)
        if len(chosen) == MAX_SHARED_TERMS:
            break
    return tuple(chosen)


def _padded_singular(term: str, singular_forms: dict[str, str]) -> str:
    """" bert model " for "bert models": spaces around, so that `in` matches whole words only."""
    if term not in singular_forms:
        words = (word[:-1] if len(word) > 3 and word.endswith("s") else word for word in term.split())
        singular_forms[term] = f" {' '.join(words)} "
    return singular_forms[term]


def _with_term(chosen: list[str], term: str, first: PaperText, second: PaperText) -> list[str]:
    """`chosen` plus `term`, joined to a chosen phrase it overlaps if both papers write the joined phrase."""
    for index, phrase in enumerate(chosen if " " in term else ()):
        for joined in (_joined(phrase, term), _joined(term, phrase)):
            if joined and _both_write(joined, first, second):
                return chosen[:index] + [joined] + chosen[index + 1:]
    return chosen + [term]


def _joined(left: str, right: str) -> str | None:
    """"masked image" + "image modeling" -> "masked image modeling"; None unless they overlap by a word."""
    left_words, right_words = left.split(), right.split()
    if len(left_words) > 1 and len(right_words) > 1 and left_words[-1] == right_words[0]:
        return " ".join(left_words + right_words[1:])
    return None


def _both_write(phrase: str, first: PaperText, second: PaperText) -> bool:
    """Do both papers write `phrase`, with a space or a hyphen between its words?"""
    words = phrase.split()
    spellings = ["".join(itertools.chain.from_iterable(zip(words, separators + ("",))))
                 for separators in itertools.product(" -", repeat=len(words) - 1)]
    # The raw text, casefolded, is enough here and much cheaper than the vectoriser's cleaning: a phrase
    # hidden by markup or an odd dash only stays two shorter terms.
    return all(
        any(contains_phrase(text, spelling) for spelling in spellings)
        for text in (f"{paper.title}\n{paper.abstract[:MAX_READ_CHARS]}".casefold() for paper in (first, second))
    )


# ---------------------------------------------------------------------------------------------------------
# Near-duplicate pairs


def find_near_pairs(papers: Sequence[PaperText], threshold: float = 0.5, *,
                    title_threshold: float = DEFAULT_TITLE_THRESHOLD) -> tuple[NearPair, ...]:
    """Pairs of different papers whose abstracts reach cosine `threshold` or whose titles reach
    `title_threshold`: candidates for a merge the catalog missed. Most alike abstracts first, then most
    alike titles, then by ids. The result depends only on the set of papers, not on their order."""
    _check_thresholds(threshold, title_threshold)
    ordered = _in_id_order(papers)
    return _near_pairs(ordered, _vectorise_pairs_of(ordered), threshold, title_threshold)


def _check_thresholds(threshold: float, title_threshold: float) -> None:
    for name, value in (("threshold", threshold), ("title_threshold", title_threshold)):
        if not 0 < value <= 1:
            raise ValueError(f"{name} is {value}; expected a cosine similarity above 0 and at most 1")


def _near_pairs(papers: Sequence[PaperText], vectors: _Vectors | None, threshold: float,
                title_threshold: float) -> tuple[NearPair, ...]:
    if vectors is None:
        return ()
    ids = [paper.paper_id for paper in papers]
    codes = np.union1d(_pairs_at_least(vectors.title, title_threshold), _pairs_at_least(vectors.abstract, threshold))
    firsts, seconds = np.divmod(codes, len(papers))
    title_scores = _pair_scores(vectors.title, firsts, seconds)
    abstract_scores = _pair_scores(vectors.abstract, firsts, seconds)
    # Most alike abstracts first, then titles; a stable sort leaves equal pairs in row order, which is the
    # order of their ids (rows are in id order, and each pair's first row is the lower).
    order = np.lexsort((-title_scores, -abstract_scores))
    return tuple(map(NearPair, [ids[first] for first in firsts[order].tolist()],
                     [ids[second] for second in seconds[order].tolist()],
                     title_scores[order].tolist(), abstract_scores[order].tolist()))


def _pair_scores(matrix: sparse.csr_matrix, firsts: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    """Each pair's cosine, in batches of PAIR_VALUES_AT_ONCE: scoring all at once would hold a copy of both
    vectors of every pair (gigabytes for a million pairs, or for 10,000 pairs of 20 KB abstracts)."""
    stored = np.diff(matrix.indptr)
    chunks = [_pairs(matrix, firsts[batch], seconds[batch]).scores()
              for batch in _slices_within(np.arange(1, len(firsts) + 1), stored[firsts] + stored[seconds],
                                          PAIR_VALUES_AT_ONCE)]
    return np.concatenate(chunks) if chunks else np.zeros(0)


def _pairs_at_least(matrix: sparse.csr_matrix, threshold: float) -> np.ndarray:
    """The rows whose cosine reaches `threshold` where one is among the other's CANDIDATES_PER_PAPER most
    alike, as ascending _pair_codes: a cluster of near-duplicates is cut down, not listed as every pair of
    it (3,000 copies of one abstract would make 4.5 million pairs)."""
    if _exact_work(matrix) > EXACT_WORK_LIMIT:
        return _candidate_pairs_at_least(matrix, threshold)
    found = [np.zeros(0, dtype=np.int64)]  # a block may have no pair to batch
    split = _CommonTerms(matrix, threshold - CANDIDATE_SLACK)
    transposed = matrix.T.tocsr()
    copies = _Copies(matrix)
    stored = np.diff(matrix.indptr)
    for block in _row_blocks(len(copies.originals)):
        rows = copies.originals[block]
        partial = sparse.coo_matrix(split.prefixes[rows] @ transposed)
        firsts, seconds = rows[partial.row].astype(np.int64), partial.col.astype(np.int64)
        possible = ((partial.data + split.most_added(firsts, seconds) >= threshold - CANDIDATE_SLACK)
                    & (firsts != seconds))
        order = np.lexsort((seconds[possible], firsts[possible]))
        firsts, seconds = firsts[possible][order], seconds[possible][order]
        for batch in _whole_rows_within(firsts, stored[firsts] + stored[seconds], PAIR_VALUES_AT_ONCE):
            candidates = _pairs(matrix, firsts[batch], seconds[batch])
            # One more than a row needs: a copy of the row drops itself from the row's list.
            best = candidates.subset(_best_positions(candidates, CANDIDATES_PER_PAPER + 1, threshold))
            found.append(copies.best_pairs(best, CANDIDATES_PER_PAPER, threshold))
    return np.unique(np.concatenate(found))


class _Copies:
    """Rows with the same stored values, found so that only the first of them is multiplied with every row: the
    others have the same scores with every row, and 10,000 papers of one placeholder abstract took 18 s as
    100 million pairs to rank."""

    def __init__(self, matrix: sparse.csr_matrix) -> None:
        self._matrix = matrix
        stored = np.diff(matrix.indptr)
        # Rows can only be copies with the same number of values and the same weighted sum: few rows to compare.
        rows = np.repeat(np.arange(matrix.shape[0]), stored)
        signature = np.bincount(rows, weights=matrix.data * (matrix.indices + 1.0), minlength=matrix.shape[0])
        _, group, sizes = np.unique(np.column_stack((stored, signature)), axis=0, return_inverse=True,
                                    return_counts=True)
        first_row_by_values: dict[tuple[bytes, bytes], int] = {}
        self._copies_of: dict[int, list[int]] = collections.defaultdict(list)
        for row in np.flatnonzero((sizes[group.ravel()] > 1) & (stored > 0)).tolist():
            values = slice(matrix.indptr[row], matrix.indptr[row + 1])
            original = first_row_by_values.setdefault((matrix.indices[values].tobytes(),
                                                       matrix.data[values].tobytes()), row)
            if original != row:
                self._copies_of[original].append(row)
        self.originals = np.setdiff1d(np.arange(matrix.shape[0]),
                                      list(itertools.chain.from_iterable(self._copies_of.values())))

    def best_pairs(self, best: _Pairs, k: int, threshold: float) -> np.ndarray:
        """The _pair_codes of each row's k best pairs, copies' rows included, from the k + 1 best pairs of
        the originals among `best` (in _best_positions' order). A copy's list is its original's with the
        original in place of the copy itself."""
        ranks = _ranks_within_groups(best.firsts)
        codes = [_pair_codes(best.firsts[ranks < k], best.seconds[ranks < k], self._matrix.shape[0])]
        scores = best.scores()
        for original in np.unique(best.firsts).tolist():
            if original not in self._copies_of:
                continue
            mine = slice(*np.searchsorted(best.firsts, [original, original + 1]))
            listed = list(zip((-scores[mine]).tolist(), best.seconds[mine].tolist()))
            score = float(_pairs(self._matrix, np.array([original]), np.array([original])).scores()[0])
            if score > 0 and score >= threshold:
                listed.append((-score, original))
            for copy in self._copies_of[original]:
                others = [second for _, second in sorted(entry for entry in listed if entry[1] != copy)[:k]]
                codes.append(_pair_codes(np.full(len(others), copy), np.array(others, dtype=np.int64),
                                         self._matrix.shape[0]))
        return np.concatenate(codes)


def _whole_rows_within(firsts: np.ndarray, costs: np.ndarray, budget: int) -> Iterator[slice]:
    """Consecutive slices of pairs sorted by their first row, each holding every pair of its rows (_best_positions
    picks among a row's pairs) and costing at most `budget`, or one row's pairs if they alone cost more."""
    return _slices_within(np.append(np.flatnonzero(firsts[1:] != firsts[:-1]) + 1, len(firsts)), costs, budget)


def _slices_within(ends: np.ndarray, costs: np.ndarray, budget: int) -> Iterator[slice]:
    """Consecutive slices of `costs` that end at one of `ends` (ascending, the last len(costs)), each costing
    at most `budget`, or reaching only the next end if that alone costs more."""
    cost_before = np.concatenate([[0], np.cumsum(costs)])
    begin = 0
    while begin < len(costs):
        fitting = np.searchsorted(cost_before, cost_before[begin] + budget, side="right") - 1  # pairs begin..fitting
        later_ends = ends[ends > begin]
        within = later_ends[later_ends <= fitting]
        end = int(within[-1] if len(within) else later_ends[0])
        yield slice(begin, end)
        begin = end


def _candidate_pairs_at_least(matrix: sparse.csr_matrix, threshold: float) -> np.ndarray:
    """_pairs_at_least among each row's candidates from its strongest terms: where every word is common,
    too many pairs share a rare term for the bound to leave few."""
    found = []
    for candidates in _candidate_blocks(matrix, CANDIDATES_PER_PAPER):
        reached = candidates.scores() >= threshold
        found.append(_pair_codes(candidates.firsts[reached], candidates.seconds[reached], matrix.shape[0]))
    return np.unique(np.concatenate(found))


def _pair_codes(firsts: np.ndarray, seconds: np.ndarray, row_count: int) -> np.ndarray:
    """Each unordered pair of rows as one integer: lower * row_count + higher."""
    firsts, seconds = firsts.astype(np.int64), seconds.astype(np.int64)
    return np.minimum(firsts, seconds) * row_count + np.maximum(firsts, seconds)


class _CommonTerms:
    """Rows (of norm 1) split into a prefix and a rest: the rest is a row's most common terms, as many as
    together have a norm below `threshold`. Two rows whose cosine reaches `threshold` share a term of the
    first one's prefix, so the product of the prefixes with the rows finds every such pair while skipping
    most of the common words that make an all-pairs product quadratic."""

    def __init__(self, matrix: sparse.csr_matrix, threshold: float) -> None:
        frequency = np.bincount(matrix.indices, minlength=matrix.shape[1])
        rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
        # In each row, the most common terms first (equal frequency: lower column first, as a stable sort
        # leaves them: columns are sorted in each row). One integer key sorts ten times faster than lexsort.
        most = int(frequency.max(initial=0))
        order = np.argsort(rows * (most + 1) + (most - frequency[matrix.indices]), kind="stable")
        squares = np.cumsum(matrix.data[order].astype(np.float64) ** 2)
        in_rest = np.sqrt(squares - np.concatenate(([0.0], squares))[matrix.indptr[:-1]][rows]) < threshold
        self.prefixes = _rows_keeping(matrix, np.sort(order[~in_rest]))
        entry_squares = matrix.data[order].astype(np.float64) ** 2
        self._rest_norms = np.sqrt(np.bincount(rows[in_rest], weights=entry_squares[in_rest],
                                               minlength=matrix.shape[0]))
        # Frequencies in powers of two: a row's rest uses only terms of its rarest rest term's level or above.
        levels = np.log2(np.maximum(frequency[matrix.indices[order]], 1)).astype(np.int64)
        level_count = int(levels.max(initial=0)) + 1
        self._rest_levels = np.full(matrix.shape[0], level_count - 1)
        np.minimum.at(self._rest_levels, rows[in_rest], levels[in_rest])
        by_level = np.bincount(rows * level_count + levels, weights=entry_squares,
                               minlength=matrix.shape[0] * level_count).reshape(-1, level_count)
        # Each row's norm over the terms of a level or above.
        self._norms_from_level = np.sqrt(np.cumsum(by_level[:, ::-1], axis=1)[:, ::-1])

    def most_added(self, firsts: np.ndarray, seconds: np.ndarray) -> np.ndarray:
        """The most the rest of each first row can add to its score with the second: the rest's norm times
        the norm of the second row's terms at least as common as the rest's (Cauchy-Schwarz)."""
        return self._rest_norms[firsts] * self._norms_from_level[seconds, self._rest_levels[firsts]]


# ---------------------------------------------------------------------------------------------------------
# Vectors


def _vectorise(papers: Sequence[PaperText]) -> _Vectors:
    title_counts, abstract_counts, title_keys, abstract_keys, words = _term_counts(
        [paper.title for paper in papers], [paper.abstract for paper in papers])
    title, abstract = _tfidf(title_counts), _tfidf(abstract_counts)
    combined = sparse.hstack([math.sqrt(TITLE_WEIGHT) * title, math.sqrt(1 - TITLE_WEIGHT) * abstract],
                             format="csr")
    # A paper with an empty title or abstract gets all of its weight from the other one.
    combined = normalize(combined) if combined.shape[1] else combined
    # A term of one paper adds nothing to any pair: its columns go, after the vectors were normalised with
    # them, so every pair's score stays the same. Most terms (pairs of words) are such terms.
    shared = np.bincount(combined.indices, minlength=combined.shape[1]) > 1
    title_shared, abstract_shared = shared[:title.shape[1]], shared[title.shape[1]:]
    title, abstract, combined = title[:, title_shared], abstract[:, abstract_shared], combined[:, shared]
    for matrix in (title, abstract, combined):
        matrix.sort_indices()
    column_keys = np.concatenate((title_keys[title_shared], abstract_keys[abstract_shared]))
    term_keys = np.unique(column_keys)
    terms = tuple(_term_text(key, words) for key in term_keys.tolist())
    term_of_column = np.searchsorted(term_keys, column_keys)
    return _Vectors(title, abstract, combined, term_of_column, terms,
                    _common_words(combined, term_of_column, terms))


def _common_words(combined: sparse.csr_matrix, term_of_column: np.ndarray, terms: Sequence[str]) -> np.ndarray:
    """For each term: is it a single word that more than COMMON_WORD_SHARE of the papers use?"""
    uses = sparse.csr_matrix((np.ones_like(combined.data), term_of_column[combined.indices], combined.indptr),
                             shape=(combined.shape[0], len(terms)), copy=True)
    uses.sum_duplicates()
    papers_using = np.bincount(uses.indices, minlength=len(terms))
    single_word = np.array([" " not in term for term in terms], dtype=bool)
    return single_word & (papers_using > COMMON_WORD_SHARE * combined.shape[0])


def _tfidf(counts: sparse.csr_matrix) -> sparse.csr_matrix:
    """Row-normalised TF-IDF of term counts."""
    if not counts.shape[1]:
        return counts
    matrix = TfidfTransformer(sublinear_tf=True).fit_transform(counts).tocsr()
    matrix.sort_indices()
    return matrix


def _term_counts(titles: Sequence[str], abstracts: Sequence[str]
                 ) -> tuple[sparse.csr_matrix, sparse.csr_matrix, np.ndarray, np.ndarray, list[str]]:
    """How often each text uses each of its terms (see _terms), for titles and abstracts, with the key of
    each column (see _term_keys) in alphabetical order of the terms, and the words the keys number."""
    documents, keys, words = _term_keys([*titles, *abstracts])
    is_title = documents < len(titles)
    title_counts, title_keys = _counts(documents[is_title], keys[is_title], len(titles))
    abstract_counts, abstract_keys = _counts(documents[~is_title] - len(titles), keys[~is_title], len(abstracts))
    return title_counts, abstract_counts, title_keys, abstract_keys, words


def _counts(documents: np.ndarray, keys: np.ndarray, document_count: int) -> tuple[sparse.csr_matrix, np.ndarray]:
    column_keys, columns = _unique_with_inverse(keys)
    counts = sparse.csr_matrix((np.ones(len(keys), dtype=np.float32), (documents, columns)),
                               shape=(document_count, len(column_keys)))
    counts.sum_duplicates()
    return counts, column_keys


def _unique_with_inverse(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(keys, return_inverse=True), with a stable sort: numpy sorts integers stably in half the
    time, and unique keys are the same whatever the sort."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    is_first = np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1])) if len(keys) else np.zeros(0, bool)
    inverse = np.empty(len(keys), dtype=np.int64)
    inverse[order] = np.cumsum(is_first) - 1
    return sorted_keys[is_first], inverse


def _term_keys(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Every term of every text (see _terms) as (text number, key), and the sorted words of the keys. A
    key numbers a term so that keys sort as the terms do: a word w is w * (words + 1), a pair of words v w
    is v * (words + 1) + w + 1 (a space sorts before any character of a word)."""
    chunks, chunks_per_text = _chunks_of(texts)
    # Texts repeat their chunks: each distinct chunk is split into words once.
    chunk_numbers: dict[str, int] = collections.defaultdict(itertools.count().__next__)
    chunk_ids = np.fromiter(map(chunk_numbers.__getitem__, chunks), dtype=np.int64, count=len(chunks))
    words_of_chunks, word_counts = _words_of_chunks(chunk_numbers)
    words = sorted(set(words_of_chunks) - {""})
    word_numbers = {word: number for number, word in enumerate(words)}
    # Word numbers of every chunk's words one after the other, -1 where a word is no term.
    chunk_words = np.fromiter((word_numbers.get(word, -1) for word in words_of_chunks), dtype=np.int64,
                              count=len(words_of_chunks))
    chunk_starts = np.cumsum(word_counts) - word_counts
    counts_here = word_counts[chunk_ids]
    sequence = chunk_words[np.repeat(chunk_starts[chunk_ids], counts_here) + _ranks_within_runs(counts_here)]
    texts_of_words = np.repeat(np.repeat(np.arange(len(texts)), chunks_per_text), counts_here)
    base = len(words) + 1
    is_word = sequence >= 0
    # Two words make a term where they are next to each other in one text.
    is_pair = is_word[:-1] & is_word[1:] & (texts_of_words[:-1] == texts_of_words[1:])
    keys = np.concatenate((sequence[is_word] * base, sequence[:-1][is_pair] * base + sequence[1:][is_pair] + 1))
    documents = np.concatenate((texts_of_words[is_word], texts_of_words[:-1][is_pair]))
    return documents, keys, words


def _chunks_of(texts: Sequence[str]) -> tuple[list[str], list[int]]:
    """The whitespace-separated chunks of every text ("model", "(LLMs),") one after the other, and how many
    each text has. No token spans whitespace, and splitting there is much faster than the token pattern.
    One flat list, not one per text: every list that lives on is scanned again by the garbage collector."""
    chunks: list[str] = []
    chunks_per_text: list[int] = []
    for text in texts:
        found = _clean(text).split()
        chunks.extend(found)
        chunks_per_text.append(len(found))
    return chunks, chunks_per_text


def _words_of_chunks(chunks: Iterable[str]) -> tuple[list[str], np.ndarray]:
    """The words of every chunk one after the other (see _words_of_chunk), and how many each chunk has."""
    words: list[str] = []
    word_counts: list[int] = []
    for chunk in chunks:
        found = _words_of_chunk(chunk)
        words.extend(found)
        word_counts.append(len(found))
    return words, np.array(word_counts, dtype=np.int64)


def _ranks_within_runs(lengths: np.ndarray) -> np.ndarray:
    """0, 1, ..., length - 1 for each of `lengths`, one after the other."""
    return np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)


def _term_text(key: int, words: Sequence[str]) -> str:
    first, second = divmod(key, len(words) + 1)
    return f"{words[first]} {words[second - 1]}" if second else words[first]


def _words_of_chunk(chunk: str) -> list[str]:
    """The words of the tokens of a chunk of text without whitespace, "" for each that is no term. Most
    chunks are one plain word (letters and digits only: one token)."""
    if chunk.isalnum():
        return _words_of_token(chunk)
    return [word for token in TOKEN.findall(chunk) for word in _words_of_token(token)]


def _words_of_token(token: str) -> list[str]:
    """The words of one token, "" for each that is no term: a punctuation mark, a bare number, a one-letter
    word or a stop word."""
    if "-" in token:
        return _hyphenated_words(token)
    return [token if len(token) > 1 and token not in STOP_WORDS and not token.isdigit() else ""]


def _hyphenated_words(token: str) -> list[str]:
    """"vision-language" -> ["vision", "language"]; "self-supervised" -> ["self-supervised"]."""
    words: list[str] = []
    for part in token.split("-"):
        if words and words[-1] in PREFIXES and part:
            words[-1] = f"{words[-1]}-{part}"
        else:
            words.append(part)
    return [word if len(word) > 1 and word not in STOP_WORDS and not word.isdigit() else "" for word in words]


def _clean(text: str) -> str:
    """Text as the vectoriser reads it: cut to size, entities decoded, markup and links gone, NFKC with
    dashes as hyphens, casefolded."""
    text = html.unescape(text[:MAX_READ_CHARS])
    text = LINK.sub(" ", TAG.sub(" ", text))
    return nfkc_with_hyphens(text).casefold()
