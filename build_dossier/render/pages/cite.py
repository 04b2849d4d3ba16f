"""The How to cite page: the addresses and their stability, the exports, and every source's citations."""

from __future__ import annotations

from ...ids import PassageId
from ...model import Dossier, Segmented
from ...text import inert
from ..addresses import CITE, CITE_PARTS, DEBATES_INDEX, EXPORTS, absolute, link, part_page, passage_url, source_page, url
from ..cite import original_url
from ..citations import cite_list, page_bibliography
from ..citations import link as link_out
from ..kind import Context, PageKind
from ..markdown import code, front_matter
from ..parts import Section, fits, split

PAGE = CITE.path


def cite_page(dossier: Dossier, site_url: str | None) -> tuple[str, list[tuple[str, str]]]:
    """How to cite: the addresses, their stability, the exports, and every source's citations (in parts beyond
    the page budget: then also the parts' files)."""
    sources = {seg.source.id: seg.source for seg in dossier.sources}
    example = PassageId(dossier.sources[0].source.id if dossier.sources else "lo-cepa-2024", 5)
    base = site_url or ""
    parts = [front_matter("How to cite"), "# How to cite\n",
             "Every source and every passage of the dossier has a permanent address and ready citations of the "
             "original article. Under each passage, **Cite ¶N** opens its citations in Chicago (notes-bibliography, "
             "17th ed.) and APA (7th ed.) style — the note with the paragraph number, the bibliography entry, the "
             "APA reference and in-text citation — each with a Copy button. Where the original's web address is "
             "known, the citations give it, and a variant of the note links the passage itself: a URL text fragment "
             "that opens the original scrolled to the passage (Chromium-based browsers and Safari; others open the "
             "page at the top), offered only where the passage's opening words occur once in the captured text. "
             "**Open in the original** follows the same link. Each source page starts with the source's "
             "citations; each debate has **Cite this debate** (a note for each position), each figure on the "
             "Figures page a **Cite** box for its passage, and every page that cites sources ends with **Copy all "
             "citations on this page**: the Chicago bibliography and APA reference list of its sources.\n",
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
                "This build has no public site address (`site_url` in `mkdocs.yml`, or `DOSSIER_SITE_URL` at build "
                "time, unset or local), so addresses are given relative to the site root and citations give no "
                "dossier copy.\n"),
             "**Stability.** A passage's number depends only on its own source's text: adding or removing another "
             "source, rebuilding, or changing the tagger never changes it. Only an edit of the source's text can. "
             "`sources/passages.lock` records a fingerprint (SHA-256 of the text, and the opening words) of every "
             "passage; `build-dossier check` and `build-dossier build` name every passage whose text changed "
             "(\"¶N of X changed: citations to it may be stale\") or moved (\"¶N of X now reads as ¶M\"). "
             "`build-dossier build` adds new sources to the lock; `build-dossier lock` accepts edits.\n",
             "## Exports {: #exports }\n",
             "One entry per source, keyed by the source id, naming the original: its web address and access date "
             "where known (RIS `UR` and `Y2`, CSL-JSON `URL` and `accessed`, BibTeX `url` and `urldate`, as Zotero "
             "reads them); facts that are not known (a date, a web address) are left out, never invented. "
             + ("Each entry's note gives its address in this dossier (`Dossier copy: …`).\n" if site_url else
                "Without a public site address the entries carry no address of this dossier.\n")]
    parts += [f"- [`{path}`]({link(PAGE, path)}) — {fmt}" for path, fmt in EXPORTS]
    parts += ["", "## Style notes {: #styles }\n",
              "Titles keep the capitalisation and punctuation of the captured text (APA asks for sentence case; "
              "changing case automatically would corrupt proper nouns, so adjust by hand if your style needs it). "
              "An unknown date is written *n.d.*, an unknown title as a bracketed description (*[untitled "
              "article]*), and an unknown web address or access date is left out, as the styles cite works "
              "without them; an address on record that is local (this computer or a private network) is never "
              "cited. Citations name the original article; the paragraph numbers (*para. N*) are this dossier's count "
              "of the original's paragraphs and bullet items in reading order, as captured (headings and page chrome "
              "not counted), which a reader of the original can count too; the note linking the passage pins it in "
              "the original itself. The dossier's own copy is a second, optional part, "
              "*Dossier copy: …*, offered only when the site has a public address. Slips in the originals marked "
              "in `sources/errata.yaml` keep their wording and get *[sic]* in the quotes the dossier shows.\n",
              "## Sources {: #sources }\n"]
    entries = [source_entry(seg, dossier, base, part_page(PAGE, 1)) for seg in dossier.sources]
    if fits(entries):
        entries = [source_entry(seg, dossier, base, PAGE) for seg in dossier.sources]
        return "\n".join(parts + entries + [page_bibliography(seg.source for seg in dossier.sources)]), []
    cut = split(PAGE, "How to cite", [Section(seg.source.id, inert(dossier.label(seg.source.id)), text)
                                      for seg, text in zip(dossier.sources, entries)],
                lambda part: page_bibliography(sources[s.key] for s in part))
    parts += [f"The citations of all {len(dossier.sources)} sources, in {len(cut.files)} parts:\n", cut.contents]
    return "\n".join(parts), cut.files


def source_entry(seg: Segmented, dossier: Dossier, base: str, page: str) -> str:
    """One source's citations in every form, its key and addresses, for `page`."""
    s = seg.source
    where = [f"Key {code(s.id)}", f"[{len(seg.passages)} passages]({link(page, source_page(s.id))})",
             f"dossier address {code(absolute(base, url(source_page(s.id))))}"]
    if original_url(s):
        where.append(f"original {link_out(original_url(s))}")
    return "\n".join([f"### {inert(dossier.label(s.id))}: {inert(s.display_title)} {{: #{s.id} }}\n",
                      cite_list(s) + "\n", " · ".join(where) + "\n"])


def render(ctx: Context):
    page, parts = cite_page(ctx.dossier, ctx.site_url)
    yield PAGE, page
    yield from parts


KIND = PageKind("How to cite", (CITE, CITE_PARTS), render)
