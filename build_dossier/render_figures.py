"""The Figures page: each measure with every source's value as written and normalised (source text escaped)."""

from __future__ import annotations

from .measures import Comparison, compare
from .model import Dossier, Figure
from .render import front_matter, source_page_path
from .text import md_inline

FIGURES_PAGE = "figures.md"


def number(x: int | float) -> str:
    """`4,208.43`, `2,000`, `0.5` — thousands separated, at most six significant digits."""
    return f"{x:,}" if isinstance(x, int) else f"{x:,.6g}"


def amount(value: int | float, unit: str) -> str:
    """A normalised value with its unit, as shown on the page."""
    if unit == "count":
        return number(value)
    if unit.startswith("%"):
        return f"{number(value)}{unit}".replace("% change", "% (change)")
    return f"{number(value)} {unit}"


def percent(share: float) -> str:
    return "∞" if share == float("inf") else f"{share * 100:.1f}%"


def tolerance(t: float) -> str:
    return f"{t * 100:g}%"


def passage_link(f: Figure, dossier: Dossier) -> str:
    return f"[{md_inline(dossier.label(f.source))} ¶{f.n}]({source_page_path(f.source)}#p{f.n})"


def in_context(f: Figure, passage_text: str) -> str:
    """The sentence with the figure (at its own offset) in bold; all of it escaped."""
    at = f.start - passage_text.rfind(f.sentence, 0, f.start + len(f.sentence))
    if not 0 <= at <= len(f.sentence) - len(f.text) or f.sentence[at:at + len(f.text)] != f.text:
        return md_inline(f.sentence)
    before, after = f.sentence[:at], f.sentence[at + len(f.text):]
    return (md_inline(before) + (" " if before[-1:].isspace() else "") + "**" + md_inline(f.text) + "**"
            + (" " if after[:1].isspace() else "") + md_inline(after))


def written(f: Figure) -> str:
    return f"“{md_inline(f.text)}”" + (" (target)" if f.target else "")


def check(c: Comparison) -> str:
    """One cell: differ beyond the tolerance, agree within it, or nothing to compare."""
    sources = {f.source for f in c.figures if not f.target}
    if c.disagreements:
        return f"**differ** beyond {tolerance(c.measure.tolerance)}"
    if len(sources) < 2:
        return "one source"
    if not c.compared:
        return "different years"
    return f"agree within {tolerance(c.measure.tolerance)}"


def spread(c: Comparison) -> str:
    return "; ".join(f"{amount(lo, unit)} – {amount(hi, unit)} ({percent(rel)})" if lo != hi else amount(lo, unit)
                     for unit, lo, hi, rel in c.spreads) or "—"


def measure_section(c: Comparison, dossier: Dossier) -> str:
    """One measure: the values table, the spread, and every pair that disagrees."""
    m = c.measure
    parts = [f"## {md_inline(m.label)} {{: #m-{m.id} }}\n",
             f"Measure `{m.id}` ({m.kind}) · tolerance {tolerance(m.tolerance)} · spread {spread(c)}\n{{: .figures-meta }}\n"]
    if c.disagreements:
        lines = [f"- {md_inline(dossier.label(a.source))} {written(a)} = {amount(a.normalised, a.normalised_unit)}"
                 f"{f' ({a.year})' if a.year else ''} vs {md_inline(dossier.label(b.source))} {written(b)} = "
                 f"{amount(b.normalised, b.normalised_unit)}{f' ({b.year})' if b.year else ''}: {percent(gap)} apart"
                 for a, b, gap in c.disagreements]
        parts.append(f"**Disagreement:** these values differ by more than the {tolerance(m.tolerance)} tolerance "
                     "(for the same year where both give one):\n{: .figures-flag }\n\n" + "\n".join(lines) + "\n")
    rows = ["| Source | As written | Normalised | Year | Passage | Sentence |", "| --- | --- | --- | --- | --- | --- |"]
    texts = {p.id: p.text for p in dossier.passages()}
    for f in c.figures:
        rows.append(f"| {md_inline(dossier.label(f.source))} | {written(f)} | {amount(f.normalised, f.normalised_unit)} | "
                    f"{f.year or '—'} | {passage_link(f, dossier)} | {in_context(f, texts[f.passage])} |")
    parts.append("\n".join(rows) + "\n")
    return "\n".join(parts)


def other_section(dossier: Dossier) -> str:
    """Figures no measure took, per source, so that nothing found is lost."""
    parts = ["## Other figures {: #other }\n",
             "Figures found in the passages that no measure in `measures.yaml` takes.\n"]
    for seg in dossier.sources:
        sid = seg.source.id
        rest = [f for f in dossier.figures if f.source == sid and f.measure is None]
        parts.append(f"### {md_inline(dossier.label(sid))} {{: #other-{sid} }}\n")
        if not rest:
            parts.append("*None.*\n")
            continue
        rows = ["| Passage | As written | Kind | Normalised | Year |", "| --- | --- | --- | --- | --- |"]
        rows += [f"| {passage_link(f, dossier)} | {written(f)} | {f.kind} ({md_inline(f.unit)}) | "
                 f"{amount(f.normalised, f.normalised_unit)} | {f.year or '—'} |" for f in rest]
        parts.append("\n".join(rows) + "\n")
    return "\n".join(parts)


def comparisons(dossier: Dossier) -> list[Comparison]:
    """Measures that have figures, in file order."""
    return [c for m in dossier.measures if (c := compare(m, dossier.figures)).figures]


def figures_page(dossier: Dossier) -> str:
    """Every measure compared across the sources, then the figures no measure took."""
    found = comparisons(dossier)
    matched = sum(len(c.figures) for c in found)
    parts = [front_matter("Figures"),
             f"{len(dossier.figures)} numeric statements found automatically in the passages — money, percentages, "
             f"distances, volumes, counts — {matched} of them grouped into measures by the cue words of "
             "`build_dossier/data/measures.yaml` ([how it works](about/figures.md)). Each value is shown as written "
             "and normalised (money in billions of its currency, distances in km, percentages as numbers) with the "
             "year its sentence gives. Values of the same measure from different sources — for the same year where "
             "both give one — that differ by more than the measure's tolerance are flagged. Targets "
             "(`the $200 billion mark`) are listed but not compared.\n"]
    if found:
        rows = ["| Measure | Values | Sources | Spread | Check |", "| --- | --- | --- | --- | --- |"]
        for c in found:
            sources = sorted({f.source for f in c.figures})
            rows.append(f"| [{md_inline(c.measure.label)}](#m-{c.measure.id}) | {len(c.figures)} | "
                        f"{', '.join(md_inline(dossier.label(s)) for s in sources)} | {spread(c)} | {check(c)} |")
        parts.append("\n".join(rows) + "\n")
    parts += [measure_section(c, dossier) for c in found]
    idle = [m for m in dossier.measures if all(m.id != c.measure.id for c in found)]
    parts.append(other_section(dossier))
    if idle:
        parts.append("Measures no source states yet: " + ", ".join(f"{md_inline(m.label)} (`{m.id}`)" for m in idle) + ".\n")
    return "\n".join(parts)
