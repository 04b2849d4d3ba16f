"""Declarative validation shared by source front matter and ledgers."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..errors import Problem
from ..ids import SLUG_RE
from .yamlio import YamlDoc

URL_RE = re.compile(r"^https?://[^\s<>\"']+$")
UNSHOWABLE_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""Control characters, lone surrogates and non-characters: invisible, and not writable to page front matter."""


def char_name(ch: str) -> str:
    """`U+001B, a control character`: a character no page can show, as messages name it."""
    what = "a lone surrogate" if "\ud800" <= ch <= "\udfff" else "a non-character" if ch > "\ud800" else "a control character"
    return f"U+{ord(ch):04X}, {what}"


def _unshowable(value: str) -> str | None:
    """Error for the first character of `value` no page can show, or None."""
    m = UNSHOWABLE_RE.search(value)
    return f"contains {char_name(m.group())}, at position {m.start() + 1}." if m else None


def unshowable_lines(text: str, file: str, first_line: int, fix: str) -> list[Problem]:
    """One problem naming every line of `text` with a character no page can show (tab and line ends are fine).

    `first_line` is the file's line number of the text's first line.
    """
    found = [(n, m) for n, line in enumerate(text.split("\n")) if (m := UNSHOWABLE_RE.search(line))]
    if not found:
        return []
    (n, m), rest = found[0], found[1:]
    also = ""
    if rest:
        listed = ", ".join(str(first_line + k) for k, _ in rest[:10]) + (", …" if len(rest) > 10 else "")
        also = f"; {len(rest)} more line{'s have' if len(rest) > 1 else ' has'} one: {listed}"
    return [Problem(file, "", f"the text contains {char_name(m.group())}, at column {m.start() + 1}{also}.", fix,
                    first_line + n)]


@dataclass(frozen=True)
class Field:
    """One key of a mapping: its type, whether it must be there, and what null means."""

    name: str
    """The key as written in YAML."""
    kind: str
    """One of: text, slug, date, url, text-list, choice, choice-list, any."""
    required: bool = True
    """A missing required key is an error."""
    nullable: bool = False
    """`null` is allowed, but only with a `<name>_note` saying why the value is unknown."""
    choices: tuple[str, ...] = ()
    """Valid values for `choice` and `choice-list`."""
    doc: str = ""
    """One line for the format documentation."""
    example: str = ""
    """An example value, used in fix hints."""


def _check(field: Field, value: object) -> tuple[object, str | None, str]:
    """Return (normalised value, error or None, fix hint)."""
    kind = field.kind
    if kind == "any":
        return value, None, ""
    if kind in ("text", "slug", "url", "choice"):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value, f"expected text, got the number {value!r}.", (f'write it in quotes if it is meant as text '
                                                                        f'({field.name}: "{value}"), or e.g. {field.name}: '
                                                                        f'{field.example or "some text"}.')
        if not isinstance(value, str) or not value.strip():
            return value, f"expected a non-empty string, got {value!r}.", f"write e.g. {field.name}: {field.example or 'some text'}"
        if _unshowable(value):
            return value, _unshowable(value), "remove it (a `\\x..` or `\\u..` escape in a quoted value makes one)."
        if kind == "slug" and not SLUG_RE.fullmatch(value):
            return value, f"{value!r} is not a valid id.", "use lowercase letters, digits and single hyphens, e.g. " + (field.example or "lo-cepa-2024") + "."
        if kind == "url" and not URL_RE.match(value):
            return value, f"{value!r} is not an http(s) URL.", "write the full address starting with https://, or null with a note."
        if kind == "choice" and value not in field.choices:
            return value, f"{value!r} is not one of the valid values.", "use one of: " + ", ".join(field.choices) + "."
        return value, None, ""
    if kind == "date":
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return value.isoformat(), None, ""
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value).isoformat(), None, ""
            except ValueError:
                pass
        return value, f"{value!r} is not an ISO date.", "write YYYY-MM-DD (e.g. 2024-04-09), or null with a note."
    if kind in ("text-list", "choice-list"):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            return value, f"expected a non-empty list, got {value!r}.", f"write e.g. {field.name}: [{field.example or 'item'}]"
        for item in value:
            if not isinstance(item, str) or not item.strip():
                return value, f"list item {item!r} is not a non-empty string.", "write each item as text."
            if _unshowable(item):
                return value, f"list item {item!r} " + _unshowable(item), "remove it."
            if kind == "choice-list" and item not in field.choices:
                return value, f"{item!r} is not one of the valid values.", "use any of: " + ", ".join(field.choices) + "."
        return tuple(value), None, ""
    raise ValueError(f"unknown field kind {kind}")


def validate(data: object, fields: tuple[Field, ...], file: str, doc: YamlDoc | None,
             prefix: str = "") -> tuple[dict, list[Problem]]:
    """Check a mapping against `fields`; return the clean values and every problem."""
    where = prefix or "the document"
    if not isinstance(data, dict):
        line = doc.line(prefix) if doc else None
        return {}, [Problem(file, prefix, f"{where} must be a mapping of keys to values, got {type(data).__name__}.",
                            "write `key: value` lines.", line)]
    problems: list[Problem] = []
    known = {f.name for f in fields} | {f"{f.name}_note" for f in fields if f.nullable}
    out: dict = {}

    def path(name: str) -> str:
        return f"{prefix}.{name}" if prefix else name

    def line(name: str) -> int | None:
        return doc.line(path(name)) if doc else None

    for key in data:
        if str(key) not in known:
            close = [k for k in sorted(known) if k.startswith(str(key)[:3])]
            hint = f"did you mean {close[0]!r}? " if close else ""
            problems.append(Problem(file, path(str(key)), f"unknown key {str(key)!r}.",
                                    hint + "valid keys: " + ", ".join(sorted(known)) + ".", line(str(key)), "warning"))
    for f in fields:
        if f.name not in data:
            if f.required:
                problems.append(Problem(file, path(f.name), f"required key {f.name!r} is missing.",
                                        f"add `{f.name}: {f.example or '…'}`" + (" (or null with a note)" if f.nullable else "") + ".",
                                        doc.line(prefix) if doc and prefix else None))
            out[f.name] = None
            continue
        value = data[f.name]
        note_key = f"{f.name}_note"
        if value is None and not f.required:
            out[f.name] = None
        elif value is None:
            if not f.nullable:
                problems.append(Problem(file, path(f.name), f"{f.name!r} must not be null.",
                                        f"give a value, e.g. {f.name}: {f.example or '…'}.", line(f.name)))
            elif not isinstance(data.get(note_key), str) or not data.get(note_key, "").strip():
                problems.append(Problem(file, path(f.name), f"{f.name!r} is null but no {note_key!r} says why.",
                                        f"add `{note_key}: \"…why it is unknown…\"`.", line(f.name)))
            out[f.name] = None
        else:
            clean, error, fix = _check(f, value)
            if error:
                problems.append(Problem(file, path(f.name), error, fix, line(f.name)))
            out[f.name] = None if error else clean  # later checks never see a value of the wrong type
        if f.nullable:
            note = data.get(note_key)
            if note is not None and not isinstance(note, str):
                problems.append(Problem(file, path(note_key), f"{note_key!r} must be text, got {note!r}.",
                                        "write the note as a sentence.", line(note_key)))
                note = None
            out[note_key] = note
    return out, problems


def describe(fields: tuple[Field, ...]) -> str:
    """Markdown table of `fields`, for the format documentation."""
    rows = ["| key | required | null allowed | meaning |", "| --- | --- | --- | --- |"]
    for f in fields:
        rows.append(f"| `{f.name}` | {'yes' if f.required else 'no'} | "
                    f"{'yes, with `' + f.name + '_note`' if f.nullable else 'no'} | {f.doc} |")
    return "\n".join(rows)
