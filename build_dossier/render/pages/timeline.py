"""The Timeline page: every dated statement of every source, gathered into events, in date order (in parts when
long: laid out by `render.timeline`)."""

from __future__ import annotations

from ..addresses import TIMELINE, TIMELINE_PARTS
from ..kind import Context, PageKind
from ..timeline import layout


def render(ctx: Context):
    yield from layout(ctx.dossier).files


KIND = PageKind("Timeline page", (TIMELINE, TIMELINE_PARTS), render)
