"""Helpers shared by the tests (test-only code): throw-away projects, digests, HTML pages parsed as a browser would,
a local web server, small sources, and search: the built site's Pagefind index read back, a search box driven in
Chromium as a reader does, and a query set scored (hits@1, MRR).

The search helpers are also used by `benchmarks/search.py` (the hosted site's Pagefind search) and
`benchmarks/search_quality.py` (the query set on either search: Material's, in the offline copy, or Pagefind).
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import gzip
import hashlib
import http.server
import json
import re
import shutil
import threading
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import yaml

from build_dossier.ingest.config import Project
from build_dossier.model import Source
from build_dossier.publish import searchable
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
            target = target.split("?", 1)[0] or rel  # a query (the debates filter's) names no other file
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


# -------------------------------------------------------------------------------- search: the index

QUERIES = DATA / "search-queries.yaml"
PASSAGE_HREF = re.compile(r"(?:^|/)sources/([^/?#]+)\.html(?:\?[^#]*)?#(p\d+)$")


@dataclass(frozen=True)
class Query:
    """One analyst query of tests/data/search-queries.yaml."""

    query: str
    expect: str
    also: tuple[str, ...]
    kind: str

    @property
    def accepted(self) -> frozenset[str]:
        return frozenset((self.expect, *self.also))


def shards(site: Path) -> dict[str, list[dict]]:
    """The results of each shard of the site's Pagefind index (`pagefind/`, then those its word counts list), as the
    browser gets them: url, content, meta, filters, anchors."""
    listed = json.loads((site / "pagefind" / "word-counts.json").read_text(encoding="utf-8")).get("shards", [])
    out = {}
    for shard in ["pagefind/", *listed]:
        out[shard] = []
        for path in sorted((site / shard / "fragment").glob("*.pf_fragment")):
            raw = gzip.decompress(path.read_bytes())
            assert raw.startswith(b"pagefind_dcd"), path
            out[shard].append(json.loads(raw[len(b"pagefind_dcd"):]))
    return out


def fragments(site: Path) -> list[dict]:
    """Every result of the site's Pagefind index, in all its shards."""
    return [result for results in shards(site).values() for result in results]


def load_queries(path: Path = QUERIES) -> list[Query]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Query(q["query"], q["expect"], tuple(q.get("also") or ()), q["kind"]) for q in data["queries"]]


def passage_of(href: str) -> str | None:
    """The passage id (`<source>-pN`) a result link points at, or None for any other result."""
    m = PASSAGE_HREF.search(urlsplit(href)._replace(scheme="", netloc="").geturl())
    return f"{m.group(1)}-{m.group(2)}" if m else None


@dataclass(frozen=True)
class Scored:
    """How one query fared: the passages listed, in order, and where the first accepted one was."""

    query: Query
    passages: tuple[str, ...]
    first_is_passage: bool
    """Whether the very first result (of any kind) was a passage."""

    @property
    def rank(self) -> int | None:
        """1-based rank of the first accepted passage among the passage results."""
        return next((i + 1 for i, p in enumerate(self.passages) if p in self.query.accepted), None)

    @property
    def hit(self) -> bool:
        return self.rank == 1

    @property
    def strict_hit(self) -> bool:
        """A hit whose passage is also the first result of any kind."""
        return self.hit and self.first_is_passage


def score(query: Query, hrefs: list[str]) -> Scored:
    """Score the result links of one query, in the order shown."""
    ids = [passage_of(h) for h in hrefs]
    passages = tuple(dict.fromkeys(i for i in ids if i))  # a page's sections may list a passage twice
    return Scored(query, passages, bool(ids) and ids[0] is not None)


def summary(scored: list[Scored]) -> dict:
    """hits@1, strict hits@1 and mean reciprocal rank over the set."""
    n = len(scored)
    return {"queries": n,
            "hits@1": sum(s.hit for s in scored) / n,
            "strict hits@1": sum(s.strict_hit for s in scored) / n,
            "MRR": sum(1 / s.rank for s in scored if s.rank) / n,
            "misses": [(s.query.query, s.query.expect, s.passages[:3]) for s in scored if not s.hit]}


# ------------------------------------------------------------------------------ Material's search (lunr)

MATERIAL_LINKS = """() => [...document.querySelectorAll('.md-search-result__list a.md-search-result__link')]
    .map(a => a.getAttribute('href'))"""


def material_results(page, query: str, settle_ms: int = 400) -> list[str]:
    """Type `query` into Material's search box; every result link in the order listed (all pages of them).

    Material renders results ten pages at a time as the list scrolls; it is scrolled until nothing more
    appears. Links under "N more on this page" are in the list, folded, in their order.
    """
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    box.press_sequentially(query)
    links = _settled(page, MATERIAL_LINKS, settle_ms)
    while True:
        page.eval_on_selector(".md-search__scrollwrap", "e => e.scrollTop = e.scrollHeight")
        more = _settled(page, MATERIAL_LINKS, settle_ms)
        if len(more) == len(links):
            return more
        links = more


def _settled(page, script: str, settle_ms: int) -> list[str]:
    """The value of `script` once it has not changed for `settle_ms`."""
    last, since = page.evaluate(script), time.monotonic()
    deadline = since + 15
    while time.monotonic() < deadline:
        page.wait_for_timeout(50)
        now = page.evaluate(script)
        if now != last:
            last, since = now, time.monotonic()
        elif (time.monotonic() - since) * 1000 >= settle_ms:
            break
    return last


# ---------------------------------------------------------------------------------- the Pagefind search box

PAGEFIND_LINKS = "() => [...document.querySelectorAll('.dossier-search__results a.dossier-search__link')].map(a => a.href)"


def done(query: str) -> str:
    """Selector of the result list once it shows the results of `query` (search.js marks it so)."""
    quoted = query.replace("\\", "\\\\").replace('"', '\\"')
    return f'.dossier-search__results[data-state="done"][data-query="{quoted}"]'


def pagefind_results(page, query: str, pages: int = 5) -> list[str]:
    """Type `query` into the search box; the result links in order, asking for more up to `pages` times."""
    box = page.locator("#dossier-search-input")
    box.click()
    box.fill("")
    box.press_sequentially(query)
    page.locator(done(query)).wait_for(state="attached")
    more = page.locator(".dossier-search__more")
    for _ in range(pages - 1):
        if not more.is_visible():
            break
        count = len(page.evaluate(PAGEFIND_LINKS))
        more.click()
        page.wait_for_function(f"() => document.querySelectorAll('.dossier-search__results a').length > {count}")
    return page.evaluate(PAGEFIND_LINKS)


def parsed_words(page: str) -> list[str]:
    """The words (sorted, each once) of what Pagefind indexes of `page`, as the build's HTML parser finds them."""
    words: set[str] = set()
    parser = searchable.Searchable(words)
    parser.feed(page)
    parser.close()
    return sorted(words)
