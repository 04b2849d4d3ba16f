"""Citations of sources and passages (plain text; pages escape them)."""

from __future__ import annotations

from .model import Source


def author_list(source: Source) -> str:
    """Authors joined for a reference: `A, B and C`."""
    names = list(source.authors)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def reference(source: Source) -> str:
    """One-line reference: authors, title, publisher, date (unknowns said, not guessed)."""
    title = f"“{source.title}”" if source.title else "[untitled]"
    date = source.date or "n.d"
    return f"{author_list(source)}, {title}, {source.publisher}, {date}."
