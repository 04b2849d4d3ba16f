"""Stage 6: the model as Markdown pages for MkDocs.

Source text is data, never markup. One mechanism keeps it so: every text that comes from a source,
a ledger or a data file — passages, headings, quotes, titles, authors, stances, questions, labels,
notes, removed chrome lines, URLs — reaches a page only through `text.inert`, which writes each
character that Markdown or HTML could read as syntax as a numeric character reference. The result is
inert wherever it lands (a Markdown heading, link label or table cell, a `markdown` block, raw HTML
text or an attribute value), so the pages can mix our own Markdown (headings with `{: #id }`, links
MkDocs checks, tables) with source text without either being able to change the other. Markup in
these modules is only ever our own.

The one text that is not page content is the page title in the front matter: MkDocs never reads it
as Markdown but hands it to the theme's templates and the search index, both HTML, so it is
HTML-escaped (`text.esc`); character references there would split the search index's title words.
"""

from __future__ import annotations

import json

from .cite import author_list
from .facets import NOT_INDEXED, search_facets
from .model import TOPICS, Dossier, Passage, Segmented, Source
from .render_cite import bibliography_line, citation_text, code, source_citations
from .text import esc, inert

SITE_TITLE = "China–Russia Research Dossier"


def front_matter(title: str, tags: tuple[str, ...] = (), extra: dict | None = None) -> str:
    """YAML front matter; the title is HTML-escaped (see the module docstring)."""
    lines = ["---", f"title: {json.dumps(esc(title), ensure_ascii=False)}"]
    if tags:
        lines.append("tags:")
        lines += [f"  - {t}" for t in tags]
    for key, value in (extra or {}).items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines + ["---", ""])


def source_page_path(source_id: str) -> str:
    return f"sources/{source_id}.md"


def page_url(md_path: str) -> str:
    """Site-relative URL of a generated page (the site uses `.html` URLs)."""
    return md_path[:-3] + ".html"


def passage_url(p: Passage) -> str:
    return f"{page_url(source_page_path(p.source))}#{p.anchor}"


def chips(topics: tuple[str, ...], prefix: str) -> str:
    """Topic chips linking to the topic pages, as a Markdown paragraph."""
    if not topics:
        return '<span class="chip chip-none">no topic</span>\n{: .passage-topics data-search-exclude="" }'
    links = " ".join(f"[{t}]({prefix}topics/{t}.md){{: .chip .chip-{t} }}" for t in topics)
    return links + '\n{: .passage-topics data-search-exclude="" }'


def passage_text(p: Passage) -> str:
    """The passage as an HTML paragraph of inert text (it sits inside a `markdown` block, where attr_list reads lines)."""
    cls = "passage-text passage-bullet" if p.kind == "bullet" else "passage-text"
    return f'<p class="{cls}">{inert(p.text)}</p>'


def citation_header(source: Source) -> str:
    """Raw HTML citation block for the top of a source page."""
    def row(label: str, value: str | None, key: str, html: str | None = None) -> str:
        if value is None:
            note = source.note(key)
            shown = f'<span class="unknown">unknown</span>' + (f" — {inert(note)}" if note else "")
        else:
            shown = html or inert(value)
        return f"<dt>{label}</dt><dd>{shown}</dd>"
    url_html = f'<a href="{inert(source.url)}" rel="noopener">{inert(source.url)}</a>' if source.url else None
    rows = [
        row("Authors", author_list(source), "authors"),
        row("Title", source.title, "title"),
    ]
    if source.subtitle:
        rows.append(row("Subtitle", source.subtitle, "subtitle"))
    rows += [
        row("Publisher", source.publisher, "publisher"),
        row("Date", source.date, "date"),
        row("URL", source.url, "url", url_html),
        row("Licence", source.license, "license"),
        row("Accessed", source.accessed, "accessed"),
    ]
    cite = source_citations(source)
    return '<div class="source-citation">\n<dl>\n' + "\n".join(rows) + "\n</dl>\n" + cite + "\n</div>"


def source_page(seg: Segmented, below: dict[str, str]) -> str:
    """One source: citation header, then its passages under its own headings.

    `below` maps a passage id to Markdown shown under it (debate and related links).
    """
    source = seg.source
    tags = tuple(t for t in TOPICS if any(t in p.topics for p in seg.passages))
    parts = [front_matter(source.display_title, tags, NOT_INDEXED), citation_header(source), ""]
    removed = len(seg.cleaned.removed)
    parts.append(f"{len(seg.passages)} passages. {removed} lines of page chrome were removed from the captured text "
                 f"([cleaning report](../reports/cleaning.md#{source.id})).\n{{: .source-stats }}\n")
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
        parts.append(passage_text(p) + "\n")
        parts.append(chips(p.topics, "../") + "\n")
        if below.get(p.id):
            parts.append(below[p.id])
        parts.append("</div>\n")
    return "\n".join(parts)


def related_line(targets: list[Passage], dossier: Dossier, prefix: str) -> str:
    """'Related in other sources' links under a passage."""
    if not targets:
        return ""
    links = " · ".join(f"[{inert(dossier.label(q.source))} ¶{q.n}]({prefix}{source_page_path(q.source)}#{q.anchor})"
                       for q in targets)
    return f'**Related in other sources:** {links}\n{{: .passage-related data-search-exclude="" }}\n'


def topic_page(topic: str, description: str, dossier: Dossier, debates: str) -> str:
    """One topic: its debates, then the passages of every source on it, grouped by source."""
    parts = [front_matter(topic.capitalize(), (topic,), search_facets("topic", topics=(topic,))),
             f"Passages on **{topic}**: {inert(description)}.\n"]
    if debates:
        parts += ["## Debates on this topic {: #debates }\n", debates]
    groups = [(seg, [p for p in seg.passages if topic in p.topics]) for seg in dossier.sources]
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
            parts.append(f"**[{inert(dossier.label(s.id))} ¶{p.n}](../{source_page_path(s.id)}#{p.anchor})**{where}\n"
                         '{: .passage-ref data-search-exclude="" }\n')
            parts.append(f'<p class="passage-text" data-search-exclude="">{inert(p.text)}</p>\n')
    return "\n".join(parts)


def home_page(dossier: Dossier, descriptions: dict[str, str], contested: str) -> str:
    """Home: what the dossier covers, the sources with citations, topic counts, the most contested questions."""
    n = len(dossier.passages())
    parts = [front_matter("Home", extra=NOT_INDEXED),
             f"# {SITE_TITLE}\n",
             f"A research dossier on relations between China and Russia, built from {len(dossier.sources)} "
             f"source articles cut into {n} numbered, citable passages. Each passage is tagged with the topics "
             "it addresses — " + ", ".join(f"[{t}](topics/{t}.md)" for t in TOPICS) +
             " — so the authors can be compared topic by topic. Every passage is an exact span of its source; "
             "page chrome removed from the captured text is listed in the [cleaning report](reports/cleaning.md).\n",
             "## Sources\n",
             "| Source | Publisher | Date | Passages |", "| --- | --- | --- | --- |"]
    for seg in dossier.sources:
        s = seg.source
        parts.append(f"| [{inert(author_list(s))}: {inert(s.display_title)}]({source_page_path(s.id)}) | "
                     f"{inert(s.publisher)} | {inert(s.date or 'unknown')} | {len(seg.passages)} |")
    parts.append("\n### Citations\n")
    for seg in dossier.sources:
        parts.append(f"- {inert(citation_text(seg.source))}")
    parts.append("\nCitations for every passage, and BibTeX, RIS and CSL-JSON exports: [How to cite](cite.md).\n")
    parts.append("\n## Topics\n")
    head = "| Topic | All sources | " + " | ".join(inert(dossier.label(seg.source.id)) for seg in dossier.sources) + " |"
    parts += [head, "| --- " * (len(dossier.sources) + 2) + "|"]
    for t in TOPICS:
        counts = [sum(t in p.topics for p in seg.passages) for seg in dossier.sources]
        parts.append(f"| [{t}](topics/{t}.md) | {sum(counts)} | " + " | ".join(str(c) for c in counts) + " |")
    parts.append("\nTopic meanings: " + "; ".join(f"**{t}** — {inert(descriptions.get(t, ''))}" for t in TOPICS) + ".\n")
    if contested:
        parts += ["## Most contested questions\n", contested,
                  f"All {len(dossier.claims)} debates are on the [Debates](debates/index.md) page.\n"]
    parts.append(f"**Figures:** {len(dossier.figures)} numbers stated in the passages (trade totals, border length, shares, "
                 "troops…) are compared source by source, with disagreements flagged, on the [Figures](figures.md) page.\n")
    return "\n".join(parts)


def cleaning_page(dossier: Dossier) -> str:
    """Every line of page chrome the cleaner removed, per source, for audit."""
    parts = [front_matter("Cleaning report", extra=NOT_INDEXED),
             "The captured texts in `sources/` are kept unchanged; the build removes web-page chrome by the rules "
             "in `build_dossier/data/chrome.yaml`. Every removed line is listed here with its line number in the "
             "source file and the rule that removed it.\n"]
    for seg in dossier.sources:
        s = seg.source
        parts.append(f"## {inert(dossier.label(s.id))}: {inert(s.display_title)} {{: #{s.id} }}\n")
        parts.append(f"{code(s.path)} — {len(seg.cleaned.removed)} lines removed.\n")
        if seg.cleaned.removed:
            rows = ["| Line | Rule | Text |", "| --- | --- | --- |"]
            rows += [f"| {r.line} | {r.rule} | {inert(r.text)} |" for r in seg.cleaned.removed]
            parts.append("\n".join(rows) + "\n")
    return "\n".join(parts)
