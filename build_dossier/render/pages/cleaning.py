"""The cleaning report: every line of page chrome the cleaner removed, per source, for audit."""

from __future__ import annotations

from ...model import Dossier
from ...text import inert
from ..addresses import CLEANING
from ..facets import NOT_INDEXED
from ..kind import Context, PageKind
from ..markdown import code, front_matter


def cleaning_page(dossier: Dossier) -> str:
    """Every line of page chrome the cleaner removed, per source (its section's id is the source id)."""
    parts = [front_matter("Cleaning report", extra=NOT_INDEXED),  # search indexes it source by source
             "The captured texts in `sources/` are kept unchanged; the build removes web-page chrome by the rules "
             "in `build_dossier/data/chrome.yaml`. Every removed line is listed here with its line number in the "
             "source file and the rule that removed it.\n"]
    for seg in dossier.sources:
        s = seg.source
        parts.append(f"## {inert(dossier.label(s.id))}: {inert(s.display_title)} {{: #{s.id} }}\n")
        parts.append(f"{code(s.path)} — {len(seg.cleaned.removed)} lines removed.\n")
        if seg.cleaned.removed:
            rows = ["| Line | Rule | Text |", "| --- | --- | --- |"]
            rows += [f"| {r.line} | {r.rule} | {inert(r.text)} |" for r in seg.cleaned.removed]
            parts.append("\n".join(rows) + "\n")
    return "\n".join(parts)


def render(ctx: Context):
    yield CLEANING.path, cleaning_page(ctx.dossier)


KIND = PageKind("cleaning report", (CLEANING,), render)
