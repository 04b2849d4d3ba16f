"""Pages that list the whole corpus, cut into parts of bounded size: an overview at the page's address, then parts.

A page whose sections would exceed `addresses.PAGE_BUDGET` bytes of Markdown keeps its address as an overview
(counts, and a list of its parts) and puts its sections, in order, into parts (`addresses.part_page`), each
holding as many consecutive sections as fit in the budget (a section larger than the budget gets a part
alone). A page that fits is left whole, so a small dossier reads as before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from . import addresses
from .addresses import link, part_page
from .facets import NOT_INDEXED
from .markdown import front_matter

T = TypeVar("T")


def pack(items: Sequence[T], size: Callable[[T], int], budget: int | None = None) -> list[list[T]]:
    """`items` in order, in consecutive groups of at most `budget` total size (an item larger than it alone)."""
    budget = budget or addresses.PAGE_BUDGET
    groups: list[list[T]] = []
    used = budget + 1
    for item in items:
        n = size(item)
        if used + n > budget:
            groups.append([])
            used = 0
        groups[-1].append(item)
        used += n
    return groups


def fits(sections: Sequence[str], budget: int | None = None) -> bool:
    """True if the sections together fit in one page."""
    return sum(nbytes(s) for s in sections) <= (budget or addresses.PAGE_BUDGET)


def nbytes(text: str) -> int:
    """Size of a page's text in bytes (UTF-8), as written to docs/."""
    return len(text.encode("utf-8"))


def nav_line(page: str, k: int, n: int, overview: str) -> str:
    """`← Part 2 · Overview · Part 4 →`: the links of part `k` of `n` of `page` (`overview` names the page)."""
    here = part_page(page, k)
    return " · ".join(filter(None, (f"[← Part {k - 1}]({link(here, part_page(page, k - 1))})" if k > 1 else "",
                                   f"[{overview}]({link(here, page)})",
                                   f"[Part {k + 1} →]({link(here, part_page(page, k + 1))})" if k < n else ""))) + "\n"


@dataclass(frozen=True)
class Section:
    """One entry of a page listing the corpus (a source's citations, its removed lines)."""

    key: str
    """What links to it (a source id): its anchor, on whichever page holds it."""
    label: str
    """Its name in the list of parts (Markdown, inert)."""
    text: str
    """Its Markdown, with links written from a part page (one folder deeper than the page)."""


@dataclass(frozen=True)
class Split:
    """A page's sections cut into parts: the list of parts for the overview, the parts' files, where each section went."""

    contents: str
    """Markdown table of the parts (for the overview page)."""
    files: list[tuple[str, str]]
    """(path, Markdown) of every part."""
    where: dict[str, str]
    """Section key -> the part page holding it."""


def split(page: str, title: str, sections: Sequence[Section], footer: Callable[[list[Section]], str] = lambda _: "",
          budget: int | None = None) -> Split:
    """`sections` of `page` in parts titled `title, part k of n`; `footer` ends each part (given its sections)."""
    cut = pack(sections, lambda s: nbytes(s.text), budget)
    rows = ["| Part | From … to | Entries |", "| --- | --- | --- |"]
    files, where = [], {}
    for k, part in enumerate(cut, 1):
        here = part_page(page, k)
        rows.append(f"| [Part {k}]({link(page, here)}) | {part[0].label}"
                    + (f" … {part[-1].label}" if len(part) > 1 else "") + f" | {len(part)} |")
        nav = nav_line(page, k, len(cut), "Overview")
        body = [front_matter(f"{title}, part {k} of {len(cut)}", extra=NOT_INDEXED), nav]
        body += [s.text for s in part] + [nav, footer(list(part))]
        files.append((here, "\n".join(body)))
        where.update((s.key, here) for s in part)
    return Split("\n".join(rows) + "\n", files, where)
