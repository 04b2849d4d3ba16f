"""Where every generated file goes in docs/, and the URL of every page and passage: built and parsed only here.

Page paths are relative to docs/ (`sources/lo-cepa-2024.md`); the site serves each page at the same
path with `.html` (`use_directory_urls: false`), and a passage at its page's URL with the passage's
anchor (`sources/lo-cepa-2024.html#p7`). Links between pages are relative Markdown links to the
`.md` path, written from the linking page up to the docs/ root and down again (`../sources/x.md#p7`
from any page one folder deep), which MkDocs checks and turns into `.html` links.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import lru_cache

from ..ids import PassageId, SourceId
from ..model import TOPICS as TOPICS_LIST


@dataclass(frozen=True)
class Location:
    """A path in docs/ that the build owns: one generated file, or a folder of generated pages."""

    path: str
    """`figures.md`, or a folder with a trailing slash: `sources/`."""
    nav: bool = True
    """Whether its pages appear in the site navigation (for a folder: the pages in it)."""

    @property
    def folder(self) -> bool:
        return self.path.endswith("/")


PAGE_BUDGET = 120_000
"""Most bytes of Markdown a generated page that lists the whole corpus holds: beyond it, the page becomes an
overview and numbered parts (`part_page`), so no built page grows with the number of sources (≤ 300 kB of HTML)."""

PREVIEW_BUDGET = 64_000
"""Most bytes of HTML of the previews one page carries (`previews.Previews`): a link written once they are full
leads to its passage without a popover, so however many passages a page links to, they add at most this much."""

HOME = Location("index.md")
SOURCES = Location("sources/", nav=False)
"""One page per source: in the navigation only as grouped by `publish/nav.py` (pruned: a page lists its own group)."""
SOURCES_INDEX = Location("sources/index.md")
"""The sources index: the citation facts of every source as a sortable table (its first part)."""
SOURCES_PARTS = Location("sources/list/", nav=False)
"""The further parts of the sources index (`sources/list/2.md`…), when it has more rows than a page holds."""
TOPICS = Location("topics/")
DEBATES_INDEX = Location("debates/index.md")
DEBATES = Location("debates/", nav=False)
"""One page per debate: listed on the debates index, not in the navigation."""
DEBATES_PARTS = Location("debates/list/", nav=False)
"""The further parts of the debates index's table (`debates/list/2.md`…), when it has more rows than a page holds."""
CLEANING = Location("reports/cleaning.md")
FIGURES = Location("figures.md")
MEASURES = Location("figures/", nav=False)
"""The Figures page's own pages: one per measure (`figures/<id>.md`, in parts if long), and the figures no measure
took (`figures/other.md`, in parts of `OTHER_PER_PART` sources)."""
OTHER_FIGURES = f"{MEASURES.path}other.md"
"""The figures no measure took (an overview of parts when there are more than `OTHER_PER_PART` sources)."""
OTHER_PER_PART = 15
"""Sources per part of the figures no measure took, when there are more."""
CHARTS = Location("charts/", nav=False)
"""The Figures page's charts, one SVG per measure that two or more sources state."""
TIMELINE = Location("timeline.md")
DOSSIER_JSON = Location("dossier.json")
CITE = Location("cite.md")
EXPORTS = (("references.bib", "BibTeX"), ("references.ris", "RIS"), ("references.json", "CSL-JSON"))
"""The reference-manager exports at the site root, with their formats."""
REFERENCES = tuple(Location(path) for path, _ in EXPORTS)


def parts(page: Location) -> Location:
    """The folder of a split page's parts (`topics/trade.md` -> `topics/trade/`), out of the navigation."""
    return Location(page.path[:-3] + "/", nav=False)


TOPIC_PARTS = tuple(parts(Location(f"{TOPICS.path}{t}.md")) for t in TOPICS_LIST)
CLEANING_PARTS = parts(CLEANING)
CITE_PARTS = parts(CITE)
TIMELINE_PARTS = parts(TIMELINE)


def part_page(page: str, k: int) -> str:
    """The k-th part (from 1) of a page split in parts: `topics/trade.md` -> `topics/trade/1.md`."""
    if k < 1:
        raise ValueError(f"parts are numbered from 1, not {k}")
    return f"{page[:-3]}/{k}.md"


def source_page(source: str) -> str:
    """`sources/<id>.md`: a source's page."""
    return f"{SOURCES.path}{SourceId(source)}.md"


def topic_page(topic: str) -> str:
    """`topics/<topic>.md`: a topic's page."""
    return f"{TOPICS.path}{topic}.md"


def debate_page(debate: str) -> str:
    """`debates/<debate id>.md`: a debate's page."""
    return f"{DEBATES.path}{debate}.md"


def measure_anchor(measure: str) -> str:
    """The id of a measure's heading on its page (`m-border-length`)."""
    return f"m-{measure}"


def measure_page(measure: str) -> str:
    """`figures/<measure id>.md`: a measure's values compared across the sources."""
    return f"{MEASURES.path}{measure}.md"


def other_figures_page(index: int, sources: int) -> str:
    """The page with the figures no measure took of the `index`-th of `sources` sources (from 0)."""
    return OTHER_FIGURES if sources <= OTHER_PER_PART else part_page(OTHER_FIGURES, index // OTHER_PER_PART + 1)


def other_figures_anchor(source: str) -> str:
    """The id of the section of the Figures page with a source's figures no measure took (`other-lo-cepa-2024`)."""
    return f"other-{SourceId(source)}"


def chart_path(measure: str) -> str:
    """`charts/<measure id>.svg`: a measure's chart."""
    return f"{CHARTS.path}{measure}.svg"


def event_anchor(event: str) -> str:
    """The id of an event's entry on the Timeline page or its part (the event id itself: `ev-…`); which page holds
    it: `render.timeline.layout`."""
    return event


def url(page: str, anchor: str = "") -> str:
    """The site-relative URL of a generated file (`sources/x.md` -> `sources/x.html`), with `#anchor` if given."""
    served = page[:-3] + ".html" if page.endswith(".md") else page
    return served + (f"#{anchor}" if anchor else "")


def passage_url(passage: PassageId) -> str:
    """`sources/<id>.html#p<N>`: a passage's permanent address in the site."""
    return url(source_page(passage.source), passage.anchor)


def parse_passage_url(address: str) -> PassageId:
    """The passage a site-relative passage address (`sources/<id>.html#p<N>`) points to; ValueError if none."""
    page, _, anchor = address.partition("#")
    folder, name = posixpath.split(page)
    if folder + "/" != SOURCES.path or not name.endswith(".html") or not anchor.startswith("p"):
        raise ValueError(f"{address!r} is not a passage address: write sources/<id>.html#p<N>.")
    passage = PassageId.parse(f"{name[:-5]}-{anchor}")
    if passage_url(passage) != address:
        raise ValueError(f"{address!r} is not a passage address: write sources/<id>.html#p<N>.")
    return passage


def list_page(first: Location, parts: Location, number: int) -> str:
    """The path of part `number` (from 1) of a list paged over `first` and the folder `parts` (`debates/list/2.md`)."""
    return first.path if number == 1 else f"{parts.path}{number}.md"


def href(start: str, page: str, anchor: str = "", query: str = "") -> str:
    """A relative URL from the page `start` to `page` as served (`.html`), for raw HTML; `query` without its `?`.

    The shortest one, as MkDocs writes the links it converts: `allies.html` from `debates/index.md`."""
    relative = _relative(url(page), posixpath.dirname(start) or ".")
    return relative + (f"?{query}" if query else "") + (f"#{anchor}" if anchor else "")


@lru_cache(maxsize=1 << 14)  # a page links to the same few pages again and again; relpath is slow (it asks for the cwd)
def _relative(path: str, folder: str) -> str:
    """`path` relative to `folder`, both relative to docs/."""
    return posixpath.relpath(path, folder)


def link(start: str, page: str, anchor: str = "") -> str:
    """A relative Markdown link from the page `start` to `page` (both paths in docs/), with `#anchor` if given."""
    return "../" * start.count("/") + page + (f"#{anchor}" if anchor else "")


def passage_link(start: str, passage: PassageId) -> str:
    """A relative Markdown link from the page `start` to a passage."""
    return link(start, source_page(passage.source), passage.anchor)


def absolute(site_url: str | None, path: str) -> str:
    """A site-relative address (`sources/x.html#p5`) made absolute with the configured site address."""
    if not site_url:
        return path
    return site_url.rstrip("/") + "/" + path.lstrip("/")


def permalink(site_url: str | None, path: str) -> str | None:
    """The absolute address of `path` on the published site; None without a public site address (`Context.site_url`)."""
    return absolute(site_url, path) if site_url else None
