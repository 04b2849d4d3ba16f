"""Source pages: a citation header, then the article as numbered passages under its own headings.

Under each passage: its topic chips, its Cite box, the debates it takes part in, and the passages of
other sources most like it.
"""

from __future__ import annotations

from markupsafe import Markup

from ...model import Dossier, Erratum, Passage, Segmented, Source
from ...text import inert
from ..addresses import CLEANING, SOURCES, link, passage_url, permalink, source_page, topic_page, url
from ..cite import author_list, original_url
from ..citations import cite_box, page_bibliography, source_citations
from ..debate_lines import disagreements, pairs, passage_debates, passage_proposals, proposals_by_passage
from ..facets import NOT_INDEXED
from ..kind import Context, PageKind
from ..previews import Previews
from ..markdown import front_matter
from ..sic import by_passage, errata_line, sic_html
from ..templates import CITATIONS
from ..cleaning import layout as cleaning_layout


def chips(topics: tuple[str, ...], page: str) -> str:
    """Topic chips linking to the topic pages, as a Markdown paragraph."""
    if not topics:
        return '<span class="chip chip-none">no topic</span>\n{: .passage-topics data-search-exclude="" }'
    links = " ".join(f"[{t}]({link(page, topic_page(t))}){{: .chip .chip-{t} }}" for t in topics)
    return links + '\n{: .passage-topics data-search-exclude="" }'


def passage_text(p: Passage, errata: tuple[Erratum, ...] = ()) -> str:
    """The passage as an HTML paragraph of inert text (it sits inside a `markdown` block, where attr_list reads lines).

    A slip marked in the errata ledger gets `[sic]` after it (`sic.sic_html`); the text stays as captured.
    """
    cls = "passage-text passage-bullet" if p.kind == "bullet" else "passage-text"
    return f'<p class="{cls}">{sic_html(p.text, errata)}</p>'


LOCAL_URL_NOTE = "the address on record is a local one (not the original's public address), so it is not shown."


def citation_header(source: Source, site_url: str | None) -> str:
    """Raw HTML citation block for the top of a source page: every fact, or `unknown` and why; then its citations."""
    facts = [("Authors", author_list(source), "authors"), ("Title", source.title, "title")]
    if source.subtitle:
        facts.append(("Subtitle", source.subtitle, "subtitle"))
    facts += [("Publisher", source.publisher, "publisher"), ("Date", source.date, "date"), ("URL", original_url(source), "url"),
              ("Licence", source.license, "license"), ("Accessed", source.accessed, "accessed")]
    notes = dict(source.notes, **({"url": LOCAL_URL_NOTE} if source.url and not original_url(source) else {}))
    rows = [(label, value, notes.get(key) if value is None else None, key == "url") for label, value, key in facts]
    citations = source_citations(source, permalink(site_url, url(source_page(source.id))))
    return str(CITATIONS.citation_header(rows, Markup(citations)))


def source_markdown(seg: Segmented, below: dict[str, str], site_url: str | None = None,
                    errata: dict[str, tuple[Erratum, ...]] | None = None, cleaning: str = CLEANING.path,
                    summary: str = "") -> str:
    """One source: citation header, then its passages under its own headings, then its bibliography entry to copy.

    `below` maps a passage id to Markdown shown under it (debate and related links); `errata` the slips
    marked in each passage (`sic.by_passage`); `cleaning` the page of the cleaning report with its removed lines;
    `summary` goes under the citation (where its author disagrees).
    """
    errata = errata or {}
    source = seg.source
    page = source_page(source.id)
    # Not a search result as a whole: search indexes its passages and its citation one by one (`publish.search`).
    # Not tagged: the tags page would list every source (the topic pages list them, in bounded parts).
    parts = [front_matter(source.display_title, (), NOT_INDEXED), citation_header(source, site_url), ""]
    removed = len(seg.cleaned.removed)
    parts.append(f"{len(seg.passages)} passages. {removed} lines of page chrome were removed from the captured text "
                 f"([cleaning report]({link(page, cleaning, source.id)})).\n{{: .source-stats }}\n")
    if summary:
        parts.append(summary)
    by_start = {p.start: p for p in seg.passages}
    sections = iter(seg.sections)
    for block in seg.blocks:
        if block.kind == "heading":
            section = next(sections)
            parts.append(f"## {inert(section.title)} {{: #{section.id} }}\n")
            continue
        p = by_start[block.start]
        # One box per passage: print keeps a passage with its number, topics and citation (break-inside: avoid).
        parts.append('<div class="passage" markdown>\n')
        parts.append(f"### [¶{p.n}](#{p.anchor}) {{: #{p.anchor} .passage-head }}\n")
        parts.append(passage_text(p, errata.get(p.id, ())) + "\n")
        parts.append(chips(p.topics, page) + "\n")
        if below.get(p.id):
            parts.append(below[p.id])
        parts.append("</div>\n")
    parts.append(page_bibliography((source,)))
    return "\n".join(parts)


def related_line(targets: list[Passage], dossier: Dossier, pv: Previews) -> str:
    """'Related in other sources' links under a passage, each with its preview."""
    if not targets:
        return ""
    links = " · ".join(pv.link(f"{inert(dossier.label(q.source))} ¶{q.n}", q.id, "related") for q in targets)
    return f'**Related in other sources:** {links}\n{{: .passage-related data-search-exclude="" }}\n'


def render(ctx: Context):
    """Every source's page, with the lines under each passage: Cite box, debates, related passages."""
    dossier = ctx.dossier
    by_id = {p.id: p for p in dossier.passages()}
    similar: dict[str, list] = {}
    joined: dict[str, list] = {}  # passage id -> the debates it takes part in (in ledger order): linear, not P x D
    for claim in dossier.claims:
        for pid in dict.fromkeys(pos.passage for pos in claim.positions):
            joined.setdefault(pid, []).append(claim)
    slips = by_passage(dossier.errata)
    for found in dossier.links:
        if found.kind == "related":
            similar.setdefault(found.source, []).append(by_id[found.target])
    proposed = proposals_by_passage(dossier)
    cleaning_at = cleaning_layout(dossier)[1]
    relations = pairs(dossier.claims)
    for seg in dossier.sources:
        page = source_page(seg.source.id)
        pv = Previews(dossier, page, by_id, slips)
        # A blank line between the two, or Markdown runs them into one paragraph (and shows the first `{: … }`).
        below = {p.id: "\n".join(filter(None, (errata_line(slips.get(p.id, ())),
                                               cite_box(seg.source, p, permalink(ctx.site_url, passage_url(p.id))),
                                               passage_debates(p, tuple(joined.get(p.id, ())), dossier.labels, pv),
                                               passage_proposals(proposed.get(p.id, {}), dossier.labels, pv),
                                               related_line(similar.get(p.id, []), dossier, pv))))
                 for p in seg.passages}
        summary = disagreements(seg.source.id, relations.get(seg.source.id, {}), dossier, page)
        yield page, source_markdown(seg, below, ctx.site_url, slips, cleaning_at[seg.source.id], summary) + pv.block()


KIND = PageKind("source pages", (SOURCES,), render)
