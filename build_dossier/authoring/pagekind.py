"""Is a saved page an article? Sign-in pages, consent walls and search forms are refused by `add`.

Judged by general signals, never by a site's wording: how much running text the extraction found,
and, in the part of the page that text comes from, how many form controls and password fields
there are. An article's own forms (a newsletter box, a comment form) sit beside many paragraphs;
a sign-in or consent page's text sits among its fields and buttons.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import html as lxml_html

MIN_WORDS = 100
"""Fewest words of running text (paragraphs and list items, headings aside) an article has."""
PASSWORD_MIN_WORDS = 300
"""Fewest words of running text of an article whose text sits beside a password field."""
CONTROLS = frozenset({"input", "select", "textarea", "button"})
"""Form controls; `<input type="hidden">` is not one (it is not shown)."""
REGION_SHARE = 0.9
"""Share of the extracted words the part of the page they come from holds (see `_region`)."""
UNSEEN = frozenset({"script", "style", "template", "noscript", "head", "title"})


@dataclass(frozen=True)
class Signals:
    """What `add` measured in a saved page."""

    words: int
    """Words of running text extracted (paragraphs and list items)."""
    blocks: int
    """Paragraphs and list items extracted."""
    region: str
    """The element holding (nearly all) the extracted text, as `<tag class="…">` ('' if it was not found)."""
    controls: int
    """Form controls inside that element."""
    passwords: int
    """Password fields inside that element."""


def _owners(root) -> dict[str, object]:
    """Normalised text -> the first element that holds that text with some of its own (not only its children's)."""
    out: dict[str, object] = {}
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in UNSEEN:
            continue
        if (el.text or "").strip() or any((child.tail or "").strip() for child in el):
            out.setdefault(" ".join(el.text_content().split()), el)
    return out


def _region(found: list[tuple[object, int]]) -> object | None:
    """The deepest element holding REGION_SHARE of the words of `found` (element, words): where the text comes
    from, without the odd line of page chrome the extraction kept (a search label, a footer link)."""
    words: dict = {}
    depth: dict = {}
    for el, count in found:
        container = el.getparent() if el.getparent() is not None else el
        for level, ancestor in enumerate(reversed([container, *container.iterancestors()])):
            words[ancestor] = words.get(ancestor, 0) + count
            depth[ancestor] = level
    total = sum(count for _, count in found)
    holding = [el for el, count in words.items() if count >= REGION_SHARE * total]
    return max(holding, key=depth.get, default=None)


def _label(el) -> str:
    """`<div class="consent-container">`: an element as messages name it."""
    cls = " ".join((el.get("class") or "").split()[:2])
    return f'<{el.tag} class="{cls}">' if cls else f"<{el.tag}>"


def measure(page: str, texts: list[str]) -> Signals:
    """Signals for a page (its HTML) whose extracted paragraphs and list items are `texts`."""
    words = sum(len(t.split()) for t in texts)
    try:  # as bytes with the encoding named: a page's own `<?xml … encoding=…?>` would make lxml refuse text
        root = lxml_html.document_fromstring(page.encode("utf-8"), parser=lxml_html.HTMLParser(encoding="utf-8"))
    except lxml_html.etree.ParserError:  # nothing to parse: the extraction found no region either
        return Signals(words, len(texts), "", 0, 0)
    owners = _owners(root)
    region = _region([(owners[t], len(t.split())) for t in texts if t in owners])
    if region is None:
        return Signals(words, len(texts), "", 0, 0)
    fields = [el for el in region.iter(*CONTROLS) if (el.get("type") or "").lower() != "hidden"]
    passwords = sum((el.get("type") or "").lower() == "password" for el in fields if el.tag == "input")
    return Signals(words, len(texts), _label(region), len(fields), passwords)


def doubts(signals: Signals) -> tuple[str, ...]:
    """Why the page does not look like an article (empty if it does)."""
    out = []
    if signals.words < MIN_WORDS:
        out.append(f"it has only {signals.words} words of running text (an article has at least {MIN_WORDS})")
    if signals.controls > signals.blocks:
        out.append(f"the part of the page its text comes from ({signals.region}) holds more form controls "
                   f"({signals.controls}) than paragraphs ({signals.blocks})")
    if signals.passwords and signals.words < PASSWORD_MIN_WORDS:
        out.append(f"its text sits beside a password field, with fewer than {PASSWORD_MIN_WORDS} words of running text")
    return tuple(out)
