"""The package's layout holds: the import contracts of pyproject.toml pass, they catch what they forbid, modules stay small."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "build_dossier"
MAX_LINES = 400


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """Run import-linter on the package and contracts found in `root` (its pyproject.toml), without a cache."""
    return subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command as c; c()",
                           "--no-cache", "--no-logo", str(root / "pyproject.toml")],
                          cwd=root, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(root)})


def test_the_import_contracts_are_kept():
    run = lint_imports(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "5 kept, 0 broken" in run.stdout


@pytest.mark.parametrize("module, added, broken", [
    ("render/markdown.py", "from .. import pipeline", "Phases: each layer imports only the layers below it"),
    ("ids.py", "from . import model", "No import cycles, at any depth"),
    ("render/pages/home.py", "from . import figures", "Page kinds are independent"),
    ("analyse/tag.py", "import lxml", "The build never loads the importer's HTML libraries"),
    ("render/cite.py", "import mkdocs", "Analysis and rendering do not depend on MkDocs"),
])
def test_each_contract_catches_what_it_forbids(tmp_path, module, added, broken):
    """The same contracts, on a copy of the package with one forbidden import added, are broken."""
    shutil.copytree(PACKAGE, tmp_path / "build_dossier", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    path = tmp_path / "build_dossier" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{added}  # noqa\n", encoding="utf-8")
    run = lint_imports(tmp_path)
    assert run.returncode == 1 and "Broken contracts" in run.stdout, run.stdout + run.stderr
    assert broken in run.stdout.split("Broken contracts", 1)[1], run.stdout


def test_no_module_is_longer_than_400_lines():
    long = {p.relative_to(ROOT).as_posix(): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}, f"split these modules (at most {MAX_LINES} lines each): {long}"
