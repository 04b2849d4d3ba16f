"""Shared fixtures: a copy of the project built with the real pipeline and MkDocs."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import http.server
import json
import os
import re
import shutil
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import pytest
import yaml

from build_dossier.build import Project, build
from build_dossier.write import copy_site_inputs

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def copy_project(dest: Path, sources: bool = True) -> Project:
    """A fresh copy of the project's inputs (no generated files) in `dest`."""
    copy_site_inputs(ROOT, dest)
    (dest / "sources").mkdir(exist_ok=True)
    if sources:
        for path in sorted((ROOT / "sources").iterdir()):
            if path.is_file():
                shutil.copy2(path, dest / "sources" / path.name)
    return Project(dest)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Project:
    """The three seed articles, built once with the real MkDocs."""
    project = copy_project(tmp_path_factory.mktemp("built"))
    build(project)
    return project


@pytest.fixture(scope="session")
def data(built: Project) -> dict:
    """dossier.json of the built seed site: what pages and exports are checked against."""
    return json.loads((built.site_dir / "dossier.json").read_text(encoding="utf-8"))


def digest(root: Path) -> dict[str, str]:
    """SHA-256 of every file under `root` (bytecode caches aside), by relative path."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


@pytest.fixture(scope="session")
def reading() -> dict:
    """The hand-made, independent reading of the three articles."""
    return yaml.safe_load((DATA / "reading.yaml").read_text(encoding="utf-8"))


class Page(HTMLParser):
    """Ids, links and visible text of one HTML page, parsed as a browser would."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self._skip = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def page(project: Project, rel: str) -> Page:
    return Page((project.site_dir / rel).read_text(encoding="utf-8"))


def broken_links(project: Project) -> list[tuple[str, str]]:
    """(page, href) of every link within the built site whose file, or id in that file, does not exist.

    Links MkDocs does not check (those in raw HTML) are checked here too.
    """
    broken, ids = [], {}
    for html_file in sorted(project.site_dir.rglob("*.html")):
        rel = html_file.relative_to(project.site_dir).as_posix()
        if rel == "404.html":  # MkDocs writes it with root-absolute links, for any depth
            continue
        for href in page(project, rel).hrefs:
            if re.match(r"^[a-z]+:", href) or href.startswith("//"):
                continue
            target, fragment = urldefrag(urljoin(rel, href))
            target = target or rel
            path = project.site_dir / target
            if target.endswith("/"):
                path = path / "index.html"
            if not path.exists():
                broken.append((rel, href))
            elif fragment and path.suffix == ".html" and not fragment.startswith("tag:"):
                key = path.relative_to(project.site_dir).as_posix()
                ids.setdefault(key, set(page(project, key).ids))
                if fragment not in ids[key]:
                    broken.append((rel, href))
    return broken


# ------------------------------------------------------------------------------- browser tests (shared)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches Debian's Chromium (never a browser downloaded by `playwright install`).

    Without it the browser tests are skipped, unless DOSSIER_REQUIRE_BROWSER=1 (CI), where they fail.
    """
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's `chromium` package to run the browser tests"
        if os.environ.get("DOSSIER_REQUIRE_BROWSER") == "1":
            pytest.fail(message + " (DOSSIER_REQUIRE_BROWSER=1)", pytrace=False)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


@contextlib.contextmanager
def serve(directory: Path, handler=_QuietHandler):
    """Serve `directory` on 127.0.0.1 (a free port) by the standard library, in a thread; yield the base URL."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
