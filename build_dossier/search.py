"""Search index: the built site indexed with Pagefind, every passage a result of its own.

A post-build step (`index_site`), run by `build` on the staged site after MkDocs and before the swap.
Pagefind gives one result per indexed page and keeps filters per page, so each passage is written, from
the model, as a small HTML record of its own (its text as the only searchable content; its label, section
and address as metadata; its source, author, topics and kind as filters) into a scratch folder, and indexed
together with the built pages that are results too: debates, topic pages, the Figures page and the help
pages. Which of those a page is, and its filters, the page states in its front matter (`search_facets`),
and the theme's `main.html` writes them as Pagefind attributes; source pages are not indexed whole (their
passages are, one by one, and a record per source holds its citation). The records are not shipped: the
index holds their text, and the search box links each result to the passage's own address.

Material's search (lunr) is the engine of builds that cannot use Pagefind — `build --offline` (Pagefind
cannot run from file://), `mkdocs serve` and a plain `mkdocs build` — and is switched off in the hosted
build (`MATERIAL_SEARCH_ENV`), so that build does not ship its single large index too.
"""

from __future__ import annotations

import asyncio
import html
import shutil
from pathlib import Path

from .errors import DossierError, Problem
from .facets import source_filters
from .model import Dossier, Passage, Source
from .render import page_url, passage_url, source_page_path

MATERIAL_SEARCH_ENV = "DOSSIER_MATERIAL_SEARCH"
"""Environment variable read by mkdocs.yml: `false` turns Material's search plugin off (the hosted build)."""
INDEX_DIR = "pagefind"
"""Where the index goes in the site."""
IGNORED = ("[data-search-exclude]", ".headerlink", ".md-tags")
"""What is never searchable on an indexed page: what Material's search skips too, and heading permalinks, tag chips."""


def _attr(key: str, value: str) -> str:
    return html.escape(f"{key}:{' '.join(value.split())}", quote=True)


def _record(body: str, meta: dict[str, str], filters: list[tuple[str, str]]) -> str:
    """One record page: searchable `body` (already escaped HTML), metadata and filters as inline attributes."""
    tags = [f'<span data-pagefind-meta="{_attr(k, v)}"></span>' for k, v in meta.items() if v]
    tags += [f'<span data-pagefind-filter="{_attr(k, v)}"></span>' for k, v in filters]
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"></head><body>\n'
            f"<main data-pagefind-body>{body}</main>\n" + "\n".join(tags) + "\n</body></html>\n")


def _source_filters(source: Source, label: str) -> list[tuple[str, str]]:
    return [(key, v) for key, values in source_filters((source,), {source.id: label}).items() for v in values]


def passage_record(p: Passage, source: Source, label: str) -> str:
    """A passage as a search record: its exact text, "Label ¶N", its section and address, its facets."""
    meta = {"title": f"{label} ¶{p.n}", "section": p.section.title if p.section else "",
            "target": passage_url(p)}
    filters = [("kind", "passage")] + _source_filters(source, label) + [("topic", t) for t in p.topics]
    return _record(f"<p>{html.escape(p.text)}</p>", meta, filters)


def source_record(source: Source, label: str) -> str:
    """A source's citation as a search record (title, subtitle, authors, publisher), linking to its page."""
    lines = [source.display_title, source.subtitle or "", ", ".join(source.authors), source.publisher,
             source.date or ""]
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines if line)
    meta = {"title": f"{label}: {source.display_title}", "target": page_url(source_page_path(source.id))}
    return _record(body, meta, [("kind", "source")] + _source_filters(source, label))


def records(dossier: Dossier) -> dict[str, str]:
    """Every record page, by path in the scratch folder: one per passage, one per source."""
    out = {}
    for seg in dossier.sources:
        s = seg.source
        label = dossier.label(s.id)
        out[f"sources/{s.id}/index.html"] = source_record(s, label)
        for p in seg.passages:
            out[f"sources/{s.id}/{p.anchor}.html"] = passage_record(p, s, label)
    return out


async def _index(site: Path, scratch: Path) -> int:
    from pagefind.index import IndexConfig, PagefindIndex

    config = IndexConfig(output_path=str(site / INDEX_DIR), force_language="en", exclude_selectors=list(IGNORED))
    async with PagefindIndex(config) as index:
        pages = (await index.add_directory(str(scratch)))["page_count"]
        pages += (await index.add_directory(str(site)))["page_count"]
    return pages


def index_site(dossier: Dossier, site: Path, scratch: Path) -> int:
    """Index the built `site` and the dossier's records into `site/pagefind/`; the number of results indexed.

    `scratch` is a folder of the build's own (it is emptied, used and removed).
    """
    shutil.rmtree(scratch, ignore_errors=True)
    for rel, text in records(dossier).items():
        (scratch / rel).parent.mkdir(parents=True, exist_ok=True)
        (scratch / rel).write_text(text, encoding="utf-8")
    try:
        return asyncio.run(_index(site, scratch))
    except Exception as exc:  # the wrapper raises bare Exception for whatever its binary reports
        raise DossierError([Problem("site/", "", f"Pagefind could not index the site: {exc}",
                                    "check that `pagefind[bin]` is installed (pip install -e .), then build again.")]) from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
