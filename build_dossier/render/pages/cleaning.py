"""The cleaning report: every line of page chrome the cleaner removed, per source (laid out by `render.cleaning`)."""

from __future__ import annotations

from ..addresses import CLEANING, CLEANING_PARTS
from ..cleaning import layout
from ..kind import Context, PageKind


def render(ctx: Context):
    yield from layout(ctx.dossier)[0]


KIND = PageKind("cleaning report", (CLEANING, CLEANING_PARTS), render)
