"""Reference-manager exports at the site root: `references.bib`, `references.ris`, `references.json` (CSL-JSON).

One entry per source, keyed by the source id, naming the original: its public URL and access date
where known (Zotero reads them from RIS `UR`/`Y2` and CSL-JSON `URL`/`accessed`). Facts that are not
known are left out, never invented. With a public site address, each entry's note gives the
source's address in the dossier (`Dossier copy: …`); without one, there is no note.
"""

from __future__ import annotations

import json
import re

from ...model import Dossier, Source
from ..addresses import REFERENCES, permalink, source_page, url
from ..cite import Name, full_title, inverted, names, original_url
from ..kind import Context, PageKind

BIB_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_BIB_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}", "&": r"\&",
                "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_BIB_RE = re.compile("|".join(re.escape(c) for c in _BIB_SPECIAL))


def dossier_note(source: Source, site_url: str | None) -> str | None:
    """`Dossier copy: <address of the source's page>`, or None without a public site address."""
    address = permalink(site_url, url(source_page(source.id)))
    return f"Dossier copy: {address}" if address else None


# --- BibTeX -----------------------------------------------------------------------------------------

def bib_text(text: str) -> str:
    """A BibTeX field value: LaTeX specials escaped, whitespace collapsed (Unicode kept: BibTeX files are UTF-8).

    Braces become `\\textbraceleft{}`/`\\textbraceright{}`: BibTeX counts `\\{` as a brace too, so a lone
    one would end the field early or swallow the rest of the file.
    """
    return _BIB_RE.sub(lambda m: _BIB_SPECIAL[m.group(0)], " ".join(text.split()))


def bib_name(n: Name) -> str:
    """`Gabuev, Alexander`; an organisation in braces so it is not split into first and last names."""
    if n.organisation or not n.given:
        return "{" + bib_text(n.full) + "}"
    return f"{bib_text(n.family)}, {bib_text(n.suffix) + ', ' if n.suffix else ''}{bib_text(n.given)}"


def bib_url(url: str) -> str:
    """URLs go in verbatim (biblatex reads `url` verbatim); only braces would break the entry."""
    return url.replace("{", "%7B").replace("}", "%7D")


def bibtex_entry(source: Source, site_url: str | None) -> str:
    fields: list[tuple[str, str]] = [("author", "{" + " and ".join(bib_name(n) for n in names(source)) + "}")]
    title = full_title(source)
    if title:
        fields.append(("title", "{" + bib_text(title) + "}"))
    fields.append(("publisher", "{" + bib_text(source.publisher) + "}"))
    if source.date:
        y, m, _ = source.date.split("-")
        fields += [("year", "{" + y + "}"), ("month", BIB_MONTHS[int(m) - 1]), ("date", "{" + source.date + "}")]
    if link := original_url(source):
        fields.append(("url", "{" + bib_url(link) + "}"))
    if source.accessed:
        fields.append(("urldate", "{" + source.accessed + "}"))
    if note := dossier_note(source, site_url):
        fields.append(("note", "{" + bib_text(note) + "}"))
    body = ",\n".join(f"  {k} = {v}" for k, v in fields)
    return f"@misc{{{source.id},\n{body}\n}}\n"


def bibtex(dossier: Dossier, site_url: str | None) -> str:
    return "\n".join(bibtex_entry(seg.source, site_url) for seg in dossier.sources)


# --- RIS --------------------------------------------------------------------------------------------

def ris_line(tag: str, value: str) -> str:
    return f"{tag}  - {' '.join(value.split())}"


def ris_entry(source: Source, site_url: str | None) -> str:
    lines = [ris_line("TY", "ELEC"), ris_line("ID", source.id)]
    for n in names(source):
        lines.append(ris_line("AU", inverted(n)))
    title = full_title(source)
    if title:
        lines.append(ris_line("TI", title))
    lines.append(ris_line("PB", source.publisher))
    if source.date:
        lines += [ris_line("PY", source.date[:4]), ris_line("DA", source.date.replace("-", "/"))]
    if link := original_url(source):
        lines.append(ris_line("UR", link))
    if source.accessed:
        lines.append(ris_line("Y2", source.accessed.replace("-", "/")))
    if note := dossier_note(source, site_url):
        lines.append(ris_line("N1", note))
    lines.append("ER  - ")
    return "\n".join(lines) + "\n"


def ris(dossier: Dossier, site_url: str | None) -> str:
    return "\n".join(ris_entry(seg.source, site_url) for seg in dossier.sources)


# --- CSL-JSON ---------------------------------------------------------------------------------------

def csl_name(n: Name) -> dict:
    if n.organisation or not n.given:
        return {"literal": n.full}
    out = {"family": n.family, "given": n.given}
    if n.suffix:
        out["suffix"] = n.suffix
    return out


def csl_date(iso: str) -> dict:
    return {"date-parts": [[int(x) for x in iso.split("-")]]}


def csl_item(source: Source, site_url: str | None) -> dict:
    item: dict = {"id": source.id, "type": "webpage", "author": [csl_name(n) for n in names(source)]}
    title = full_title(source)
    if title:
        item["title"] = title
    item["publisher"] = source.publisher
    if source.date:
        item["issued"] = csl_date(source.date)
    if link := original_url(source):
        item["URL"] = link
    if source.accessed:
        item["accessed"] = csl_date(source.accessed)
    if note := dossier_note(source, site_url):
        item["note"] = note
    return item


def csl_json(dossier: Dossier, site_url: str | None) -> str:
    items = [csl_item(seg.source, site_url) for seg in dossier.sources]
    return json.dumps(items, ensure_ascii=False, indent=1) + "\n"


def exports(dossier: Dossier, site_url: str | None) -> dict[str, str]:
    """The three export files by their path in docs/."""
    bib, ris_file, csl = (location.path for location in REFERENCES)
    return {bib: bibtex(dossier, site_url), ris_file: ris(dossier, site_url), csl: csl_json(dossier, site_url)}


def render(ctx: Context):
    yield from exports(ctx.dossier, ctx.site_url).items()


KIND = PageKind("reference-manager exports", REFERENCES, render)
