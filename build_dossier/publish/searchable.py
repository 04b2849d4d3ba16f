"""What Pagefind indexes of a page, as words (as written): for the record of every word that each shard of a sharded
index carries (`search.vocabulary`). `Searchable` reads any page as Pagefind does; `record_words` and `page_words` read
the same words faster from the records the build writes and the pages its theme makes (tests compare them)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser

from . import indexer

MARK = b"data-pagefind-body"
"""What the theme writes on a page that is a search result (`theme/main.html`); the records carry it too."""
LEFT_OUT_ATTRIBUTES = frozenset(selector[1:-1] for selector in indexer.IGNORED if selector.startswith("["))
LEFT_OUT_CLASSES = frozenset(selector[1:] for selector in indexer.IGNORED if selector.startswith("."))
"""The attributes and the classes of what Pagefind leaves out of a page (`indexer.IGNORED`)."""


class Searchable(HTMLParser):
    """The words (as written) of what Pagefind indexes of a page: the text of its `data-pagefind-body` element but what
    `IGNORED` selects (and scripts, styles), and the values of its `data-pagefind-meta` attributes."""

    VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())

    def __init__(self, words: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.words, self.open = words, []  # open elements: (tag, in the body, left out)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = dict(attrs)
        if meta := given.get("data-pagefind-meta"):
            self.words.update(meta.partition(":")[2].split())
        if tag in self.VOID:
            return
        body, out = self.open[-1][1:] if self.open else (False, False)
        classes = (given.get("class") or "").split()
        out = out or tag in ("script", "style") or not LEFT_OUT_ATTRIBUTES.isdisjoint(given) or (
            not LEFT_OUT_CLASSES.isdisjoint(classes))
        self.open.append((tag, body or "data-pagefind-body" in given, out))

    def handle_endtag(self, tag: str) -> None:
        for k in range(len(self.open) - 1, -1, -1):
            if self.open[k][0] == tag:
                del self.open[k:]
                break

    def handle_data(self, data: str) -> None:
        if self.open and self.open[-1][1] and not self.open[-1][2]:
            self.words.update(data.split())


RECORD_TEXT = re.compile(r'<p>([^<]*)</p>|data-pagefind-meta="[^":]*:([^"]*)"')
"""A record's searchable text as `search._record` writes it: a paragraph's (escaped, so without `<`), a metadata
value."""


def record_words(record: str) -> Iterator[str]:
    """The words (as written) Pagefind indexes of a `record`: what `Searchable` finds in it, read straight from the
    form `search._record` gives it (the 9,026 records of 300 sources: 0.2 s, against 1.3 s through the parser)."""
    for m in RECORD_TEXT.finditer(record):
        yield from html.unescape(m[1] if m[1] is not None else m[2]).split()


STATEFUL = ("<!--", "data-pagefind", *sorted(LEFT_OUT_ATTRIBUTES | LEFT_OUT_CLASSES))
"""What, before the searchable part of a page, could change what is read of it: a comment, Pagefind's attributes,
what `IGNORED` leaves out (an open `<script>` or `<style>` too: see `page_words`)."""


def page_words(page: str, words: set[str]) -> None:
    """Add to `words` those (as written) Pagefind indexes of a built `page` that is a result: `Searchable` reads it
    from the tag where `MARK` first stands (two thirds of a page come before it: the header, navigation and table of
    contents, where nothing is searchable) unless what comes before holds anything that would change what is read
    after it (`STATEFUL`, an unclosed script or style): then the whole page."""
    mark = page.find(MARK.decode())
    start = max(page.rfind("<", 0, mark), 0) if mark > 0 else 0
    before = page[:start].lower()
    if any(t in before for t in STATEFUL) or any(before.count(f"<{t}") != before.count(f"</{t}>")
                                                 for t in ("script", "style")):
        start = 0
    parser = Searchable(words)
    parser.feed(page[start:])
    parser.close()
