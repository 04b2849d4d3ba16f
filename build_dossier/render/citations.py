"""Citation markup: the Cite box under each passage, and the citations in page headers and lists.

Citations are raw HTML built from `cite.html()` (source text through `text.inert`); each copyable text is a
`<span class="cite-text">`, to which `docs/assets/cite.js` adds a Copy button.
"""

from __future__ import annotations

from ..model import Passage, Source
from ..text import inert
from .cite import apa_in_text, apa_reference, chicago_bibliography, chicago_note, chicago_short, html, plain
from .deeplink import deep_link


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


def citation_text(source: Source) -> str:
    """The source's Chicago bibliography entry as plain text (home page list)."""
    return plain(chicago_bibliography(source))
