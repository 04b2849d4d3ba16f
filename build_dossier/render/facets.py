"""What a page is as a search result: its kind and filters, stated in its front matter (`search_facets`).

The theme's `main.html` writes them as Pagefind attributes on the built page; `publish/search.py` gives the
records it indexes (passages, source citations, measures, timeline events, the cleaning report source by source) the same
filters. Values are plain text: the theme escapes them where it writes them.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Source

KINDS = ("passage", "source", "debate", "figure", "event", "topic", "page")
"""Kinds of search result; `page` is every page that states no kind (help pages, How to cite, reports)."""

NOT_INDEXED = {"search_facets": False}
"""Front matter of a page not indexed as a whole: a page listing results that are indexed one by one (a source
page: its passages and citation; the home page, the debates index and the tags page: the pages they list), a
long page indexed in parts (the Figures page measure by measure, the Timeline event by event, the cleaning report
source by source), or a
proposed debate (not reviewed: it must never look like a verified one)."""


def source_filters(sources: Iterable[Source], labels: dict[str, str]) -> dict[str, list[str]]:
    """The `source` (short label) and `author` filters of results drawn from `sources`."""
    sources = tuple(sources)
    return {"source": [labels.get(s.id, s.label) for s in sources],
            "author": list(dict.fromkeys(a for s in sources for a in s.authors))}


def facets(kind: str, sources: Iterable[Source] = (), labels: dict[str, str] | None = None,
           topics: Iterable[str] = ()) -> dict[str, list[str]]:
    """The filters of a search result of `kind`: its kind, the sources and authors it draws on, its topics."""
    if kind not in KINDS:
        raise ValueError(f"unknown search result kind {kind!r}: one of {', '.join(KINDS)}")
    sources, topics = tuple(sources), list(topics)
    return ({"kind": [kind]} | (source_filters(sources, labels or {}) if sources else {})
            | ({"topic": topics} if topics else {}))


def search_facets(kind: str, sources: Iterable[Source] = (), labels: dict[str, str] | None = None,
                  topics: Iterable[str] = ()) -> dict:
    """Front matter that makes a generated page a search result of `kind`, with its filters."""
    return {"search_facets": facets(kind, sources, labels, topics)}
