"""Related passages across sources: TF-IDF cosine over sparse vectors, top matches above a threshold."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .model import Link, Passage
from .text import STOPWORDS, stem, words

THRESHOLD = 0.1
"""Minimum cosine similarity for a passage of another source to count as related."""
TOP = 3
"""At most this many related passages are listed per passage."""
MAX_DF = 0.2
"""Terms found in more than this share of passages (once there are many) carry no signal and are dropped."""
BLOCK = 512
"""Rows scored at once: bounds memory to BLOCK x passages floats."""


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
    """Row-normalised TF-IDF matrix (passages x vocabulary), vocabulary in sorted order."""
    texts = [p.text for p in passages]
    docs = [terms(t) for t in texts]  # once, not once per pass
    return vectors(fit(texts, docs), texts, docs)


def related(passages: tuple[Passage, ...], threshold: float = THRESHOLD, top: int = TOP) -> dict[str, tuple[Related, ...]]:
    """For every passage, the most similar passages of other sources (ties broken by reading order)."""
    if not passages:
        return {}
    matrix = tfidf(passages)
    source_index = {sid: k for k, sid in enumerate(sorted({p.source for p in passages}))}
    owner = np.array([source_index[p.source] for p in passages])
    out: dict[str, tuple[Related, ...]] = {}
    for start in range(0, len(passages), BLOCK):
        block = (matrix[start:start + BLOCK] @ matrix.T).toarray()
        block[owner[start:start + BLOCK, None] == owner[None, :]] = 0.0
        rounded = np.round(block, 6)
        # The top-th best score of each row (or the threshold): only entries at or above it can be picked,
        # so only they are sorted (sorting every full row cost P log P per passage).
        k = min(top, block.shape[1])
        floor = np.maximum(np.partition(rounded, -k, axis=1)[:, -k], threshold)
        rows, cols = np.nonzero(rounded >= floor[:, None])
        ranked = np.lexsort((cols, -rounded[rows, cols], rows))  # by row, then best score, then reading order
        rows, cols = rows[ranked], cols[ranked]
        rank = np.arange(len(rows)) - np.searchsorted(rows, rows)  # position within its row
        keep = (rank < top) & (block[rows, cols] >= threshold)
        picks: dict[int, list[Related]] = {}
        for i, j, score in zip(rows[keep].tolist(), cols[keep].tolist(), block[rows[keep], cols[keep]].tolist()):
            picks.setdefault(i, []).append(Related(passages[j].id, round(score, 3)))
        for i in range(block.shape[0]):
            out[passages[start + i].id] = tuple(picks.get(i, ()))
    return out


def related_links(found: dict[str, tuple[Related, ...]]) -> tuple[Link, ...]:
    """`related` links for dossier.json, in passage order."""
    return tuple(Link(pid, r.passage, "related", None) for pid, rs in found.items() for r in rs)
