"""Date expressions in prose: `on February 4, 2022`, `in March 2023`, `by 2006`, `the 2000s`, `in 2022 and 2023`.

One reader serves two stages: `figures` (the period a number refers to) and `events` (the timeline).
Each expression keeps what stands before it — its lead (`in`, `since`, `as of`, `before`…) and a
qualifier (`early`, `mid`) — and whether it is an attribute of a noun (`Russia's 2022 invasion`);
the stages decide what those mean. A month or `that year` without a year takes the year of the latest
dated expression before it in the same passage; a day and month without any year is not read.
Dates are ISO 8601: `2022-02-04`, `2023-03`, `2014`, and inclusive spans of years `2022/2023`.
Regular expressions over the text: linear in its length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..text import SP, STOPWORDS, Sparse

MONTHS = {name: k + 1 for k, name in enumerate(
    "january february march april may june july august september october november december".split())}
MONTHS |= {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
           "nov": 11, "dec": 12}
_FULL = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH = rf"(?:{_FULL}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)"
_YEAR = r"(?:1[0-9]\d\d|20\d\d)"
_DECADE = r"(?:1[0-9]\d0|20\d0)s"
_BARE = "in on by during since until from early late mid-".split()
"""What a month without a year follows (`in March`)."""
DATES = Sparse(r"\w$€£¥.,/",
    rf"(?:(?<=mid-)|(?<!-))(?:"
    rf"(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?{SP}(?P<m1>{_MONTH}),?{SP}(?P<y1>{_YEAR})"
    rf"|(?P<m2>{_MONTH}){SP}(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?{SP}(?P<y2>{_YEAR})"
    rf"|(?P<m3>{_MONTH}),?{SP}(?P<y3>{_YEAR})"
    rf"|(?:the{SP})?(?P<da>{_DECADE}){SP}(?:to|through|and|until){SP}(?:the{SP})?(?P<db>{_DECADE})"
    rf"|(?P<ya>{_YEAR}){SP}?(?:–|-|{SP}to{SP}|{SP}through{SP}|{SP}and{SP})(?P<yb>{_YEAR})"
    rf"|(?P<dd>{_DECADE})"
    rf"|(?P<y>{_YEAR})"
    rf"|(?P<bare>\b(?:{'|'.join(_BARE)})(?:{SP}(?:early|late|mid-))?{SP}(?P<m4>{_FULL})"
    rf"(?:,?{SP}(?:of{SP})?(?:that|the{SP}same){SP}year)?)"
    rf"|(?P<that>\b(?:that|the{SP}same){SP}year)"
    rf")(?![\w%]|[.,]\d|{SP}?\d)",
    # how each alternative can begin: a digit, a month, `the`/`that` or what a bare month follows, and a space
    [r"\d", *(month[:3] for month in MONTHS), *(rf"{word}{SP}" for word in (*_BARE, "the", "that"))], re.I)
LEAD_RE = re.compile(
    rf"(?:\b(?P<lead>as{SP}of|at{SP}the{SP}(?:end|start|beginning|close|turn)(?:{SP}of)?|by{SP}the{SP}(?:end|start){SP}of|"
    rf"in{SP}the{SP}(?:first|second|third|fourth|last){SP}(?:half|quarter){SP}of|going{SP}into|prior{SP}to|ahead{SP}of|"
    rf"since|until|till|through|throughout|during|before|after|following|from|by|in|on|of|for){SP}+)?"
    rf"(?:the{SP}+)?(?:\b(?P<q>early|late|mid)(?:{SP}|-))?$", re.I)
ATTRIBUTE_BEFORE_RE = re.compile(rf"(?:\b(?:the|a|an|its|their|his|her|this|last|next)|['’]s){SP}+(?:[a-z][\w-]*{SP}+)?$")
"""Before an attribute date: `Russia's 2022 invasion`, `the lean 1990s`, `a March 2023 state visit`."""
WORD_AFTER_RE = re.compile(rf"{SP}+([A-Za-z][\w.]*)")
"""The noun an attribute date stands before (not a function word: `in the 2000s and now`)."""


@dataclass(frozen=True)
class DateExpr:
    """A date written in a text, with what stands before it."""

    start: int
    """Offset of the expression, its lead included (`in` of `in March 2023`)."""
    end: int
    """Offset just past it."""
    text: str
    """As written: `in March 2023`, `on February 4, 2022`, `2022` (an attribute), `that year`."""
    date: str
    """ISO 8601: `2022-02-04`, `2023-03`, `2014`, or a span of years `2022/2023`."""
    lead: str
    """The preposition before it, lowercase with single spaces (`in`, `since`, `as of`, `at the end of`), or ''."""
    qualifier: str
    """`early`, `mid` or `late`, or ''."""
    attribute: bool
    """It stands before a noun it dates (`the 2016 U.S. presidential election`), with no preposition."""
    resolved: bool
    """Its year was taken from an earlier date of the text (`in December`, `that year`)."""
    bracketed: bool
    """It stands in a short bracket (`(2017)`, `(forthcoming in 2025)`): a reference, not prose."""

    @property
    def precision(self) -> str:
        """`day`, `month`, `year` or `span`."""
        return "span" if "/" in self.date else ("year", "month", "day")[self.date.count("-")]

    @property
    def year(self) -> int:
        """The (first) year it names."""
        return int(self.date[:4])


def _core(m: re.Match, context: int | None) -> tuple[str, bool] | None:
    """(ISO date, resolved from context) of a match, or None when it names no date."""
    g = m.groupdict()
    if g["y1"] or g["y2"]:
        month, day, year = (g["m1"], g["d1"], g["y1"]) if g["y1"] else (g["m2"], g["d2"], g["y2"])
        if not 1 <= int(day) <= 31:
            return None
        return f"{int(year):04d}-{MONTHS[month.lower().rstrip('.')]:02d}-{int(day):02d}", False
    if g["y3"]:
        return f"{int(g['y3']):04d}-{MONTHS[g['m3'].lower().rstrip('.')]:02d}", False
    if g["da"]:
        a, b = int(g["da"][:4]), int(g["db"][:4])
        return (f"{a}/{b + 9}", False) if a < b else None
    if g["ya"]:
        a, b = int(g["ya"]), int(g["yb"])
        return (f"{a}/{b}", False) if a < b <= a + 50 else None
    if g["dd"]:
        return f"{g['dd'][:4]}/{int(g['dd'][:4]) + 9}", False
    if g["y"]:
        return g["y"], False
    if context is None:
        return None
    if g["bare"]:
        return f"{context:04d}-{MONTHS[g['m4'].lower()]:02d}", True
    return f"{context:04d}", True


def _bracketed(text: str, start: int, end: int) -> bool:
    """The expression stands in a bracket of at most four words: `(2017)`, `(forthcoming in 2025)`."""
    opening = text.rfind("(", max(0, start - 30), start)
    closing = text.find(")", end, end + 3)
    if opening < 0 or closing < 0 or ")" in text[opening:start]:
        return False
    return len(text[opening + 1:start].split()) <= 3 and not text[end:closing].strip()


@lru_cache(maxsize=None)  # emptied by `timeline`, the last reader: a bounded cache thrashed beyond that many passages
def date_expressions(text: str, lo: int = 0, hi: int | None = None) -> tuple[DateExpr, ...]:
    """Every date expression of `text[lo:hi]`, in order (offsets in `text`); cached: figures and events both read
    every passage's dates."""
    hi = len(text) if hi is None else hi
    out: list[DateExpr] = []
    context: int | None = None
    for m in DATES.finditer(text, lo, hi):
        core = _core(m, context)
        if core is None:
            continue
        date, resolved = core
        start = m.start()
        bare = bool(m.group("bare"))
        lead_m = LEAD_RE.search(text, max(lo, start - 40), start) if not bare else None
        lead = " ".join(lead_m.group("lead").lower().split()) if lead_m and lead_m.group("lead") else ""
        qualifier = (lead_m.group("q") or "").lower() if lead_m else ""
        if bare:
            words = m.group("bare").lower().split()
            lead = words[0] if words[0] != "mid-" else ""
            qualifier = next((w.rstrip("-") for w in words[:-1] if w.rstrip("-") in ("early", "late", "mid")), "")
        elif lead_m and (lead or qualifier):
            start = lead_m.start()
        noun = WORD_AFTER_RE.match(text, m.end())
        noun = bool(noun) and noun.group(1).lower() not in STOPWORDS
        if lead and noun and not bare and re.search(rf"\bthe{SP}+$", text[start:m.start()]):
            lead, qualifier, start = "", "", m.start()  # `before the 2022 invasion`: `before` governs the invasion
        attribute = (not lead and not m.group("that") and noun
                     and bool(ATTRIBUTE_BEFORE_RE.search(text, max(lo, start - 30), start)))
        if not (lead or qualifier or attribute or m.group("that") or "-" in date or "/" in date):
            if not _bracketed(text, start, m.end()):
                continue  # a bare number such as `2000 troops`, not a date
        expr = DateExpr(start, m.end(), text[start:m.end()], date, lead, qualifier, attribute, resolved,
                        _bracketed(text, start, m.end()))
        out.append(expr)
        if not expr.bracketed and "/" not in date and not resolved:
            context = expr.year
    return tuple(out)


@lru_cache(maxsize=4096)
def interval(date: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """The first and last day an ISO date or span of years covers, as (year, month, day)."""
    if "/" in date:
        a, b = date.split("/")
        return interval(a)[0], interval(b)[1]
    parts = [int(x) for x in date.split("-")]
    if len(parts) == 1:
        return (parts[0], 1, 1), (parts[0], 12, 31)
    if len(parts) == 2:
        return (parts[0], parts[1], 1), (parts[0], parts[1], 31)
    return (parts[0], parts[1], parts[2]), (parts[0], parts[1], parts[2])


def overlap(a: str, b: str) -> bool:
    """Two dates can both be true of one event: their intervals meet (a year contains its months and days)."""
    (a0, a1), (b0, b1) = interval(a), interval(b)
    return a0 <= b1 and b0 <= a1


def narrowest(dates: list[str]) -> str:
    """Of dates that all overlap, the most precise (the one covering the fewest days; ties: the earliest written)."""
    def days(d: str) -> int:
        (y0, m0, d0), (y1, m1, d1) = interval(d)
        return (y1 - y0) * 372 + (m1 - m0) * 31 + (d1 - d0)
    return min(dates, key=days)


def label(date: str, short: bool = False) -> str:
    """A date for people: `4 February 2022`, `March 2023`, `2014`, `2022–2023`, `the 2000s` (`short`: `Mar 2023`)."""
    if "/" in date:
        a, b = date.split("/")
        return f"{a}s" if int(a) % 10 == 0 and int(b) == int(a) + 9 else f"{a}–{b}"
    parts = date.split("-")
    names = [name[:3] if short else name for name in list(MONTHS)[:12]]
    if len(parts) == 3:
        return f"{int(parts[2])} {names[int(parts[1]) - 1].capitalize()} {parts[0]}"
    if len(parts) == 2:
        return f"{names[int(parts[1]) - 1].capitalize()} {parts[0]}"
    return date
