"""Topic cue terms and how they match a text: words are compared by their Snowball stems, so one cue
covers its inflections (`export` matches exports, exported, exporting)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from ..text import WORD_RE

_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball (Porter 2) stem of one lowercase word, possessive dropped."""
    return _STEMMER.stemWord(word)


@dataclass(frozen=True)
class Cue:
    """A term that counts towards a topic."""

    topic: str
    term: str
    """As written in the topics file."""
    weight: float
    words: tuple[str, ...]
    """What each word of the term is compared with: its stem, or the form as written (`exact`, `literal`)."""
    prefix: bool
    """The last word matches any lowercase word it starts (`interoperab*`)."""
    exact: bool
    """Matched with its case as written, not stemmed (acronyms such as `UN`)."""
    literal: bool = False
    """Matched as the lowercase word form written after `=`, not stemmed (`=likely`, whose stem is `like`)."""

    @property
    def key(self) -> str:
        """The index key of the cue's first word."""
        if self.prefix and len(self.words) == 1:
            return "~" + self.words[0][:3].lower()
        return ("=" if self.exact or self.literal else "") + self.words[0]


def make_cue(topic: str, term: str, weight: float) -> Cue:
    """A cue from its written form: stemmed words, `*` for any ending, `=` for one word form, case kept for acronyms."""
    prefix = term.endswith("*")
    literal = term.startswith("=")
    exact = sum(c.isupper() for c in term) >= 2
    written = tuple(w.replace("’", "'") for w in WORD_RE.findall(term))
    if exact:
        words = written
    elif literal:
        words = tuple(w.lower() for w in written)
    else:
        lowered = [w.lower() for w in written]
        words = tuple(w if prefix and k == len(lowered) - 1 else stem(w) for k, w in enumerate(lowered))
    return Cue(topic, term, weight, words, prefix, exact, literal)


@dataclass(frozen=True)
class Words:
    """A text's words as written, lowercased, and stemmed (apostrophes made straight)."""

    raw: tuple[str, ...]
    low: tuple[str, ...]
    stems: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> "Words":
        """Split a text into words."""
        raw = tuple(WORD_RE.findall(text.replace("’", "'")))  # the pattern takes either apostrophe inside a word
        low = tuple(map(str.lower, raw))
        return cls(raw, low, tuple(map(stem, low)))

    def keys(self, i: int) -> set[str]:
        """Index keys under which cues starting at word `i` are filed."""
        bare = self.raw[i][:-2] if self.raw[i].endswith("'s") else self.raw[i]
        return {self.stems[i], "=" + self.low[i], "=" + bare, "~" + self.low[i][:3]}

    def match(self, cue: Cue, i: int) -> bool:
        """Whether `cue` occurs at word `i`."""
        if i + len(cue.words) > len(self.raw):
            return False
        for k, want in enumerate(cue.words):
            j = i + k
            if cue.prefix and k == len(cue.words) - 1:
                ok = (self.raw[j] if cue.exact else self.low[j]).startswith(want)
            elif cue.exact:
                ok = self.raw[j] == want or self.raw[j] == want + "'s"
            elif cue.literal:
                ok = self.low[j] == want
            else:
                ok = self.stems[j] == want
            if not ok:
                return False
        return True


def index_cues(cues: tuple[Cue, ...]) -> dict[str, tuple[Cue, ...]]:
    """Cues filed by the key of their first word, for one pass over a text."""
    out: dict[str, list[Cue]] = {}
    for cue in cues:
        out.setdefault(cue.key, []).append(cue)
    return {k: tuple(v) for k, v in out.items()}


_FIRST: list = [None, {}]
"""The last index counted with, and by word as written: the one-word cues it matches, and the longer cues that may
start at it. Both depend on that word alone, so they are found once per distinct word, not once per occurrence."""


def forget_words() -> None:
    """Empty the memo of words (`tag` does at the end of a run: `serve` would keep every word it ever tagged)."""
    _FIRST[:] = [None, {}]


def cue_counts(text: str, index: dict[str, tuple[Cue, ...]]) -> list[tuple[Cue, int]]:
    """(cue, how often it occurs) for each indexed cue that occurs in `text`, in no set order; no cue is hashed."""
    if _FIRST[0] is not index:  # holding the index keeps its id from being reused
        _FIRST[:] = [index, {}]
    first = _FIRST[1]
    words = Words.of(text)
    counts: dict[int, int] = {}  # by the cue's id: hashing a cue (a dataclass) for every occurrence costs more
    cue_of: dict[int, Cue] = {}
    for i, raw in enumerate(words.raw):
        starts = first.get(raw)
        if starts is None:
            filed = [cue for key in words.keys(i) for cue in index.get(key, ())]
            starts = first[raw] = (tuple(c for c in filed if len(c.words) == 1 and words.match(c, i)),
                                   tuple(c for c in filed if len(c.words) > 1))
        for cue in starts[0]:
            counts[id(cue)] = counts.get(id(cue), 0) + 1
            cue_of[id(cue)] = cue
        for cue in starts[1]:
            if words.match(cue, i):
                counts[id(cue)] = counts.get(id(cue), 0) + 1
                cue_of[id(cue)] = cue
    return [(cue_of[k], n) for k, n in counts.items()]
