"""The home page: what the dossier covers, the most recent sources with their citations, topic counts, the most
contested debates. It stays the same size however many sources there are: it lists at most `RECENT` sources and
links the full list."""

from __future__ import annotations

from ...model import TOPICS, Dossier
from ...text import inert
from ..addresses import CITE, CLEANING, DEBATES_INDEX, FIGURES, HOME, SOURCES_INDEX, TIMELINE, link, source_page, topic_page
from ..cite import author_list
from ..citations import citation_text, page_bibliography
from ..debate_lines import debate_list, most_contested
from ..facets import NOT_INDEXED
from ..kind import Context, PageKind
from ..markdown import SITE_TITLE, front_matter

PAGE = HOME.path
RECENT = 20
"""Most sources the home page lists (the most recent); every source is on the sources index."""


def recent(dossier: Dossier) -> list:
    """The `RECENT` most recent sources, newest first (undated ones last, then by id); all of them if fewer."""
    if len(dossier.sources) <= RECENT:
        return list(dossier.sources)
    dated = sorted(dossier.sources, key=lambda seg: seg.source.id)
    return sorted(dated, key=lambda seg: seg.source.date or "", reverse=True)[:RECENT]


def home_page(dossier: Dossier, descriptions: dict[str, str], contested: str) -> str:
    """Home: what the dossier covers, the sources with citations, topic counts, the most contested questions."""
    n = len(dossier.passages())
    parts = [front_matter("Home", extra=NOT_INDEXED),  # it lists pages that are search results
             f"# {SITE_TITLE}\n",
             f"A research dossier on relations between China and Russia, built from {len(dossier.sources)} "
             f"source articles cut into {n} numbered, citable passages. Each passage is tagged with the topics "
             "it addresses — " + ", ".join(f"[{t}]({link(PAGE, topic_page(t))})" for t in TOPICS) +
             " — so the authors can be compared topic by topic. Every passage is an exact span of its source; "
             f"page chrome removed from the captured text is listed in the [cleaning report]({link(PAGE, CLEANING.path)}).\n",
             "## Sources\n"]
    shown = recent(dossier)
    if len(shown) < len(dossier.sources):
        parts.append(f"The {len(shown)} most recent of {len(dossier.sources)} sources; all of them are listed in "
                     f"the [sources index]({link(PAGE, SOURCES_INDEX.path)}).\n")
    parts += ["| Source | Publisher | Date | Passages |", "| --- | --- | --- | --- |"]
    for seg in shown:
        s = seg.source
        parts.append(f"| [{inert(author_list(s))}: {inert(s.display_title)}]({link(PAGE, source_page(s.id))}) | "
                     f"{inert(s.publisher)} | {inert(s.date or 'unknown')} | {len(seg.passages)} |")
    parts.append("\n### Citations\n")
    for seg in shown:
        parts.append(f"- {inert(citation_text(seg.source))}")
    parts.append("\nCitations for every passage, and BibTeX, RIS and CSL-JSON exports: "
                 f"[How to cite]({link(PAGE, CITE.path)}).\n")
    parts.append(page_bibliography(seg.source for seg in shown))
    parts.append("\n## Topics\n")
    head = "| Topic | All sources | " + " | ".join(inert(dossier.label(seg.source.id)) for seg in shown) + " |"
    parts += [head, "| --- " * (len(shown) + 2) + "|"]
    for t in TOPICS:
        total = sum(t in p.topics for seg in dossier.sources for p in seg.passages)
        counts = [sum(t in p.topics for p in seg.passages) for seg in shown]
        parts.append(f"| [{t}]({link(PAGE, topic_page(t))}) | {total} | " + " | ".join(str(c) for c in counts) + " |")
    parts.append("\nTopic meanings: " + "; ".join(f"**{t}** — {inert(descriptions.get(t, ''))}" for t in TOPICS) + ".\n")
    if contested:
        parts += ["## Most contested questions\n", contested,
                  f"All {len(dossier.claims)} debates are on the [Debates]({link(PAGE, DEBATES_INDEX.path)}) page.\n"]
    parts.append(f"**Figures:** {len(dossier.figures)} numbers stated in the passages (trade totals, border length, shares, "
                 f"troops…) are compared source by source, with disagreements flagged, on the [Figures]({link(PAGE, FIGURES.path)}) page.\n")
    parts.append(f"**Timeline:** {len(dossier.events)} dated events across the sources, in date order, on the "
                 f"[Timeline]({link(PAGE, TIMELINE.path)}) page.\n")
    return "\n".join(parts)


def render(ctx: Context):
    contested = debate_list(most_contested(ctx.dossier.claims), PAGE) if ctx.dossier.claims else ""
    yield PAGE, home_page(ctx.dossier, dict(ctx.descriptions), contested)


KIND = PageKind("home page", (HOME,), render)
