"""Thin MkDocs hook: the sources in the navigation; each page's Markdown and HTML let go once used; under
`mkdocs serve`, regenerate docs/ when sources/ change, and index the site for search.

Every build puts the sources' groups into the navigation (`publish.nav`); otherwise plain `mkdocs build` is
unaffected: the rest of the hook does nothing unless serving. It writes under the project
lock: the one `build-dossier serve` holds and passes down, or its own under a plain `mkdocs serve`.
`build-dossier serve` turns Material's search off, as `build` does; the hook then indexes each build of the
served site with Pagefind (`publish.search.index_site`), so that it searches as the hosted site does: in a
thread of its own after the first build, so that an edit is served without waiting for the index (search
catches up a moment later).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from build_dossier.pipeline import Project, regenerate_docs
from build_dossier.errors import DossierError
from build_dossier.publish.nav import add_sources
from build_dossier.publish.search import index_site, material_search

log = logging.getLogger("mkdocs.hooks.build_dossier")
_serving = False
_dossier = None
_wanted: list = []
"""The latest (dossier, site folder) to index, if one is waiting."""
_wake = threading.Condition()
_indexer: threading.Thread | None = None
_stopping = False


def _not_the_dirty_warning(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("A 'dirty' build is being performed")


def on_startup(command, dirty):
    global _serving
    _serving = command == "serve"
    if _serving and dirty:  # `build-dossier serve` asks for it (it writes only changed pages); strict mode stays
        logging.getLogger("mkdocs.commands.build").addFilter(_not_the_dirty_warning)


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


def _index(dossier, site: Path) -> None:
    try:
        index_site(dossier, site)
    except DossierError as exc:
        log.error("%s", exc)


def _index_forever() -> None:
    """Index the latest build waiting, again and again (builds that came meanwhile are indexed once, as the latest)."""
    while True:
        with _wake:
            _wake.wait_for(lambda: _wanted or _stopping)
            if _stopping:
                return
            dossier, site = _wanted.pop()
        _index(dossier, site)


# MkDocs renders every page before it writes any, and keeps each page's Markdown and HTML to the end of the build:
# at 3,000 sources that is gigabytes. Once converted, the Markdown is needed by nothing (later events read the
# HTML); once the page is written, neither is its HTML (anchors are checked from ids MkDocs noted while rendering).
# So a page holds its Markdown only while it is converted and its HTML only until it is written.
def on_page_content(html, page, config, files):
    page.markdown = ""  # not None: MkDocs reads None as "not read yet" (a page without a title)
    return html


def on_post_page(output, page, config):
    page.content = ""
    return output


def on_post_build(config):
    global _indexer
    if not _serving or _dossier is None or material_search(config):
        return
    if _indexer is None:  # the first build: indexed before the site is served
        _index(_dossier, Path(config.site_dir))
        _indexer = threading.Thread(target=_index_forever, name="pagefind-index", daemon=True)
        _indexer.start()
        return
    with _wake:
        _wanted[:] = [(_dossier, Path(config.site_dir))]
        _wake.notify()


def on_serve(server, config, builder):
    server.watch(str(_project(config).sources_dir))
    return server


def on_shutdown():
    """Let an index being written finish before MkDocs deletes the served site (else it deletes under Pagefind)."""
    global _stopping
    if _indexer is None:
        return
    with _wake:
        _stopping = True
        _wanted.clear()
        _wake.notify()
    _indexer.join(timeout=60)
