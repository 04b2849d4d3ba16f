"""Building site/ from a staged docs/ with the real MkDocs, in strict mode, reproducibly dated.

MkDocs runs in-process with the project's mkdocs.yml and its `docs_dir`/`site_dir` pointed at the
build's private folder; any warning it logs fails the build. `SOURCE_DATE_EPOCH` (unless the user set
it) is the newest date the sources state, so the same sources give the same bytes. With `offline`,
Material's offline plugin is turned on and the vendored iframe-worker shim is added, so Material's search
works from file://; otherwise Material's search is turned off: the pipeline then indexes the built site with
Pagefind (`search.py`), which cannot run from file://.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
from importlib import resources
from pathlib import Path

from ..errors import DossierError, Problem
from ..ingest.config import MAX_EPOCH, Project
from ..model import Dossier
from . import atomic
from .search import MATERIAL_SEARCH_ENV

SHIM = "assets/javascripts/iframe-worker-shim.js"
"""Where the offline site gets the vendored iframe-worker shim (search from file://)."""


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
            # MkDocs writes site_url into every page (canonical links) and the sitemap: only a public one.
            config.site_url = project.public_site_url
            mkdocs_build(config)
    except (MkDocsException, SystemExit) as exc:
        messages = collect.messages or [str(exc)]
        raise DossierError([Problem(project.rel(project.config_file), "", f"MkDocs: {m}",
                                    "fix the page or configuration named in the message.") for m in messages]) from None
    finally:
        mk_log.removeHandler(collect)


def build_site(project: Project, docs_dir: Path, site_dir: Path, epoch: str, offline: bool) -> None:
    """Build `site_dir` from `docs_dir`, dated `epoch` (`build_date_epoch`): with `offline`, a site that works opened
    from file:// (with Material's search), else one for a web server, without Material's search (the pipeline adds
    Pagefind's)."""
    flag = "true" if offline else "false"  # mkdocs.yml reads both: offline plugin, and Material's search with it
    with environ(DOSSIER_OFFLINE=flag, **{MATERIAL_SEARCH_ENV: flag}):
        run_mkdocs(project, docs_dir, site_dir, epoch,
                   {"extra": {"polyfills": [SHIM]}} if offline else None)
    if offline:
        (site_dir / SHIM).parent.mkdir(parents=True, exist_ok=True)
        atomic.write_new(site_dir / SHIM, resources.files("build_dossier").joinpath(
            "data/vendor/iframe-worker/shim.js").read_bytes())
