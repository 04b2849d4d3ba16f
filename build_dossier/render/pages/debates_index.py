"""The debates index: who agrees with whom (an author × author matrix), then every debate in a table to filter.

The table works as a plain table without JavaScript; `docs/assets/tables.js` adds the filter by topic,
author, relation and the author it is towards (also from the URL's query, as each matrix cell links).
Bounded however big the ledger: the matrix holds the `MATRIX_AUTHORS` sources with the most positions,
and the table `ROWS` debates a page, the rest on further pages (`debates/list/2.md`…). Ledger text reaches
it only through `text.inert` (the templates).
"""

from __future__ import annotations

from collections import Counter

from ...model import TOPICS, Claim, Dossier
from ...text import inert
from ..addresses import DEBATES_INDEX, DEBATES_PARTS, debate_page, href, link, list_page
from ..debate_lines import DIRECTED, LABELS, PROPOSAL_NOTE, PROPOSED, filtered, pairs, title
from ..facets import NOT_INDEXED
from ..kind import Context, PageKind
from ..markdown import front_matter
from ..templates import TABLES, ours

PAGE = DEBATES_INDEX.path
MATRIX_AUTHORS = 12
"""The matrix shows the sources with the most positions, at most this many (every source's own counts are on its page)."""
ROWS = 100
"""Debates per page of the table."""


def proposals_index(dossier: Dossier) -> str:
    """The debates index's last part: proposed debates and proposed positions, apart from the reviewed ones."""
    joins = [(c, pos) for c in dossier.claims for pos in c.proposed]
    if not joins and not dossier.proposed:
        return ""
    parts = [f"## {PROPOSED} {{: #proposed }}\n", PROPOSAL_NOTE + "\n"]
    labels = dossier.labels
    if dossier.proposed:
        parts.append("New debates:\n")
        parts += [f"- [{inert(title(c, labels))}]({link(PAGE, debate_page(c.id))})" for c in dossier.proposed]
        parts.append("")
    if joins:
        parts.append("Positions proposed for the debates above:\n")
        parts += [f"- [{inert(c.question)}]({link(PAGE, debate_page(c.id), 'proposed')}) — {inert(labels[pos.source])} "
                  f"¶{pos.n}" for c, pos in joins]
        parts.append("")
    return "\n".join(parts)


def taking_part(claims: tuple[Claim, ...]) -> list[str]:
    """Source ids with a position in the debates, most positions first (then by id)."""
    uses = Counter(pos.source for c in claims for pos in c.positions)
    return sorted(uses, key=lambda sid: (-uses[sid], sid))


def matrix(dossier: Dossier) -> str:
    """Who agrees with whom: for each pair of the most debating sources, their relations counted, each count a link."""
    shown = taking_part(dossier.claims)[:MATRIX_AUTHORS]
    order = sorted(shown, key=lambda sid: dossier.label(sid).lower())
    found = pairs(dossier.claims)
    cells = {(a, b): [(len(kinds[k]), LABELS[k], ours(filtered(PAGE, author=a, relation=k, **{"with": b})))
                      for kinds in [found.get(a, {}).get(b, {})] for k in DIRECTED if k in kinds]
             for a in order for b in order}
    note = ("Each cell counts the debates in which the row's author relates to the column's so: “qualifies” reads "
            "from the row, “qualified by” is the reverse. A count opens the debates it counts.")
    if len(shown) < len(taking_part(dossier.claims)):
        note += f" The {len(shown)} authors with the most positions; every author's counts are on their source page."
    return str(TABLES.matrix([(sid, dossier.label(sid)) for sid in order], cells, note))


def row(claim: Claim, dossier: Dossier, page: str) -> dict:
    """One debate as a row of the table, with the data its filter reads."""
    taking = list(dict.fromkeys(pos.source for pos in claim.positions))
    label = dossier.label
    return {"href": ours(href(page, debate_page(claim.id))), "question": claim.question, "topics": ours(" ".join(claim.topics)),
            "authors": ours(" ".join(taking)), "labels": [label(s) for s in taking],
            "pairs": ours(" ".join(f"{r.source}/{r.other}/{r.kind}" for r in claim.directed())),
            "relations": [f"{label(r.source)} {LABELS[r.kind]} {label(r.other)}" for r in claim.relations]}


def table_part(dossier: Dossier, claims: tuple[Claim, ...], page: str, pages: list[tuple[int, str]], number: int) -> str:
    """The filter and one page of the table of debates; the filter offers the authors of this page's debates."""
    authors = [(sid, dossier.label(sid)) for sid in sorted(taking_part(claims), key=lambda s: dossier.label(s).lower())]
    pager = str(TABLES.pager(pages, number))
    return "\n".join([str(TABLES.debate_filter(TOPICS, authors, [(k, LABELS[k]) for k in DIRECTED])), "",
                      pager, "", str(TABLES.debate_table([row(c, dossier, page) for c in claims])), "", pager, ""])


def debates_index(dossier: Dossier) -> list[tuple[str, str]]:
    """The index (the matrix and the table's first page), and the table's further pages."""
    if not dossier.claims:
        return [(PAGE, front_matter("Debates", extra=NOT_INDEXED) + "\nNo debates yet: `sources/claims.yaml` is missing or "
                 f"empty. See [Ledgers]({link(PAGE, 'about/ledgers.md')}) for how to add one, and `build-dossier suggest` "
                 "for candidates.\n" + proposals_index(dossier))]
    claims = dossier.claims
    chunks = [claims[i:i + ROWS] for i in range(0, len(claims), ROWS)]
    paths = [list_page(DEBATES_INDEX, DEBATES_PARTS, n) for n in range(1, len(chunks) + 1)]
    out = []
    for number, (path, chunk) in enumerate(zip(paths, chunks), 1):
        pages = [(n, ours(href(path, p))) for n, p in enumerate(paths, 1)]
        head = front_matter("Debates" if number == 1 else f"Debates, page {number}", extra=NOT_INDEXED)
        if number == 1:
            parts = [head, f"{len(claims)} contested questions on which two or more authors take a position, each backed "
                     "by an exact quote.\n", "## Who agrees with whom {: #matrix }\n", matrix(dossier), "",
                     "## All debates {: #debate-list }\n"]
        else:
            parts = [head, f"Debates {ROWS * (number - 1) + 1}–{ROWS * (number - 1) + len(chunk)} of {len(claims)}; "
                     f"who agrees with whom is on the [first page]({link(path, PAGE)}).\n{{: #debate-list }}\n"]
        parts.append(table_part(dossier, chunk, path, pages, number))
        if number == 1:
            parts.append(proposals_index(dossier))
        out.append((path, "\n".join(parts)))
    return out


def render(ctx: Context):
    yield from debates_index(ctx.dossier)


KIND = PageKind("debates index", (DEBATES_INDEX, DEBATES_PARTS), render)
