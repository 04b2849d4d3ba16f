"""Charts of the Figures page: drawn only for measures two sources state, deterministic, self-contained, inert."""

from __future__ import annotations

import io
import re
import subprocess
import sys

import pytest

from build_dossier.analyse.compare import compare
from build_dossier.analyse.figures import figures
from build_dossier.analyse.measures import default_measures
from build_dossier.model import Passage
from build_dossier.render.charts import FORECAST, STYLE, chart_figure, chart_svg, charted
from support import ROOT

MEASURES = default_measures()
TRADE = next(m for m in MEASURES if m.id == "bilateral-trade")


def passage(text: str, source: str, n: int = 1) -> Passage:
    return Passage(source, n, "paragraph", None, 0, len(text), text, 1)


FIGS = figures((
    passage("In 2022, bilateral trade was $190 billion. In 2023, bilateral trade was $240 billion.", "a"),
    passage("In 2023, bilateral trade reached $200 billion. Bilateral trade will reach $300 billion in 2030.", "b"),
), MEASURES)


def test_a_chart_only_for_a_measure_two_sources_state():
    assert charted(compare(TRADE, FIGS))
    alone = figures((passage("In 2023, bilateral trade was $240 billion.", "a"),
                     passage("Bilateral trade will reach $300 billion in 2030.", "b")), MEASURES)
    assert not charted(compare(TRADE, alone))  # a forecast is no second source's value


def test_the_chart_is_byte_identical_self_contained_and_inert():
    c = compare(TRADE, FIGS)
    labels = {"a": "<script>alert(1)</script>", "b": "Lo & Co"}
    svg = chart_svg(c, ("a", "b"), labels)
    assert svg == chart_svg(c, ("a", "b"), labels)
    assert svg.startswith("<?xml") and "<svg" in svg
    assert "<script" not in svg and "alert" not in svg  # labels become glyph paths, never markup
    assert not re.search(r"<text\b", svg)  # text drawn as paths: no font is requested
    assert not re.search(r"(?:href|src)=\"(?!#)", svg) and "@import" not in svg and "url(http" not in svg  # no request
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg  # no date, no creator


def drawn_texts(fig) -> tuple[list[tuple[str, object]], float, float]:
    """Every text a chart draws, with its extent (points), and the figure's width and height (points)."""
    from matplotlib.backends.backend_svg import RendererSVG

    class Recording(RendererSVG):
        def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
            drawn.append(mtext)
            super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)

    drawn: list = []
    width, height = fig.get_size_inches() * 72
    renderer = Recording(width, height, io.StringIO())
    fig.draw(renderer)
    return [(t.get_text(), t.get_window_extent(renderer)) for t in drawn], width, height


LONG = {"a": "Council on Foreign Relations Staff", "b": "Alexander Gabuev and Others",
        "c": "Center for European Policy Analysis", "d": "Lo"}
CROWDED = (  # rotated period labels (a long one first), a value in millions, a forecast, a disagreement at the end
    passage("In the first half of 2019, bilateral trade was $100 billion. As of June 2025, bilateral trade was "
            "$1,234,000 billion.", "a"),
    passage("In 2020, bilateral trade was $120 billion. Bilateral trade will reach $300 billion in 2030.", "b"),
    passage("In 2021, bilateral trade was $130 billion. In 2022, bilateral trade was $150 billion.", "c"),
    passage("As of June 2025, bilateral trade was $1,034,000 billion.", "d"))


@pytest.mark.parametrize("texts, labels", [
    (CROWDED, LONG),  # long names: the legend in fewer columns
    (CROWDED[:1] + CROWDED[2:], LONG),  # the disagreement's note at the last period
    (tuple(passage(f"In {2000 + k % 20}, bilateral trade was ${100 + 7 * k} billion.", f"s{k}") for k in range(30)),
     {}),  # more sources than colours: one series, 20 rotated years
])
def test_every_text_of_a_crowded_chart_is_inside_it_and_clear_of_the_legend(texts, labels):
    from matplotlib import rc_context

    c = compare(TRADE, figures(texts, MEASURES))
    with rc_context(STYLE):
        drawn, width, height = drawn_texts(chart_figure(c, tuple(dict.fromkeys(p.source for p in texts)), labels))
    outside = [(t, box.extents) for t, box in drawn if box.x0 < 0 or box.y0 < 0 or box.x1 > width or box.y1 > height]
    assert not outside, (width, height)
    legend = [box for t, box in drawn if t in set(labels.values()) or t.startswith("values of")]
    ticks = [box for t, box in drawn if re.fullmatch(r"\d{4}|first half 2019|as of Jun 2025", t)]
    assert legend and ticks and max(b.y1 for b in legend) < min(b.y0 for b in ticks)
    assert any(t.endswith("% apart") for t, _ in drawn) == bool(c.differing)  # the spread's note, where there is one


def test_a_name_too_long_for_the_chart_is_cut_to_fit_with_an_ellipsis():
    from matplotlib import rc_context

    # "b" states a forecast too (two entries); "a" has three `$`: cut, two are left, which matplotlib would read as a
    # formula (and `^^` is not one: an error)
    labels = {**LONG, "a": "Fund for US$^^ aid, US$ loans and a very long list of programmes, ending in US$ terms 2024",
              "b": "Alexander Gabuev, Alexandra Prokopenko, Tatiana Mitrova and the Carnegie Russia Eurasia Center"}
    c = compare(TRADE, figures(CROWDED, MEASURES))
    with rc_context(STYLE):
        drawn, width, height = drawn_texts(chart_figure(c, tuple(dict.fromkeys(p.source for p in CROWDED)), labels))
    assert not [t for t, box in drawn if box.x0 < 0 or box.x1 > width or box.y0 < 0 or box.y1 > height]
    texts = [t for t, _ in drawn]
    cut = [t.removesuffix(FORECAST) for t in texts if t.removesuffix(FORECAST).endswith("…")]
    assert len(cut) == 3 and all(any(name.startswith(t[:-1]) for name in labels.values()) for t in cut)
    assert len([t for t in texts if t.startswith(labels["b"][:10])]) == 2  # the name and its forecasts, apart
    assert [t for t in texts if t.startswith(labels["b"][:10]) and t.endswith("…" + FORECAST)]
    assert labels["c"] in texts and labels["d"] in texts  # the others as they are
    assert any(t.startswith("Fund for US$^^ aid, US$") for t in texts)  # drawn as written


@pytest.mark.slow  # two processes that load matplotlib: the slow tier
def test_the_chart_is_the_same_in_another_process_with_another_hash_seed():
    script = ("import sys; sys.path.insert(0, 'tests/unit'); sys.path.insert(0, 'tests'); import test_charts as t; "
              "sys.stdout.write(t.chart_svg(t.compare(t.TRADE, t.FIGS), ('a', 'b'), {}))")
    runs = [subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}).stdout for seed in ("1", "2")]
    assert runs[0] == runs[1] == chart_svg(compare(TRADE, FIGS), ("a", "b"), {})


@pytest.mark.slow
def test_matplotlib_is_loaded_only_when_a_chart_is_drawn():
    script = ("import sys; from build_dossier.render.registry import render_docs; from build_dossier.model import Dossier; "
              "render_docs(Dossier(())); print('matplotlib' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"
