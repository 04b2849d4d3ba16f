"""The How to cite page: the addresses and their stability, the exports, and every source's citations."""

from __future__ import annotations

from ...ids import PassageId
from ...model import Dossier
from ...text import inert
from ..addresses import CITE, DEBATES_INDEX, EXPORTS, absolute, link, passage_url, source_page, url
from ..citations import cite_list
from ..citations import link as link_out
from ..kind import Context, PageKind
from ..markdown import code, front_matter

PAGE = CITE.path


def cite_page(dossier: Dossier, site_url: str | None) -> str:
    """How to cite: the addresses, their stability, the exports, and every source's citations."""
    example = PassageId(dossier.sources[0].source.id if dossier.sources else "lo-cepa-2024", 5)
    base = site_url or ""
    parts = [front_matter("How to cite"), "# How to cite\n",
             "Every source and every passage of the dossier has a permanent address and a ready citation. "
             "Under each passage, **Cite ¶N** opens its citation in Chicago (notes-bibliography, 17th ed.) and APA "
             "(7th ed.) style, each with a Copy button; where the original's web address is known, **Open in the "
             "original** opens the original page scrolled to the passage (a URL text fragment, supported by "
             "Chromium-based browsers and Safari; others open the page at the top). Each source page starts with "
             "the source's full citation.\n",
             "## Addresses {: #addresses }\n",
             "| What | Address | Example |", "| --- | --- | --- |",
             f"| Source page | `sources/<id>.html` | {code(absolute(base, url(source_page(example.source))))} |",
             f"| Passage | `sources/<id>.html#p<N>` | {code(absolute(base, passage_url(example)))} |",
             f"| Passage id (in `dossier.json`, `build-dossier explain`) | `<id>-p<N>` | {code(example)} |",
             f"| Debate | `debates/<debate id>.html` | see [Debates]({link(PAGE, DEBATES_INDEX.path)}) |" if dossier.claims else "",
             "",
             "`<id>` is the source's id (its file name in `sources/` without `.md`); **¶N** is the N-th passage — "
             "paragraph or bullet item, headings not counted — of the source in reading order. In citations, "
             "¶N is written `para. N`. "
             + (f"Absolute addresses use the site address {code(site_url or '')} (`site_url` in `mkdocs.yml`, "
                "or the `DOSSIER_SITE_URL` environment variable at build time).\n" if site_url else
                "The site has no `site_url` in `mkdocs.yml`, so addresses are given relative to the site root.\n"),
             "**Stability.** A passage's number depends only on its own source's text: adding or removing another "
             "source, rebuilding, or changing the tagger never changes it. Only an edit of the source's text can. "
             "`sources/passages.lock` records a fingerprint (SHA-256 of the text, and the opening words) of every "
             "passage; `build-dossier check` and `build-dossier build` name every passage whose text changed "
             "(\"¶N of X changed: citations to it may be stale\") or moved (\"¶N of X now reads as ¶M\"). "
             "`build-dossier build` adds new sources to the lock; `build-dossier lock` accepts edits.\n",
             "## Exports {: #exports }\n",
             "One entry per source, keyed by the source id; facts that are not known (a date, a web address) are "
             "left out, never invented. Each entry's note gives its address in this dossier.\n"]
    parts += [f"- [`{path}`]({link(PAGE, path)}) — {fmt}" for path, fmt in EXPORTS]
    parts += ["", "## Style notes {: #styles }\n",
              "Titles keep the capitalisation and punctuation of the captured text (APA asks for sentence case; "
              "changing case automatically would corrupt proper nouns, so adjust by hand if your style needs it). "
              "An unknown date is written *n.d.*, an unknown title as a description (*untitled article*), and an "
              "unknown web address or access date is left out. The passage citations give the dossier's permalink, "
              "because the paragraph numbers are the dossier's; the source citations give the original's address "
              "where it is known.\n",
              "## Sources {: #sources }\n"]
    for seg in dossier.sources:
        s = seg.source
        parts.append(f"### {inert(dossier.label(s.id))}: {inert(s.display_title)} {{: #{s.id} }}\n")
        parts.append(cite_list(s) + "\n")
        where = [f"Key {code(s.id)}", f"[{len(seg.passages)} passages]({link(PAGE, source_page(s.id))})",
                 f"dossier address {code(absolute(base, url(source_page(s.id))))}"]
        if s.url:
            where.append(f"original {link_out(s.url)}")
        parts.append(" · ".join(where) + "\n")
    return "\n".join(parts)


def render(ctx: Context):
    yield PAGE, cite_page(ctx.dossier, ctx.site_url)


KIND = PageKind("How to cite", (CITE,), render)
