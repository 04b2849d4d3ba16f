"""Related passages across sources: TF-IDF cosine over sparse vectors, top matches above a threshold."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # imported where used: importing SciPy imports numpy.f2py, which fails on a malformed
    from scipy import sparse  # SOURCE_DATE_EPOCH before the build can report it (config.py)

from ..model import Link, Passage
from ..text import STOPWORDS, stem, words

THRESHOLD = 0.1
"""Minimum cosine similarity for a passage of another source to count as related."""
TOP = 3
"""At most this many related passages are listed per passage."""
MAX_DF = 0.2
"""Terms found in more than this share of passages (once there are many) carry no signal and are dropped."""
BLOCK = 512
"""Rows scored at once: bounds memory to BLOCK x passages floats."""
RARE_DF = 1.5
"""Terms in more than RARE_DF x the square root of the number of passages (and more than 20) are `frequent`
for the bound that skips pairs (see `candidates`): a matter of speed only, never of the result. The product
over rare terms then costs at most about RARE_DF x sqrt(passages) x the number of term occurrences."""
SLACK = 2e-6
"""Margin below a row's floor: pairs are ranked by scores rounded to 6 places, so one 5e-7 under may still tie."""
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
    return [stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 2]


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

    rows, cols, counts, idf = [], [], [], []
    for r, text in enumerate(texts):
        found: dict[str, int] = {}
        for t in (terms(text) if docs is None else docs[r]):
            if t in space.vocab:
                found[t] = found.get(t, 0) + 1
        for t, c in sorted(found.items()):
            rows.append(r)
            cols.append(space.vocab[t])
            counts.append(c)
            idf.append(space.idf[t])
    vals = (1 + np.log(np.array(counts, dtype=np.float64))) * np.array(idf, dtype=np.float64)  # one call, not one per term
    matrix = sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(space.vocab)), dtype=np.float64)
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
    ranked = np.lexsort((cols, -np.round(scores, 6), rows))
    rank = np.arange(len(ranked)) - np.searchsorted(rows[ranked], rows[ranked])  # position within its row
    return ranked[rank < top]


@dataclass(frozen=True, eq=False)
class Index:
    """The passages' TF-IDF matrix and what the pruned search needs of it, computed once."""

    matrix: sparse.csr_matrix
    matrix_t: sparse.csr_matrix
    owner: np.ndarray
    """Source of each passage (a number)."""
    rare: sparse.csr_matrix
    """The matrix restricted to rare terms (see RARE_DF), and its transpose."""
    rare_t: sparse.csr_matrix
    spread: np.ndarray
    """Each passage's norm over the frequent terms."""
    by_spread: np.ndarray
    """Passages in order of decreasing spread."""

    @classmethod
    def of(cls, passages: tuple[Passage, ...]) -> "Index":
        matrix = tfidf(passages)
        source_index = {sid: k for k, sid in enumerate(sorted({p.source for p in passages}))}
        df = np.bincount(matrix.indices, minlength=matrix.shape[1])
        frequent = df > max(20, int(RARE_DF * math.sqrt(len(passages))))
        rare = matrix[:, np.nonzero(~frequent)[0]].tocsr()
        spread = np.sqrt(np.asarray(matrix[:, np.nonzero(frequent)[0]].power(2).sum(axis=1)).ravel())
        return cls(matrix, matrix.T.tocsr(), np.array([source_index[p.source] for p in passages]), rare,
                   rare.T.tocsr(), spread, np.argsort(-spread, kind="stable"))


def candidates(index: Index, start: int, stop: int, threshold: float, top: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, column, exact score) of every pair of passages `start:stop` x all that can be among a row's best.

    A score is the part over rare terms plus the part over frequent ones, and the second is at most the
    product of the two passages' norms over frequent terms (`spread`, Cauchy-Schwarz). Exact scores of each
    row's likeliest pairs give a score its `top` best reach (`floor`); a pair whose bound is below it cannot
    be among them. Pairs with no rare term in common can reach it only with passages whose `spread` is
    high enough: the first of the passages in order of `spread`. A row for which those are many is scored
    against every passage. For passages that largely repeat each other (the benchmark's synthetic corpus)
    that leaves a small part of all pairs to score. The result is exact.
    """
    matrix, owner, spread, by_spread = index.matrix, index.owner, index.spread, index.by_spread
    n = matrix.shape[0]
    part = (index.rare[start:stop] @ index.rare_t).tocoo()
    r, c, v = part.row.astype(np.int64), part.col.astype(np.int64), part.data
    other = owner[start + r] != owner[c]
    r, c = r[other], c[other]
    bound = v[other] + spread[start + r] * spread[c]
    likely = top_per_row(r, c, bound, 2 * top)
    exact = pair_scores(matrix, start + r[likely], c[likely])
    floor = np.full(stop - start, threshold)
    best = top_per_row(r[likely], c[likely], exact, top)
    nth = np.bincount(r[likely][best], minlength=stop - start) == top  # rows with `top` scored pairs
    ranked = np.lexsort((exact[best], r[likely][best]))  # lowest kept score of each row first
    lowest = exact[best][ranked][np.searchsorted(r[likely][best][ranked], np.nonzero(nth)[0])]
    floor[nth] = np.maximum(lowest, threshold)
    floor -= SLACK
    # Pairs without a rare term in common: only the passages of highest spread can reach the floor.
    mine = spread[start:stop]
    need = np.divide(floor, mine, out=np.full(stop - start, np.inf), where=mine > 0)
    reach = np.searchsorted(-spread[by_spread], -need, side="right")
    everywhere = reach > n // 8
    keep = ~everywhere[r] & (bound >= floor[r])
    rows, cols = r[keep], c[keep]
    few = np.nonzero(~everywhere & (reach > 0))[0]
    if len(few):
        more_rows = np.repeat(few, reach[few])
        more_cols = by_spread[np.arange(len(more_rows)) - np.repeat(np.cumsum(reach[few]) - reach[few], reach[few])]
        mate = owner[start + more_rows] != owner[more_cols]
        rows, cols = np.concatenate((rows, more_rows[mate])), np.concatenate((cols, more_cols[mate]))
        pair = np.unique(rows * n + cols)
        rows, cols = pair // n, pair % n
    rows += start
    found = [(rows, cols, pair_scores(matrix, rows, cols))]
    if everywhere.any():
        full = start + np.nonzero(everywhere)[0]
        block = (matrix[full] @ index.matrix_t).toarray()
        block[owner[full, None] == owner[None, :]] = -1.0
        i, j = np.nonzero(block >= floor[everywhere][:, None])
        found.append((full[i], j, block[i, j]))
    return tuple(np.concatenate(x) for x in zip(*found))


def related(passages: tuple[Passage, ...], threshold: float = THRESHOLD, top: int = TOP) -> dict[str, tuple[Related, ...]]:
    """For every passage, the most similar passages of other sources (ties broken by reading order).

    Exactly the `top` best cosines of the full product `matrix @ matrix.T` (same-source pairs left
    out) at or above `threshold`, best first; computed without scoring the pairs that cannot be among them.
    """
    if not passages:
        return {}
    index = Index.of(passages)
    out: dict[str, tuple[Related, ...]] = {p.id: () for p in passages}
    for start in range(0, len(passages), BLOCK):
        rows, cols, scores = candidates(index, start, min(start + BLOCK, len(passages)), threshold, top)
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
