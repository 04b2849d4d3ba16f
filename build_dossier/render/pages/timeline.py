"""The Timeline page: every dated statement of every source, gathered into events, in date order (in parts when
long: laid out by `render.timeline`)."""

from __future__ import annotations

from ..addresses import TIMELINE, TIMELINE_PARTS
from ..kind import Context, PageKind


def render(ctx: Context):
    yield from ctx.timeline.files


KIND = PageKind("Timeline page", (TIMELINE, TIMELINE_PARTS), render)
