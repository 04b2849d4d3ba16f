"""Stage 5: the claims ledger — debates whose positions resolve to exact passages."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..errors import Problem
from ..ingest.readfile import display_path, read_text
from ..ingest.schema import Field, validate
from ..ingest.yamlio import YamlDoc, load_yaml
from ..model import RELATIONS, TOPICS, Claim, Link, Passage, Position, Relation
from ..text import content_words

CLAIMS_FILE = "claims.yaml"
DEBATE_FIELDS = (
    Field("id", "slug", doc="Slug naming the debate; unique.", example="allies"),
    Field("question", "text", doc="The contested question.", example='"Are China and Russia allies?"'),
    Field("topics", "choice-list", choices=TOPICS, doc="Topics the debate belongs to."),
    Field("positions", "any", doc="Two or more positions, at most one per source."),
)
POSITION_FIELDS = (
    Field("source", "slug", doc="Source id.", example="lo-cepa-2024"),
    Field("stance", "text", doc="Short label of the position (a few words)."),
    Field("quote", "text", doc="Exact words from that source, within one passage."),
    Field("relations", "any", required=False, doc="Other source id -> agrees, disputes, qualifies or differs-in-figures."),
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


def _relations(item: dict, sources: list[str], i: int, j: int, file: str, doc: YamlDoc) -> tuple[list[Relation], list[Problem]]:
    where = f"debates[{i}].positions[{j}].relations"
    raw = item.get("relations") or {}
    if not isinstance(raw, dict):
        return [], [Problem(file, where, f"expected a mapping of source id to relation, got {raw!r}.",
                            "write e.g. `relations: {lo-cepa-2024: disputes}`.", doc.line(where))]
    out, problems = [], []
    for other, kind in raw.items():
        if not isinstance(other, str):
            problems.append(Problem(file, f"{where}.{other}", f"the key {other!r} is not a source id (YAML reads it as "
                                    f"{type(other).__name__}).", f'write the source id, in quotes if it looks like a number: '
                                    f'"{other}": agrees.', doc.line(f"{where}.{other}")))
        elif other not in sources or other == item.get("source"):
            if None in sources:  # it may name a position whose own source is in error (and reported)
                continue
            problems.append(Problem(file, f"{where}.{other}", f"{other!r} is not another position of this debate.",
                                    "use one of: " + ", ".join(s for s in sources if s and s != item.get("source")) + ".",
                                    doc.line(f"{where}.{other}")))
        elif kind not in RELATIONS:
            problems.append(Problem(file, f"{where}.{other}", f"{kind!r} is not a relation.",
                                    "use one of: " + ", ".join(RELATIONS) + ".", doc.line(f"{where}.{other}")))
        else:
            out.append(Relation(item["source"], other, kind))
    return out, problems


def parse_claims(doc: YamlDoc, file: str, by_source: dict[str, tuple[Passage, ...]],
                 unreadable: frozenset[str] = frozenset()) -> tuple[tuple[Claim, ...], list[Problem]]:
    """Validate the ledger and resolve every quote; collect every problem.

    Positions of `unreadable` sources (whose files have errors of their own) are skipped quietly.
    """
    items = doc.data.get("debates") if isinstance(doc.data, dict) else None
    if doc.data is not None and not isinstance(items, list):
        return (), [Problem(file, "debates", "expected a list under `debates`.", "see docs/about/ledgers.md.", 1)]
    problems: list[Problem] = []
    claims: list[Claim] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items or []):
        errors_before = sum(p.severity == "error" for p in problems)
        values, found = validate(item, DEBATE_FIELDS, file, doc, f"debates[{i}]")
        problems += found
        if values.get("id") in seen:
            problems.append(Problem(file, f"debates[{i}].id", f"duplicate debate id {values['id']!r} "
                                    f"(also debates[{seen[values['id']]}]).", "give each debate its own id.",
                                    doc.line(f"debates[{i}].id")))
        elif values.get("id"):
            seen[values["id"]] = i
        raw_positions = values.get("positions")
        if not isinstance(raw_positions, list) or len(raw_positions) < 2:
            problems.append(Problem(file, f"debates[{i}].positions", "a debate needs a list of at least two positions.",
                                    "add the positions of two or more sources.", doc.line(f"debates[{i}]")))
            continue
        checked = [validate(p, POSITION_FIELDS, file, doc, f"debates[{i}].positions[{j}]") for j, p in enumerate(raw_positions)]
        sources = [v.get("source") for v, _ in checked]
        if unreadable & set(sources):
            continue
        positions, relations = [], []
        for j, (pos, found) in enumerate(checked):
            problems += found
            where = f"debates[{i}].positions[{j}]"
            if pos.get("source") and pos["source"] not in by_source:
                problems.append(Problem(file, f"{where}.source", f"there is no source {pos['source']!r}.",
                                        "use one of: " + ", ".join(sorted(by_source)) + ".", doc.line(f"{where}.source")))
                continue
            if pos.get("source") and sources.count(pos["source"]) > 1:
                problems.append(Problem(file, f"{where}.source", f"{pos['source']!r} has more than one position here.",
                                        "keep one position per source in a debate.", doc.line(f"{where}.source")))
                continue
            if found or not isinstance(raw_positions[j], dict):
                continue
            passage, exact, found = _resolve(pos["quote"], pos["source"], by_source, f"{where}.quote", file,
                                             doc.line(f"{where}.quote"))
            problems += found
            rels, found = _relations(raw_positions[j], sources, i, j, file, doc)
            problems += found
            relations += rels
            if passage:
                positions.append(Position(pos["source"], passage.id, passage.n, pos["stance"], pos["quote"], exact))
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
        if sum(p.severity == "error" for p in problems) == errors_before:
            claims.append(Claim(values["id"], values["question"], values["topics"], tuple(positions), tuple(pairs.values())))
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
