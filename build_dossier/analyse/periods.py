"""What a figure's value is of: its period (`in 2023`, `as of June 2025`, `since 2014`), its status (observed,
estimate, forecast, target) and, for a share, whose total it is a share of.

The period comes from the date expressions of the sentence (`dates.py`): the one in the figure's clause
with no other figure in between, else one opening the sentence. A date that only dates a noun (`the 2022
invasion`) or bounds something else (`… before the invasion in 2022`) gives no period. See
docs/about/figures.md.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..model import Figure, Period
from ..text import SP, STOPWORDS
from .dates import DateExpr
from .measures import tokens

CLAUSE_RE = re.compile(r";|—|\s–\s|:\s|,\s+(?:and|but|while|whereas|although|though|yet|so)\b|\s(?:but|whereas)\s")
OPENING = 6
"""A date within the first words of a sentence (`In September 2022, …`) dates all its figures."""
BOUND_RE = re.compile(rf"\b(?:before|after|since|until|till|following|prior{SP}to|ahead{SP}of)\b", re.I)
"""Between a figure and a later date: the date belongs to an event the figure is placed against."""
NOT_A_PERIOD = frozenset({"before", "after", "prior to", "ahead of", "until", "till", "following", "going into", "for"})
AS_OF = frozenset({"as of", "at the end of", "at the close of", "by the end of", "at the start of", "at the beginning of",
                   "at the turn of"})
TARGET_RE = re.compile(rf"\b(?:aim(?:s|ed|ing)?|plan(?:s|ned|ning)?|intend(?:s|ed|ing)?|pledg(?:e|es|ed|ing)|vow(?:s|ed)?|"
                       rf"promis(?:e|es|ed)|seek(?:s|ing)?|sought|want(?:s|ed)?|hope(?:s|d)?|commit(?:s|ted)?|"
                       rf"agreed|set{SP}out){SP}+to\b|\b(?:goal|target|objective|ambition)s?{SP}+(?:of|to|is|was|for|that)\b",
                       re.I)
FORECAST_RE = re.compile(rf"\b(?:will|shall|could|might|(?-i:may)|would|(?:expected|projected|forecast|predicted|likely|set|poised|"
                         rf"due|on{SP}track){SP}+to|forecasts?|projections?|predicts?|expects?|anticipates?|outlook)\b",
                         re.I)
ESTIMATE_RE = re.compile(r"\b(?:estimat(?:e|es|ed|ing)|reportedly|believed\s+to|thought\s+to|roughly\s+estimated)\b", re.I)
OWNER_RE = re.compile(
    rf"\b(?:of|in){SP}+(?:the{SP}+)?(?P<owner>(?:[A-Z][\w.]*(?:{SP}+[A-Z][\w.]*)*)['’]s|[A-Z][a-z]+(?:an|ese|ish|ian)|its|their|"
    rf"the{SP}+(?:country|nation)['’]s)(?:{SP}+[a-z]+){{0,2}}?{SP}+(?:trade|imports?|exports?|GDP|economy|budget|"
    rf"purchases|sales|spending)\b")
"""Around a share: `of Russia's overall trade`, `of Chinese exports`, `of its trade`, `of the country's imports`."""
PLACE_RE = re.compile(r"\b(?:[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)\b")
DEMONYMS = {"Chinese": "China", "Russian": "Russia", "American": "United States", "European": "EU", "Indian": "India",
            "Japanese": "Japan", "Korean": "Korea", "British": "United Kingdom", "German": "Germany", "French": "France"}
"""Adjectives of place read as the place (`Chinese exports` are China's); other adjectives are kept as written."""


@dataclass(frozen=True)
class Sentence:
    """One sentence of a passage, read once for what its figures are of (so that each figure costs a lookup)."""

    text: str
    """The passage text; the sentence is `text[lo:hi]`."""
    lo: int
    hi: int
    bounds: tuple[int, ...]
    """Where its clauses start (after the first)."""
    stated: tuple[tuple[DateExpr, Period], ...]
    """Its dates that give a period, in order."""
    cues: tuple[tuple[int, int, str], ...]
    """(end, start, status) of each word of a plan or a forecast, by end."""
    estimates: tuple[int, ...]
    """Where each word of an estimate starts."""
    owners: tuple[re.Match, ...]
    """Each `of Russia's trade` (OWNER_RE), in order."""

    @classmethod
    def read(cls, text: str, lo: int, hi: int, dates: tuple[DateExpr, ...]) -> "Sentence":
        """The sentence `text[lo:hi]`; `dates`: the date expressions of the whole passage, in order."""
        first = bisect.bisect_left(dates, lo, key=lambda e: e.start)
        stated = []
        for e in dates[first:]:
            if e.start >= hi:
                break
            if (p := period(e)) is not None:
                stated.append((e, p))
        cues = sorted([(m.end(), m.start(), "target") for m in TARGET_RE.finditer(text, lo, hi)]
                      + [(m.end(), m.start(), "forecast") for m in FORECAST_RE.finditer(text, lo, hi)])
        return cls(text, lo, hi, tuple(m.start() for m in CLAUSE_RE.finditer(text, lo, hi)), tuple(stated), tuple(cues),
                   tuple(m.start() for m in ESTIMATE_RE.finditer(text, lo, hi)), tuple(OWNER_RE.finditer(text, lo, hi)))

    def clause(self, pos: int) -> int:
        """The number of the clause that holds `pos` (from 0)."""
        return bisect.bisect_right(self.bounds, pos)

    def clause_start(self, pos: int) -> int:
        k = self.clause(pos)
        return self.bounds[k - 1] if k else self.lo


def period(e: DateExpr) -> Period | None:
    """The period a date expression gives a figure, or None (an attribute, a bound, a reference)."""
    if e.attribute or e.bracketed or e.lead in NOT_A_PERIOD:
        return None
    if e.lead == "since":
        return Period("cumulative", e.date, e.text)
    if e.lead in AS_OF:
        return Period("as-of", e.date, e.text)
    if e.lead.startswith("in the ") or e.qualifier:
        part = e.qualifier or " ".join(e.lead.split()[2:4])  # `in the first half of` -> `first half`
        return Period("part", e.date, e.text, part)
    return Period(e.precision, e.date, e.text)


def period_of(s: Sentence, fig: Figure, figs: list[Figure]) -> Period | None:
    """The period of one figure of the sentence: a date in its clause with no other figure between (and no bound
    such as `before` between it and a later date), else a date opening the sentence."""
    stated = [(e, p) for e, p in s.stated if not any(f.start <= e.start < f.end for f in figs)]
    if not stated:
        return None
    others = sorted(f.start for f in figs if f is not fig)

    def any_in(a: int, b: int) -> bool:
        """Another figure starts in the open interval (a, b)."""
        return bisect.bisect_right(others, a) < bisect.bisect_left(others, b)

    mine = s.clause(fig.start)
    clause_start = s.clause_start(fig.start)
    near = []
    for e, p in stated:
        if s.clause(e.start) != mine or (e.start >= fig.end and BOUND_RE.search(s.text, fig.end, e.start)):
            continue
        first_in_clause = not any_in(clause_start - 1, e.start)
        if first_in_clause or not any_in(min(e.start, fig.start), max(e.start, fig.end)):
            near.append((e.start - fig.end if e.start >= fig.end else fig.start - e.end, e.start, p))
    if near:
        return min(near, key=lambda t: t[:2])[2]
    first = min(others[:1] + [fig.start])
    opening = [p for e, p in stated if e.start < first and len(tokens(s.text, s.lo, e.start)) <= OPENING]
    return opening[-1] if opening else None


def status_of(s: Sentence, fig: Figure) -> str:
    """`target`, `forecast`, `estimate` or `observed`, from the words of the figure's clause before it (the nearest
    of a plan's or a forecast's words), else an estimate's words around it."""
    if fig.status == "target":
        return "target"
    start = s.clause_start(fig.start)
    k = bisect.bisect_right(s.cues, (fig.start, float("inf"), ""))
    if k and s.cues[k - 1][1] >= start:  # the nearest: `planned to build a pipeline that could bring 50 bcm` is a forecast
        return s.cues[k - 1][2]
    k = bisect.bisect_left(s.estimates, start)
    if (fig.modifier == "an estimated" or (k < len(s.estimates) and s.estimates[k] < fig.start)
            or ESTIMATE_RE.match(s.text, fig.end, s.hi)):
        return "estimate"
    return "observed"


def _place(name: str, text: str, lo: int, at: int, subject: str | None) -> str | None:
    """A written owner made a place: `Russia's` -> Russia, `Chinese` -> China, `its` -> the place named before it
    that is not the clause's subject (`As for China, Russia accounted for 2.5 percent of its trade` -> China)."""
    name = name.replace("’", "'")
    if name.endswith("'s") and name[:1].isupper() and not name.startswith("The "):
        return name[:-2]
    if name in DEMONYMS or name[:1].isupper():
        return DEMONYMS.get(name, name)
    named = [DEMONYMS.get(m.group(), m.group()) for m in PLACE_RE.finditer(text, lo, at)
             if m.group().lower() not in STOPWORDS]
    return next((place for place in reversed(named) if place != subject), None)


def scope_of(s: Sentence, fig: Figure) -> str | None:
    """For a percentage: whose total it is a share of (`of Russia's trade` -> Russia), or None when not said."""
    if fig.kind != "percent":
        return None
    text, clause_start = s.text, s.clause_start(fig.start)
    m = OWNER_RE.search(text, fig.end, min(s.hi, fig.end + 60))
    if not m or CLAUSE_RE.search(text, fig.end, m.start()):  # else a share `of Russia's trade` named before it
        m = next((o for o in reversed(s.owners) if clause_start <= o.start() and o.end() <= fig.start), None)
    if not m:
        return None
    comma = text.rfind(",", clause_start, fig.start)
    subject_at = comma + 1 if comma >= 0 else clause_start
    subject = next((DEMONYMS.get(p.group(), p.group()) for p in PLACE_RE.finditer(text, subject_at, fig.start)
                    if p.group().lower() not in STOPWORDS), None)
    return _place(m.group("owner"), text, s.lo, m.start(), subject)
