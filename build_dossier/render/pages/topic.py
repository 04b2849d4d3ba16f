"""Topic pages: a topic's debates, then the passages of every source on it, grouped by source."""

from __future__ import annotations

from ...model import Dossier
from ...text import inert
from ..addresses import TOPICS, passage_link, topic_page
from ..citations import bibliography_line, page_bibliography
from ..debate_lines import debate_list
from ..facets import search_facets
from ..kind import Context, PageKind
from ..markdown import front_matter
from ..previews import inline_text, link_attrs
from ..sic import by_passage
from ..timeline_lines import event_line


def topic_markdown(topic: str, description: str, dossier: Dossier, debates: str) -> str:
    """One topic: its debates, then the passages of every source on it, grouped by source."""
    page = topic_page(topic)
    parts = [front_matter(topic.capitalize(), (topic,), search_facets("topic", topics=(topic,))),
             f"Passages on **{topic}**: {inert(description)}.\n"]
    if debates:
        parts += ["## Debates on this topic {: #debates }\n", debates]
    on_topic = {p.id for seg in dossier.sources for p in seg.passages if topic in p.topics}
    events = [e for e in dossier.events if any(m.passage in on_topic for m in e.mentions)]
    if events:  # the timeline of the topic: events told in its passages (issue 17)
        parts += ["## Timeline {: #timeline }\n",
                  "\n".join(event_line(e, page, dossier.labels, on_topic) for e in events) + "\n"]
    groups = [(seg, [p for p in seg.passages if topic in p.topics]) for seg in dossier.sources]
    slips = by_passage(dossier.errata)
    rows = ["| Source | Passages on this topic |", "| --- | --- |"]
    for seg, ps in groups:
        rows.append(f"| [{inert(dossier.label(seg.source.id))}: {inert(seg.source.display_title)}](#src-{seg.source.id}) | {len(ps)} |")
    parts.append("\n".join(rows) + "\n")
    for seg, ps in groups:
        s = seg.source
        parts.append(f"## {inert(dossier.label(s.id))}: {inert(s.display_title)} {{: #src-{s.id} }}\n")
        parts.append(bibliography_line(s))
        if not ps:
            parts.append("*No passage of this source is on this topic.*\n")
        for p in ps:
            where = f" · {inert(p.section.title)}" if p.section else ""
            # The passages are search results of their own: here neither the reference nor the text is searched.
            # The link's preview is the text shown below it (`previews.inline_text`): no second copy.
            parts.append(f"**[{inert(dossier.label(s.id))} ¶{p.n}]({passage_link(page, p.id)}){link_attrs(p.id)}**{where}\n"
                         '{: .passage-ref data-search-exclude="" }\n')
            parts.append(inline_text(p, dossier.labels, slips.get(p.id, ())) + "\n")
    parts.append(page_bibliography(seg.source for seg in dossier.sources))
    return "\n".join(parts)


def render(ctx: Context):
    for topic, description in ctx.descriptions:
        on_topic = [c for c in ctx.dossier.claims if topic in c.topics]
        page = topic_page(topic)
        yield page, topic_markdown(topic, description, ctx.dossier, debate_list(on_topic, page) if on_topic else "")


KIND = PageKind("topic pages", (TOPICS,), render)
