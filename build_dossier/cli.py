"""The `build-dossier` command: thin wiring around the library."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import click

from . import build as pipeline
from .errors import DossierError
from .tag import explain as explain_decision

PROJECT_OPTION = click.option(
    "--project", "-p", type=click.Path(exists=True, file_okay=False, path_type=Path), default=".",
    show_default=True, help="Folder holding mkdocs.yml, sources/ and docs/.")
STRICT_OPTION = click.option("--strict", is_flag=True, help="Treat warnings (e.g. unknown keys) as errors.")


def _project(path: Path) -> pipeline.Project:
    return pipeline.Project(path.resolve())


def _run(fn, *args, **kwargs):
    """Call into the library; its errors become one clear message and exit code 1."""
    try:
        return fn(*args, **kwargs)
    except DossierError as exc:
        raise click.ClickException(str(exc)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
def main(quiet: bool) -> None:
    """Build the China–Russia research dossier from the articles in sources/.

    \b
    Examples:
      build-dossier build            # regenerate docs/ and build site/
      build-dossier check            # validate sources and ledgers, write nothing
      build-dossier serve            # live preview at http://127.0.0.1:8000
      build-dossier explain lo-cepa-2024-p7
    """
    logging.basicConfig(level=logging.WARNING if quiet else logging.INFO, format="%(message)s", stream=sys.stderr)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)


@main.command()
@PROJECT_OPTION
@STRICT_OPTION
@click.option("--offline", is_flag=True, help="Build a site that works opened from file://, search included.")
def build(project: Path, strict: bool, offline: bool) -> None:
    """Regenerate docs/ from sources/ and build the site into site/.

    On any problem nothing is written: docs/ and site/ stay as they were.

    \b
    Examples:
      build-dossier build --strict
      build-dossier build --offline   # then open site/index.html
    """
    dossier = _run(pipeline.build, _project(project), strict, offline)
    click.echo(f"Built {len(dossier.sources)} sources, {len(dossier.passages())} passages into site/.")


@main.command()
@PROJECT_OPTION
@STRICT_OPTION
def check(project: Path, strict: bool) -> None:
    """Validate sources and ledgers and report, without writing anything.

    \b
    Example:
      build-dossier check --strict
    """
    dossier, _files, problems = _run(pipeline.generate, _project(project), strict)
    for problem in problems:
        click.echo(str(problem), err=True)
    for seg in dossier.sources:
        counts = {}
        for r in seg.cleaned.removed:
            counts[r.rule] = counts.get(r.rule, 0) + 1
        detail = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"
        click.echo(f"{seg.source.id}: {len(seg.passages)} passages, {len(seg.sections)} headings, "
                   f"{len(seg.cleaned.removed)} chrome lines removed ({detail})")
    click.echo(f"OK: {len(dossier.sources)} sources, {len(dossier.passages())} passages.")


@main.command()
@PROJECT_OPTION
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
def serve(project: Path, dev_addr: str) -> None:
    """Regenerate docs/, then run `mkdocs serve`; edits in sources/ rebuild and reload.

    \b
    Example:
      build-dossier serve --dev-addr 127.0.0.1:8001
    """
    proj = _project(project)
    _run(pipeline.regenerate_docs, proj)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    cmd = [sys.executable, "-m", "mkdocs", "serve", "-f", str(proj.config_file), "--dev-addr", dev_addr]
    raise SystemExit(subprocess.call(cmd, env=env, cwd=proj.root))


@main.command()
@PROJECT_OPTION
@click.argument("passage_id")
def explain(project: Path, passage_id: str) -> None:
    """Show which topic cues fired for a passage, and the scores.

    \b
    Example:
      build-dossier explain gabuev-foreign-affairs-2024-p9
    """
    logging.getLogger("build_dossier").setLevel(logging.WARNING)
    dossier, _ = _run(pipeline.gather, _project(project))
    decision = dossier.decisions.get(passage_id)
    if decision is None:
        known = ", ".join(f"{s.source.id}-p1…p{len(s.passages)}" for s in dossier.sources)
        raise click.ClickException(f"no passage {passage_id!r}. Passage ids are: {known}.")
    click.echo(explain_decision(decision))
