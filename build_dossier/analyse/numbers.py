"""Reading the numbers of a sentence: each number with its unit, scale, currency and modifier, as a Figure.

Regular expressions over one sentence (linear in its length). A figure is a number with a unit —
money, a percentage, a distance, a volume, … — or a count of something (`2,000 troops`); a value
followed by its conversion in brackets (`2,600-mile (4184 kilometers)`) is one figure, normalised
from the preferred unit. Years, dates, ordinals and bare numbers are not figures. Which year and
which measure a figure belongs to is decided by `figures`, from the whole sentence.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from decimal import Decimal

from ..model import Figure
from ..text import SP, STOPWORDS

GROUP = r"[,\u2009\u202f]"
"""Thousands separators: a comma, or a thin or narrow no-break space (`4\u202f300 km`)."""
ONES = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
SMALL = {**ONES, "zero": 0, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
         "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12,
          "k": 10**3, "m": 10**6, "mn": 10**6, "bn": 10**9, "tn": 10**12}
_WORDNUM = (rf"(?:{'|'.join(TENS)})(?:-(?:{'|'.join(ONES)}))?|{'|'.join(sorted(SMALL, key=len, reverse=True))}")
NUMBER_RE = re.compile(
    rf"(?<![\w.,/\-])(?:(?P<d>\d{{1,3}}(?:{GROUP}\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    rf"|(?P<w>\b(?:{_WORDNUM})(?:{SP}+hundred)?\b|\ban?(?={SP}+(?:hundred|thousand|million|billion|trillion)\b)))", re.I)
FRACTION_RE = re.compile(r"(?<![\w-])(?:(?P<num>one|two|three|four|a)[ -](?P<den>half|thirds?|quarters?|fifths?|tenths?)"
                         r"|(?P<half>half))(?=\s+of\b)", re.I)
FRACTIONS = {"half": 2, "third": 3, "quarter": 4, "fifth": 5, "tenth": 10}
RANGE_RE = re.compile(rf"(?:{SP}?[–-]{SP}?|{SP}+(?P<word>to|and){SP}+)(?P<cur>US\$|\$|€|£|¥|₽)?"
                      rf"(?P<n>\d{{1,3}}(?:{GROUP}\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d,])")
"""The upper end of a range: `10–15 percent`, `$230–$250 billion`, `$230 to $250 billion`, `between 220 and 250`."""
BETWEEN_RE = re.compile(rf"\bbetween{SP}+$", re.I)
FROM_RE = re.compile(rf"\bfrom{SP}+$", re.I)
SCALE_RE = re.compile(rf"{SP}+(thousand|million|billion|trillion)\b|{SP}?(bn|mn|tn)\b|(m|k)\b", re.I)
CURRENCY_PREFIXES = (("US$", "USD"), ("U.S.$", "USD"), ("US $", "USD"), ("A$", "AUD"), ("C$", "CAD"), ("HK$", "HKD"),
                     ("CN¥", "CNY"), ("JP¥", "JPY"), ("RMB", "CNY"), ("CNY", "CNY"), ("USD", "USD"), ("EUR", "EUR"),
                     ("GBP", "GBP"), ("JPY", "JPY"), ("RUB", "RUB"), ("$", "USD"), ("€", "EUR"), ("£", "GBP"),
                     ("¥", "CNY"), ("₽", "RUB"))
"""Written before the number. A bare `$` is the US dollar and a bare `¥` the yuan (documented)."""
CURRENCY_WORDS = {"dollar": "USD", "euro": "EUR", "yuan": "CNY", "renminbi": "CNY", "ruble": "RUB", "rouble": "RUB",
                  "yen": "JPY", "pounds sterling": "GBP"}
CURRENCY_WORD_RE = re.compile(rf"{SP}+(?:(?:U\.S\.|US){SP}+)?(dollars?|euros?|yuan|renminbi|rubles?|roubles?|yen|pounds{SP}+sterling)\b", re.I)
UNIT_PATTERNS = (
    # (kind, regex after the number and scale, canonical unit by matched text, factor to the normalised unit)
    ("points", re.compile(rf"{SP}+percentage{SP}+points?\b", re.I), "pp"),
    ("percent", re.compile(rf"{SP}?(?:%|percent\b|per{SP}cent\b|pct\b)", re.I), "%"),
    ("area", re.compile(rf"(?:{SP}|-)(?:square|sq\.?)[ \u00a0-](?P<u>kilomet(?:er|re)s?|km|miles?)\b|{SP}?(?P<u2>km2|km²)", re.I), None),
    ("distance", re.compile(rf"(?:{SP}|-)(?P<u>kilomet(?:er|re)s?|km|miles?|mi|nautical{SP}miles?)\b(?!{SP}*(?:per|an{SP}hour|/))", re.I), None),
    ("volume", re.compile(rf"(?:{SP}+(?P<u>cubic{SP}+(?:met(?:er|re)s?|feet))|{SP}*(?P<u2>bcm|tcm|bcf|m3|m³))(?![\w])", re.I), None),
    ("oil-flow", re.compile(rf"{SP}+(?P<u>barrels?{SP}+(?:per|a){SP}+day|b/d|bpd)(?![\w/])", re.I), None),
    ("mass", re.compile(rf"{SP}+(?P<u>(?:metric{SP}+)?(?:tonnes|tons))\b", re.I), None),
)
UNITS = {  # canonical unit as written -> (normalised unit, factor)
    "km": ("km", Decimal(1)), "mi": ("km", Decimal("1.609344")), "nmi": ("km", Decimal("1.852")),
    "km²": ("km²", Decimal(1)), "sq mi": ("km²", Decimal("2.589988")),
    "m³": ("bcm", Decimal("1e-9")), "ft³": ("bcm", Decimal("2.8316847e-11")), "bcm": ("bcm", Decimal(1)),
    "tcm": ("bcm", Decimal(1000)), "bcf": ("bcm", Decimal("0.028316847")),
    "barrels/day": ("mb/d", Decimal("1e-6")), "t": ("Mt", Decimal("1e-6")),
    "%": ("%", Decimal(1)), "pp": ("pp", Decimal(1)),
}
PREFERRED = {"distance": "km", "money": "USD", "area": "km²", "volume": "bcm"}
"""Of a value and its bracketed conversion, the one in this unit gives the normalised value."""
MODIFIER_RE = re.compile(rf"\b(more{SP}than|less{SP}than|fewer{SP}than|over|under|almost|nearly|about|around|roughly|"
                         rf"approximately|some|at{SP}least|at{SP}most|up{SP}to|as{SP}many{SP}as|as{SP}much{SP}as|close{SP}to|"
                         rf"an{SP}estimated|upwards{SP}of|just{SP}over|just{SP}under|well{SP}over)\s+$", re.I)
CHANGE_BEFORE_RE = re.compile(r"\b(?:by|rose|rise[sn]?|rising|grew|grow(?:s|n|ing)?|jump(?:ed|s|ing)?|increas(?:ed|es|ing)|"
                              r"f[ae]ll(?:s|en|ing)?|drop(?:ped|s|ping)?|declin(?:ed|es|ing)|surg(?:ed|es|ing)|soar(?:ed|s|ing)?|"
                              r"climb(?:ed|s|ing)?|plung(?:ed|es|ing)|slump(?:ed|s|ing)?|gain(?:ed|s|ing)?|shrank|shrunk|"
                              r"expand(?:ed|s|ing)?|contract(?:ed|s|ing)?|decreas(?:ed|es|ing)|(?<!made\s)(?<!make\s)(?<!makes\s)up|down)\s+$", re.I)
CHANGE_AFTER_RE = re.compile(rf"{SP}+(?:increase|rise|jump|drop|decline|fall|growth|decrease|gain|cut|reduction|surge|hike)\b", re.I)
TARGET_AFTER_RE = re.compile(rf"{SP}+(?:mark|target|goal|threshold|milestone)\b", re.I)
TARGET_BEFORE_RE = re.compile(rf"\b(?:target|goal|aim|objective){SP}+of\s+$", re.I)
DETERMINER_RE = re.compile(r"\b(?:the|their|these|those|both|its|his|her|our|your|my|top|all|first|last|next|past|"
                           r"previous|every|each|another|other)\s+$", re.I)
NOUN_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
TIME_NOUNS = frozenset("seconds minutes hours days weeks months years decades centuries".split())
IRREGULAR = frozenset("people personnel aircraft children men women".split())
NOT_COUNTED = frozenset({"of", "per", "percent"}) | STOPWORDS
MULTIPLIER_RE = re.compile(rf"{SP}+(?:more|less|larger|bigger|higher|greater|smaller|lower|faster|as|the|over)\b", re.I)
"""After `times`: `three times larger` is a ratio, not a count of occasions."""
OF_TAIL_RE = re.compile(rf"{SP}+of{SP}+((?:[A-Za-z][\w'’-]*{SP}*){{1,3}})")
"""`rounds` + ` of naval exercises`: what a count is of."""
LOOKBACK = 48
"""Characters before a number searched for `more than`, `grew by`, `the`…"""
HALF_OF_TIME_RE = re.compile(r"\b(?:first|second|third|last|latter|former|the|a)\s+$", re.I)
MAX_DIGITS = 24
"""Longer digit strings (with separators) are not read as numbers."""


@dataclass(frozen=True)
class Found:
    """A figure being read: the record plus what assignment needs."""

    figure: Figure
    spelled: bool
    """The number is written in words without a scale (`four joint patrols`)."""
    nouns: tuple[str, ...]
    """For counts: the counted noun phrase (`rounds of naval exercises`)."""


def _back(lo: int, pos: int) -> int:
    return max(lo, pos - LOOKBACK)


def _number(m: re.Match) -> Decimal:
    if m.group("d"):
        return Decimal(re.sub(GROUP, "", m.group("d")))
    words = m.group("w").lower().split()
    if words[0] in ("a", "an"):
        return Decimal(1)
    head, _, ones = words[0].partition("-")
    value = TENS.get(head, SMALL.get(head, 0)) + ONES.get(ones, 0)
    return Decimal(value * (100 if len(words) > 1 else 1))


def _plain(x: Decimal) -> int | float:
    """A JSON number: an int when whole, else a float of six significant digits."""
    x = Decimal(f"{x:.6g}") if x != x.to_integral_value() or abs(x) < 1 else x
    return int(x) if x == x.to_integral_value() else float(x)


def _count_noun(text: str, pos: int) -> tuple[str, int, tuple[str, ...]] | None:
    """The plural noun a number counts (`troops`), where it ends, and the words naming what is counted."""
    words: list[str] = []
    end = pos
    for m in NOUN_WORD_RE.finditer(text, pos):
        if m.start() == end or text[end:m.start()].strip(" \u00a0") or len(words) > 3:
            break
        w = m.group().lower().replace("’", "'")
        if w in NOT_COUNTED:
            break
        end = m.end()
        words.append(w)
        if w in IRREGULAR or (len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "'s"))):
            tail = OF_TAIL_RE.match(text, end)
            return w, end, tuple(words) + (tuple(tail.group(1).lower().split()) if tail else ())
    return None


def _unit_after(text: str, pos: int, money: str | None) -> tuple[str, str, int] | None:
    """(kind, canonical unit, end) of the unit written right after a number, if any."""
    if money:
        word = CURRENCY_WORD_RE.match(text, pos)
        return ("money", money, word.end() if word and CURRENCY_WORDS.get(word.group(1).lower().rstrip("s"), "") == money else pos)
    word = CURRENCY_WORD_RE.match(text, pos)
    if word:
        name = " ".join(word.group(1).lower().split())
        return "money", CURRENCY_WORDS.get(name, CURRENCY_WORDS.get(name.rstrip("s"), "")), word.end()
    for kind, regex, *rest in UNIT_PATTERNS:
        m = regex.match(text, pos)
        if not m:
            continue
        if rest[0]:
            return kind, rest[0], m.end()
        return kind, _canonical(kind, m.groupdict().get("u") or m.groupdict().get("u2") or ""), m.end()
    return None


def _canonical(kind: str, matched: str) -> str:
    """The canonical spelling of a unit as matched (`kilometers` -> `km`, `2,615-mile` -> `mi`)."""
    u = " ".join(matched.lower().split())
    if kind == "area":
        return "km²" if u.startswith("k") else "sq mi"
    if kind == "distance":
        return "nmi" if u.startswith("nautical") else "km" if u.startswith("k") else "mi"
    if kind == "volume":
        return "ft³" if "feet" in u else "m³" if u.startswith(("cubic", "m")) else u
    return {"oil-flow": "barrels/day", "mass": "t"}[kind]


def _read(text: str, m: re.Match, lo: int) -> Found | None:
    """The figure whose number `m` matched, reading prefix (from `lo`) and suffix; None if it is not a figure."""
    start, end = m.start(), m.end()
    if m.group("d") and len(m.group("d")) > MAX_DIGITS:
        return None  # an identifier or garbage, not a quantity anyone states
    value = _number(m)
    money = None
    before = text[lo:start]
    for written, code in CURRENCY_PREFIXES:
        # as written, or a letter code and a space (`RMB 5`); no generator per prefix: this runs for every number
        form = written if before.endswith(written) else (
            written + " " if written[-1].isalpha() and before.endswith(written + " ") else None)
        if form and (start - len(form) == 0 or not text[start - len(form) - 1].isalnum()):
            money, start = code, start - len(form)
            break
    rng = RANGE_RE.match(text, end)
    if rng and m.group("d") and (not rng.group("cur") or money):
        lead = text[_back(lo, start):start]
        if not ((rng.group("word") == "and" and not BETWEEN_RE.search(lead))  # `between 220 and 250` only
                or (rng.group("word") == "to" and FROM_RE.search(lead))):  # `from 10 to 18 percent`: two values
            value = (value + Decimal(re.sub(GROUP, "", rng.group("n")))) / 2
            end = rng.end()
    scale = SCALE_RE.match(text, end)
    factor = 1
    if scale and (scale.group(1) or scale.group(2) or money):
        factor = SCALES[(scale.group(1) or scale.group(2) or scale.group(3)).lower()]
        end = scale.end()
    elif rng and m.group("d") and end < rng.end():  # `from $100 to $150 billion`: the first value shares the scale
        shared = SCALE_RE.match(text, rng.end())
        if shared and (shared.group(1) or shared.group(2)):
            factor = SCALES[(shared.group(1) or shared.group(2)).lower()]
    value *= factor
    unit = _unit_after(text, end, money)
    nouns: tuple[str, ...] = ()
    if unit is None:
        if m.group("d") and "," not in m.group("d") and "." not in m.group("d") and 1800 <= value <= 2100:
            return None  # a year (`the 2024 elections`), not a count
        noun = _count_noun(text, end)
        if noun is None or noun[0] in TIME_NOUNS or DETERMINER_RE.search(text, _back(lo, start), start):
            return None
        if noun[0] == "times" and MULTIPLIER_RE.match(text, noun[1]):
            return None
        unit = ("count", noun[0], noun[1])
        nouns = noun[2]
    kind, written_unit, end = unit
    before = MODIFIER_RE.search(text, _back(lo, start), start)
    modifier = " ".join(before.group(1).lower().split()) if before else None
    first = before.start() if before else start
    if kind == "percent" and (CHANGE_BEFORE_RE.search(text, _back(lo, first), first) or CHANGE_AFTER_RE.match(text, end)):
        kind = "change"
    target = bool(TARGET_AFTER_RE.match(text, end) or TARGET_BEFORE_RE.search(text, _back(lo, first), first))
    normal_unit, normal = _normalise(kind, written_unit, value)
    figure = Figure("", first, end, text[first:end], kind, written_unit, _plain(value), normal, normal_unit,
                    None, modifier, "target" if target else "observed", "")
    return Found(figure, bool(m.group("w")) and factor == 1, nouns)


def _normalise(kind: str, unit: str, value: Decimal) -> tuple[str, int | float]:
    if kind == "money":
        return f"{unit} bn", _plain(value / 10**9)
    if kind == "count":
        return "count", _plain(value)
    normal, factor = UNITS.get(unit, (unit, Decimal(1)))
    return ("% change" if kind == "change" else normal), _plain(value * factor)


def _with_conversion(text: str, fig: Figure, lo: int, hi: int) -> Figure:
    """Fold `(4184 kilometers)` after a figure into it: one statement, normalised from the preferred unit."""
    opening = re.match(rf"{SP}*\({SP}*", text[fig.end:hi])
    if not opening or fig.kind == "count":
        return fig
    m = NUMBER_RE.match(text, fig.end + opening.end())
    if not m:  # a currency sign first: `($235.9 billion)`; the number is read whole, past the window it starts in
        m = NUMBER_RE.search(text, fig.end + opening.end(), min(hi, fig.end + opening.end() + 5))
        m = m and NUMBER_RE.match(text, m.start(), hi)
    read = _read(text, m, fig.end + opening.end()) if m else None
    if not read or read.figure.kind != fig.kind:
        return fig
    closing = re.match(rf"{SP}*\)", text[read.figure.end:hi])
    if not closing:
        return fig
    end = read.figure.end + closing.end()
    other = read.figure
    better = other if PREFERRED.get(fig.kind) in (other.unit, *other.normalised_unit.split()[:1]) \
        and PREFERRED.get(fig.kind) != fig.unit else fig
    return replace(fig, end=end, text=text[fig.start:end], normalised=better.normalised, normalised_unit=better.normalised_unit)


def _fractions(text: str, lo: int, hi: int, taken: list[tuple[int, int]]) -> list[Found]:
    """`three-quarters of`, `a fifth of`, `half of`: shares, as percentages."""
    out = []
    for m in FRACTION_RE.finditer(text, lo, hi):
        if m.group("half") and HALF_OF_TIME_RE.search(text, _back(lo, m.start()), m.start()):
            continue
        k = bisect.bisect_right(taken, (m.start(), len(text))) - 1
        if k >= 0 and taken[k][0] <= m.start() < taken[k][1]:
            continue
        num = 1 if m.group("half") else (1 if m.group("num").lower() == "a" else ONES[m.group("num").lower()])
        den = FRACTIONS[(m.group("den") or "half").lower().rstrip("s").replace("halve", "half")]
        before = MODIFIER_RE.search(text, _back(lo, m.start()), m.start())
        first = before.start() if before else m.start()
        value = _plain(Decimal(100 * num) / den)
        out.append(Found(Figure("", first, m.end(), text[first:m.end()], "percent", "%", value, value, "%", None,
                                " ".join(before.group(1).lower().split()) if before else None, "observed", ""), False, ()))
    return out


def read_sentence(text: str, lo: int, hi: int) -> list[Found]:
    """Every figure in `text[lo:hi]` (one sentence), in order; offsets in `text`."""
    out: list[Found] = []
    taken: list[tuple[int, int]] = []
    for m in NUMBER_RE.finditer(text, lo, hi):
        if taken and m.start() < taken[-1][1]:
            continue
        read = _read(text, m, lo)
        if read is None:
            continue
        fig = _with_conversion(text, read.figure, lo, hi)
        out.append(replace(read, figure=fig))
        taken.append((fig.start, fig.end))
    out += _fractions(text, lo, hi, taken)
    return sorted(out, key=lambda f: f.figure.start)
