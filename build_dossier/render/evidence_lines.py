"""The figures a debate's `differs-in-figures` relations rest on, as the debate page shows them (text through `inert`)."""

from __future__ import annotations

from ..analyse.dates import label
from ..model import Evidence, Figure
from ..text import inert
from .addresses import link, measure_anchor, measure_page
from .previews import Previews


def _figure(f: Figure, pv: Previews, labels: dict[str, str]) -> str:
    """`Lo “4,300 km” = 4300 km (2022) — Lo ¶21`, linking to the passage (with its preview)."""
    when = f" ({label(f.period.date)})" if f.period else ""
    return (f"{inert(labels.get(f.source, f.source))} “{inert(f.text)}” = {f.normalised:,} {inert(f.normalised_unit)}"
            f"{when} — " + pv.link(f"{inert(labels.get(f.source, f.source))} ¶{f.n}", f.passage, "figure"))


def evidence_section(evidence: list[Evidence], pv: Previews, labels: dict[str, str]) -> str:
    """A section listing, for each `differs-in-figures` relation, the two quoted figures and the verdict on them
    (on the page of `pv`, which collects the passages linked)."""
    if not evidence:
        return ""
    lines = ["## The figures it rests on {: #figures }\n",
             "Each *differs in figures* relation is checked by the Figures engine: the quoted figures must be of one "
             "measure, unit and period and differ beyond the measure's tolerance.\n"]
    for ev in evidence:
        who = f"{inert(labels.get(ev.source, ev.source))} and {inert(labels.get(ev.other, ev.other))}"
        verdict = "**backed**" if ev.backed else "**not backed**"
        lines.append(f"- {who}: {verdict} — {inert(ev.reason)}.")
        if ev.pair:
            a, b = ev.pair
            measure = a.measure if a.measure == b.measure else None
            lines.append(f"    - {_figure(a, pv, labels)}")
            lines.append(f"    - {_figure(b, pv, labels)}")
            if measure:
                lines.append(f"    - [All values of this measure]({link(pv.page, measure_page(measure), measure_anchor(measure))})")
    return "\n".join(lines) + "\n"
