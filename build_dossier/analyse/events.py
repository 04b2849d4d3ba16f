"""Stage 8: the timeline — dated statements of every passage, the tellings of one event gathered into one entry.

A mention is a date expression (`dates.py`) in a clause that says something happened, happens or will
happen then. Not events: the start of a duration (`since 2014`, while `since their first drill in
2003` dates the drill), a state or measurement at a date (`as of 2024`, `at the end of 2023`, `going
into 2021`, a clause that measures — `accounted for 20 percent in 2024`), a bound (`before 2022`), a
negated statement (`was not born in February 2022`) and a reference in brackets (`(2017)`). Two
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

NOT_AN_EVENT_LEAD = frozenset({"since", "as of", "at the end of", "at the start of", "at the beginning of", "at the close of",
                               "at the turn of", "going into", "before", "after", "prior to", "ahead of", "until", "till",
                               "following", "for"})
"""Leads that make a date the start or end of a duration, a state, or a bound — not the date of an occurrence."""
NEGATION_RE = re.compile(rf"\b(?:not|never|no{SP}longer|n['’]t){SP}+(?:\w+{SP}+){{0,2}}$", re.I)
MEASURING_RE = re.compile(
    rf"\b(?:(?:account(?:s|ed|ing)?{SP}+for|made{SP}+up|makes?{SP}+up|represent(?:s|ed|ing)?|constitut(?:es|ed|ing)|"
    rf"compris(?:es|ed|ing)|st(?:oo|an)ds?{SP}+at|amount(?:s|ed)?{SP}+to|totall?ed)\b|"
    rf"(?:was|were|is|are){SP}+(?:\w+{SP}+)?(?:US)?[$€£¥]?\d)", re.I)
"""A clause that measures a state over a period (`accounted for 20 percent of imports in 2024`): a figure, not an event."""
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
    if NEGATION_RE.search(before) or PUBLISHED_RE.search(before):
        return False
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
    for e in date_expressions(p.text):  # the whole passage: `in December` takes the year of an earlier sentence
        lo, hi = next(((a, b) for a, b in spans if a <= e.start < b), (e.start, e.end))
        if True:
            clause = _clause(p.text, lo, hi, e.start)
            if not is_event(p.text, e, clause):
                continue
            planned = bool(PLANNED_RE.search(p.text, clause[0], e.start))
            out.append(Mention(p.id, e.start, e.end, e.text, e.date, planned, p.text[lo:hi], naming_words(p.text, e, clause)))
    return out


def _weights(passages: tuple[Passage, ...]) -> dict[str, float]:
    """Inverse document frequency of each stem over the passages: a word most passages use names no event."""
    seen = Counter(w for p in passages for w in {stem(x.lower().replace("’", "'").removesuffix("'s"))
                                                  for x in WORD_RE.findall(p.text)})
    return {w: math.log(len(passages) / n) for w, n in seen.items()}


def _same(a: Mention, b: Mention, shared: set[str], weight: float) -> bool:
    """Whether two mentions tell one event: enough rare naming words shared, dates that overlap (or, from two
    sources, so many shared that a difference of date is worth flagging)."""
    if a.passage == b.passage or len(shared) < 2:  # two dates of one passage are two events
        return False
    if overlap(a.date, b.date):
        return weight >= SAME_EVENT
    return (a.source != b.source and len(shared) >= 3 and weight >= CONFLICT
            and 2 * len(shared) >= min(len(a.words), len(b.words)))


def group(mentions: list[Mention], passages: tuple[Passage, ...] = ()) -> tuple[Event, ...]:
    """Mentions gathered into events (single link by `_same`), in date order; `passages` weigh the words."""
    idf = _weights(passages) if passages else {}
    weight = (lambda w: idf.get(w, 0.0)) if passages else (lambda w: 2.0)
    parent = list(range(len(mentions)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_word: dict[str, list[int]] = {}
    for i, m in enumerate(mentions):
        for w in m.words:
            by_word.setdefault(w, []).append(i)
    for i, a in enumerate(mentions):
        candidates = sorted({j for w in a.words for j in by_word[w] if j > i})
        for j in candidates:
            shared = set(a.words & mentions[j].words)
            if _same(a, mentions[j], shared, sum(weight(w) for w in shared)):
                parent[root(j)] = root(i)
    clusters: dict[int, list[Mention]] = {}
    for i, m in enumerate(mentions):
        clusters.setdefault(root(i), []).append(m)
    events = []
    for ms in clusters.values():
        dates = [m.date for m in ms]
        conflict = any(a.source != b.source and not overlap(a.date, b.date) for a in ms for b in ms)
        date = min(dates, key=lambda d: interval(d)) if conflict else narrowest(dates)
        first = ms[0]
        events.append(Event(f"ev-{first.passage}-{first.start}", date, tuple(ms), conflict))
    return tuple(sorted(events, key=lambda e: (interval(e.date)[0], e.date, e.id)))


def timeline(passages: tuple[Passage, ...]) -> tuple[Event, ...]:
    """The events of every passage, in date order."""
    return group([m for p in passages for m in passage_mentions(p)], passages)
