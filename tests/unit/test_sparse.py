"""`text.Sparse` finds exactly the matches of its expression (the dates), only faster.

Checked on the three articles and on hypothesis-built text full of the pieces the expressions start with, in odd
cases and with odd neighbours (`mid-`, `$`, `ſ`, the Kelvin sign), over random stretches of it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build_dossier.analyse.dates import DATES

SPARSE = {"dates": DATES}
SOURCES = Path(__file__).parents[2] / "sources"
PIECES = ("2022", "1990s", "the 2000s", "4", "31st", "12,500", "3.5", "March", "Sept.", "sept", "MAY", "Dec", "in", "on",
          "By", "during", "since", "until", "from", "early", "late", "mid-", "mid", "that year", "the same year", "The",
          "to", "and", "through", "–", "-", "$", "€", "/", ".", ",", "(", ")", "%", "a", "an", "A", "hundred",
          "thousand", "billion", "twenty-one", "Seventeen", "one", "three-quarters", "a fifth", "half", "of", "ſince",
          "ſeven", "\u212a", "\u00a0", "\u202f", "x", "_", "é", "2023–2024", "Jan.")
text = st.lists(st.sampled_from(PIECES), max_size=40).flatmap(
    lambda ws: st.lists(st.sampled_from(["", " ", "  ", "\u00a0", "-", ".", ","]), min_size=len(ws), max_size=len(ws))
    .map(lambda gaps: "".join(w + g for w, g in zip(ws, gaps))))


def matches(found) -> list:
    """Each match's span and groups, to compare two scans."""
    return [(m.span(), m.groupdict()) for m in found]


@pytest.mark.parametrize("name", sorted(SPARSE))
def test_same_matches_on_the_articles(name):
    for path in sorted(SOURCES.glob("*.md")):
        body = path.read_text(encoding="utf-8")
        for lo, hi in ((0, len(body)), (1, len(body) - 1), (len(body) // 3, len(body) // 2)):
            assert matches(SPARSE[name].finditer(body, lo, hi)) == matches(SPARSE[name].regex.finditer(body, lo, hi))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text, st.integers(0, 400), st.integers(0, 400), st.sampled_from(sorted(SPARSE)))
def test_same_matches_on_any_text(body, a, b, name):
    lo, hi = sorted((min(a, len(body)), min(b, len(body))))
    assert matches(SPARSE[name].finditer(body, lo, hi)) == matches(SPARSE[name].regex.finditer(body, lo, hi))
    assert matches(SPARSE[name].finditer(body)) == matches(SPARSE[name].regex.finditer(body))
