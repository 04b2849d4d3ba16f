"""Citations of sources and passages: Chicago (notes-bibliography) and APA 7, as pure functions.

A citation is a tuple of runs `(text, italic)`; `plain()` gives the text to copy, `html()` the
markup to show (the text inert, `text.inert`). Citations name the original article: its public URL
(`original_url`) with the access date where known, or, where no URL is known, none — as the styles
cite works without one. Nothing is guessed: an unknown date is `n.d.`, an unknown title becomes a
bracketed description (`[untitled article]`), an unknown URL or access date is left out. Titles keep
the capitalisation and punctuation they were captured with (re-casing would corrupt proper nouns:
`Putin`, `West`). The dossier's own copy is never part of a citation: `dossier_copy` is a second,
optional part, given only for a public site address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..ingest.hosts import is_public
from ..model import ACRONYM_RE, Source
from ..text import inert

Runs = tuple[tuple[str, bool], ...]
"""A formatted citation: `(text, italic)` pieces in order."""

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
SUFFIXES = frozenset({"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"})
ORG_WORDS = frozenset("""
academy agency alliance association bank board bureau center centre college commission committee company
corporation council department editors embassy forum foundation fund government group inc. initiative
institute institution international league ltd ltd. llc ministry network news office organisation
organization press program programme project review service society staff times trust university
""".split())
"""Words that mark an author as an organisation (`Council on Foreign Relations`, `Reuters Staff`)."""
ORG_LINKS = frozenset({"of", "on", "for", "and", "&", "the", "at", "in"})
TERMINAL = ("?", "!")
UNTITLED = "[untitled article]"
"""The description that stands for an unknown title in a note (APA 7 §9.29; Chicago: a description, bracketed as supplied)."""
UNTITLED_CAP = "[Untitled article]"
"""The same where a sentence starts (bibliography, APA reference)."""


def original_url(source: Source) -> str | None:
    """The original's address, if it is known and public (a local address is never cited: `hosts.local_reason`)."""
    return source.url if is_public(source.url) else None


def author_list(source: Source) -> str:
    """Authors joined for a reference: `A, B and C`."""
    names = list(source.authors)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# --- names ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Name:
    """An author's name, split for inverted and abbreviated forms."""

    full: str
    """As written in the source's front matter."""
    family: str
    """Surname with any particle (`von der Leyen`); the whole name for an organisation."""
    given: str = ""
    """Given names; empty for an organisation or a single-word name."""
    suffix: str = ""
    """`Jr.`, `III`, …"""
    organisation: bool = False


def is_organisation(name: str, publisher: str = "") -> bool:
    """True when an author is an organisation, not a person (the publisher itself, `… (CFR)`, `Council on …`)."""
    words = name.split()
    lowered = [w.lower().strip(",") for w in words]
    return (name.strip().casefold() == publisher.strip().casefold()
            or bool(ACRONYM_RE.search(name))
            or any(w in ORG_WORDS for w in lowered)
            or (len(words) >= 3 and any(w in ORG_LINKS for w in lowered))
            or any(ch.isdigit() for ch in name))


def forget() -> None:
    """Let go of the sources the memos below hold (each with its whole text)."""
    for memo in (_note_head, chicago_bibliography, apa_reference):
        memo.cache_clear()


@lru_cache(maxsize=1024)  # asked again for every passage's citations
def parse_name(name: str, publisher: str = "") -> Name:
    """Split `Given [particle] Family[, Jr.]`; particles are the lowercase words before the surname."""
    full = " ".join(name.split())
    if is_organisation(full, publisher):
        return Name(full, full, organisation=True)
    suffix = ""
    head, comma, tail = full.rpartition(",")
    if comma and tail.strip() in SUFFIXES:
        full_name, suffix = head.strip(), tail.strip()
    elif comma:  # already inverted: `Family, Given`
        family, _, given = full.partition(",")
        return Name(full, family.strip(), given.strip())
    else:
        full_name = full
    words = full_name.split()
    if len(words) > 2 and words[-1] in SUFFIXES and not suffix:
        words, suffix = words[:-1], words[-1]
    if len(words) == 1:
        return Name(full, words[0], suffix=suffix)
    cut = next((i for i in range(1, len(words) - 1) if words[i][:1].islower()), len(words) - 1)
    return Name(full, " ".join(words[cut:]), " ".join(words[:cut]), suffix)


def names(source: Source) -> tuple[Name, ...]:
    return tuple(parse_name(a, source.publisher) for a in source.authors)


def initials(given: str) -> str:
    """APA initials: `Alexander` -> `A.`, `Jean-Pierre` -> `J.-P.`, `Mary Ann` -> `M. A.`."""
    out = []
    for word in given.split():
        parts = [p for p in word.split("-") if p]
        out.append("-".join(p[0] + "." for p in parts))
    return " ".join(out)


def natural(n: Name) -> str:
    """`Alexander Gabuev`, `Martin Luther King Jr.`."""
    if n.organisation:
        return n.full
    return " ".join(filter(None, (n.given, n.family))) + (f" {n.suffix}" if n.suffix else "")


def inverted(n: Name) -> str:
    """`Gabuev, Alexander`, `King, Martin Luther, Jr.`."""
    if n.organisation or not n.given:
        return n.family + (f", {n.suffix}" if n.suffix else "")
    return f"{n.family}, {n.given}" + (f", {n.suffix}" if n.suffix else "")


def apa_name(n: Name) -> str:
    """`Gabuev, A.`, `King, M. L., Jr.`; organisations in full."""
    if n.organisation or not n.given:
        return n.family + (f", {n.suffix}" if n.suffix else "")
    return f"{n.family}, {initials(n.given)}" + (f", {n.suffix}" if n.suffix else "")


def series(items: list[str], conj: str = "and") -> str:
    """`A`, `A and B`, `A, B, and C` (serial comma)."""
    if len(items) <= 2:
        return f" {conj} ".join(items)
    return ", ".join(items[:-1]) + f", {conj} " + items[-1]


# --- dates and titles -------------------------------------------------------------------------------

def _date_parts(iso: str) -> tuple[str, str | None, int | None]:
    """`2024-04-09` -> (`2024`, `April`, 9); missing month or day are None."""
    parts = iso.split("-")
    month = MONTHS[int(parts[1]) - 1] if len(parts) >= 2 else None
    return parts[0], month, int(parts[2]) if len(parts) == 3 else None


def long_date(iso: str) -> str:
    """`2024-04-09` -> `April 9, 2024` (`2024-04` -> `April 2024`, `2024` -> `2024`)."""
    year_, month, day = _date_parts(iso)
    return f"{month} {day}, {year_}" if day else f"{month} {year_}" if month else year_


def apa_date(iso: str | None) -> str:
    """`(2024, April 9)`, or `(n.d.)`."""
    if not iso:
        return "(n.d.)"
    year_, month, day = _date_parts(iso)
    return f"({year_}, {month} {day})" if day else f"({year_}, {month})" if month else f"({year_})"


def year(source: Source) -> str:
    return source.date[:4] if source.date else "n.d."


def full_title(source: Source) -> str | None:
    """`Title: Subtitle` (no colon after a title that ends in `?`, `!`, `.` or `:`)."""
    if source.title is None:
        return None
    title = " ".join(source.title.split())
    if source.subtitle:
        sep = " " if title.endswith(("?", "!", ".", ":")) else ": "
        title += sep + " ".join(source.subtitle.split())
    return title


def short_title(source: Source) -> str | None:
    """The main title, without subtitle or anything after its first colon (Chicago short form)."""
    if source.title is None:
        return None
    main = " ".join(source.title.split())
    head = re.split(r":\s", main, maxsplit=1)[0]
    return head or main


def quoted(title: str, after: str) -> str:
    """`“Title,”` — double quotes inside become single; no comma or period after `?` or `!`."""
    inner = title.replace("“", "‘").replace("”", "’").replace('"', "'")
    return f"“{inner}{'' if inner.endswith(TERMINAL) else after}”"


def end(text: str, mark: str = ".") -> str:
    """Add closing punctuation unless the text already ends with some."""
    return text if text.endswith((".", "?", "!")) else text + mark


# --- Chicago ----------------------------------------------------------------------------------------

def chicago_authors_note(source: Source) -> str:
    ns = names(source)
    if len(ns) >= 4:
        return natural(ns[0]) + " et al."
    return series([natural(n) for n in ns])


def chicago_authors_bib(source: Source) -> str:
    """First author inverted (`Gabuev, Alexander`), the others not; more than ten: seven and `et al.`"""
    ns = names(source)
    head = inverted(ns[0])
    if len(ns) > 10:
        return head + ", " + ", ".join(natural(n) for n in ns[1:7]) + ", et al."
    if len(ns) == 2:
        return f"{head}, and {natural(ns[1])}"
    return series([head] + [natural(n) for n in ns[1:]])


def chicago_note(source: Source, n: int | None = None, url: str | None = None) -> Runs:
    """Full first note: `Alexander Gabuev, “Title: Subtitle,” Foreign Affairs, April 9, 2024, para. 5, URL.`

    `url` is the address of the original to give (a text-fragment link to the passage); None: the
    original's own URL (`original_url`), if known. The access date goes with a URL (Chicago 14.175).
    """
    head, first = _note_head(source)
    facts = list(first)
    if n is not None:
        facts.append(f"para. {n}")
    link = url or original_url(source)
    if link and source.accessed:
        facts.append(f"accessed {long_date(source.accessed)}")
    if link:
        facts.append(link)
    return ((end(f"{head} {', '.join(facts)}"), False),)


@lru_cache(maxsize=4096)  # the same for every passage of a source
def _note_head(source: Source) -> tuple[str, tuple[str, ...]]:
    """A note's authors and title (`Alexander Gabuev, “Title,”`), and its first facts (publisher, date)."""
    title = full_title(source)
    title_part = quoted(title, ",") if title else UNTITLED + ","
    return f"{chicago_authors_note(source)}, {title_part}", (source.publisher,
                                                              long_date(source.date) if source.date else "n.d.")


def chicago_short(source: Source, n: int | None = None) -> Runs:
    """Shortened note: `Gabuev, “Putin and Xi's Unholy Alliance,” para. 5.`"""
    ns = names(source)
    surnames = [x.family for x in ns]
    who = surnames[0] + " et al." if len(ns) >= 4 else series(surnames)
    title = short_title(source)
    if n is None:
        text = f"{who}, {quoted(title, '.') if title else UNTITLED + '.'}"
    else:
        text = f"{who}, {quoted(title, ',') if title else UNTITLED + ','} para. {n}."
    return ((text, False),)


@lru_cache(maxsize=4096)  # the same for every passage of a source
def chicago_bibliography(source: Source) -> Runs:
    """Bibliography entry: `Gabuev, Alexander. “Title: Subtitle.” Foreign Affairs, April 9, 2024. URL.`"""
    title = full_title(source)
    pieces = [end(chicago_authors_bib(source)),
              quoted(title, ".") if title else UNTITLED_CAP + ".",
              end(f"{source.publisher}, {long_date(source.date) if source.date else 'n.d.'}")]
    link = original_url(source)
    if link and source.accessed:
        pieces.append(f"Accessed {long_date(source.accessed)}.")
    if link:
        pieces.append(end(link))
    return ((" ".join(pieces), False),)


# --- APA 7 ------------------------------------------------------------------------------------------

def apa_authors(source: Source) -> str:
    ns = [apa_name(n) for n in names(source)]
    if len(ns) == 1:
        return ns[0]
    if len(ns) == 2:
        return f"{ns[0]}, & {ns[1]}"
    if len(ns) <= 20:
        return ", ".join(ns[:-1]) + ", & " + ns[-1]
    return ", ".join(ns[:19]) + ", . . . " + ns[-1]


@lru_cache(maxsize=4096)  # the same for every passage of a source
def apa_reference(source: Source, url: str | None = None) -> Runs:
    """Reference entry: `Gabuev, A. (2024, April 9). *Title: Subtitle*. Foreign Affairs. URL`.

    The site name is left out when it is the author (APA 7, 9.8); the title of a stand-alone web
    work is italic; an untitled work gets a bracketed description. `url`: the address of the
    original to give; None: its own URL, if known.
    """
    ns = names(source)
    title = full_title(source)
    runs: list[tuple[str, bool]] = [(f"{end(apa_authors(source))} {apa_date(source.date)}. ", False)]
    if title:
        runs.append((title, True))
        runs.append(("" if title.endswith(TERMINAL) else ".", False))
    else:
        runs.append((UNTITLED_CAP + ".", False))
    if not (len(ns) == 1 and ns[0].full.casefold() == source.publisher.casefold()):
        runs.append((f" {end(source.publisher)}", False))
    link = url or original_url(source)
    if link:
        retrieved = f"Retrieved {long_date(source.accessed)}, from " if source.accessed else ""
        runs.append((f" {retrieved}{link}", False))
    return tuple((t, i) for t, i in runs if t)


def apa_in_text(source: Source, n: int | None = None) -> str:
    """Parenthetical citation: `(Gabuev, 2024, para. 5)`, `(Gabuev & Lo, n.d.)`, `(Gabuev et al., 2024)`."""
    ns = names(source)
    surnames = [x.family for x in ns]
    who = surnames[0] if len(ns) == 1 else f"{surnames[0]} & {surnames[1]}" if len(ns) == 2 else f"{surnames[0]} et al."
    where = f", para. {n}" if n is not None else ""
    return f"({who}, {year(source)}{where})"


def dossier_copy(permalink: str) -> Runs:
    """The second, optional part of a citation: `Dossier copy: <permalink>.` (only for a public site address)."""
    return ((end(f"Dossier copy: {permalink}"), False),)


def sort_key(source: Source) -> tuple[str, str, str]:
    """Where a source goes in an alphabetical bibliography: first author (inverted), year, title."""
    return (inverted(names(source)[0]).casefold(), year(source), (full_title(source) or "").casefold())


# --- output -----------------------------------------------------------------------------------------

def plain(runs: Runs) -> str:
    """The citation as text to paste."""
    return "".join(t for t, _ in runs)


@lru_cache(maxsize=4096)  # the same for every passage of a source
def html(runs: Runs) -> str:
    """The citation as HTML of inert text, italics as `<i>`."""
    return "".join(f"<i>{inert(t)}</i>" if italic else inert(t) for t, italic in runs)
