"""Charts of the Figures page: a measure's values by period, one series per source, the disagreement marked.

Drawn at build time as SVG by matplotlib (imported only when a chart is drawn: a dossier without a
measure stated by two sources never loads it). The output is byte-identical across builds and machines
of one matplotlib version: text is drawn as paths (no font is requested, the glyphs are in the file),
the ids come from `svg.hashsalt`, and the file carries no date or creator. Labels come from the model
only as glyphs, never as markup.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache

from ..analyse.compare import Comparison, key
from ..analyse.dates import interval, label
from ..model import Figure, Period

STYLE = {
    "svg.hashsalt": "build-dossier",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 12,
    "axes.titlesize": 12,
    "legend.fontsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "path.simplify": False,
    "text.parse_math": False,  # a name or a unit is text: `$…$` in it is not a formula (nor an error when cut)
}
COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")
"""One colour per source, in the dossier's source order (matplotlib's tab10 without its red, kept for disagreement)."""
DIFFER = "#d62728"
COMMENT_RE = re.compile(r"<!--.*?-->\n?", re.S)
SIZE = (5.2, 2.9)
"""Inches (the plot; the legend below adds LEGEND_ROW for each of its rows, of one to three entries): 500 px wide at
the page's scale, legible when shrunk to a 375 px phone."""
MAX_SERIES = 8
"""More sources than this share one colour (the table names each value's source)."""
LEGEND_ROW = 0.25
"""Inches per row of the legend."""


def period_label(p: Period | None, dated: bool, short: bool = False) -> str:
    """A period for people (`as of June 2025`, `since 2014`, `first half 2024`); `short` for a chart's axis."""
    if not dated:
        return "any year"
    if p is None:
        return "no period"
    text = label(p.date, short)
    return {"as-of": f"as of {text}", "cumulative": f"since {text}", "part": f"{p.qualifier} {text}"}.get(p.kind, text)


def _order(p: Period | None) -> tuple:
    return (1,) if p is None else (0, interval(p.date)[0], interval(p.date)[1], p.kind, p.qualifier)


def slot(p: Period | None, dated: bool) -> tuple | None:
    """The x category of a value's period: its key (`in 2023` and `In 2023` are one), or None (any or no period)."""
    return p.key if dated and p is not None else None


def charted(c: Comparison) -> bool:
    """A measure gets a chart when two or more sources state a value of it (forecasts and targets aside)."""
    return len({f.source for f in c.figures if f.compared}) > 1


def main_unit(c: Comparison) -> str:
    """The unit most of its values are in (the chart shows that one; a table lists all)."""
    units = [f.normalised_unit for f in c.figures]
    return max(sorted(set(units)), key=units.count)


def chart_svg(c: Comparison, sources: tuple[str, ...], labels: dict[str, str]) -> str:
    """The SVG of one measure's chart; `sources` orders the series (and their colours).

    Kept per process for the same values, order and labels: `serve` redraws only the charts an edit changed.
    """
    return _chart_svg(c, sources, tuple(sorted(labels.items())))


@lru_cache(maxsize=64)
def _chart_svg(c: Comparison, sources: tuple[str, ...], label_items: tuple[tuple[str, str], ...]) -> str:
    from matplotlib import rc_context  # lazily: only when a chart is drawn

    with rc_context(STYLE):
        fig = chart_figure(c, sources, dict(label_items))
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    return COMMENT_RE.sub("", out.getvalue())  # matplotlib repeats each label in a comment: keep only the glyphs


def chart_figure(c: Comparison, sources: tuple[str, ...], labels: dict[str, str]):
    """One measure's chart as a matplotlib figure, laid out; call it within `rc_context(STYLE)`."""
    from matplotlib.figure import Figure as Canvas

    m, unit = c.measure, main_unit(c)
    shown = [f for f in c.figures if f.normalised_unit == unit]
    firsts: dict = {}  # one category per period key, named by its first value
    for f in shown:
        firsts.setdefault(slot(f.period, m.dated), f.period if m.dated else None)
    periods = sorted(firsts.values(), key=_order)
    x = {slot(p, m.dated): k for k, p in enumerate(periods)}
    differing = [ch.figure for ch in c.checks if ch.differs]  # in figure order: a set's order varies by process
    stating = {f.source for f in shown}  # a set, not a scan of every value for every source (S x F)
    series = [s for s in sources if s in stating]
    many = len(series) > MAX_SERIES  # then one colour for all: a legend of dozens of names helps no one
    entries = 3 if many else len(series) + len({f.source for f in shown if not f.compared}.intersection(series))
    fig = Canvas(figsize=SIZE, dpi=72)  # a pixel is a point; `_place` makes room for the legend
    ax = fig.add_subplot()
    if many:
        _points(ax, [f for f in shown if f.compared], x, m.dated, "#555555", f"values of {len(series)} sources")
        _points(ax, [f for f in shown if not f.compared], x, m.dated, "#555555", "forecasts and targets", hollow=True)
    for k, sid in enumerate([] if many else series):
        colour = COLOURS[k % len(COLOURS)]
        mine = sorted((f for f in shown if f.source == sid), key=lambda f: x[slot(f.period, m.dated)])
        kept = [f for f in mine if f.compared]
        ax.plot([x[slot(f.period, m.dated)] for f in kept], [f.normalised for f in kept], marker="o",
                linestyle="-" if len(kept) > 1 and m.dated else "none", color=colour, label=labels.get(sid, sid),
                markersize=7, linewidth=1.2)
        _points(ax, [f for f in mine if not f.compared], x, m.dated, colour, labels.get(sid, sid) + FORECAST,
                hollow=True)
    _mark_disagreement(ax, c, x, unit, differing)
    ax.set_xticks(range(len(periods)), [period_label(p, m.dated, short=True) for p in periods],
                  rotation=30 if len(periods) > 4 else 0, ha="right" if len(periods) > 4 else "center")
    ax.set_xlim(-0.6, len(periods) - 0.4)
    ax.set_ylabel(unit)
    ax.grid(axis="y", linewidth=0.4, alpha=0.5)
    _place(fig, ax, entries)
    return fig


FORECAST = ": forecast or target"
"""After a source's name in the legend: its forecasts and targets (hollow markers)."""
PAD = 3
"""Points between the figure's edge and any text, and between the legend and the tick labels (as constrained layout)."""


def _place(fig, ax, entries: int) -> None:
    """Size and place the plot so that every tick label, the unit, the notes and the legend (of `entries`) fit in the
    figure: the legend in three columns, or as many as fit its width, the figure a row taller for each row of it.

    Measured once, for one draw: matplotlib's constrained layout drew every chart twice more to lay it out (the 17
    charts of 300 sources took 2.1 s CPU with it, 1.4 s without). The y axis is measured at the plot's final height
    (its ticks depend on it); x tick labels and notes hang from a point in data coordinates, so the plot's left and
    right edges are solved for them, not measured again.
    """
    from matplotlib.backends.backend_svg import RendererSVG

    width = SIZE[0] * 72
    measure = RendererSVG(width, fig.get_size_inches()[1] * 72, io.StringIO())  # sizes text; its height is unused
    for columns in range(min(3, entries), 0, -1):  # long names: fewer columns, more rows
        legend = fig.legend(loc="lower center", ncols=columns, frameon=False)
        if columns == 1 or legend.get_window_extent(measure).width <= width - 2 * PAD:
            break
        legend.remove()
    _shorten(legend, width - 2 * PAD, measure)
    fig.set_size_inches(SIZE[0], SIZE[1] + LEGEND_ROW * -(-entries // columns))
    height = fig.get_size_inches()[1] * 72
    ticks = [(t.get_window_extent(measure), t.get_position()[0]) for t in ax.get_xticklabels()]  # any plot size
    below = ax.get_window_extent(measure).y0 - min(b.y0 for b, _ in ticks)
    bottom, top = legend.get_window_extent(measure).y1 + PAD + below, height - PAD
    for tries in range(4):  # lower only if the y axis' labels rise above the figure (a top tick's, the offset `1e6`)
        box = ax.get_position()
        ax.set_position([box.x0, bottom / height, box.width, (top - bottom) / height])
        yaxis = ax.yaxis.get_tightbbox(measure)
        over = yaxis.y1 - ax.get_window_extent(measure).y1 - (height - PAD - top)
        if over <= 0.5 or tries == 3:
            break
        top -= over
    left = ax.get_window_extent(measure).x0 - yaxis.x0 + PAD
    xs, x0, x1 = ax.transData.transform, *ax.get_xlim()
    hung = ticks + [(t.get_window_extent(measure), t.xy[0]) for t in ax.texts]
    # Each text as (the fraction of the axis its anchor is at, its left and right end from the anchor).
    spans = [((x - x0) / (x1 - x0), b.x0 - xs((x, 0))[0], b.x1 - xs((x, 0))[0]) for b, x in hung]
    lo, hi = left, width - PAD
    for _ in range(8):  # each text within the figure: PAD <= lo + f * (hi - lo) + its extent <= width - PAD
        lo = max([left] + [(PAD - a - f * hi) / (1 - f) for f, a, _ in spans if f < 1])
        hi = min([width - PAD] + [lo + (width - PAD - b - lo) / f for f, _, b in spans if f > 0])
    box = ax.get_position()
    ax.set_position([lo / width, box.y0, (hi - lo) / width, box.height])


def _shorten(legend, room: float, measure) -> None:
    """Cut a name too long for the legend's one column to fit the figure's width (`room`), ending it with "…" (the
    table beside the chart and its description name every source in full)."""
    for _ in range(3):  # a cut measured again: letters differ in width
        texts = legend.get_texts()
        widths = [t.get_window_extent(measure).width for t in texts]
        allowed = room - (legend.get_window_extent(measure).width - max(widths))  # the markers and gaps stay
        if max(widths) <= allowed:
            return
        for text, wide in zip(texts, widths):
            if wide > allowed:  # the name is cut, not what follows it (two entries of one source stay apart)
                name, forecast = text.get_text(), ""
                if name.endswith(FORECAST):
                    name, forecast = name.removesuffix(FORECAST), FORECAST
                name = name.removesuffix("…")
                keep = max(int((len(name) + len(forecast)) * allowed / wide) - 1 - len(forecast), 1)  # of `wide`
                text.set_text(name[:keep].rstrip() + "…" + forecast)


def _points(ax, figs: list[Figure], x: dict, dated: bool, colour: str, name: str, hollow: bool = False) -> None:
    """Values as markers without lines: filled dots, or hollow diamonds for forecasts and targets."""
    if figs:
        ax.plot([x[slot(f.period, dated)] for f in figs], [f.normalised for f in figs], linestyle="none", color=colour,
                marker="D" if hollow else "o", markerfacecolor="white" if hollow else colour, markersize=7, label=name)


def _mark_disagreement(ax, c: Comparison, x: dict, unit: str, differing: list[Figure]) -> None:
    """Each value beyond the tolerance ringed in red, and each group's spread drawn as a red bar where it differs."""
    m = c.measure
    ringed = [f for f in differing if f.normalised_unit == unit]
    if ringed:
        ax.plot([x[slot(f.period, m.dated)] for f in ringed], [f.normalised for f in ringed], marker="o", markersize=13,
                linestyle="none", markerfacecolor="none", markeredgecolor=DIFFER, markeredgewidth=1.6)
    for s in c.spreads:
        members = [f for f in differing if f.normalised_unit == unit and key(m, f)[1:] == (
            s.period.key if s.period else None, s.scope)]
        if s.unit != unit or not members:
            continue
        at = x[slot(s.period, m.dated)] + 0.25
        ax.plot([at, at], [s.low, s.high], color=DIFFER, linewidth=2)
        ax.annotate(f"{s.relative * 100:.1f}% apart", (at, (s.low + s.high) / 2), xytext=(4, 0),
                    textcoords="offset points", color=DIFFER, va="center", fontsize=10)


NAMED = 8
"""Most sources a chart's description names (it stays short however many sources state the measure)."""


def alt_text(c: Comparison, labels: dict[str, str]) -> str:
    """What the chart shows, for people who cannot see it (the table beside it holds every value)."""
    every = list(dict.fromkeys(labels.get(f.source, f.source) for f in c.figures if f.compared))
    names = ", ".join(every[:NAMED]) + (f" and {len(every) - NAMED} more" if len(every) > NAMED else "")
    flagged = f"; {c.differing} of {c.compared} compared values differ beyond the tolerance" if c.differing else ""
    return f"Chart of {c.measure.label} ({main_unit(c)}) by period, one series per source ({names}){flagged}"
