"""Thin MkDocs hook: under `mkdocs serve`, regenerate docs/ when sources/ change.

Plain `mkdocs build` is unaffected: the hook does nothing unless serving. It writes under the project
lock: the one `build-dossier serve` holds and passes down, or its own under a plain `mkdocs serve`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from build_dossier.pipeline import Project, regenerate_docs
from build_dossier.errors import DossierError

log = logging.getLogger("mkdocs.hooks.build_dossier")
_serving = False


def on_startup(command, dirty):
    global _serving
    _serving = command == "serve"


def _project(config) -> Project:
    return Project(Path(config.config_file_path).resolve().parent)


def on_pre_build(config):
    if not _serving:
        return
    try:
        regenerate_docs(_project(config))
    except DossierError as exc:
        log.error("%s", exc)


def on_serve(server, config, builder):
    server.watch(str(_project(config).sources_dir))
    return server
