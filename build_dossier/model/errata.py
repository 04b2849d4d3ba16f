"""Errata: an author's slips in a source, marked where the dossier shows them and never corrected in the text."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Erratum:
    """A slip in a source (a misspelt name, a wrong word), marked `[sic]` after it; the source text stays as captured."""

    source: str
    """Source id."""
    passage: str
    """Global id of the passage the slip stands in."""
    n: int
    """That passage's number."""
    start: int
    """Offset of the slip's first character in the passage text."""
    end: int
    """Offset just past its last character: `passage.text[start:end]` is the slip, exactly as in the source."""
    text: str
    """The slip exactly as it stands in the source."""
    note: str
    """What is wrong, for readers."""
    correct: str | None
    """The correct form, if the editor gave it."""
