"""What a page is as a search result: its kind and filters, stated in its front matter (`search_facets`).

The theme's `main.html` writes them as Pagefind attributes on the built page; `search.py` gives passage and
source records the same filters. Values are plain text: the theme escapes them where it writes them.
"""

from __future__ import annotations

from .model import Source

KINDS = ("passage", "source", "debate", "figure", "topic", "page")
"""Kinds of search result; `page` is every page that states no kind (home, help, reports)."""

NOT_INDEXED = {"search_facets": False}
"""Front matter of a page not indexed as a whole: a page listing results that are indexed one by one (a source
page: its passages and citation; the home page, the debates index and the tags page: the pages they list), or a
long page indexed in parts (the Figures page measure by measure, the cleaning report source by source)."""


def source_filters(sources: tuple[Source, ...], labels: dict[str, str]) -> dict[str, list[str]]:
    """The `source` (short label) and `author` filters of results drawn from `sources`."""
    return {"source": [labels.get(s.id, s.label) for s in sources],
            "author": list(dict.fromkeys(a for s in sources for a in s.authors))}


def search_facets(kind: str, sources: tuple[Source, ...] = (), labels: dict[str, str] | None = None,
                  topics: tuple[str, ...] = ()) -> dict:
    """Front matter that makes a generated page a search result of `kind`, with its filters."""
    assert kind in KINDS, kind
    facets: dict = {"kind": kind}
    if sources:
        facets |= source_filters(sources, labels or {})
    if topics:
        facets["topic"] = list(topics)
    return {"search_facets": facets}
