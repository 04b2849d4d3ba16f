"""Topic pages: a topic's debates, then the passages of every source on it, grouped by source.

A topic page that would exceed the page budget (`addresses.PAGE_BUDGET`) becomes an overview — the counts,
the most contested debates on the topic, and its parts, each with its sources and passage counts — and
parts (`topics/<topic>/<k>.md`) holding consecutive sources' groups of passages (`render.parts`).
"""

from __future__ import annotations

from ...model import Dossier, Segmented
from ...text import inert
from ..addresses import DEBATES_INDEX, TIMELINE, TOPIC_PARTS, TOPICS, link, part_page, passage_link, topic_page
from ..citations import bibliography_line, page_bibliography
from ..debate_lines import debate_list, most_contested
from ..facets import NOT_INDEXED, search_facets
from ..kind import Context, PageKind
from ..markdown import front_matter
from ..parts import fits, nav_line, nbytes, pack
from ..previews import Previews, inline_text, link_attrs
from ..sic import by_passage
from ..timeline import layout as timeline_layout
from ..timeline_lines import event_line

MAX_DEBATES = 20
"""Most debates a topic page lists (the most contested); all of them are on the debates index."""
MAX_EVENTS = 20
"""Most events of the timeline a topic page lists (those its passages tell most often); all are on the Timeline page."""
MAX_TELLINGS = 5
"""Most passages an event's line on a topic page links (the first in reading order)."""


def source_group(seg: Segmented, ps: list, dossier: Dossier, page: str, slips: dict) -> str:
    """One source's passages on a topic, under its heading (`#src-<id>`), for `page`."""
    s = seg.source
    parts = [f"## {inert(dossier.label(s.id))}: {inert(s.display_title)} {{: #src-{s.id} }}\n", bibliography_line(s)]
    if not ps:
        parts.append("*No passage of this source is on this topic.*\n")
    for p in ps:
        where = f" · {inert(p.section.title)}" if p.section else ""
        # The passages are search results of their own: here neither the reference nor the text is searched.
        # The link's preview is the text shown below it (`previews.inline_text`): no second copy.
        parts.append(f"**[{inert(dossier.label(s.id))} ¶{p.n}]({passage_link(page, p.id)}){link_attrs(p.id)}**{where}\n"
                     '{: .passage-ref data-search-exclude="" }\n')
        parts.append(inline_text(p, dossier.labels, slips.get(p.id, ())) + "\n")
    return "\n".join(parts)


def count_rows(groups: list, dossier: Dossier) -> str:
    """The table of sources with their passage counts; each links to its group on the page."""
    rows = ["| Source | Passages on this topic |", "| --- | --- |"]
    for seg, ps in groups:
        s = seg.source
        rows.append(f"| [{inert(dossier.label(s.id))}: {inert(s.display_title)}](#src-{s.id}) | {len(ps)} |")
    return "\n".join(rows) + "\n"


def debates_part(topic: str, dossier: Dossier, page: str) -> list[str]:
    """The debates on the topic: all, or the most contested and a link to the rest."""
    on_topic = [c for c in dossier.claims if topic in c.topics]
    if not on_topic:
        return []
    shown = on_topic if len(on_topic) <= MAX_DEBATES else most_contested(on_topic, MAX_DEBATES)
    more = (f"The {len(shown)} most contested of {len(on_topic)} debates on this topic; all are on the "
            f"[Debates]({link(page, DEBATES_INDEX.path)}) page.\n" if len(shown) < len(on_topic) else "")
    return ["## Debates on this topic {: #debates }\n", debate_list(shown, page), more]


def timeline_part(topic: str, dossier: Dossier, page: str, events_at: dict[str, str],
                  pv: Previews | None = None) -> list[str]:
    """The events told in the topic's passages (issue 17): all, or those told most often, each with a few tellings.

    `events_at`: the page holding each event's entry; `pv`: the previews of an overview, which does not show the
    passages linked (a whole page shows them)."""
    on_topic = {p.id for seg in dossier.sources for p in seg.passages if topic in p.topics}
    told = {e.id: [m.passage for m in e.mentions if m.passage in on_topic] for e in dossier.events}
    events = [e for e in dossier.events if told[e.id]]
    if not events:
        return []
    shown = events
    if len(events) > MAX_EVENTS:
        often = set(sorted((e.id for e in events), key=lambda i: -len(told[i]))[:MAX_EVENTS])
        shown = [e for e in events if e.id in often]  # still in date order
    lines = []
    for e in shown:
        lines.append(event_line(e, page, events_at[e.id], dossier.labels, set(told[e.id][:MAX_TELLINGS]), pv)
                     + (f" and {len(told[e.id]) - MAX_TELLINGS} more" if len(told[e.id]) > MAX_TELLINGS else ""))
    more = (f"The {len(shown)} events told most often of {len(events)} on this topic; all are on the "
            f"[Timeline]({link(page, TIMELINE.path)}).\n" if len(shown) < len(events) else "")
    return ["## Timeline {: #timeline }\n", "\n".join(lines) + "\n", more]


def topic_pages(topic: str, description: str, dossier: Dossier, events_at: dict[str, str]) -> list[tuple[str, str]]:
    """A topic's page, whole if it fits the page budget, else an overview and its parts (`events_at`: the page
    holding each event's entry)."""
    page = topic_page(topic)
    head = [front_matter(topic.capitalize(), (topic,), search_facets("topic", topics=(topic,))),
            f"Passages on **{topic}**: {inert(description)}.\n"] + debates_part(topic, dossier, page)
    groups = [(seg, [p for p in seg.passages if topic in p.topics]) for seg in dossier.sources]
    slips = by_passage(dossier.errata)
    whole = [source_group(seg, ps, dossier, page, slips) for seg, ps in groups]
    if fits(whole):
        return [(page, "\n".join(head + timeline_part(topic, dossier, page, events_at) + [count_rows(groups, dossier)] + whole
                                 + [page_bibliography(seg.source for seg, _ in groups)]))]
    on = [(seg, ps) for seg, ps in groups if ps]  # the parts hold the sources with passages on the topic
    sized = [(g, source_group(*g, dossier, part_page(page, 1), slips)) for g in on]
    cut = pack(sized, lambda item: nbytes(item[1]))
    total = sum(len(ps) for _, ps in on)
    rows = ["## Sources on this topic {: #sources }\n",
            f"{total} passages of {len(on)} sources are on this topic ({len(groups) - len(on)} sources have none), "
            f"in {len(cut)} parts:\n", "| Part | Sources | Passages |", "| --- | --- | --- |"]
    pv = Previews(dossier, page, slips=slips)  # the passages its timeline lines link to are in the parts
    head += timeline_part(topic, dossier, page, events_at, pv)
    out = []
    for k, part in enumerate(cut, 1):
        first, last = part[0][0][0].source, part[-1][0][0].source
        span = inert(dossier.label(first.id)) + (f" … {inert(dossier.label(last.id))}" if len(part) > 1 else "")
        rows.append(f"| [Part {k}]({link(page, part_page(page, k))}) | {span} ({len(part)}) | "
                    f"{sum(len(ps) for (_, ps), _ in part)} |")
        here = part_page(page, k)
        nav = nav_line(page, k, len(cut), f"{topic.capitalize()}: overview")
        body = [front_matter(f"{topic.capitalize()}, part {k} of {len(cut)}", extra=NOT_INDEXED),
                f"Passages on **{topic}**, part {k} of {len(cut)}: {len(part)} sources.\n", nav,
                count_rows([g for g, _ in part], dossier)] + [text for _, text in part] + [
                nav, page_bibliography(seg.source for (seg, _), _ in part)]
        out.append((here, "\n".join(body)))
    return [(page, "\n".join(head + rows) + "\n" + pv.block())] + out


def render(ctx: Context):
    for topic, description in ctx.descriptions:
        yield from topic_pages(topic, description, ctx.dossier, timeline_layout(ctx.dossier).where)


KIND = PageKind("topic pages", (TOPICS, *TOPIC_PARTS), render)
