"""Helpers shared by the tests (test-only code): throw-away projects, digests, HTML pages parsed as a browser would,
a local web server, and small sources."""

from __future__ import annotations

import contextlib
import difflib
import functools
import hashlib
import http.server
import re
import shutil
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin

from build_dossier.ingest.config import Project
from build_dossier.model import Source
from build_dossier.publish.write import copy_site_inputs

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


def line_changes(before: str, after: str) -> list[tuple[str, list[str], list[str]]]:
    """(kind, old lines, new lines) of every change from `before` to `after`, as a diff shows them."""
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    return [(op, a[i1:i2], b[j1:j2]) for op, i1, i2, j1, j2 in
            difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if op != "equal"]


def digest(root: Path) -> dict[str, str]:
    """SHA-256 of every file under `root` (bytecode caches aside), by relative path."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


GOOD = """---
id: {id}
title: "A title"
authors: [Jane Doe]
publisher: Example Press
date: 2024-01-02
url: https://example.org/a
license: null
license_note: "None stated."
accessed: null
accessed_note: "Not recorded."
---
First paragraph of the article, long enough to be a paragraph.
"""
"""A valid source file (fill in `id`)."""


def source(body: str, title: str | None = "The Title") -> Source:
    """A source record with `body` as its text, as the loader would make it."""
    return Source(id="s", path="sources/s.md", title=title, subtitle=None, authors=("A B",), publisher="P",
                  date=None, url=None, license=None, accessed=None, notes=(), format="text", body=body, body_line=10)


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


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


@contextlib.contextmanager
def serve(directory: Path):
    """Serve `directory` on 127.0.0.1 (a free port) by the standard library, in a thread; yield the base URL."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
