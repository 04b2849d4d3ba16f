"""The dossier's data model: frozen records passed from stage to stage."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

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

    id: str
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

    source: str
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

    @property
    def anchor(self) -> str:
        """HTML id on the source page."""
        return f"p{self.n}"

    @property
    def id(self) -> str:
        """Global id, unique across the dossier."""
        return f"{self.source}-p{self.n}"


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


@dataclass(frozen=True)
class CueHit:
    """A cue term that fired for a topic."""

    topic: str
    cue: str
    weight: float
    count: int
    in_lead_in: bool = False
    """Found in the lead-in the passage completes (`It would help China with:`), not in the passage."""


@dataclass(frozen=True)
class TopicDecision:
    """Why a passage has the topics it has."""

    passage: str
    """Global passage id."""
    scores: tuple[tuple[str, float], ...]
    """(topic, score) for every topic."""
    hits: tuple[CueHit, ...]
    auto: tuple[str, ...]
    """Topics the cues chose."""
    override: tuple[str, ...] | None
    """Topics set by the overrides ledger, if any."""
    length_factor: float = 1.0
    """The share of each threshold the passage had to reach (less than 1 for a short passage)."""
    lead_in: str = ""
    """The text of the lead-in a list item was read with, if any."""

    @property
    def topics(self) -> tuple[str, ...]:
        return self.override if self.override is not None else self.auto


RELATIONS = ("agrees", "disputes", "qualifies", "differs-in-figures")
INVERSE = {"agrees": "agrees", "disputes": "disputes", "qualifies": "qualified-by",
           "qualified-by": "qualifies", "differs-in-figures": "differs-in-figures"}


@dataclass(frozen=True)
class Position:
    """One author's position in a debate, backed by an exact quote."""

    source: str
    """Source id."""
    passage: str
    """Global id of the passage the quote resolves to."""
    n: int
    """That passage's number."""
    stance: str
    """Short label of the position."""
    quote: str
    """The quote as written in the ledger."""
    exact: str
    """The same words exactly as they stand in the source."""


@dataclass(frozen=True)
class Relation:
    """How one position relates to another in the same debate."""

    source: str
    """The position that relates…"""
    other: str
    """…to this position (both source ids)."""
    kind: str
    """agrees, disputes, qualifies, qualified-by or differs-in-figures."""


@dataclass(frozen=True)
class Claim:
    """A contested question and the authors' positions on it."""

    id: str
    question: str
    topics: tuple[str, ...]
    positions: tuple[Position, ...]
    relations: tuple[Relation, ...]
    """One per pair of positions, as declared in the ledger."""

    def count(self, kind: str) -> int:
        """Pairs of positions related by `kind`."""
        return sum(1 for r in self.relations if r.kind == kind)

    def directed(self) -> tuple[Relation, ...]:
        """Every relation in both directions (`qualifies` reads `qualified-by` backwards)."""
        back = tuple(Relation(r.other, r.source, INVERSE[r.kind]) for r in self.relations)
        return self.relations + back

    def position(self, source: str) -> Position:
        return next(p for p in self.positions if p.source == source)


@dataclass(frozen=True)
class Link:
    """A directed cross-link between two passages, for dossier.json and the pages."""

    source: str
    """Global passage id it starts from."""
    target: str
    """Global passage id it points to."""
    kind: str
    """A relation kind, or `related`."""
    claim: str | None
    """Debate id, for debate links."""


@dataclass(frozen=True)
class Measure:
    """A quantity several sources may state, recognised by cue words (from `data/measures.yaml`)."""

    id: str
    """Slug; the measure's section on the Figures page is `#m-<id>`."""
    label: str
    """What is measured, for people."""
    kind: str
    """Kind of figure it takes (`money`, `percent`, `distance`, `count`, … — see figures.KINDS)."""
    cues: tuple[tuple[str, ...], ...]
    """Alternatives; each is one or more phrases that must all occur in the figure's sentence."""
    exclude: tuple[str, ...]
    """Phrases that, in the sentence, rule the measure out."""
    nouns: tuple[str, ...]
    """For counts: what is counted (`troops`, `exercise*`)."""
    tolerance: float
    """Relative difference beyond which two sources' values are flagged."""
    dated: bool = True
    """Values change over time: compared only with values of the same stated year."""


@dataclass(frozen=True)
class Figure:
    """A numeric statement found in a passage: one number with its unit (and any written conversion)."""

    passage: str
    """Global passage id."""
    start: int
    """Offset of the statement in the passage text."""
    end: int
    """Offset just past it."""
    text: str
    """Exactly `passage.text[start:end]` (`2,600-mile (4184 kilometers)`, `almost 20 percent`)."""
    kind: str
    """money, percent, change, points, distance, area, volume, oil-flow, mass or count."""
    unit: str
    """Unit as written, spelled canonically (`USD`, `mi`, `km`, `%`, `troops`)."""
    value: int | float
    """The number in `unit`, scale words applied (`$1.6 billion` -> 1600000000)."""
    normalised: int | float
    """The value in `normalised_unit`."""
    normalised_unit: str
    """`USD bn` (per currency), `km`, `%`, `bcm`, `count`, …"""
    year: int | None
    """The year the sentence says the figure refers to, or None."""
    modifier: str | None
    """`more than`, `almost`, `about`, … as written before the number, if any."""
    target: bool
    """A goal or threshold (`the $200 billion mark`), not a stated value; never compared."""
    sentence: str
    """The sentence it stands in, an exact span of the passage."""
    measure: str | None = None
    """Id of the measure it states, or None."""

    @property
    def source(self) -> str:
        return self.passage.rsplit("-p", 1)[0]

    @property
    def n(self) -> int:
        return int(self.passage.rsplit("-p", 1)[1])


@dataclass(frozen=True)
class Dossier:
    """The whole model, gathered before anything is emitted."""

    sources: tuple[Segmented, ...]
    decisions: dict = field(default_factory=dict)
    """Global passage id -> TopicDecision."""
    claims: tuple[Claim, ...] = ()
    """Debates from the claims ledger, in ledger order."""
    links: tuple[Link, ...] = ()
    """Cross-links between passages (debates both ways)."""
    labels: dict = field(default_factory=dict)
    """Source id -> short label for links (`Gabuev`), unique across the dossier."""
    figures: tuple[Figure, ...] = ()
    """Numeric statements of every passage, in passage order."""
    measures: tuple[Measure, ...] = ()
    """The measures figures are grouped by, in file order."""

    def label(self, source_id: str) -> str:
        return self.labels.get(source_id, source_id)

    def passages(self) -> tuple[Passage, ...]:
        return tuple(p for s in self.sources for p in s.passages)


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
