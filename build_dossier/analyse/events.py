"""Stage 8: the timeline — dated statements of every passage, the tellings of one event gathered into one entry.

A mention is a date expression (`dates.py`) in a clause that says something happened, happens or will
happen then. Not events: the start of a duration (`since 2014`, while `since their first drill in 2003`
dates the drill), a state or measurement at a date (`as of 2024`, `going into 2021`, a clause that
measures: `accounted for 20 percent in 2024`, `85 percent of Russians viewed`), a bound (`before 2022`, either
end of `from July 2023 to February 2025`), the base of a comparison (`slower than the 32.7% gain in 2023`, `in
2024 from 2023`), a negated statement (`was not born in February 2022`) and a reference in brackets (`(2017)`). Two
mentions tell one event when they share words that name what happened and their dates overlap; two
sources telling one event with dates that cannot both be true are flagged. See docs/about/timeline.md.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from ..model import Event, Mention, Passage
from ..text import SP, STOPWORDS, WORD_RE
from .cues import stem
from .dates import DateExpr, date_expressions, interval, narrowest, overlap
from .figures import sentence_spans
from .periods import CLAUSE_RE

NOT_AN_EVENT_LEAD = frozenset({"since", "as of", "going into", "before", "after", "prior to", "ahead of", "until", "till",
                               "following", "for"})
"""Leads that make a date the start or end of a duration, a state, or a bound — not the date of an occurrence."""
RANGE_START_RE = re.compile(rf"{SP}+(?:to|through|until|till){SP}", re.I)
"""After a `from` date, the rest of a range (`From July 2023 to February 2025`): the date is a bound."""
RANGE_END_RE = re.compile(rf"\bfrom\b.*\b(?:to|through){SP}+$", re.I)
"""Before the end of a range opened by `from` in the same clause (`From June to August 2024`): a bound too."""
YEAR_RE = re.compile(r"\b(?:1[0-9]\d\d|20\d\d)\b")
COMPARISON_BASE_RE = re.compile(
    rf"\b(?:(?<!more{SP})(?<!less{SP})(?<!fewer{SP})(?<!rather{SP})(?<!other{SP})than|from|compared{SP}+(?:with|to)|"
    rf"versus|vs\.?|against){SP}+(?:(?:the|a|an){SP}+)?\S*\d\S*(?:{SP}+[^\s\d]+){{0,2}}{SP}+$", re.I)
"""A figure named as the base of a comparison, then its date (`slower than the 32.7% gain in 2023`, `compared with
$240.1 billion in 2023`): the date places the base, the clause reports another period."""
NEGATION_RE = re.compile(rf"\b(?:not|never|no{SP}longer|n['’]t){SP}+(?:\w+{SP}+){{0,4}}$", re.I)
MEASURING_RE = re.compile(
    rf"\b(?:(?:account(?:s|ed|ing)?{SP}+for|made{SP}+up|makes?{SP}+up|represent(?:s|ed|ing)?|constitut(?:es|ed|ing)|"
    rf"compris(?:es|ed|ing)|st(?:oo|an)ds?{SP}+at|amount(?:s|ed)?{SP}+to|totall?ed)\b|"
    rf"(?:was|were|is|are){SP}+(?:\w+{SP}+)?(?:US)?[$€£¥]?\d|"
    rf"(?:percent|per{SP}cent|%){SP}+of{SP}+(?:[\w’']+{SP}+){{1,3}}?(?:viewed|view|saw|see|said|say|believed?|think|"
    rf"thought|support(?:ed|s)?|opposed?|want(?:ed|s)?|had|have|held|hold|were|are|was|is|felt|feel)\b)", re.I)
"""A clause that measures a state over a period (`accounted for 20 percent of imports in 2024`, `85 percent of Russians
viewed China positively`): a figure, not an event."""
PLANNED_RE = re.compile(r"\b(?:will|shall|would|intend(?:s|ed)?|plan(?:s|ned)?\s+to|aim(?:s|ed)?\s+to|expect(?:s|ed)?\s+to|"
                        r"(?:is|are|was|were)\s+(?:due|set|scheduled|expected)\s+to|goal|target|deadline|pledged?\s+to|"
                        r"promised?\s+to|vowed?\s+to)\b", re.I)
PUBLISHED_RE = re.compile(r"\b(?:forthcoming|published|copyright|©)\W*(?:\w+\W+){0,2}$", re.I)
WINDOW = 8
"""Words on either side of a date read as naming what happened."""
SAME_EVENT = 2.5
"""Summed weight (inverse document frequency) of the shared naming words — two at least — that makes two mentions
with overlapping dates one event: say a word used in a sixth of the passages and one in a third (`invasion`,
`Ukraine`)."""
CONFLICT = 6.0
"""The same for two sources' mentions whose dates cannot both be true — three words at least, half the words of
the shorter — flagged."""
MIN_CORPUS = 50
"""Word weights are counted as in a corpus of at least this many passages (see `_weights`)."""
FIGURE_WORDS = frozenset("percent per cent billion million trillion thousand bn mn tn".split())
"""Words of a figure, not of what happened (`rose 49 percent to $76.4 billion`)."""


def _clause(text: str, lo: int, hi: int, pos: int) -> tuple[int, int]:
    """The clause of the sentence `text[lo:hi]` that holds offset `pos`."""
    start, end = lo, hi
    for m in CLAUSE_RE.finditer(text, lo, hi):
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            end = m.start()
            break
    return start, end


def is_event(text: str, e: DateExpr, clause: tuple[int, int]) -> bool:
    """Whether a date expression dates an occurrence (see the module docstring)."""
    if e.bracketed or e.lead in NOT_AN_EVENT_LEAD:
        return False
    before = text[max(clause[0], e.start - 40):e.start]
    if NEGATION_RE.search(before) or PUBLISHED_RE.search(before) or COMPARISON_BASE_RE.search(before):
        return False
    if RANGE_END_RE.search(text, clause[0], e.start):
        return False
    if e.lead == "from" and (RANGE_START_RE.match(text, e.end) or YEAR_RE.search(text, clause[0], e.start)):
        return False  # a range's start, or a comparison's base after the date compared (`in 2024 from 2023`)
    return not MEASURING_RE.search(text, *clause)


def _words(text: str, lo: int, hi: int) -> list[str]:
    return [stem(w.lower().replace("’", "'").removesuffix("'s")) for w in WORD_RE.findall(text, lo, hi)
            if w.lower() not in STOPWORDS and w.lower() not in FIGURE_WORDS and not w[0].isdigit() and len(w) > 1]


def naming_words(text: str, e: DateExpr, clause: tuple[int, int]) -> frozenset[str]:
    """Stems of the words that name what happened: after a date that opens its clause, else before it (and the
    noun after an attribute date: `the 2022 invasion of Ukraine`)."""
    after = _words(text, e.end, clause[1])
    opening = not text[clause[0]:e.start].strip(" ,") or len(text[clause[0]:e.start].split()) <= 1
    if opening:
        return frozenset(after[:WINDOW + 2])
    return frozenset(_words(text, clause[0], e.start)[-WINDOW:] + (after[:3] if e.attribute else []))


def passage_mentions(p: Passage) -> list[Mention]:
    """Every dated statement of one passage, in order."""
    out = []
    spans = sentence_spans(p.text)
    dates = date_expressions(p.text)  # the whole passage: `in December` takes the year of an earlier sentence
    for k, e in enumerate(dates):
        lo, hi = next(((a, b) for a, b in spans if a <= e.start < b), (e.start, e.end))
        clause = _clause(p.text, lo, hi, e.start)
        if not is_event(p.text, e, clause):
            continue
        out.append(Mention(p.id, e.start, e.end, e.text, e.date, planned(p.text, e, clause, dates[k + 1:]),
                           p.text[lo:hi], naming_words(p.text, e, clause)))
    return out


def planned(text: str, e: DateExpr, clause: tuple[int, int], later: list[DateExpr]) -> bool:
    """A plan or expectation: its words before the date in its clause, or after a date that opens the clause (up to
    the next date): `intended to reach in 2025`, `By 2030, the two sides plan to …`."""
    if PLANNED_RE.search(text, clause[0], e.start):
        return True
    if text[clause[0]:e.start].strip(" ,") and len(text[clause[0]:e.start].split()) > 1:
        return False
    end = min([d.start for d in later if d.start < clause[1]] + [clause[1]])
    return bool(PLANNED_RE.search(text, e.end, end))


class _Stems(dict):
    """Each word's stem as `_weights` counts it (lowercase, straight apostrophe, no possessive), made when first asked."""

    def __missing__(self, word: str) -> str:
        """Stem a word not seen before, and keep it."""
        out = self[word] = stem(word.lower().replace("’", "'").removesuffix("'s"))
        return out


def _weights(passages: tuple[Passage, ...]) -> dict[str, float]:
    """Inverse document frequency of each stem over the passages (a word most passages use names no event), counted
    as in a corpus of at least MIN_CORPUS passages, so that a small dossier's rare words weigh as rare."""
    stems = _Stems()  # a word is stemmed once per run, not once per passage using it
    seen = Counter(w for p in passages for w in set(map(stems.__getitem__, set(WORD_RE.findall(p.text)))))
    return {w: math.log(max(len(passages), MIN_CORPUS) / n) for w, n in seen.items()}


def _linked(a: tuple, b: tuple, weight) -> str | None:
    """Whether mentions of these (date, naming words) tell one event: `passage` when their dates overlap (then any two
    from different passages do: two dates of one passage are two events), `source` when they are from two sources
    only (so many rare words shared that a difference of date is worth flagging), None when never; `weight` weighs a word."""
    (date_a, words_a), (date_b, words_b) = a, b
    together = overlap(date_a, date_b)
    shared = words_a & words_b
    if len(shared) < (2 if together else 3):
        return None
    total = sum(weight(w) for w in shared)
    if together:
        return "passage" if total >= SAME_EVENT else None
    return "source" if total >= CONFLICT and 2 * len(shared) >= min(len(words_a), len(words_b)) else None


def _join(a: list[int], b: list[int], colour, union) -> None:
    """Join every pair (i of `a`, j of `b`) of different colours, through at most two members of the other side each.

    Each member is joined with the first member of the other side and the first of another colour, where its own
    colour differs: members of one colour on one side have the same partners, so this leaves the same groups as
    joining every pair, at the cost of the two sides' lengths, not their product.
    """
    for one, other in ((a, b), (b, a)):
        first = other[0]
        second = next((j for j in other if colour(j) != colour(first)), None)
        for i in one:
            for j in (first, second):
                if j is not None and colour(i) != colour(j):
                    union(i, j)


def _conflict(ms: list[Mention]) -> bool:
    """Two sources give dates that cannot both be true: one source's date ends before another's begins. Linear: each
    source's earliest end against the latest start of the other sources."""
    ends: dict[str, tuple] = {}
    starts: dict[str, tuple] = {}
    for m in ms:
        first, last = interval(m.date)
        ends[m.source] = min(ends.get(m.source, last), last)
        starts[m.source] = max(starts.get(m.source, first), first)
    latest = sorted(((v, k) for k, v in starts.items()), reverse=True)[:2]
    return any(end < start for s, end in ends.items() for start, t in latest if t != s)


def group(mentions: list[Mention], passages: tuple[Passage, ...] = ()) -> tuple[Event, ...]:
    """Mentions gathered into events (single link by `_linked`), in date order; `passages` weigh the words."""
    idf = _weights(passages) if passages else {}
    weight = (lambda w: idf.get(w, 0.0)) if passages else (lambda w: 2.0)
    parent = list(range(len(mentions)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        parent[root(j)] = root(i)

    # Mentions with the same date and naming words (retellings of one statement) are compared once, as a kind.
    kinds: dict[tuple, list[int]] = {}
    for i, m in enumerate(mentions):
        kinds.setdefault((m.date, m.words), []).append(i)
    keys = list(kinds)
    by_word: dict[str, list[int]] = {}
    for k, (_, words) in enumerate(keys):
        for w in words:
            if weight(w) >= SAME_EVENT / 2:  # a pair that links shares a word this rare: only these find candidates
                by_word.setdefault(w, []).append(k)
    colours = {"passage": lambda i: mentions[i].passage, "source": lambda i: mentions[i].source}
    whole: set[int] = set()  # kinds whose mentions are all in one event already (events only ever merge)
    for k, key in enumerate(keys):
        for other in sorted({j for w in key[1] for j in by_word.get(w, ()) if j >= k}):
            mine, theirs = kinds[key], kinds[keys[other]]
            if k in whole and other in whole and root(mine[0]) == root(theirs[0]):
                continue  # joining them would change nothing: retold events are compared once, not once per kind pair
            if how := _linked(key, keys[other], weight):
                _join(mine, theirs, colours[how], union)
                whole.update(j for j, ms in ((k, mine), (other, theirs))
                             if j not in whole and all(root(i) == root(ms[0]) for i in ms))
    clusters: dict[int, list[Mention]] = {}
    for i, m in enumerate(mentions):
        clusters.setdefault(root(i), []).append(m)
    events = []
    for ms in clusters.values():
        dates = [m.date for m in ms]
        conflict = _conflict(ms)
        date = min(dates, key=lambda d: interval(d)) if conflict else narrowest(dates)
        first = ms[0]
        events.append(Event(f"ev-{first.passage}-{first.start}", date, tuple(ms), conflict))
    return tuple(sorted(events, key=lambda e: (interval(e.date)[0], e.date, e.id)))


def timeline(passages: tuple[Passage, ...]) -> tuple[Event, ...]:
    """The events of every passage, in date order."""
    mentions = [m for p in passages for m in passage_mentions(p)]
    date_expressions.cache_clear()  # read by the figures, then here: not needed again until the next run
    return group(mentions, passages)
