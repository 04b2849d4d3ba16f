"""Writing docs/: the generated part is replaced as a whole, never half old and half new.

docs/ mixes hand-written pages (tracked by git, edited by the user) with generated ones (the
locations of the page kinds in `render.registry`). No rename can swap a set of scattered files at once, so the
build stages a complete new docs/ in its private folder — each hand-written entry hard-linked (the
same file, not a copy), each generated file written, or linked from docs/ if unchanged — and
exchanges the two folders in one step (`atomic.exchange`). The generated part is then entirely old
or entirely new at every moment, and nothing is written when it did not change (`mkdocs serve`,
which watches docs/, does not loop; unchanged files keep their inode, so its watcher sees no event).

A hand-written page edited while the build runs is not lost: an edit in place shows through the hard
link in both trees, and one saved as a new file (most editors), or a file added or deleted, lands in
the old tree; after the exchange `reconcile` carries it over into the new docs/, unless the page was
changed again in the new docs/ since (the newer edit wins). The list of linked entries is kept beside
the staged tree, so a crash between the exchange and `reconcile` is reconciled by the next build.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..render.registry import GENERATED_DIRS, GENERATED_FILES, Packed, is_generated
from . import atomic


def copy_site_inputs(root: Path, dest: Path) -> None:
    """Copy a project's site inputs — mkdocs.yml, the hook, the theme and the hand-written part of docs/ — into `dest`.

    Tests and benchmarks build throw-away projects from these and their own sources/.
    """
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(root / "mkdocs.yml", dest / "mkdocs.yml")
    (dest / "build_dossier").mkdir(exist_ok=True)
    shutil.copy2(root / "build_dossier" / "mkdocs_hook.py", dest / "build_dossier" / "mkdocs_hook.py")
    shutil.copytree(root / "build_dossier" / "theme", dest / "build_dossier" / "theme", dirs_exist_ok=True)
    for path in sorted((root / "docs").rglob("*")):
        rel = path.relative_to(root / "docs").as_posix()
        if path.is_file() and not is_generated(rel):
            (dest / "docs" / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest / "docs" / rel)


Signature = tuple[int, int, int, int, int]
"""What identifies one state of a directory entry: device, inode, mode, size, modification time (ns)."""


def signature(path: Path) -> Signature | None:
    """The entry's signature (not following a symlink), or None if there is none."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    return st.st_dev, st.st_ino, st.st_mode, st.st_size, st.st_mtime_ns


@dataclass(frozen=True)
class StagedDocs:
    """A complete new docs/, staged in the build's private folder."""

    path: Path
    """The staged folder."""
    changed: bool
    """Whether its generated part differs from docs/ (else docs/ is left alone)."""
    placed: dict[str, tuple[Signature, Signature]]
    """Hand-written entry -> (its signature in docs/ when staged, its signature in the staged folder)."""


def _place(src: Path, dst: Path) -> None:
    """Put `src` at `dst` as the same file (a hard link), or a copy where links are impossible."""
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError:
        shutil.copy2(src, dst, follow_symlinks=False)


def _same(path: Path, data: bytes) -> bool:
    """True if `path` is a regular file holding exactly `data`."""
    return path.is_file() and not path.is_symlink() and path.stat().st_size == len(data) and path.read_bytes() == data


def _stale(files: Mapping[str, str], docs_dir: Path) -> bool:
    """True if docs/ holds a generated entry the build no longer makes."""
    for name in GENERATED_FILES + GENERATED_DIRS:
        top = docs_dir / name
        if top.is_dir() and not top.is_symlink():
            entries = [p for p in top.rglob("*") if p.is_symlink() or not p.is_dir()]
        else:
            entries = [top] if os.path.lexists(top) else []
        if any(p.relative_to(docs_dir).as_posix() not in files for p in entries):
            return True
    return False


STAGED = "docs"
"""Name of the staged docs/ in the private folder; its manifest is `docs.json` beside it."""


def stage_docs(files: Mapping[str, str], docs_dir: Path, tmp: Path, durable: bool = True) -> StagedDocs:
    """Stage docs/ as it should be in the private folder `tmp`: hand-written entries linked, `files` written.

    `durable`: flushed to disk (fsync) before it is swapped in; `serve` skips it, the swap stays atomic.
    """
    placed: dict[str, tuple[Signature, Signature]] = {}
    staging = tmp / STAGED
    staging.mkdir()
    if docs_dir.is_dir():
        for folder, dirs, names in os.walk(docs_dir):
            here = Path(folder).relative_to(docs_dir)
            descend = []
            for name in sorted(dirs + names):
                rel, src = (here / name).as_posix(), Path(folder) / name
                if is_generated(rel):
                    continue
                if name in dirs and not src.is_symlink():
                    (staging / rel).mkdir()
                    descend.append(name)
                    continue
                before = signature(src)
                if before is None:
                    continue  # deleted since it was listed
                _place(src, staging / rel)
                placed[rel] = (before, signature(staging / rel))
            dirs[:] = descend
    changed = _stale(files, docs_dir)
    for rel in sorted(files):
        # held compressed (`Packed`): its bytes, never its text (a gigabyte for dossier.json at 3,000 sources)
        data, target = files.data(rel) if isinstance(files, Packed) else files[rel].encode("utf-8"), staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if _same(docs_dir / rel, data):
            _place(docs_dir / rel, target)  # unchanged: the same inode, so a watcher sees no change
        else:
            atomic.write_new(target, data)
            changed = True
    staged = StagedDocs(staging, changed, placed)
    atomic.write_new(tmp / f"{STAGED}.json", json.dumps({"folder": signature(staging), "placed": placed}).encode("utf-8"))
    if durable:
        atomic.fsync_tree(staging)
    return staged


def commit_docs(staged: StagedDocs, docs_dir: Path) -> None:
    """Swap the staged docs/ in (one step), then carry over hand-written edits made meanwhile."""
    atomic.exchange(staged.path, docs_dir)
    reconcile(staged.path, docs_dir, staged.placed)


def reconcile(old: Path, new: Path, placed: dict[str, tuple[Signature, Signature]]) -> None:
    """Carry hand-written entries changed, added or removed in `old` during the build over into `new`."""
    for rel, (before, staged) in sorted(placed.items(), reverse=True):
        was = signature(old / rel)
        if was == before or signature(new / rel) != staged:
            continue  # untouched during the build, or changed again since the swap: that newer edit wins
        if was is None:
            (new / rel).unlink()
        else:
            atomic.commit(old / rel, new / rel)
    for folder, dirs, names in os.walk(old):
        here = Path(folder).relative_to(old)
        for name in sorted(dirs + names):
            rel = (here / name).as_posix()
            if rel not in placed and not is_generated(rel) and not os.path.lexists(new / rel):
                (new / rel).parent.mkdir(parents=True, exist_ok=True)
                atomic.commit(old / rel, new / rel)  # added during the build (a whole folder moves at once)
        dirs[:] = [d for d in dirs if not is_generated((here / d).as_posix()) and (Path(folder) / d).is_dir()]


def recover_docs(tmp: Path, docs_dir: Path) -> None:
    """After a crash: if a build swapped its staged docs/ in from `tmp` but did not reconcile, do it now."""
    old = next((p for p in (tmp / (STAGED + atomic.ASIDE), tmp / STAGED) if p.is_dir()), None)
    try:
        manifest = json.loads((tmp / f"{STAGED}.json").read_text(encoding="utf-8"))
        folder = tuple(manifest["folder"])
        placed = {rel: (tuple(a), tuple(b)) for rel, (a, b) in manifest["placed"].items()}
    except (OSError, ValueError, TypeError, KeyError):
        return  # the build stopped before its docs/ was staged: nothing was swapped
    here = signature(docs_dir)
    if old is not None and here is not None and here[:2] == folder[:2]:
        reconcile(old, docs_dir, placed)
