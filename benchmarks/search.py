"""Benchmark of the hosted site's search (Pagefind) in Chromium: bytes transferred and time to results.

The built site is served as a static host serves it — text files (HTML, CSS, JavaScript, JSON, SVG)
gzip-compressed on the fly; Pagefind's index files are compressed already and are sent as they are — and
Chromium opens the home page, then types queries into the search box. Measured:

- bytes the browser transfers for the page (everything until it has loaded), then for the first query:
  what is requested from the first keystroke until the results are shown (Pagefind's script and
  WebAssembly, its metadata, the word counts, the kind filter, the index chunks and the fragments of the
  results shown), and then for the filter counts beside them (every filter's values, loaded once);
- the time from the last keystroke to the results shown, for each query once the index is loaded (the
  filter counts of each query are left to finish before the next is typed, as a reader would).

    python benchmarks/search.py SITE_DIR         # one built site (build-dossier build first)

`benchmarks/run.py` calls `measure` for each corpus it builds.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import json
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
from support import CHROMIUM, CHROMIUM_ARGS, done, serve  # noqa: E402  (the tests' server, browser, wait for results)

COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map")
QUERIES = ("Power of Siberia", "nuclear", "joint military exercises", '"axis of upheaval"', "$245 billion",
           "Xi Putin best friend", "Quad", "yuan")
"""Queries timed (the first is the one whose bytes are counted): phrase, word, quoted, figure, loose words."""

LAST_KEY_TO_RESULTS = """([query, selector]) => { window.__lastKeyToResults = new Promise((resolve) => {
    // The time of the last keystroke, and when the result list says it shows this query's results (also kept
    // as a time since the epoch, that of Playwright's request timings).
    const list = document.querySelector('.dossier-search__results');
    let last = 0;
    const key = () => { last = performance.now(); };
    document.addEventListener('keydown', key, true);
    const check = () => {
        if (list.matches(selector)) {
            document.removeEventListener('keydown', key, true);
            observer.disconnect();
            window.__shownAt = performance.timeOrigin + performance.now();
            resolve(performance.now() - last);
        }
    };
    const observer = new MutationObserver(check);
    observer.observe(list, {attributes: true, childList: true});
}); }"""


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files as a static host does: text gzip-compressed when the browser accepts it."""

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix not in COMPRESSED or "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *_):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


class Transfers:
    """Every request of a browser context: when it started (ms since the epoch), its address, and the bytes received
    (headers and encoded body)."""

    def __init__(self, context):
        self.requests: list[tuple[float, str, int]] = []
        context.on("requestfinished", self._finished)

    def _finished(self, request):
        sizes = request.sizes()
        self.requests.append((request.timing["startTime"], request.url,
                              sizes["responseBodySize"] + sizes["responseHeadersSize"]))

    def between(self, start: float, end: float) -> list[tuple[str, int]]:
        return [(url, size) for t, url, size in self.requests if start <= t < end]


COUNTED = '.dossier-search__facets[data-state="done"]'
NOW = "() => performance.timeOrigin + performance.now()"


def measure(site: Path, queries=QUERIES, repeat: int = 3) -> dict:
    """Bytes for the home page, its first query and that query's filter counts; ms from last keystroke to results."""
    from playwright.sync_api import sync_playwright

    with serve(site, GzipHandler) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        transfers = Transfers(context)
        page = context.new_page()
        page.goto(base + "index.html", wait_until="networkidle")
        loaded = page.evaluate(NOW)
        times: dict[str, list[float]] = {}
        box = page.locator("#dossier-search-input")
        for round_ in range(repeat):
            for query in queries:
                box.fill("")
                box.click()
                page.evaluate(LAST_KEY_TO_RESULTS, [query, done(query)])
                box.press_sequentially(query)
                elapsed = page.evaluate("() => window.__lastKeyToResults")
                page.locator(COUNTED).wait_for(state="attached")
                page.wait_for_load_state("networkidle")
                if round_ == 0 and query == queries[0]:
                    first, shown, counted = elapsed, page.evaluate("() => window.__shownAt"), page.evaluate(NOW)
                else:
                    times.setdefault(query, []).append(elapsed)
        browser.close()
    results, counts = transfers.between(loaded, shown), transfers.between(shown, counted)
    return {"page_bytes": sum(size for _, size in transfers.between(0, loaded)),
            "first_query_bytes": sum(size for _, size in results), "counts_bytes": sum(size for _, size in counts),
            "first_query_files": results + counts, "first_query_ms": first,
            "query_ms": {q: statistics.median(t) for q, t in times.items()},
            "median_query_ms": statistics.median(t for ts in times.values() for t in ts)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--files", action="store_true", help="list every file of the first query")
    args = parser.parse_args()
    result = measure(args.site)
    files = result.pop("first_query_files")
    print(json.dumps(result, indent=1))
    if args.files:
        for url, size in files:
            print(f"{size:>8}  {url}")


if __name__ == "__main__":
    main()
