"""The Figures page: each measure with every source's value as written and normalised (source text through `inert`)."""

from __future__ import annotations

from ...analyse.measures import WIDEST, Check, Comparison
from ...model import Dossier, Figure, Measure
from ...text import inert
from ..addresses import FIGURES, link, measure_anchor, other_figures_anchor, passage_link
from ..citations import cite_cell, page_bibliography
from ..facets import NOT_INDEXED
from ..kind import Context, PageKind
from ..markdown import front_matter

PAGE = FIGURES.path


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


def passage_ref(f: Figure, dossier: Dossier, cites: dict[str, str] | None = None) -> str:
    """`Lo ¶7`, linking to the passage the figure stands in, then its Cite box (`cites`: by passage id)."""
    cite = (cites or {}).get(f.passage, "")
    return f"[{inert(dossier.label(f.source))} ¶{f.n}]({passage_link(PAGE, f.passage)})" + (f" {cite}" if cite else "")


def in_context(f: Figure, passage_text: str) -> str:
    """The sentence with the figure (at its own offset) in bold; the text itself inert."""
    at = f.start - passage_text.rfind(f.sentence, 0, f.start + len(f.sentence))
    if not 0 <= at <= len(f.sentence) - len(f.text) or f.sentence[at:at + len(f.text)] != f.text:
        return inert(f.sentence)
    before, after = f.sentence[:at], f.sentence[at + len(f.text):]
    return inert(before) + "**" + inert(f.text) + "**" + inert(after)


def written(f: Figure) -> str:
    return f"“{inert(f.text)}”" + (" (target)" if f.target else "")


def check(c: Comparison) -> str:
    """One cell: how many values differ beyond the tolerance, all agree within it, or nothing to compare."""
    sources = {f.source for f in c.figures if not f.target}
    if c.differing:
        return f"**differ**: {c.differing} of {c.compared} values beyond {tolerance(c.measure.tolerance)}"
    if len(sources) < 2:
        return "one source"
    if not c.compared:
        return "different or unstated years"
    return f"agree within {tolerance(c.measure.tolerance)}"


def consensus(c: Check) -> str:
    """The median of the other sources' values, as the range it allows."""
    (lo, hi), unit = c.consensus, c.figure.normalised_unit
    if lo == hi:
        return amount(lo, unit)
    if lo == float("-inf"):
        return "any value" if hi == float("inf") else f"at most {amount(hi, unit)}"
    return f"at least {amount(lo, unit)}" if hi == float("inf") else f"{amount(lo, unit)} – {amount(hi, unit)}"


def verdict(f: Figure, c: Check | None, m: Measure) -> str:
    """A value's cell: against the median of the other sources' values (the same stated year, unless the measure is not dated)."""
    if f.target:
        return "target, not compared"
    if m.dated and f.year is None:
        return "no year stated, not compared"
    if c is None or not c.others:
        return "no other source" + (f" for {f.year}" if f.year else "")
    median = f"median of {c.others} {'value' if c.others == 1 else 'values'}: {consensus(c)}"
    if c.differs:
        return f"**differs** by {percent(c.apart)} from the {median}"
    return f"within {tolerance(m.tolerance)} of the {median}"


def spread(c: Comparison) -> str:
    return "; ".join(f"{amount(lo, unit)} – {amount(hi, unit)} ({percent(rel)})" if lo != hi else amount(lo, unit)
                     for unit, lo, hi, rel in c.spreads) or "—"


def pair(a: Figure, b: Figure, apart: float, dossier: Dossier) -> str:
    return (f"- {inert(dossier.label(a.source))} {written(a)} = {amount(a.normalised, a.normalised_unit)}"
            f"{f' ({a.year})' if a.year else ''} vs {inert(dossier.label(b.source))} {written(b)} = "
            f"{amount(b.normalised, b.normalised_unit)}{f' ({b.year})' if b.year else ''}: {percent(apart)} apart")


def measure_section(c: Comparison, dossier: Dossier, texts: dict[str, str], cites: dict[str, str] | None = None) -> str:
    """One measure: the disagreement (values beyond the tolerance, the widest gaps), then every value checked.

    `texts`: passage id -> text, for the sentences shown in context; `cites`: passage id -> its Cite box.
    """
    m = c.measure
    parts = [f"## {inert(m.label)} {{: #{measure_anchor(m.id)} }}\n",
             f"Measure `{m.id}` ({m.kind}) · tolerance {tolerance(m.tolerance)} · spread {spread(c)}\n{{: .figures-meta }}\n"]
    if c.differing:
        widest = (f" The widest gaps between two sources' values{f' (the {WIDEST} widest)' if len(c.disagreements) == WIDEST else ''}:"
                  if c.disagreements else "")
        parts.append(f"**Disagreement:** {c.differing} of the {c.compared} compared values "
                     f"{'differs' if c.differing == 1 else 'differ'} from the median of the other sources' values (for the "
                     f"same stated year unless the measure is a fixed fact) by more than the {tolerance(m.tolerance)} tolerance (marked "
                     f"*differs* in the table).{widest}\n{{: .figures-flag }}\n"
                     + ("\n" + "\n".join(pair(a, b, apart, dossier) for a, b, apart in c.disagreements) + "\n"
                        if c.disagreements else ""))
    rows = ["| Source | As written | Normalised | Year | Against the other sources | Passage | Sentence |",
            "| --- | --- | --- | --- | --- | --- | --- |"]
    checks = {ch.figure: ch for ch in c.checks}
    for f in c.figures:
        rows.append(f"| {inert(dossier.label(f.source))} | {written(f)} | {amount(f.normalised, f.normalised_unit)} | "
                    f"{f.year or '—'} | {verdict(f, checks.get(f), m)} | {passage_ref(f, dossier, cites)} | "
                    f"{in_context(f, texts[f.passage])} |")
    parts.append("\n".join(rows) + "\n")
    return "\n".join(parts)


def other_section(dossier: Dossier, cites: dict[str, str] | None = None) -> str:
    """Figures no measure took, per source, so that nothing found is lost."""
    parts = ["## Other figures {: #other }\n",
             "Figures found in the passages that no measure in `measures.yaml` takes.\n"]
    unmatched: dict[str, list[Figure]] = {}  # by source, in one pass (not one pass over all figures per source)
    for f in dossier.figures:
        if f.measure is None:
            unmatched.setdefault(f.source, []).append(f)
    for seg in dossier.sources:
        sid = seg.source.id
        rest = unmatched.get(sid, [])
        parts.append(f"### {inert(dossier.label(sid))} {{: #{other_figures_anchor(sid)} }}\n")
        if not rest:
            parts.append("*None.*\n")
            continue
        rows = ["| Passage | As written | Kind | Normalised | Year |", "| --- | --- | --- | --- | --- |"]
        rows += [f"| {passage_ref(f, dossier, cites)} | {written(f)} | {f.kind} ({inert(f.unit)}) | "
                 f"{amount(f.normalised, f.normalised_unit)} | {f.year or '—'} |" for f in rest]
        parts.append("\n".join(rows) + "\n")
    return "\n".join(parts)


def figures_page(dossier: Dossier, found: tuple[Comparison, ...] | list[Comparison]) -> str:
    """Every measure compared across the sources (`found`, from measures.comparisons), then the figures no measure took."""
    matched = sum(len(c.figures) for c in found)
    parts = [front_matter("Figures", extra=NOT_INDEXED),  # search indexes it measure by measure (publish.search)
             f"{len(dossier.figures)} numeric statements found automatically in the passages — money, percentages, "
             f"distances, volumes, counts — {matched} of them grouped into measures by the cue words of "
             f"`build_dossier/data/measures.yaml` ([how it works]({link(PAGE, 'about/figures.md')})). Each value is shown as written "
             "and normalised (money in billions of its currency, distances in km, percentages as numbers) with the "
             "year its sentence gives. Each value is compared with the median of the other sources' values of the same "
             "measure — for the same stated year, unless it is a fixed fact such as a border — and flagged when it differs by more than the measure's "
             "tolerance; the widest gaps between two sources are listed. Targets "
             "(`the $200 billion mark`) are listed but not compared.\n"]
    if found:
        rows = ["| Measure | Values | Sources | Spread | Check |", "| --- | --- | --- | --- | --- |"]
        for c in found:
            sources = sorted({f.source for f in c.figures})
            rows.append(f"| [{inert(c.measure.label)}](#{measure_anchor(c.measure.id)}) | {len(c.figures)} | "
                        f"{', '.join(inert(dossier.label(s)) for s in sources)} | {spread(c)} | {check(c)} |")
        parts.append("\n".join(rows) + "\n")
    texts = {p.id: p.text for p in dossier.passages()}
    cites = figure_cites(dossier)
    parts += [measure_section(c, dossier, texts, cites) for c in found]
    idle = [m for m in dossier.measures if all(m.id != c.measure.id for c in found)]
    parts.append(other_section(dossier, cites))
    if idle:
        parts.append("Measures no source states yet: " + ", ".join(f"{inert(m.label)} (`{m.id}`)" for m in idle) + ".\n")
    stating = {f.source for f in dossier.figures}
    parts.append(page_bibliography(seg.source for seg in dossier.sources if seg.source.id in stating))
    return "\n".join(parts)


def figure_cites(dossier: Dossier) -> dict[str, str]:
    """The Cite box of every passage that states a figure, by passage id (one per passage, shared by its figures)."""
    with_figures = {f.passage for f in dossier.figures}
    return {p.id: cite_cell(seg.source, p) for seg in dossier.sources for p in seg.passages if p.id in with_figures}


def render(ctx: Context):
    yield PAGE, figures_page(ctx.dossier, ctx.compared)


KIND = PageKind("Figures page", (FIGURES,), render)
