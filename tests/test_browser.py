"""Acceptance tests in a real browser: Debian's Chromium driven by Playwright, as a reader uses the site.

The site is built once with the real pipeline and MkDocs (conftest's `built`), served on 127.0.0.1 by the
standard library's HTTP server; the offline copy is opened from file://. Every page of every test runs
under a guard that fails on console errors, uncaught exceptions, failed or broken (4xx/5xx) requests and
any request to another host. Screenshots go to test-artifacts/.

Without /usr/bin/chromium the module is skipped, unless DOSSIER_REQUIRE_BROWSER=1 (CI), where it fails.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from playwright.sync_api import Error as PlaywrightError

from build_dossier.pipeline import Project, build
from support import ROOT, copy_project, done, serve

ARTIFACTS = ROOT / "test-artifacts"
TIMEOUT_MS = 15_000
PHONE = {"width": 375, "height": 812}


# ---------------------------------------------------------------------------------------------- the site


@pytest.fixture(scope="module")
def server(built: Project):
    """The built site served on 127.0.0.1."""
    with serve(built.site_dir) as base:
        yield base


@pytest.fixture(scope="module")
def offline(tmp_path_factory) -> Project:
    """A second copy of the project, built with `offline=True` (as `build-dossier build --offline`)."""
    project = copy_project(tmp_path_factory.mktemp("offline"))
    build(project, offline=True)
    return project


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# --------------------------------------------------------------------------------------------- the guard


def served_here(url: str) -> bool:
    """Requests the served site may make: its own host, or nothing that leaves the page."""
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or (parts.scheme == "http" and parts.hostname == "127.0.0.1")


def local_file(url: str) -> bool:
    """Requests the file:// copy may make: local files only."""
    return urlsplit(url).scheme in ("file", "data", "blob", "about")


class Guard:
    """Watches one browser context: foreign hosts are blocked and recorded, with every error the pages raise."""

    def __init__(self, context: BrowserContext, allowed):
        self.allowed = allowed
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.checked = False
        context.route("**/*", self._route)
        context.on("request", self._request)
        context.on("requestfailed", self._failed)
        context.on("response", self._response)
        context.on("console", self._console)
        context.on("weberror", lambda e: self.errors.append(f"uncaught exception: {e.error}"))

    def _route(self, route):
        if self.allowed(route.request.url):
            route.continue_()
        else:
            self._record(route.request.url)
            route.abort()

    def _request(self, request):  # also sees what routing may not (a worker's own requests, say)
        if not self.allowed(request.url):
            self._record(request.url)

    def _record(self, url: str) -> None:
        if url not in self.foreign:
            self.foreign.append(url)

    def _failed(self, request):
        # ERR_ABORTED: the page navigated on before a request (the favicon, say) finished; not a fault.
        if self.allowed(request.url) and request.failure != "net::ERR_ABORTED":
            self.errors.append(f"request failed: {request.url} ({request.failure})")

    def _response(self, response):
        if response.status >= 400:
            self.errors.append(f"HTTP {response.status}: {response.url}")

    def _console(self, message):
        if message.type == "error":
            self.errors.append(f"console error on {message.page.url if message.page else '?'}: {message.text}")

    def check(self) -> None:
        self.checked = True
        assert self.foreign == [], f"requests to other hosts: {self.foreign}"
        assert self.errors == [], f"errors in the browser: {self.errors}"


class Browse:
    """Opens guarded pages; each test's guards are checked when the test ends."""

    def __init__(self, browser: Browser):
        self.browser = browser
        self.opened: list[tuple[BrowserContext, Guard]] = []

    def page(self, allowed=served_here, **context_args) -> tuple[Page, Guard]:
        context = self.browser.new_context(**context_args)
        context.set_default_timeout(TIMEOUT_MS)
        guard = Guard(context, allowed)
        self.opened.append((context, guard))
        return context.new_page(), guard

    def close(self) -> None:
        for context, _ in self.opened:
            context.close()


@pytest.fixture
def web(browser: Browser):
    browse = Browse(browser)
    yield browse
    browse.close()
    for _, guard in browse.opened:
        if not guard.checked:  # a test that did not check its guard still fails on what it saw
            guard.check()


# ------------------------------------------------------------------------------------- reading the data

WORD = re.compile(r"[A-Za-z]{4,}")


def distinctive_phrase(data: dict, source_id: str) -> tuple[dict, str]:
    """A passage of the source and three consecutive words of it that are rarest across all passages.

    Words are plain letters (no digits, apostrophes or hyphens, which search tokenises differently);
    rarity is the number of passages (of every source) that contain each word.
    """
    df = Counter(w for p in data["passages"] for w in {t.lower() for t in re.findall(r"[A-Za-z]+", p["text"])})
    best = None
    for p in data["passages"]:
        if p["source"] != source_id:
            continue
        tokens = p["text"].split(" ")
        for i in range(len(tokens) - 2):
            trio = tokens[i:i + 3]
            if all(WORD.fullmatch(t) for t in trio):
                key = (sum(df[t.lower()] for t in trio), p["n"], i)
                if best is None or key < best[0]:
                    best = (key, p, " ".join(trio))
    assert best is not None, f"{source_id} has no passage with three plain consecutive words"
    return best[1], best[2]


def page_of(data: dict, source_id: str) -> str:
    return next(s["page_url"] for s in data["sources"] if s["id"] == source_id)


def in_viewport(page: Page, selector: str) -> None:
    expect(page.locator(selector)).to_be_in_viewport()


def passage_text(page: Page, anchor: str):
    """The text of the passage whose heading has id `anchor` (the first passage text after it)."""
    return page.locator(f"#{anchor} ~ .passage-text").first


def search(page: Page, phrase: str, source_page: str, anchor: str) -> None:
    """Type into Material's search box (the offline copy's), then open the result for the passage `source_page#anchor`."""
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(phrase)
    # Results refresh as each key arrives; wait for the passage's own result (a section of its page).
    # The list is re-rendered while the last keys are still being searched, so poll: a result listed under
    # "N more on this page" is opened, and a list replaced meanwhile is simply looked at again.
    result = page.locator(f'a.md-search-result__link[href*="{source_page}"][href$="#{anchor}"]')
    more = page.locator(f'details.md-search-result__more:not([open]):has(a[href$="#{anchor}"][href*="{source_page}"]) > summary')
    for _ in range(100):
        if result.first.is_visible():
            break
        if more.count():
            with contextlib.suppress(PlaywrightError):
                more.first.click(timeout=1000)
        page.wait_for_timeout(100)
    expect(result.first).to_be_visible()
    result.first.click()


# ------------------------------------------------------------------------------------------------ tests


def test_home_page_loads_without_console_errors(web, server, data, artifacts):
    page, guard = web.page()
    page.goto(server + "index.html")
    expect(page.locator("h1")).to_contain_text("Dossier")
    for s in data["sources"]:  # every source is linked from the home page
        expect(page.locator(f'.md-content a[href="{s["page_url"]}"]')).to_be_visible()
    page.screenshot(path=artifacts / "home.png", full_page=True, animations="disabled")
    guard.check()


def pagefind_search(page: Page, phrase: str, source_page: str, anchor: str) -> None:
    """Type into the hosted site's search box (Pagefind), then open the result for the passage `source_page#anchor`."""
    box = page.locator("#dossier-search-input")
    box.click()
    box.press_sequentially(phrase)
    page.locator(done(phrase)).wait_for(state="attached")
    page.locator(f'a.dossier-search__link[href*="/{source_page}?"][href$="#{anchor}"]').first.click()


def test_search_finds_each_source_and_opens_the_passage(web, server, data):
    page, guard = web.page()
    for s in data["sources"]:
        passage, phrase = distinctive_phrase(data, s["id"])
        anchor = passage["url"].rsplit("#", 1)[1]
        page.goto(server + "index.html")
        pagefind_search(page, phrase, s["page_url"], anchor)
        page.wait_for_url(re.compile(re.escape(s["page_url"]) + r"\?[^#]*#" + anchor + "$"))
        assert urlsplit(page.url).fragment == anchor
        in_viewport(page, f"#{anchor}")
        text = passage_text(page, anchor)
        expect(text).to_contain_text(phrase)
        expect(text).to_be_in_viewport()
    guard.check()


def test_debate_link_lands_on_the_competing_passage(web, server, data, artifacts):
    links = {(link["from"], link["to"]): link for link in data["links"] if link["claim"]}
    by_source = Counter(link["from"].rsplit("-p", 1)[0] for link in links.values())
    source_id = max(sorted(by_source), key=by_source.__getitem__)
    page, guard = web.page()
    page.goto(server + page_of(data, source_id))
    # Each debate link, with the passage it sits under (the nearest passage heading above it).
    found = page.eval_on_selector_all(".passage-debate a[href*='#p']", """els => {
        const heads = [...document.querySelectorAll('h3.passage-head')];
        return els.map((a, i) => {
            const above = heads.filter(h => h.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING);
            return {i, href: a.getAttribute('href'), owner: above.length ? above[above.length - 1].id : null};
        });
    }""")
    assert found, f"no debate links on {source_id}'s page"
    for f in found:  # every link joins two positions of one debate in the ledger
        target_page, anchor = f["href"].split("#")
        target = Path(target_page).stem + "-" + anchor
        assert (f"{source_id}-{f['owner']}", target) in links, f
    # The link to the passage furthest down its page: landing on it needs a real scroll.
    pick = max(found, key=lambda f: (int(f["href"].rsplit("#p", 1)[1]), -f["i"]))
    target_page, anchor = pick["href"].split("#")
    link = links[(f"{source_id}-{pick['owner']}", Path(target_page).stem + "-" + anchor)]
    expected_url = urljoin(page.url, pick["href"])
    page.locator(".passage-debate a[href*='#p']").nth(pick["i"]).click()
    page.wait_for_url(expected_url)
    assert urlsplit(page.url).fragment == anchor
    in_viewport(page, f"#{anchor}")
    text = passage_text(page, anchor)
    expect(text).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 0
    # The passage landed on is the other author's position in that debate: its quote is there.
    claim = next(c for c in data["claims"] if c["id"] == link["claim"])
    quote = next(pos["quote"] for pos in claim["positions"] if pos["passage"] == link["to"])
    expect(text).to_contain_text(quote)
    page.screenshot(path=artifacts / f"source-{Path(target_page).stem}.png", animations="disabled")
    claim = claim["id"]
    page.goto(server + f"debates/{claim}.html")
    expect(page.locator(".debate-position").first).to_be_visible()
    page.screenshot(path=artifacts / f"debate-{claim}.png", full_page=True, animations="disabled")
    guard.check()


def test_topic_pages_show_passages_of_every_source(web, server, data):
    page, guard = web.page()
    topics = sorted({t for p in data["passages"] for t in p["topics"]})
    for topic in topics:
        expected = Counter(p["source"] for p in data["passages"] if topic in p["topics"])
        assert set(expected) == {s["id"] for s in data["sources"]}, (topic, expected)  # all three here
        page.goto(server + f"topics/{topic}.html")
        refs = page.locator(".passage-ref a")
        expect(refs.first).to_be_visible()
        shown = Counter(Path(urlsplit(h).path).stem for h in refs.evaluate_all("els => els.map(a => a.getAttribute('href'))"))
        assert shown == expected, topic
        for source_id in expected:  # each source's group heading and its passage text are on screen
            expect(page.locator(f"#src-{source_id}")).to_be_visible()
            expect(page.locator(f"#src-{source_id} ~ .passage-preview p.passage-text").first).to_be_visible()
    guard.check()


def test_tags_page_lists_the_topics(web, server, data):
    page, guard = web.page()
    page.goto(server + "tags.html")
    topics = sorted({t for p in data["passages"] for t in p["topics"]})
    assert len(topics) == 4
    for topic in topics:
        heading = page.locator(f'h2[id="tag:{topic}"]')
        expect(heading).to_be_visible()
        listed = heading.locator("xpath=following-sibling::ul[1]//a")
        hrefs = {h for h in listed.evaluate_all("els => els.map(a => a.getAttribute('href'))")}
        assert f"topics/{topic}.html" in hrefs, topic
        # Only topic pages are tagged: a tag listing every source or debate page would grow with the corpus.
        assert not {h for h in hrefs if h.startswith(("sources/", "debates/"))}, topic
    guard.check()


def debate_heavy_source(data: dict) -> str:
    """The source whose passages carry the most debate and related lines."""
    count = Counter(link["from"].rsplit("-p", 1)[0] for link in data["links"])
    return max(sorted(count), key=count.__getitem__)


NARROW_CHECK = """sel => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll(sel)].filter(e => e.getClientRects().length)
        .filter(e => { const r = e.getBoundingClientRect(); return r.left < -0.5 || r.right > width + 0.5; })
        .map(e => e.outerHTML.slice(0, 160));
}"""


def no_horizontal_scroll(page: Page) -> None:
    sizes = page.evaluate("""() => ({scroll: document.documentElement.scrollWidth,
                                     client: document.documentElement.clientWidth})""")
    assert sizes["client"] == PHONE["width"]
    assert sizes["scroll"] <= sizes["client"], f"horizontal scroll at 375 px on {page.url}: {sizes}"


def test_source_page_fits_a_375px_phone(web, server, data, artifacts):
    page, guard = web.page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    source_id = debate_heavy_source(data)
    page.goto(server + page_of(data, source_id))
    expect(page.locator(".passage-debate").first).to_be_attached()
    expect(page.locator(".passage-related").first).to_be_attached()
    no_horizontal_scroll(page)
    # Nothing of the page's own content sticks out of the screen (clipped overflow would hide it).
    outside = page.evaluate(NARROW_CHECK, ".md-content .md-typeset *")
    assert outside == [], outside
    metrics = page.eval_on_selector_all(".passage-text", """els => els.map(e => ({
        font: parseFloat(getComputedStyle(e).fontSize), width: e.getBoundingClientRect().width}))""")
    assert len(metrics) == sum(p["source"] == source_id for p in data["passages"])
    assert min(m["font"] for m in metrics) >= 14, "passage text smaller than 14 px"
    assert min(m["width"] for m in metrics) >= 0.75 * PHONE["width"], "passage column narrower than 3/4 of the screen"
    lines = page.eval_on_selector_all(".passage-debate, .passage-related",
                                      "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert lines and min(lines) >= 14, "debate or related lines smaller than 14 px"
    # The screenshot shows a passage with both its debate and its related lines.
    both = page.locator(".passage-debate + .passage-related").first
    both.scroll_into_view_if_needed()
    expect(both).to_be_in_viewport()
    page.screenshot(path=artifacts / f"source-{source_id}-375px.png", animations="disabled")
    # The other kinds of page fit too (wide tables scroll inside their own box, not the page).
    claim = next(link["claim"] for link in data["links"] if link["claim"] and link["from"].startswith(source_id + "-p"))
    page.goto(server + f"debates/{claim}.html")
    expect(page.locator(".debate-position").first).to_be_visible()
    no_horizontal_scroll(page)
    assert page.evaluate(NARROW_CHECK, ".md-content .md-typeset *") == []
    page.screenshot(path=artifacts / f"debate-{claim}-375px.png", full_page=True, animations="disabled")
    topic = sorted({t for p in data["passages"] for t in p["topics"]})[0]
    for rel in ("index.html", f"topics/{topic}.html", "tags.html", "debates/index.html"):
        page.goto(server + rel)
        expect(page.locator(".md-content")).to_be_visible()
        no_horizontal_scroll(page)
    guard.check()


def test_no_page_requests_another_host(web, server, built, data):
    """One page of each kind (every page but all but one debate), with the search index loaded."""
    pages = sorted(p.relative_to(built.site_dir).as_posix() for p in built.site_dir.rglob("*.html"))
    debates = [p for p in pages if p.startswith("debates/") and p != "debates/index.html"]
    visit = [p for p in pages if p not in debates[1:]]
    assert {"index.html", "tags.html", "debates/index.html"} <= set(visit) and len(visit) > 10
    page, guard = web.page()
    for rel in visit:
        page.goto(server + rel)
        expect(page.locator(".md-content")).to_be_attached()
    box = page.locator("#dossier-search-input")  # Pagefind and its index load on first use
    box.click()
    box.press_sequentially("Russia")
    expect(page.locator(".dossier-search__result").first).to_be_visible()
    expect(page.locator('.dossier-search__facets[data-state="done"]')).to_be_attached()  # the counting done too
    guard.check()


def test_offline_copy_searches_from_file_url(web, offline, artifacts):
    data = json.loads((offline.site_dir / "dossier.json").read_text(encoding="utf-8"))
    page, guard = web.page(allowed=local_file)
    for s in data["sources"]:
        passage, phrase = distinctive_phrase(data, s["id"])
        anchor = passage["url"].rsplit("#", 1)[1]
        page.goto((offline.site_dir / "index.html").as_uri())
        search(page, phrase, s["page_url"], anchor)
        page.wait_for_url(re.compile(re.escape(s["page_url"]) + r"\?[^#]*#" + anchor + "$"))
        assert page.url.startswith("file://")
        in_viewport(page, f"#{anchor}")
        expect(passage_text(page, anchor)).to_contain_text(phrase)
    page.screenshot(path=artifacts / "offline-source.png", animations="disabled")
    guard.check()
