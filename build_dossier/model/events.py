"""Events: dated statements of the passages, and the timeline entries that gather the tellings of one event."""

from __future__ import annotations

from dataclasses import dataclass

from ..ids import PassageId, SourceId
from .sources import InPassage


@dataclass(frozen=True)
class Mention(InPassage):
    """One passage saying that something happened, or will happen, at a stated date."""

    passage: PassageId
    """Global passage id."""
    start: int
    """Offset of the date as written in the passage text."""
    end: int
    """Offset just past it."""
    written: str
    """The date exactly as written, its preposition included (`in March 2023`, `on February 4, 2022`, `2022`)."""
    date: str
    """Normalised, ISO 8601: `2022-02-04`, `2023-03`, `2014`, or a span of years `2022/2023`."""
    planned: bool
    """A plan or expectation (`intended to reach in 2025`), not something reported as done."""
    sentence: str
    """The sentence it stands in, an exact span of the passage (the excerpt)."""
    words: frozenset[str] = frozenset()
    """Stems of the words that name what happened (for telling whether two mentions tell one event)."""


@dataclass(frozen=True)
class Event:
    """One entry of the timeline: an event and every passage that dates it."""

    id: str
    """Slug, stable while the first mention's passage is unchanged; the entry's anchor on the Timeline page."""
    date: str
    """The most precise date all mentions allow; with a conflict, the earliest mention's."""
    mentions: tuple[Mention, ...]
    """In source and passage order."""
    conflict: bool
    """Two sources give it dates that cannot both be true (`2014` and `2015`)."""

    @property
    def planned(self) -> bool:
        """Every mention is a plan or expectation."""
        return all(m.planned for m in self.mentions)

    @property
    def sources(self) -> tuple[SourceId, ...]:
        return tuple(dict.fromkeys(m.source for m in self.mentions))
