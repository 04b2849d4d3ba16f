"""HTML fragments from Jinja2 templates (`render/templates/`), with every untrusted value made inert.

HTML autoescaping is not enough here: the pages are Markdown read by Python-Markdown with attr_list and
md_in_html, which read `{: … }`, `[…](…)`, `*` and more inside raw HTML. So every value a template prints
goes through `text.inert` (the same as every other source text on the pages), unless it is `Markup`:
markup of our own, or text already made inert (a citation rendered by `cite.html`). Mark a value
trusted only in one of those two cases.
"""

from __future__ import annotations

import re

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..text import inert


def _inert(value: object) -> Markup:
    """Every printed value: trusted Markup as it is, anything else as inert text."""
    return value if isinstance(value, Markup) else Markup(inert(str(value)))


_ADDRESS = re.compile(r"[A-Za-z0-9._~/?#&=%+ -]*")
"""What an address or token the build makes of validated ids (slugs) and its own words may hold: nothing HTML,
Markdown or attr_list reads (no `<>"'{}[]()*_` or backslash)."""


def ours(value: str) -> Markup:
    """A relative address or an attribute token made by the build from validated ids, printed as it is.

    ValueError if it holds anything else: such a value must be printed (inert) like source text."""
    if not _ADDRESS.fullmatch(value):
        raise ValueError(f"{value!r} is not an address of the build's own making")
    return Markup(value)


ENV = Environment(loader=PackageLoader("build_dossier", "render/templates"), autoescape=True, finalize=_inert,
                  undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
CITATIONS = ENV.get_template("citations.html").module
"""The citation macros: `CITATIONS.cite_box(…)` returns the fragment as Markup."""
TABLES = ENV.get_template("tables.html").module
"""The tables of the debates and sources indexes: the matrix, the filter, the tables, the pager."""
