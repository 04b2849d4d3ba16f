"""Slips marked, never corrected: `[sic]` after each erratum wherever the dossier shows the words around it.

The text itself is printed exactly as captured (through `text.inert`); the mark is our own element
after it, `<span class="sic"> [sic]</span>`, whose title says what is wrong. `sic_text` gives the same
as plain text (dossier.json), and `errata_line` the note under a passage.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Erratum
from ..text import inert

SIC = " [sic]"


def by_passage(errata: Iterable[Erratum]) -> dict[str, tuple[Erratum, ...]]:
    """The errata of each passage (by global passage id), in text order."""
    out: dict[str, list[Erratum]] = {}
    for e in sorted(errata, key=lambda e: e.start):
        out.setdefault(e.passage, []).append(e)
    return {k: tuple(v) for k, v in out.items()}


def _cuts(text: str, within: str, errata: Iterable[Erratum], at: int | None = None) -> list[tuple[int, int, Erratum]]:
    """(start, end) within `text` — the passage text `within`, or a quote from it (at offset `at` in the passage
    when known, else where it first occurs) — of each slip it shows, in order.

    A slip cut off by the quote's end is marked where the quote ends.
    """
    offset = at if at is not None else max(within.find(text), 0) if within else 0
    out = []
    for e in errata:
        start, end = max(e.start, offset) - offset, min(e.end, offset + len(text)) - offset
        if start < end:
            out.append((start, end, e))
    return sorted(out, key=lambda c: c[0])


def sic_html(text: str, errata: Iterable[Erratum], within: str = "", at: int | None = None) -> str:
    """`text` (a passage, or a quote from the passage text `within`, at offset `at` of it when known) as inert HTML,
    each of its passage's slips marked.

    A slip becomes `<span class="slip">…</span><span class="sic"> [sic]</span>`.
    """
    if not errata:  # most passages have no slip (a generator is truthy: it takes the general way)
        return inert(text)
    parts, offset, at = [], at, 0
    for start, end, e in _cuts(text, within, errata, offset):
        parts += [inert(text[at:start]), f'<span class="slip">{inert(text[start:end])}</span>',
                  f'<span class="sic" title="{inert(title(e))}">{inert(SIC)}</span>']
        at = end
    parts.append(inert(text[at:]))
    return "".join(parts)


def sic_text(text: str, errata: Iterable[Erratum], within: str = "", at: int | None = None) -> str:
    """`text` (a passage, or a quote from the passage text `within`, at offset `at` of it when known) with ` [sic]`
    after each slip in it (plain text)."""
    parts, offset, at = [], at, 0
    for _, end, _e in _cuts(text, within, errata, offset):
        parts += [text[at:end], SIC]
        at = end
    parts.append(text[at:])
    return "".join(parts)


def sentence_at(passage_text: str, sentence: str, start: int) -> int | None:
    """The offset in the passage of the `sentence` that holds the words at offset `start`, or None."""
    at = passage_text.rfind(sentence, 0, start + len(sentence))
    return at if 0 <= at <= start else None


def sic_excerpt(passage_text: str, sentence: str, start: int, end: int, errata: Iterable[Erratum]) -> str:
    """A sentence of the passage with its words at `start:end` (passage offsets) in bold and its slips marked [sic]:
    Markdown whose text is inert (the excerpt of a figure or a dated statement)."""
    errata, s0 = tuple(errata), sentence_at(passage_text, sentence, start)
    if s0 is None or not start <= end <= s0 + len(sentence):
        return sic_html(sentence, errata, passage_text)
    s1 = s0 + len(sentence)
    return (sic_html(passage_text[s0:start], errata, at=s0) + "**" + sic_html(passage_text[start:end], errata, at=start)
            + "**" + sic_html(passage_text[end:s1], errata, at=end))


def title(e: Erratum) -> str:
    """What the mark says when pointed at: the note, and the correct form."""
    return e.note + (f" Correct: {e.correct}." if e.correct else "")


def errata_line(errata: Iterable[Erratum]) -> str:
    """Under a passage: `[sic] “slip”: note Correct: …` for each slip in it, as a Markdown paragraph."""
    notes = [f"“{inert(e.text)}”{inert(SIC)}: {inert(title(e))}" for e in errata]
    if not notes:
        return ""
    return "**Errata:** " + " · ".join(notes) + '\n{: .passage-errata data-search-exclude="" }\n'
