"""Topic cue terms and how they match a text: words are compared by their Snowball stems, so one cue
covers its inflections (`export` matches exports, exported, exporting)."""

from __future__ import annotations

from collections import Counter
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


def keys(word: str) -> set[str]:
    """Index keys under which cues starting at a word (as written, apostrophes straight) are filed."""
    low = word.lower()
    return {stem(low), "=" + low, "=" + word, "=" + (word[:-2] if word.endswith("'s") else word), "~" + low[:3]}


def fits(cue: Cue, k: int, word: str) -> bool:
    """Whether a word (as written, apostrophes straight) is the cue's `k`-th word."""
    want = cue.words[k]
    if cue.prefix and k == len(cue.words) - 1:
        return (word if cue.exact else word.lower()).startswith(want)
    if cue.exact:
        return word == want or word == want + "'s"
    if cue.literal:
        return word.lower() == want
    return stem(word.lower()) == want


def match(cue: Cue, raw: list[str], i: int) -> bool:
    """Whether `cue` occurs at word `i` of `raw` (words as written, apostrophes straight)."""
    return i + len(cue.words) <= len(raw) and all(fits(cue, k, raw[i + k]) for k in range(len(cue.words)))


def index_cues(cues: tuple[Cue, ...]) -> dict[str, tuple[Cue, ...]]:
    """Cues filed by the key of their first word, for one pass over a text."""
    out: dict[str, list[Cue]] = {}
    for cue in cues:
        out.setdefault(cue.key, []).append(cue)
    return {k: tuple(v) for k, v in out.items()}


_FIRST: list = [None, {}, {}]
"""The last index counted with; by word as written, the one-word cues it matches and the longer cues that may start at
it; by two words, the longer cues whose first two words they are. These depend on the words alone, so they are found
once per distinct word or pair, not once per occurrence."""


def forget_words() -> None:
    """Empty the memo of words (`tag` does at the end of a run: `serve` would keep every word it ever tagged)."""
    _FIRST[:] = [None, {}, {}]


def words_of(text: str) -> list[str]:
    """A text's words as written (apostrophes made straight), as `cue_counts` reads them."""
    return WORD_RE.findall(text.replace("’", "'"))  # the pattern takes either apostrophe inside a word


def cue_counts(text: str, index: dict[str, tuple[Cue, ...]], raw: list[str] | None = None) -> list[tuple[Cue, int]]:
    """(cue, how often it occurs) for each indexed cue that occurs in `text` (whose `words_of` may be given), in no
    set order; no cue is hashed.

    A one-word cue depends on the word alone: it is counted once per distinct word (times its occurrences, counted
    in C), and only the words at which a longer cue may start are visited one by one.
    """
    if _FIRST[0] is not index:  # holding the index keeps its id from being reused
        _FIRST[:] = [index, {}, {}]
    _, first, pairs = _FIRST
    raw = words_of(text) if raw is None else raw
    counts: dict[int, int] = {}  # by the cue's id: hashing a cue (a dataclass) for every occurrence costs more
    cue_of: dict[int, Cue] = {}
    longer = False
    for word, n in Counter(raw).items():
        starts = first.get(word)
        if starts is None:
            filed = [cue for key in keys(word) for cue in index.get(key, ())]
            starts = first[word] = (tuple(c for c in filed if len(c.words) == 1 and match(c, [word], 0)),
                                    tuple(c for c in filed if len(c.words) > 1))
        for cue in starts[0]:
            counts[id(cue)] = counts.get(id(cue), 0) + n
            cue_of[id(cue)] = cue
        longer = longer or bool(starts[1])
    for i in range(len(raw) - 1) if longer else ():
        if not first[raw[i]][1]:
            continue
        pair = (raw[i], raw[i + 1])
        two = pairs.get(pair)
        if two is None:
            two = pairs[pair] = tuple(c for c in first[raw[i]][1] if fits(c, 0, raw[i]) and fits(c, 1, raw[i + 1]))
        for cue in two:
            if len(cue.words) == 2 or match(cue, raw, i):
                counts[id(cue)] = counts.get(id(cue), 0) + 1
                cue_of[id(cue)] = cue
    return [(cue_of[k], n) for k, n in counts.items()]
