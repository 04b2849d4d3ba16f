"""The sources index: every source's citation facts in a table to sort, and the sources' place in the navigation.

Sorted by a column with `docs/assets/tables.js`; without JavaScript a plain table in publisher order.
Bounded: `ROWS` sources a page, the rest on further pages (`sources/list/2.md`…). Its front matter
carries the navigation groups (`navgroups.source_nav`). Source text only through `text.inert` (the template).
"""

from __future__ import annotations

from ...model import Dossier
from ..addresses import SOURCES_INDEX, SOURCES_PARTS, href, link, list_page, source_page
from ..cite import author_list, original_url
from ..facets import NOT_INDEXED
from ..kind import Context, PageKind
from ..markdown import front_matter
from ..navgroups import source_nav
from ..templates import TABLES, ours

ROWS = 250
"""Sources per page of the table."""
HEADS = ("Source", "Authors", "Publisher", "Date", "Original", "Passages", "Positions in debates")


def rows(dossier: Dossier, nav: list[dict]) -> list[tuple]:
    """Every source as a row (its page's path first), in the order of the navigation `nav` (by publisher, newest first)."""
    positions = {}
    for claim in dossier.claims:
        for pos in claim.positions:
            positions[pos.source] = positions.get(pos.source, 0) + 1
    order = [path for group in _flat(nav) for _, path in group["pages"]]
    by_page = {source_page(seg.source.id): seg for seg in dossier.sources}
    out = []
    for path in order:
        seg = by_page[path]
        s = seg.source
        out.append((path, f"{dossier.label(s.id)}: {s.display_title}", author_list(s), s.publisher,
                    s.date, ("original", original_url(s)) if original_url(s) else None, len(seg.passages),
                    positions.get(s.id, 0)))
    return out


def _flat(groups: list[dict]) -> list[dict]:
    """The groups that hold pages, in order (ranges of publishers opened)."""
    return [g for group in groups for g in (_flat(group["groups"]) if "groups" in group else [group])]


def render(ctx: Context):
    dossier = ctx.dossier
    nav = source_nav((seg.source for seg in dossier.sources), dossier.labels)
    every = rows(dossier, nav)
    chunks = [every[i:i + ROWS] for i in range(0, len(every), ROWS)] or [[]]
    paths = [list_page(SOURCES_INDEX, SOURCES_PARTS, n) for n in range(1, len(chunks) + 1)]
    for number, (path, chunk) in enumerate(zip(paths, chunks), 1):
        extra = dict(NOT_INDEXED, **({"source_nav": nav} if number == 1 else {}))
        pages = [(n, ours(href(path, p))) for n, p in enumerate(paths, 1)]
        pager = str(TABLES.pager(pages, number))
        intro = (f"{len(every)} sources, each with its citation facts; unknown facts are blank (the source's page says "
                 "why). Press a column's heading to sort by it.\n" if number == 1 else
                 f"Sources {ROWS * (number - 1) + 1}–{ROWS * (number - 1) + len(chunk)} of {len(every)} "
                 f"([first page]({link(path, SOURCES_INDEX.path)})).\n")
        table = str(TABLES.source_table(HEADS, [((row[1], ours(href(path, row[0]))),) + row[2:] for row in chunk]))
        yield path, "\n".join([front_matter("Sources" if number == 1 else f"Sources, page {number}", extra=extra),
                               intro, pager, "", table, "", pager, ""])


KIND = PageKind("sources index", (SOURCES_INDEX, SOURCES_PARTS), render)
