"""Timeline entries as they appear on pages: the full entry (Timeline page) and a short line (topic pages).

Source text reaches them only through `text.inert` (`sic.sic_excerpt`: an excerpt's slips marked [sic]).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..analyse.dates import label
from ..model import Erratum, Event, Mention
from ..text import inert
from .addresses import TIMELINE, event_anchor, link, passage_link
from .previews import Previews, link_attrs
from .sic import sic_excerpt


@dataclass(frozen=True)
class Shown:
    """What an entry shows of the passages beside the mentions: their text, slips and Cite cells, by passage id."""

    texts: dict[str, str]
    slips: dict[str, tuple[Erratum, ...]] = field(default_factory=dict)
    cites: dict[str, str] = field(default_factory=dict)


def flags(e: Event) -> str:
    """` · planned` and ` · dates differ between sources`, as they apply."""
    out = " · planned" if e.planned else ""
    if e.conflict:
        dates = " vs ".join(dict.fromkeys(label(m.date) for m in e.mentions))
        out += f" · **dates differ between sources**: {dates}"
    return out


def excerpt(m: Mention, shown: Shown) -> str:
    """The sentence with the date as written in bold (at its own offset) and its slips marked [sic], text inert."""
    return sic_excerpt(shown.texts[m.passage], m.sentence, m.start, m.end, shown.slips.get(m.passage, ()))


def mention_line(m: Mention, pv: Previews, labels: dict[str, str], shown: Shown) -> str:
    """`- [Gabuev ¶4](…) Cite — “on February 4, 2022” (2022-02-04): the sentence` (the link with its preview)."""
    planned = ", planned" if m.planned else ""
    cite = shown.cites.get(m.passage, "")
    return (f"- {pv.link(f'{inert(labels.get(m.source, m.source))} ¶{m.n}', m.passage)}{f' {cite}' if cite else ''}"
            f" — “{inert(m.written)}” ({m.date}{planned}): {excerpt(m, shown)}")


def event_entry(e: Event, pv: Previews, labels: dict[str, str], shown: Shown) -> str:
    """One timeline entry: its date (normalised, for people), its flags, then each telling with its link and Cite."""
    head = f"**{label(e.date)}** · `{e.date}`{flags(e)}\n{{: #{event_anchor(e.id)} .timeline-date }}\n"
    return head + "\n" + "\n".join(mention_line(m, pv, labels, shown) for m in e.mentions) + "\n"


def event_line(e: Event, page: str, labels: dict[str, str], shown: set[str], pv: Previews | None = None) -> str:
    """A short line for a topic page: the date, the passages of `shown` that tell it, and a link to its entry.

    On a whole topic page the passages are shown, and the text of each is the links' preview
    (`previews.inline_text`); an overview, which does not show them, collects their previews in `pv`."""
    mine = [m for m in e.mentions if m.passage in shown]
    links = ", ".join(pv.link(f"{inert(labels.get(m.source, m.source))} ¶{m.n}", m.passage) if pv else
                      f"[{inert(labels.get(m.source, m.source))} ¶{m.n}]({passage_link(page, m.passage)}){link_attrs(m.passage)}"
                      for m in mine)
    first = mine[0]
    return (f"- **{label(e.date)}**{flags(e)} — “{inert(first.written)}”: {links} "
            f"([entry]({link(page, TIMELINE.path, event_anchor(e.id))}))")
