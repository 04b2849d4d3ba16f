"""Who published a saved or fetched page, from what the page itself states — never guessed.

In order: the page's `og:site_name`; other site metadata trafilatura reads (JSON-LD publisher,
application name); the site part of its `<title>` ("Headline | Site Name", "Headline - Site"),
taken only when the rest of the title is the article's headline; the holder named in its copyright
line ("© 2024 Example Review. All rights reserved."). A page that names only its web address, or
nothing, has no publisher: the caller asks for --publisher.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import html as lxml_html

DOMAIN_RE = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)+$")
TITLE_SEPARATOR_RE = re.compile(r"\s+(?:\||-|–|—|·|::|»)\s+|\s*\|\s*")
"""Between a page title's headline and its site part: ` | `, ` - `, ` – `, ` — `, ` · `, ` :: `, ` » `."""
YEARS = r"\d{4}(?:\s*[-–—]\s*\d{4})?\s*,?\s*"
COPYRIGHT_RE = re.compile(
    rf"(?:(?:©|\bcopyright\b)\s*(?:©\s*)?(?:{YEARS})?|\(c\)\s*{YEARS})(?:by\s+)?"
    r"(?P<name>(?-i:[A-Z])[^.·|©\n]{0,79}?)\s*(?=[.·|©]|\ball rights reserved|\bsome rights reserved|$)",
    re.IGNORECASE)
"""`© 2024 Example Review. All rights reserved.`, `Copyright © 2019–2024 Example · Privacy`: the holder's name
(capitalised; `(c)` only before a year, so a clause such as `Article 5(c) of the treaty` is not one)."""
MAX_WORDS = 8
"""A site or organisation name is short; a longer match is a sentence, not a name."""
UNSEEN = "ancestor::script or ancestor::style or ancestor::noscript or ancestor::template or ancestor::head"


@dataclass(frozen=True)
class Publisher:
    """A page's publisher and where it was found, or why it is unknown."""

    name: str | None
    origin: str
    """Where the name was found (shown by `add`), or the note for an unknown publisher."""


def _norm(text: str) -> str:
    """Text compared loosely: case, spacing and quote shapes ignored."""
    return " ".join(text.translate(str.maketrans("‘’“”", "''\"\"")).casefold().split())


def _name(text: str) -> str | None:
    """`text` if it reads as a name: not an address, not a sentence."""
    text = " ".join(text.split()).strip(" ,;:-–—")
    if not text or DOMAIN_RE.match(text) or len(text.split()) > MAX_WORDS:
        return None
    return text


def _root(page: str):
    """The page parsed as a browser would (bytes: a page's `<?xml encoding?>` would make lxml refuse text)."""
    try:
        return lxml_html.document_fromstring(page.encode("utf-8"), parser=lxml_html.HTMLParser(encoding="utf-8"))
    except lxml_html.etree.ParserError:
        return None


def og_site_name(root) -> str | None:
    """The page's `<meta property="og:site_name">`."""
    for value in root.xpath('//meta[@property="og:site_name" or @name="og:site_name"]/@content'):
        if _name(value):
            return _name(value)
    return None


def title_site(root, headlines: tuple[str, ...]) -> str | None:
    """The site part of the page's `<title>`, where the rest of it is one of the article's headlines."""
    titles = root.xpath("//head/title/text() | //title/text()")
    title = " ".join(titles[0].split()) if titles else ""
    wanted = {_norm(h) for h in headlines if h}
    for sep in TITLE_SEPARATOR_RE.finditer(title):
        before, after = title[:sep.start()], title[sep.end():]
        if _norm(before) in wanted and _name(after):
            return _name(after)
        if _norm(after) in wanted and _name(before):
            return _name(before)
    return None


def copyright_holder(root) -> str | None:
    """The holder named in the page's last copyright line (footers come last)."""
    found = None
    for text in root.xpath(f"//body//text()[not({UNSEEN})]"):
        for match in COPYRIGHT_RE.finditer(text):
            name = _name(match.group("name"))
            if name and not re.match(r"(?:all|some) rights reserved", name, re.IGNORECASE):
                found = name
    return found


def find_publisher(page: str, sitename: str | None, headlines: tuple[str, ...]) -> Publisher:
    """The publisher a page states, with where it was found; else None with the note saying why."""
    root = _root(page)
    if root is not None and (name := og_site_name(root)):
        return Publisher(name, "the page's og:site_name")
    if sitename and _name(sitename):
        return Publisher(_name(sitename), "the page's site metadata")
    if root is not None and (name := title_site(root, headlines)):
        return Publisher(name, "the site part of the page's title")
    if root is not None and (name := copyright_holder(root)):
        return Publisher(name, "the page's copyright line")
    if sitename and DOMAIN_RE.match(sitename):
        return Publisher(None, f"the page names only its web address ({sitename})")
    return Publisher(None, "the page names no site (no og:site_name, no site part in its title, no copyright line)")
