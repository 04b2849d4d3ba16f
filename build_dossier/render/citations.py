"""Citation markup: the Cite box under each passage, and the citations in page headers and lists.

Citations are raw HTML from the macros of `templates/citations.html` (every value made inert, see
`templates.py`), the citations themselves rendered by `cite.html()`; each copyable text is a
`<span class="cite-text">`, to which `docs/assets/cite.js` adds a Copy button.
"""

from __future__ import annotations

from markupsafe import Markup

from ..model import Passage, Source
from .cite import apa_in_text, apa_reference, chicago_bibliography, chicago_note, chicago_short, html, plain
from .deeplink import deep_link
from .templates import CITATIONS


def cite_box(source: Source, p: Passage, permalink: str) -> str:
    """Under a passage: `Cite ¶N` (Chicago note, APA reference, APA in-text) and a deep link into the original.

    A `<details>` element: it opens without JavaScript, and the print style shows its Chicago note.
    """
    rows = (("Chicago", Markup(html(chicago_note(source, p.n, permalink)))),
            ("APA", Markup(html(apa_reference(source, permalink)))),
            ("In text", apa_in_text(source, p.n)))
    original = deep_link(source.url, p.text, source.body) if source.url else None
    return f"{CITATIONS.cite_box(p.n, rows, original)}\n"


def source_citations(source: Source) -> str:
    """The full Chicago bibliography entry and APA reference of a source, for page headers."""
    return str(CITATIONS.source_citations(Markup(html(chicago_bibliography(source))), Markup(html(apa_reference(source)))))


def bibliography_line(source: Source) -> str:
    """One Chicago bibliography entry as a raw HTML paragraph (topic pages, debate pages)."""
    return f"{CITATIONS.cite_line(Markup(html(chicago_bibliography(source))))}\n"


def short_note(source: Source, n: int) -> str:
    """A debate position's citation: the short Chicago note with the paragraph number."""
    return f"{CITATIONS.cite_line(Markup(html(chicago_short(source, n))), debate=True)}\n"


def cite_list(source: Source) -> str:
    """Every form of a source's citation, as a definition list (How to cite page)."""
    rows = (("Chicago bibliography", Markup(html(chicago_bibliography(source)))),
            ("Chicago note", Markup(html(chicago_note(source)))),
            ("Chicago short note", Markup(html(chicago_short(source)))),
            ("APA reference", Markup(html(apa_reference(source)))),
            ("APA in text", apa_in_text(source)))
    return str(CITATIONS.cite_list(rows))


def link(url: str) -> str:
    """A link to an outside address, the address shown as its text."""
    return str(CITATIONS.link(url))


def citation_text(source: Source) -> str:
    """The source's Chicago bibliography entry as plain text (home page list)."""
    return plain(chicago_bibliography(source))
