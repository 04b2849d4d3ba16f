"""The cleaning report's layout: every line of page chrome the cleaner removed, per source, for audit.

Beyond the page budget it becomes an overview and parts (`render.parts`); `layout` says which page holds
each source's section, for the links from source pages and the search records (`pages/cleaning.py` writes it).
"""

from __future__ import annotations

from ..model import Dossier, Segmented
from ..text import inert
from .addresses import CLEANING
from .facets import NOT_INDEXED
from .markdown import code, front_matter
from .parts import Section, fits, split

INTRO = ("The captured texts in `sources/` are kept unchanged; the build removes web-page chrome by the rules "
         "in `build_dossier/data/chrome.yaml`. Every removed line is listed here with its line number in the "
         "source file and the rule that removed it.\n")


def source_section(seg: Segmented, dossier: Dossier) -> str:
    """One source's removed lines (its section's id is the source id)."""
    s = seg.source
    parts = [f"## {inert(dossier.label(s.id))}: {inert(s.display_title)} {{: #{s.id} }}\n",
             f"{code(s.path)} — {len(seg.cleaned.removed)} lines removed.\n"]
    if seg.cleaned.removed:
        rows = ["| Line | Rule | Text |", "| --- | --- | --- |"]
        rows += [f"| {r.line} | {r.rule} | {inert(r.text)} |" for r in seg.cleaned.removed]
        parts.append("\n".join(rows) + "\n")
    return "\n".join(parts)


def layout(dossier: Dossier) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The report's files, and the page holding each source's section (by source id)."""
    head = [front_matter("Cleaning report", extra=NOT_INDEXED), INTRO]  # search indexes it source by source
    sections = [source_section(seg, dossier) for seg in dossier.sources]
    if fits(sections):
        return [(CLEANING.path, "\n".join(head + sections))], {seg.source.id: CLEANING.path for seg in dossier.sources}
    cut = split(CLEANING.path, "Cleaning report", [Section(seg.source.id, inert(dossier.label(seg.source.id)), text)
                                                   for seg, text in zip(dossier.sources, sections)])
    removed = sum(len(seg.cleaned.removed) for seg in dossier.sources)
    overview = head + [f"{removed} lines removed from {len(dossier.sources)} sources, listed source by source in "
                       f"{len(cut.files)} parts:\n", cut.contents]
    return [(CLEANING.path, "\n".join(overview))] + cut.files, cut.where

