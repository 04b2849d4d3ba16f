"""The Figures page: each measure with every source's value as written and normalised (source text through `inert`)."""

from __future__ import annotations

from markupsafe import Markup

from ...analyse.compare import WIDEST, Check, Comparison, Spread
from ...model import Dossier, Erratum, Figure, Measure
from ...text import inert
from ..addresses import CHARTS, FIGURES, chart_path, link, measure_anchor, other_figures_anchor
from ..charts import alt_text, chart_svg, charted, period_label
from ..citations import cite_cells, page_bibliography
from ..facets import NOT_INDEXED
from ..kind import Context, PageKind
from ..markdown import front_matter
from ..previews import Previews
from ..sic import by_passage, sic_excerpt
from ..templates import TABLES

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


def passage_ref(f: Figure, dossier: Dossier, pv: Previews, cites: dict[str, str] | None = None) -> str:
    """`Lo ¶7`, linking to the passage the figure stands in (with its preview), then its Cite box (`cites`: by
    passage id)."""
    cite = (cites or {}).get(f.passage, "")
    return pv.link(f"{inert(dossier.label(f.source))} ¶{f.n}", f.passage) + (f" {cite}" if cite else "")


def in_context(f: Figure, passage_text: str, errata: tuple[Erratum, ...] = ()) -> str:
    """The sentence with the figure (at its own offset) in bold and its passage's slips marked [sic]; the text inert."""
    return sic_excerpt(passage_text, f.sentence, f.start, f.end, errata)


def written(f: Figure) -> str:
    return f"“{inert(f.text)}”" + (f" ({f.status})" if f.status != "observed" else "")


def period(f: Figure) -> str:
    """The period cell: `2023`, `as of June 2025`, `2022–2023`, `since 2014`, or — (with whose total, for a share)."""
    when = inert(period_label(f.period, True)) if f.period else "—"
    return when + (f" · of {inert(f.scope)}’s total" if f.scope else "")


def check(c: Comparison) -> str:
    """One cell: how many values differ beyond the tolerance, all agree within it, or nothing to compare."""
    sources = {f.source for f in c.figures if f.compared}
    if c.differing:
        return f"**differ**: {c.differing} of {c.compared} values beyond {tolerance(c.measure.tolerance)}"
    if len(sources) < 2:
        return "one source"
    if not c.compared:
        return "different or unstated periods"
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
    """A value's cell: against the median of the other sources' values of the same period (unless the measure is
    a fixed fact) and scope."""
    if not f.compared:
        return f"{f.status}, not compared"
    if m.dated and f.period is None:
        return "no period stated, not compared"
    if c is None or not c.others:
        return "no other source" + (f" for {inert(period_label(f.period, True))}" if m.dated else "")
    median = f"median of {c.others} {'value' if c.others == 1 else 'values'}: {consensus(c)}"
    if c.differs:
        return f"**differs** by {percent(c.apart)} from the {median}"
    return f"within {tolerance(m.tolerance)} of the {median}"


def spread_text(s: Spread, dated: bool) -> str:
    """`190 USD bn – 245 USD bn (28.9%) in 2024`: one comparison group's range."""
    value = f"{amount(s.low, s.unit)} – {amount(s.high, s.unit)} ({percent(s.relative)})" if s.low != s.high \
        else amount(s.low, s.unit)
    return value + (f" for {inert(period_label(s.period, True))}" if dated else "") + (
        f" (of {inert(s.scope)}’s total)" if s.scope else "")


def spread(c: Comparison) -> str:
    """The spreads of the groups two or more sources state; — when no two sources state comparable values."""
    return "; ".join(spread_text(s, c.measure.dated) for s in c.spreads) or "—"


def when(f: Figure) -> str:
    return f" ({inert(period_label(f.period, True))})" if f.period else ""


def pair(a: Figure, b: Figure, apart: float, dossier: Dossier) -> str:
    return (f"- {inert(dossier.label(a.source))} {written(a)} = {amount(a.normalised, a.normalised_unit)}{when(a)} vs "
            f"{inert(dossier.label(b.source))} {written(b)} = {amount(b.normalised, b.normalised_unit)}{when(b)}: "
            f"{percent(apart)} apart")


def strong(text: str) -> Markup:
    """Inert text with our `**bold**` marks as HTML: inert text has no `*` of its own (it is `&#42;` there)."""
    parts = text.split("**")
    return Markup("".join(p if i % 2 == 0 else f"<strong>{p}</strong>" for i, p in enumerate(parts)))


def figure_rows(figs: list[Figure], c: Comparison, dossier: Dossier, texts: dict[str, str], pv: Previews,
                cites: dict[str, str] | None = None, slips: dict[str, tuple[Erratum, ...]] | None = None) -> str:
    """A table of values: each as written and normalised, its period and its verdict, with its sentence below it.

    The sentence gets the table's whole width on a line of its own (a column of its own wrapped it to a word or two
    a line); the source's link shows the whole passage in a preview."""
    checks = {ch.figure: ch for ch in c.checks}
    rows = [{"ref": Markup(pv.html_link(f"{inert(dossier.label(f.source))} ¶{f.n}", f.passage)
                           + (f" {(cites or {}).get(f.passage)}" if (cites or {}).get(f.passage) else "")),
             "written": strong(written(f)), "normalised": amount(f.normalised, f.normalised_unit),
             "period": strong(period(f)), "verdict": strong(verdict(f, checks.get(f), c.measure)),
             "sentence": strong(in_context(f, texts[f.passage], (slips or {}).get(f.passage, ())))} for f in figs]
    return str(TABLES.figure_table(rows)) + "\n"


def measure_section(c: Comparison, dossier: Dossier, texts: dict[str, str], pv: Previews,
                    cites: dict[str, str] | None = None, slips: dict[str, tuple[Erratum, ...]] | None = None) -> str:
    """One measure: the disagreement, its chart, every compared value checked, then forecasts and targets apart.

    `texts`: passage id -> text, for the sentences shown in context; `cites`: passage id -> its Cite box; `slips`:
    passage id -> its errata.
    """
    m = c.measure
    parts = [f"## {inert(m.label)} {{: #{measure_anchor(m.id)} }}\n",
             f"Measure `{m.id}` ({m.kind}) · tolerance {tolerance(m.tolerance)} · spread {spread(c)}\n{{: .figures-meta }}\n"]
    if c.differing:
        widest = (f" The widest gaps between two sources' values{f' (the {WIDEST} widest)' if len(c.disagreements) == WIDEST else ''}:"
                  if c.disagreements else "")
        parts.append(f"**Disagreement:** {c.differing} of the {c.compared} compared values "
                     f"{'differs' if c.differing == 1 else 'differ'} from the median of the other sources' values (of the "
                     f"same period unless the measure is a fixed fact) by more than the {tolerance(m.tolerance)} tolerance (marked "
                     f"*differs* in the table).{widest}\n{{: .figures-flag }}\n"
                     + ("\n" + "\n".join(pair(a, b, apart, dossier) for a, b, apart in c.disagreements) + "\n"
                        if c.disagreements else ""))
    if charted(c):
        parts.append(f"![{inert(alt_text(c, dossier.labels))}]({link(PAGE, chart_path(m.id))}){{: .figure-chart }}\n")
    values = [f for f in c.figures if f.compared]
    apart = [f for f in c.figures if not f.compared]
    if values:
        parts.append(figure_rows(values, c, dossier, texts, pv, cites, slips))
    if apart:
        parts += ["Forecasts and targets, shown apart and never compared:\n{: .figures-apart }\n",
                  figure_rows(apart, c, dossier, texts, pv, cites, slips)]
    return "\n".join(parts)


def other_section(dossier: Dossier, pv: Previews, cites: dict[str, str] | None = None) -> str:
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
        rows = ["| Passage | As written | Kind | Normalised | Period |", "| --- | --- | --- | --- | --- |"]
        rows += [f"| {passage_ref(f, dossier, pv, cites)} | {written(f)} | {f.kind} ({inert(f.unit)}) | "
                 f"{amount(f.normalised, f.normalised_unit)} | {period(f)} |" for f in rest]
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
             "period its sentence gives (a year, a month, `as of` a date, a span of years, a total since a date). A value "
             "is compared only with the other sources' values of the same measure, unit and period — whatever the period "
             "for a fixed fact such as a border — and, for a share, of the same country's total: it is flagged when it "
             "differs from their median by more than the measure's tolerance, and the widest gaps between two sources "
             "are listed. Forecasts (`is expected to reach`) and targets (`the $200 billion mark`) are listed apart, "
             "never compared. Each measure two or more sources state has a chart of its values by period beside its table.\n"]
    if found:
        rows = ["| Measure | Values | Sources | Spread | Check |", "| --- | --- | --- | --- | --- |"]
        for c in found:
            sources = sorted({f.source for f in c.figures})
            rows.append(f"| [{inert(c.measure.label)}](#{measure_anchor(c.measure.id)}) | {len(c.figures)} | "
                        f"{', '.join(inert(dossier.label(s)) for s in sources)} | {spread(c)} | {check(c)} |")
        parts.append("\n".join(rows) + "\n")
    texts = {p.id: p.text for p in dossier.passages()}
    cites = cite_cells((seg.source for seg in dossier.sources), dossier.passages(), (f.passage for f in dossier.figures))
    slips = by_passage(dossier.errata)
    pv = Previews(dossier, PAGE, slips=slips)
    parts += [measure_section(c, dossier, texts, pv, cites, slips) for c in found]
    idle = [m for m in dossier.measures if all(m.id != c.measure.id for c in found)]
    parts.append(other_section(dossier, pv, cites))
    if idle:
        parts.append("Measures no source states yet: " + ", ".join(f"{inert(m.label)} (`{m.id}`)" for m in idle) + ".\n")
    stating = {f.source for f in dossier.figures}
    parts.append(page_bibliography(seg.source for seg in dossier.sources if seg.source.id in stating))
    return "\n".join(parts + [pv.block()])


def render(ctx: Context):
    """The page, then the chart of each measure two or more sources state."""
    yield PAGE, figures_page(ctx.dossier, ctx.compared)
    order = tuple(seg.source.id for seg in ctx.dossier.sources)
    for c in ctx.compared:
        if charted(c):
            yield chart_path(c.measure.id), chart_svg(c, order, ctx.dossier.labels)


KIND = PageKind("Figures page", (FIGURES, CHARTS), render)
