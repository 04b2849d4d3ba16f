"""Typed ids: a source's id and a passage's id, each made by one validating constructor that states its rule.

Both are strings (they are written into pages, dossier.json and the lock as they are), so they compare,
hash and serialise exactly like the text they hold; the type says the text was checked. Page paths and
URLs built from them live in `render.addresses`.
"""

from __future__ import annotations

import re

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
"""A slug: lowercase ASCII letters and digits, in runs joined by single hyphens (use `fullmatch`)."""
PASSAGE_RE = re.compile(r"(?P<source>[a-z0-9]+(?:-[a-z0-9]+)*)-p(?P<n>[1-9][0-9]*)")
"""`<source id>-p<N>`; the source id may itself end in `-p<digits>`: the last `-p<N>` is the passage's."""


class SourceId(str):
    """A source's id: a slug (`lo-cepa-2024`), the name of its file `sources/<id>.md` without `.md`."""

    __slots__ = ()

    def __new__(cls, value: str) -> SourceId:
        if type(value) is cls:
            return value
        if not isinstance(value, str) or not SLUG_RE.fullmatch(value):
            raise ValueError(f"{value!r} is not a source id: use lowercase letters, digits and single hyphens "
                             "(e.g. lo-cepa-2024).")
        return super().__new__(cls, value)


class PassageId(str):
    """A passage's global id, `<source id>-p<N>` (`lo-cepa-2024-p7`): the N-th passage of that source, from 1."""

    source: SourceId
    """The source it belongs to."""
    n: int
    """Its number in the source, 1-based (¶N)."""

    def __new__(cls, source: str, n: int) -> PassageId:
        source = SourceId(source)
        if type(n) is not int or n < 1:
            raise ValueError(f"{n!r} is not a passage number: passages are numbered from 1.")
        made = super().__new__(cls, f"{source}-p{n}")
        made.source, made.n = source, n
        return made

    def __getnewargs__(self) -> tuple[SourceId, int]:
        return self.source, self.n

    @classmethod
    def parse(cls, text: str) -> PassageId:
        """The id written as `text` (`lo-cepa-2024-p7`); ValueError naming the rule if it is not one."""
        if type(text) is cls:  # checked when it was made: a page asks again for every link it writes
            return text
        m = PASSAGE_RE.fullmatch(text) if isinstance(text, str) else None
        if m is None:
            raise ValueError(f"{text!r} is not a passage id: write <source id>-p<N>, e.g. lo-cepa-2024-p7.")
        return cls(m.group("source"), int(m.group("n")))

    @property
    def anchor(self) -> str:
        """The passage's HTML id on its source page (`p7`)."""
        return f"p{self.n}"
