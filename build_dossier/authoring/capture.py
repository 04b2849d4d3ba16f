"""Reading an article to import: bytes -> text -> its body and the metadata it states.

A saved web page is read with trafilatura (article text and metadata, page chrome left behind);
a `.txt` is kept as it is; a `.md` is rendered to its text (no link or emphasis markup), and its
front matter gives metadata.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import markdown
import webencodings
from lxml import html as lxml_html

from ..analyse.segment import MD_HEADING_RE
from ..errors import DossierError, Problem, fail_on
from ..ingest.load import CONTROL_FIX, SOURCE_FIELDS, split_front_matter
from ..ingest.readfile import MAX_BYTES, read_bytes
from ..ingest.schema import unshowable_lines
from ..ingest.yamlio import load_yaml
from .pagekind import doubts, measure
from .sitename import find_publisher


KINDS = {".html": "html", ".htm": "html", ".txt": "text", ".md": "markdown", ".markdown": "markdown"}
"""Input file suffix -> how it is read."""
MAX_TEXT_BYTES = MAX_BYTES
"""Largest .txt or .md read (as for a source file)."""
MAX_HTML_BYTES = 64 * 1024 * 1024
"""Saved pages carry scripts and inline images, so they may be much larger than the text they hold."""
ALIASES = {"author": "authors", "published": "date", "source": "url", "link": "url", "site_name": "publisher",
           "sitename": "publisher", "site": "publisher"}
"""Front-matter keys of common Markdown clippers, read as the dossier's keys."""
WHAT = {"html": "the saved page", "web": "the fetched page", "text": "the text file", "markdown": "the Markdown file"}
"""How notes and messages name the input, by kind."""
FROM = {"html": "the page", "web": "the page", "text": "the text file", "markdown": "the front matter"}
"""Where a value stated in the input was found, by kind."""
CHARSET_RE = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
SAVED_FROM_RE = re.compile(r"<!--\s*saved from url=\(\d+\)(https?://[^\s>]+?)\s*-->", re.IGNORECASE)
"""The note browsers put at the top of a page saved with "Save page as"."""
SINGLEFILE_RE = re.compile(r"<!--\s*Page saved with SingleFile\s+url:\s*(https?://\S+)\s+saved date:\s*"
                           r"\w{3} (\w{3}) (\d{1,2}) (\d{4})", re.IGNORECASE)
"""The note the SingleFile extension puts at the top of a saved page: address and day of saving."""


@dataclass(frozen=True)
class Capture:
    """What an input file holds: the article text and the metadata it states."""

    kind: str
    """`html`, `web` (a fetched page), `text` or `markdown` (how the input was read)."""
    format: str
    """`format` of the written source: `markdown` (explicit `#` headings) or `text`."""
    body: str
    """The article text to write."""
    headline: str | None
    """A leading top-level heading; dropped from the body when it is the title."""
    meta: dict
    """Front-matter key -> value stated in the file."""
    notes: dict
    """Front-matter key -> note stated in the file (for unknown values)."""
    ignored: tuple[str, ...] = ()
    """Keys of the file's front matter that the dossier does not use."""
    origins: tuple[tuple[str, str], ...] = ()
    """Key -> where in the file its value was found, where that is not the usual place."""
    doubts: tuple[str, ...] = ()
    """Why a saved page does not look like an article (pagekind.py); `add` refuses it unless forced."""


DECLARED = "declared in the page"
"""How a charset named in the page's own `<meta>` is described (and told from an --encoding option)."""
SERVED = "sent by the server"
"""How the charset of a fetched page's Content-Type is described; read, like DECLARED, as a WHATWG label."""


def _codec(name: str, how: str, file: str, line: int | None) -> codecs.CodecInfo:
    """The decoder for `name`: a page's own declaration is read as a browser reads it (a WHATWG label), any
    other name as a Python text encoding; codecs that are not text encodings (base64, hex, rot13…) are refused."""
    if how in (DECLARED, SERVED):
        found = webencodings.lookup(name)
        if found is None or found.name == "replacement":  # `replacement`: labels browsers refuse to decode
            who = "page" if how == DECLARED else "server"
            raise DossierError([Problem(file, "", f"the {who} declares the charset {name!r}, which is not an encoding "
                                        "web pages can be written in.", "pass --encoding NAME with the page's real "
                                        "encoding (most pages are utf-8), or correct its <meta charset>.", line)])
        return found.codec_info
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise DossierError([Problem(file, "", f"the text encoding {name!r} ({how}) is not known.",
                                    "pass --encoding with a Python codec name, e.g. utf-8 or cp1252.")]) from None
    if not getattr(info, "_is_text_encoding", True):  # the flag by which bytes.decode refuses base64, hex, rot13…
        raise DossierError([Problem(file, "", f"{name!r} ({how}) is not a text encoding but a transformation such as "
                                    "base64 or rot13.", "pass --encoding with the file's text encoding, e.g. utf-8 or "
                                    "cp1252.")])
    return info


def decode(data: bytes, file: str, kind: str, encoding: str | None, served: str | None = None) -> str:
    """Bytes -> text: an --encoding option, else a byte-order mark, else the charset the server sent (`served`),
    else one declared in the page (HTML), else UTF-8 — a browser's order."""
    fix = "re-save it as UTF-8, or pass --encoding NAME (e.g. --encoding cp1252) if you know its encoding."
    name, start, how, line = "utf-8", 0, "", None
    declared = CHARSET_RE.search(data[:4096]) if kind == "html" else None
    bom = next(((b, n) for b, n in BOMS if data.startswith(b)), None)
    if encoding:
        name, how = encoding, "given with --encoding"
    elif bom:
        name, start, how = bom[1], len(bom[0]), "by its byte-order mark"
    elif served:
        name, how = served, SERVED
    elif declared:
        name, how, line = declared.group(1).decode("ascii"), DECLARED, data[:declared.start()].count(b"\n") + 1
    source = f"{name} ({how})" if how else "UTF-8"
    if b"\x00" in data and not how:
        raise DossierError([Problem(file, "", "the file contains NUL characters: it is not text "
                                    "(a binary file, or UTF-16 without a byte-order mark).", fix)])
    try:
        text = _codec(name, how, file, line).decode(data[start:], "strict")[0]
    except UnicodeDecodeError as exc:
        at = start + exc.start
        line = data[:at].count(b"\n") + 1
        raise DossierError([Problem(file, "", f"the file is not valid {source}: byte 0x{data[at]:02x} at offset {at} "
                                    "cannot be decoded.", fix, line)]) from None
    except UnicodeError as exc:  # codecs such as punycode report no position
        raise DossierError([Problem(file, "", f"the file is not valid {source}: {exc}.", fix)]) from None
    if "\x00" in text:
        raise DossierError([Problem(file, "", "the file contains NUL characters: it is not text "
                                    "(a binary file, or UTF-16 without a byte-order mark).", fix)])
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _flat(element, skip: frozenset = frozenset()) -> str:
    """An element's text on one line: whitespace and line breaks are spaces; `skip` elements are left out."""
    parts: list[str] = []

    def walk(node) -> None:
        parts.append(node.text or "")
        for child in node:
            if child.tag in ("lb", "br"):
                parts.append(" ")
            elif isinstance(child.tag, str) and child.tag not in skip:
                walk(child)
            parts.append(child.tail or "")

    walk(element)
    return " ".join("".join(parts).split())


BLOCKS = frozenset({"p", "head", "list", "quote", "table", "div", "code"})
"""trafilatura's block elements; anything else inside a block is inline."""


def _md_blocks(element) -> list[str]:
    """trafilatura's XML body as Markdown blocks: `#` headings, paragraphs, `-` items (list items, table rows)."""
    blocks: list[str] = []
    for child in element:
        tag = child.tag
        if tag == "head":
            rend = child.get("rend", "")
            text = _flat(child)
            if text:
                blocks.append("#" * (int(rend[1]) if re.fullmatch(r"h[1-6]", rend) else 2) + " " + text)
        elif tag == "list":
            for item in child.iter("item"):
                if _flat(item, skip=frozenset({"list"})):
                    blocks.append("- " + _flat(item, skip=frozenset({"list"})))
        elif tag == "table":
            for row in child.iter("row"):
                cells = [_flat(cell) for cell in row.iter("cell")]
                if any(cells):
                    blocks.append("- " + " | ".join(cells))
        elif any(c.tag in BLOCKS for c in child):
            if child.text and child.text.split():
                blocks.append(" ".join(child.text.split()))
            blocks += _md_blocks(child)
        elif tag != "graphic" and _flat(child):
            blocks.append(_flat(child))
        if child.tail and child.tail.split() and element.tag != "item":
            blocks.append(" ".join(child.tail.split()))
    return blocks


HTML_LISTS = frozenset({"ul", "ol"})
HTML_SKIP = frozenset({"script", "style", "img", "hr", "figure"})
HTML_CONTAINERS = frozenset({"blockquote", "div", "section", "article", "main", "details", "aside"})


def _html_blocks(element) -> list[str]:
    """HTML (rendered Markdown) as the same blocks as a saved page's: headings, paragraphs, items."""
    blocks: list[str] = []
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if not tag or tag in HTML_SKIP:
            continue
        if re.fullmatch(r"h[1-6]", tag):
            if _flat(child):
                blocks.append("#" * int(tag[1]) + " " + _flat(child))
        elif tag in HTML_LISTS:
            blocks += ["- " + _flat(li, HTML_LISTS | HTML_SKIP) for li in child.iter("li") if _flat(li, HTML_LISTS | HTML_SKIP)]
        elif tag == "table":
            for row in child.iter("tr"):
                cells = [_flat(cell, HTML_SKIP) for cell in row if cell.tag in ("td", "th")]
                if any(cells):
                    blocks.append("- " + " | ".join(cells))
        elif tag in HTML_CONTAINERS:
            if child.text and child.text.split():
                blocks.append(" ".join(child.text.split()))
            blocks += _html_blocks(child)
        elif _flat(child, HTML_SKIP):
            blocks.append(_flat(child, HTML_SKIP))
    return blocks


def _join(blocks: list[str]) -> str:
    """Blocks as the body of a `markdown` source: blank lines between blocks, items of a list together."""
    return blocks[0] + "".join(("\n" if b.startswith("- ") and a.startswith("- ") else "\n\n") + b
                               for a, b in zip(blocks, blocks[1:])) + "\n"


def capture_html(text: str, file: str) -> Capture:
    """The article and its metadata, as trafilatura finds them in a saved page."""
    import trafilatura
    from trafilatura.settings import set_date_params

    # No extensive date search: a date found somewhere in the text is a guess, not the publication date.
    doc = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False, include_tables=True,
                                      include_images=False, include_formatting=False, include_links=False,
                                      date_extraction_params=set_date_params(False))
    blocks = _md_blocks(doc.body) if doc is not None and doc.body is not None else []
    if not any(not b.startswith("#") for b in blocks):
        raise DossierError([Problem(file, "", "no article text was found in the page.",
                                    "check that the file is the saved article (not a consent, login or index page); "
                                    "or copy the article's text into a .txt file and add that.")])
    lead = MD_HEADING_RE.match(blocks[0])
    headline = lead.group(2) if lead else None
    meta: dict = {}
    notes: dict = {}
    if doc.title:
        meta["title"] = doc.title
    if doc.author:
        meta["authors"] = [a.strip() for a in doc.author.split(";") if a.strip()]
    found = find_publisher(text, doc.sitename, (doc.title or "", headline or ""))
    if found.name:
        meta["publisher"] = found.name
    else:
        notes["publisher"] = found.origin
    for key in ("date", "url", "license"):
        if getattr(doc, key):
            meta[key] = getattr(doc, key)
    origins = (("publisher", found.origin),) * bool(found.name) + _saved_note(text[:8192], meta)
    running = [b[2:] if b.startswith("- ") else b for b in blocks if not MD_HEADING_RE.match(b)]
    return Capture("html", "markdown", _join(blocks), headline, meta, notes, (), origins, doubts(measure(text, running)))


def _saved_note(head: str, meta: dict) -> tuple[tuple[str, str], ...]:
    """Add to `meta` the address (if the page states none) and capture day from a browser's or SingleFile's
    note at the top of the page; return where they came from."""
    origins = []
    single = SINGLEFILE_RE.search(head)
    saved_from = SAVED_FROM_RE.search(head)
    if "url" not in meta and (single or saved_from):
        meta["url"] = single.group(1) if single else saved_from.group(1)
        origins.append(("url", "the saved page's note of where it was saved from"))
    if single:
        try:
            meta["accessed"] = dt.datetime.strptime(" ".join(single.group(2, 3, 4)), "%b %d %Y").date().isoformat()
            origins.append(("accessed", "the day SingleFile saved the page"))
        except ValueError:
            pass
    return tuple(origins)


def capture_text(text: str) -> Capture:
    """A plain-text article: the text as it is, read by the build's text rules."""
    return Capture("text", "text", text, None, {}, {})


MAX_NESTING = 20
"""Deepest Markdown nesting (lists and quotes) that `add` renders: real articles nest a few levels, and the
renderer recurses once per level (thousands of levels take minutes, then exhaust Python's stack)."""
NESTING_RE = re.compile(r"(?:[ \t]|>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$))*")
"""What opens a line before its text: indentation, quote markers and list markers."""
NEST_TOKEN_RE = re.compile(r"[ \t]+|>|[-*+]|\d{1,9}[.)]")


def nesting(line: str) -> int:
    """An upper bound of the nesting Markdown builds for a line: its quote and list markers, and each 4 columns
    of indentation (a nested list level) beyond the space that follows a marker."""
    depth, columns, after_marker = 0, 0, False
    for token in NEST_TOKEN_RE.findall(NESTING_RE.match(line).group()):
        if token[0] in " \t":
            columns += len(token.expandtabs(4)) - after_marker
        else:
            depth += 1
        after_marker = token[0] not in " \t"
    return depth + columns // 4


def _check_nesting(body: str, file: str, first_line: int) -> None:
    """Refuse Markdown nested deeper than MAX_NESTING, in one pass over the text, before it is rendered."""
    for n, line in enumerate(body.split("\n")):
        if (depth := nesting(line)) > MAX_NESTING:
            raise DossierError([Problem(file, "", f"the Markdown is nested {depth} levels deep (lists, quotes and "
                                        f"indentation), more than the {MAX_NESTING} levels add reads.",
                                        "flatten the lists and quotes of that line (an article nests a few levels), "
                                        "or add the text as a .txt file, which is kept as it is.", first_line + n)])


def capture_markdown(text: str, file: str) -> Capture:
    """A Markdown article, with or without front matter; a leading `# ` heading is its headline.

    Markdown is rendered, so that links, emphasis and images leave their text (or nothing), not their
    markup; the text is written back as headings, paragraphs and items, one block each.
    """
    meta: dict = {}
    notes: dict = {}
    ignored: list[str] = []
    body, fmt, body_line = text, "markdown", 1
    if text.startswith("---\n"):
        front, body, body_line, problems = split_front_matter(text, file)
        if front is None:
            raise DossierError(problems)
        doc, problems = load_yaml(front, file, offset=1)
        if doc is None:
            raise DossierError(problems)
        if not isinstance(doc.data, dict | None):
            raise DossierError([Problem(file, "", "the front matter is not a mapping of keys to values.",
                                        "write `key: value` lines between the `---` lines.", 2)])
        known = {f.name for f in SOURCE_FIELDS}
        for key, value in (doc.data or {}).items():
            name = ALIASES.get(str(key), str(key))
            if name.endswith("_note") and name[:-5] in known:
                notes[name[:-5]] = value
            elif name == "format":
                fmt = value
                if fmt not in ("text", "markdown"):
                    raise DossierError([Problem(file, "format", f"format {fmt!r} is not one of: text, markdown.",
                                                "write `format: markdown` or `format: text`.", doc.line("format"))])
            elif name in known and name not in meta:
                meta[name] = value
            else:
                ignored.append(str(key))
        meta = {k: v for k, v in meta.items() if v is not None}
    headline, origins = None, ()
    if fmt == "markdown":
        _check_nesting(body, file, body_line)
        blocks = _html_blocks(lxml_html.fragment_fromstring(markdown.markdown(body, extensions=["tables"]) or "<p></p>",
                                                             create_parent="div"))
        body = _join(blocks) if blocks else ""
        lead = MD_HEADING_RE.match(blocks[0]) if blocks else None
        if lead and len(lead.group(1)) == 1:
            headline = lead.group(2)
            if "title" not in meta:
                meta["title"], origins = headline, (("title", "its first heading"),)
    return Capture("markdown", fmt, body, headline, meta, notes, tuple(ignored), origins)


def read_input(path: Path, encoding: str | None = None) -> Capture:
    """Read one input file by its suffix; raise DossierError with a clear message if it cannot be used."""
    file = str(path)
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise DossierError([Problem(file, "", f"{path.suffix or 'a file without suffix'!r} is not a format add can read.",
                                    "give a saved web page (.html, .htm), a plain-text file (.txt) or a Markdown file (.md).")])
    data, problems = read_bytes(path, file, MAX_HTML_BYTES if kind == "html" else MAX_TEXT_BYTES, "", "save only the article.")
    if data is None:
        raise DossierError(problems)
    text = decode(data, file, kind, encoding)
    if not text.strip():
        raise DossierError([Problem(file, "", "the file is empty.", "give a file that holds the article.")])
    if kind == "html":
        return capture_html(text, file)
    fail_on(unshowable_lines(text, file, 1, CONTROL_FIX))  # a page's parser drops them; a text would keep them
    return capture_text(text) if kind == "text" else capture_markdown(text, file)
