"""Thin MkDocs hook: the sources in the navigation; under `mkdocs serve`, regenerate docs/ when sources/ change, and
index the site for search.

Every build puts the sources' groups into the navigation (`publish.nav`); otherwise plain `mkdocs build` is
unaffected: the rest of the hook does nothing unless serving. It writes under the project
lock: the one `build-dossier serve` holds and passes down, or its own under a plain `mkdocs serve`.
`build-dossier serve` turns Material's search off, as `build` does; the hook then indexes each build of the
served site with Pagefind (`publish.search.index_site`), so that it searches as the hosted site does.
"""

from __future__ import annotations

import logging
from pathlib import Path

from build_dossier.pipeline import Project, regenerate_docs
from build_dossier.errors import DossierError
from build_dossier.publish.nav import add_sources
from build_dossier.publish.search import index_site, material_search

log = logging.getLogger("mkdocs.hooks.build_dossier")
_serving = False
_dossier = None


def on_startup(command, dirty):
    global _serving
    _serving = command == "serve"


def _project(config) -> Project:
    return Project(Path(config.config_file_path).resolve().parent)


def on_pre_build(config):
    global _dossier
    if not _serving:
        return
    try:
        _dossier = regenerate_docs(_project(config)).dossier
    except DossierError as exc:
        log.error("%s", exc)


def on_nav(nav, config, files):
    return add_sources(nav, files)


def on_post_build(config):
    if not _serving or _dossier is None or material_search(config):
        return
    try:
        index_site(_dossier, Path(config.site_dir))
    except DossierError as exc:
        log.error("%s", exc)


def on_serve(server, config, builder):
    server.watch(str(_project(config).sources_dir))
    return server
