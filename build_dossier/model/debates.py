"""Debates: positions backed by exact quotes, their relations, and the links they make between passages."""

from __future__ import annotations

from dataclasses import dataclass, field

RELATIONS = ("agrees", "disputes", "qualifies", "differs-in-figures")
STATUSES = ("reviewed", "proposed")
"""A ledger entry is `reviewed` (the default) or `proposed` by `build-dossier suggest --write` and not reviewed yet."""
INVERSE = {"agrees": "agrees", "disputes": "disputes", "qualifies": "qualified-by",
           "qualified-by": "qualifies", "differs-in-figures": "differs-in-figures"}


@dataclass(frozen=True)
class Position:
    """One author's position in a debate, backed by an exact quote."""

    source: str
    """Source id."""
    passage: str
    """Global id of the passage the quote resolves to."""
    n: int
    """That passage's number."""
    stance: str
    """Short label of the position (empty in a proposal not reviewed yet)."""
    quote: str
    """The quote as written in the ledger."""
    exact: str
    """The same words exactly as they stand in the source."""


@dataclass(frozen=True)
class Relation:
    """How one position relates to another in the same debate."""

    source: str
    """The position that relates…"""
    other: str
    """…to this position (both source ids)."""
    kind: str
    """agrees, disputes, qualifies, qualified-by or differs-in-figures."""
    at: str = field(default="", compare=False)
    """Where the ledger declares it (`debates[3].positions[1].relations.lo-cepa-2024`), for messages."""
    line: int | None = field(default=None, compare=False)
    """Its line in the ledger, where known."""


@dataclass(frozen=True)
class Claim:
    """A contested question and the authors' positions on it."""

    id: str
    question: str
    topics: tuple[str, ...]
    positions: tuple[Position, ...]
    relations: tuple[Relation, ...]
    """One per pair of positions, as declared in the ledger."""
    proposed: tuple[Position, ...] = ()
    """Positions `suggest` proposed for this debate, not reviewed yet: shown apart, in no relation, never counted."""
    status: str = "reviewed"
    """`proposed` for a whole debate `suggest` proposed (then every position of it is a proposal)."""

    def count(self, kind: str) -> int:
        """Pairs of positions related by `kind`."""
        return sum(1 for r in self.relations if r.kind == kind)

    def directed(self) -> tuple[Relation, ...]:
        """Every relation in both directions (`qualifies` reads `qualified-by` backwards)."""
        back = tuple(Relation(r.other, r.source, INVERSE[r.kind]) for r in self.relations)
        return self.relations + back

    def position(self, source: str) -> Position:
        return next(p for p in self.positions if p.source == source)


@dataclass(frozen=True)
class Rejection:
    """A proposal the editor turned down in `build-dossier review`: `suggest` never makes it again."""

    debate: str | None = None
    """With `source`: this source does not join this (existing) debate."""
    source: str | None = None
    passages: tuple[str, ...] = ()
    """Or: these passages (global ids) do not make a new debate together."""


@dataclass(frozen=True)
class Ledger:
    """What `sources/claims.yaml` holds, resolved."""

    claims: tuple[Claim, ...] = ()
    """Reviewed debates, in ledger order (with the positions proposed for them)."""
    proposed: tuple[Claim, ...] = ()
    """Whole debates proposed and not reviewed yet, in ledger order."""
    rejected: tuple[Rejection, ...] = ()


@dataclass(frozen=True)
class Link:
    """A directed cross-link between two passages, for dossier.json and the pages."""

    source: str
    """Global passage id it starts from."""
    target: str
    """Global passage id it points to."""
    kind: str
    """A relation kind, or `related`."""
    claim: str | None
    """Debate id, for debate links."""
