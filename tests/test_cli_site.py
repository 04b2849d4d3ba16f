"""The build command: stage timings printed and returned, nothing written on failure (slow tier: real builds)."""

from __future__ import annotations

import gc
import weakref

from click.testing import CliRunner

from build_dossier import pipeline
from build_dossier.cli import main
from build_dossier.pipeline import build
from support import copy_project, digest

STAGES = ["load", "clean", "segment", "tag", "claims", "related", "figures", "events", "render", "records", "mkdocs",
          "search", "write"]


def test_build_prints_the_time_of_every_stage_it_returns(tmp_path):
    project = copy_project(tmp_path)
    runner = CliRunner()  # stderr apart from stdout (click 8.2+)
    result = runner.invoke(main, ["build", "--project", str(project.root)])
    assert result.exit_code == 0, result.output
    stages = [line.split()[0] for line in result.stderr.splitlines() if line.endswith(" s")]
    assert stages == STAGES
    assert "segment  88 passages" in result.stderr
    quiet = runner.invoke(main, ["-q", "build", "--project", str(project.root)])
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_build_returns_its_stage_timings(tmp_path):
    run = build(copy_project(tmp_path))
    assert [t.stage for t in run.timings] == STAGES
    assert all(t.seconds >= 0 and t.cpu_seconds >= 0 and t.peak_memory_mb > 0 for t in run.timings)
    assert run.timings[2].detail == f"{run.passages} passages"
    assert (run.sources, run.passages) == (3, 88)


def test_build_lets_its_model_go_before_mkdocs_runs(tmp_path, monkeypatch):
    made, alive = [], []

    def generate(*args, **kwargs):
        dossier, files, problems = real_generate(*args, **kwargs)
        made.extend(weakref.ref(x) for x in (dossier, dossier.sources[0].source, dossier.passages()[0]))
        return dossier, files, problems

    def build_site(*args, **kwargs):
        gc.collect()
        alive.extend(type(ref()).__name__ for ref in made if ref() is not None)
        real_build_site(*args, **kwargs)

    real_generate, real_build_site = pipeline.generate, pipeline.build_site
    monkeypatch.setattr(pipeline, "generate", generate)
    monkeypatch.setattr(pipeline, "build_site", build_site)  # the real one, run after the check
    run = build(copy_project(tmp_path))
    assert len(made) == 3 and alive == []  # nothing holds the model (a cache of render, the Run) while MkDocs runs
    assert run.dossier is None and run.passages == 88


def test_failed_build_leaves_previous_output_intact(tmp_path):
    project = copy_project(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--project", str(project.root)]).exit_code == 0
    before_site, before_docs = digest(project.site_dir), digest(project.docs_dir)
    source = project.sources_dir / "lo-cepa-2024.md"
    source.write_text(source.read_text(encoding="utf-8").replace("publisher:", "publsher: x\npublisher:")
                      .replace("date: null", "date: someday"), encoding="utf-8")
    (project.sources_dir / "broken.md").write_bytes(b"\xef\xbb\xbfhello")
    result = runner.invoke(main, ["build", "--strict", "--project", str(project.root)])
    assert result.exit_code == 1
    assert "3 problems found:" in result.output
    assert "sources/lo-cepa-2024.md:7 [publsher]: unknown key 'publsher'" in result.output
    assert "sources/lo-cepa-2024.md:9 [date]: 'someday' is not an ISO date." in result.output
    assert "sources/broken.md:1: the file starts with a byte-order mark (BOM)." in result.output
    assert digest(project.site_dir) == before_site
    assert digest(project.docs_dir) == before_docs


def test_strict_mkdocs_warning_fails_without_touching_site(tmp_path):
    project = copy_project(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--project", str(project.root)]).exit_code == 0
    before = digest(project.site_dir)
    (project.docs_dir / "about" / "broken.md").write_text("[x](missing.md)\n", encoding="utf-8")
    result = runner.invoke(main, ["build", "--project", str(project.root)])
    assert result.exit_code == 1
    assert "MkDocs:" in result.output and "missing.md" in result.output
    assert digest(project.site_dir) == before
