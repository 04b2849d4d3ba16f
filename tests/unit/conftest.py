"""The fast tier: no test here builds a site (MkDocs) or opens a browser; run it alone with `pytest tests/unit`."""

from __future__ import annotations

import pytest

from build_dossier.publish import build_site


@pytest.fixture(scope="module", autouse=True)
def no_site_builds():
    """A unit test (or a fixture of its module) that reaches MkDocs fails at once: site builds are the slow tier's.

    Module-scoped, so that it is in place before any other fixture of the module runs.
    """
    def refuse(*args, **kwargs):
        raise AssertionError("a unit test tried to build a site with MkDocs: move it to tests/ (the slow tier)")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build_site, "run_mkdocs", refuse)
        yield


@pytest.fixture(scope="session")
def built():
    """The built seed site is the slow tier's (tests/conftest.py); a unit test asking for it fails."""
    pytest.fail("a unit test asked for the built site: move it to tests/ (the slow tier)", pytrace=False)
