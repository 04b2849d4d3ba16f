"""Citation markup: the Cite box of a passage, a figure's and a debate's, page headers, and each page's bibliography.

Citations are raw HTML from the macros of `templates/citations.html` (every value made inert, see
`templates.py`), the citations themselves rendered by `cite.html()`; each copyable text is a
`.cite-text` element (a `.cite-block` of `.cite-entry` lines for a bibliography), to which `docs/assets/cite.js`
adds a Copy button. Every citation names the original (`cite.original_url`); the dossier's copy
is a separate, optional row, given only with a public site address (`permalink`, else None).
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup

from ..model import Passage, Source
from .cite import (apa_in_text, apa_reference, chicago_bibliography, chicago_note, chicago_short, dossier_copy, html,
                   original_url, plain, sort_key)
from .deeplink import deep_link
from .templates import CITATIONS

Rows = list[tuple[str, object]]
"""(label, citation) pairs: a citation is Markup (rendered runs), text, or a list of Markup lines."""


def _m(runs) -> Markup:
    return Markup(html(runs))


def passage_link(source: Source, p: Passage) -> str | None:
    """A text-fragment link into the original at the passage, verified against the captured text; None without one."""
    url = original_url(source)
    return deep_link(url, p.text, source.body) if url else None


def passage_rows(source: Source, p: Passage, permalink: str | None) -> Rows:
    """Every citation of one passage: Chicago note (and its variant linking the passage), bibliography, APA."""
    rows: Rows = [("Chicago note", _m(chicago_note(source, p.n)))]
    if deep := passage_link(source, p):
        rows.append((f"Chicago note, link to ¶{p.n}", _m(chicago_note(source, p.n, deep))))
    rows += [("Chicago bibliography", _m(chicago_bibliography(source))), ("APA reference", _m(apa_reference(source))),
             ("APA in text", apa_in_text(source, p.n))]
    if permalink:
        rows.append(("Dossier copy", _m(dossier_copy(permalink))))
    return rows


def cite_box(source: Source, p: Passage, permalink: str | None = None) -> str:
    """Under a passage: `Cite ¶N` with every citation of it, and a deep link into the original.

    A `<details>` element: it opens without JavaScript, and the print style shows its Chicago note.
    """
    return f"{CITATIONS.cite_box(f'Cite ¶{p.n}', passage_rows(source, p, permalink), passage_link(source, p))}\n"


def cite_cell(source: Source, p: Passage) -> str:
    """A passage's citations in one line of HTML, for a table cell (a figure's row)."""
    return str(CITATIONS.cite_cell("Cite", passage_rows(source, p, None)))


def cite_cells(sources: Iterable[Source], passages: Iterable[Passage], wanted: Iterable[str]) -> dict[str, str]:
    """The Cite cell of each passage in `wanted` (global ids), by passage id: one per passage, shared by whatever the
    page shows of it (its figures, its dated statements)."""
    by_id, wanted = {s.id: s for s in sources}, set(wanted)
    return {p.id: cite_cell(by_id[p.source], p) for p in passages if p.id in wanted}


def source_citations(source: Source, permalink: str | None = None) -> str:
    """A source's citations for its page header: Chicago note and bibliography entry, APA reference."""
    rows: Rows = [("Chicago note", _m(chicago_note(source))), ("Chicago bibliography", _m(chicago_bibliography(source))),
                  ("APA reference", _m(apa_reference(source)))]
    if permalink:
        rows.append(("Dossier copy", _m(dossier_copy(permalink))))
    return str(CITATIONS.source_citations(rows))


def debate_cite(question: str, cited: list[tuple[Source, Passage]], permalink: str | None = None) -> str:
    """`Cite this debate`: the question, a Chicago note for each position, and one APA in-text citation of them all."""
    rows: Rows = [("Question", question),
                  ("Chicago notes", [_m(chicago_note(s, p.n)) for s, p in cited]),
                  ("APA in text", "(" + "; ".join(apa_in_text(s, p.n)[1:-1] for s, p in sorted(
                      cited, key=lambda sp: (sort_key(sp[0]), sp[1].n))) + ")")]
    if permalink:
        rows.append(("Dossier copy", _m(dossier_copy(permalink))))
    return f"{CITATIONS.cite_box('Cite this debate', rows, None, Markup('cite-this-debate'))}\n"


def page_bibliography(sources: Iterable[Source]) -> str:
    """`Copy all citations on this page`: the Chicago bibliography and APA reference list of `sources`, sorted."""
    ordered = sorted({s.id: s for s in sources}.values(), key=sort_key)
    if not ordered:
        return ""
    block = CITATIONS.page_bibliography([_m(chicago_bibliography(s)) for s in ordered],
                                        [_m(apa_reference(s)) for s in ordered])
    return f"{block}\n"


def bibliography_line(source: Source) -> str:
    """One Chicago bibliography entry as a raw HTML paragraph (topic pages, debate pages)."""
    return f"{CITATIONS.cite_line(_m(chicago_bibliography(source)))}\n"


def short_note(source: Source, n: int) -> str:
    """A debate position's citation: the short Chicago note with the paragraph number."""
    return f"{CITATIONS.cite_line(_m(chicago_short(source, n)), debate=True)}\n"


def cite_list(source: Source) -> str:
    """Every form of a source's citation, as a definition list (How to cite page)."""
    rows = (("Chicago bibliography", _m(chicago_bibliography(source))),
            ("Chicago note", _m(chicago_note(source))),
            ("Chicago short note", _m(chicago_short(source))),
            ("APA reference", _m(apa_reference(source))),
            ("APA in text", apa_in_text(source)))
    return str(CITATIONS.cite_list(rows))


def link(url: str) -> str:
    """A link to an outside address, the address shown as its text."""
    return str(CITATIONS.link(url))


def citation_text(source: Source) -> str:
    """The source's Chicago bibliography entry as plain text (home page list)."""
    return plain(chicago_bibliography(source))
