"""The `build-dossier` command: thin wiring around the library."""

from __future__ import annotations

import datetime as dt
import logging
import sys
from pathlib import Path

import click

from . import pipeline
from .analyse import slips
from .analyse.tag import explain as explain_decision
from .authoring import importer
from .authoring.fetch import is_url
from .authoring import proposals
from .authoring import review as reviewer
from .authoring import suggest as suggester
from .errors import DossierError, fail_on
from .ingest.config import require_config
from .publish.serve import serve as serve_site

PROJECT_OPTION = click.option(
    "--project", "-p", type=click.Path(exists=True, file_okay=False, path_type=Path), default=".",
    show_default=True, help="Folder holding mkdocs.yml, sources/ and docs/.")
STRICT_OPTION = click.option("--strict", is_flag=True, help="Treat warnings (e.g. unknown keys) as errors.")


def _project(path: Path) -> pipeline.Project:
    """The project in `path`; a clear error (not a traceback) if it holds no mkdocs.yml."""
    _run(require_config, path.resolve())
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
      build-dossier lock             # accept edited sources' passages in sources/passages.lock
      build-dossier serve            # live preview at http://127.0.0.1:8000
      build-dossier explain lo-cepa-2024-p7
      build-dossier add page.html    # import a saved article into sources/
      build-dossier suggest          # debates the new sources may join
      build-dossier review           # accept or reject the proposals `suggest --write` made
    """
    logging.basicConfig(level=logging.WARNING if quiet else logging.INFO, format="%(message)s", stream=sys.stderr)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    click.get_current_context().obj = {"quiet": quiet}


def _timings(timings) -> None:
    """Print how long each stage took (to stderr), unless --quiet."""
    if not (click.get_current_context().find_root().obj or {}).get("quiet"):
        for timing in timings:
            click.echo(str(timing), err=True)


@main.command()
@PROJECT_OPTION
@STRICT_OPTION
@click.option("--offline", is_flag=True, help="Build a site that works opened from file://, search included.")
def build(project: Path, strict: bool, offline: bool) -> None:
    """Regenerate docs/ from sources/ and build the site into site/.

    On any problem nothing is written: docs/ and site/ stay as they were. Each of docs/, site/ and
    sources/passages.lock is replaced in one step, so an interrupted build leaves it old or new.
    Another build, serve or lock running in the project is waited for (DOSSIER_LOCK_WAIT seconds).

    \b
    Examples:
      build-dossier build --strict
      build-dossier build --offline   # then open site/index.html
    """
    run = _run(pipeline.build, _project(project), strict, offline)
    _timings(run.timings)
    click.echo(f"Built {run.sources} sources, {run.passages} passages into site/.")


@main.command()
@PROJECT_OPTION
@STRICT_OPTION
def check(project: Path, strict: bool) -> None:
    """Validate sources and ledgers and report, without writing anything.

    Also names every passage whose text changed or moved since sources/passages.lock was written
    (citations to it may be stale); with --strict that fails the check. Lists candidate slips for an
    editor to confirm: names spelled unlike a known name or another source (sources/errata.yaml marks them).

    \b
    Example:
      build-dossier check --strict
    """
    proj = _project(project)
    clock = pipeline.Clock()
    dossier, _files, problems = _run(pipeline.generate, proj, strict, clock=clock)
    _timings(clock.timings)
    drift = pipeline.lock_drift(proj, dossier)  # passages whose text changed since `sources/passages.lock`
    for problem in problems + drift:
        click.echo(str(problem), err=True)
    _run(fail_on, drift, strict)
    for seg in dossier.sources:
        counts = {}
        for r in seg.cleaned.removed:
            counts[r.rule] = counts.get(r.rule, 0) + 1
        detail = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"
        click.echo(f"{seg.source.id}: {len(seg.passages)} passages, {len(seg.sections)} headings, "
                   f"{len(seg.cleaned.removed)} chrome lines removed ({detail})")
    found = slips.candidates(dossier.passages(), _run(slips.default_gazetteer), dossier.labels, dossier.errata)
    if found:
        click.echo(f"{len(found)} candidate slip{'s' if len(found) != 1 else ''} for an editor to confirm "
                   "(mark real ones in sources/errata.yaml; see docs/about/ledgers.md):")
        for candidate in found:
            click.echo("  " + slips.describe(candidate, dossier.labels))
    click.echo(f"OK: {len(dossier.sources)} sources, {len(dossier.passages())} passages, {len(dossier.errata)} errata.")


@main.command()
@PROJECT_OPTION
def lock(project: Path) -> None:
    """Accept the sources' current text: rewrite sources/passages.lock from it.

    The lock holds a fingerprint of every passage. `build` adds new sources to it; after editing
    a source's text, `check` names every passage that changed or moved (citations to it may be
    stale) until you accept the edit with this command.

    \b
    Example:
      build-dossier lock
    """
    logging.getLogger("build_dossier").setLevel(logging.WARNING)
    dossier, accepted = _run(pipeline.accept_lock, _project(project))
    for problem in accepted:
        click.echo(f"accepted: {problem.message}", err=True)
    click.echo(f"Locked {len(dossier.passages())} passages of {len(dossier.sources)} sources "
               f"({len(accepted)} changes accepted).")


@main.command()
@PROJECT_OPTION
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
def serve(project: Path, dev_addr: str) -> None:
    """Regenerate docs/, then run `mkdocs serve`; edits in sources/ rebuild and reload.

    Holds the project lock while serving (a `build` meanwhile waits for it). A port already in use is
    refused; Ctrl-C or SIGTERM stops `mkdocs serve` too.

    \b
    Example:
      build-dossier serve --dev-addr 127.0.0.1:8001
    """
    raise SystemExit(_run(serve_site, _project(project), dev_addr, pipeline.regenerate_docs))


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
        known = ", ".join(f"{s.passages[0].id}…{s.passages[-1].anchor}" for s in dossier.sources if s.passages)
        raise click.ClickException(f"no passage {passage_id!r}. Passage ids are: {known}.")
    click.echo(explain_decision(decision))


@main.command()
@PROJECT_OPTION
@click.argument("path", metavar="PATH_OR_URL")
@click.option("--id", "source_id", metavar="ID", help="Source id (slug); derived from author, publisher and year if not given.")
@click.option("--title", help="Headline, overriding the file's.")
@click.option("--author", "authors", multiple=True, metavar="NAME", help="An author (repeat for each), overriding the file's.")
@click.option("--publisher", metavar="NAME", help="Publisher or outlet, overriding the file's.")
@click.option("--date", metavar="YYYY-MM-DD", help="Publication date, overriding the file's.")
@click.option("--url", help="Address of the original article, overriding the file's.")
@click.option("--license", metavar="TEXT", help="Licence of the text, e.g. 'CC BY 4.0'.")
@click.option("--accessed", metavar="YYYY-MM-DD", help="Date the text was captured.  [default: today]")
@click.option("--encoding", metavar="NAME", help="Text encoding of PATH, if it is neither UTF-8 nor declared in the page.")
@click.option("--force", is_flag=True, help="Import a saved page even if it does not look like an article.")
def add(project: Path, path: str, source_id, title, authors, publisher, date, url, license, accessed, encoding,
        force) -> None:
    """Import an article into sources/<id>.md: a web page (an http(s) address, or saved as .html/.htm), a .txt or a .md.

    A page's text (paragraphs, headings, lists) and metadata (title, author, date, site name,
    canonical URL) are extracted with trafilatura; the publisher is the page's og:site_name, else
    the site part of its title, else its copyright line. A page at an address is fetched (HTML
    only, redirects followed, size and time limited); its final address and today's date are
    recorded. Options override what the page states. Unknown values are written as null with a
    note, never guessed; an existing source is never overwritten.

    \b
    Examples:
      build-dossier add ~/Downloads/article.html
      build-dossier add https://example.org/2024/05/article
      build-dossier add notes.txt --author "Jane Doe" --publisher "Example Review" --date 2024-05-01
      build-dossier add article.md --id doe-example-review-2024
    """
    given = importer.Given(source_id, title, tuple(authors), publisher, date, url, license, accessed, encoding, force)
    if not is_url(path) and (not Path(path).exists() or Path(path).is_dir()):  # a pipe or device: read_bytes says why
        raise click.BadParameter(f"{path!r} is neither a file nor an http(s):// address.", param_hint="PATH_OR_URL")
    source = path if is_url(path) else Path(path)
    imported = _run(importer.add, _project(project).sources_dir, source, given, dt.date.today().isoformat())
    click.echo(importer.summary(imported))


@main.command()
@PROJECT_OPTION
@click.argument("source_id", required=False)
@click.option("--write", is_flag=True, help="Record them in sources/claims.yaml as proposals, for `build-dossier review`.")
def suggest(project: Path, source_id: str | None, write: bool) -> None:
    """Print ledger YAML for the debates a source probably joins, and candidate new debates.

    Without SOURCE_ID: every source that has no position in any debate yet (such as those just added).
    Quotes are sentences of the passages, verbatim; stances, questions and relations are left to you.
    With --write they go into sources/claims.yaml as proposals (`status: proposed`), each in its place,
    the rest of the file unchanged; the site shows them marked "proposed — not reviewed" until
    `build-dossier review` settles them. Proposals rejected in review are never made again.

    \b
    Examples:
      build-dossier suggest                      # sources not yet in any debate
      build-dossier suggest lo-cepa-2024
      build-dossier suggest --write && build-dossier review
    """
    logging.getLogger("build_dossier").setLevel(logging.WARNING)
    proj = _project(project)
    dossier, _ = _run(pipeline.gather, proj)
    ids = [seg.source.id for seg in dossier.sources]
    if source_id is not None and source_id not in ids:
        raise click.ClickException(f"no source {source_id!r}. Sources are: {', '.join(ids)}.")
    chosen = (source_id,) if source_id else suggester.targets(dossier)
    if not chosen:
        raise click.ClickException("every source already takes part in a debate; name one: "
                                   f"build-dossier suggest SOURCE_ID (one of {', '.join(ids)}).")
    found = suggester.suggest_many(dossier, chosen)
    if not write:
        click.echo("\n".join(suggester.render(f, dossier) for f in found), nl=False)
        return
    click.echo(proposals.summary(_run(proposals.write, proj, found, dossier)))


@main.command()
@PROJECT_OPTION
def review(project: Path) -> None:
    """Walk the proposals in sources/claims.yaml: accept, reject or skip each.

    Accepting a proposed position asks for its quote, its stance and its relation to each other position;
    accepting a new debate asks for its question, id and topics, then for each position to keep. A rejected
    proposal is removed and remembered (under `rejected:`), never proposed again. Each decision is written
    at once, atomically, under the project lock.

    \b
    Example:
      build-dossier suggest --write && build-dossier review && build-dossier build
    """
    logging.getLogger("build_dossier").setLevel(logging.WARNING)
    proj = _project(project)
    dossier, _ = _run(pipeline.gather, proj)
    _run(reviewer.review, proj, dossier)
