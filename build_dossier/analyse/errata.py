"""The errata ledger, `sources/errata.yaml`: an author's slips, each resolved to its exact place in one passage.

A slip is marked, never corrected: the source text and the passage spans stay exactly as captured, and
the pages put `[sic]` after the slip wherever they show it (`render/sic.py`).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import Problem
from ..ingest.readfile import display_path, read_text
from ..ingest.schema import Field, validate
from ..ingest.yamlio import YamlDoc, load_yaml
from ..model import Erratum, Passage
from .claims import by_source, locate, resolve

ERRATA_FILE = "errata.yaml"
ERRATUM_FIELDS = (
    Field("source", "slug", doc="Source id.", example="gabuev-foreign-affairs-2024"),
    Field("quote", "text", doc="The slip, exactly as the source has it (with neighbouring words if needed), "
                               "standing once in one passage.", example='"Malaka Strait"'),
    Field("note", "text", doc="What is wrong, for readers.", example='"The strait is the Strait of Malacca."'),
    Field("correct", "text", required=False, doc="The correct form, if known.", example='"Malacca Strait"'),
)
LEDGER_FIELDS = (
    Field("errata", "records", required=False, default=(), fields=ERRATUM_FIELDS, noun="erratum",
          fix="see docs/about/ledgers.md.", doc="The slips, each in its source's words."),
)


def parse_errata(doc: YamlDoc, file: str, by_source: dict[str, tuple[Passage, ...]],
                 unreadable: frozenset[str] = frozenset()) -> tuple[tuple[Erratum, ...], list[Problem]]:
    """Validate the ledger (`LEDGER_FIELDS`), then find every slip in its source; collect every problem.

    Entries for `unreadable` sources (whose files have errors of their own) are skipped quietly.
    """
    if doc.data is None:
        return (), []
    values, problems = validate(doc.data, LEDGER_FIELDS, file, doc)
    found: list[Erratum] = []
    for i, entry in enumerate(values.get("errata") or ()):
        where = f"errata[{i}]"
        if any(p.key.startswith(where + ".") for p in problems if p.severity == "error") or entry["source"] in unreadable:
            continue
        if entry["source"] not in by_source:
            problems.append(Problem(file, f"{where}.source", f"there is no source {entry['source']!r}.",
                                    "use one of: " + ", ".join(sorted(by_source)) + ".", doc.line(f"{where}.source")))
            continue
        line = doc.line(f"{where}.quote")
        passage, _, more = resolve(entry["quote"], entry["source"], by_source, f"{where}.quote", file, line)
        problems += more
        if passage is None:
            continue
        spans = locate(entry["quote"], passage)
        if len(spans) > 1:
            problems.append(Problem(file, f"{where}.quote", f"the quote stands {len(spans)} times in ¶{passage.n} of "
                                    f"{entry['source']}.", "quote more words, so that it stands there once.", line))
            continue
        (start, end), = spans
        clash = next((e for e in found if e.passage == passage.id and e.start < end and start < e.end), None)
        if clash:
            problems.append(Problem(file, f"{where}.quote", f"the quote overlaps another erratum in ¶{passage.n} of "
                                    f"{entry['source']} ({clash.text!r}).", "mark each slip once.", line))
            continue
        found.append(Erratum(passage.source, passage.id, passage.n, start, end, passage.text[start:end],
                             entry["note"], entry["correct"]))
    return tuple(sorted(found, key=lambda e: (e.source, e.n, e.start))), problems


def load_errata(sources_dir: Path, root: Path, passages: tuple[Passage, ...],
                unreadable: frozenset[str] = frozenset()) -> tuple[tuple[Erratum, ...], list[Problem]]:
    """Read `sources/errata.yaml` (optional) and find every slip in the passages."""
    path = sources_dir / ERRATA_FILE
    if not path.exists():
        return (), []
    file = display_path(path, root)
    text, problems = read_text(path, file, "ledger")
    if text is None:
        return (), problems
    doc, problems = load_yaml(text, file)
    if doc is None:
        return (), problems
    errata, found = parse_errata(doc, file, by_source(passages), unreadable)
    return errata, problems + found
