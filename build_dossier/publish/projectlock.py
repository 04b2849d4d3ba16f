"""One writing command at a time: the project lock `.dossier.lock`.

`build`, `serve` and `lock` hold it while they run, `suggest --write` and `review` while they write the
ledger (`check` writes nothing and does not). It is an
advisory `flock` on the file, so a holder that dies — even by `kill -9` — releases it at once; the file
itself stays and only tells who holds it now (pid, command, start time). A second command waits up to
`DOSSIER_LOCK_WAIT` seconds (default 60), saying so, then stops with a message naming the holder.
`serve` passes its open lock to its `mkdocs serve` child (`DOSSIER_LOCK_FD`), whose rebuilds then
write under the parent's lock instead of waiting for it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import logging
import os
import shlex
import sys
import time
from pathlib import Path

from ..errors import DossierError, Problem

LOCK_FILE = ".dossier.lock"
"""Name of the project lock, in the project folder (ignored by git)."""
WAIT_ENV = "DOSSIER_LOCK_WAIT"
"""Seconds a command waits for the project lock before it gives up."""
DEFAULT_WAIT = 60.0
FD_ENV = "DOSSIER_LOCK_FD"
"""Descriptor of the project lock a parent process (`serve`) holds for this one."""
_POLL = 0.2

log = logging.getLogger("build_dossier")
_held: dict[Path, int] = {}
"""Lock files this process holds -> their descriptor (a second `with` in the process is a no-op)."""


def _wait() -> float:
    """How long to wait for a busy lock, from `WAIT_ENV`."""
    value = os.environ.get(WAIT_ENV, "")
    try:
        return max(0.0, float(value)) if value else DEFAULT_WAIT
    except ValueError:
        raise DossierError([Problem(WAIT_ENV, "", f"{value!r} is not a number of seconds.",
                                    f"set {WAIT_ENV} to a number such as 60, or unset it.")]) from None


def _inherited(path: Path) -> bool:
    """True if the parent process passed us its open (and held) lock on `path`."""
    value = os.environ.get(FD_ENV, "")
    if not value.isdigit():
        return False
    try:
        mine, theirs = os.fstat(int(value)), os.stat(path)
    except OSError:
        return False
    return (mine.st_dev, mine.st_ino) == (theirs.st_dev, theirs.st_ino)


def holder(path: Path) -> str:
    """Who holds the lock at `path`, as its holder wrote it."""
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        return f"`{info['command']}` (pid {info['pid']}, since {info['started']})"
    except (OSError, ValueError, KeyError, TypeError):
        return "another build-dossier command (it has not written its name yet)"


def _command() -> str:
    """This process's command as typed: `build-dossier build …`, `python -m mkdocs serve …`."""
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    prog = f"python -m {spec.name.removesuffix('.__main__')}" if spec else Path(sys.argv[0]).name
    return " ".join([prog, shlex.join(sys.argv[1:])]).strip()


def _try(fd: int) -> bool:
    """Take the lock on `fd` if it is free; return whether it was."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _acquire(fd: int, path: Path) -> None:
    """Take the lock on `fd`, waiting a bounded time (and saying so); DossierError naming the holder if it stays busy."""
    if _try(fd):
        return
    wait = _wait()
    if wait:
        log.warning("waiting for %s to finish: it holds the project lock %s (waiting up to %g s; %s sets the limit)",
                    holder(path), LOCK_FILE, wait, WAIT_ENV)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        time.sleep(_POLL)
        if _try(fd):
            return
    raise DossierError([Problem(LOCK_FILE, "", f"the project is busy: {holder(path)} holds the project lock, "
                                         f"and it was not released within {wait:g} s.",
                                "wait for that command to finish (or stop it), then run this one again; "
                                f"{WAIT_ENV}=SECONDS waits longer.")])


@contextlib.contextmanager
def project_lock(root: Path, command: str | None = None):
    """Hold the project lock of the project in `root` for the body; yield its descriptor."""
    path = root / LOCK_FILE
    if path in _held:
        yield _held[path]
        return
    if _inherited(path):
        yield int(os.environ[FD_ENV])
        return
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise DossierError([Problem(LOCK_FILE, "", f"the project lock cannot be created: {exc.strerror}.",
                                    "make the project folder writable: build-dossier writes docs/, site/ and "
                                    "this lock there.")]) from None
    try:
        _acquire(fd, path)
        info = {"pid": os.getpid(), "command": command or _command(),
                "started": dt.datetime.now().astimezone().isoformat(timespec="seconds")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(info) + "\n").encode("utf-8"), 0)
        _held[path] = fd
        try:
            yield fd
        finally:
            del _held[path]
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
