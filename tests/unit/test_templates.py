"""The HTML templates print every untrusted value as inert text (`text.inert`), and only our own Markup as markup."""

from __future__ import annotations

from markupsafe import Markup

from build_dossier.render.templates import CITATIONS
from build_dossier.text import inert

HOSTILE = '<script>alert(1)</script> {: onclick="x" } [a](javascript:b) *c* `d` &amp; --- \n# h'
SYNTAX = set('<>{}[]()*`&"#')


def shown(html: str) -> str:
    """What is left of `html` once its tags (our own markup) are taken out."""
    out, tag = [], False
    for ch in html:
        tag = tag or ch == "<"
        if not tag:
            out.append(ch)
        tag = tag and ch != ">"
    return "".join(out)


def test_every_citation_macro_prints_values_inert():
    rendered = [
        CITATIONS.cite_box(HOSTILE, [(HOSTILE, HOSTILE), (HOSTILE, [HOSTILE, HOSTILE])], HOSTILE, HOSTILE),
        CITATIONS.cite_cell(HOSTILE, [(HOSTILE, HOSTILE)]),
        CITATIONS.source_citations([(HOSTILE, HOSTILE)]),
        CITATIONS.page_bibliography([HOSTILE], [HOSTILE, HOSTILE]),
        CITATIONS.cite_line(HOSTILE, debate=True),
        CITATIONS.cite_list([(HOSTILE, HOSTILE)]),
        CITATIONS.link(HOSTILE),
        CITATIONS.citation_header([(HOSTILE, HOSTILE, None, False), ("URL", HOSTILE, None, True),
                                   ("Date", None, HOSTILE, False)], HOSTILE),
    ]
    for html in rendered:
        assert "<script" not in html and "{:" not in html and "](" not in html
        assert inert(HOSTILE) in html
        assert not SYNTAX & set(shown(html).replace(inert(HOSTILE), "")), html


def test_markup_is_printed_as_it_is():
    ours = Markup('<i>Title</i>')
    html = str(CITATIONS.cite_line(ours))
    assert html == '<p class="cite-line" data-search-exclude=""><span class="cite-text"><i>Title</i></span></p>'
    assert str(CITATIONS.cite_line(ours, debate=True)).startswith('<p class="cite-line debate-cite" ')
