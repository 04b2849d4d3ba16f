"""Crash-safe replacement of what the build writes: files by a sibling and a rename, folders by an exchange.

A writing command first prepares everything in private places — a folder `.dossier-tmp-*` in the
project for the staged docs/ and site/, and `.dossier-tmp-*` siblings for single files — each file
flushed to disk (fsync). Only then does it commit, one rename per output. A crash or `kill -9` at any
moment leaves each output entirely old or entirely new; the next writing command, holding the project
lock (so no live command's files are taken), finishes or undoes what was cut short and removes the leftovers.

Folders are swapped with Linux's `renameat2(RENAME_EXCHANGE)`, which exchanges two names in one step:
`site/` is never missing, not even for a moment. Where that call is unsupported (another system, or a
file system without it) the swap takes three renames, with a moment in which the name is missing;
`restore` puts the old folder back if a crash fell into that moment.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

TMP_PREFIX = ".dossier-tmp-"
"""Names of everything private to a writing command; whatever has it after the command ended is a leftover."""
ASIDE = "-aside"
"""Suffix of the old folder while a swap without RENAME_EXCHANGE is half done."""
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP}


def _rename(src: Path, dst: Path) -> None:
    """Rename `src` over `dst` (the one primitive that replaces a file)."""
    os.replace(src, dst)


def _libc_exchange():
    """libc's renameat2, or None where there is none (not Linux, or an old libc)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    fn.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    return fn


_renameat2 = _libc_exchange()


def _exchange(a: Path, b: Path) -> None:
    """Exchange the names `a` and `b` in one step; OSError (EINVAL, ENOSYS…) where that is unsupported."""
    if _renameat2 is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available", str(b))
    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(b))


def fsync_dir(path: Path) -> None:
    """Make the names in a folder (a rename into it) durable."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(root: Path) -> None:
    """Flush every file and folder under `root` to disk (MkDocs writes without fsync)."""
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            if os.path.islink(path):
                continue
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fsync_dir(Path(folder))


def write_new(path: Path, data: bytes) -> None:
    """Create `path` (it must not exist) holding `data`, flushed to disk."""
    with open(path, "xb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def private_dir(root: Path) -> Path:
    """A new private folder in `root` for staging (same file system as the outputs, so renames stay atomic)."""
    return Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=root))


def stage_file(target: Path, data: bytes) -> Path:
    """A private sibling of `target` holding `data`, flushed to disk: `commit` renames it over `target`."""
    sibling = target.with_name(f"{TMP_PREFIX}{target.name}-{secrets.token_hex(6)}")
    try:
        write_new(sibling, data)
    except OSError as exc:
        discard(sibling)
        raise OSError(exc.errno, exc.strerror, str(target)) from None
    return sibling


def commit(sibling: Path, target: Path) -> None:
    """Replace `target` by its staged sibling in one step."""
    _rename(sibling, target)
    fsync_dir(target.parent)


def exchange(staged: Path, live: Path) -> None:
    """Put the folder `staged` at `live`'s name; `live`'s old content ends up at `staged`'s name.

    Atomic with RENAME_EXCHANGE. Without it: `live` is renamed aside (`staged` + ASIDE), `staged` takes
    its name, and the old folder moves to `staged`'s name; `restore` undoes a crash in between.
    """
    if not os.path.lexists(live):
        _rename(staged, live)
        staged.mkdir()  # as after an exchange: `staged` names the (empty) old state
    else:
        try:
            _exchange(staged, live)
        except OSError as exc:
            if exc.errno not in _UNSUPPORTED:
                raise
            aside = staged.with_name(staged.name + ASIDE)
            _rename(live, aside)
            _rename(staged, live)
            _rename(aside, staged)
    fsync_dir(live.parent)
    if staged.parent != live.parent:
        fsync_dir(staged.parent)


def discard(path: Path) -> None:
    """Remove a private file or folder, whatever is in it."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def leftovers(*folders: Path) -> list[Path]:
    """The private files and folders that commands left in `folders` (sorted)."""
    return sorted(p for folder in folders if folder.is_dir() for p in folder.glob(TMP_PREFIX + "*"))


def restore(tmp: Path, outputs: tuple[Path, ...]) -> None:
    """Undo a folder swap that a crash cut short between its renames (`tmp` is a leftover private folder).

    Only call it while holding the project lock: `tmp` could otherwise be a live command's staging.
    Such a swap left an output missing and its old folder aside in `tmp`: put that back.
    """
    for live in outputs:
        aside = tmp / (live.name + ASIDE)
        if aside.is_dir() and not os.path.lexists(live):
            _rename(aside, live)
            fsync_dir(live.parent)
