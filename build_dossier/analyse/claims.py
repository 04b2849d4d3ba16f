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
from ..model import RELATIONS, STATUSES, TOPICS, Claim, Ledger, Link, Passage, Position, Rejection, Relation
from ..text import content_words

CLAIMS_FILE = "claims.yaml"
STATUS = Field("status", "choice", required=False, default="reviewed", choices=STATUSES, noun="a status",
               example="proposed", doc="`proposed`: put forward by `build-dossier suggest --write`, not reviewed yet.")
POSITION_FIELDS = (
    Field("source", "slug", doc="Source id.", example="lo-cepa-2024"),
    Field("stance", "text", required=False, doc="Short label of the position (a few words); not yet in a proposal.",
          example='"no alliance"'),
    Field("quote", "text", doc="Exact words from that source, within one passage."),
    Field("relations", "mapping", required=False, default={}, key_noun="source id", example="{lo-cepa-2024: disputes}",
          item=Field("relation", "choice", choices=RELATIONS, noun="a relation", example="agrees"),
          doc="Other source id -> agrees, disputes, qualifies or differs-in-figures."),
    STATUS,
)
DEBATE_FIELDS = (
    Field("id", "slug", unique=True, doc="Slug naming the debate; unique.", example="allies"),
    Field("question", "text", required=False, doc="The contested question; not yet in a proposal.",
          example='"Are China and Russia allies?"'),
    Field("topics", "choice-list", choices=TOPICS, doc="Topics the debate belongs to."),
    Field("positions", "records", fields=POSITION_FIELDS, noun="position", min_items=2,
          fix="add the positions of two or more sources.", doc="Two or more positions, at most one per source."),
    STATUS,
)
REJECTED_FIELDS = (
    Field("debate", "slug", required=False, example="allies", doc="With `source`: that source does not join that debate."),
    Field("source", "slug", required=False, example="lo-cepa-2024"),
    Field("passages", "text-list", required=False, default=(), example="[lo-cepa-2024-p7, cfr-backgrounder-2025-p12]",
          doc="Or: these passages do not make a new debate together."),
)
LEDGER_FIELDS = (
    Field("debates", "records", required=False, default=(), fields=DEBATE_FIELDS, noun="debate",
          fix="see docs/about/ledgers.md.", doc="The debates, in the order the site lists them."),
    Field("rejected", "records", required=False, default=(), fields=REJECTED_FIELDS, noun="rejected proposal",
          fix="see docs/about/ledgers.md.", doc="Proposals turned down in `build-dossier review`, never made again."),
)
REQUIRED_UNLESS_PROPOSED = {"question": '"Are China and Russia allies?"', "stance": '"no formal alliance"'}
"""Keys a reviewed entry needs and a proposal may lack (with an example value for the fix)."""
SPACE_RE = re.compile(r"\s+")
QUOTES = {"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"'}
LONE_SPACE_RE = re.compile(r"\s{2,}|[^\S ]")
"""What `SPACE_RE` replaces with a space, less a single space already one (most matches of `SPACE_RE`)."""


def normalise(text: str) -> tuple[str, list[int]]:
    """Text with typographic quotes made straight and whitespace collapsed, and where each char came from."""
    where: list[int] = []
    pos = 0
    for m in SPACE_RE.finditer(text):  # a run of whitespace becomes one space, at the run's first position
        where.extend(range(pos, m.start() + 1))
        pos = m.end()
    where.extend(range(pos, len(text)))
    return _normal(text), where


@lru_cache(maxsize=None)  # emptied by each load_claims: a bounded cache thrashed once passages outnumbered it
def _normal(text: str) -> str:
    """`normalise(text)[0]`, fast and cached: every quote is looked for in every passage of its source."""
    text = LONE_SPACE_RE.sub(" ", text)
    for curly, straight in QUOTES.items():  # a scan per mark, in C: faster than `translate`, which maps each character
        if curly in text:
            text = text.replace(curly, straight)
    return text


def locate(quote: str, passage: Passage) -> list[tuple[int, int]]:
    """(start, end) in the passage text of every span that matches `quote` (up to whitespace and quote marks)."""
    needle = _normal(quote.strip())
    if not needle or needle not in _normal(passage.text):
        return []
    hay, where = normalise(passage.text)
    spans, start = [], hay.find(needle)
    while needle and start >= 0:
        spans.append((where[start], where[start + len(needle) - 1] + 1))
        start = hay.find(needle, start + 1)
    return spans


def find(quote: str, passage: Passage) -> list[str]:
    """Every exact span of `passage` that matches `quote` (up to whitespace and quote marks)."""
    return [passage.text[start:end] for start, end in locate(quote, passage)]


def closest(quote: str, passages: tuple[Passage, ...]) -> Passage | None:
    """The passage sharing most words with the quote (for error messages)."""
    words = content_words(quote)
    return max(passages, key=lambda p: (len(words & content_words(p.text)), -p.n), default=None)


def resolve(quote: str, source: str, by_source: dict[str, tuple[Passage, ...]], where: str, file: str,
            line: int | None) -> tuple[Passage | None, str, list[Problem]]:
    """The one passage of `source` that holds `quote`, and the words as they stand there; else a problem that says why."""
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

    def missing(self, key: str, where: str, noun: str) -> Problem:
        """`required key … is missing` (as the schema says it) for a reviewed entry, which a proposal may lack."""
        return Problem(self.file, f"{where}.{key}", f"required key {key!r} is missing.",
                       f"add `{key}: {REQUIRED_UNLESS_PROPOSED[key]}`, or mark the {noun} `status: proposed` if it "
                       "is a proposal not reviewed yet.", self.doc.line(where))


def _position(pos: dict, sources: list, proposed: set, where: str,
              ledger: _Ledger) -> tuple[Position | None, list[Relation], list[Problem]]:
    """One position resolved against its source's passages: its quote's passage, its relations, the problems.

    `proposed`: the sources whose positions in this debate are proposals (which have no relations yet).
    """
    file, doc, by_source = ledger.file, ledger.doc, ledger.by_source
    if pos["source"] not in by_source:
        return None, [], [Problem(file, f"{where}.source", f"there is no source {pos['source']!r}.",
                                  "use one of: " + ", ".join(sorted(by_source)) + ".", doc.line(f"{where}.source"))]
    if sources.count(pos["source"]) > 1:
        return None, [], [Problem(file, f"{where}.source", f"{pos['source']!r} has more than one position here.",
                                  "keep one position per source in a debate.", doc.line(f"{where}.source"))]
    if _broken(ledger.errors, where):
        return None, [], []
    passage, exact, problems = resolve(pos["quote"], pos["source"], by_source, f"{where}.quote", file,
                                       doc.line(f"{where}.quote"))
    if pos["stance"] is None and pos["source"] not in proposed:
        problems.append(ledger.missing("stance", where, "position"))
    relations = []
    for other, kind in (pos["relations"] or {}).items():
        if other in sources and other != pos["source"] and proposed & {other, pos["source"]}:
            problems.append(Problem(file, f"{where}.relations.{other}", f"the relation between {pos['source']} and {other} "
                                    "involves a proposal, which has no relations until it is reviewed.",
                                    "accept the proposal with `build-dossier review`, which asks for its relations, or "
                                    "remove its `status: proposed` and write its stance.", doc.line(f"{where}.relations.{other}")))
        elif other in sources and other != pos["source"]:
            relations.append(Relation(pos["source"], other, kind, f"{where}.relations.{other}",
                                      doc.line(f"{where}.relations.{other}")))
        elif None not in sources:  # else it may name a position whose own source is in error (and reported)
            problems.append(Problem(file, f"{where}.relations.{other}", f"{other!r} is not another position of this debate.",
                                    "use one of: " + ", ".join(s for s in sources if s and s != pos["source"]) + ".",
                                    doc.line(f"{where}.relations.{other}")))
    found = Position(pos["source"], passage.id, passage.n, pos["stance"] or "", pos["quote"], exact) if passage else None
    return found, relations, problems


def _debate(i: int, debate: dict, ledger: _Ledger) -> tuple[Claim | None, list[Problem]]:
    """One debate, its positions resolved (reviewed ones and proposals apart); None if it has an error."""
    file, doc, positions = ledger.file, ledger.doc, debate["positions"]
    whole = debate["status"] == "proposed"
    sources = [pos.get("source") for pos in positions]
    proposed = {pos.get("source") for pos in positions if whole or pos.get("status") == "proposed"}
    problems = []
    if debate["question"] is None and not whole and not _broken(ledger.errors, f"debates[{i}].question"):
        problems.append(ledger.missing("question", f"debates[{i}]", "debate"))
    if not whole and len([s for s in sources if s not in proposed]) < 2:
        problems.append(Problem(file, f"debates[{i}].positions", "a reviewed debate needs two or more reviewed positions.",
                                "review the proposals (`build-dossier review`), or mark the debate `status: proposed`.",
                                doc.line(f"debates[{i}].positions")))
    found, extra, relations = [], [], []
    for j, pos in enumerate(positions):
        if not pos.get("source"):
            continue
        position, rels, more = _position(pos, sources, proposed, f"debates[{i}].positions[{j}]", ledger)
        problems += more
        relations += rels
        if position:
            (extra if position.source in proposed and not whole else found).append(position)
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
            if sources[a] and sources[b] and not proposed & {sources[a], sources[b]} and \
                    frozenset((sources[a], sources[b])) not in pairs:
                problems.append(Problem(file, f"debates[{i}].positions[{b}].relations",
                                        f"no relation is declared between {sources[b]} and {sources[a]}.",
                                        f"add `{sources[a]}: agrees` (or disputes, qualifies, differs-in-figures) "
                                        f"under relations of positions[{b}].", doc.line(f"debates[{i}].positions[{b}]"),
                                        "warning"))
    if _broken([p for p in ledger.errors + problems if p.severity == "error"], f"debates[{i}]"):
        return None, problems
    return Claim(debate["id"], debate["question"] or "", debate["topics"], tuple(found), tuple(pairs.values()),
                 tuple(extra), debate["status"]), problems


def _rejections(values: dict, ledger: _Ledger) -> tuple[tuple[Rejection, ...], list[Problem]]:
    """The proposals turned down: a source and a debate it does not join, or passages that make no debate."""
    found, problems = [], []
    for i, entry in enumerate(values.get("rejected") or ()):
        if _broken(ledger.errors, f"rejected[{i}]"):
            continue
        join = entry["debate"] is not None and entry["source"] is not None and not entry["passages"]
        new = entry["debate"] is None and entry["source"] is None and len(entry["passages"]) >= 2
        if join or new:
            found.append(Rejection(entry["debate"], entry["source"], tuple(entry["passages"])))
        else:
            problems.append(Problem(ledger.file, f"rejected[{i}]", "a rejected proposal names either a `debate` and a "
                                    "`source`, or two or more `passages`.", "write e.g. `{debate: allies, source: "
                                    "lo-cepa-2024}` or `{passages: [lo-cepa-2024-p7, cfr-backgrounder-2025-p12]}`.",
                                    ledger.doc.line(f"rejected[{i}]")))
    return tuple(found), problems


def parse_claims(doc: YamlDoc, file: str, by_source: dict[str, tuple[Passage, ...]],
                 unreadable: frozenset[str] = frozenset()) -> tuple[Ledger, list[Problem]]:
    """Validate the ledger (`LEDGER_FIELDS`), then resolve every quote; collect every problem.

    Debates with a position of an `unreadable` source (whose file has errors of its own) are skipped quietly.
    """
    if doc.data is None:
        return Ledger(), []
    values, problems = validate(doc.data, LEDGER_FIELDS, file, doc)
    ledger = _Ledger(file, doc, by_source, [p for p in problems if p.severity == "error"])
    reviewed: list[Claim] = []
    proposed: list[Claim] = []
    for i, debate in enumerate(values.get("debates") or ()):
        if not debate.get("positions") or unreadable & {pos.get("source") for pos in debate["positions"]}:
            continue
        claim, found = _debate(i, debate, ledger)
        problems += found
        if claim:
            (proposed if claim.status == "proposed" else reviewed).append(claim)
    rejected, found = _rejections(values, ledger)
    return Ledger(tuple(reviewed), tuple(proposed), rejected), problems + found


def load_claims(sources_dir: Path, root: Path, passages: tuple[Passage, ...],
                unreadable: frozenset[str] = frozenset()) -> tuple[Ledger, list[Problem]]:
    """Read `sources/claims.yaml` (optional) and resolve it against the passages."""
    _normal.cache_clear()  # this run's passages only
    path = sources_dir / CLAIMS_FILE
    if not path.exists():
        return Ledger(), []
    file = display_path(path, root)
    text, problems = read_text(path, file, "ledger")
    if text is None:
        return Ledger(), problems
    doc, problems = load_yaml(text, file)
    if doc is None:
        return Ledger(), problems
    ledger, found = parse_claims(doc, file, by_source(passages), unreadable)
    _normal.cache_clear()  # done: a copy of every passage's text (a tenth of a GB at 3,000 sources) is let go
    return ledger, problems + found


def by_source(passages: tuple[Passage, ...]) -> dict[str, tuple[Passage, ...]]:
    """The passages grouped by source id, each group in reading order (what `resolve` looks quotes up in)."""
    grouped: dict[str, list[Passage]] = {}
    for p in passages:
        grouped.setdefault(p.source, []).append(p)
    return {sid: tuple(ps) for sid, ps in grouped.items()}


def debate_links(claims: tuple[Claim, ...]) -> tuple[Link, ...]:
    """Reciprocal passage links for every related pair of positions."""
    links = []
    for claim in claims:
        for r in claim.directed():
            links.append(Link(claim.position(r.source).passage, claim.position(r.other).passage, r.kind, claim.id))
    return tuple(sorted(links, key=lambda link: (link.source, link.target, link.claim or "", link.kind)))
