"""Related passages across sources: TF-IDF cosine over sparse vectors, top matches above a threshold.

Candidates come from an inverted index in which each passage looks up only its rarest terms, and each term
keeps only the passages where it weighs most: a bounded number of candidates per passage, whatever the
number of passages, each then scored exactly (see `candidates`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # imported where used: importing SciPy imports numpy.f2py, which fails on a malformed
    from scipy import sparse  # SOURCE_DATE_EPOCH before the build can report it (config.py)

from ..model import Link, Passage
from ..text import STOPWORDS, WORD_RE, stem, words

THRESHOLD = 0.1
"""Minimum cosine similarity for a passage of another source to count as related."""
TOP = 3
"""At most this many related passages are listed per passage."""
MAX_DF = 0.2
"""Terms found in more than this share of passages (once there are many) carry no signal and are dropped."""
BLOCK = 512
"""Rows scored at once: bounds memory to BLOCK x the candidates of a row."""
LOOKUPS = 1024
"""A passage looks for candidates through its terms, the rarest (fewest passages) first, until it has looked up this
many postings: all its terms in a corpus of a few hundred passages, a few dozen of its rarest in a large one."""
POSTING = 64
"""A term leads to at most this many passages, those where it weighs most (then in reading order)."""
SHORTLIST = 30
"""Candidates per passage scored exactly: the best by their score over the probed terms."""
PAIRS = 100_000
"""Pairs scored at once (bounds memory)."""


@dataclass(frozen=True)
class Related:
    """A passage of another source similar to a given passage."""

    passage: str
    """Global id of the related passage."""
    score: float
    """Cosine similarity, rounded to 3 places."""


def terms(text: str) -> list[str]:
    """Stemmed content words of a passage (numbers included: figures are good evidence)."""
    return [t for t in map(_term, WORD_RE.findall(text)) if t]


@lru_cache(maxsize=1 << 17)
def _term(token: str) -> str:
    """A word's term as `words` writes it and `stem` cuts it, or "" if it is no content word. Cached: a vocabulary is
    much smaller than a corpus, and every occurrence then shares one string."""
    word = words(token)[0]
    return stem(word) if word not in STOPWORDS and len(word) > 2 else ""


@dataclass(frozen=True)
class Space:
    """Vocabulary and term weights learnt from the passages, to place any text among them."""

    vocab: dict
    """Term -> column, in sorted order of terms."""
    idf: dict
    """Term -> inverse document frequency weight."""


def fit(texts: list[str], docs: list[list[str]] | None = None) -> Space:
    """Vocabulary (without terms too common to carry signal) and IDF weights of `texts` (whose `terms` may be given)."""
    docs = [terms(t) for t in texts] if docs is None else docs
    df: dict[str, int] = {}
    for doc in docs:
        for t in set(doc):
            df[t] = df.get(t, 0) + 1
    n = len(docs)
    limit = max(MAX_DF * n, 20)
    vocab = {t: i for i, t in enumerate(sorted(t for t, c in df.items() if c <= limit))}
    return Space(vocab, {t: np.log((1 + n) / (1 + df[t])) + 1 for t in vocab})


def vectors(space: Space, texts: list[str], docs: list[list[str]] | None = None) -> sparse.csr_matrix:
    """Row-normalised TF-IDF matrix (texts x vocabulary); terms outside the vocabulary are ignored."""
    from scipy import sparse

    docs = [terms(t) for t in texts] if docs is None else docs
    width, column = len(space.vocab), space.vocab.get
    # Every term's column (-1 outside the vocabulary) in one typed array, counted per (row, column) by NumPy: no
    # Python object per entry, and no loop of Python over the entries.
    cols = np.fromiter((column(t, -1) for doc in docs for t in doc), dtype=np.int64, count=sum(map(len, docs)))
    rows = np.repeat(np.arange(len(docs), dtype=np.int64), [len(doc) for doc in docs])
    known = cols >= 0
    cells, counts = np.unique(rows[known] * width + cols[known], return_counts=True)  # in row, then column order
    rows, cols = np.divmod(cells, max(width, 1))
    idf = np.fromiter(space.idf.values(), dtype=np.float64, count=width)  # in column order, as the vocabulary
    vals = (1 + np.log(counts.astype(np.float64))) * idf[cols]
    matrix = sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), width), dtype=np.float64)
    norms = np.sqrt(matrix.multiply(matrix).sum(axis=1)).A1
    norms[norms == 0] = 1.0
    return sparse.diags(1 / norms) @ matrix


def tfidf(passages: tuple[Passage, ...]) -> sparse.csr_matrix:
    """Row-normalised TF-IDF matrix (passages x vocabulary), vocabulary in sorted order, columns sorted in each row."""
    texts = [p.text for p in passages]
    docs = [terms(t) for t in texts]  # once, not once per pass
    matrix = vectors(fit(texts, docs), texts, docs)
    matrix.sort_indices()  # a fixed order of summation: a score is the same float however it is computed
    return matrix


def pair_scores(matrix: sparse.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Cosine of each pair (rows[k], cols[k]), bit for bit as `matrix @ matrix.T` computes it.

    The products of the shared terms are summed one at a time in column order, as the sparse product
    does (NumPy's own sums pair the terms up and would differ in the last bit).
    """
    out = np.zeros(len(rows))
    for at in range(0, len(rows), PAIRS):
        both = matrix[rows[at:at + PAIRS]].multiply(matrix[cols[at:at + PAIRS]]).tocsr()
        both.sort_indices()
        lengths, acc = np.diff(both.indptr), out[at:at + PAIRS]
        for k in range(int(lengths.max(initial=0))):
            live = np.nonzero(lengths > k)[0]
            acc[live] += both.data[both.indptr[live] + k]
    return out


def top_per_row(rows: np.ndarray, cols: np.ndarray, scores: np.ndarray, top: int) -> np.ndarray:
    """Positions of each row's `top` best pairs: best score rounded to 6 places first, then reading order."""
    ranked = np.argsort(_rank_keys(rows, cols, scores))  # (row, column) pairs are distinct: so are the keys
    rank = np.arange(len(ranked)) - np.searchsorted(rows[ranked], rows[ranked])  # position within its row
    return ranked[rank < top]


def _rank_keys(rows: np.ndarray, cols: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """One integer per pair, ordered as (row, score rounded to 6 places highest first, column) are: one sort of one key
    instead of a sort of three."""
    if not len(rows):
        return np.zeros(0, dtype=np.int64)
    rows, cols = rows.astype(np.int64), cols.astype(np.int64)  # the key's products would wrap in a narrower type
    millionths = np.rint(scores * 10**6).astype(np.int64)  # as np.round(scores, 6) rounds them
    best, depth = int(millionths.max()), int(millionths.max() - millionths.min()) + 1
    first, width = int(rows.min()), int(cols.max()) + 1
    if (int(rows.max()) - first + 1) * depth * width >= 2**62:  # past what an int64 holds: the three keys' ranks
        keys = np.empty(len(rows), dtype=np.int64)
        keys[np.lexsort((cols, best - millionths, rows))] = np.arange(len(rows))
        return keys
    return ((rows - first) * depth + (best - millionths)) * width + cols


def ranked_within(groups: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Each entry's rank within its group, entries taken in `order` (which lists each group's entries together)."""
    sorted_groups = groups[order]
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order)) - np.searchsorted(sorted_groups, sorted_groups)
    return rank


@dataclass(frozen=True, eq=False)
class Index:
    """The passages' TF-IDF matrix and the bounded inverted index the candidate search reads, computed once."""

    matrix: sparse.csr_matrix
    owner: np.ndarray
    """Source of each passage (a number)."""
    probes: sparse.csr_matrix
    """The matrix with each row cut to its rarest terms, within LOOKUPS look-ups (ties: the term's column)."""
    postings: sparse.csr_matrix
    """Terms x passages: each term's POSTING passages of highest weight (ties: reading order)."""

    @classmethod
    def of(cls, passages: tuple[Passage, ...]) -> "Index":
        from scipy import sparse

        matrix = tfidf(passages)
        source_index = {sid: k for k, sid in enumerate(sorted({p.source for p in passages}))}
        rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
        cols, weights = matrix.indices, matrix.data
        df = np.bincount(cols, minlength=matrix.shape[1])
        # Each passage probes its terms rarest first while its look-ups stay within LOOKUPS (a term of one
        # passage leads nowhere and costs nothing).
        order = np.lexsort((cols, df[cols], rows))
        cost = np.minimum(df[cols[order]] - 1, POSTING)
        spent = np.cumsum(cost) - cost  # look-ups before this term, counted from the first row...
        spent -= spent[np.searchsorted(rows[order], rows[order])]  # ...then from its own row's first term
        probe = np.zeros(len(cols), dtype=bool)
        probe[order] = (spent < LOOKUPS) & (cost > 0)
        probes = sparse.csr_matrix((weights[probe], (rows[probe], cols[probe])), shape=matrix.shape)
        post = ranked_within(cols, np.lexsort((rows, -weights, cols))) < POSTING
        postings = sparse.csr_matrix((weights[post], (cols[post], rows[post])), shape=matrix.shape[::-1])
        return cls(matrix, np.array([source_index[p.source] for p in passages]), probes, postings)


def candidates(index: Index, start: int, stop: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, column, exact score) of each passage of `start:stop` with its shortlist of passages of other sources.

    A passage's candidates are the passages its rarest terms lead to in the bounded postings, ranked by their
    score over those terms; the first SHORTLIST are scored exactly. Each passage thus costs about LOOKUPS
    look-ups, however many passages share its words (in the benchmark's corpus every paragraph has near-copies
    in a fiftieth of the sources). Where no term of a passage is in more than POSTING passages and all its terms
    fit in LOOKUPS look-ups, every passage sharing a term with it is a candidate, so the best are found exactly
    (SHORTLIST is well above TOP: the probed score is the full score there, up to the order of summation).
    """
    part = (index.probes[start:stop] @ index.postings).tocoo()
    r, c, v = part.row.astype(np.int64), part.col.astype(np.int64), part.data
    other = index.owner[start + r] != index.owner[c]
    r, c, v = r[other], c[other], v[other]
    short = top_per_row(r, c, v, SHORTLIST)
    rows, cols = start + r[short], c[short]
    return rows, cols, pair_scores(index.matrix, rows, cols)


def related(passages: tuple[Passage, ...], threshold: float = THRESHOLD, top: int = TOP) -> dict[str, tuple[Related, ...]]:
    """For every passage, the most similar passages of other sources found among its candidates, best first.

    Scores are exact cosines (bit for bit those of `matrix @ matrix.T`), at or above `threshold`; ties are
    broken by reading order. Which passages are scored is bounded per passage (see `candidates`).
    """
    if not passages:
        return {}
    index = Index.of(passages)
    out: dict[str, tuple[Related, ...]] = {p.id: () for p in passages}
    for start in range(0, len(passages), BLOCK):
        rows, cols, scores = candidates(index, start, min(start + BLOCK, len(passages)))
        picked = top_per_row(rows, cols, scores, top)
        picked = picked[scores[picked] >= threshold]
        picks: dict[int, list[Related]] = {}
        for i, j, score in zip(rows[picked].tolist(), cols[picked].tolist(), scores[picked].tolist()):
            picks.setdefault(i, []).append(Related(passages[j].id, round(score, 3)))
        for i, found in picks.items():
            out[passages[i].id] = tuple(found)
    return out


def related_links(found: dict[str, tuple[Related, ...]]) -> tuple[Link, ...]:
    """`related` links for dossier.json, in passage order."""
    return tuple(Link(pid, r.passage, "related", None) for pid, rs in found.items() for r in rs)
