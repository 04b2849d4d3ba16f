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


def tfidf(passages: tuple[Passage, ...]) -> sparse.csr_matrix:
    """Row-normalised TF-IDF matrix (passages x vocabulary), vocabulary in sorted order."""
    docs = [terms(p.text) for p in passages]
    df: dict[str, int] = {}
    for doc in docs:
        for t in set(doc):
            df[t] = df.get(t, 0) + 1
    n = len(docs)
    limit = max(MAX_DF * n, 20)
    vocab = {t: i for i, t in enumerate(sorted(t for t, c in df.items() if c <= limit))}
    rows, cols, vals = [], [], []
    for r, doc in enumerate(docs):
        counts: dict[str, int] = {}
        for t in doc:
            if t in vocab:
                counts[t] = counts.get(t, 0) + 1
        for t, c in sorted(counts.items()):
            rows.append(r)
            cols.append(vocab[t])
            vals.append((1 + np.log(c)) * (np.log((1 + n) / (1 + df[t])) + 1))
    matrix = sparse.csr_matrix((vals, (rows, cols)), shape=(n, len(vocab)), dtype=np.float64)
    norms = np.sqrt(matrix.multiply(matrix).sum(axis=1)).A1
    norms[norms == 0] = 1.0
    return sparse.diags(1 / norms) @ matrix


def related(passages: tuple[Passage, ...], threshold: float = THRESHOLD, top: int = TOP) -> dict[str, tuple[Related, ...]]:
    """For every passage, the most similar passages of other sources (ties broken by reading order)."""
    if not passages:
        return {}
    matrix = tfidf(passages)
    source_ids = sorted({p.source for p in passages})
    owner = np.array([source_ids.index(p.source) for p in passages])
    out: dict[str, tuple[Related, ...]] = {}
    for start in range(0, len(passages), BLOCK):
        block = (matrix[start:start + BLOCK] @ matrix.T).toarray()
        block[owner[start:start + BLOCK, None] == owner[None, :]] = 0.0
        for i, scores in enumerate(block):
            order = np.lexsort((np.arange(len(scores)), -np.round(scores, 6)))[:top]
            picks = [Related(passages[j].id, round(float(scores[j]), 3)) for j in order if scores[j] >= threshold]
            out[passages[start + i].id] = tuple(picks)
    return out


def related_links(found: dict[str, tuple[Related, ...]]) -> tuple[Link, ...]:
    """`related` links for dossier.json, in passage order."""
    return tuple(Link(pid, r.passage, "related", None) for pid, rs in found.items() for r in rs)
