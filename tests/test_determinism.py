"""Reproducible builds: the same sources give byte-identical docs/ and site/, whatever the environment.

Two real builds, each in its own process and folder, differ in everything that should not matter:
time zone, locale, hash seed, working directory, the order in which the sources were created, and
their modification times.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from support import ROOT, copy_project, digest

ENVIRONMENTS = (
    {"TZ": "UTC", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "PYTHONHASHSEED": "0"},
    {"TZ": "Pacific/Kiritimati", "LC_ALL": "C", "LANG": "C", "PYTHONHASHSEED": "4242"},
)


def build_in(dest: Path, env: dict, reverse: bool, cwd: Path) -> Path:
    project = copy_project(dest, sources=False)
    sources = sorted((ROOT / "sources").iterdir(), reverse=reverse)
    for path in sources:
        if path.is_file():
            # copy2 keeps the modification time; copyfile gives the file a new one.
            (shutil.copyfile if reverse else shutil.copy2)(path, project.sources_dir / path.name)
    full = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"} | env | {"NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run([sys.executable, "-m", "build_dossier", "build", "--project", str(project.root)],
                         env=full, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    return project.root


def test_builds_in_different_environments_are_byte_identical(tmp_path):
    a = build_in(tmp_path / "a", ENVIRONMENTS[0], reverse=False, cwd=tmp_path)
    b = build_in(tmp_path / "second-build", ENVIRONMENTS[1], reverse=True, cwd=ROOT)
    # Everything in the project: docs/ (generated and hand-written), site/, and any export written beside them.
    left, right = digest(a), digest(b)
    assert sorted(left) == sorted(right)
    differ = [rel for rel in left if left[rel] != right[rel]]
    assert differ == []
    # The parts the issue names, present and compared above.
    assert {"docs/dossier.json", "site/dossier.json", "site/index.html", "site/sitemap.xml", "site/sitemap.xml.gz",
            "site/pagefind/pagefind-entry.json", "site/pagefind/word-counts.json"} <= set(left)
    assert any(rel.startswith("site/pagefind/filter/") for rel in left)  # written by Pagefind in hash-map order
    assert any(rel.startswith("site/pagefind/fragment/") for rel in left)
    assert any(rel.startswith("site/sources/") for rel in left) and any(rel.startswith("site/debates/") for rel in left)
    assert {"site/references.bib", "site/references.ris", "site/references.json"} <= set(left)  # exports, compared above
    assert {"site/charts/border-length.svg", "docs/charts/border-length.svg", "site/timeline.html"} <= set(left)  # charts too
    # No absolute path of either build leaks into the output.
    for root in (a, b):
        for path in (root / "site").rglob("*"):
            if path.suffix in (".html", ".json", ".xml", ".md", ".bib", ".ris", ".csv"):
                assert str(root) not in path.read_text(encoding="utf-8"), path
