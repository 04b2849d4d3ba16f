"""Measures (`data/measures.yaml`): validation, finding their cue words, comparing their values."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache

from ..errors import Problem, or_raise
from ..ingest.readfile import data_file
from ..ingest.schema import Field, validate
from ..ingest.yamlio import load_yaml
from ..model import Measure
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


@lru_cache(maxsize=4096)
def _forms(word: str) -> tuple[str, ...]:
    """The forms `_word` accepts for a word (its plurals)."""
    return (word, word + "s", word + "es") + ((word[:-1] + "ies",) if word.endswith("y") else ())


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

    @cached_property
    def keys(self) -> list[str]:
        """The normalised forms, sorted."""
        return sorted(self.at)

    def starts(self, word: str, prefix: bool) -> list[int]:
        if prefix:  # the words it starts are together in sorted order
            keys = self.keys
            found = []
            for k in range(bisect_left(keys, word), len(keys)):
                if not keys[k].startswith(word):
                    break
                found += self.at[keys[k]]
            return sorted(found)
        found = [i for form in _forms(word) if form in self.at for i in self.at[form]]
        return sorted(found) if len(found) > 1 else found


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
    """Each occurrence of the measure's cues (a one-phrase cue once per place; a cue of several phrases once per place
    of its most frequent phrase), unless an exclusion occurs."""
    out: list[Match] = []
    for alternative in measure.cues:
        found = [tuple(hits(phrase(x), words)) for x in alternative]
        if not all(found):
            continue
        if len(found) == 1:
            out += [((span,),) for span in found[0]]
        else:  # one occurrence per place of its most frequent phrase: `accounted for … trade, … accounted for … trade`
            lead = max(range(len(found)), key=lambda k: (len(found[k]), -k))
            out += [tuple((span,) if k == lead else spans for k, spans in enumerate(found)) for span in found[lead]]
    if out and any(hits(phrase(x), words) for x in measure.exclude):  # sought only where a cue occurs: most have none
        return []
    return out


@dataclass(frozen=True)
class Cues:
    """The measures with their cues indexed by the word each cue starts with: a sentence is searched only for the
    measures a word of it can start (most sentences hold the cues of none or one of them)."""

    all: tuple[Measure, ...]
    """Every measure, in the file's order."""
    forms: Mapping[str, tuple[int, ...]]
    """A word form → the measures (positions in `all`) one of whose cues can start with it."""
    prefixes: tuple[tuple[str, int], ...]
    """(prefix, measure) for cues that are one word with `*`: they start at any word the prefix begins."""

    @classmethod
    def of(cls, measures: tuple[Measure, ...]) -> "Cues":
        """Index the cues of `measures` but the counts (a count measure is sought apart, by its noun)."""
        forms: dict[str, list[int]] = {}
        prefixes = []
        for k, m in enumerate(measures):
            for alternative in m.cues if m.kind != "count" else ():
                first = phrase(alternative[0])  # every phrase of an alternative must occur: its first one too
                if first.prefix and len(first.words) == 1:
                    prefixes.append((first.words[0], k))
                else:
                    for form in _forms(first.words[0]):
                        forms.setdefault(form, []).append(k)
        return cls(measures, {w: tuple(ks) for w, ks in forms.items()}, tuple(prefixes))

    def found(self, words: Words) -> dict[str, list[Match]]:
        """The occurrences (see `occurrences`) of every measure but the counts in `words`, by measure id."""
        live = {k for w in words.at if w in self.forms for k in self.forms[w]}
        for prefix, k in self.prefixes:
            if k not in live:
                i = bisect_left(words.keys, prefix)
                if i < len(words.keys) and words.keys[i].startswith(prefix):
                    live.add(k)
        return {m.id: occurrences(m, words) if k in live else [] for k, m in enumerate(self.all) if m.kind != "count"}


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
