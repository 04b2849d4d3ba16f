"""Timeline entries as they appear on pages: the full entry (Timeline page) and a short line (topic pages).

An entry shows at most `FULL` tellings in full and lists at most `LISTED` more as links, then counts the rest, so
that one event told by hundreds of sources keeps its entry small. Source text reaches them only through
`text.inert` (`sic.sic_excerpt`: an excerpt's slips marked [sic]).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..analyse.dates import label
from ..model import Erratum, Event, Mention
from ..text import inert
from .addresses import event_anchor, link, passage_link
from .previews import Previews, link_attrs
from .sic import sic_excerpt


FULL = 5
"""Most tellings of one event its entry shows in full (sentence, link, Cite)."""
LISTED = 20
"""Most further tellings its entry lists as links ("Author ¶N"); beyond them, a count."""


def in_full(e: Event) -> tuple[Mention, ...]:
    """The tellings an entry shows in full: the first of each date they give (so a conflict shows its dates), then
    the first others, up to `FULL`, in the entry's order (source and passage)."""
    firsts: dict[str, Mention] = {}
    for m in e.mentions:
        firsts.setdefault(m.date, m)
    chosen = set(list(firsts.values())[:FULL])
    chosen.update([m for m in e.mentions if m not in chosen][:FULL - len(chosen)])
    return tuple(m for m in e.mentions if m in chosen)


@dataclass(frozen=True)
class Shown:
    """What an entry shows of the passages beside the mentions: their text, slips and Cite cells, by passage id."""

    texts: dict[str, str]
    slips: dict[str, tuple[Erratum, ...]] = field(default_factory=dict)
    cites: dict[str, str] = field(default_factory=dict)


def flags(e: Event) -> str:
    """` · planned` and ` · dates differ between sources` with the first `FULL` dates given, as they apply."""
    out = " · planned" if e.planned else ""
    if e.conflict:
        dates = list(dict.fromkeys(label(m.date) for m in e.mentions))
        more = f" and {len(dates) - FULL} other dates" if len(dates) > FULL else ""
        out += f" · **dates differ between sources**: {' vs '.join(dates[:FULL])}{more}"
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


def more_line(rest: list[Mention], pv: Previews, labels: dict[str, str]) -> str:
    """`- Also told in 37 more passages of 35 sources: Lo ¶7, … and 17 more.` (the first `LISTED` linked)."""
    sources = len(dict.fromkeys(m.source for m in rest))
    links = ", ".join(pv.link(f"{inert(labels.get(m.source, m.source))} ¶{m.n}", m.passage) for m in rest[:LISTED])
    left = f" and {len(rest) - LISTED} more" if len(rest) > LISTED else ""
    return (f"- Also told in {len(rest)} more passage{'s' * (len(rest) > 1)} of {sources} "
            f"source{'s' * (sources > 1)}: {links}{left}.")


def event_entry(e: Event, pv: Previews, labels: dict[str, str], shown: Shown) -> str:
    """One timeline entry: its date (normalised, for people), its flags, then its tellings (`FULL` with their
    sentence, link and Cite; `LISTED` more as links; a count of the rest)."""
    head = f"**{label(e.date)}** · `{e.date}`{flags(e)}\n{{: #{event_anchor(e.id)} .timeline-date }}\n"
    full = in_full(e)
    lines, chosen = [mention_line(m, pv, labels, shown) for m in full], set(full)
    if rest := [m for m in e.mentions if m not in chosen]:
        lines.append(more_line(rest, pv, labels))
    return head + "\n" + "\n".join(lines) + "\n"


def event_line(e: Event, page: str, at: str, labels: dict[str, str], shown: set[str], pv: Previews | None = None) -> str:
    """A short line for `page` (a topic page): the date, the passages of `shown` that tell it, and a link to its entry
    (on the Timeline page `at`: the page or the part holding it).

    On a whole topic page the passages are shown, and the text of each is the links' preview
    (`previews.inline_text`); an overview, which does not show them, collects their previews in `pv`."""
    mine = [m for m in e.mentions if m.passage in shown]
    links = ", ".join(pv.link(f"{inert(labels.get(m.source, m.source))} ¶{m.n}", m.passage) if pv else
                      f"[{inert(labels.get(m.source, m.source))} ¶{m.n}]({passage_link(page, m.passage)}){link_attrs(m.passage)}"
                      for m in mine)
    first = mine[0]
    return (f"- **{label(e.date)}**{flags(e)} — “{inert(first.written)}”: {links} "
            f"([entry]({link(page, at, event_anchor(e.id))}))")
