"""Deep links into the original article: URL text fragments (`#:~:text=…`) from a passage's opening words.

Text fragments are specified by the WICG (https://wicg.github.io/scroll-to-text-fragment/): the
browser scrolls to and highlights the first match of the text on the page. Its terms are
percent-encoded; `-`, `,` and `&` are syntax there and must be encoded too, so everything that is not
an ASCII letter, digit, `.`, `_` or `~` is encoded (UTF-8 bytes for typographic characters).
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

MIN_WORDS = 4
"""Fewest opening words used (when the passage has that many)."""
MAX_WORDS = 12
"""Most opening words used: text fragments match within one block, and short terms survive small edits."""


def encode(term: str) -> str:
    """Percent-encode a text-directive term: only ASCII letters, digits and `._~` stay as they are."""
    return quote(term, safe="").replace("-", "%2D")


def _norm(text: str) -> str:
    """Whitespace collapsed and case folded, as the browser compares text."""
    return " ".join(text.split()).casefold()


@lru_cache(maxsize=4)
def _haystack(page: str) -> str:
    """A source's whole text normalised once, not once per passage (every passage of a source asks in turn)."""
    return _norm(page)


def _occurrences(haystack: str, needle: str) -> list[int]:
    """Every offset where `needle` starts in `haystack` (overlapping ones too)."""
    out, at = [], haystack.find(needle)
    while at >= 0:
        out.append(at)
        at = haystack.find(needle, at + 1)
    return out


def _opening(text: str, page: str) -> tuple[str, int]:
    """`opening`, and how often it occurs in `page` (1: once; 0 or 2: not once)."""
    words = text.split()
    haystack = _haystack(page)
    found: list[int] | None = None
    for k in range(min(MIN_WORDS, len(words)), min(MAX_WORDS, len(words)) + 1):
        needle = _norm(" ".join(words[:k]))
        # A longer run of the opening words starts only where a shorter one does: one search of the page, not one per k.
        found = _occurrences(haystack, needle) if found is None else [i for i in found if haystack.startswith(needle, i)]
        if len(found) < 2:
            return " ".join(words[:k]), len(found)
    return " ".join(words[:MAX_WORDS]), 2


def opening(text: str, page: str = "") -> str:
    """The passage's shortest run of opening words (at least MIN_WORDS) found only once in `page`.

    `page` is the whole captured text of the source, standing in for the original page: the browser
    jumps to the first match, so the words must not occur earlier. Without a unique prefix within
    MAX_WORDS words, MAX_WORDS words are used.
    """
    return _opening(text, page)[0]


def text_fragment(url: str, start: str) -> str:
    """`url` with a text directive for `start`, keeping any fragment the URL already has.

    A URL's own fragment stays before the directive (`page#section:~:text=…`); an existing
    directive is replaced.
    """
    base, hash_, fragment = url.partition("#")
    fragment = fragment.split(":~:", 1)[0] if hash_ else ""
    return f"{base}#{fragment}:~:text={encode(' '.join(start.split()))}"


@lru_cache(maxsize=1 << 17)  # a passage's Cite box is on its source page, its debates' pages, its figures' rows…
def deep_link(url: str, passage_text: str, page: str = "") -> str | None:
    """Link to a passage in the original at `url`, by its distinctive opening words.

    Verified against the captured text `page`: None when no opening of MAX_WORDS words or fewer
    occurs only once there (the browser would open another place, such as a repeated paragraph).
    """
    start, found = _opening(passage_text, page)
    return text_fragment(url, start) if not page or found == 1 else None
