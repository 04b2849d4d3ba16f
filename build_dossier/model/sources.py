"""Sources and their passages: what is read, what cleaning keeps, what segmentation numbers."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from ..ids import PassageId, SourceId

TOPICS = ("trade", "military", "diplomacy", "outlook")
ORG_LINKS = frozenset({"on", "of", "for", "and", "&", "the", "de", "für"})
"""Small words that mark a multi-word name as an organisation's (`Council on Foreign Relations`)."""
ACRONYM_RE = re.compile(r"\(([A-Z][A-Za-z&]{1,9})\)\s*$")
"""An organisation's acronym in brackets at the end of its name (`Council on Foreign Relations (CFR)`)."""


def short_label(name: str) -> str:
    """A person's surname, or an organisation's acronym (`Council on Foreign Relations (CFR)` -> `CFR`)."""
    first = name.strip()
    acronym = ACRONYM_RE.search(first)
    if acronym:
        return acronym.group(1)
    words = first.split()
    if len(words) in (2, 3) and all(w[:1].isupper() for w in words):
        return words[-1]
    if len(words) >= 3 and any(w in ORG_LINKS for w in words):
        return "".join(w[0] for w in words if w[:1].isupper())
    return first


@dataclass(frozen=True)
class Source:
    """One article, as read from `sources/<id>.md`."""

    id: SourceId
    """Slug that names the source everywhere (page, passage ids, citations)."""
    path: str
    """File the source was read from, relative to the project."""
    title: str | None
    """Headline; None when unknown (see `notes`)."""
    subtitle: str | None
    """Sub-headline, if any."""
    authors: tuple[str, ...]
    """People, or the organisation when no person is named."""
    publisher: str
    """Who published it."""
    date: str | None
    """ISO publication date; None when unknown (see `notes`)."""
    url: str | None
    """Address of the original; None when unknown."""
    license: str | None
    """Licence of the text; None when none is stated."""
    accessed: str | None
    """ISO date the text was captured; None when not recorded."""
    notes: tuple[tuple[str, str], ...]
    """(key, note) pairs explaining unknown values."""
    format: str
    """`text` (as captured) or `markdown`."""
    body: str
    """The captured text, exactly as in the file after the front matter."""
    body_line: int
    """1-based line number of the body's first line in the file."""

    @property
    def label(self) -> str:
        """Short human label: the first author's surname, or an organisation's acronym."""
        return short_label(self.authors[0])

    @property
    def display_title(self) -> str:
        """Title for pages; a bracketed description when the title is unknown."""
        return self.title or f"[Untitled article by {', '.join(self.authors)}]"

    def note(self, key: str) -> str | None:
        """The note explaining why `key` is unknown, if any."""
        return dict(self.notes).get(key)


@dataclass(frozen=True)
class Removal:
    """A line of page chrome the cleaner took out of a source."""

    line: int
    """1-based line in the source file."""
    text: str
    """The line as captured."""
    rule: str
    """Id of the rule in `chrome.yaml` that removed it."""


@dataclass(frozen=True)
class Line:
    """A line of the body that survived cleaning."""

    start: int
    """Offset of its first character in the body."""
    end: int
    """Offset just past its last character (newline excluded)."""
    text: str
    """`body[start:end]`."""
    number: int
    """1-based line in the source file."""


@dataclass(frozen=True)
class Cleaned:
    """A source after chrome removal: what stays and what went."""

    source: Source
    lines: tuple[Line | None, ...]
    """One entry per body line: the kept line, or None where removed or blank."""
    removed: tuple[Removal, ...]


@dataclass(frozen=True)
class Block:
    """A heading, paragraph or bullet item found by segmentation."""

    kind: str
    """`heading`, `paragraph` or `bullet`."""
    start: int
    """Offset in the body of its first character (after any bullet marker)."""
    end: int
    """Offset just past its last character."""
    line: int
    """1-based line in the source file."""


@dataclass(frozen=True)
class Section:
    """A section heading of a source."""

    id: str
    """HTML id on the source page (`sec-…`)."""
    title: str
    """Heading text exactly as in the source."""


@dataclass(frozen=True)
class Passage:
    """A numbered, citable paragraph or bullet item of a source."""

    source: SourceId
    """Id of its source."""
    n: int
    """Paragraph number, 1-based, in reading order."""
    kind: str
    """`paragraph` or `bullet`."""
    section: Section | None
    """The heading it stands under, if any."""
    start: int
    """Offset in the source body."""
    end: int
    """Offset just past its end in the source body."""
    text: str
    """Exactly `body[start:end]`."""
    line: int
    """1-based line in the source file."""
    topics: tuple[str, ...] = ()
    """Topics it is tagged with, in TOPICS order."""

    @cached_property
    def id(self) -> PassageId:
        """Global id, unique across the dossier (`<source>-p<N>`)."""
        return PassageId(self.source, self.n)

    @property
    def anchor(self) -> str:
        """HTML id on the source page (`p<N>`)."""
        return self.id.anchor


class InPassage:
    """A record that stands in a passage (its `passage` field, a PassageId): its source and ¶ number."""

    passage: PassageId

    @property
    def source(self) -> SourceId:
        return self.passage.source

    @property
    def n(self) -> int:
        return self.passage.n


@dataclass(frozen=True)
class Segmented:
    """A source cut into its sections and passages."""

    cleaned: Cleaned
    passages: tuple[Passage, ...]
    sections: tuple[Section, ...]
    blocks: tuple[Block, ...]
    """Headings and passages in reading order (for rendering)."""

    @property
    def source(self) -> Source:
        return self.cleaned.source


def unique_labels(sources: tuple[Source, ...]) -> dict[str, str]:
    """Short labels (surname or organisation), made unique with the year or, failing that, the id."""
    base = {s.id: s.label for s in sources}
    uses = Counter(base.values())
    out = {}
    for s in sources:
        if uses[base[s.id]] == 1:
            out[s.id] = base[s.id]
            continue
        dated = f"{base[s.id]} {s.date[:4]}" if s.date else None
        twins = [t for t in sources if base[t.id] == base[s.id]]
        if dated and sum(1 for t in twins if t.date and t.date[:4] == s.date[:4]) == 1:
            out[s.id] = dated
        else:
            out[s.id] = f"{base[s.id]} ({s.id})"
    return out
