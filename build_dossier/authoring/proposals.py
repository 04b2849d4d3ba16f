"""Proposals in the ledger: what `suggest --write` adds to it, and the list `review` walks.

A proposal is a position marked `status: proposed` under an existing debate, or a whole debate marked
so (with the positions of the new source and of other sources). It resolves like any position (its
quote must stand in exactly one passage) but is shown apart on the site and never counted.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..ingest.config import Project
from ..model import Claim, Dossier, Position
from ..text import unique
from .ledger import LedgerText, update
from .suggest import Suggestions


@dataclass(frozen=True)
class Proposal:
    """One proposal awaiting review."""

    claim: Claim
    """The debate: a reviewed one a position is proposed for, or a whole proposed debate."""
    position: Position | None
    """The proposed position; None for a whole proposed debate."""

    @property
    def new(self) -> bool:
        return self.position is None


@dataclass(frozen=True)
class Added:
    """What `suggest --write` wrote into the ledger."""

    joins: tuple[tuple[str, str], ...]
    """(debate id, source id) of each proposed position."""
    debates: tuple[str, ...]
    """Ids of the proposed new debates."""


def pending(dossier: Dossier) -> tuple[Proposal, ...]:
    """Every proposal in ledger order (new debates come after the reviewed ones, where `suggest --write` puts them)."""
    joins = tuple(Proposal(claim, pos) for claim in dossier.claims for pos in claim.proposed)
    return joins + tuple(Proposal(claim, None) for claim in dossier.proposed)


def _propose(ledger: LedgerText, found: list[Suggestions], dossier: Dossier) -> Added:
    """Add every suggestion the ledger (as it is now) does not already hold."""
    joins, debates = [], []
    grouped = {frozenset(pos.passage for pos in claim.positions) for claim in dossier.proposed}
    for suggestions in found:
        for join in suggestions.joins:
            debate, source = join.claim.id, suggestions.source
            if ledger.debate(debate) is not None and ledger.position(debate, source) is None:
                ledger.propose_join(debate, source, join.pick.quote, f"build-dossier suggest: score {join.pick.score}")
                joins.append((debate, source))
        for new in suggestions.new:
            passages = frozenset(pick.passage.id for pick in new.picks)
            if passages in grouped:  # proposed already (also from the other source's side)
                continue
            grouped.add(passages)
            debate = unique(new.id, {d.get("id") for d in ledger.debates()})
            ledger.propose_debate(debate, new.topics, tuple((pick.passage.source, pick.quote) for pick in new.picks),
                                  f"build-dossier suggest: cosine {new.picks[1].score}")
            debates.append(debate)
    return Added(tuple(joins), tuple(debates))


def write(project: Project, found: list[Suggestions], dossier: Dossier) -> Added:
    """Record the suggestions in the ledger as proposals, in one atomic write under the project lock."""
    return update(project, lambda ledger: _propose(ledger, found, dossier))


def summary(added: Added) -> str:
    """What `suggest --write` tells the editor."""
    if not added.joins and not added.debates:
        return "Nothing new to propose: sources/claims.yaml holds these suggestions already, or they were rejected."
    lines = [f"Proposed in sources/claims.yaml: {len(added.joins)} positions in existing debates, "
             f"{len(added.debates)} new debates."]
    lines += [f"  {debate} ← {source}" for debate, source in added.joins]
    lines += [f"  new debate {debate}" for debate in added.debates]
    lines.append("Review them with `build-dossier review`; until then the site shows them as proposed, not reviewed.")
    return "\n".join(lines)
