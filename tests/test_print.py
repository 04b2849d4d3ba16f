"""Citing in a real browser (Debian's Chromium via Playwright): printed handouts, Copy buttons, deep links.

Printing: source, topic and debate pages of the built site are printed to PDF by Chromium and the PDF's
text is read back with pypdf. Copy: the Cite box's buttons put the citation on the clipboard (and the
fallback works without the Clipboard API). Deep links: "Open in the original" lands on the passage in a
copy of the original page.

Without /usr/bin/chromium the module is skipped, unless DOSSIER_REQUIRE_BROWSER=1, where it fails.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from build_dossier.render.deeplink import deep_link
from support import Page as HtmlPage
from support import serve

CFR = "cfr-backgrounder-2025"
CFR_URL = "https://www.cfr.org/backgrounder/china-russia-relationship-xi-putin-taiwan-ukraine"


@pytest.fixture(scope="module")
def site(built):
    with serve(built.site_dir) as base:
        yield base


@pytest.fixture(scope="module")
def chromium(browser):
    """pytest-playwright's browser: Debian's Chromium, as conftest's launch arguments say."""
    return browser


class Watched:
    """A page in a fresh context that records console errors and uncaught exceptions."""

    def __init__(self, browser, **context_args):
        self.context = browser.new_context(**context_args)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def close(self):
        self.context.close()
        assert self.errors == []


def squeeze(text: str) -> str:
    """Text without any whitespace: PDF text breaks lines (and long words) wherever the layout did."""
    return re.sub(r"\s+", "", text)


def printed(browser, url: str, javascript: bool = True) -> list[str]:
    """The squeezed text of each page of `url` printed to PDF (A4)."""
    w = Watched(browser, java_script_enabled=javascript)
    w.page.goto(url)
    pdf = w.page.pdf(format="A4")
    w.close()
    return [squeeze(p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]


def nav_labels(built, rel: str) -> list[str]:
    """Labels of the site navigation on a page that its content does not itself contain."""
    source = (built.site_dir / rel).read_text(encoding="utf-8")
    labels = {html.unescape(re.sub(r"<[^>]+>", "", m)).strip()
              for m in re.findall(r'<a[^>]*class="md-nav__link[^"]*"[^>]*>(.*?)</a>', source, re.S)}
    article = source[source.index('<article'):source.index('</article>')]
    content = squeeze(" ".join(HtmlPage(article).text))
    return sorted(label for label in labels if label and squeeze(label) not in content)


def as_shown(p: dict) -> str:
    """A passage of dossier.json as the page shows it: its text, with ` [sic]` after each slip its errata mark."""
    text = p["text"]
    for e in sorted(p["errata"], key=lambda e: -e["end"]):
        text = text[:e["end"]] + " [sic]" + text[e["end"]:]
    return text


def page_of(pages: list[str], text: str) -> int:
    """Index of the one printed page holding all of `text`; fails if it is split or missing."""
    hits = [i for i, page in enumerate(pages) if squeeze(text) in page]
    assert hits, f"not printed whole: {text[:80]!r}"
    return hits[0]


def assert_no_chrome(pages: list[str], built, rel: str):
    whole = "".join(pages)
    labels = nav_labels(built, rel)
    assert len(labels) >= 5  # the check below has something to find
    for label in labels + ["Search", "Made with", "Material for MkDocs", "Copy", "Open in the original", "Cite¶"]:
        assert squeeze(label) not in whole, (rel, label)


# ------------------------------------------------------------------------------------------------ printing


def test_source_page_prints_as_a_handout(chromium, site, built, data):
    rel = f"sources/{CFR}.html"
    pages = printed(chromium, site + rel)
    assert len(pages) > 3
    # The source's full citation heads the handout.
    assert squeeze("Council on Foreign Relations. “China and Russia: Exploring Ties Between Two Authoritarian "
                   f"Powers.” Council on Foreign Relations, n.d. {CFR_URL}.") in pages[0]
    # Every passage whole on one page, with its Chicago note beside it.
    passages = [p for p in data["passages"] if p["source"] == CFR]
    for p in passages:
        note = (f"Council on Foreign Relations, “China and Russia: Exploring Ties Between Two Authoritarian Powers,” "
                f"Council on Foreign Relations, n.d., para. {p['n']}, {CFR_URL}.")
        assert page_of(pages, as_shown(p)) == page_of(pages, note), p["id"]
    # Link targets are shown: the URL link is followed by its target in brackets.
    assert squeeze(f"{CFR_URL} ({CFR_URL})") in "".join(pages)
    assert_no_chrome(pages, built, rel)


def test_topic_page_prints_passages_and_source_citations(chromium, site, built, data):
    rel = "topics/trade.html"
    pages = printed(chromium, site + rel)
    for p in data["passages"]:
        if "trade" in p["topics"]:
            page_of(pages, as_shown(p))
    whole = "".join(pages)
    # Each source's group starts with its full citation.
    assert squeeze("Council on Foreign Relations. “China and Russia: Exploring Ties Between Two Authoritarian "
                   f"Powers.” Council on Foreign Relations, n.d. {CFR_URL}.") in whole
    assert squeeze("Gabuev, Alexander. “Putin and Xi's Unholy Alliance: Why the West Won't Be Able to Drive a Wedge "
                   "Between Russia and China.” Foreign Affairs, April 9, 2024.") in whole
    assert squeeze("Lo, Bobo. [Untitled article]. Center for European Policy Analysis (CEPA), n.d.") in whole
    assert_no_chrome(pages, built, rel)


def test_debate_page_prints_each_position_with_its_citation(chromium, site, built, data):
    claim = next(c for c in data["claims"] if len(c["positions"]) >= 3)
    rel = f"debates/{claim['id']}.html"
    pages = printed(chromium, site + rel)
    notes = {CFR: "Council on Foreign Relations, “China and Russia,” para. {n}.",
             "gabuev-foreign-affairs-2024": "Gabuev, “Putin and Xi's Unholy Alliance,” para. {n}.",
             "lo-cepa-2024": "Lo, [untitled article], para. {n}."}
    for pos in claim["positions"]:
        n = int(pos["passage"].rsplit("-p", 1)[1])
        assert page_of(pages, pos["quote"]) == page_of(pages, notes[pos["source"]].format(n=n)), pos
    assert squeeze("Lo, Bobo. [Untitled article]. Center for European Policy Analysis (CEPA), n.d.") in "".join(pages)
    assert_no_chrome(pages, built, rel)


def test_citations_print_without_javascript(chromium, site, built):
    pages = printed(chromium, site + "sources/lo-cepa-2024.html", javascript=False)
    whole = "".join(pages)
    for n in (1, 2, 28):
        assert squeeze(f"Bobo Lo, [untitled article], Center for European Policy Analysis (CEPA), n.d., para. {n}.") in whole
    assert "Cite¶" not in whole


# ---------------------------------------------------------------------------------------------- copying


def test_copy_button_puts_the_citation_on_the_clipboard(chromium, site, built):
    w = Watched(chromium, permissions=["clipboard-read", "clipboard-write"])
    page = w.page
    page.goto(site + f"sources/{CFR}.html#p5")
    assert page.locator("button.cite-copy").count() == page.locator(".cite-text").count() > 27 * 3
    box = page.locator("#p5 ~ .cite-box").first
    box.locator("summary").click()
    button = box.locator("dd").first.locator("button.cite-copy")
    button.click()
    page.wait_for_function("b => b.textContent === 'Copied'", arg=button.element_handle())
    expected = ("Council on Foreign Relations, “China and Russia: Exploring Ties Between Two Authoritarian Powers,” "
                f"Council on Foreign Relations, n.d., para. 5, {CFR_URL}.")
    assert page.evaluate("navigator.clipboard.readText()") == expected
    # APA (the fourth row, after the note linking the passage and the bibliography entry), with the title in italics
    # on screen, copies as plain text.
    box.locator("dd").nth(3).locator("button.cite-copy").click()
    page.wait_for_function("t => navigator.clipboard.readText().then(c => c !== t)", arg=expected)
    assert page.evaluate("navigator.clipboard.readText()") == (
        f"Council on Foreign Relations. (n.d.). China and Russia: Exploring Ties Between Two Authoritarian Powers. {CFR_URL}")
    # The page's bibliography copies one entry per line.
    page.goto(site + "index.html")
    page.locator("details.cite-all > summary").click()
    page.locator("details.cite-all button.cite-copy").first.click()
    page.wait_for_function("() => navigator.clipboard.readText().then(c => c.startsWith('Council on Foreign Relations.'))")
    assert page.evaluate("navigator.clipboard.readText()").split("\n") == [
        "Council on Foreign Relations. “China and Russia: Exploring Ties Between Two Authoritarian Powers.” Council on "
        f"Foreign Relations, n.d. {CFR_URL}.",
        "Gabuev, Alexander. “Putin and Xi's Unholy Alliance: Why the West Won't Be Able to Drive a Wedge Between Russia "
        "and China.” Foreign Affairs, April 9, 2024.",
        "Lo, Bobo. [Untitled article]. Center for European Policy Analysis (CEPA), n.d."]
    w.close()


def test_copy_falls_back_without_the_clipboard_api(chromium, site):
    w = Watched(chromium)
    page = w.page
    page.add_init_script("""
        Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined});
        document.addEventListener('copy', () => { window.copied = String(document.getSelection()); });
    """)
    page.goto(site + "debates/allies.html")
    button = page.locator(".debate-cite button.cite-copy").first
    button.click()
    page.wait_for_function("b => b.textContent === 'Copied'", arg=button.element_handle())
    assert page.evaluate("window.copied") == page.locator(".debate-cite .cite-text").first.text_content()
    w.close()


def test_cite_box_opens_without_javascript(chromium, site):
    w = Watched(chromium, java_script_enabled=False)
    page = w.page
    page.goto(site + "sources/lo-cepa-2024.html")
    box = page.locator("details.cite").nth(2)
    assert not box.locator("dd").first.is_visible()
    box.locator("summary").click()
    assert box.locator("dd").first.is_visible()
    assert "para. 3" in box.locator("dd").first.inner_text()
    assert page.locator("button.cite-copy").count() == 0
    w.close()


# ------------------------------------------------------------------------------------------- deep links


def landed(browser, url: str, opening: str) -> bool:
    """Whether opening `url` scrolls the paragraph that starts with `opening` into view."""
    w = Watched(browser, viewport={"width": 900, "height": 700})
    w.page.goto(url)
    w.page.wait_for_timeout(150)
    box = w.page.evaluate("""o => {
        const p = [...document.querySelectorAll('p')].find(e => e.textContent.startsWith(o));
        const r = p.getBoundingClientRect();
        return [r.top, r.bottom, innerHeight];
    }""", opening)
    w.close()
    return box[0] < box[2] and box[1] > 0


def original_page(directory: Path, paragraphs: list[str]) -> None:
    """A stand-in for the original article: a tall banner, then the paragraphs."""
    body = "".join(f"<p>{html.escape(t)}</p>\n" for t in paragraphs)
    (directory / "article.html").write_text(
        '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>Original</title>'
        f'<div style="height:3000px">Banner</div>\n{body}<div style="height:3000px"></div>', encoding="utf-8")


def test_open_in_the_original_lands_on_each_passage(chromium, built, data, tmp_path):
    source = (built.sources_dir / f"{CFR}.md").read_text(encoding="utf-8").split("\n---\n", 1)[1]
    # The captured text, chrome and all, one paragraph per line: the page the links were made for.
    original_page(tmp_path, [line.strip().lstrip("•").strip() for line in source.splitlines() if line.strip()])
    with serve(tmp_path) as base:
        page = HtmlPage((built.site_dir / f"sources/{CFR}.html").read_text(encoding="utf-8"))
        links = [a["href"] for tag, a in page.tags if tag == "a" and "cite-original" in a.get("class", "")]
        passages = [p for p in data["passages"] if p["source"] == CFR]
        assert len(links) == len(passages)
        for p, href in zip(passages, links):
            assert href.startswith(CFR_URL + "#:~:text=")
            local = base + "article.html" + href[len(CFR_URL):]
            assert landed(chromium, local, p["text"][:40]), (p["id"], href)


def test_tricky_openings_are_found_by_the_browser(chromium, tmp_path):
    paragraphs = [
        "“No limits” — China-Russia ties, trade & arms: the early years.",
        "Filler " * 200,
        "“No limits” — China-Russia ties, trade & arms: 20% up, (they say) ‘for now’.",
        "Россия и Китай — «стратегическое партнёрство», 2024 год.",
        "It's a 50/50 deal + more? Yes; #1 = \"best\" ~ so they said.",
    ]
    original_page(tmp_path, paragraphs)
    with serve(tmp_path) as base:
        page_text = "\n".join(paragraphs)
        for text in paragraphs[2:]:
            url = deep_link(base + "article.html", text, page_text)
            assert landed(chromium, url, text), url
        # A fragment the original URL already has is kept, and the text directive still works.
        url = deep_link(base + "article.html#top", paragraphs[3], page_text)
        assert "#top:~:text=" in url and landed(chromium, url, paragraphs[3])
