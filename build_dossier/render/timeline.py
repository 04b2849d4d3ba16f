"""The Timeline's layout: every event in date order, under a heading per decade, on one page or in parts.

A timeline whose entries would exceed the page budget (`addresses.PAGE_BUDGET`) keeps its address as an overview —
the counts, the decades with their parts and event counts, the events told most often — and puts its entries, in
date order, into parts (`timeline/<k>.md`, `render.parts`). `layout` also says which page holds each event's entry:
every link to an event (topic pages, search, dossier.json) goes there. `pages/timeline.py` writes the files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..analyse.dates import interval, label
from ..ids import PassageId
from ..model import Dossier, Event, Passage
from ..text import inert
from .addresses import TIMELINE, event_anchor, link, part_page
from .citations import cite_cells, page_bibliography
from .facets import NOT_INDEXED
from .markdown import front_matter
from .parts import fits, nav_line, nbytes, pack
from .previews import Previews
from .sic import by_passage
from .timeline_lines import FULL, LISTED, Shown, event_entry, flags, in_full

PAGE = TIMELINE.path
MOST_TOLD = 20
"""Most events the overview of a timeline in parts lists as told most often (all are in its parts)."""


@dataclass(frozen=True)
class Layout:
    """The Timeline's files, and the page holding each event's entry."""

    files: list[tuple[str, str]]
    """(path, Markdown) of the page, and of its parts if it has any."""
    where: dict[str, str]
    """Event id -> the page holding its entry (`timeline.md`, or a part `timeline/3.md`)."""


@dataclass(frozen=True)
class Entry:
    """One event's entry, written for a page, with the previews of the passages it links."""

    event: Event
    text: str
    previews: Previews


def decade(e: Event) -> int:
    """The decade an event's entry is listed under (the start of its date)."""
    return interval(e.date)[0][0] // 10 * 10


def intro(dossier: Dossier, page: str) -> str:
    """What the timeline is, its counts, and (when an entry is cut short) how many tellings an entry shows."""
    events = dossier.events
    mentions = sum(len(e.mentions) for e in events)
    shared = sum(len(e.sources) > 1 for e in events)
    conflicts = sum(e.conflict for e in events)
    capped = (f" An entry shows at most {FULL} tellings in full (the first of each date given, then in the order of "
              f"the sources) and links up to {LISTED} more as “Author ¶N”, then counts the rest; `dossier.json` "
              "lists every telling." if any(len(e.mentions) > FULL for e in events) else "")
    return (f"{len(events)} events from {mentions} dated statements found automatically in the passages: sentences that "
            "say something happened, or will happen, at a stated date (a day, a month, a year, a span of years). Each "
            "entry gives the date normalised (ISO 8601) and as written, with the sentence and a link to its passage. "
            f"One event told by several sources is one entry with every link ({shared} here); an event that sources "
            f"date differently is flagged *dates differ between sources* ({conflicts} here).{capped} Not events: the "
            "start of a duration (`since 2014`), a state or measurement at a date (`as of 2024` — see the "
            f"[Figures]({link(page, 'figures.md')}) page), a bound (`before 2022`) and dates relative to the time of "
            f"writing (`last year`) — [how it works]({link(page, 'about/timeline.md')}).\n")


def shown_of(dossier: Dossier) -> Shown:
    """What the entries show of the passages they tell in full: texts, slips and Cite cells (computed once)."""
    passages = dossier.passages()
    told = {m.passage for e in dossier.events for m in in_full(e)}  # only these show their sentence and Cite
    return Shown({p.id: p.text for p in passages if p.id in told}, by_passage(dossier.errata),
                 cite_cells((seg.source for seg in dossier.sources), passages, told))


def entries(dossier: Dossier, page: str, events: list[Event], shown: Shown, by_id: dict[str, Passage],
            pv: Previews | None = None) -> list[Entry]:
    """The entries of `events`, written for `page` (the Timeline page, or any of its parts: one folder deeper), their
    links' previews collected in `pv` (the page's), or each entry's own (to measure what an entry adds to a part)."""
    out = []
    for e in events:
        here = pv if pv is not None else Previews(dossier, page, by_id, shown.slips)
        out.append(Entry(e, event_entry(e, here, dossier.labels, shown), here))
    return out


def page_body(events: list[Event], page: str, dossier: Dossier, shown: Shown,
              by_id: dict[str, Passage]) -> tuple[list[str], str, str]:
    """`events`' entries under their decades' headings, for `page`; the bibliography of the sources they link; their
    previews (one page's, within its budget)."""
    pv = Previews(dossier, page, by_id, shown.slips)
    out, last = [], None
    for item in entries(dossier, page, events, shown, by_id, pv):
        if decade(item.event) != last:
            last = decade(item.event)
            out.append(f"## {last}s {{: #d{last} }}\n")
        out.append(item.text)
    sources = {seg.source.id: seg.source for seg in dossier.sources}
    telling = dict.fromkeys(PassageId.parse(pid).source for pid in pv.linked)
    return out, page_bibliography(sources[sid] for sid in telling), pv.block()


def part_size(items: list[Entry], dossier: Dossier) -> Callable[[Entry], int]:
    """What an entry adds to a part: its Markdown, and also (unlike other pages, whose entries hold most of theirs)
    the previews of the passages it links and the bibliography entries of their sources, so that a part stays
    bounded; a little more than it adds, as the part may already hold some of them."""
    sources = {seg.source.id: seg.source for seg in dossier.sources}
    cited = {sid: nbytes(page_bibliography([sources[sid]]))
             for sid in {PassageId.parse(pid).source for item in items for pid in item.previews.linked}}
    return lambda item: (nbytes(item.text) + nbytes(item.previews.block()) + 40  # 40: a decade's heading
                         + sum(cited[sid] for sid in {PassageId.parse(pid).source for pid in item.previews.linked}))


_LAST: list[tuple[Dossier, Layout]] = []
"""The last dossier laid out, and its layout: dossier.json and the search index ask again for the one rendered."""


def layout(dossier: Dossier) -> Layout:
    """The Timeline page whole if its entries fit the page budget, else an overview and its parts (once per dossier)."""
    last = _LAST[:]  # read once: under `serve` the search indexer asks from its own thread
    if last and last[0][0] is dossier:
        return last[0][1]
    made = _layout(dossier)
    _LAST[:] = [(dossier, made)]
    return made


def forget() -> None:
    """Let go of the last dossier laid out, and its layout."""
    _LAST.clear()


def _layout(dossier: Dossier) -> Layout:
    head = [front_matter("Timeline", extra=NOT_INDEXED), intro(dossier, PAGE)]  # search indexes it event by event
    if not dossier.events:
        return Layout([(PAGE, "\n".join(head + ["*No dated statement found.*\n", "", ""]))], {})
    shown, by_id = shown_of(dossier), {p.id: p for p in dossier.passages()}
    items = entries(dossier, part_page(PAGE, 1), list(dossier.events), shown, by_id)  # each with its own previews: sizes
    if fits([item.text for item in items]):  # as other pages: the entries' Markdown, their previews aside
        listed, bibliography, previews = page_body(list(dossier.events), PAGE, dossier, shown, by_id)
        return Layout([(PAGE, "\n".join(head + listed + [bibliography, previews]))], {e.id: PAGE for e in dossier.events})
    cut = pack(items, part_size(items, dossier))
    files, where = [], {}
    for k, part in enumerate(cut, 1):
        here = part_page(PAGE, k)
        nav = nav_line(PAGE, k, len(cut), "Timeline: overview")
        span = label(part[0].event.date) + (f" to {label(part[-1].event.date)}" if len(part) > 1 else "")
        # Written again with one set of previews for the part: no larger than its entries measured alone.
        listed, bibliography, previews = page_body([item.event for item in part], here, dossier, shown, by_id)
        files.append((here, "\n".join([front_matter(f"Timeline, part {k} of {len(cut)}", extra=NOT_INDEXED),
                                       f"Events from {span}: {len(part)} entries, part {k} of {len(cut)} of the "
                                       f"[Timeline]({link(here, PAGE)}).\n", nav]
                                      + listed + [nav, bibliography, previews])))
        where.update((item.event.id, here) for item in part)
    return Layout([(PAGE, "\n".join(head + overview(dossier, where, len(cut))))] + files, where)


def overview(dossier: Dossier, where: dict[str, str], parts: int) -> list[str]:
    """The overview of a timeline in parts: each decade with its events, statements and parts; the events told most
    often, with links to their entries."""
    rows = ["## Decades {: #decades }\n", f"The entries, in date order, are in {parts} parts:\n",
            "| Decade | Events | Dated statements | Parts |", "| --- | --- | --- | --- |"]
    decades: dict[int, list[Event]] = {}
    for e in dossier.events:
        decades.setdefault(decade(e), []).append(e)
    for start, events in decades.items():
        held = dict.fromkeys(where[e.id] for e in events)
        links = ", ".join(f"[{p.rsplit('/', 1)[1][:-3]}]({link(PAGE, p)})" for p in held)
        rows.append(f"| [{start}s]({link(PAGE, next(iter(held)), f'd{start}')}) | {len(events)} | "
                    f"{sum(len(e.mentions) for e in events)} | {links} |")
    often = sorted(dossier.events, key=lambda e: -len(e.mentions))[:MOST_TOLD]  # stable: the earlier first on ties
    chosen = {e.id for e in often}
    lines = [f"- **{label(e.date)}**{flags(e)} — “{inert(e.mentions[0].written)}”: told in {len(e.mentions)} "
             f"passage{'s' * (len(e.mentions) > 1)} of {len(e.sources)} source{'s' * (len(e.sources) > 1)} "
             f"([entry]({link(PAGE, where[e.id], event_anchor(e.id))}))"
             for e in dossier.events if e.id in chosen]
    return rows + ["", "## Told most often {: #most-told }\n",
                   f"The {len(often)} events told in the most passages, in date order:\n", "\n".join(lines) + "\n"]
