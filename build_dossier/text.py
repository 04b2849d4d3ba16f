"""Small text helpers shared by the stages: words, sentences, escaping."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache

SP = r"[ \u00a0\u2007\u2009\u202f]"
"""A space between words as articles write it: plain, no-break, figure, thin or narrow no-break (regex class)."""
WORD_RE = re.compile(r"[^\W_]+(?:[’'][^\W_]+)*", re.UNICODE)
SENTENCE_END_RE = re.compile(r"[.!?][”\"’)]*(?=\s+[“\"‘(]?[A-Z0-9])")
TERMINAL = tuple(".!?:;,”\"’)…")
STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having
he her here hers him his how i if in into is it its itself just may me might more most must my no nor not
now of off on once only or other our ours out over own same she should so some such than that the their
theirs them then there these they this those through to too under until up very was we were what when
where which while who whom why will with would you your yet s t
""".split())


class Sparse:
    """A regular expression that can match only after a character outside the class `not_after` (or at the text's
    start) and only where a text begins with one of `starts` (lowercase, matched with `flags`): `finditer` gives the
    same matches as the expression's, but the engine's fast scan for a plain character class finds the places where
    one can start, and the whole expression is tried there only — in prose, a few places in a hundred. (With its
    lookbehind first, the expression alone is tried at every character.)"""

    def __init__(self, not_after: str, body: str, starts: Iterable[str], flags: int = 0) -> None:
        self.regex = re.compile(rf"(?<![{not_after}])(?:{body})", flags)
        """The expression itself (for `match` and `search`)."""
        self._gate = re.compile(rf"[^{not_after}](?={'|'.join(sorted(set(starts)))})", flags)

    def finditer(self, text: str, lo: int = 0, hi: int | None = None) -> Iterator[re.Match]:
        """The matches of `self.regex.finditer(text, lo, hi)`, in order (the expression never matches empty)."""
        hi = len(text) if hi is None else hi
        pos = lo
        if pos == 0 and (m := self.regex.match(text, 0, hi)):
            yield m
            pos = m.end()
        while gate := self._gate.search(text, max(pos - 1, 0), hi):  # the character before a place is the gate's
            m = self.regex.match(text, gate.end(), hi)
            if m:
                yield m
            pos = m.end() if m else gate.end() + 1


def words(text: str) -> list[str]:
    """Lowercase word tokens (letters and digits, inner apostrophes kept)."""
    return [w.lower().replace("’", "'") for w in WORD_RE.findall(text)]


def stem(word: str) -> str:
    """Crude English stem for matching: drop a possessive and a plural `s`."""
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    return word


def content_words(text: str) -> set[str]:
    """Stems of the words that carry meaning: no stopwords, no one-letter tokens."""
    return {stem(w) for w in set(words(text)) if w not in STOPWORDS and len(w) > 1}  # a repeated word stemmed once


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences (good enough for matching, not for display)."""
    out, start = [], 0
    for m in SENTENCE_END_RE.finditer(text):
        out.append(text[start:m.end()].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def slugify(text: str, fallback: str) -> str:
    """ASCII slug of `text`, or `fallback` when nothing is left."""
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", norm.lower()).strip("-")
    return slug[:60].rstrip("-") or fallback


def unique(base: str, taken) -> str:
    """`base`, or `base-2`, `base-3`… — the first not in `taken`."""
    out, k = base, 2
    while out in taken:
        out, k = f"{base}-{k}", k + 1
    return out


def esc(text: str) -> str:
    """HTML-escape a page title for its front matter (MkDocs hands it to the theme and the search index as HTML)."""
    return html.escape(text, quote=True)


_NOT_INERT = re.compile(r"[^A-Za-z0-9 ,;?/%\x80-\U0010ffff]|[^\S ]|^ | \Z|(?<= ) ")
"""What `inert` writes as a character reference: every ASCII character but a letter, a digit, a space or one of
`,;?/%` (punctuation no Markdown or HTML syntax uses); every whitespace character but the space; and a space at
either end or after another space."""


_INERT_TABLE = {chr(c): f"&#{c};" for c in range(0x3001) if (c < 0x80 and _NOT_INERT.fullmatch(chr(c)) and c != 32)
                or (chr(c).isspace() and c != 32)}
"""The characters `_NOT_INERT` writes as references wherever they stand (whitespace ends below U+3001)."""
_ESCAPED = re.compile("[" + re.escape("".join(_INERT_TABLE)) + "]")
"""One of those characters: a class, so the search runs in C and only the few found call back into Python."""
_SPACES = re.compile(r"^ | \Z|(?<= ) ")


def _reference(m: re.Match) -> str:
    """The character reference of the one character matched."""
    return _INERT_TABLE[m[0]]


@lru_cache(maxsize=1 << 14)  # the same names, titles and passages reach many pages
def inert(text: str) -> str:
    """Text (source, ledger or metadata) for any place in a page: shown exactly, never read as markup.

    Markdown's and HTML's syntax is made of ASCII punctuation and whitespace; each such character becomes
    a numeric character reference (`<` -> `&#60;`, a line break -> `&#10;`). What is left — letters,
    digits, `,;?/%`, other non-ASCII characters and single spaces between them — means nothing to Python-Markdown,
    its extensions (attr_list, md_in_html, tables, toc) or an HTML parser, in a Markdown paragraph, heading,
    link label or table cell, inside a `markdown` block, or in raw HTML text or an attribute value; the
    browser shows every character as written.
    """
    # The same as _NOT_INERT.sub: a passage has a few characters to replace among hundreds, so a search for them
    # (in C) is about three times faster than str.translate, which looks every character up in a dict.
    out = _ESCAPED.sub(_reference, text)
    if "  " in out or out.startswith(" ") or out.endswith(" "):
        out = _SPACES.sub("&#32;", out)
    return out
