"""Shared fixtures: a copy of the project built once with the real pipeline and MkDocs, and the browser.

Tests in tiers: tests/unit/ holds the unit tests (no site build, no browser); every test outside it, and
the few unit tests marked `slow`, form the slow tier. `pytest -m "not slow"` runs the fast tier alone,
`pytest -m slow` the slow one, `pytest` both.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from build_dossier.pipeline import Project, build
from support import CHROMIUM, CHROMIUM_ARGS, DATA, copy_project


UNIT = Path(__file__).resolve().parent / "unit"


def pytest_collection_modifyitems(items):
    """Every test outside tests/unit/ is in the slow tier."""
    for item in items:
        if not item.path.is_relative_to(UNIT):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Project:
    """The three seed articles, built once with the real MkDocs."""
    project = copy_project(tmp_path_factory.mktemp("built"))
    build(project)
    return project


@pytest.fixture(scope="session")
def data(built: Project) -> dict:
    """dossier.json of the built seed site: what pages and exports are checked against."""
    return json.loads((built.site_dir / "dossier.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def reading() -> dict:
    """The hand-made, independent reading of the three articles."""
    return yaml.safe_load((DATA / "reading.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches Debian's Chromium (never a browser downloaded by `playwright install`).

    Without it the browser tests are skipped, unless DOSSIER_REQUIRE_BROWSER=1 (CI), where they fail.
    """
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's `chromium` package to run the browser tests"
        if os.environ.get("DOSSIER_REQUIRE_BROWSER") == "1":
            pytest.fail(message + " (DOSSIER_REQUIRE_BROWSER=1)", pytrace=False)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}
