"""The Figures page: each measure with every source's value as written and normalised (source text through `inert`).

`figures.md` is an overview (one row per measure); each measure has a page of its own (`figures/<id>.md`), cut into
parts when its values exceed the page budget, and the figures no measure took are on `figures/other.md` (in parts of
`OTHER_PER_PART` sources when there are more): no page grows with the corpus.
"""

from __future__ import annotations

from markupsafe import Markup

from ...analyse.compare import WIDEST, Check, Comparison, Spread
from ...model import Dossier, Erratum, Figure, Measure
from ...text import inert
from ..addresses import (CHARTS, FIGURES, MEASURES, OTHER_FIGURES, chart_path, link, measure_anchor, measure_page,
                         other_figures_anchor, other_figures_page, part_page)
from ..charts import alt_text, chart_svg, charted, period_label
from ..citations import cite_cells, page_bibliography
from ..facets import NOT_INDEXED
from ..kind import Context, PageKind
from ..markdown import front_matter
from ..parts import fits, nav_line, nbytes, pack
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
    """`Lo ¶7`, linking (from the page of `pv`) to the passage the figure stands in (with its preview), then its Cite
    box (`cites`: by passage id)."""
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


def figure_row(f: Figure, checks: dict, c: Comparison, dossier: Dossier, texts: dict[str, str], pv: Previews,
               cites: dict[str, str] | None, slips: dict[str, tuple[Erratum, ...]] | None) -> dict:
    """One value for the table template: as written and normalised, its period, its verdict, and its sentence."""
    return linked_row(f, figure_cells(f, checks, c, texts, slips), dossier, pv, cites)


def figure_cells(f: Figure, checks: dict, c: Comparison, texts: dict[str, str],
                 slips: dict[str, tuple[Erratum, ...]] | None) -> dict:
    """A value's row but its link: the same on every page."""
    return {"written": strong(written(f)), "normalised": amount(f.normalised, f.normalised_unit),
            "period": strong(period(f)), "verdict": strong(verdict(f, checks.get(f), c.measure)),
            "sentence": strong(in_context(f, texts[f.passage], (slips or {}).get(f.passage, ())))}


def linked_row(f: Figure, cells: dict, dossier: Dossier, pv: Previews, cites: dict[str, str] | None) -> dict:
    """A value's row: its `cells` after the link to its passage (with its preview, on the page of `pv`) and Cite box."""
    cite = (cites or {}).get(f.passage)
    return {"ref": Markup(pv.html_link(f"{inert(dossier.label(f.source))} ¶{f.n}", f.passage) + (f" {cite}" if cite else "")),
            **cells}


def table(rows: list[dict]) -> str:
    """Values as a table, each value's sentence below its row across the table's width (a column of its own
    wrapped it to a word or two a line); the source's link shows the whole passage in a preview."""
    return str(TABLES.figure_table(rows)) + "\n"


def figure_rows(figs: list[Figure], c: Comparison, dossier: Dossier, texts: dict[str, str], pv: Previews,
                cites: dict[str, str] | None = None, slips: dict[str, tuple[Erratum, ...]] | None = None) -> str:
    """A table of values: each as written and normalised, its period and its verdict, with its sentence below it."""
    checks = {ch.figure: ch for ch in c.checks}
    return table([figure_row(f, checks, c, dossier, texts, pv, cites, slips) for f in figs])


def measure_head(c: Comparison, dossier: Dossier, page: str) -> list[str]:
    """A measure's heading, its disagreement and widest gaps, and its chart."""
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
        parts.append(f"![{inert(alt_text(c, dossier.labels))}]({link(page, chart_path(m.id))}){{: .figure-chart }}\n")
    return parts


APART = "Forecasts and targets, shown apart and never compared:\n{: .figures-apart }\n"


def measure_section(c: Comparison, dossier: Dossier, texts: dict[str, str], pv: Previews,
                    cites: dict[str, str] | None = None, slips: dict[str, tuple[Erratum, ...]] | None = None) -> str:
    """One measure: the disagreement, its chart, every compared value checked, then forecasts and targets apart.

    `texts`: passage id -> text, for the sentences shown in context; `cites`: passage id -> its Cite box; `slips`:
    passage id -> its errata.
    """
    parts = measure_head(c, dossier, pv.page)
    values = [f for f in c.figures if f.compared]
    apart = [f for f in c.figures if not f.compared]
    if values:
        parts.append(figure_rows(values, c, dossier, texts, pv, cites, slips))
    if apart:
        parts += [APART, figure_rows(apart, c, dossier, texts, pv, cites, slips)]
    return "\n".join(parts)


def measure_pages(c: Comparison, dossier: Dossier, texts: dict[str, str], cites: dict[str, str],
                  slips: dict[str, tuple[Erratum, ...]], sources: dict, passages: dict) -> list[tuple[str, str]]:
    """A measure's page: whole if it fits the page budget, else its heading, chart and gaps, and its values in parts.

    Each page ends with the previews of the passages it links to (`passages`: id -> passage)."""
    m, page = c.measure, measure_page(c.measure.id)
    title = front_matter(f"Figures: {m.label}", extra=NOT_INDEXED)  # search indexes it as a record (publish.search)
    pv = Previews(dossier, page, passages, slips)
    whole = measure_section(c, dossier, texts, pv, cites, slips)
    stating = page_bibliography(sources[sid] for sid in dict.fromkeys(f.source for f in c.figures))
    if fits([whole, stating]):
        return [(page, "\n".join([title, whole, stating, pv.block()]))]
    checks = {ch.figure: ch for ch in c.checks}
    cells = {f: figure_cells(f, checks, c, texts, slips) for f in c.figures}  # once: each row is sized, then written
    sizing = Previews(dossier, part_page(page, 1), passages, slips)  # every part's links are as long as the first's
    ordered = sorted(c.figures, key=lambda f: not f.compared)  # compared values first, then forecasts apart
    cut = pack(ordered, lambda f: nbytes(table([linked_row(f, cells[f], dossier, sizing, cites)]))
               + nbytes(sizing.preview(f.passage)))
    listing = ["| Part | Sources | Values |", "| --- | --- | --- |"]
    out = []
    for k, part in enumerate(cut, 1):
        names = [inert(dossier.label(part[0].source)), inert(dossier.label(part[-1].source))]
        listing.append(f"| [Part {k}]({link(page, part_page(page, k))}) | {names[0]}"
                       + (f" … {names[1]}" if len(part) > 1 else "") + f" | {len(part)} |")
        nav = nav_line(page, k, len(cut), inert(m.label))
        here = Previews(dossier, part_page(page, k), passages, slips)
        compared = [linked_row(f, cells[f], dossier, here, cites) for f in part if f.compared]
        others = [linked_row(f, cells[f], dossier, here, cites) for f in part if not f.compared]
        body = [front_matter(f"Figures: {m.label}, part {k} of {len(cut)}", extra=NOT_INDEXED), nav]
        if compared:
            body.append(table(compared))
        if others:
            body += [APART, table(others)]
        body += [nav, page_bibliography(sources[sid] for sid in dict.fromkeys(f.source for f in part)), here.block()]
        out.append((part_page(page, k), "\n".join(body)))
    head = measure_head(c, dossier, page) + [f"{len(c.figures)} values, in {len(cut)} parts:\n", "\n".join(listing) + "\n"]
    return [(page, "\n".join([title] + head))] + out


def other_pages(dossier: Dossier, cites: dict[str, str], passages: dict,
                slips: dict[str, tuple[Erratum, ...]]) -> list[tuple[str, str]]:
    """Figures no measure took, per source, so that nothing found is lost: one page, or parts of OTHER_PER_PART sources."""
    unmatched: dict[str, list[Figure]] = {}  # by source, in one pass (not one pass over all figures per source)
    for f in dossier.figures:
        if f.measure is None:
            unmatched.setdefault(f.source, []).append(f)
    n = len(dossier.sources)
    pages: dict[str, list[str]] = {}
    previews: dict[str, Previews] = {}
    stating: dict[str, list] = {}  # page -> its sources with such figures (for its bibliography)
    for i, seg in enumerate(dossier.sources):
        sid, page = seg.source.id, other_figures_page(i, n)
        section = pages.setdefault(page, [])
        pv = previews.setdefault(page, Previews(dossier, page, passages, slips))
        rest = unmatched.get(sid, [])
        section.append(f"### {inert(dossier.label(sid))} {{: #{other_figures_anchor(sid)} }}\n")
        if not rest:
            section.append("*None.*\n")
            continue
        stating.setdefault(page, []).append(seg.source)
        rows = ["| Passage | As written | Kind | Normalised | Period |", "| --- | --- | --- | --- | --- |"]
        rows += [f"| {passage_ref(f, dossier, pv, cites)} | {written(f)} | {f.kind} ({inert(f.unit)}) | "
                 f"{amount(f.normalised, f.normalised_unit)} | {period(f)} |" for f in rest]
        section.append("\n".join(rows) + "\n")
    intro = "Figures found in the passages that no measure in `measures.yaml` takes.\n"
    out = []
    for k, (page, sections) in enumerate(pages.items(), 1):
        title = "Other figures" + (f", part {k} of {len(pages)}" if len(pages) > 1 else "")
        out.append((page, "\n".join([front_matter(title, extra=NOT_INDEXED), f"# {title}\n", intro] + sections + [
            page_bibliography(stating.get(page, ())), previews[page].block()])))
    return out


def figures_page(dossier: Dossier, found: tuple[Comparison, ...] | list[Comparison]) -> str:
    """The overview: what the figures are, and each measure compared across the sources (`found`, from
    measures.comparisons) with a link to its page; then the figures no measure took."""
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
             "never compared. Each measure two or more sources state has a chart of its values by period beside its table. "
             "Each measure has a page of its own.\n"]
    if found:
        rows = ["| Measure | Values | Sources | Spread | Check |", "| --- | --- | --- | --- | --- |"]
        for c in found:
            sources = sorted({f.source for f in c.figures})
            named = ", ".join(inert(dossier.label(s)) for s in sources[:SOURCES_NAMED])
            named += f" and {len(sources) - SOURCES_NAMED} more" if len(sources) > SOURCES_NAMED else ""
            rows.append(f"| [{inert(c.measure.label)}]({link(PAGE, measure_page(c.measure.id), measure_anchor(c.measure.id))}) | "
                        f"{len(c.figures)} | {named} | {spread(c)} | {check(c)} |")
        parts.append("\n".join(rows) + "\n")
    parts.append(f"Figures no measure takes: [Other figures]({link(PAGE, OTHER_FIGURES)}).\n")
    idle = [m for m in dossier.measures if all(m.id != c.measure.id for c in found)]
    if idle:
        parts.append("Measures no source states yet: " + ", ".join(f"{inert(m.label)} (`{m.id}`)" for m in idle) + ".\n")
    return "\n".join(parts)


SOURCES_NAMED = 8
"""Most sources the overview names for a measure (the rest are counted)."""


def render(ctx: Context):
    """The overview, each measure's page(s), the other figures, then the chart of each measure two or more sources state."""
    dossier = ctx.dossier
    yield PAGE, figures_page(dossier, ctx.compared)
    texts = {p.id: p.text for p in dossier.passages()}
    cites = cite_cells((seg.source for seg in dossier.sources), dossier.passages(), (f.passage for f in dossier.figures))
    slips = by_passage(dossier.errata)
    sources = {seg.source.id: seg.source for seg in dossier.sources}
    passages = {p.id: p for p in dossier.passages()}
    for c in ctx.compared:
        yield from measure_pages(c, dossier, texts, cites, slips, sources, passages)
    other = other_pages(dossier, cites, passages, slips)
    if len(other) > 1:  # an overview of the parts at figures/other.md
        listing = [f"- [Part {k}]({link(OTHER_FIGURES, page)})" for k, (page, _) in enumerate(other, 1)]
        yield OTHER_FIGURES, "\n".join([front_matter("Other figures", extra=NOT_INDEXED), "# Other figures\n",
                                                    f"In {len(other)} parts, source by source:\n"] + listing) + "\n"
    yield from other
    order = tuple(seg.source.id for seg in ctx.dossier.sources)
    for c in ctx.compared:
        if charted(c):
            yield chart_path(c.measure.id), chart_svg(c, order, ctx.dossier.labels)


KIND = PageKind("Figures page", (FIGURES, MEASURES, CHARTS), render)
