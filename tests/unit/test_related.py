"""Related passages: scores bit for bit those of scoring every pair; exactly the best matches wherever the bounded
candidate search does not cut (few passages per term), nearly the best where it does; bounded work per passage."""

from __future__ import annotations

import random

import numpy as np
import pytest

from build_dossier.analyse import related as rel
from build_dossier.model import Passage
from build_dossier.pipeline import gather
from support import copy_project


def brute_force(passages: tuple[Passage, ...], threshold: float = rel.THRESHOLD, top: int = rel.TOP) -> dict:
    """Every pair scored (`matrix @ matrix.T`, dense), same source left out, best rounded score then reading order."""
    matrix = rel.tfidf(passages)
    scores = (matrix @ matrix.T).toarray()
    out = {}
    for i, p in enumerate(passages):
        ranked = sorted((j for j, q in enumerate(passages) if q.source != p.source),
                        key=lambda j: (-round(float(scores[i, j]), 6), j))
        out[p.id] = tuple((passages[j].id, round(float(scores[i, j]), 3)) for j in ranked[:top] if scores[i, j] >= threshold)
    return out


def found(passages: tuple[Passage, ...], threshold: float = rel.THRESHOLD, top: int = rel.TOP) -> dict:
    return {pid: tuple((r.passage, r.score) for r in rs) for pid, rs in rel.related(passages, threshold, top).items()}


def corpus(seed: int, sources: int, per_source: int) -> tuple[Passage, ...]:
    """Passages that, like the benchmark's corpus, largely repeat each other: shared paragraphs, lightly varied.

    A common vocabulary (terms in many passages), rarer words, verbatim copies (exact ties) and passages made
    only of common words (whose pairs the bound cannot rule out) are all present.
    """
    rng = random.Random(seed)
    common = [f"common{k}" for k in range(30)]
    rare = [f"word{k}" for k in range(2000)]
    originals = [" ".join(rng.choices(common, k=6) + rng.choices(rare, k=rng.randint(4, 30))) for _ in range(60)]
    out = []
    for s in range(sources):
        for n in range(1, per_source + 1):
            roll = rng.random()
            if roll < 0.3:
                text = rng.choice(originals)  # a verbatim copy
            elif roll < 0.4:
                text = " ".join(rng.choices(common, k=rng.randint(3, 12)))  # common words only
            elif roll < 0.45:
                text = "the of and"  # no indexed term at all
            else:
                words = rng.choice(originals).split()
                words[rng.randrange(len(words))] = rng.choice(rare)
                text = " ".join(words + rng.choices(rare, k=rng.randint(0, 3)))
            out.append(Passage(f"s{s:03d}", n, "paragraph", None, 0, len(text), text, n))
    return tuple(out)


@pytest.mark.slow  # seconds of work: the slow tier
@pytest.mark.parametrize("seed,sources,per_source", [(1, 3, 30), (2, 12, 60), (3, 40, 30)])
def test_search_without_cuts_equals_scoring_every_pair(seed, sources, per_source, monkeypatch):
    passages = corpus(seed, sources, per_source)  # up to 1,200 passages: several blocks of rows
    monkeypatch.setattr(rel, "POSTING", len(passages))  # every passage of every term...
    monkeypatch.setattr(rel, "LOOKUPS", len(passages) * 100)  # ...through every term of a passage
    monkeypatch.setattr(rel, "SHORTLIST", len(passages))
    expected = brute_force(passages)
    assert found(passages) == expected
    assert sum(map(len, expected.values())) > len(passages)  # not trivially empty
    assert found(passages, 0.5, 5) == brute_force(passages, 0.5, 5)


@pytest.mark.slow
def test_cut_search_lists_exact_scores_close_to_the_best():
    passages = corpus(3, 40, 30)  # terms in hundreds of passages: the postings and the look-ups are cut
    matrix = rel.tfidf(passages)
    assert np.bincount(matrix.indices).max() > rel.POSTING
    scores = (matrix @ matrix.T).toarray()
    at = {p.id: k for k, p in enumerate(passages)}
    got, best = found(passages), brute_force(passages)
    for pid, links in got.items():
        for other, score in links:  # each link: another source, its exact score, best first, over the threshold
            assert other.rsplit("-", 1)[0] != pid.rsplit("-", 1)[0]
            assert score == round(float(scores[at[pid], at[other]]), 3) >= rel.THRESHOLD
        assert [s for _, s in links] == sorted((s for _, s in links), reverse=True)
        assert bool(links) == bool(best[pid])  # a passage with a match over the threshold gets one
    total = sum(s for links in got.values() for _, s in links)
    assert total >= 0.98 * sum(s for links in best.values() for _, s in links)
    assert sum(got[p] == best[p] for p in got) >= 0.6 * len(got)


def test_work_per_passage_is_bounded_whatever_the_number_of_sources():
    """A passage's look-ups and exactly scored candidates do not grow with the corpus (no quadratic work)."""
    most = []
    for sources in (20, 80):
        index = rel.Index.of(corpus(6, sources, 30))
        lookups = (index.probes @ index.postings).getnnz(axis=1)
        assert lookups.max() <= rel.LOOKUPS + rel.POSTING  # the last term probed may pass the budget
        rows, _, _ = rel.candidates(index, 0, index.matrix.shape[0])
        most.append(np.bincount(rows).max())
    assert most[0] == most[1] == rel.SHORTLIST  # full shortlists at both sizes, never longer


def test_pair_scores_are_the_product_bit_for_bit():
    passages = corpus(4, 10, 40)
    matrix = rel.tfidf(passages)
    product = (matrix @ matrix.T).toarray()
    rows, cols = np.nonzero(product)
    assert np.array_equal(rel.pair_scores(matrix, rows, cols), product[rows, cols])


def test_edge_cases_one_source_empty_texts_fewer_passages_than_top():
    one = corpus(5, 1, 20)
    assert found(one) == {p.id: () for p in one}
    tiny = tuple(Passage(s, 1, "paragraph", None, 0, 9, "word1 word2", 1) for s in ("a", "b"))
    assert found(tiny) == brute_force(tiny) == {"a-p1": (("b-p1", 1.0),), "b-p1": (("a-p1", 1.0),)}
    assert rel.related(()) == {}


def test_the_articles_related_passages_equal_scoring_every_pair(tmp_path):
    passages = gather(copy_project(tmp_path / "p"))[0].passages()
    expected = brute_force(passages)
    assert found(passages) == expected and sum(map(len, expected.values())) > 20


@pytest.mark.parametrize("seed", range(20))
def test_ranking_by_one_key_orders_as_the_three_keys(seed):
    """Each row's pairs best score (rounded to 6 places) first, then reading order — as a sort of the three keys,
    ties of rounding, scores past 1 and rows too far apart for one integer key included."""
    rng = np.random.default_rng(seed)
    pairs = np.unique(rng.integers(0, 40, 800) * 1000 + rng.integers(0, 600, 800))
    rows, cols = pairs // 1000 * (10**13 if seed % 4 == 0 else 1), pairs % 1000
    scores = rng.choice([0.0, 0.1, 0.3333333, 0.3333334, 0.1234565, 0.1234575, 0.5, 1.0, 1.0000004], len(pairs))
    scores = scores + rng.normal(0, 1e-7, len(pairs)) * (seed % 2)
    perm = rng.permutation(len(pairs))
    rows, cols, scores = rows[perm], cols[perm], scores[perm]
    three_keys = np.lexsort((cols, -np.round(scores, 6), rows))
    assert np.array_equal(np.argsort(rel._rank_keys(rows, cols, scores)), three_keys)
    kept = rel.top_per_row(rows, cols, scores, 3)
    assert np.array_equal(kept, three_keys[(np.arange(len(pairs)) - np.searchsorted(rows[three_keys],
                                                                                     rows[three_keys])) < 3])
