"""The Timeline page: every dated statement of every source, gathered into events, in date order."""

from __future__ import annotations

from ...analyse.dates import interval
from ...model import Dossier
from ..addresses import TIMELINE, link
from ..citations import cite_cells, page_bibliography
from ..facets import NOT_INDEXED
from ..kind import Context, PageKind
from ..markdown import front_matter
from ..previews import Previews
from ..sic import by_passage
from ..timeline_lines import Shown, event_entry

PAGE = TIMELINE.path


def timeline_page(dossier: Dossier) -> str:
    """The events under a heading per decade, each with its date, its flags and every passage that tells it."""
    events = dossier.events
    mentions = sum(len(e.mentions) for e in events)
    shared = sum(len(e.sources) > 1 for e in events)
    conflicts = sum(e.conflict for e in events)
    parts = [front_matter("Timeline", extra=NOT_INDEXED),  # search indexes it event by event (publish.search)
             f"{len(events)} events from {mentions} dated statements found automatically in the passages: sentences that "
             "say something happened, or will happen, at a stated date (a day, a month, a year, a span of years). Each "
             "entry gives the date normalised (ISO 8601) and as written, with the sentence and a link to its passage. "
             f"One event told by several sources is one entry with every link ({shared} here); an event that sources "
             f"date differently is flagged *dates differ between sources* ({conflicts} here). Not events: the start of a "
             "duration (`since 2014`), a state or measurement at a date (`as of 2024` — see the "
             f"[Figures]({link(PAGE, 'figures.md')}) page), a bound (`before 2022`) and dates relative to the time of "
             f"writing (`last year`) — [how it works]({link(PAGE, 'about/timeline.md')}).\n"]
    if not events:
        parts.append("*No dated statement found.*\n")
    passages = dossier.passages()
    told = {m.passage for e in events for m in e.mentions}
    shown = Shown({p.id: p.text for p in passages if p.id in told}, by_passage(dossier.errata),
                  cite_cells((seg.source for seg in dossier.sources), passages, told))
    decade, pv = None, Previews(dossier, PAGE, {p.id: p for p in passages}, shown.slips)
    for e in events:
        start = interval(e.date)[0][0] // 10 * 10
        if start != decade:
            decade = start
            parts.append(f"## {start}s {{: #d{start} }}\n")
        parts.append(event_entry(e, pv, dossier.labels, shown))
    telling = {m.source for e in events for m in e.mentions}
    parts.append(page_bibliography(seg.source for seg in dossier.sources if seg.source.id in telling))
    return "\n".join(parts + [pv.block()])


def render(ctx: Context):
    yield PAGE, timeline_page(ctx.dossier)


KIND = PageKind("Timeline page", (TIMELINE,), render)
