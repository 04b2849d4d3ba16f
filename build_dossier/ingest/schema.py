"""Declarative validation shared by source front matter, the ledgers and the package's data files.

A mapping is described by a tuple of `Field`s; a field's value may itself be a mapping (`record`), a
list of mappings (`records`), a list (`list`) or a mapping of keys to values (`mapping`), each described
by the same means, so that a whole file is one declaration. Every problem names its key path
(`debates[3].positions[1].quote`) and line; all problems are collected, none raised.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
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
    """text, slug, date, url, choice, text-list, choice-list, number, integer, bool, any; or, nested:
    record (a mapping of `fields`), records (a list of such mappings), list (of `item`s),
    mapping (keys to `item`s)."""
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
    fields: tuple[Field, ...] = ()
    """record, records: the keys of the mapping (of each mapping)."""
    item: Field | None = None
    """list: each element; mapping: each value."""
    keys: tuple[str, ...] = ()
    """mapping: exactly these keys, if given."""
    key_noun: str = ""
    """mapping: what a key is (`source id`), for messages."""
    noun: str = ""
    """choice: what a valid value is (`a relation`); records, list: what one element is (`debate`, `phrase`)."""
    minimum: float | None = None
    """number, integer: the smallest valid value."""
    maximum: float | None = None
    """number, integer: the largest valid value."""
    below: float | None = None
    """number: every valid value is smaller than this."""
    min_items: int | None = None
    """lists: the fewest elements (default: 1 for text-list, choice-list and list, 0 for records)."""
    unique: bool = False
    """In the mappings of a `records` field: no two share this key's value (an id)."""
    default: object = None
    """The value of an optional key that is absent."""
    fix: str = ""
    """The fix hint, where the generic one would not do."""
    check: Callable[[object], tuple[str, str] | None] | None = None
    """A further check of a value of the right type: (message, fix) of the problem, or None."""


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
            return value, f"{value!r} is not {field.noun or 'one of the valid values'}.", "use one of: " + ", ".join(field.choices) + "."
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
        if not isinstance(value, list) or not value and field.min_items != 0:
            return value, f"expected a non-empty list, got {value!r}.", f"write e.g. {field.name}: [{field.example or 'item'}]"
        for item in value:
            if not isinstance(item, str) or not item.strip():
                return value, f"list item {item!r} is not a non-empty string.", "write each item as text."
            if _unshowable(item):
                return value, f"list item {item!r} " + _unshowable(item), "remove it."
            if kind == "choice-list" and item not in field.choices:
                return value, f"{item!r} is not {field.noun or 'one of the valid values'}.", (
                    field.fix or "use any of: " + ", ".join(field.choices) + ".")
        return tuple(value), None, ""
    raise ValueError(f"unknown field kind {kind}")


def _range(f: Field) -> str:
    """` from 0 up to (not including) 1`, ` between 0 and 1`, ` of at least 0`: a field's valid numbers."""
    if f.minimum is not None and f.below is not None:
        return f" from {f.minimum:g} up to (not including) {f.below:g}"
    if f.minimum is not None and f.maximum is not None:
        return f" between {f.minimum:g} and {f.maximum:g}"
    if f.minimum is not None:
        return f" of at least {f.minimum:g}"
    return ""


def _number(f: Field, value: object) -> tuple[object, str | None, str]:
    """Check a number (an integer for `integer`) against the field's range."""
    whole = f.kind == "integer"
    ok = isinstance(value, int if whole else int | float) and not isinstance(value, bool)
    if ok and not ((f.minimum is None or value >= f.minimum) and (f.maximum is None or value <= f.maximum)
                   and (f.below is None or value < f.below)):
        ok = False
    if ok:
        return value, None, ""
    return value, f"{value!r} is not {'a whole number' if whole else 'a number'}{_range(f)}.", f.fix or (
        f"write e.g. `{f.name}: {f.example or 1}`.")


class _Where:
    """The file being checked: makes problems with the line of their key path."""

    def __init__(self, file: str, doc: YamlDoc | None, unknown: str):
        self.file, self.doc, self.unknown = file, doc, unknown

    def problem(self, path: str, message: str, fix: str = "") -> Problem:
        return Problem(self.file, path, message, fix, self.doc.line(path) if self.doc else None)


def _value(f: Field, value: object, path: str, where: _Where) -> tuple[object, list[Problem]]:
    """The clean value of field `f` at `path`, and its problems (None where it is wrong)."""
    kind = f.kind
    if kind == "record":
        return _mapping(value, f.fields, path, where)
    if kind == "records":
        return _records(f, value, path, where)
    if kind == "list":
        return _list(f, value, path, where)
    if kind == "mapping":
        return _keyed(f, value, path, where)
    if kind in ("number", "integer"):
        clean, error, fix = _number(f, value)
    elif kind == "bool":
        clean, error, fix = value, None if isinstance(value, bool) else f"{value!r} is not true or false.", f.fix
    else:
        clean, error, fix = _check(f, value)
    if error is None and f.check is not None and (found := f.check(clean)):
        error, fix = found
    return (None, [where.problem(path, error, fix)]) if error else (clean, [])


def _records(f: Field, value: object, path: str, where: _Where) -> tuple[object, list[Problem]]:
    """A list of mappings, each checked against `f.fields`; ids marked `unique` must differ."""
    least = f.min_items or 0
    if not isinstance(value, list) or len(value) < least:
        got = f"{len(value)}" if isinstance(value, list) else repr(value)
        return None, [where.problem(path, f"expected a list of {f'at least {least} ' if least else ''}{f.noun}s, got {got}.",
                                    f.fix)]
    out, problems = [], []
    seen: dict[tuple[str, object], int] = {}
    for i, item in enumerate(value):
        clean, found = _mapping(item, f.fields, f"{path}[{i}]", where)
        problems += found
        out.append(clean)
        for key in (k.name for k in f.fields if k.unique):
            mine = clean.get(key)
            if mine is None:
                continue
            if (key, mine) in seen:
                problems.append(where.problem(f"{path}[{i}].{key}", f"duplicate {f.noun} {key} {mine!r} (also "
                                              f"{path}[{seen[key, mine]}]).", f"give each {f.noun} its own {key}."))
            else:
                seen[key, mine] = i
    return tuple(out), problems


def _list(f: Field, value: object, path: str, where: _Where) -> tuple[object, list[Problem]]:
    """A list of `f.item`s."""
    least = 1 if f.min_items is None else f.min_items
    if not isinstance(value, list) or len(value) < least:
        return None, [where.problem(path, f"expected a {'non-empty ' if least else ''}list of {f.noun}s, got {value!r}.",
                                    f.fix or f"write e.g. `{f.name}: {f.example}`.")]
    out, problems = [], []
    for i, item in enumerate(value):
        clean, found = _value(f.item, item, f"{path}[{i}]", where)
        problems += found
        out.append(clean)
    return tuple(out), problems


def _keyed(f: Field, value: object, path: str, where: _Where) -> tuple[object, list[Problem]]:
    """A mapping of keys (`f.key_noun`) to `f.item`s; exactly `f.keys`, if given."""
    if not isinstance(value, dict) or f.keys and set(value) != set(f.keys):
        if f.keys:
            problem = where.problem(path, f"expected a mapping with exactly the {f.key_noun} {', '.join(f.keys)}.",
                                    f.fix or f"add or remove {f.key_noun} to match.")
        else:
            problem = where.problem(path, f"expected a mapping of {f.key_noun} to {f.item.name}, got {value!r}.",
                                    f.fix or f"write e.g. `{f.name}: {f.example}`.")
        if not isinstance(value, dict):
            return None, [problem]
        problems = [problem]
    else:
        problems = []
    out = {}
    for key, item in value.items():
        if not isinstance(key, str):
            problems.append(where.problem(f"{path}.{key}", f"the key {key!r} is not a {f.key_noun} (YAML reads it as "
                                          f"{type(key).__name__}).", f"write the {f.key_noun}, in quotes if it looks like "
                                          f'a number: "{key}": {f.item.example}.'))
            continue
        clean, found = _value(f.item, item, f"{path}.{key}", where)
        problems += found
        if not found:
            out[key] = clean
    return out, problems


def validate(data: object, fields: tuple[Field, ...], file: str, doc: YamlDoc | None, prefix: str = "",
             unknown: str = "warning") -> tuple[dict, list[Problem]]:
    """Check a mapping against `fields`; return the clean values and every problem.

    An unknown key is a problem of severity `unknown` (`warning` in front matter and ledgers, `error` in the
    package's data files).
    """
    return _mapping(data, fields, prefix, _Where(file, doc, unknown))


def _mapping(data: object, fields: tuple[Field, ...], prefix: str, where: _Where) -> tuple[dict, list[Problem]]:
    """Check a mapping (the document, or one at `prefix`) against `fields`."""
    file, doc = where.file, where.doc
    what = prefix or "the document"
    if not isinstance(data, dict):
        line = doc.line(prefix) if doc else None
        return {}, [Problem(file, prefix, f"{what} must be a mapping of keys to values, got {type(data).__name__}.",
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
            close = difflib.get_close_matches(str(key), sorted(known), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            problems.append(Problem(file, path(str(key)), f"unknown key {str(key)!r}.",
                                    hint + "valid keys: " + ", ".join(sorted(known)) + ".", line(str(key)), where.unknown))
    for f in fields:
        if f.name not in data:
            if f.required:
                problems.append(Problem(file, path(f.name), f"required key {f.name!r} is missing.",
                                        f"add `{f.name}: {f.example or '…'}`" + (" (or null with a note)" if f.nullable else "") + ".",
                                        doc.line(prefix) if doc and prefix else None))
            out[f.name] = f.default
            continue
        value = data[f.name]
        note_key = f"{f.name}_note"
        if value is None and not f.required:
            out[f.name] = f.default
        elif value is None:
            if not f.nullable:
                problems.append(Problem(file, path(f.name), f"{f.name!r} must not be null.",
                                        f"give a value, e.g. {f.name}: {f.example or '…'}.", line(f.name)))
            elif not isinstance(data.get(note_key), str) or not data.get(note_key, "").strip():
                problems.append(Problem(file, path(f.name), f"{f.name!r} is null but no {note_key!r} says why.",
                                        f"add `{note_key}: \"…why it is unknown…\"`.", line(f.name)))
            out[f.name] = None
        else:
            clean, found = _value(f, value, path(f.name), where)
            problems += found
            out[f.name] = clean  # None where wrong: later checks never see a value of the wrong type
        if f.nullable:
            note = data.get(note_key)
            if note is not None and not isinstance(note, str):
                problems.append(Problem(file, path(note_key), f"{note_key!r} must be text, got {note!r}.",
                                        "write the note as a sentence.", line(note_key)))
                note = None
            out[note_key] = note
    return out, problems
