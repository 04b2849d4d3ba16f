"""The dossier's data model: frozen records passed from stage to stage, one module per kind of record."""

from __future__ import annotations

from dataclasses import dataclass, field

from .debates import INVERSE, RELATIONS, STATUSES, Claim, Ledger, Link, Position, Rejection, Relation
from .errata import Erratum
from .events import Event, Mention
from .figures import FIGURE_STATUSES, Evidence, Figure, Measure, Period
from .sources import (ACRONYM_RE, ORG_LINKS, TOPICS, Block, Cleaned, Line, Passage, Removal, Section, Segmented, Source,
                      short_label, unique_labels)
from .topics import CueHit, TopicDecision

__all__ = ["ACRONYM_RE", "INVERSE", "ORG_LINKS", "RELATIONS", "TOPICS", "Block", "Claim", "Cleaned", "CueHit", "Dossier",
           "Erratum", "Event", "Evidence", "FIGURE_STATUSES", "Figure", "Ledger", "Line", "Link", "Measure", "Mention",
           "Passage", "Period", "Position", "Rejection", "Relation", "Removal", "STATUSES", "Section", "Segmented", "Source",
           "TopicDecision", "short_label", "unique_labels"]


@dataclass(frozen=True)
class Dossier:
    """The whole model, gathered before anything is emitted."""

    sources: tuple[Segmented, ...]
    decisions: dict = field(default_factory=dict)
    """Global passage id -> TopicDecision."""
    claims: tuple[Claim, ...] = ()
    """Reviewed debates from the claims ledger, in ledger order."""
    links: tuple[Link, ...] = ()
    """Cross-links between passages (debates both ways)."""
    labels: dict = field(default_factory=dict)
    """Source id -> short label for links (`Gabuev`), unique across the dossier."""
    figures: tuple[Figure, ...] = ()
    """Numeric statements of every passage, in passage order."""
    measures: tuple[Measure, ...] = ()
    """The measures figures are grouped by, in file order."""
    evidence: tuple[Evidence, ...] = ()
    """The figures behind each `differs-in-figures` relation of the debates, with the verdict on them."""
    events: tuple[Event, ...] = ()
    """The timeline: dated statements of every passage gathered into events, in date order."""
    proposed: tuple[Claim, ...] = ()
    """Whole debates proposed by `suggest --write` and not reviewed: shown apart, never counted."""
    rejected: tuple[Rejection, ...] = ()
    """Proposals turned down in review, which `suggest` never makes again."""
    errata: tuple[Erratum, ...] = ()
    """Slips marked in `sources/errata.yaml`, in passage order."""

    def label(self, source_id: str) -> str:
        return self.labels.get(source_id, source_id)

    def passages(self) -> tuple[Passage, ...]:
        return tuple(p for s in self.sources for p in s.passages)
