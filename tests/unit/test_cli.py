"""The command line: help everywhere, check and explain (the build command: tests/test_cli_site.py)."""

from __future__ import annotations

from click.testing import CliRunner

from build_dossier.cli import main
from support import copy_project


def test_every_command_has_help_with_an_example():
    runner = CliRunner()
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for name, command in main.commands.items():
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example" in result.output, name
        assert command.help, name


def test_check_reports_per_source(tmp_path):
    project = copy_project(tmp_path)
    result = CliRunner().invoke(main, ["check", "--project", str(project.root)])
    assert result.exit_code == 0, result.output
    assert "gabuev-foreign-affairs-2024: 33 passages, 5 headings, 15 chrome lines removed" in result.output
    assert "OK: 3 sources, 88 passages." in result.output
    assert not (project.root / "site").exists()
    assert not (project.docs_dir / "sources").exists()


def test_explain(tmp_path):
    project = copy_project(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["explain", "--project", str(project.root), "lo-cepa-2024-p7"])
    assert result.exit_code == 0 and result.output.startswith("lo-cepa-2024-p7: topics ")
    result = runner.invoke(main, ["explain", "--project", str(project.root), "lo-cepa-2024-p999"])
    assert result.exit_code == 1 and "no passage 'lo-cepa-2024-p999'" in result.output
