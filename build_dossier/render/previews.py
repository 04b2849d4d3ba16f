"""Previews of linked passages: every link to a passage carries its target's text, on the linking page only.

A page collects the passages it links to as it writes the links (`Previews.link`), then ends with one
hidden block holding, for each of them, "Author ¶N · section" and the passage text (`Previews.block`).
The link (class `passage-link`) names its preview in `aria-describedby`: a screen reader reads the passage
as the link's description, and docs/assets/preview.js shows it in a popover on hover, focus or a first tap. So a
page carries the text of the passages it links to and no other: no site-wide data, no request. A preview holds a
long passage's first `PREVIEW_CHARS` characters (to a word's end, where a space falls in their second half) and
`…`; a page's previews are bounded (`addresses.PREVIEW_BUDGET`): links written after the block is full lead to
their passage as plain links, without a popover. Where a page shows the passage's text itself (a topic page), the
link points at that text instead (`inline_text`). Source text reaches the block only through `text.inert`
(`sic.sic_html`).
"""

from __future__ import annotations

from functools import lru_cache

from ..ids import PassageId
from ..model import Dossier, Erratum, Passage
from ..text import inert
from . import addresses
from .addresses import href, passage_link, source_page
from .sic import by_passage, sic_html
from .templates import ours


PREVIEW_CHARS = 800
"""A preview shows a passage up to this many characters, cut at the end of a word (the link opens the whole)."""
MORE = '<span class="passage-preview__more"> …</span>'


def excerpt(passage: Passage, errata: tuple[Erratum, ...]) -> str:
    """A passage's text for its preview, as inert HTML with its slips marked: whole, or its start and `…`."""
    text = passage.text
    if len(text) <= PREVIEW_CHARS:
        return sic_html(text, errata)
    cut = max(text.rfind(" ", 0, PREVIEW_CHARS + 1), text.rfind("\n", 0, PREVIEW_CHARS + 1))
    start = text[:cut if cut > PREVIEW_CHARS // 2 else PREVIEW_CHARS].rstrip()
    return sic_html(start, errata, at=0) + MORE


def preview_id(passage: str) -> str:
    """The HTML id of a passage's preview on a page that links to it (`pv-lo-cepa-2024-p7`)."""
    return f"pv-{PassageId.parse(passage)}"


def described(passage: str, preview: bool = True) -> str:
    """` aria-describedby="pv-…"`: the attribute naming a link's preview, if it has one."""
    return f' aria-describedby="{preview_id(passage)}"' if preview else ""


def link_attrs(passage: str, relation: str = "", preview: bool = True) -> str:
    """attr_list attributes of a link to a passage: its preview (if it has one), the relation it states (our own words)."""
    rel = f' data-relation="{relation}"' if relation else ""
    return f'{{: .passage-link{described(passage, preview)}{rel} }}'


def head(passage: Passage, label: str) -> str:
    """`Lo ¶7 · Section title` as inert HTML (`label`: the passage's author, `Lo`)."""
    where = f" · {inert(passage.section.title)}" if passage.section else ""
    return f"{inert(label)} ¶{passage.n}{where}"


def inline_text(passage: Passage, labels: dict[str, str], errata: tuple[Erratum, ...] = ()) -> str:
    """A passage's text shown on the page (a topic page), also the preview of the links to it (its head hidden)."""
    return (f'<div class="passage-preview" id="{preview_id(passage.id)}">'
            f'<p class="passage-preview__head" hidden>{head(passage, labels.get(passage.source, passage.source))}</p>'
            f'<p class="passage-text" data-search-exclude="">{sic_html(passage.text, errata)}</p></div>')


@lru_cache(maxsize=1 << 14)  # the same on every page that links to the passage (at 300 sources, 5 pages a passage)
def preview(passage: Passage, label: str, errata: tuple[Erratum, ...]) -> str:
    """Raw HTML of a passage's hidden preview, "Author ¶N · section" (`label`: the author's) and its text."""
    return (f'<div class="passage-preview" id="{preview_id(passage.id)}">'
            f'<p class="passage-preview__head">{head(passage, label)}</p>'
            f'<p class="passage-preview__text">{excerpt(passage, errata)}</p></div>')


class Previews:
    """The passages one page links to, collected as its links are written; `block()` holds their previews."""

    def __init__(self, dossier: Dossier, page: str, passages: dict[str, Passage] | None = None,
                 slips: dict[str, tuple[Erratum, ...]] | None = None):
        self.page, self.labels = page, dossier.labels
        self.passages = passages if passages is not None else {p.id: p for p in dossier.passages()}
        self.slips = slips if slips is not None else by_passage(dossier.errata)
        self.linked: dict[str, str] = {}
        """Passage id -> its preview's HTML, in first-link order."""
        self.used = 0

    def previewed(self, passage: str) -> bool:
        """True if the link to `passage` has a preview: it has one already, or it fits in what is left of the budget."""
        if passage in self.linked:
            return True
        html = self.preview(passage)
        size = len(html.encode("utf-8"))
        if self.used + size > addresses.PREVIEW_BUDGET:
            return False
        self.linked[passage] = html
        self.used += size
        return True

    def link(self, label: str, passage: str, relation: str = "") -> str:
        """A Markdown link to `passage` labelled `label` (Markdown, already inert), with its preview if it fits."""
        attrs = link_attrs(passage, relation, self.previewed(passage))
        return f"[{label}]({passage_link(self.page, PassageId.parse(passage))}){attrs}"

    def html_link(self, label: str, passage: str) -> str:
        """The same link as raw HTML (in a table of our own markup), `label` already inert."""
        pid = PassageId.parse(passage)
        return (f'<a class="passage-link" href="{ours(href(self.page, source_page(pid.source), pid.anchor))}"'
                f'{described(passage, self.previewed(passage))}>{label}</a>')

    def preview(self, pid: str) -> str:
        """Raw HTML of one passage's hidden preview: "Author ¶N · section" and its text."""
        passage = self.passages[pid]
        return preview(passage, self.labels.get(passage.source, passage.source), self.slips.get(pid, ()))

    def block(self) -> str:
        """Raw HTML for the end of the page: the hidden previews of every passage linked, in first-link order."""
        if not self.linked:
            return ""
        items = list(self.linked.values())
        return '\n<div class="passage-previews" hidden data-search-exclude="">\n' + "\n".join(items) + "\n</div>\n"
