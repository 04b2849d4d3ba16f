"""One verdict: a debate's `differs-in-figures` relation must be backed by the Figures engine.

The relation is backed when a figure in one position's quote and a figure in the other's are of one
measure, unit, period and scope (`compare.key`), observed or estimated, and differ beyond the measure's
tolerance. Otherwise `check` and `build` warn (an error with `--strict`), naming the debate, the two
figures and why; the debate page shows the figures either way.
"""

from __future__ import annotations

from ..errors import Problem
from ..model import Claim, Evidence, Figure, Measure, Passage
from .compare import gap, key
from .dates import label


def quoted(figs: list[Figure], passage: Passage, exact: str) -> list[Figure]:
    """The figures that stand inside a quote (its exact words in the passage)."""
    at = passage.text.find(exact)
    return [f for f in figs if at >= 0 and at <= f.start and f.end <= at + len(exact)]


def _period(f: Figure) -> str:
    if f.period is None:
        return "no period stated"
    kind = {"as-of": "as of ", "cumulative": "since "}.get(f.period.kind, "")
    return kind + label(f.period.date) + (f" ({f.period.qualifier})" if f.period.qualifier else "")


def _why_not(a: Figure, b: Figure, m: Measure) -> str:
    """Why two figures of one measure cannot be compared."""
    for f in (a, b):
        if not f.compared:
            return f"“{f.text}” is a {f.status}, never compared"
    if a.normalised_unit != b.normalised_unit:
        return f"their units differ: {a.normalised_unit} and {b.normalised_unit}"
    if m.dated and (a.period is None or b.period is None):
        return f"“{(a if a.period is None else b).text}” states no period, and {m.id} changes over time"
    if a.scope != b.scope:
        return f"they are shares of different totals: {a.scope or 'unstated'} and {b.scope or 'unstated'}"
    return f"they are of different periods: {_period(a)} and {_period(b)}"


def verdict(debate: str, source: str, other: str, mine: list[Figure], theirs: list[Figure],
            measures: dict[str, Measure]) -> Evidence:
    """The Figures engine's verdict on two quotes' figures (the best pair: backed and widest first)."""
    if not mine or not theirs:
        empty = source if not mine else other
        return Evidence(debate, source, other, None, 0.0, False, f"the quote of {empty} states no figure")
    same = [(a, b) for a in mine for b in theirs if a.measure and a.measure == b.measure]
    if not same:
        found = "; ".join(f"{s}: " + ", ".join(f"“{f.text}” ({f.measure or 'no measure'})" for f in fs)
                          for s, fs in ((source, mine), (other, theirs)))
        return Evidence(debate, source, other, (mine[0], theirs[0]), 0.0, False,
                        f"their figures state no common measure ({found})")
    comparable = [(a, b) for a, b in same if (k := key(measures[a.measure], a)) is not None and k == key(measures[a.measure], b)]
    if not comparable:
        a, b = same[0]
        return Evidence(debate, source, other, (a, b), 0.0, False, _why_not(a, b, measures[a.measure]))
    a, b = max(comparable, key=lambda ab: gap(*ab))
    m = measures[a.measure]
    apart = gap(a, b)
    tol = f"{m.tolerance * 100:g}%"
    if apart > m.tolerance:
        return Evidence(debate, source, other, (a, b), apart, True,
                        f"{apart * 100:.1f}% apart, beyond the {tol} tolerance of {m.id}")
    return Evidence(debate, source, other, (a, b), apart, False,
                    f"they are {apart * 100:.1f}% apart, within the {tol} tolerance of {m.id}")


def back_relations(claims: tuple[Claim, ...], figs: tuple[Figure, ...], measures: tuple[Measure, ...],
                   passages: tuple[Passage, ...], file: str) -> tuple[tuple[Evidence, ...], list[Problem]]:
    """The evidence of every `differs-in-figures` relation, and a warning for each one not backed."""
    by_passage: dict[str, list[Figure]] = {}
    for f in figs:
        by_passage.setdefault(f.passage, []).append(f)
    texts = {p.id: p for p in passages}
    by_id = {m.id: m for m in measures}
    out, problems = [], []
    for claim in claims:
        for r in claim.relations:
            if r.kind != "differs-in-figures":
                continue
            a, b = claim.position(r.source), claim.position(r.other)
            ev = verdict(claim.id, r.source, r.other, quoted(by_passage.get(a.passage, []), texts[a.passage], a.exact),
                         quoted(by_passage.get(b.passage, []), texts[b.passage], b.exact), by_id)
            out.append(ev)
            if not ev.backed:
                pair = f" (“{ev.pair[0].text}” and “{ev.pair[1].text}”)" if ev.pair else ""
                problems.append(Problem(
                    file, r.at, f"debate {claim.id!r}: {r.source} and {r.other} are marked differs-in-figures, but the "
                    f"Figures engine does not back it{pair}: {ev.reason}.",
                    "quote figures of one measure and period that differ beyond its tolerance, or change the relation "
                    "(agrees, qualifies, disputes); see docs/about/ledgers.md.", r.line, "warning"))
    return tuple(out), problems
