"""Search helpers for the tests: read the built site's Pagefind index, drive a search box in Chromium as a reader
does, and score a query set (hits@1, MRR).

Used by the search tests and by `benchmarks/search.py` (the hosted site's Pagefind search) and
`benchmarks/search_quality.py` (the query set on either search: Material's, in the offline copy, or Pagefind).
"""

from __future__ import annotations

import gzip
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import yaml

QUERIES = Path(__file__).resolve().parent / "data" / "search-queries.yaml"
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


def fragments(site: Path) -> list[dict]:
    """Every result of the site's Pagefind index, as the browser gets it: url, content, meta, filters, anchors."""
    out = []
    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(b"pagefind_dcd"), path
        out.append(json.loads(raw[len(b"pagefind_dcd"):]))
    return out


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


def absolute(page, href: str) -> str:
    return urljoin(page.url, href)


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
