"""Citation markup: the Cite box under each passage, citations in page headers, and the How to cite page.

Citations are raw HTML built from `cite.html()` (source text through `text.inert`); each copyable text is a
`<span class="cite-text">`, to which `docs/assets/cite.js` adds a Copy button.
"""

from __future__ import annotations

from ..model import Dossier, Passage, Source
from ..text import inert
from .cite import (absolute, apa_in_text, apa_reference, chicago_bibliography, chicago_note, chicago_short, html,
                   plain)
from .deeplink import deep_link

CITE_PAGE = "cite.md"
EXPORTS = (("references.bib", "BibTeX"), ("references.ris", "RIS"), ("references.json", "CSL-JSON"))
"""The reference-manager exports at the site root, with their formats."""


def code(text: str) -> str:
    """Inline code as raw HTML (a Markdown code span would show entities literally)."""
    return f"<code>{inert(text)}</code>"


def span(runs_html: str) -> str:
    return f'<span class="cite-text">{runs_html}</span>'


def cite_box(source: Source, p: Passage, permalink: str) -> str:
    """Under a passage: `Cite ¶N` (Chicago note, APA reference, APA in-text) and a deep link into the original.

    A `<details>` element: it opens without JavaScript, and the print style shows its Chicago note.
    """
    rows = (("Chicago", html(chicago_note(source, p.n, permalink))),
            ("APA", html(apa_reference(source, permalink))),
            ("In text", inert(apa_in_text(source, p.n))))
    body = "".join(f"<dt>{label}</dt><dd>{span(text)}</dd>" for label, text in rows)
    original = ""
    if source.url:
        link = deep_link(source.url, p.text, source.body)
        original = (f'<a class="cite-original" href="{inert(link)}" rel="noopener" '
                    f'title="Opens the original page at this passage">Open in the original</a>')
    return (f'<div class="cite-box" data-search-exclude="">{original}<details class="cite">'
            f"<summary>Cite ¶{p.n}</summary><dl>{body}</dl></details></div>\n")


def source_citations(source: Source) -> str:
    """The full Chicago bibliography entry and APA reference of a source, for page headers."""
    return ('<div class="source-cite" data-search-exclude="">'
            f'<p><strong>Chicago:</strong> {span(html(chicago_bibliography(source)))}</p>'
            f'<p><strong>APA:</strong> {span(html(apa_reference(source)))}</p></div>')


def bibliography_line(source: Source) -> str:
    """One Chicago bibliography entry as a raw HTML paragraph (topic pages, debate pages)."""
    return f'<p class="cite-line" data-search-exclude="">{span(html(chicago_bibliography(source)))}</p>\n'


def short_note(source: Source, n: int) -> str:
    """A debate position's citation: the short Chicago note with the paragraph number."""
    return f'<p class="cite-line debate-cite" data-search-exclude="">{span(html(chicago_short(source, n)))}</p>\n'


def cite_page(dossier: Dossier, site_url: str | None) -> str:
    """How to cite: the addresses, their stability, the exports, and every source's citations."""
    from .pages import front_matter, page_url, source_page_path  # render imports this module

    example = dossier.sources[0].source.id if dossier.sources else "lo-cepa-2024"
    base = site_url or ""
    parts = [front_matter("How to cite"), "# How to cite\n",
             "Every source and every passage of the dossier has a permanent address and a ready citation. "
             "Under each passage, **Cite ¶N** opens its citation in Chicago (notes-bibliography, 17th ed.) and APA "
             "(7th ed.) style, each with a Copy button; where the original's web address is known, **Open in the "
             "original** opens the original page scrolled to the passage (a URL text fragment, supported by "
             "Chromium-based browsers and Safari; others open the page at the top). Each source page starts with "
             "the source's full citation.\n",
             "## Addresses {: #addresses }\n",
             "| What | Address | Example |", "| --- | --- | --- |",
             f"| Source page | `sources/<id>.html` | {code(absolute(base, page_url(source_page_path(example))))} |",
             f"| Passage | `sources/<id>.html#p<N>` | {code(absolute(base, page_url(source_page_path(example))) + '#p5')} |",
             f"| Passage id (in `dossier.json`, `build-dossier explain`) | `<id>-p<N>` | {code(example + '-p5')} |",
             "| Debate | `debates/<debate id>.html` | see [Debates](debates/index.md) |" if dossier.claims else "",
             "",
             "`<id>` is the source's id (its file name in `sources/` without `.md`); **¶N** is the N-th passage — "
             "paragraph or bullet item, headings not counted — of the source in reading order. In citations, "
             "¶N is written `para. N`. "
             + (f"Absolute addresses use the site address {code(site_url or '')} (`site_url` in `mkdocs.yml`, "
                "or the `DOSSIER_SITE_URL` environment variable at build time).\n" if site_url else
                "The site has no `site_url` in `mkdocs.yml`, so addresses are given relative to the site root.\n"),
             "**Stability.** A passage's number depends only on its own source's text: adding or removing another "
             "source, rebuilding, or changing the tagger never changes it. Only an edit of the source's text can. "
             "`sources/passages.lock` records a fingerprint (SHA-256 of the text, and the opening words) of every "
             "passage; `build-dossier check` and `build-dossier build` name every passage whose text changed "
             "(\"¶N of X changed: citations to it may be stale\") or moved (\"¶N of X now reads as ¶M\"). "
             "`build-dossier build` adds new sources to the lock; `build-dossier lock` accepts edits.\n",
             "## Exports {: #exports }\n",
             "One entry per source, keyed by the source id; facts that are not known (a date, a web address) are "
             "left out, never invented. Each entry's note gives its address in this dossier.\n"]
    parts += [f"- [`{name}`]({name}) — {fmt}" for name, fmt in EXPORTS]
    parts += ["", "## Style notes {: #styles }\n",
              "Titles keep the capitalisation and punctuation of the captured text (APA asks for sentence case; "
              "changing case automatically would corrupt proper nouns, so adjust by hand if your style needs it). "
              "An unknown date is written *n.d.*, an unknown title as a description (*untitled article*), and an "
              "unknown web address or access date is left out. The passage citations give the dossier's permalink, "
              "because the paragraph numbers are the dossier's; the source citations give the original's address "
              "where it is known.\n",
              "## Sources {: #sources }\n"]
    for seg in dossier.sources:
        s = seg.source
        page = page_url(source_page_path(s.id))
        parts.append(f"### {inert(dossier.label(s.id))}: {inert(s.display_title)} {{: #{s.id} }}\n")
        rows = (("Chicago bibliography", html(chicago_bibliography(s))),
                ("Chicago note", html(chicago_note(s))),
                ("Chicago short note", html(chicago_short(s))),
                ("APA reference", html(apa_reference(s))),
                ("APA in text", inert(apa_in_text(s))))
        parts.append('<dl class="cite-list" data-search-exclude="">'
                     + "".join(f"<dt>{label}</dt><dd>{span(text)}</dd>" for label, text in rows) + "</dl>\n")
        where = [f"Key {code(s.id)}", f"[{len(seg.passages)} passages]({source_page_path(s.id)})",
                 f"dossier address {code(absolute(base, page))}"]
        if s.url:
            where.append(f'original <a href="{inert(s.url)}" rel="noopener">{inert(s.url)}</a>')
        parts.append(" · ".join(where) + "\n")
    return "\n".join(parts)


def citation_text(source: Source) -> str:
    """The source's Chicago bibliography entry as plain text (home page list)."""
    return plain(chicago_bibliography(source))
