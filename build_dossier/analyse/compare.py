"""Comparing a measure's values across sources: only values of one unit, one period and one scope, observed or
estimated (forecasts and targets are shown apart); the spread, each value against the others, the widest gaps."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from ..model import Figure, Measure, Period


Key = tuple
"""What a value is compared by: (normalised unit, period key or None for a fixed fact, scope)."""


def key(measure: Measure, f: Figure) -> Key | None:
    """The values a figure is compared with share this key; None: it is compared with none (a forecast or a target,
    or a value of a measure that changes over time whose sentence states no period)."""
    if not f.compared or (measure.dated and f.period is None):
        return None
    return f.normalised_unit, f.period.key if measure.dated and f.period else None, f.scope


@dataclass(frozen=True)
class Check:
    """One value against the values of other sources it can be compared with (the same `key`)."""

    figure: Figure
    consensus: tuple[float, float] | None
    """The median of those values, as the range it allows (`(v, v)` for plain values; see `consensus`); None: none."""
    others: int
    """How many values of other sources it was compared with."""
    apart: float
    """Relative distance between what the figure allows and the consensus (0 when they overlap)."""
    differs: bool
    """`apart` exceeds the measure's tolerance."""


@dataclass(frozen=True)
class Spread:
    """The range of the values of one comparison group that two or more sources state."""

    unit: str
    period: Period | None
    """The period all its values are of; None for a fixed fact (any period)."""
    scope: str | None
    low: int | float
    high: int | float
    relative: float
    """(high - low) / low."""
    sources: int


@dataclass(frozen=True)
class Comparison:
    """One measure's values across sources: spread per comparison group, each value against the others, the widest gaps."""

    measure: Measure
    figures: tuple[Figure, ...]
    spreads: tuple[Spread, ...]
    """One per group of comparable values stated by two or more sources, in order of first appearance."""
    checks: tuple[Check, ...]
    """One per value that is observed or estimated, in figure order."""
    disagreements: tuple[tuple[Figure, Figure, float], ...]
    """The widest gaps between two comparable values of different sources beyond the tolerance: at most WIDEST, widest first."""
    compared: int
    """How many values had values of other sources to be compared with."""
    differing: int
    """How many of them differ from their consensus beyond the tolerance."""


WIDEST = 5
"""At most this many disagreeing pairs are listed per measure, so that the Figures page grows linearly with the values."""
LOWER_BOUNDS = frozenset({"more than", "over", "at least", "upwards of", "just over", "well over", "as many as", "as much as"})
UPPER_BOUNDS = frozenset({"less than", "fewer than", "under", "almost", "nearly", "at most", "up to", "just under"})


def relative(a: float, b: float) -> float:
    lo, hi = sorted((abs(a), abs(b)))
    return 0.0 if hi == lo else float("inf") if lo == 0 else (hi - lo) / lo


def bounds(f: Figure) -> tuple[float, float]:
    """The values a figure allows: `at least 5` is 5 and up, `almost 20` up to 20, `about 20` is 20."""
    v = float(f.normalised)
    if f.modifier in LOWER_BOUNDS:
        return v, float("inf")
    if f.modifier in UPPER_BOUNDS:
        return float("-inf"), v
    return v, v


def distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Relative distance between two ranges of values (0 when they overlap)."""
    (a_lo, a_hi), (b_lo, b_hi) = a, b
    if a_hi < b_lo:
        return relative(a_hi, b_lo)
    if b_hi < a_lo:
        return relative(b_hi, a_lo)
    return 0.0


def gap(a: Figure, b: Figure) -> float:
    """Relative distance between what two figures allow (0 when they can both be true)."""
    return distance(bounds(a), bounds(b))


def _kth(values: list[float], removed: list[float], k: int) -> float:
    """The k-th smallest (from 0) of the sorted `values` once the sorted sub-multiset `removed` is taken out."""
    if not removed:
        return values[k]
    lo, hi = 0, len(values) - 1
    while lo < hi:  # the first position whose value has more than k kept values at or below it
        mid = (lo + hi) // 2
        if bisect_right(values, values[mid]) - bisect_right(removed, values[mid]) > k:
            hi = mid
        else:
            lo = mid + 1
    return values[lo]


def _median(values: list[float], removed: list[float]) -> float:
    n = len(values) - len(removed)
    if n % 2:
        return _kth(values, removed, n // 2)
    return (_kth(values, removed, n // 2 - 1) + _kth(values, removed, n // 2)) / 2


def _extremes(pool: list[int], key) -> list[int]:
    """The best member of `pool` by `key` (a figure index -> (sort key, source)), and the best of another source."""
    ranked = sorted(pool, key=lambda i: key(i)[0])
    first = ranked[0]
    return [first] + next(([i] for i in ranked if key(i)[1] != key(first)[1]), [])


def comparisons(measures: tuple[Measure, ...], figs: tuple[Figure, ...]) -> list[Comparison]:
    """Each measure that has figures compared across the sources, in file order."""
    return [c for m in measures if (c := compare(m, figs)).figures]


def compare(measure: Measure, figs: tuple[Figure, ...]) -> Comparison:
    """Each value of `measure` against the consensus of the other sources, and the widest gaps between two sources.

    A value is compared with the values of other sources of the same `key`: the same normalised unit, the same
    period (any, for a measure that is not `dated`) and the same scope; forecasts and targets never. Their
    consensus is their median (the median of their lower bounds to the median of their upper bounds, so that
    `at least 5` counts as what it allows), and the value differs when the relative distance from what it allows
    to that consensus exceeds the tolerance. Each value's farthest value of another source (one with the highest
    lower bound or the lowest upper bound) gives the candidate pairs, of which the WIDEST widest beyond the
    tolerance are kept. The work is sorting, once per group: it grows with the number of values, not with the
    number of pairs.
    """
    mine = tuple(f for f in figs if f.measure == measure.id)
    values = [f for f in mine if f.compared]
    allowed = [bounds(f) for f in values]
    checks: list[Check | None] = [None] * len(values)
    pairs: dict[tuple[int, int], float] = {}
    groups: dict[Key, list[int]] = {}
    for i, f in enumerate(values):
        k = key(measure, f)
        if k is None:
            checks[i] = Check(f, None, 0, 0.0, False)
        else:
            groups.setdefault(k, []).append(i)
    spreads = []
    for pool in groups.values():
        nums = [values[i].normalised for i in pool]
        sources = len({values[i].source for i in pool})
        if sources > 1:
            first = values[pool[0]]
            spreads.append(Spread(first.normalised_unit, first.period if measure.dated else None, first.scope,
                                  min(nums), max(nums), relative(min(nums), max(nums)), sources))
        lows, highs = sorted(allowed[i][0] for i in pool), sorted(allowed[i][1] for i in pool)
        own: dict[str, tuple[list[float], list[float]]] = {}
        for i in pool:
            own.setdefault(values[i].source, ([], []))
            own[values[i].source][0].append(allowed[i][0])
            own[values[i].source][1].append(allowed[i][1])
        for lo_hi in own.values():
            lo_hi[0].sort()
            lo_hi[1].sort()
        highest = _extremes(pool, lambda i: ((-allowed[i][0], i), values[i].source))
        lowest = _extremes(pool, lambda i: ((allowed[i][1], i), values[i].source))
        for i in pool:
            f = values[i]
            own_lows, own_highs = own[f.source]
            others = len(pool) - len(own_lows)
            if not others:
                checks[i] = Check(f, None, 0, 0.0, False)
                continue
            consensus = (_median(lows, own_lows), _median(highs, own_highs))
            apart = distance(allowed[i], consensus)
            checks[i] = Check(f, consensus, others, apart, apart > measure.tolerance)
            for j in (next(j for j in highest if values[j].source != f.source),
                      next(j for j in lowest if values[j].source != f.source)):
                wide = distance(allowed[i], allowed[j])
                if wide > measure.tolerance:
                    pairs[min(i, j), max(i, j)] = wide
    widest = sorted(pairs.items(), key=lambda item: (-item[1], item[0]))[:WIDEST]
    done = tuple(c for c in checks if c is not None)  # every value gets one; the filter is for the type checker
    return Comparison(measure, mine, tuple(spreads), done,
                      tuple((values[i], values[j], wide) for (i, j), wide in widest),
                      sum(c.others > 0 for c in done), sum(c.differs for c in done))
