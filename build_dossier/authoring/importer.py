"""`build-dossier add`: turn a saved web page, a page at a web address, a `.txt` or a `.md` into `sources/<id>.md`.

Reading the file (capture.py) is separate from deciding the metadata (options override what the
file states; unknown is null with a note, never guessed) and from writing, which validates the
result with the same schema and reader as the build, and never overwrites.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..analyse.clean import clean
from ..analyse.segment import segment
from ..errors import DossierError, Problem
from ..ingest.load import SOURCE_FIELDS, read_source, source_file, source_files
from ..ingest.schema import validate
from ..ingest.yamlio import quoted
from ..model import ACRONYM_RE, Segmented, short_label
from ..text import slugify, unique
from .capture import FROM, WHAT, Capture, read_input
from .fetch import Limits, capture_url, is_url


OPTIONS = {"id": "--id", "title": "--title", "authors": "--author", "publisher": "--publisher", "date": "--date",
           "url": "--url", "license": "--license", "accessed": "--accessed"}
"""Front-matter key -> the `add` option that gives it."""


@dataclass(frozen=True)
class Given:
    """Metadata given on the command line; None where not given."""

    id: str | None = None
    title: str | None = None
    authors: tuple[str, ...] = ()
    publisher: str | None = None
    date: str | None = None
    url: str | None = None
    license: str | None = None
    accessed: str | None = None
    encoding: str | None = None
    """Text encoding of the input, overriding what the file declares."""
    force: bool = False
    """Import a saved page even if it does not look like an article (a sign-in, consent or search page)."""

    def get(self, key: str) -> object:
        return (self.authors or None) if key == "authors" else getattr(self, key)


@dataclass(frozen=True)
class Imported:
    """A source written by `add`, and what the user should know about it."""

    id: str
    path: Path
    """The file written, `sources/<id>.md`."""
    values: tuple[tuple[str, object, str], ...]
    """(key, value, where it came from) for each metadata key, in schema order."""
    notices: tuple[str, ...]
    """Unknown values written as null, ignored keys and the like."""
    passages: int
    headings: int
    chrome: int
    """Lines the build's cleaner will drop as page chrome."""


@dataclass(frozen=True)
class Decided:
    """The metadata to write, and where each value came from."""

    values: dict
    """Key -> value (None where unknown), for every key to write except `format` (`id` only if stated)."""
    notes: dict
    """Key -> note, for each value that is None."""
    origins: dict
    """Key -> where its value came from (an option, the file, a default)."""
    notices: tuple[str, ...]
    """What the user should know: unknown values written as null, front-matter keys left out."""


def _iso_date(value: object) -> object:
    """A datetime written as ISO text is read as its date; anything else is left for the schema to judge."""
    if isinstance(value, str) and len(value) > 10 and value[10] in "T ":
        try:
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
        except ValueError:
            return value
    return value


def derive_id(authors: tuple[str, ...], publisher: str, title: str | None, date: str | None, taken: set[str]) -> str:
    """`<surname or organisation>-<publisher or title>-<year>`, made unique with -2, -3…"""
    who = slugify(short_label(authors[0]), "")
    acronym = ACRONYM_RE.search(publisher)
    where = slugify(acronym.group(1) if acronym else " ".join(publisher.split()[:4]), "")
    if not where or where == who or where in who.split("-"):
        where = slugify(" ".join((title or "").split()[:3]), "")
    parts = [p for p in (who[:30].rstrip("-"), where[:30].rstrip("-"), (date or "")[:4]) if p]
    base = "-".join(parts) or "source"
    return unique(re.sub(r"-{2,}", "-", base), taken)


def _note(key: str, kind: str) -> str:
    what = WHAT[kind]
    return {"title": f"The title is not stated in {what}.",
            "date": f"The publication date is not stated in {what}.",
            "url": f"The web address of the original is not stated in {what}.",
            "license": f"No licence is stated in {what}.",
            "accessed": f"The capture date is not stated in {what}."}[key]


def decide(capture: Capture, given: Given, file: str, today: str) -> tuple[Decided, list[Problem]]:
    """Each key's value: the option, else what the file states, else null with a note (an error where null is not allowed)."""
    values: dict = {}
    notes: dict = {}
    origin: dict = {}
    notices: list[str] = []
    problems: list[Problem] = []
    for field in SOURCE_FIELDS:
        key = field.name
        if key == "format":
            continue
        option = OPTIONS.get(key)
        if option and given.get(key) is not None:
            values[key], origin[key] = given.get(key), option
        elif key in capture.meta:
            values[key], origin[key] = capture.meta[key], dict(capture.origins).get(key, FROM[capture.kind])
        elif key == "accessed":
            values[key], origin[key] = today, "today; pass --accessed if it was saved earlier"
        elif not field.required or key == "id":  # an id not given is derived once the rest is known
            continue
        elif field.nullable:
            values[key], origin[key] = None, "unknown"
            notes[key] = capture.notes.get(key) or _note(key, capture.kind)
            notices.append(f"{key} is unknown: written as null with the note {notes[key]!r}; pass {option} if you know it.")
        else:
            why = capture.notes.get(key) or f"{WHAT[capture.kind]} does not name {'them' if key == 'authors' else 'it'}"
            problems.append(Problem(file, key, f"{key} {'are' if key == 'authors' else 'is'} unknown: {why}.",
                                    f"pass {option} NAME" + (" (repeat it for each author; the organisation where "
                                                             "no person is named)." if key == "authors" else ".")))
        if key in ("date", "accessed"):
            values[key] = _iso_date(values[key])
        value = values.get(key)
        if key == "authors" and isinstance(value, str):
            value = [value]
        if key == "authors" and isinstance(value, list | tuple):
            values[key] = [" ".join(a.split()) if isinstance(a, str) else a for a in value]
        elif isinstance(value, str):
            values[key] = " ".join(value.split())
    if capture.ignored:
        notices.append("front-matter keys not used by the dossier were left out: " + ", ".join(capture.ignored) + ".")
    return Decided(values, notes, origin, tuple(notices)), problems


def render_source(source_id: str, values: dict, notes: dict, fmt: str, body: str) -> str:
    """The text of `sources/<id>.md`: front matter in schema order, then the body."""
    lines = ["---", f"id: {source_id}"]
    for field in SOURCE_FIELDS:
        key = field.name
        if key in ("id", "format") or (key not in values):
            continue
        value = values[key]
        if value is None:
            lines += [f"{key}: null", f"{key}_note: {quoted(notes[key])}"]
        elif field.kind == "text-list":
            lines.append(f"{key}:")
            lines += [f"  - {quoted(item)}" for item in value]
        elif field.kind == "date":
            lines.append(f"{key}: {value}")
        else:
            lines.append(f"{key}: {quoted(value)}")
    lines += [f"format: {fmt}", "---"]
    return "\n".join(lines) + "\n" + body.strip("\n") + "\n"


def _existing(sources_dir: Path) -> dict[str, tuple]:
    """Id -> (url, title, publisher) of every source already in the dossier (unreadable ones count too)."""
    out: dict[str, tuple] = {}
    for path in source_files(sources_dir):
        source, _ = read_source(path, sources_dir.parent)
        out[path.stem] = (source.url, source.title, source.publisher) if source else (None, None, None)
    return out


def _identify(decided: Decided, existing: dict[str, tuple], file: str, problems: list[Problem]) -> str | None:
    """Validate the values with the source schema; the id (stated or derived), checked against existing sources."""
    values, origins = decided.values, decided.origins
    source_id = values.get("id")
    front = dict(values, **{f"{k}_note": v for k, v in decided.notes.items()})
    for p in validate(front, SOURCE_FIELDS, file, None)[1]:
        if p.severity == "error" and p.key in values and (p.key != "id" or source_id is not None):
            where, option = origins.get(p.key, ""), OPTIONS.get(p.key, "")
            problems.append(Problem(file, p.key, f"{p.key} (from {where}): {p.message}",
                                    p.fix + (f" Or pass {option}." if option and where != option else "")))
    if source_id in existing:
        problems.append(Problem(file, "id", f"sources/{source_file(source_id)} already exists; add never overwrites a source.",
                                "choose another id with --id, or remove the existing file first."))
    for sid, (url, title, publisher) in sorted(existing.items()):
        same_url = bool(url) and url == values.get("url")
        if same_url or title and (title, publisher) == (values.get("title"), values.get("publisher")):
            problems.append(Problem(file, "url" if same_url else "title", f"this article is already in the dossier: "
                                    f"sources/{source_file(sid)} has the same {'url' if same_url else 'title and publisher'}.",
                                    "import each article once; remove the old file to replace it."))
            break
    if source_id is None and not problems:
        source_id = derive_id(tuple(values["authors"]), values["publisher"], values.get("title"), values.get("date"),
                              set(existing) | {"index"})
        origins["id"] = "derived from author, publisher and year; pass --id to choose"
    return source_id


def _read_back(text: str, source_id: str, file: str) -> Segmented:
    """The file as the build will read it: loaded by load.py and segmented, or every problem raised."""
    with tempfile.TemporaryDirectory() as tmp:
        check = Path(tmp) / source_file(source_id)
        check.write_text(text, encoding="utf-8")
        source, found = read_source(check, Path(tmp))
    if source is None or any(p.severity == "error" for p in found):
        raise DossierError([Problem(file, p.key, p.message, p.fix) for p in found])
    seg = segment(clean(source))
    if not seg.passages:
        raise DossierError([Problem(file, "", "the text has no paragraphs the build can number (only headings or "
                                    "page chrome).", "check that the file holds the article's text.")])
    return seg


def add(sources_dir: Path, path: Path | str, given: Given, today: str, limits: Limits = Limits()) -> Imported:
    """Import one article (a file, or a web address to fetch) into `sources_dir`; raise DossierError with every
    problem, writing nothing."""
    file = str(path)
    if isinstance(path, str) and is_url(path):
        capture = capture_url(path, given.encoding, today, limits)
    else:
        capture = read_input(Path(path), given.encoding)
    if capture.doubts and not given.force:
        raise DossierError([Problem(file, "", "the page does not look like an article: " + "; ".join(capture.doubts) + ".",
                                    "save the article itself (signed in, cookies answered, the article open) and add "
                                    "that; if this is the article, add it with --force.")])
    decided, problems = decide(capture, given, file, today)
    existing = _existing(sources_dir) if sources_dir.is_dir() else {}
    source_id = _identify(decided, existing, file, problems)
    if problems:
        raise DossierError(problems)
    body = capture.body
    if capture.headline is not None and capture.headline == decided.values.get("title"):
        lines = body.split("\n")
        first = next(i for i, line in enumerate(lines) if line.strip())
        body = "\n".join(lines[first + 1:])
    if not body.strip():
        raise DossierError([Problem(file, "", "there is no article text in the file.", "give a file that holds the article.")])
    text = render_source(source_id, decided.values, decided.notes, capture.format, body)
    seg = _read_back(text, source_id, file)
    target = sources_dir / source_file(source_id)
    sources_dir.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("x", encoding="utf-8", newline="\n") as out:
            out.write(text)
    except FileExistsError:
        raise DossierError([Problem(file, "id", f"sources/{source_file(source_id)} already exists; add never overwrites a source.",
                                    "choose another id with --id.")]) from None
    shown = tuple((k, source_id if k == "id" else decided.values[k], decided.origins[k])
                  for k in [f.name for f in SOURCE_FIELDS if f.name in decided.values or f.name == "id"])
    return Imported(source_id, target, shown, decided.notices, len(seg.passages), len(seg.sections),
                    len(seg.cleaned.removed))


def summary(imported: Imported) -> str:
    """What `add` did, where each value came from, and what to run next."""
    rel = f"sources/{source_file(imported.id)}"
    lines = [f"Wrote {rel}: {imported.passages} passages, {imported.headings} headings"
             + (f", {imported.chrome} lines the build will drop as page chrome." if imported.chrome else ".")]
    for key, value, origin in imported.values:
        shown = "null" if value is None else ", ".join(value) if isinstance(value, list | tuple) else str(value)
        lines.append(f"  {key + ':':<10} {shown}  ({origin})")
    lines += [f"  note: {n}" for n in imported.notices]
    lines += ["Next:",
              "  build-dossier check                    # validate; passages and removed chrome per source",
              f"  build-dossier suggest {imported.id:<16} # debates the new passages may join (ledger YAML)",
              "  build-dossier build                    # its page, passages, topics, search and related links"]
    return "\n".join(lines)
