"""`build-dossier suggest`: debates a source's passages probably join, and candidate new debates.

Both use a TF-IDF space fitted on every passage of the dossier, over Snowball stems (analyse/cues.py),
so that `sanctions` meets `sanctioned`:

- an existing debate is represented by its positions' quotes, the centroid of their passages and its
  question (QUESTION_WEIGHT); a passage's score for it is the cosine of its best sentence
  (a passage makes a point in one sentence, and the rest of it would only dilute the match);
- a candidate new debate is a passage of the source whose cosine with passages of other sources
  that no debate uses yet is at least NEW_MIN.

Debates the source already joins and proposals the editor rejected (`rejected:` in the ledger) are left
out; proposals not reviewed yet are not (the suggestions stay the same once written: `--write` adds
only those the ledger does not hold). Each suggestion has for its quote a sentence of the passage,
verbatim, checked to stand in exactly one passage. Stances, questions and relations are left for the
editor: printed as ledger YAML to paste, or written into the ledger as proposals (`--write`, ledger.py)
that `build-dossier review` walks.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # see related.py
    from scipy import sparse

from ..analyse.claims import find
from ..analyse.cues import stem
from ..analyse.related import fit, vectors
from ..ingest.yamlio import quoted
from ..model import TOPICS, Claim, Dossier, Passage, Position
from ..text import STOPWORDS, sentences, slugify, unique, words

JOIN_MIN = 0.06
"""Minimum score for a debate to be suggested (the cosine of the passage's best sentence with the debate).
Holding out each position of the seed ledger, its debate scores at least this for its source in 91% of
cases, while 44% of the debates the source takes no part in do (tests/suggest_recall.py)."""
QUESTION_WEIGHT = 0.75
"""The question's weight in a debate's profile, next to its quotes' and its passages' (1 each). Less than theirs:
it was written with every position in view, so held out of the ledger a position still leaves its words in
the question, which flatters the question on the ledger more than on a new article (docs/about/ledgers.md)."""
JOIN_TOP = 5
"""At most this many existing debates per source."""
NEW_MIN = 0.08
"""Minimum passage cosine for a candidate new debate (about the top 0.3% of cross-source passage pairs
of the seed dossier)."""
NEW_TOP = 5
"""At most this many candidate new debates per source."""
MIN_QUOTE_WORDS = 6
"""Shorter sentences are quoted only when the passage has no longer one."""
TODO_STANCE = "TODO: a few words"
RELATION_HELP = "each one of: agrees, disputes, qualifies, differs-in-figures"


@dataclass(frozen=True)
class Pick:
    """A passage put forward for a position, with the sentence to quote from it."""

    passage: Passage
    quote: str
    """A sentence of the passage, verbatim (whitespace collapsed), found in no other passage of its source."""
    score: float
    """Similarity that selected the passage, rounded to 3 places."""


@dataclass(frozen=True)
class Join:
    """An existing debate the source probably joins."""

    claim: Claim
    pick: Pick
    nearest: Position
    """The debate's position most similar to the picked passage."""


@dataclass(frozen=True)
class NewDebate:
    """Passages of several sources that say something about the same thing, in no debate yet."""

    id: str
    """A unique slug made of the terms the passages share most; meant to be renamed."""
    topics: tuple[str, ...]
    picks: tuple[Pick, ...]
    """The source's passage first, then at most one passage per other source, best first."""


@dataclass(frozen=True)
class Suggestions:
    """Everything `suggest` has for one source."""

    source: str
    passages: int
    joins: tuple[Join, ...]
    new: tuple[NewDebate, ...]


def targets(dossier: Dossier) -> tuple[str, ...]:
    """Sources without a position or a proposal in any debate (typically those just added), in id order."""
    taking_part = {pos.source for claim in dossier.claims + dossier.proposed
                   for pos in claim.positions + claim.proposed}
    return tuple(sorted(seg.source.id for seg in dossier.sources if seg.source.id not in taking_part))


def terms(text: str) -> list[str]:
    """Snowball stems of the content words of a text (numbers included: figures are good evidence), then each
    pair of neighbouring ones (`joint exercis`): a shared phrase is better evidence than two shared words."""
    stems = [stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 2]
    return stems + [f"{a} {b}" for a, b in zip(stems, stems[1:])]


class _Space:
    """The dossier's passages and their sentences as sparse TF-IDF rows, and any text placed among them."""

    def __init__(self, dossier: Dossier):
        self.passages = dossier.passages()
        self.row = {p.id: i for i, p in enumerate(self.passages)}
        texts = [p.text for p in self.passages]
        docs = [terms(t) for t in texts]  # once for the vocabulary and the vectors
        self.space = fit(texts, docs)
        self.matrix = vectors(self.space, texts, docs)
        self.terms = sorted(self.space.vocab, key=self.space.vocab.get)
        """Vocabulary terms by column."""
        self.known: dict[str, np.ndarray] = {}
        """Dense rows of the questions and quotes seen so far."""
        self.split: dict[tuple[str, ...], tuple[sparse.csr_matrix, np.ndarray]] = {}
        """Sentence rows of the passages of the sources seen so far."""

    def rows(self, passages) -> sparse.csr_matrix:
        return self.matrix[[self.row[p if isinstance(p, str) else p.id] for p in passages]]

    def dense(self, passages) -> np.ndarray:
        """Dense rows, for a handful of passages only."""
        return self.rows(passages).toarray()

    def vec_sparse(self, texts: list[str]) -> sparse.csr_matrix:
        return vectors(self.space, texts, [terms(t) for t in texts])

    def vec(self, texts: list[str]) -> np.ndarray:
        return self.vec_sparse(texts).toarray()

    def text_vec(self, text: str) -> np.ndarray:
        """The dense row of one text (a question, a quote), computed once per space."""
        if text not in self.known:
            self.known[text] = self.vec([text])[0]
        return self.known[text]

    def sentences_of(self, passages: tuple[Passage, ...]) -> tuple[sparse.csr_matrix, np.ndarray]:
        """The sentences of `passages` as rows, and the index in `passages` of the one each belongs to."""
        key = tuple(p.id for p in passages)
        if key not in self.split:
            split = [(k, sentence) for k, p in enumerate(passages) for sentence in sentences(p.text)]
            self.split[key] = (self.vec_sparse([sentence for _, sentence in split]),
                               np.array([k for k, _ in split], dtype=int))
        return self.split[key]


def _unit(v: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(v)
    return v / n if n else v


def _first(scores: np.ndarray) -> np.ndarray:
    """Indices by descending score (rounded, so that float noise cannot reorder ties), ties by position."""
    return np.lexsort((np.arange(len(scores)), -np.round(scores, 9)))


def _quote(p: Passage, target: np.ndarray, own: tuple[Passage, ...], space: _Space) -> str | None:
    """The sentence of `p` most similar to `target` that stands in no other passage of its source."""
    found = sentences(p.text)
    scores = space.vec(found) @ target if found else np.zeros(0)
    order = sorted(range(len(found)), key=lambda i: (len(found[i].split()) < MIN_QUOTE_WORDS, -round(scores[i], 9), i))
    for i in order + [None]:
        quote = " ".join((found[i] if i is not None else p.text).split())
        if sum(1 for q in own if find(quote, q)) == 1:
            return quote
    return None


def profile(claim: Claim, space: _Space) -> np.ndarray:
    """What a debate is about, as a unit vector: its quotes and its passages, and its question (QUESTION_WEIGHT)."""
    quotes = _unit(sum(space.text_vec(pos.exact) for pos in claim.positions))
    passages = _unit(np.asarray(space.rows([pos.passage for pos in claim.positions]).sum(axis=0)).ravel())
    return _unit(QUESTION_WEIGHT * space.text_vec(claim.question) + quotes + passages)


def _joins(source: str, mine: tuple[Passage, ...], dossier: Dossier, space: _Space) -> list[Join]:
    if not mine:  # a source of headings only: nothing to place
        return []
    split, owner = space.sentences_of(mine)
    turned_down = {r.debate for r in dossier.rejected if r.source == source}
    found = []
    for claim in dossier.claims:
        if claim.id in turned_down or any(pos.source == source for pos in claim.positions):
            continue
        target = profile(claim, space)
        score = np.zeros(len(mine))  # each passage's best sentence
        np.maximum.at(score, owner, split @ target)
        k = int(_first(score)[0])
        if score[k] < JOIN_MIN:
            continue
        quote = _quote(mine[k], target, mine, space)
        if quote is None:
            continue
        near_scores = (space.rows([pos.passage for pos in claim.positions]) @ space.rows([mine[k]]).T).toarray().ravel()
        near = claim.positions[int(_first(near_scores)[0])]
        found.append(Join(claim, Pick(mine[k], quote, round(float(score[k]), 3)), near))
    found.sort(key=lambda j: (-j.pick.score, j.claim.id))
    return found[:JOIN_TOP]


def _new(source: str, mine: tuple[Passage, ...], dossier: Dossier, space: _Space, joining: set[str]) -> list[NewDebate]:
    """Candidate new debates; passages in a debate already, or `joining` one, are left out."""
    used = {pos.passage for claim in dossier.claims for pos in claim.positions} | joining
    free = [p for p in mine if p.id not in used]
    others = [p for p in space.passages if p.source != source and p.id not in used]
    if not others or not free:
        return []
    apart = {frozenset(pair) for r in dossier.rejected for pair in itertools.combinations(r.passages, 2)}
    own_by_source = {seg.source.id: seg.passages for seg in dossier.sources}
    sims_all = (space.rows(others) @ space.rows(free).T).toarray()
    taken = {claim.id for claim in dossier.claims}
    found = []
    for col, p in enumerate(free):
        sims = sims_all[:, col]
        best: dict[str, tuple[float, int]] = {}
        for j in _first(sims):
            if sims[j] < NEW_MIN:
                break
            if frozenset((p.id, others[j].id)) not in apart:  # a pairing the editor rejected is never made again
                best.setdefault(others[j].source, (float(sims[j]), int(j)))
        if not best:
            continue
        matches = sorted(best.items(), key=lambda kv: (-round(kv[1][0], 9), kv[0]))
        group = [p] + [others[j] for _, (_, j) in matches]
        vecs = space.dense(group)
        picks = []
        for i, q in enumerate(group):
            quote = _quote(q, _unit(vecs.sum(axis=0) - vecs[i]), own_by_source[q.source], space)
            if quote is not None:
                picks.append(Pick(q, quote, round(float(vecs[0] @ vecs[i]), 3) if i else 1.0))
        if len(picks) < 2 or picks[0].passage != p:
            continue
        shared = vecs[0] * vecs[1:].sum(axis=0)
        named = [space.terms[c] for c in _first(shared) if shared[c] > 0 and " " not in space.terms[c]][:3]
        slug = unique(slugify(" ".join(_surface(term, p.text) for term in named), "new-debate"), taken)
        taken.add(slug)
        found.append(NewDebate(slug, _topics(group, dossier), tuple(picks)))
    found.sort(key=lambda d: (-d.picks[1].score, d.picks[0].passage.n))
    kept, seen = [], set()
    for debate in found:
        matched = {pick.passage.id for pick in debate.picks[1:]}
        if matched - seen:  # a candidate adds a passage of another source that no better one has
            kept.append(debate)
            seen |= matched
    return kept[:NEW_TOP]


def _surface(term: str, text: str) -> str:
    """The first word of `text` whose stem is `term` (`exercises` for `exercis`), for a readable id."""
    return next((w for w in words(text) if stem(w) == term), term)


def _topics(group: list[Passage], dossier: Dossier) -> tuple[str, ...]:
    """Topics all the passages share, else any of them has, else the source passage's best-scoring topic."""
    shared = [t for t in TOPICS if all(t in q.topics for q in group)]
    union = [t for t in TOPICS if any(t in q.topics for q in group)]
    if shared or union:
        return tuple(shared or union)
    decision = dossier.decisions.get(group[0].id)
    scores = dict(decision.scores) if decision else {}
    return (max(TOPICS, key=lambda t: (scores.get(t, 0.0), -TOPICS.index(t))),)


def suggest(dossier: Dossier, source: str, space: _Space | None = None) -> Suggestions:
    """Debates the source's passages probably join, and candidate new debates."""
    space = space or _Space(dossier)
    mine = tuple(p for p in space.passages if p.source == source)
    joins = tuple(_joins(source, mine, dossier, space))
    return Suggestions(source, len(mine), joins, tuple(_new(source, mine, dossier, space, {j.pick.passage.id for j in joins})))


def suggest_many(dossier: Dossier, sources: tuple[str, ...]) -> list[Suggestions]:
    """`suggest` for each source, over one TF-IDF space of the dossier."""
    space = _Space(dossier)
    return [suggest(dossier, source, space) for source in sources]


def _position(pick: Pick, indent: str, others: list[str], stance: str = TODO_STANCE) -> list[str]:
    lines = [f"{indent}- source: {pick.passage.source}",
             f"{indent}  stance: {quoted(stance)}",
             f"{indent}  quote: {quoted(pick.quote)}"]
    if others:
        unique = dict.fromkeys(others)  # one relation per other source, even if it holds two positions
        lines.append(f"{indent}  # relations: {{{', '.join(f'{o}: TODO' for o in unique)}}}  # {RELATION_HELP}")
    return lines


def render(found: Suggestions, dossier: Dossier) -> str:
    """The suggestions as commented, ready-to-paste ledger YAML (sources/claims.yaml)."""
    label = dossier.label
    out = [f"# Suggestions for {found.source} ({found.passages} passages).", ""]
    out.append("# == Existing debates it probably joins (best first) ==")
    if found.joins:
        out.append("# Paste each block under `positions:` of that debate in sources/claims.yaml, then write the\n"
                   "# stance and uncomment the relations with one relation to each other position.")
    else:
        out.append(f"# None scores {JOIN_MIN} or more.")
    for join in found.joins:
        c, p, near = join.claim, join.pick.passage, join.nearest
        out += ["", f"# debate {c.id}: {' '.join(c.question.split())}",  # one line each: a comment stays a comment
                f"#   score {join.pick.score}: ¶{p.n}; nearest position: {label(near.source)} ¶{near.n} "
                f"({' '.join(near.stance.split())})"]
        if any(pos.source == found.source for pos in c.proposed):
            out.append("#   (proposed in sources/claims.yaml already: `build-dossier review` settles it)")
        out += _position(join.pick, "      ", [pos.source for pos in c.positions])
    out += ["", "# == Candidate new debates (passages no debate uses yet) =="]
    if found.new:
        out.append("# Paste each block under `debates:` in sources/claims.yaml, then rename the id and write the\n"
                   "# question, the stances and the relations.")
    else:
        out.append(f"# No passage has a cosine of {NEW_MIN} or more with an unused passage of another source.")
    for debate in found.new:
        first = debate.picks[0].passage
        matches = ", ".join(f"{label(pk.passage.source)} ¶{pk.passage.n} ({pk.score})" for pk in debate.picks[1:])
        out += ["", f"# ¶{first.n} ~ {matches}",
                f"  - id: {debate.id}",
                f"    question: {quoted('TODO: the contested question')}",
                f"    topics: [{', '.join(debate.topics)}]",
                "    positions:"]
        for i, pick in enumerate(debate.picks):
            out += _position(pick, "      ", [pk.passage.source for pk in debate.picks[:i]])
    return "\n".join(out) + "\n"
