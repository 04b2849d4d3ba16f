"""The rules every writing command follows: one at a time, leftovers recovered first, clear file-system errors.

A writing command (`build`, `serve`, `lock`) runs its body inside `writing`: it holds the project lock,
refuses output folders it could not replace as a whole, and finishes or undoes what an interrupted
command left. A file-system failure in the body (full disk, read-only folder) becomes one clear error
saying what state the outputs are in (`os_errors`). The passage lock is replaced like any single file:
a staged sibling, then a rename (`stage_lock`, `commit_lock`), keeping the version it replaces.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
from pathlib import Path

from ..errors import DossierError, Problem, fail_on
from ..ingest import lock
from ..ingest.config import Project
from ..ingest.readfile import display_path
from . import atomic
from .projectlock import project_lock
from .write import STAGED, recover_docs

log = logging.getLogger("build_dossier")

StagedFiles = list[tuple[Path, Path]]
"""Staged siblings, each with the file it replaces when committed."""


@contextlib.contextmanager
def writing(project: Project, *outputs: Path):
    """Hold the project lock for the body, having cleaned up after interrupted commands; check `outputs`."""
    with project_lock(project.root):
        fail_on(output_problems(project.root, *outputs))
        removed = recover(project.root, (project.docs_dir, project.site_dir), project.sources_dir)
        if removed:
            log.info("cleaned up after an interrupted command: %s", ", ".join(project.rel(p) for p in removed))
        yield


@contextlib.contextmanager
def os_errors(project: Project, committed: bool):
    """Turn a file-system failure into a DossierError that says what state the outputs are in."""
    try:
        yield
    except OSError as exc:
        raise DossierError([os_problem(exc, project.root, committed)]) from None


def recover(root: Path, outputs: tuple[Path, ...], *folders: Path) -> list[Path]:
    """Finish or undo what interrupted commands left in `root` and `folders`, then remove it; return what was removed.

    Only while holding the project lock: a leftover could otherwise be a live command's staging.
    """
    found = atomic.leftovers(root, *folders)
    docs_dir = next(p for p in outputs if p.name == STAGED)
    for tmp in found:
        if tmp.is_dir():
            atomic.restore(tmp, outputs)
            recover_docs(tmp, docs_dir)
        atomic.discard(tmp)
    return found


def output_problems(root: Path, *outputs: Path) -> list[Problem]:
    """An error for each output folder that the build cannot replace as a whole (a link, or not a folder)."""
    problems = []
    for path in outputs:
        rel = display_path(path, root)
        if path.is_symlink():
            problems.append(Problem(rel, "", f"{rel} is a symbolic link (to {os.readlink(path)}): the build replaces "
                                    f"{rel}/ as a whole, atomically, and does not write through a link.",
                                    f"remove the link (`rm {rel}`) and build again; to publish elsewhere, copy "
                                    f"{rel}/ there after the build."))
        elif path.exists() and not path.is_dir():
            problems.append(Problem(rel, "", f"{rel} is a file, not a folder: the build writes the folder {rel}/ there.",
                                    f"move or delete the file {rel}, then build again."))
    return problems


def os_problem(exc: OSError, root: Path, committed: bool) -> Problem:
    """A clear error for a file-system failure (full disk, read-only folder…) while writing the outputs."""
    path = Path(exc.filename) if exc.filename else root
    parts = path.relative_to(root).parts if path.is_relative_to(root) else ()
    if len(parts) > 1 and parts[0].startswith(atomic.TMP_PREFIX):
        path = root.joinpath(*parts[1:])  # a file being staged: named as the output it was to become
    where = display_path(path, root)
    state = ("docs/, site/ and sources/passages.lock are each either as they were or completely rebuilt"
             if committed else "docs/, site/ and sources/passages.lock were left exactly as they were")
    return Problem(where, "", f"cannot write: {exc.strerror or exc} ({errno.errorcode.get(exc.errno, 'error')}); {state}.",
                   "make room on the disk or make the folder writable, then run the command again.")


def stage_lock(path: Path, fingerprints: lock.Lock, well_formed: bool) -> StagedFiles:
    """Siblings that write the lock when committed, each with its target (none if the text is unchanged).

    The lock being replaced, if `well_formed` (as the caller read it: not read again, which at 3,000 sources takes
    seconds), is kept as `lock.BACKUP_FILE` (committed first).
    """
    text = lock.dump(fingerprints).encode("utf-8")
    old = path.read_bytes() if path.exists() else None
    if old == text:
        return []
    staged: StagedFiles = []
    try:
        if old is not None and well_formed:
            backup = path.with_name(lock.BACKUP_FILE)
            staged.append((atomic.stage_file(backup, old), backup))
        staged.append((atomic.stage_file(path, text), path))
    except OSError as exc:
        discard_files(staged)
        raise OSError(exc.errno, exc.strerror, str(path)) from None  # named as the lock, not its backup
    return staged


def commit_files(staged: StagedFiles) -> None:
    """Rename each staged sibling over its target, in order (a lock's backup first, then the lock)."""
    for sibling, target in staged:
        atomic.commit(sibling, target)


def discard_files(staged: StagedFiles) -> None:
    """Remove staged siblings not committed (after a failure)."""
    for sibling, _ in staged:
        atomic.discard(sibling)
