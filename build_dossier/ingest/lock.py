"""Permanence of passage addresses: `sources/passages.lock` records a fingerprint of every passage.

A passage's address (`sources/<id>.html#pN`) depends only on its source's text. The lock keeps, per
source, the SHA-256 of each passage's text and its opening words, so that after a source is edited
every passage whose text changed, moved or went away can be named. `build-dossier build` adds sources
the lock does not know yet and never changes the entries of known ones; `build-dossier lock` accepts
the current text of every source.

The lock is replaced atomically (a sibling, then a rename: `publish.outputs`), so no crash leaves it empty or cut short.
Its last line counts the entries, so a lock damaged otherwise (cut short by another tool, emptied) is
refused rather than read as a lock with fewer passages. Whenever a command replaces a readable lock, it
keeps the version it replaces as `passages.lock.bak` (ignored by git); the error for a damaged lock
says how to restore that copy or the committed one. `build-dossier lock` would instead accept every
passage as it reads now, and could no longer name the edits made since.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import Problem
from ..ids import PassageId
from ..model import Dossier, Passage
from .readfile import read_bytes
from .yamlio import parse_fast, quoted

LOCK_FILE = "passages.lock"
"""Name of the lock in `sources/`."""
LOCK_MAX_BYTES = 128 * 1024 * 1024
"""Largest lock read: about 150 bytes a passage, so 12.6 MB at 3,000 sources (82,000 passages) and room for ten times
that. The inputs' limit (`readfile.MAX_BYTES`, 8 MB) would refuse the lock a build of 3,000 sources writes."""
BACKUP_FILE = "passages.lock.bak"
"""The lock as it was before a command last replaced it, beside the lock."""
FORMAT = "build-dossier-lock/2"
LEGACY = "build-dossier-lock/1"
"""The format before the closing `passages:` count (read without that check)."""
OPENING_WORDS = 8
FIX = "if the edit is intended, update citations to the passage and run `build-dossier lock` to accept it."
SHA_RE = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Fingerprint:
    """What the lock remembers of one passage."""

    n: int
    """Paragraph number (¶N)."""
    sha256: str
    """SHA-256 (hex) of the passage's exact text, UTF-8."""
    opening: str
    """Its first words, for people reading the lock or a warning."""


Lock = dict[str, tuple[Fingerprint, ...]]
"""Source id -> fingerprints of its passages, in order."""


def fingerprint(p: Passage) -> Fingerprint:
    return Fingerprint(p.n, hashlib.sha256(p.text.encode("utf-8")).hexdigest(), " ".join(p.text.split()[:OPENING_WORDS]))


def current(dossier: Dossier) -> Lock:
    """Fingerprints of every passage of the dossier as it is now."""
    return {seg.source.id: tuple(fingerprint(p) for p in seg.passages) for seg in dossier.sources}


def dump(lock: Lock) -> str:
    """The lock file's text: sorted by source, one line per passage (diff-friendly, deterministic)."""
    lines = ["# Passage fingerprints, written by build-dossier: SHA-256 of each passage's text, and its opening words.",
             "# `build-dossier build` adds new sources; `build-dossier lock` accepts edits. Do not edit by hand.",
             f"format: {FORMAT}", "sources:"]
    for sid in sorted(lock):
        lines.append(f"  {quoted(sid)}:" + ("" if lock[sid] else " []"))  # quoted: `true`, `010` stay strings
        lines += [f"    - {{n: {f.n}, sha256: \"{f.sha256}\", opening: {quoted(f.opening)}}}"
                  for f in lock[sid]]
    lines.append(f"passages: {sum(len(prints) for prints in lock.values())}")  # last: a lock cut short lacks it
    return "\n".join(lines) + "\n"


def read(path: Path, rel: str) -> tuple[Lock | None, list[Problem]]:
    """The lock at `path` (None if there is none), with a problem for anything malformed."""
    lock, problems = _parse(path, rel)
    fix = restore_fix(path, rel) if problems else ""
    return lock, [dataclasses.replace(p, fix=fix) for p in problems]


def _parse(path: Path, rel: str) -> tuple[Lock | None, list[Problem]]:
    """The lock at `path` (None if there is none), with a problem (without a fix) for anything malformed."""
    if not path.exists():
        return None, []
    raw, problems = read_bytes(path, rel, LOCK_MAX_BYTES, "", "")  # a folder or a named pipe here is refused, not read
    if raw is None:
        return None, problems
    try:
        text = raw.decode("utf-8")
        # libyaml where it reads the text (12.6 MB at 3,000 sources: 6 s, not a minute), else PyYAML, whose errors
        # say what is wrong
        fast = parse_fast(text)
        data = fast[1] if fast is not None else yaml.safe_load(text)
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        return None, [Problem(rel, "", f"the lock file cannot be read: {str(exc).splitlines()[0]}",
                              line=line + 1 if line is not None else None)]
    if not isinstance(data, dict) or data.get("format") not in (FORMAT, LEGACY) or not isinstance(data.get("sources"), dict):
        return None, [Problem(rel, "format", f"not a passage lock (expected `format: {FORMAT}` and a `sources:` mapping): "
                              "it is empty or damaged.")]
    lock: Lock = {}
    problems = []
    for sid, entries in data["sources"].items():
        prints = []
        for i, e in enumerate(entries if isinstance(entries, list) else [None]):
            ok = (isinstance(e, dict) and e.get("n") == i + 1 and isinstance(e.get("sha256"), str)
                  and SHA_RE.fullmatch(e["sha256"]) and isinstance(e.get("opening"), str))
            if not ok:
                problems.append(Problem(rel, f"sources.{sid}[{i}]", f"malformed entry {e!r} (expected "
                                        f"{{n: {i + 1}, sha256: <64 hex digits>, opening: \"…\"}})."))
                break
            prints.append(Fingerprint(e["n"], e["sha256"], e["opening"]))
        lock[str(sid)] = tuple(prints)
    total = sum(len(prints) for prints in lock.values())
    if not problems and data["format"] == FORMAT and data.get("passages") != total:
        problems.append(Problem(rel, "passages", f"the lock is cut short: its closing line `passages: {total}` "
                                "(the count of the entries above it) is missing or wrong."))
    return (None if problems else lock), problems


def readable(path: Path) -> bool:
    """True if `path` holds a well-formed lock."""
    return _parse(path, "")[1] == []


def restore_fix(path: Path, rel: str) -> str:
    """How to get a damaged lock back without losing its fingerprints."""
    backup = path.with_name(BACKUP_FILE)
    kept = ""
    if backup.is_file() and readable(backup):
        rel_backup = rel[: -len(path.name)] + BACKUP_FILE
        kept = f", or from the copy kept when it was last replaced: `cp {rel_backup} {rel}`"
    return (f"restore it from version control (`git checkout -- {rel}`){kept}. Only if neither is possible, "
            "run `build-dossier lock` to write a new one: it accepts the current text of every passage, so "
            "edits made since the lock was written can no longer be named.")


def _began(f: Fingerprint) -> str:
    return f"it began “{f.opening}…”"


def drift(locked: Lock, now: Lock, rel: str) -> list[Problem]:
    """A warning for every locked passage whose text changed, moved or went away, in source and passage order."""
    out = []
    for sid in sorted(locked):
        old = locked[sid]
        if sid not in now:
            out.append(Problem(rel, sid, f"{sid} is in the lock but no longer in sources/: citations to its "
                               f"{len(old)} passages may be stale.", FIX, severity="warning"))
            continue
        new = now[sid]
        a, b = [f.sha256 for f in old], [f.sha256 for f in new]
        where: dict[int, int] = {}      # old index -> new index, for text found again
        changed, removed = [], []       # old indices
        spare: list[int] = []           # new indices not matched in order
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if tag == "equal":
                where.update({i1 + k: j1 + k for k in range(i2 - i1)})
                continue
            spare += range(j1, j2)
            (changed if tag == "replace" else removed).extend(range(i1, i2))
        for i in sorted(changed + removed):  # text that left its place but stands elsewhere: moved, not lost
            j = next((j for j in spare if b[j] == a[i]), None)
            if j is not None:
                spare.remove(j)
                where[i] = j
        for i, f in enumerate(old):
            if where.get(i) == i:
                continue
            if i in where:
                message = f"¶{f.n} of {sid} now reads as ¶{where[i] + 1}: citations to ¶{f.n} may be stale."
            elif i in changed:
                message = f"¶{f.n} of {sid} changed: citations to it may be stale ({_began(f)})."
            else:
                message = f"¶{f.n} of {sid} was removed: citations to it may be stale ({_began(f)})."
            out.append(Problem(rel, PassageId(sid, f.n), message, FIX, severity="warning"))
    return out


def merged(locked: Lock | None, now: Lock) -> Lock:
    """The lock with the sources it does not know yet added; known sources keep their entries."""
    base = dict(locked or {})
    for sid, prints in now.items():
        base.setdefault(sid, prints)
    return base
