"""Charts of the Figures page: drawn only for measures two sources state, deterministic, self-contained, inert."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from build_dossier.analyse.compare import compare
from build_dossier.analyse.figures import figures
from build_dossier.analyse.measures import default_measures
from build_dossier.model import Passage
from build_dossier.render.charts import chart_svg, charted
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
