"""Topic decisions: which cues fired for a passage, and the topics chosen."""

from __future__ import annotations

from dataclasses import dataclass

@dataclass(frozen=True)
class CueHit:
    """A cue term that fired for a topic."""

    topic: str
    cue: str
    weight: float
    count: int
    in_lead_in: bool = False
    """Found in the lead-in the passage completes (`It would help China with:`), not in the passage."""


@dataclass(frozen=True)
class TopicDecision:
    """Why a passage has the topics it has."""

    passage: str
    """Global passage id."""
    scores: tuple[tuple[str, float], ...]
    """(topic, score) for every topic."""
    hits: tuple[CueHit, ...]
    auto: tuple[str, ...]
    """Topics the cues chose."""
    override: tuple[str, ...] | None
    """Topics set by the overrides ledger, if any."""
    length_factor: float = 1.0
    """The share of each threshold the passage had to reach (less than 1 for a short passage)."""
    lead_in: str = ""
    """The text of the lead-in a list item was read with, if any."""

    @property
    def topics(self) -> tuple[str, ...]:
        return self.override if self.override is not None else self.auto
