"""The sources in the site navigation: grouped by publisher, with short labels, bounded however many there are.

Publisher, because it is how an analyst names a piece ("the CEPA paper", "the Foreign Affairs essay") and
it is always known (a source must state it), where dates are often unknown. Bounded, because every page
carries the navigation: with `navigation.prune` a page lists the groups and, open, only its own group;
so no group holds more than `GROUP_MAX` entries — publishers beyond that are gathered into ranges by
name ("A–F"), ranges beyond that into ranges of ranges, and a publisher's sources beyond that are split into parts
("Foreign Affairs (21–40)").

The groups go into the sources index's front matter (`source_nav`); `publish/nav.py` puts them into
MkDocs' navigation. Titles are HTML-escaped (`text.esc`): MkDocs' templates print them as they are.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Source
from ..text import esc
from .addresses import source_page

GROUP_MAX = 20
"""Entries of one navigation group at most: sources of a publisher, or publishers of a range. A source page shows two
such groups open (its range's, its publisher's): at 40 their entries took 76 of a 307 kB page at 3,000 sources."""


def _parts(title: str, pages: list[list[str]]) -> list[dict]:
    """A publisher's group, split into parts of at most GROUP_MAX sources when it has more."""
    if len(pages) <= GROUP_MAX:
        return [{"title": title, "pages": pages}]
    return [{"title": f"{title} ({i + 1}–{i + len(pages[i:i + GROUP_MAX])})", "pages": pages[i:i + GROUP_MAX]}
            for i in range(0, len(pages), GROUP_MAX)]


def _initial(name: str) -> str:
    return (name.strip()[:1] or "?").upper()


def _newest_first(sources: list[Source], labels: dict[str, str]) -> list[Source]:
    """A publisher's sources: newest first, undated last, each date's by label."""
    by_label = sorted(sources, key=lambda s: labels.get(s.id, s.id).lower())
    dated = sorted((s for s in by_label if s.date), key=lambda s: s.date, reverse=True)  # stable: same date by label
    return dated + [s for s in by_label if not s.date]


def source_nav(sources: Iterable[Source], labels: dict[str, str]) -> list[dict]:
    """The navigation groups: [{title, pages: [[label, path]…]} or {title, groups: […]}], by publisher name."""
    by_publisher: dict[str, list[Source]] = {}
    for s in sources:
        by_publisher.setdefault(s.publisher.strip(), []).append(s)
    groups = []
    for publisher in sorted(by_publisher, key=str.casefold):
        ordered = _newest_first(by_publisher[publisher], labels)
        groups += _parts(esc(publisher), [[esc(labels.get(s.id, s.id)), source_page(s.id)] for s in ordered])
    while len(groups) > GROUP_MAX:  # into ranges, and those into ranges, until one level holds few enough
        groups = [{"title": _range_title(r), "groups": r} for r in
                  (groups[i:i + GROUP_MAX] for i in range(0, len(groups), GROUP_MAX))]
    return groups


def _leaf(group: dict, end: int) -> str:
    """The title of a group's first (`end` 0) or last (-1) publisher group."""
    while "groups" in group:
        group = group["groups"][end]
    return group["title"]


def _range_title(groups: list[dict]) -> str:
    """`Publishers A–F` by initials; where both are the same letter (a publisher's parts), its first and last group."""
    first, last = _leaf(groups[0], 0), _leaf(groups[-1], -1)
    if _initial(first) == _initial(last):
        return f"{first} – {last}"
    return f"Publishers {_initial(first)}–{_initial(last)}"
