"""Figures: numeric statements of passages and the measures they are grouped by."""

from __future__ import annotations

from dataclasses import dataclass

from ..ids import PassageId, SourceId

@dataclass(frozen=True)
class Measure:
    """A quantity several sources may state, recognised by cue words (from `data/measures.yaml`)."""

    id: str
    """Slug; the measure's section on the Figures page is `#m-<id>`."""
    label: str
    """What is measured, for people."""
    kind: str
    """Kind of figure it takes (`money`, `percent`, `distance`, `count`, … — see figures.KINDS)."""
    cues: tuple[tuple[str, ...], ...]
    """Alternatives; each is one or more phrases that must all occur in the figure's sentence."""
    exclude: tuple[str, ...]
    """Phrases that, in the sentence, rule the measure out."""
    nouns: tuple[str, ...]
    """For counts: what is counted (`troops`, `exercise*`)."""
    tolerance: float
    """Relative difference beyond which two sources' values are flagged."""
    dated: bool = True
    """Values change over time: compared only with values of the same stated year."""


@dataclass(frozen=True)
class Figure:
    """A numeric statement found in a passage: one number with its unit (and any written conversion)."""

    passage: PassageId
    """Global passage id."""
    start: int
    """Offset of the statement in the passage text."""
    end: int
    """Offset just past it."""
    text: str
    """Exactly `passage.text[start:end]` (`2,600-mile (4184 kilometers)`, `almost 20 percent`)."""
    kind: str
    """money, percent, change, points, distance, area, volume, oil-flow, mass or count."""
    unit: str
    """Unit as written, spelled canonically (`USD`, `mi`, `km`, `%`, `troops`)."""
    value: int | float
    """The number in `unit`, scale words applied (`$1.6 billion` -> 1600000000)."""
    normalised: int | float
    """The value in `normalised_unit`."""
    normalised_unit: str
    """`USD bn` (per currency), `km`, `%`, `bcm`, `count`, …"""
    year: int | None
    """The year the sentence says the figure refers to, or None."""
    modifier: str | None
    """`more than`, `almost`, `about`, … as written before the number, if any."""
    target: bool
    """A goal or threshold (`the $200 billion mark`), not a stated value; never compared."""
    sentence: str
    """The sentence it stands in, an exact span of the passage."""
    measure: str | None = None
    """Id of the measure it states, or None."""

    @property
    def source(self) -> SourceId:
        return self.passage.source

    @property
    def n(self) -> int:
        return self.passage.n
