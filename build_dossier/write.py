"""Writing generated files: only what changed, never the same path twice, stale files removed."""

from __future__ import annotations

import shutil
from pathlib import Path

GENERATED_DIRS = ("sources", "topics", "debates", "reports")
"""Folders of docs/ that hold only generated pages (ignored by git)."""
GENERATED_FILES = ("index.md", "dossier.json", "figures.md", "cite.md", "references.bib", "references.ris",
                   "references.json")
"""Generated files at the top of docs/."""


class Output:
    """Collects generated files by path; refuses to take the same path twice."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}

    def add(self, path: str, content: str) -> None:
        if path in self.files:
            raise ValueError(f"two generated files want the path {path!r}")
        self.files[path] = content


def is_generated(rel: str) -> bool:
    """True for paths under docs/ that the build owns."""
    return rel in GENERATED_FILES or rel.split("/", 1)[0] in GENERATED_DIRS


def copy_site_inputs(root: Path, dest: Path) -> None:
    """Copy a project's site inputs — mkdocs.yml, the hook and the hand-written part of docs/ — into `dest`.

    Tests and benchmarks build throw-away projects from these and their own sources/.
    """
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(root / "mkdocs.yml", dest / "mkdocs.yml")
    (dest / "build_dossier").mkdir(exist_ok=True)
    shutil.copy2(root / "build_dossier" / "mkdocs_hook.py", dest / "build_dossier" / "mkdocs_hook.py")
    for path in sorted((root / "docs").rglob("*")):
        rel = path.relative_to(root / "docs").as_posix()
        if path.is_file() and not is_generated(rel):
            (dest / "docs" / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest / "docs" / rel)


def sync(files: dict[str, str], docs_dir: Path) -> tuple[int, int]:
    """Make docs/'s generated part equal `files`; return (written, removed).

    Files whose content is unchanged are not touched, so `mkdocs serve` does not loop.
    """
    written = removed = 0
    for rel, content in sorted(files.items()):
        path = docs_dir / rel
        data = content.encode("utf-8")
        if path.exists() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written += 1
    for name in GENERATED_DIRS:
        root = docs_dir / name
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*"), reverse=True):
            rel = path.relative_to(docs_dir).as_posix()
            if path.is_file() and rel not in files:
                path.unlink()
                removed += 1
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    for name in GENERATED_FILES:
        if name not in files and (docs_dir / name).exists():
            (docs_dir / name).unlink()
            removed += 1
    return written, removed


def stage_docs(files: dict[str, str], docs_dir: Path, staging: Path) -> None:
    """Copy the hand-written part of docs/ to `staging` and add the generated files."""
    if docs_dir.is_dir():
        for path in sorted(docs_dir.rglob("*")):
            rel = path.relative_to(docs_dir).as_posix()
            if path.is_file() and not is_generated(rel):
                target = staging / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
    for rel, content in files.items():
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode("utf-8"))


def swap_dir(new: Path, old: Path) -> None:
    """Replace `old` with `new` as close to atomically as the file system allows."""
    if old.exists():
        trash = old.with_name(old.name + ".old")
        if trash.exists():
            shutil.rmtree(trash)
        old.rename(trash)
        new.rename(old)
        shutil.rmtree(trash)
    else:
        new.rename(old)
