"""The README's two set-up commands are the ones CI and users run."""

from __future__ import annotations

import re

from support import ROOT


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text)


def test_readme_has_two_setup_commands():
    serve, test = readme_commands()[:2]
    assert serve.startswith("python3 -m venv .venv") and serve.endswith("build-dossier serve")
    assert test.startswith("python3 -m venv .venv") and test.endswith("-m pytest")


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert readme_commands()[1] in ci


def test_documented_source_keys_match_the_schema():
    from build_dossier.ingest.load import SOURCE_FIELDS
    doc = (ROOT / "docs" / "about" / "sources.md").read_text(encoding="utf-8")
    for field in SOURCE_FIELDS:
        assert f"| `{field.name}` |" in doc, field.name
