"""What every generated page is made of: its front matter, and source text made inert.

Source text is data, never markup. One mechanism keeps it so: every text that comes from a source,
a ledger or a data file — passages, headings, quotes, titles, authors, stances, questions, labels,
notes, removed chrome lines, URLs — reaches a page only through `text.inert`, which writes each
character that Markdown or HTML could read as syntax as a numeric character reference. The result is
inert wherever it lands (a Markdown heading, link label or table cell, a `markdown` block, raw HTML
text or an attribute value), so the pages can mix our own Markdown (headings with `{: #id }`, links
MkDocs checks, tables) with source text without either being able to change the other. Markup in
the render modules is only ever our own; the HTML templates (`templates.py`) escape the same way.

The one text that is not page content is the page title in the front matter: MkDocs never reads it
as Markdown but hands it to the theme's templates and the search index, both HTML, so it is
HTML-escaped (`text.esc`); character references there would split the search index's title words.
"""

from __future__ import annotations

import json

from ..text import esc, inert

SITE_TITLE = "China–Russia Research Dossier"


def front_matter(title: str, tags: tuple[str, ...] = (), extra: dict | None = None) -> str:
    """YAML front matter; the title is HTML-escaped (see the module docstring)."""
    lines = ["---", f"title: {json.dumps(esc(title), ensure_ascii=False)}"]
    if tags:
        lines.append("tags:")
        lines += [f"  - {t}" for t in tags]
    for key, value in (extra or {}).items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines + ["---", ""])


def code(text: str) -> str:
    """Inline code as raw HTML (a Markdown code span would show entities literally)."""
    return f"<code>{inert(text)}</code>"
