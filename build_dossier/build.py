"""The pipeline: load → clean → segment → tag → render → write → MkDocs."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from . import atomic, lock
from .cite import absolute
from .claims import debate_links, load_claims
from .config import MAX_EPOCH, config_problems, read_site_url
from .clean import clean
from .errors import DossierError, Problem, fail_on
from .export import dossier_json
from .figures import figures
from .load import load_sources
from .measures import comparisons, default_measures
from .model import Dossier, unique_labels
from .readfile import display_path
from .references import exports
from .render import cleaning_page, home_page, passage_url, related_line, source_page, source_page_path, topic_page
from .render_cite import CITE_PAGE, cite_box, cite_page
from .related import related, related_links
from .render_figures import FIGURES_PAGE, figures_page
from .render_debates import debate_list, debate_page, debate_path, debates_index, most_contested, passage_debates
from .search import MATERIAL_SEARCH_ENV, index_site
from .segment import segment
from .tag import OVERRIDES_FILE, default_tagger, load_overrides, tag
from .projectlock import project_lock
from .write import Output, commit_docs, os_problem, output_problems, recover, stage_docs

log = logging.getLogger("build_dossier")


@dataclass(frozen=True)
class Project:
    """Where a dossier's files live."""

    root: Path
    """Folder holding mkdocs.yml, sources/ and docs/."""

    @property
    def sources_dir(self) -> Path:
        return self.root / "sources"

    @property
    def docs_dir(self) -> Path:
        return self.root / "docs"

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    @property
    def config_file(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def lock_file(self) -> Path:
        return self.sources_dir / lock.LOCK_FILE

    @property
    def site_url(self) -> str | None:
        """`site_url` of mkdocs.yml (where `DOSSIER_SITE_URL` overrides it): the base of absolute permalinks.

        None where it is unset, or invalid: `gather` reports that.
        """
        return read_site_url(self.config_file, self.rel(self.config_file))[0]

    def rel(self, path: Path) -> str:
        return display_path(path, self.root)


@contextlib.contextmanager
def stage(name: str):
    """Log one timed line for a pipeline stage; the body may set `info['detail']`."""
    info = {"detail": ""}
    start = time.perf_counter()
    yield info
    log.info("%-8s %-44s %6.3f s", name, info["detail"], time.perf_counter() - start)


def gather(project: Project, strict: bool = False) -> tuple[Dossier, list[Problem]]:
    """Read and validate everything, then build the whole model; raise once with every problem."""
    problems = config_problems(project.config_file, project.rel(project.config_file))
    with stage("load") as info:
        sources, found = load_sources(project.sources_dir, project.root)
        problems += found
        info["detail"] = f"{len(sources)} sources"
    with stage("clean") as info:
        cleaned = tuple(clean(s) for s in sources)
        info["detail"] = f"{sum(len(c.removed) for c in cleaned)} chrome lines removed"
    with stage("segment") as info:
        segmented = tuple(segment(c) for c in cleaned)
        info["detail"] = f"{sum(len(s.passages) for s in segmented)} passages"
    with stage("tag") as info:
        overrides, found = load_overrides(project.sources_dir, project.root)
        problems += found
        segmented, decisions, found = tag(segmented, overrides, project.rel(project.sources_dir / OVERRIDES_FILE))
        problems += found
        info["detail"] = f"{len(overrides)} overrides"
    with stage("claims") as info:
        passages = tuple(p for seg in segmented for p in seg.passages)
        unreadable = frozenset(p.stem for p in project.sources_dir.glob("*.md")) - {s.id for s in sources}
        claims, found = load_claims(project.sources_dir, project.root, passages, unreadable)
        problems += found
        links = debate_links(claims)
        info["detail"] = f"{len(claims)} debates, {len(links)} links"
    with stage("related") as info:  # finds no problem: not run when the run fails anyway
        similar = () if any(p.severity == "error" for p in problems) else related_links(related(passages))
        info["detail"] = f"{len(similar)} related links"
    with stage("figures") as info:
        try:
            measures = default_measures()
        except DossierError as exc:
            measures, problems = (), problems + list(exc.problems)
        found_figures = figures(passages, measures)
        info["detail"] = (f"{len(found_figures)} figures, {sum(f.measure is not None for f in found_figures)} "
                          f"in {len({f.measure for f in found_figures} - {None})} measures")
    fail_on(problems, strict)
    labels = unique_labels(tuple(seg.source for seg in segmented))
    return Dossier(segmented, decisions, claims, links + similar, labels, figures=found_figures, measures=measures), problems


def render(dossier: Dossier, site_url: str | None = None) -> dict[str, str]:
    """Every generated file of docs/, by path; `site_url` makes citations' permalinks absolute."""
    out = Output()
    descriptions = dict(default_tagger().descriptions)
    with stage("render") as info:
        sources = {seg.source.id: seg.source for seg in dossier.sources}
        contested = debate_list(most_contested(dossier), "") if dossier.claims else ""
        by_id = {p.id: p for p in dossier.passages()}
        similar: dict[str, list] = {}
        joined: dict[str, list] = {}  # passage id -> the debates it takes part in (in ledger order): linear, not P x D
        for claim in dossier.claims:
            for pid in dict.fromkeys(pos.passage for pos in claim.positions):
                joined.setdefault(pid, []).append(claim)
        for link in dossier.links:
            if link.kind == "related":
                similar.setdefault(link.source, []).append(by_id[link.target])
        out.add("index.md", home_page(dossier, descriptions, contested))
        for seg in dossier.sources:
            # A blank line between the two, or Markdown runs them into one paragraph (and shows the first `{: … }`).
            below = {p.id: "\n".join(filter(None, (cite_box(seg.source, p, absolute(site_url, passage_url(p))),
                                                   passage_debates(p, tuple(joined.get(p.id, ())), dossier.labels, "../"),
                                                   related_line(similar.get(p.id, []), dossier, "../"))))
                     for p in seg.passages}
            out.add(source_page_path(seg.source.id), source_page(seg, below))
        for topic, description in descriptions.items():
            on_topic = [c for c in dossier.claims if topic in c.topics]
            out.add(f"topics/{topic}.md", topic_page(topic, description, dossier, debate_list(on_topic, "../") if on_topic else ""))
        out.add("debates/index.md", debates_index(dossier))  # also with no ledger: the docs link to it
        for claim in dossier.claims:
            out.add(debate_path(claim.id), debate_page(claim, sources, dossier.labels))
        out.add("reports/cleaning.md", cleaning_page(dossier))
        compared = comparisons(dossier.measures, dossier.figures)
        out.add(FIGURES_PAGE, figures_page(dossier, compared))
        out.add("dossier.json", dossier_json(dossier, compared))
        out.add(CITE_PAGE, cite_page(dossier, site_url))
        for path, content in exports(dossier, site_url).items():
            out.add(path, content)
        info["detail"] = f"{len(out.files)} files"
    return out.files


def generate(project: Project, strict: bool = False,
             site_url: str | None = None) -> tuple[Dossier, dict[str, str], list[Problem]]:
    """Model and generated files, with nothing written (`site_url` read from mkdocs.yml unless given)."""
    dossier, problems = gather(project, strict)
    return dossier, render(dossier, site_url if site_url is not None else project.site_url), problems


def _lock_state(project: Project, dossier: Dossier) -> tuple[lock.Lock | None, lock.Lock, list[Problem]]:
    """The lock as written, the fingerprints now, and the drift between them (errors for a malformed lock)."""
    rel = project.rel(project.lock_file)
    locked, problems = lock.read(project.lock_file, rel)
    now = lock.current(dossier)
    return locked, now, problems + (lock.drift(locked, now, rel) if locked else [])


def lock_drift(project: Project, dossier: Dossier) -> list[Problem]:
    """Warnings for every locked passage whose text changed or moved (and errors for a malformed lock)."""
    return _lock_state(project, dossier)[2]


@contextlib.contextmanager
def writing(project: Project, *outputs: Path):
    """Hold the project lock for the body, having cleaned up after interrupted commands; check `outputs`.

    File-system failures (full disk, read-only folder) in the body become one clear error.
    """
    with project_lock(project.root):
        fail_on(output_problems(project.root, *outputs))
        removed = recover(project.root, (project.docs_dir, project.site_dir), project.sources_dir)
        if removed:
            log.info("cleaned up after an interrupted command: %s", ", ".join(project.rel(p) for p in removed))
        yield


@contextlib.contextmanager
def _os_errors(project: Project, committed: bool):
    """Turn a file-system failure into a DossierError that says what state the outputs are in."""
    try:
        yield
    except OSError as exc:
        raise DossierError([os_problem(exc, project.root, committed)]) from None


def accept_lock(project: Project) -> tuple[Dossier, list[Problem]]:
    """Rewrite the lock from the current sources; return the drift it accepted."""
    with writing(project):
        dossier, _ = gather(project)
        drift = lock_drift(project, dossier)
        with _os_errors(project, committed=False):
            staged = lock.stage(project.lock_file, lock.current(dossier))
        try:
            with _os_errors(project, committed=True):
                lock.commit(staged)
        finally:
            lock.discard(staged)
    return dossier, [p for p in drift if p.severity == "warning"]


def regenerate_docs(project: Project, strict: bool = False) -> Dossier:
    """Replace the generated part of docs/ as a whole, if it changed; used by `serve` and its MkDocs hook."""
    with writing(project, project.docs_dir):
        dossier, files, warnings = generate(project, strict)
        for warning in warnings:
            log.warning("%s", warning)
        with stage("write") as info:
            tmp = atomic.private_dir(project.root)
            try:
                with _os_errors(project, committed=False):
                    docs = stage_docs(files, project.docs_dir, tmp)
                if docs.changed:
                    with _os_errors(project, committed=True):
                        commit_docs(docs, project.docs_dir)
            finally:
                atomic.discard(tmp)
            info["detail"] = f"docs: {len(files)} files " + ("replaced" if docs.changed else "unchanged")
    return dossier


def build_date_epoch(dossier: Dossier) -> str:
    """A reproducible build date: the newest date the sources state (else the epoch).

    Clamped to 1970…2106, the range MkDocs can store; only this timestamp is, never a cited date.
    """
    dates = [d for seg in dossier.sources for d in (seg.source.date, seg.source.accessed) if d]
    if not dates:
        return "0"
    newest = dt.datetime.fromisoformat(max(dates)).replace(tzinfo=dt.timezone.utc)
    return str(min(max(int(newest.timestamp()), 0), MAX_EPOCH))


@contextlib.contextmanager
def environ(**values: str):
    """Set environment variables for the body, then restore them as they were."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def run_mkdocs(project: Project, docs_dir: Path, site_dir: Path, epoch: str, overrides: dict | None = None) -> None:
    """Build the site with the real MkDocs in strict mode; raise DossierError on any warning."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    collect = _Collect()
    mk_log = logging.getLogger("mkdocs")
    mk_log.addHandler(collect)
    try:
        with environ(SOURCE_DATE_EPOCH=os.environ.get("SOURCE_DATE_EPOCH") or epoch):
            config = load_config(str(project.config_file), docs_dir=str(docs_dir), site_dir=str(site_dir),
                                 strict=True, **(overrides or {}))
            mkdocs_build(config)
    except (MkDocsException, SystemExit) as exc:
        messages = collect.messages or [str(exc)]
        raise DossierError([Problem(project.rel(project.config_file), "", f"MkDocs: {m}",
                                    "fix the page or configuration named in the message.") for m in messages]) from None
    finally:
        mk_log.removeHandler(collect)


SHIM = "assets/javascripts/iframe-worker-shim.js"
"""Where the offline site gets the vendored iframe-worker shim (search from file://)."""


def build(project: Project, strict: bool = False, offline: bool = False) -> Dossier:
    """Regenerate docs/ and site/; on any problem both are left exactly as they were.

    Everything is prepared first — docs/ and site/ staged in a private folder, the lock in a sibling —
    then committed, one atomic rename or exchange per output (see `atomic`, `write`). With `offline`,
    the site works opened from file:// (Material's offline plugin, vendored shim).
    """
    with writing(project, project.docs_dir, project.site_dir):
        site_url = project.site_url
        dossier, files, warnings = generate(project, strict, site_url)
        for warning in warnings:  # not fatal (else generate raised), but the user must see them
            log.warning("%s", warning)
        locked, now, drift = _lock_state(project, dossier)
        fail_on(drift, strict)  # in strict mode the drift is the error message; else it is shown as warnings
        for warning in drift:
            log.warning("%s", warning)
        if urlsplit(site_url or "").hostname in ("127.0.0.1", "localhost", "::1"):
            log.info("note: citations and exports give permalinks on %s (a local address); for a published dossier "
                     "set DOSSIER_SITE_URL (or site_url in mkdocs.yml) to its address and build again.", site_url)
        tmp = atomic.private_dir(project.root)
        staged_lock: list[tuple[Path, Path]] = []
        try:
            with stage("mkdocs") as info, _os_errors(project, committed=False):
                docs = stage_docs(files, project.docs_dir, tmp)
                with environ(DOSSIER_OFFLINE="true") if offline else environ(**{MATERIAL_SEARCH_ENV: "false"}):
                    run_mkdocs(project, docs.path, tmp / "site", build_date_epoch(dossier),
                               {"extra": {"polyfills": [SHIM]}} if offline else None)
                info["detail"] = f"site built ({len(list((tmp / 'site').rglob('*.html')))} HTML files)"
            if not offline:  # the offline copy keeps Material's search: Pagefind cannot run from file://
                with stage("search") as info, _os_errors(project, committed=False):
                    info["detail"] = f"{index_site(dossier, tmp / 'site')} results indexed"
            with stage("write") as info, _os_errors(project, committed=False):
                if offline:
                    (tmp / "site" / SHIM).parent.mkdir(parents=True, exist_ok=True)
                    atomic.write_new(tmp / "site" / SHIM, resources.files("build_dossier").joinpath(
                        "data/vendor/iframe-worker/shim.js").read_bytes())
                atomic.fsync_tree(tmp / "site")
                staged_lock = lock.stage(project.lock_file, lock.merged(locked, now))
                with _os_errors(project, committed=True):  # from here on, one rename per output
                    if docs.changed:
                        commit_docs(docs, project.docs_dir)
                    atomic.exchange(tmp / "site", project.site_dir)
                    lock.commit(staged_lock)
                info["detail"] = (f"docs: {len(files)} files {'replaced' if docs.changed else 'unchanged'}; "
                                  "site swapped" + ("; lock updated" if staged_lock else ""))
        finally:
            atomic.discard(tmp)
            lock.discard(staged_lock)
    return dossier
