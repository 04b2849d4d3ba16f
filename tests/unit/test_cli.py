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
    assert "OK: 3 sources, 88 passages, 2 errata." in result.output
    assert "candidate slip" not in result.output  # the two slips it would find are in sources/errata.yaml
    assert not (project.root / "site").exists()
    assert not (project.docs_dir / "sources").exists()


def test_check_lists_candidate_slips_for_an_editor(tmp_path):
    """Without the errata ledger, `check` finds the two known slips on its own (recall), and nothing else in the three
    articles (the false positives it once had, `March` for `Marco`, are month names it now knows)."""
    project = copy_project(tmp_path)
    (project.sources_dir / "errata.yaml").unlink()
    result = CliRunner().invoke(main, ["check", "--project", str(project.root)])
    assert result.exit_code == 0, result.output
    listed = result.output.split("for an editor to confirm", 1)[1].splitlines()[1:3]
    assert listed == ["  CFR ¶11: “Nehendra” — like “Narendra” (Narendra Modi, a known person)",
                      "  Gabuev ¶24: “Malaka” — like “Malacca” (Strait of Malacca, a known place)"]
    assert "2 candidate slips for an editor to confirm" in result.output


def test_explain(tmp_path):
    project = copy_project(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["explain", "--project", str(project.root), "lo-cepa-2024-p7"])
    assert result.exit_code == 0 and result.output.startswith("lo-cepa-2024-p7: topics ")
    result = runner.invoke(main, ["explain", "--project", str(project.root), "lo-cepa-2024-p999"])
    assert result.exit_code == 1 and "no passage 'lo-cepa-2024-p999'" in result.output
