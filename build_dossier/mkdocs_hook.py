"""Thin MkDocs hook: the sources in the navigation; each page's Markdown and HTML let go once used (its HTML kept
compressed in between); under `mkdocs serve`, regenerate docs/ when sources/ change, and index the site for search.

Every build puts the sources' groups into the navigation (`publish.nav`); otherwise plain `mkdocs build` is
unaffected: the rest of the hook does nothing unless serving. It writes under the project
lock: the one `build-dossier serve` holds and passes down, or its own under a plain `mkdocs serve`.
`build-dossier serve` turns Material's search off, as `build` does; the hook then indexes each build of the
served site with Pagefind (`publish.search.index_site`), so that it searches as the hosted site does: in a
thread of its own after the first build, so that an edit is served without waiting for the index (search
catches up a moment later). Under `serve` it also looks at sources/ more often than MkDocs looks at docs/, and keeps
the theme's compiled templates from one rebuild to the next.
"""

from __future__ import annotations

import logging
import re
import threading
import zlib
from pathlib import Path

import jinja2
import jinja2.bccache
from mkdocs.plugins import event_priority
from watchdog.observers.polling import PollingObserver

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
    _packed.clear()  # what a failed build left
    _listings.clear()
    if not _serving:
        return
    try:
        _dossier = regenerate_docs(_project(config)).dossier
    except DossierError as exc:
        log.error("%s", exc)


def on_nav(nav, config, files):
    return add_sources(nav, files)


class _CompiledTemplates(jinja2.BytecodeCache):
    """The theme's templates, compiled, kept in memory between the rebuilds of `serve`.

    MkDocs makes a new template environment for every build, which compiles each template again (about 0.1 s of a
    rebuild). Jinja checks each entry against its template's source: an edited template is compiled anew.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (code := self._code.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_compiled = _CompiledTemplates()


def on_env(env, config, files):
    if _serving:
        env.bytecode_cache = _compiled
    return env


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


# MkDocs converts every page before it writes any, and keeps each page's Markdown and HTML to the end of the build:
# at 3,000 sources, gigabytes. Once converted, the Markdown is needed by nothing (later events read the HTML); from
# then until the page is written its HTML is kept compressed (a tenth of the size), unpacked just before the page's
# template is rendered; once written, it is let go (anchors are checked from ids MkDocs noted while converting).
# A page listing tags keeps its HTML: Material's tags plugin writes the listing into it between the two.
_packed: dict[str, bytes] = {}
"""A converted page's HTML, compressed, until its template is rendered (by the page's path in docs/)."""
_listings: set[str] = set()
"""The pages that list tags (`<!-- material/tags -->`), whose HTML stays as it is."""


@event_priority(100)  # before Material's tags plugin turns the directive into its own marks
def on_page_markdown(markdown, page, config, files):
    if re.search(r"<!--\s*material/tags", markdown):
        _listings.add(page.file.src_uri)
    return markdown


@event_priority(-100)  # the last to see the HTML, after every plugin
def on_page_content(html, page, config, files):
    page.markdown = ""  # not None: MkDocs reads None as "not read yet" (a page without a title)
    if page.file.src_uri in _listings:
        return html
    _packed[page.file.src_uri] = zlib.compress(html.encode("utf-8"), 1)
    return ""


@event_priority(100)  # the first: Material's search reads the HTML here
def on_page_context(context, page, config, nav):
    if (packed := _packed.pop(page.file.src_uri, None)) is not None:
        page.content = zlib.decompress(packed).decode("utf-8")
    return context


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


POLL_SECONDS = 0.1
"""How often `serve` looks for saved sources: MkDocs looks every 0.5 s, a quarter of a second's wait on average."""
POLL_FILES = 1_000
"""Beyond this many files in sources/ it looks proportionally less often (each look reads every file's status)."""
_pollers: list = []


def poll_interval(sources: Path) -> float:
    """Seconds between two looks at `sources`: `POLL_SECONDS`, longer for large folders, at most MkDocs' 0.5 s."""
    files = sum(1 for p in sources.rglob("*")) if sources.is_dir() else 0
    return min(0.5, POLL_SECONDS * max(1.0, files / POLL_FILES))


def on_serve(server, config, builder):
    # sources/ is watched by a poller of its own (as MkDocs watches: by polling, which works on every file system),
    # looking more often than MkDocs' own; it wakes the server's rebuild as MkDocs' watches do.
    sources = _project(config).sources_dir
    poller = PollingObserver(timeout=poll_interval(sources))
    mkdocs_poller, server.observer = server.observer, poller
    try:
        server.watch(str(sources))
    finally:
        server.observer = mkdocs_poller
    if poller.emitters:  # none if sources/ was watched already
        poller.start()
        _pollers.append(poller)
    return server


def on_shutdown():
    """Let an index being written finish before MkDocs deletes the served site (else it deletes under Pagefind)."""
    global _stopping
    for poller in _pollers:
        poller.stop()
        poller.join(timeout=5)
    _pollers.clear()
    if _indexer is None:
        return
    with _wake:
        _stopping = True
        _wanted.clear()
        _wake.notify()
    _indexer.join(timeout=60)
