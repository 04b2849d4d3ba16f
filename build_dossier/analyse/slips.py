"""Candidate slips for an editor to confirm: names a source spells unlike a known name, or unlike another source.

A capitalised word that is neither a known name (`data/names.yaml`, a gazetteer of the domain) nor a
common word (one the sources also write in lower case) is compared with the words of known names and
with the capitalised words of the other sources. It is a candidate when the two differ by one edit
(Damerau–Levenshtein: a letter added, dropped, changed or two swapped), or by two in a long word
(both of 8 letters or more) or in a word of 6 or more that sounds the same (NYSIIS code); the first letter
must agree, and a word that merely extends the other (`Russia`/`Russian`) is a form of it, not a slip.
Nothing is changed: `check` lists the candidates, and the editor marks real slips in `sources/errata.yaml`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import jellyfish

from ..errors import Problem, or_raise
from ..ingest.readfile import data_file
from ..ingest.schema import Field, validate
from ..ingest.yamlio import load_yaml
from ..model import Erratum, Passage

NAMES_FILE = "names.yaml"
KINDS = (("places", "place"), ("people", "person"), ("organisations", "organisation"))
NAME_FIELDS = tuple(Field(key, "text-list", doc=f"Known names of {key}.", example="Moscow") for key, _ in KINDS) + (
    Field("generic", "text-list", required=False, default=(), example="Strait",
          doc="Words of those names that are ordinary words (`Strait`, `Union`): not compared."),)
WORD_RE = re.compile(r"[^\W\d_]+")
MIN_LETTERS = 5
"""Shorter words are left alone: too many real names lie one letter apart (`Iran`/`Iraq`)."""
CALENDAR = frozenset("""January February March April May June July August September October November December
Monday Tuesday Wednesday Thursday Friday Saturday Sunday""".split())
"""Words English always capitalises that are no names (`March` is not a slip for `Marco`)."""


@dataclass(frozen=True)
class Gazetteer:
    """The words of known names, each with the name it belongs to and what that name is."""

    words: dict[str, tuple[str, str]]
    """Word (`Malacca`) -> (full name, kind): (`Strait of Malacca`, `place`)."""


@dataclass(frozen=True)
class Candidate:
    """A word that may be a slip, and what it resembles."""

    passage: Passage
    """Where it stands (the first place, if it recurs in the source)."""
    word: str
    """The word as the source spells it."""
    like: str
    """The known or other spelling it resembles."""
    why: str
    """`Narendra Modi, a known person`, or `as Lo ¶7 spells it`."""


def parse_names(text: str, file: str) -> tuple[Gazetteer, list[Problem]]:
    """The gazetteer in `text` (validated with `NAME_FIELDS`; problems are errors, as in every data file)."""
    doc, problems = load_yaml(text, file)
    if doc is None:
        return Gazetteer({}), problems
    values, problems = validate(doc.data, NAME_FIELDS, file, doc, unknown="error")
    generic = set(values.get("generic") or ())
    words: dict[str, tuple[str, str]] = {}
    for key, kind in KINDS:
        for name in values.get(key) or ():
            for word in WORD_RE.findall(name):
                if word[:1].isupper() and word not in generic:
                    words.setdefault(word, (name, kind))
    return Gazetteer(words), problems


def default_gazetteer() -> Gazetteer:
    """The gazetteer shipped with the package; DossierError if the file has a problem."""
    return or_raise(*parse_names(*data_file(NAMES_FILE)))


def similar(a: str, b: str) -> bool:
    """True if `a` and `b` look like one name spelled two ways (see the module docstring)."""
    x, y = a.casefold(), b.casefold()
    if x == y or x[0] != y[0] or min(len(x), len(y)) < MIN_LETTERS or x.startswith(y) or y.startswith(x):
        return False
    if abs(len(x) - len(y)) > 2:
        return False
    d = jellyfish.damerau_levenshtein_distance(x, y)
    return d == 1 or d == 2 and (min(len(x), len(y)) >= 8 or min(len(x), len(y)) >= 6 and jellyfish.nysiis(a) == jellyfish.nysiis(b))


def _name_words(passages: tuple[Passage, ...]) -> tuple[dict[str, dict[str, Passage]], set[str]]:
    """Capitalised words (not all capitals) of each source with the first passage each stands in; every lower-case word."""
    names: dict[str, dict[str, Passage]] = defaultdict(dict)
    lower: set[str] = set()
    for p in passages:
        for word in WORD_RE.findall(p.text):
            if word[:1].isupper() and not word.isupper():
                names[p.source].setdefault(word, p)
            elif word[:1].islower():
                lower.add(word)
    return names, lower


def _marked(word: str, p: Passage, errata: tuple[Erratum, ...]) -> bool:
    """True if an erratum of the passage already covers the word."""
    return any(e.passage == p.id and re.search(rf"\b{re.escape(word)}\b", e.text) for e in errata)


def candidates(passages: tuple[Passage, ...], gazetteer: Gazetteer, labels: dict[str, str],
               errata: tuple[Erratum, ...] = ()) -> list[Candidate]:
    """Every word that may be a slip (not yet in the errata), in passage order."""
    names, lower = _name_words(passages)
    known = gazetteer.words
    by_initial: dict[str, list[str]] = defaultdict(list)
    for word in known:
        by_initial[word[0].casefold()].append(word)
    found = []
    for source, words in names.items():
        others = {w: p for s, ws in names.items() if s != source for w, p in ws.items() if w not in words}
        other_initial: dict[str, list[str]] = defaultdict(list)
        for word in others:
            other_initial[word[0].casefold()].append(word)
        for word, p in words.items():
            if (word in known or word in CALENDAR or word.casefold() in lower or len(word) < MIN_LETTERS
                    or _marked(word, p, errata)):
                continue
            like = next((k for k in by_initial[word[0].casefold()] if similar(word, k)), None)
            if like:
                name, kind = known[like]
                found.append(Candidate(p, word, like, f"{name}, a known {kind}"))
                continue
            like = next((o for o in other_initial[word[0].casefold()] if o not in known and similar(word, o)), None)
            if like and word < like:  # a pair of sources is listed once
                q = others[like]
                found.append(Candidate(p, word, like, f"as {labels.get(q.source, q.source)} ¶{q.n} spells it"))
    return sorted(found, key=lambda c: (c.passage.source, c.passage.n, c.word))


def describe(c: Candidate, labels: dict[str, str]) -> str:
    """One line of `check`'s list: `Gabuev ¶24: “Malaka” — like “Malacca” (Strait of Malacca, a known place)`."""
    return f"{labels.get(c.passage.source, c.passage.source)} ¶{c.passage.n}: “{c.word}” — like “{c.like}” ({c.why})"
