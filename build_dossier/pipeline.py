"""The pipeline: gather (load → clean → segment → tag → claims → related → figures → events) → render → records →
MkDocs → search → write.

Each stage is timed: a run returns its `Timing`s, one per stage in order, with what the stage did.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import resource
import time
from collections.abc import Mapping
from dataclasses import dataclass

from .analyse.backing import back_relations
from .analyse.claims import CLAIMS_FILE, debate_links, load_claims
from .analyse.clean import clean, load_rules
from .analyse.errata import load_errata
from .analyse.events import timeline
from .analyse.figures import figures
from .analyse.measures import load_measures
from .analyse.related import related, related_links
from .analyse.segment import segment
from .analyse.tag import OVERRIDES_FILE, load_overrides, load_tagger, tag
from .errors import Problem, fail_on
from .ingest import lock
from .ingest.config import Project, config_problems, site_address_note
from .ingest.load import load_sources, source_files
from .model import Dossier, unique_labels
from .publish import atomic, search
from .publish.build_site import build_date_epoch, build_site
from .publish.outputs import commit_files, discard_files, os_errors, stage_lock, writing
from .publish.write import commit_docs, stage_docs
from .render.registry import forget, render_docs

log = logging.getLogger("build_dossier")
SEARCH = "search"
"""Where a build keeps the search records in its private folder, from the model's release until Pagefind reads them."""


@dataclass(frozen=True)
class Timing:
    """How long one stage of a run took, and what it did."""

    stage: str
    """`load`, `clean`, … `render`, `records`, `mkdocs`, `search`, `write`."""
    seconds: float
    """Wall-clock time."""
    cpu_seconds: float
    """CPU time of this process: unlike wall time, not lengthened by waiting for a core others hold."""
    peak_memory_mb: float
    """The process's peak resident memory so far, when the stage ended (MB)."""
    detail: str
    """What it did (`3 sources`, `1118 passages`)."""

    def __str__(self) -> str:
        return f"{self.stage:<8} {self.detail:<44} {self.seconds:6.3f} s"


class Clock:
    """Times the stages of one run, in order."""

    def __init__(self) -> None:
        self.timings: list[Timing] = []

    @contextlib.contextmanager
    def stage(self, name: str):
        """Time the body as the stage `name`; the body may set `info['detail']`."""
        info = {"detail": ""}
        wall, cpu = time.perf_counter(), time.process_time()
        yield info
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux counts it in kB
        self.timings.append(Timing(name, time.perf_counter() - wall, time.process_time() - cpu, peak, info["detail"]))


class Memo:
    """Results of a stage kept between the runs of one process (`serve`), keyed by everything they are made from.

    A run reuses what an earlier one computed from the same content (an unchanged source's cleaning and passages,
    an unchanged passage's topics) and keeps only what it used, so the memo never outgrows one dossier.
    """

    def __init__(self) -> None:
        self._last: dict = {}
        self._now: dict = {}

    def __call__(self, key, make):
        """The result for `key`: the one kept, or `make()`."""
        if key not in self._now:
            self._now[key] = self._last[key] if key in self._last else make()
        return self._now[key]

    def next_run(self) -> None:
        """Start a run: forget what the last one did not use."""
        self._last, self._now = self._now, {}


@contextlib.contextmanager
def collector_paused():
    """Within: no automatic garbage collection (reference counting still frees what is let go).

    The analysis stages build the model, tens of millions of objects at 3,000 sources, and make almost no garbage
    cycles: the collector's full passes, rescanning all of it again and again as it grows, took a fifth of their CPU
    time there (122 → 98 s without, measured side by side), for no memory returned (peak 1,100 MB either way).
    The chart-drawing render stage does make cycles (matplotlib's figures), so it runs with the collector on.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@dataclass(frozen=True)
class Run:
    """What a run built, and how long each of its stages took."""

    sources: int
    passages: int
    timings: tuple[Timing, ...]
    dossier: Dossier | None = None
    """The model, kept by `serve` for its search index; None after `build`, which lets it go before MkDocs runs."""


@collector_paused()
def gather(project: Project, strict: bool = False, clock: Clock | None = None,
           memo: Memo | None = None) -> tuple[Dossier, list[Problem]]:
    """Read and validate everything, then build the whole model; raise once with every problem.

    With a `memo` (serve), per-source and per-passage results of earlier runs are reused where the content is the same.
    """
    stage = (clock or Clock()).stage
    memo = memo or (lambda _key, make: make())  # a build computes everything once: nothing to keep
    problems = config_problems(project.config_file, project.rel(project.config_file))
    with stage("load") as info:
        sources, found = load_sources(project.sources_dir, project.root)
        problems += found
        info["detail"] = f"{len(sources)} sources"
    with stage("clean") as info:
        rules, found = load_rules()
        problems += found
        cleaned = tuple(memo(("clean", s, rules), lambda s=s: clean(s, rules)) for s in sources)
        info["detail"] = f"{sum(len(c.removed) for c in cleaned)} chrome lines removed"
    with stage("segment") as info:
        # Keyed by the source, like its cleaning: hashing the cleaned lines would cost more than segmenting them.
        segmented = tuple(memo(("segment", s, rules), lambda c=c: segment(c)) for s, c in zip(sources, cleaned))
        info["detail"] = f"{sum(len(s.passages) for s in segmented)} passages"
    with stage("tag") as info:
        tagger, broken = load_tagger()
        overrides, found = load_overrides(project.sources_dir, project.root)
        problems += list(broken) + found
        decisions: dict = {}
        if not broken:  # a broken topics file is reported, not half applied
            segmented, decisions, found = tag(segmented, overrides, project.rel(project.sources_dir / OVERRIDES_FILE), tagger,
                                             memo)
            problems += found
        info["detail"] = f"{len(overrides)} overrides"
    with stage("claims") as info:
        passages = tuple(p for seg in segmented for p in seg.passages)
        unreadable = frozenset(p.stem for p in source_files(project.sources_dir)) - {s.id for s in sources}
        ledger, found = load_claims(project.sources_dir, project.root, passages, unreadable)
        problems += found
        links = debate_links(ledger.claims)
        waiting = len(ledger.proposed) + sum(len(c.proposed) for c in ledger.claims)
        errata, found = load_errata(project.sources_dir, project.root, passages, unreadable)  # the errata ledger
        problems += found
        info["detail"] = (f"{len(ledger.claims)} debates, {len(links)} links, {len(errata)} errata"
                          + (f", {waiting} proposals" if waiting else ""))
    with stage("related") as info:  # finds no problem: not run when the run fails anyway
        similar = () if any(p.severity == "error" for p in problems) else related_links(related(passages))
        info["detail"] = f"{len(similar)} related links"
    with stage("figures") as info:
        measures, found = load_measures()
        problems += found
        found_figures = figures(passages, measures, memo)
        # issue 17: every differs-in-figures relation of the ledger must be backed by the figures it quotes
        evidence, found = back_relations(ledger.claims, found_figures, measures, passages,
                                         project.rel(project.sources_dir / CLAIMS_FILE))
        problems += found
        info["detail"] = (f"{len(found_figures)} figures, {sum(f.measure is not None for f in found_figures)} "
                          f"in {len({f.measure for f in found_figures} - {None})} measures")
    with stage("events") as info:  # the timeline (issue 17)
        events = timeline(passages)
        info["detail"] = f"{len(events)} events, {sum(len(e.mentions) for e in events)} dated statements"
    fail_on(problems, strict)
    labels = unique_labels(tuple(seg.source for seg in segmented))
    return Dossier(segmented, decisions, ledger.claims, links + similar, labels, figures=found_figures, measures=measures,
                   evidence=evidence, events=events, proposed=ledger.proposed, rejected=ledger.rejected,
                   errata=errata), problems


def render(dossier: Dossier, site_url: str | None = None, clock: Clock | None = None) -> Mapping[str, str]:
    """Every generated file of docs/, by path; `site_url` makes citations' permalinks absolute."""
    with (clock or Clock()).stage("render") as info:
        files = render_docs(dossier, site_url)
        info["detail"] = f"{len(files)} files"
    return files


def generate(project: Project, strict: bool = False, site_url: str | None = None,
             clock: Clock | None = None, memo: Memo | None = None) -> tuple[Dossier, Mapping[str, str], list[Problem]]:
    """Model and generated files, with nothing written (`site_url`: mkdocs.yml's, if public, unless given)."""
    dossier, problems = gather(project, strict, clock, memo)
    return dossier, render(dossier, site_url if site_url is not None else project.public_site_url, clock), problems


def _lock_state(project: Project, dossier: Dossier) -> tuple[lock.Lock | None, lock.Lock, list[Problem]]:
    """The lock as written, the fingerprints now, and the drift between them (errors for a malformed lock)."""
    rel = project.rel(project.lock_file)
    locked, problems = lock.read(project.lock_file, rel)
    now = lock.current(dossier)
    return locked, now, problems + (lock.drift(locked, now, rel) if locked else [])


def lock_drift(project: Project, dossier: Dossier) -> list[Problem]:
    """Warnings for every locked passage whose text changed or moved (and errors for a malformed lock)."""
    return _lock_state(project, dossier)[2]


def accept_lock(project: Project) -> tuple[Dossier, list[Problem]]:
    """Rewrite the lock from the current sources; return the drift it accepted."""
    with writing(project):
        dossier, _ = gather(project)
        locked, now, drift = _lock_state(project, dossier)
        with os_errors(project, committed=False):
            staged = stage_lock(project.lock_file, now, locked is not None)
        try:
            with os_errors(project, committed=True):
                commit_files(staged)
        finally:
            discard_files(staged)
    return dossier, [p for p in drift if p.severity == "warning"]


SERVE_MEMO = Memo()
"""What `serve` keeps between rebuilds (one project per process)."""


def regenerate_docs(project: Project, strict: bool = False, memo: Memo = SERVE_MEMO) -> Run:
    """Replace the generated part of docs/ as a whole, if it changed; used by `serve` and its MkDocs hook.

    Reuses `memo`'s results for unchanged sources and passages. Logs each stage's timing (serve shows them on
    every rebuild).
    """
    clock = Clock()
    memo.next_run()
    with writing(project, project.docs_dir):
        dossier, files, warnings = generate(project, strict, clock=clock, memo=memo)
        for warning in warnings:
            log.warning("%s", warning)
        with clock.stage("write") as info:
            tmp = atomic.private_dir(project.root)
            try:
                with os_errors(project, committed=False):
                    # Not flushed to disk: a preview, rebuilt on every edit; the swap stays atomic.
                    docs = stage_docs(files, project.docs_dir, tmp, durable=False)
                if docs.changed:
                    with os_errors(project, committed=True):
                        commit_docs(docs, project.docs_dir)
            finally:
                atomic.discard(tmp)
            info["detail"] = f"docs: {len(files)} files " + ("replaced" if docs.changed else "unchanged")
    for timing in clock.timings:
        log.info("%s", timing)
    return Run(len(dossier.sources), len(dossier.passages()), tuple(clock.timings), dossier)


def build(project: Project, strict: bool = False, offline: bool = False) -> Run:
    """Regenerate docs/ and site/; on any problem both are left exactly as they were.

    Everything is prepared first — docs/ and site/ staged in a private folder, the lock in a sibling —
    then committed, one atomic rename or exchange per output (see `atomic`, `write`). The staged site is indexed
    for search (Pagefind) before it is swapped in. With `offline`, the site works opened from file:// (Material's
    offline plugin and search, vendored shim).
    """
    clock = Clock()
    with writing(project, project.docs_dir, project.site_dir):
        dossier, files, warnings = generate(project, strict, project.public_site_url, clock)
        for warning in warnings:  # not fatal (else generate raised), but the user must see them
            log.warning("%s", warning)
        locked, now, drift = _lock_state(project, dossier)
        fail_on(drift, strict)  # in strict mode the drift is the error message; else it is shown as warnings
        for warning in drift:
            log.warning("%s", warning)
        if note := site_address_note(project.site_url):
            log.info("%s", note)
        tmp = atomic.private_dir(project.root)
        staged_lock: list = []
        try:
            # What the later steps need of the model is taken now, and the model let go before MkDocs runs: at 3,000
            # sources it is a gigabyte, which MkDocs' own peak would come on top of.
            with clock.stage("records") as info, os_errors(project, committed=False):
                # The lock too, staged now and both its versions let go (at 3,000 sources, 82,000 passages each).
                staged_lock = stage_lock(project.lock_file, lock.merged(locked, now), locked is not None)
                del locked, now
                if not offline:  # the offline copy keeps Material's search: Pagefind cannot run from file://
                    search.prepare(dossier, tmp / SEARCH)
                epoch, counts = build_date_epoch(dossier), (len(dossier.sources), len(dossier.passages()))
                info["detail"] = "search records written" if not offline else "no search records (offline)"
            del dossier
            forget()
            with clock.stage("mkdocs") as info, os_errors(project, committed=False):
                docs = stage_docs(files, project.docs_dir, tmp)
                generated, files = len(files), None  # on disk now: their memory is MkDocs' (hundreds of MB at N = 3,000)
                build_site(project, docs.path, tmp / "site", epoch, offline)
                info["detail"] = f"site built ({len(list((tmp / 'site').rglob('*.html')))} HTML files)"
            if not offline:
                with clock.stage("search") as info, os_errors(project, committed=False):
                    info["detail"] = f"{search.index_prepared(tmp / SEARCH, tmp / 'site')} results indexed"
            with clock.stage("write") as info, os_errors(project, committed=False):
                atomic.fsync_tree(tmp / "site")
                with os_errors(project, committed=True):  # from here on, one rename per output
                    if docs.changed:
                        commit_docs(docs, project.docs_dir)
                    atomic.exchange(tmp / "site", project.site_dir)
                    commit_files(staged_lock)
                info["detail"] = (f"docs: {generated} files {'replaced' if docs.changed else 'unchanged'}; "
                                  "site swapped" + ("; lock updated" if staged_lock else ""))
        finally:
            atomic.discard(tmp)
            discard_files(staged_lock)
    return Run(*counts, tuple(clock.timings))
