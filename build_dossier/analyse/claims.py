"""Stage 5: the claims ledger — debates whose positions resolve to exact passages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import Problem
from ..ingest.readfile import display_path, read_text
from ..ingest.schema import Field, validate
from ..ingest.yamlio import YamlDoc, load_yaml
from ..model import RELATIONS, TOPICS, Claim, Link, Passage, Position, Relation
from ..text import content_words

CLAIMS_FILE = "claims.yaml"
POSITION_FIELDS = (
    Field("source", "slug", doc="Source id.", example="lo-cepa-2024"),
    Field("stance", "text", doc="Short label of the position (a few words)."),
    Field("quote", "text", doc="Exact words from that source, within one passage."),
    Field("relations", "mapping", required=False, default={}, key_noun="source id", example="{lo-cepa-2024: disputes}",
          item=Field("relation", "choice", choices=RELATIONS, noun="a relation", example="agrees"),
          doc="Other source id -> agrees, disputes, qualifies or differs-in-figures."),
)
DEBATE_FIELDS = (
    Field("id", "slug", unique=True, doc="Slug naming the debate; unique.", example="allies"),
    Field("question", "text", doc="The contested question.", example='"Are China and Russia allies?"'),
    Field("topics", "choice-list", choices=TOPICS, doc="Topics the debate belongs to."),
    Field("positions", "records", fields=POSITION_FIELDS, noun="position", min_items=2,
          fix="add the positions of two or more sources.", doc="Two or more positions, at most one per source."),
)
LEDGER_FIELDS = (
    Field("debates", "records", required=False, default=(), fields=DEBATE_FIELDS, noun="debate",
          fix="see docs/about/ledgers.md.", doc="The debates, in the order the site lists them."),
)
SPACE_RE = re.compile(r"\s+")
QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"'})


def normalise(text: str) -> tuple[str, list[int]]:
    """Text with typographic quotes made straight and whitespace collapsed, and where each char came from."""
    where: list[int] = []
    pos = 0
    for m in SPACE_RE.finditer(text):  # a run of whitespace becomes one space, at the run's first position
        where.extend(range(pos, m.start() + 1))
        pos = m.end()
    where.extend(range(pos, len(text)))
    return _normal(text), where


@lru_cache(maxsize=1 << 14)
def _normal(text: str) -> str:
    """`normalise(text)[0]`, fast and cached: every quote is looked for in every passage of its source."""
    return SPACE_RE.sub(" ", text).translate(QUOTES)


def find(quote: str, passage: Passage) -> list[str]:
    """Every exact span of `passage` that matches `quote` (up to whitespace and quote marks)."""
    needle = _normal(quote.strip())
    if not needle or needle not in _normal(passage.text):
        return []
    hay, where = normalise(passage.text)
    spans, start = [], hay.find(needle)
    while needle and start >= 0:
        end = start + len(needle) - 1
        spans.append(passage.text[where[start]:where[end] + 1])
        start = hay.find(needle, start + 1)
    return spans


def closest(quote: str, passages: tuple[Passage, ...]) -> Passage | None:
    """The passage sharing most words with the quote (for error messages)."""
    words = content_words(quote)
    return max(passages, key=lambda p: (len(words & content_words(p.text)), -p.n), default=None)


def _resolve(quote: str, source: str, by_source: dict[str, tuple[Passage, ...]], where: str, file: str,
             line: int | None) -> tuple[Passage | None, str, list[Problem]]:
    hits = [(p, spans[0]) for p in by_source.get(source, ()) if (spans := find(quote, p))]
    if len(hits) == 1:
        return hits[0][0], hits[0][1], []
    if len(hits) > 1:
        listed = ", ".join(f"¶{p.n}" for p, _ in hits)
        return None, "", [Problem(file, where, f"the quote stands in {len(hits)} passages of {source} ({listed}).",
                                  "quote more words, so that it stands in exactly one passage.", line)]
    elsewhere = [p for sid, ps in sorted(by_source.items()) if sid != source for p in ps if find(quote, p)]
    if elsewhere:
        p = elsewhere[0]
        return None, "", [Problem(file, where, f"the quote is not in {source}; it is in {p.source} (¶{p.n}).",
                                  f"set `source: {p.source}`, or quote {source}'s own words.", line)]
    near = closest(quote, by_source.get(source, ()))
    hint = f" The closest passage is ¶{near.n}: “{near.text[:90]}…”" if near else ""
    return None, "", [Problem(file, where, f"the quote {quote[:60]!r} is not found in {source}.{hint}",
                              "copy the words exactly from that passage (quotes and spacing may differ, nothing else).", line)]


def _broken(errors: list[Problem], path: str) -> bool:
    """True if a problem among `errors` lies at `path` or under it."""
    return any(p.key == path or p.key.startswith((path + ".", path + "[")) for p in errors)


@dataclass(frozen=True)
class _Ledger:
    """What resolving a position needs: the ledger, the passages by source, the schema's errors."""

    file: str
    doc: YamlDoc
    by_source: dict[str, tuple[Passage, ...]]
    errors: list[Problem]


def _position(pos: dict, sources: list, where: str, ledger: _Ledger) -> tuple[Position | None, list[Relation], list[Problem]]:
    """One position resolved against its source's passages: its quote's passage, its relations, the problems."""
    file, doc, by_source = ledger.file, ledger.doc, ledger.by_source
    if pos["source"] not in by_source:
        return None, [], [Problem(file, f"{where}.source", f"there is no source {pos['source']!r}.",
                                  "use one of: " + ", ".join(sorted(by_source)) + ".", doc.line(f"{where}.source"))]
    if sources.count(pos["source"]) > 1:
        return None, [], [Problem(file, f"{where}.source", f"{pos['source']!r} has more than one position here.",
                                  "keep one position per source in a debate.", doc.line(f"{where}.source"))]
    if _broken(ledger.errors, where):
        return None, [], []
    passage, exact, problems = _resolve(pos["quote"], pos["source"], by_source, f"{where}.quote", file,
                                        doc.line(f"{where}.quote"))
    relations = []
    for other, kind in (pos["relations"] or {}).items():
        if other in sources and other != pos["source"]:
            relations.append(Relation(pos["source"], other, kind, f"{where}.relations.{other}",
                                      doc.line(f"{where}.relations.{other}")))
        elif None not in sources:  # else it may name a position whose own source is in error (and reported)
            problems.append(Problem(file, f"{where}.relations.{other}", f"{other!r} is not another position of this debate.",
                                    "use one of: " + ", ".join(s for s in sources if s and s != pos["source"]) + ".",
                                    doc.line(f"{where}.relations.{other}")))
    found = Position(pos["source"], passage.id, passage.n, pos["stance"], pos["quote"], exact) if passage else None
    return found, relations, problems


def parse_claims(doc: YamlDoc, file: str, by_source: dict[str, tuple[Passage, ...]],
                 unreadable: frozenset[str] = frozenset()) -> tuple[tuple[Claim, ...], list[Problem]]:
    """Validate the ledger (`LEDGER_FIELDS`), then resolve every quote; collect every problem.

    Positions of `unreadable` sources (whose files have errors of their own) are skipped quietly.
    """
    if doc.data is None:
        return (), []
    values, problems = validate(doc.data, LEDGER_FIELDS, file, doc)
    ledger = _Ledger(file, doc, by_source, [p for p in problems if p.severity == "error"])
    claims: list[Claim] = []
    for i, debate in enumerate(values.get("debates") or ()):
        positions = debate.get("positions")
        if not positions:
            continue
        sources = [pos.get("source") for pos in positions]
        if unreadable & set(sources):
            continue
        found, relations = [], []
        for j, pos in enumerate(positions):
            where = f"debates[{i}].positions[{j}]"
            if not pos.get("source"):
                continue
            position, rels, more = _position(pos, sources, where, ledger)
            problems += more
            relations += rels
            if position:
                found.append(position)
        pairs: dict[frozenset, Relation] = {}
        for r in relations:
            key = frozenset((r.source, r.other))
            if key in pairs:
                problems.append(Problem(file, f"debates[{i}].positions", f"the relation between {r.source} and {r.other} "
                                        "is declared twice.", "declare each pair once, on either position.",
                                        doc.line(f"debates[{i}].positions")))
            pairs[key] = r
        for a in range(len(sources)):
            for b in range(a + 1, len(sources)):
                if sources[a] and sources[b] and frozenset((sources[a], sources[b])) not in pairs:
                    problems.append(Problem(file, f"debates[{i}].positions[{b}].relations",
                                            f"no relation is declared between {sources[b]} and {sources[a]}.",
                                            f"add `{sources[a]}: agrees` (or disputes, qualifies, differs-in-figures) "
                                            f"under relations of positions[{b}].", doc.line(f"debates[{i}].positions[{b}]"),
                                            "warning"))
        if not _broken([p for p in problems if p.severity == "error"], f"debates[{i}]"):
            claims.append(Claim(debate["id"], debate["question"], debate["topics"], tuple(found), tuple(pairs.values())))
    return tuple(claims), problems


def load_claims(sources_dir: Path, root: Path, passages: tuple[Passage, ...],
                unreadable: frozenset[str] = frozenset()) -> tuple[tuple[Claim, ...], list[Problem]]:
    """Read `sources/claims.yaml` (optional) and resolve it against the passages."""
    path = sources_dir / CLAIMS_FILE
    if not path.exists():
        return (), []
    file = display_path(path, root)
    text, problems = read_text(path, file, "ledger")
    if text is None:
        return (), problems
    doc, problems = load_yaml(text, file)
    if doc is None:
        return (), problems
    grouped: dict[str, list[Passage]] = {}
    for p in passages:
        grouped.setdefault(p.source, []).append(p)
    claims, found = parse_claims(doc, file, {sid: tuple(ps) for sid, ps in grouped.items()}, unreadable)
    return claims, problems + found


def debate_links(claims: tuple[Claim, ...]) -> tuple[Link, ...]:
    """Reciprocal passage links for every related pair of positions."""
    links = []
    for claim in claims:
        for r in claim.directed():
            links.append(Link(claim.position(r.source).passage, claim.position(r.other).passage, r.kind, claim.id))
    return tuple(sorted(links, key=lambda link: (link.source, link.target, link.claim or "", link.kind)))
