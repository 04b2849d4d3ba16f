"""Stage 7: figures — the numbers every passage states, with unit, period, status and measure.

Each passage is cut into sentences; `numbers.read_sentence` reads the figures of each (a number with
a unit, or a count of something). This module decides, from the whole sentence, the measure each
figure states: measures (data/measures.yaml) group figures that state the same quantity, by cue words
near them; `periods` decides the time it is of and whether it is a forecast or a target. See
docs/about/figures.md.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..model import Figure, Measure, Passage
from ..text import SENTENCE_END_RE
from .dates import date_expressions
from .measures import Cues, Match, Words, counts_noun, occurrences, tokens
from .numbers import SP, Found, read_sentence
from .periods import Sentence, period_of, scope_of, status_of

BOUNDARY_RE = re.compile(r"[.,;:](?=\s)|[—–()]|\b(?:and|but|while|whereas)\b")
COMPARED_RE = re.compile(r"(?:\b(?:up|down|rising|falling|rose|fell|grew|increased|decreased)\s+from|\bfrom|"
                         r"\bcompared\s+(?:with|to)|\bagainst|\bversus|\bvs\.?|\bthan)\s+$", re.I)
"""Before a figure (`…, up from $147 billion`): a value the previous figure is compared with — the same measure."""
BACKREF_RE = re.compile(r"\W*(?:\S+\s+){0,4}?(?:it|this|that|these)\b", re.I)
COMPLEMENT_RE = re.compile(rf"{SP}+(?:worth{SP}+)?of{SP}+[A-Za-z]")
SPACE_RE = re.compile(r"\s*")
MAX_SENTENCE = 2000
"""Characters; no real sentence is longer."""
ABBREV_RE = re.compile(r"(?:\b[A-Z]\.|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|No|vs|etc|e\.g|i\.e|Jr|Sr|Co|Inc|Ltd|Prof)\.)$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Start and end offsets of each sentence of a passage (abbreviations like `U.S.` do not end one)."""
    spans, start = [], 0
    for m in SENTENCE_END_RE.finditer(text):
        if ABBREV_RE.search(text, max(0, m.start() - 6), m.start() + 1) and not text[m.start() + 1:m.end()]:
            continue
        spans.append((start, m.end()))
        start = SPACE_RE.match(text, m.end()).end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return [piece for span in spans for piece in _pieces(text, *span)]


def _pieces(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """A run longer than MAX_SENTENCE (a table, a list without full stops) cut at spaces, so work stays linear."""
    out = []
    while hi - lo > MAX_SENTENCE:
        cut = text.rfind(" ", lo + 1, lo + MAX_SENTENCE)
        cut = cut if cut > lo else lo + MAX_SENTENCE
        out.append((lo, cut))
        lo = SPACE_RE.match(text, cut).end()
    return out + [(lo, hi)]


@dataclass(frozen=True)
class Ruler:
    """Where the words and the boundaries (commas, dashes, brackets, `and`) of a stretch of text start."""

    words: tuple[int, ...]
    marks: tuple[int, ...]

    @classmethod
    def of(cls, text: str, lo: int, hi: int, words: Words) -> "Ruler":
        return cls(tuple(t[0] for t in words.toks), tuple(m.start() for m in BOUNDARY_RE.finditer(text, lo, hi)))

    def gap(self, fig: Figure, span: tuple[int, int]) -> int:
        """Words between a figure and a span, plus 10 per boundary."""
        a, b = (fig.end, span[0]) if span[0] >= fig.end else (span[1], fig.start)
        if a >= b:
            return 0
        count = bisect.bisect_left(self.words, b) - bisect.bisect_left(self.words, a)
        return count + 10 * (bisect.bisect_left(self.marks, b) - bisect.bisect_left(self.marks, a))

    def distance(self, fig: Figure, match: Match) -> int:
        """From a figure to a cue: to its farthest phrase's nearest place."""
        return max(min(self.gap(fig, span) for span in spans) for spans in match)


def assign(text: str, lo: int, hi: int, prev: int | None, figs: list[Found], cues: Cues) -> list[str | None]:
    """The measure of each figure of a sentence: the nearest cue of a measure of its kind, each cue serving one figure."""
    measures = cues.all
    words, start = Words.of(tokens(text, lo, hi)), lo
    found = cues.found(words)
    if not any(found.values()) and prev is not None and BACKREF_RE.match(text, lo, min(hi, lo + 60)):
        words, start = Words.of(tokens(text, prev, hi)), prev  # `In 2023, it grew to …`: the cue is in the sentence before
        found = cues.found(words)
    ruler = Ruler.of(text, start, hi, words)
    best: dict[int, tuple[int, int, str]] = {}
    for order, measure in enumerate(measures):
        if measure.kind == "count":
            continue
        fitting = [i for i, f in enumerate(figs) if f.figure.kind == measure.kind]
        for span in found[measure.id]:
            if not fitting:
                break
            i = min(fitting, key=lambda k: (ruler.distance(figs[k].figure, span), k))
            choice = (ruler.distance(figs[i].figure, span), order, measure.id)
            best[i] = min(best.get(i, choice), choice)
    out: list[str | None] = []
    for i, f in enumerate(figs):
        prior = [k for k in range(i) if figs[k].figure.kind == f.figure.kind and out[k]]
        if prior and COMPARED_RE.search(text[max(lo, f.figure.start - 30):f.figure.start]):
            out.append(out[prior[-1]])  # `$240 billion in 2023, up from $147 billion in 2021`
        elif f.figure.kind == "count":
            out.append(next((m.id for m in measures if m.kind == "count" and counts_noun(m, list(f.nouns))
                             and (not m.cues or any(occurrences(replace(m, exclude=()), words)))), None))
        elif i in best:
            out.append(best[i][2])
        else:  # `from ten percent … to 18 percent`, `(20 percent)`: a list goes on with the same measure
            own = COMPLEMENT_RE.match(text, f.figure.end)
            out.append(out[prior[-1]] if prior and not own else None)
    return out


def passage_figures(p: Passage, measures: tuple[Measure, ...], cues: Cues | None = None) -> tuple[Figure, ...]:
    """Every figure of one passage, with its period, status, scope and measure (`cues`: the measures' index, if made)."""
    cues = cues or Cues.of(measures)
    out = []
    spans = sentence_spans(p.text)
    dates = date_expressions(p.text)  # the whole passage: `that year` takes the year of an earlier sentence
    for k, (lo, hi) in enumerate(spans):
        figs = read_sentence(p.text, lo, hi)
        if not figs:
            continue
        chosen = assign(p.text, lo, hi, spans[k - 1][0] if k else None, figs, cues)
        # A count in words that no measure takes, unqualified, is prose (`two immense powers`), not a statistic.
        kept = [(f.figure, m) for f, m in zip(figs, chosen) if m or not f.spelled or f.figure.modifier or f.figure.kind != "count"]
        others = [f for f, _ in kept]
        sentence = Sentence.read(p.text, lo, hi, dates)
        for f, measure in kept:
            out.append(replace(f, passage=p.id, sentence=p.text[lo:hi], measure=measure, period=period_of(sentence, f, others),
                               status=status_of(sentence, f), scope=scope_of(sentence, f)))
    return tuple(out)


def figures(passages: tuple[Passage, ...], measures: tuple[Measure, ...], cached: Callable | None = None,
            ) -> tuple[Figure, ...]:
    """The figures of every passage, in passage order.

    `cached(key, make)`, if given, may return a passage's figures read before from the same id and text (`serve`
    keeps them between rebuilds); the measures are keyed by identity (loaded once per process)."""
    cues, cached = Cues.of(measures), cached or (lambda _key, make: make())
    return tuple(f for p in passages for f in cached(("figures", p.id, p.text, id(measures)),
                                                      lambda p=p: passage_figures(p, measures, cues)))
