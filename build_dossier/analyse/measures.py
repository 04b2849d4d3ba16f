"""Measures (`data/measures.yaml`): validation, finding their cue words, comparing their values."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from ..errors import Problem, or_raise
from ..ingest.readfile import data_file
from ..ingest.schema import Field, validate
from ..ingest.yamlio import load_yaml
from ..model import Figure, Measure
from ..text import WORD_RE as TOKEN_RE

MEASURES_FILE = "build_dossier/data/measures.yaml"
KINDS = ("money", "percent", "change", "points", "distance", "area", "volume", "oil-flow", "mass", "count")
"""Kinds of figure; a measure takes figures of one kind (see figures.py for the units of each)."""
WORD_RE = re.compile(r"^[^\W_]+(?:'[^\W_]+)*\*?$")


@dataclass(frozen=True)
class Phrase:
    """A cue phrase: words matched in sequence, case-insensitive, the last optionally as a prefix."""

    text: str
    words: tuple[str, ...]
    prefix: bool


def norm(token: str) -> str:
    """A token as cues compare it: lowercase, straight apostrophe, no possessive."""
    token = token.lower().replace("’", "'")
    return token[:-2] if token.endswith("'s") else token


def tokens(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """(start, end, normalised word) for every word of `text[start:end]`, offsets in `text`."""
    return [(m.start(), m.end(), norm(m.group())) for m in TOKEN_RE.finditer(text, start, len(text) if end is None else end)]


@lru_cache(maxsize=4096)
def phrase(text: str) -> Phrase:
    """Parse a cue as written (already validated)."""
    words = [w.replace("’", "'").lower() for w in re.split(r"[\s\-–]+", text.strip()) if w]
    prefix = words[-1].endswith("*")
    return Phrase(text, tuple(w.rstrip("*") for w in words), prefix)


def _word(token: str, word: str, prefix: bool) -> bool:
    if prefix:
        return token.startswith(word)
    return token in (word, word + "s", word + "es") or (word.endswith("y") and token == word[:-1] + "ies")


@dataclass(frozen=True)
class Words:
    """A sentence's words and where each normalised form stands, so a phrase is sought only where it can start."""

    toks: tuple[tuple[int, int, str], ...]
    at: dict

    @classmethod
    def of(cls, toks: list[tuple[int, int, str]]) -> "Words":
        at: dict[str, list[int]] = {}
        for i, (_, _, w) in enumerate(toks):
            at.setdefault(w, []).append(i)
        return cls(tuple(toks), at)

    def starts(self, word: str, prefix: bool) -> list[int]:
        if prefix:
            return sorted(i for key, where in self.at.items() if key.startswith(word) for i in where)
        forms = {word, word + "s", word + "es"} | ({word[:-1] + "ies"} if word.endswith("y") else set())
        return sorted(i for form in forms for i in self.at.get(form, ()))


def hits(p: Phrase, words: Words) -> list[tuple[int, int]]:
    """Character spans where the phrase occurs among `words`."""
    out = []
    n, toks = len(p.words), words.toks
    for i in words.starts(p.words[0], p.prefix and n == 1):
        if i + n <= len(toks) and all(_word(toks[i + k][2], w, p.prefix and k == n - 1) for k, w in enumerate(p.words)):
            out.append((toks[i][0], toks[i + n - 1][1]))
    return out


Match = tuple[tuple[tuple[int, int], ...], ...]
"""One occurrence of a cue: for each of its phrases, the spans where that phrase stands."""


def occurrences(measure: Measure, words: Words) -> list[Match]:
    """Each occurrence of the measure's cues (a one-phrase cue once per place), unless an exclusion occurs."""
    if any(hits(phrase(x), words) for x in measure.exclude):
        return []
    out: list[Match] = []
    for alternative in measure.cues:
        found = [tuple(hits(phrase(x), words)) for x in alternative]
        if not all(found):
            continue
        out += [((span,),) for span in found[0]] if len(found) == 1 else [tuple(found)]
    return out


def counts_noun(measure: Measure, words: list[str]) -> bool:
    """True when a count's noun phrase names something the measure counts."""
    index = Words.of([(i, i, norm(w)) for i, w in enumerate(words)])
    return any(hits(phrase(x), index) for x in measure.nouns)


def _phrase_problem(text: object, what: str) -> tuple[str, str] | None:
    """Why `text` is not a valid cue phrase (`what` names what was expected), or None."""
    if not isinstance(text, str) or not text.strip():
        return f"{text!r} is not {what}.", "write words, e.g. `bilateral trade`."
    if "*" in text.rstrip("*") or text.rstrip().endswith("**"):
        return f"{text!r} is not a valid cue: `*` may only end the last word.", "write e.g. `export*`."
    if not all(WORD_RE.match(w.replace("’", "'")) for w in re.split(r"[\s\-–]+", text.strip()) if w):
        return (f"{text!r} is not a valid cue: use letters, digits, spaces, hyphens and apostrophes only.",
                "remove punctuation from the phrase.")
    return None


def _cue_problem(value: object) -> tuple[str, str] | None:
    """Why a cue — a phrase, or a list of phrases that must all occur — is not valid, or None."""
    if isinstance(value, list) and not value:
        return "an empty list matches nothing.", "give one or more phrases."
    group = value if isinstance(value, list) else [value]
    return next(filter(None, (_phrase_problem(text, "a phrase or a list of phrases") for text in group)), None)


TOLERANCE_FIX = "write a relative difference, e.g. `tolerance: 0.05` for 5%."
PHRASE = Field("phrase", "any", check=lambda text: _phrase_problem(text, "a phrase"))
MEASURE_FIELDS = (
    Field("id", "slug", unique=True, doc="Slug naming the measure; unique.", example="border-length"),
    Field("label", "text", doc="What is measured, for people.", example="Length of the China–Russia border"),
    Field("kind", "choice", choices=KINDS, doc="Kind of figure the measure takes."),
    Field("cues", "list", required=False, item=Field("cue", "any", check=_cue_problem), noun="phrase",
          example="[border, frontier]", doc="Phrases, or lists of phrases that must all occur, in the figure's sentence."),
    Field("exclude", "list", required=False, default=(), item=PHRASE, noun="phrase", example="[border, frontier]",
          doc="Phrases that rule the measure out when they occur in the sentence."),
    Field("nouns", "list", required=False, default=(), item=PHRASE, noun="phrase", example="[troops, soldiers]",
          doc="Count measures: what is counted (`troops`, `exercise*`)."),
    Field("tolerance", "number", required=False, minimum=0, below=1, fix=TOLERANCE_FIX,
          doc="Relative difference beyond which values are flagged."),
    Field("dated", "bool", required=False, default=True, fix="write `dated: false` for a fixed fact, or leave it out.",
          doc="`true` (default): values change over time and are compared only with values of the same stated year; "
              "`false` for fixed facts (a border's length)."),
)
FILE_FIELDS = (
    Field("tolerance", "number", required=False, default=0.05, minimum=0, below=1, fix=TOLERANCE_FIX,
          doc="The default tolerance of every measure."),
    Field("measures", "records", fields=MEASURE_FIELDS, noun="measure", fix="see docs/about/figures.md."),
)


def parse_measures(text: str, file: str = MEASURES_FILE) -> tuple[tuple[Measure, ...], list[Problem]]:
    """The measures of a measures file (`FILE_FIELDS`), and every problem with it."""
    doc, problems = load_yaml(text, file)
    if doc is None:
        return (), problems
    values, problems = validate(doc.data, FILE_FIELDS, file, doc, unknown="error")
    measures = []
    for i, (item, raw) in enumerate(zip(values.get("measures") or (), doc.data["measures"] if values.get("measures") else ())):
        if not isinstance(raw, dict):
            continue
        where, kind = f"measures[{i}]", item.get("kind")
        if raw.get("cues") is None and kind not in (None, "count"):  # rules between fields: in code
            problems.append(Problem(file, f"{where}.cues", "required key 'cues' is missing.",
                                    "add the words that, in a sentence, say the figure is this measure: "
                                    "`cues: [border, frontier]`.", doc.line(where)))
        if kind == "count" and "nouns" not in raw:
            problems.append(Problem(file, f"{where}.nouns", "a count measure needs `nouns`: what it counts.",
                                    "add e.g. `nouns: [troops, soldiers]`.", doc.line(where)))
        elif kind != "count" and "nouns" in raw:
            problems.append(Problem(file, f"{where}.nouns", f"`nouns` applies only to count measures, not {raw.get('kind')!r}.",
                                    "remove `nouns`, or set `kind: count`.", doc.line(f"{where}.nouns")))
        if any(p.key == where or p.key.startswith((where + ".", where + "[")) for p in problems):
            continue
        cues = tuple(tuple(c) if isinstance(c, list) else (c,) for c in item.get("cues") or ())
        tolerance = item["tolerance"] if item.get("tolerance") is not None else values.get("tolerance") or 0.0
        measures.append(Measure(item["id"], item["label"], kind, cues, item["exclude"] or (), item["nouns"] or (),
                                float(tolerance), item["dated"]))
    return tuple(measures), problems


@lru_cache(maxsize=1)
def load_measures() -> tuple[tuple[Measure, ...], tuple[Problem, ...]]:
    """The measures shipped with the package, and any problem with the file (reported like a ledger's)."""
    measures, problems = parse_measures(*data_file("measures.yaml"))
    return measures, tuple(problems)


def default_measures() -> tuple[Measure, ...]:
    """The measures shipped with the package; DossierError if the file has a problem."""
    return or_raise(*load_measures())


@dataclass(frozen=True)
class Check:
    """One value against the values of other sources it can be compared with (same unit, same year where both give one)."""

    figure: Figure
    consensus: tuple[float, float] | None
    """The median of those values, as the range it allows (`(v, v)` for plain values; see `consensus`); None: none."""
    others: int
    """How many values of other sources it was compared with."""
    apart: float
    """Relative distance between what the figure allows and the consensus (0 when they overlap)."""
    differs: bool
    """`apart` exceeds the measure's tolerance."""


@dataclass(frozen=True)
class Comparison:
    """One measure's values across sources: spread per unit, each value against the others, the widest gaps."""

    measure: Measure
    figures: tuple[Figure, ...]
    spreads: tuple[tuple[str, int | float, int | float, float], ...]
    """(normalised unit, min, max, (max - min) / min) over the compared values."""
    checks: tuple[Check, ...]
    """One per value that is not a target, in figure order."""
    disagreements: tuple[tuple[Figure, Figure, float], ...]
    """The widest gaps between two values of different sources beyond the tolerance: at most WIDEST, widest first."""
    compared: int
    """How many values had values of other sources to be compared with."""
    differing: int
    """How many of them differ from their consensus beyond the tolerance."""


WIDEST = 5
"""At most this many disagreeing pairs are listed per measure, so that the Figures page grows linearly with the values."""
LOWER_BOUNDS = frozenset({"more than", "over", "at least", "upwards of", "just over", "well over", "as many as", "as much as"})
UPPER_BOUNDS = frozenset({"less than", "fewer than", "under", "almost", "nearly", "at most", "up to", "just under"})


def relative(a: float, b: float) -> float:
    lo, hi = sorted((abs(a), abs(b)))
    return 0.0 if hi == lo else float("inf") if lo == 0 else (hi - lo) / lo


def bounds(f: Figure) -> tuple[float, float]:
    """The values a figure allows: `at least 5` is 5 and up, `almost 20` up to 20, `about 20` is 20."""
    v = float(f.normalised)
    if f.modifier in LOWER_BOUNDS:
        return v, float("inf")
    if f.modifier in UPPER_BOUNDS:
        return float("-inf"), v
    return v, v


def distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Relative distance between two ranges of values (0 when they overlap)."""
    (a_lo, a_hi), (b_lo, b_hi) = a, b
    if a_hi < b_lo:
        return relative(a_hi, b_lo)
    if b_hi < a_lo:
        return relative(b_hi, a_lo)
    return 0.0


def gap(a: Figure, b: Figure) -> float:
    """Relative distance between what two figures allow (0 when they can both be true)."""
    return distance(bounds(a), bounds(b))


def _kth(values: list[float], removed: list[float], k: int) -> float:
    """The k-th smallest (from 0) of the sorted `values` once the sorted sub-multiset `removed` is taken out."""
    if not removed:
        return values[k]
    lo, hi = 0, len(values) - 1
    while lo < hi:  # the first position whose value has more than k kept values at or below it
        mid = (lo + hi) // 2
        if bisect_right(values, values[mid]) - bisect_right(removed, values[mid]) > k:
            hi = mid
        else:
            lo = mid + 1
    return values[lo]


def _median(values: list[float], removed: list[float]) -> float:
    n = len(values) - len(removed)
    if n % 2:
        return _kth(values, removed, n // 2)
    return (_kth(values, removed, n // 2 - 1) + _kth(values, removed, n // 2)) / 2


def _extremes(pool: list[int], key) -> list[int]:
    """The best member of `pool` by `key` (a figure index -> (sort key, source)), and the best of another source."""
    ranked = sorted(pool, key=lambda i: key(i)[0])
    first = ranked[0]
    return [first] + next(([i] for i in ranked if key(i)[1] != key(first)[1]), [])


def comparisons(measures: tuple[Measure, ...], figs: tuple[Figure, ...]) -> list[Comparison]:
    """Each measure that has figures compared across the sources, in file order."""
    return [c for m in measures if (c := compare(m, figs)).figures]


def compare(measure: Measure, figs: tuple[Figure, ...]) -> Comparison:
    """Each value of `measure` against the consensus of the other sources, and the widest gaps between two sources.

    A value is compared with the values of other sources in the same normalised unit, for the same stated year
    (any year for a measure that is not `dated`). Their consensus is their median (the median of their lower bounds to the median
    of their upper bounds, so that `at least 5` counts as what it allows), and the value differs when the
    relative distance from what it allows to that consensus exceeds the tolerance. Each value's farthest
    value of another source (one with the highest lower bound or the lowest upper bound) gives the
    candidate pairs, of which the WIDEST widest beyond the tolerance are kept. The work is sorting, once
    per unit and year: it grows with the number of values, not with the number of pairs. Targets are
    shown, never compared.
    """
    mine = tuple(f for f in figs if f.measure == measure.id)
    values = [f for f in mine if not f.target]
    spreads = []
    for unit in sorted({f.normalised_unit for f in values}):
        nums = [f.normalised for f in values if f.normalised_unit == unit]
        spreads.append((unit, min(nums), max(nums), relative(min(nums), max(nums))))
    allowed = [bounds(f) for f in values]
    checks: list[Check | None] = [None] * len(values)
    pairs: dict[tuple[int, int], float] = {}
    for unit in sorted({f.normalised_unit for f in values}):
        members = [i for i, f in enumerate(values) if f.normalised_unit == unit]
        years = sorted({values[i].year for i in members if values[i].year is not None})
        if measure.dated:  # a value is compared only with values of the year it states; an undated one with none
            pools = [[i for i in members if values[i].year == y] for y in years]
            for i in members:
                if values[i].year is None:
                    checks[i] = Check(values[i], None, 0, 0.0, False)
        else:  # a fixed fact: every value with every other, whatever year its sentence mentions
            pools = [members]
        for pool in pools:
            lows, highs = sorted(allowed[i][0] for i in pool), sorted(allowed[i][1] for i in pool)
            own: dict[str, tuple[list[float], list[float]]] = {}
            for i in pool:
                own.setdefault(values[i].source, ([], []))
                own[values[i].source][0].append(allowed[i][0])
                own[values[i].source][1].append(allowed[i][1])
            for lo_hi in own.values():
                lo_hi[0].sort()
                lo_hi[1].sort()
            highest = _extremes(pool, lambda i: ((-allowed[i][0], i), values[i].source))
            lowest = _extremes(pool, lambda i: ((allowed[i][1], i), values[i].source))
            for i in pool:
                f = values[i]
                own_lows, own_highs = own[f.source]
                others = len(pool) - len(own_lows)
                if not others:
                    checks[i] = Check(f, None, 0, 0.0, False)
                    continue
                consensus = (_median(lows, own_lows), _median(highs, own_highs))
                apart = distance(allowed[i], consensus)
                checks[i] = Check(f, consensus, others, apart, apart > measure.tolerance)
                for j in (next(j for j in highest if values[j].source != f.source),
                          next(j for j in lowest if values[j].source != f.source)):
                    wide = distance(allowed[i], allowed[j])
                    if wide > measure.tolerance:
                        pairs[min(i, j), max(i, j)] = wide
    widest = sorted(pairs.items(), key=lambda item: (-item[1], item[0]))[:WIDEST]
    done = tuple(c for c in checks if c is not None)  # every value gets one; the filter is for the type checker
    return Comparison(measure, mine, tuple(spreads), done,
                      tuple((values[i], values[j], wide) for (i, j), wide in widest),
                      sum(c.others > 0 for c in done), sum(c.differs for c in done))
