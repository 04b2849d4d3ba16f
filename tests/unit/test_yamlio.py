"""The ledgers are read by libyaml where it reads them as PyYAML's Python parser does, and by the latter otherwise.

`yamlio.parse_fast` must give the same data and the same line of every key as `yamlio._read`, or give up (None) so
that the Python parser reads the text and reports its problem in its own words.
"""

from __future__ import annotations

import pytest

from build_dossier.ingest.yamlio import _read, _walk, parse_fast
from support import ROOT

EDGE_CASES = [
    "a: 1\nb: [x, 'y', \"z\"]\n",
    "a:\tb\n", "a: b\t\n", "a:\t\n  b: 1\n", "a: x\n  \ty\n",  # tabs: libyaml takes some PyYAML refuses
    "\ufeffa: 1\n", "a: 1\r\nb:\r\n  - 2\r\n", "a: \"x\u2028y\"\nb: 2\n", "a: x\x85y\nb: 2\n",
    "a: 2024-01-05\nb: 2024-01-05T10:00:00Z\n",  # dates stay text
    "a: &x [1]\nb: *x\n", "- &a {k: 1}\n- *a\n",  # aliases: refused by the Python parser, which names the line
    "- {q: 'it''s'}\n- k: |\n    two\n    lines\n  m: >-\n    folded\n    text\n",
    "a: 1\na: 2\n", "x: [\n", "a: b: c\n", "a: \x07\n", "",
    "debates:\n  - id: d1\n    positions:\n      - source: s\n        quote: \"“a” — ‘b’\"\n",
]


def lines(node) -> dict:
    out: dict = {}
    _walk(node, "", 0, out, [])
    return out


@pytest.mark.parametrize("text", EDGE_CASES)
def test_libyaml_reads_as_the_python_parser_or_leaves_it_to_it(text):
    node, data, problems = _read(text, "f.yaml", 0)
    fast = parse_fast(text)
    if problems:
        assert fast is None, problems  # the problem is reported by the Python parser, as it always was
    elif fast is not None:
        assert fast[1] == data
        assert (lines(fast[0]) if fast[0] is not None else {}) == (lines(node) if node is not None else {})


@pytest.mark.parametrize("name", ["claims.yaml", "errata.yaml"])
def test_the_ledgers_are_read_by_libyaml_with_the_same_data_and_lines(name):
    text = (ROOT / "sources" / name).read_text(encoding="utf-8")
    node, data, problems = _read(text, name, 0)
    fast = parse_fast(text)
    assert not problems and fast is not None
    assert fast[1] == data and lines(fast[0]) == lines(node)
