"""Figures: numeric statements of passages and the measures they are grouped by."""

from __future__ import annotations

from dataclasses import dataclass

from ..ids import PassageId
from .sources import InPassage

FIGURE_STATUSES = ("observed", "estimate", "forecast", "target")
"""What a figure claims: a value reported, an estimate of one, a forecast, or a goal; only the first two are compared."""
COMPARED = frozenset({"observed", "estimate"})


@dataclass(frozen=True)
class Period:
    """The time a figure's value is of, as its sentence states it."""

    kind: str
    """`year`, `month`, `day`, `span` (of years), `part` (`early 2024`, `the first half of 2024`), `as-of` (a state
    at a date: `as of June 2025`, `at the end of 2023`) or `cumulative` (a total since a date: `since 2014`)."""
    date: str
    """ISO 8601 (`2023`, `2025-06`, `2022/2023`); for `cumulative`, the date it runs from."""
    written: str
    """As written (`As of June 2025`)."""
    qualifier: str = ""
    """For `part`: `early`, `mid`, `late`, or the part (`first half`)."""

    @property
    def key(self) -> tuple[str, str, str]:
        """Values are compared only with values whose period has the same key."""
        return self.kind, self.date, self.qualifier


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
class Figure(InPassage):
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
    period: Period | None
    """The time the sentence says the value is of, or None."""
    modifier: str | None
    """`more than`, `almost`, `about`, … as written before the number, if any."""
    status: str
    """One of FIGURE_STATUSES: `observed`, `estimate` (`an estimated`), `forecast` (`is expected to reach`) or `target` (`the
    $200 billion mark`, `planned to invest`); forecasts and targets are shown apart, never compared."""
    sentence: str
    """The sentence it stands in, an exact span of the passage."""
    measure: str | None = None
    """Id of the measure it states, or None."""
    scope: str | None = None
    """For a share: whose total it is a share of (`Russia` in `of Russia’s trade`), when the sentence says; values
    are compared only with values of the same scope."""

    @property
    def year(self) -> int | None:
        """The year of a period that lies within one year (a year, month, day, part of a year or `as of`), else None."""
        return int(self.period.date[:4]) if self.period and self.period.kind not in ("span", "cumulative") else None

    @property
    def target(self) -> bool:
        return self.status == "target"

    @property
    def compared(self) -> bool:
        """Its status is one that is compared (observed or estimate)."""
        return self.status in COMPARED


@dataclass(frozen=True)
class Evidence:
    """The figures a debate's `differs-in-figures` relation rests on, and the Figures engine's verdict on them."""

    debate: str
    """Debate id."""
    source: str
    """The position that declares the relation…"""
    other: str
    """…to this one (both source ids)."""
    pair: tuple[Figure, Figure] | None
    """A figure of each quote (in that order) the verdict is about; None when no such pair exists."""
    apart: float
    """Relative distance between what the two allow (0 when none, or when they overlap)."""
    backed: bool
    """The two are of one measure, unit, period and scope, observed or estimated, and differ beyond its tolerance."""
    reason: str
    """Why, in words (`2.2% apart, beyond the 2% tolerance`; `different periods: 2023 and 2024`)."""
