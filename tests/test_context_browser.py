"""Reading in context, in a real browser (Chromium at 1280 px and 375 px, and the keyboard alone).

Previews of linked passages: the popover shows the target passage's own text (dossier.json), its
"Author ¶N" and the relation the link states. Every page runs under test_browser's guard (no request to
another host, no console error). Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from playwright.sync_api import Page, expect

from build_dossier.render.previews import PREVIEW_CHARS
from test_browser import PHONE, artifacts, no_horizontal_scroll, page_of, server, web  # noqa: F401 (fixtures)

LAPTOP = {"width": 1280, "height": 900}
POPOVER = "#passage-popover"


def target_of(href: str) -> str:
    """The passage id a link's href points to (`../sources/lo-cepa-2024.html#p7` -> `lo-cepa-2024-p7`)."""
    parts = urlsplit(href)
    return f"{Path(parts.path).stem}-{parts.fragment}"


def passages(data: dict) -> dict[str, dict]:
    return {p["id"]: p for p in data["passages"]}


def shown(passage: dict) -> str:
    """A passage's text as the site shows it: whitespace collapsed, each slip of the errata ledger marked [sic]."""
    text = passage["text"]
    for slip in sorted(passage["errata"], key=lambda e: -e["end"]):
        text = text[:slip["end"]] + " [sic]" + text[slip["end"]:]
    return " ".join(text.split())


def expect_target(page: Page, link, data: dict) -> dict:
    """The popover shows the passage `link` points to: its text, and the link's own "Author ¶N" with the section."""
    target = passages(data)[target_of(link.get_attribute("href"))]
    popover = page.locator(POPOVER)
    expect(popover).to_be_visible()
    name = link.inner_text()
    assert name.endswith(f" ¶{target['n']}"), name
    head = popover.locator(".passage-popover__head")
    expect(head).to_contain_text(name)
    if target["section"]:
        expect(head).to_contain_text(target["section"])
    expect(popover.locator(".passage-popover__text")).not_to_be_empty()
    text, whole = " ".join(popover.locator(".passage-popover__text").inner_text().split()), shown(target)
    # The passage whole, or (a long one) its start to a word's end and "…": PREVIEW_CHARS of its characters.
    assert text == whole or (text.endswith(" …") and whole.startswith(text[:-2])
                             and whole[len(text) - 2] == " " and len(text) - 2 <= PREVIEW_CHARS), (text, whole)
    return target


def expect_preview(page: Page, link, data: dict, relation: str) -> None:
    """The popover is open beside `link`, shows its target and `relation`; the link is described by the passage."""
    target = expect_target(page, link, data)
    popover = page.locator(POPOVER)
    expect(popover.locator(".passage-popover__relation")).to_have_text(relation)
    # The link describes its target to a screen reader: the passage is its accessible description.
    expect(link).to_have_accessible_description(re.compile(re.escape(shown(target)[:60])))
    box, anchor = popover.bounding_box(), link.bounding_box()
    assert box["y"] >= anchor["y"] + anchor["height"] - 1 or box["y"] + box["height"] <= anchor["y"] + 1  # not over it
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]


def source_with_debates(data: dict) -> str:
    """The source with the most debate links from its passages."""
    counts = {s["id"]: sum(1 for link in data["links"] if link["claim"] and link["from"].startswith(s["id"] + "-p"))
              for s in data["sources"]}
    return max(sorted(counts), key=counts.__getitem__)


def test_previews_of_a_debate_link_and_a_related_link_at_1280px(web, server, data, artifacts):
    page, guard = web.page(viewport=LAPTOP)
    source_id = source_with_debates(data)
    page.goto(server + page_of(data, source_id))
    debate_link = page.locator(".passage-debate a.passage-link[aria-describedby]").first
    debate_link.scroll_into_view_if_needed()
    line = debate_link.locator("xpath=..").inner_text()
    relation = debate_link.get_attribute("data-relation")
    assert f"{relation} — {debate_link.inner_text()}" in line  # the relation the line states is the popover's
    debate_link.hover()
    expect_preview(page, debate_link, data, relation)
    page.screenshot(path=artifacts / "preview-debate-1280px.png", animations="disabled")
    page.mouse.move(0, 0)
    expect(page.locator(POPOVER)).to_be_hidden()
    related = page.locator(".passage-related a.passage-link[aria-describedby]").nth(2)
    related.scroll_into_view_if_needed()
    related.hover()
    expect_preview(page, related, data, "related")
    page.screenshot(path=artifacts / "preview-related-1280px.png", animations="disabled")
    page.keyboard.press("Escape")
    expect(page.locator(POPOVER)).to_be_hidden()
    assert urlsplit(page.url).path.endswith(page_of(data, source_id))  # the reader never left the page
    guard.check()


def test_a_preview_by_keyboard_alone(web, server, data):
    page, guard = web.page(viewport=LAPTOP)
    claim = next(c for c in data["claims"] if len(c["positions"]) >= 2)
    page.goto(server + f"debates/{claim['id']}.html")
    for _ in range(200):  # Tab through the page until a link to a passage has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('a.passage-link[aria-describedby]')"):
            break
    focused = page.locator("a.passage-link[aria-describedby]:focus")
    expect(focused).to_have_count(1)
    target = target_of(focused.get_attribute("href"))
    assert target in {pos["passage"] for pos in claim["positions"]}
    popover = page.locator(POPOVER)
    expect(popover).to_be_visible()
    expect_target(page, focused, data)
    page.keyboard.press("Escape")
    expect(popover).to_be_hidden()
    expect(focused).to_be_focused()  # Esc closes the preview, the focus stays on the link
    page.keyboard.press("Enter")  # and Enter follows it
    page.wait_for_url(f"**/{target.rsplit('-p', 1)[0]}.html#p{passages(data)[target]['n']}")
    guard.check()


def test_touch_first_tap_previews_second_tap_follows_at_375px(web, server, data, artifacts):
    page, guard = web.page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    source_id = source_with_debates(data)
    page.goto(server + page_of(data, source_id))
    link = page.locator(".passage-related a.passage-link[aria-describedby]").first
    link.scroll_into_view_if_needed()
    start = page.url
    link.tap()
    expect_preview(page, link, data, "related")
    assert page.url == start  # the first tap stays on the page
    no_horizontal_scroll(page)
    page.screenshot(path=artifacts / "preview-related-375px.png", animations="disabled")
    page.locator("h1").tap()  # a tap elsewhere closes it
    expect(page.locator(POPOVER)).to_be_hidden()
    link.tap()
    expect(page.locator(POPOVER)).to_be_visible()
    href = link.get_attribute("href")
    link.tap()  # the second tap follows the link
    page.wait_for_url(f"**/{Path(urlsplit(href).path).name}#{urlsplit(href).fragment}")
    guard.check()


@pytest.mark.parametrize("kind", ["topic", "debate"])
def test_previews_on_topic_and_debate_pages(web, server, data, kind):
    page, guard = web.page(viewport=LAPTOP)
    if kind == "topic":
        topic = sorted({t for p in data["passages"] for t in p["topics"]})[0]
        page.goto(server + f"topics/{topic}.html")
    else:
        page.goto(server + f"debates/{data['claims'][0]['id']}.html")
    links = page.locator(".md-content a.passage-link[aria-describedby]")
    assert links.count() > 0
    link = links.nth(links.count() // 2)
    link.scroll_into_view_if_needed()
    link.hover()
    expect_target(page, link, data)
    guard.check()


# ------------------------------------------------------------------------------ the debates index


def ledger_counts(root: Path) -> dict[tuple[str, str, str], set[str]]:
    """(author, towards, relation) -> the debates where it holds, read from sources/claims.yaml on its own.

    Reviewed debates and positions only; a relation counts from its author towards the other, and the
    other way round as the same (`agrees`, `disputes`, `differs-in-figures`) or as `qualified-by`.
    """
    ledger = yaml.safe_load((root / "sources" / "claims.yaml").read_text(encoding="utf-8"))["debates"]
    back = {"qualifies": "qualified-by"}
    out: dict[tuple[str, str, str], set[str]] = {}
    for debate in ledger:
        if debate.get("status") == "proposed":
            continue
        for pos in debate["positions"]:
            if pos.get("status") == "proposed":
                continue
            for other, kind in (pos.get("relations") or {}).items():
                out.setdefault((pos["source"], other, kind), set()).add(debate["id"])
                out.setdefault((other, pos["source"], back.get(kind, kind)), set()).add(debate["id"])
    return out


def cell_key(href: str) -> tuple[str, str, str]:
    """(author, towards, relation) of a matrix cell's link, from its query."""
    query = parse_qs(urlsplit(href).query)
    return query["author"][0], query["with"][0], query["relation"][0]


def shown_rows(page: Page) -> list[str]:
    """The debate ids of the table's visible rows."""
    return page.eval_on_selector_all("#debate-table tbody tr:not([hidden]) a",
                                     "els => els.map(a => a.getAttribute('href').split('/').pop().replace('.html', ''))")


def test_the_matrix_counts_equal_the_ledgers_and_each_cell_opens_its_debates(web, server, built, artifacts):
    expected = ledger_counts(built.root)
    page, guard = web.page(viewport=LAPTOP)
    page.goto(server + "debates/index.html")
    cells = page.eval_on_selector_all(".dossier-matrix td a", """els => els.map(a => ({
        href: a.getAttribute('href'), text: a.textContent}))""")
    keys = [cell_key(cell["href"]) for cell in cells]
    found = {}
    for key, cell in zip(keys, cells):
        count, name = cell["text"].split(" ", 1)
        assert name == key[2].replace("-", " ")
        found[key] = int(count)
    assert found == {key: len(debates) for key, debates in expected.items()}
    page.screenshot(path=artifacts / "debates-matrix-1280px.png", full_page=True, animations="disabled")
    # A cell opens the table filtered to the debates it counts.
    key = max(sorted(expected), key=lambda k: (k[2] == "disputes", len(expected[k])))
    page.locator(".dossier-matrix td a").nth(keys.index(key)).click()
    page.wait_for_url("**/debates/index.html?*#debate-list")
    expect(page.locator(".dossier-filter__count")).to_contain_text(f"{len(expected[key])} of ")
    assert sorted(shown_rows(page)) == sorted(expected[key])
    expect(page.locator("select[name=author]")).to_have_value(key[0])
    guard.check()


def test_the_debates_filter_narrows_to_the_right_rows(web, server, data, artifacts):
    page, guard = web.page(viewport=LAPTOP)
    page.goto(server + "debates/index.html")
    claims = [c for c in data["claims"] if c["status"] != "proposed"]
    assert sorted(shown_rows(page)) == sorted(c["id"] for c in claims)
    topic = sorted({t for c in claims for t in c["topics"]})[-1]
    page.select_option("select[name=topic]", topic)
    assert sorted(shown_rows(page)) == sorted(c["id"] for c in claims if topic in c["topics"])
    author = data["sources"][0]["id"]
    page.select_option("select[name=author]", author)
    assert sorted(shown_rows(page)) == sorted(c["id"] for c in claims if topic in c["topics"]
                                             and author in {p["source"] for p in c["positions"]})
    page.select_option("select[name=relation]", "agrees")
    agreeing = {link["claim"] for link in data["links"] if link["claim"] and link["kind"] == "agrees"
                and link["from"].startswith(author + "-p")}
    assert sorted(shown_rows(page)) == sorted(c["id"] for c in claims if topic in c["topics"] and c["id"] in agreeing)
    assert "relation=agrees" in page.url and f"topic={topic}" in page.url  # the filter is in the address
    page.screenshot(path=artifacts / "debates-filtered-1280px.png", full_page=True, animations="disabled")
    page.locator(".dossier-filter__reset").click()
    expect(page.locator("#debate-table tbody tr:not([hidden])")).to_have_count(len(claims))
    guard.check()


def test_the_debates_index_without_javascript_is_a_plain_table(web, server, data):
    page, guard = web.page(viewport=LAPTOP, java_script_enabled=False)
    page.goto(server + "debates/index.html?topic=trade")
    expect(page.locator(".dossier-filter")).to_be_hidden()  # no filter that could not work
    assert sorted(shown_rows(page)) == sorted(c["id"] for c in data["claims"])
    header = page.locator("#debate-table thead th").all_inner_texts()
    assert header == ["Question", "Topics", "Authors", "Relations"]
    guard.check()


def test_the_debates_index_on_a_375px_phone(web, server, data, artifacts):
    page, guard = web.page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page.goto(server + "debates/index.html")
    page.select_option("select[name=relation]", "disputes")
    no_horizontal_scroll(page)
    page.screenshot(path=artifacts / "debates-375px.png", full_page=True, animations="disabled")
    guard.check()


def test_each_source_page_sums_up_where_its_author_disagrees(web, server, built, data):
    expected = ledger_counts(built.root)
    page, guard = web.page(viewport=LAPTOP)
    for s in data["sources"]:
        page.goto(server + page_of(data, s["id"]))
        cells = page.eval_on_selector_all(".source-disagreements a[href*='debates/index.html']", """els => els.map(a => ({
            href: a.getAttribute('href'), text: a.textContent}))""")
        found = {cell_key(c["href"]): int(c["text"].split(" ")[0]) for c in cells}
        assert found == {key: len(v) for key, v in expected.items() if key[0] == s["id"]}, s["id"]
        # The debates it disputes are named, each linked to its page.
        for (author, other, kind), debates in expected.items():
            if author == s["id"] and kind == "disputes" and len(debates) <= 5:
                line = page.locator(".source-disagreements li").filter(has=page.locator(f"a[href*='with={other}']"))
                named = {Path(h).stem for h in line.locator("a[href$='.html']").evaluate_all(
                    "els => els.map(a => a.getAttribute('href'))")}
                assert debates <= named, (author, other)
    guard.check()


# ------------------------------------------------------------------------- sources in the navigation


def publishers(data: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for s in data["sources"]:
        out.setdefault(s["publisher"], []).append(s)
    return out


def test_sources_are_in_the_navigation_grouped_by_publisher_at_1280px(web, server, data, artifacts):
    page, guard = web.page(viewport=LAPTOP)
    groups = publishers(data)
    for s in data["sources"]:
        page.goto(server + page_of(data, s["id"]))
        nav = page.locator(".md-sidebar--primary")
        section = nav.locator(".md-nav__item--section").filter(has=page.locator("> .md-nav__link", has_text="Sources"))
        expect(section).to_have_count(1)
        # Every publisher is a group; the page's own is open, listing its sources, itself marked as here.
        titles = [t.strip() for t in section.locator("> nav > ul > li > .md-nav__link").all_inner_texts()]
        assert titles == sorted(groups, key=str.casefold), titles
        mine = section.locator("li.md-nav__item--active.md-nav__item--nested")
        expect(mine.locator("> .md-nav__link")).to_contain_text(s["publisher"])
        listed = mine.locator("> nav > ul > li > a.md-nav__link")
        expect(listed).to_have_count(len(groups[s["publisher"]]))
        here = mine.locator("> nav > ul > li > a.md-nav__link--active")
        expect(here).to_have_attribute("href", Path(s["page_url"]).name)
        title = s["title"] or f"[Untitled article by {', '.join(s['authors'])}]"
        label = here.inner_text().strip()
        assert 0 < len(label) < 20 and label != title  # a short label; the page keeps its title
        expect(page.locator("h1")).to_have_text(title)
    page.screenshot(path=artifacts / "nav-sources-1280px.png", animations="disabled")
    guard.check()


def test_sources_in_the_navigation_drawer_at_375px(web, server, data, artifacts):
    page, guard = web.page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    s = data["sources"][-1]
    page.goto(server + "index.html")
    page.locator("label.md-header__button[for=__drawer]").tap()
    drawer = page.locator(".md-sidebar--primary")
    section = drawer.locator("li.md-nav__item--section").filter(has=page.locator('a[href="sources/index.html"]'))
    section.locator("label.md-nav__link").first.tap()  # opens the Sources panel
    group = section.locator("> nav > ul > li > a.md-nav__link", has_text=s["publisher"])
    expect(group).to_be_visible()
    page.screenshot(path=artifacts / "nav-sources-375px.png", animations="disabled")
    group.tap()  # a closed group opens its first source: here the publisher's only one
    page.wait_for_url(f"**/{s['page_url']}")
    no_horizontal_scroll(page)
    page.locator("label.md-header__button[for=__drawer]").tap()
    mine = drawer.locator("li.md-nav__item--active.md-nav__item--nested", has_text=s["publisher"])
    expect(mine.locator(f'> nav > ul > li > a.md-nav__link[href$="{Path(s["page_url"]).name}"]')).to_have_count(1)
    guard.check()


def test_the_sources_index_sorts_by_a_column(web, server, data, artifacts):
    page, guard = web.page(viewport=LAPTOP)
    page.goto(server + "sources/index.html")
    rows = page.locator("#source-table tbody tr")
    expect(rows).to_have_count(len(data["sources"]))
    heads = page.locator("#source-table thead th").all_inner_texts()
    passages_col = heads.index("Passages")
    counts = {s["id"]: s["passages"] for s in data["sources"]}

    def column(i):
        return [r.strip() for r in page.locator(f"#source-table tbody tr td:nth-child({i + 1})").all_inner_texts()]
    page.locator("#source-table thead th button", has_text="Passages").click()
    assert column(passages_col) == [str(n) for n in sorted(counts.values())]
    page.locator("#source-table thead th button", has_text="Passages").click()  # again: the other way
    assert column(passages_col) == [str(n) for n in sorted(counts.values(), reverse=True)]
    page.keyboard.press("Tab")  # the headings are buttons: the keyboard sorts too
    expect(page.locator("#source-table thead th button:focus")).to_have_count(1)
    date_col = heads.index("Date")
    page.locator("#source-table thead th button", has_text="Date").click()
    dates = sorted(s["date"] for s in data["sources"] if s["date"])
    assert column(date_col) == dates + [""] * (len(data["sources"]) - len(dates))  # unknown dates last
    page.screenshot(path=artifacts / "sources-index-1280px.png", full_page=True, animations="disabled")
    guard.check()


# ------------------------------------------------------------------------------------ the figures page


FIGURE_TABLES = """() => [...document.querySelectorAll('table.figure-table')].map(t => ({
    right: t.getBoundingClientRect().right, width: t.getBoundingClientRect().width,
    content: document.querySelector('.md-content__inner').getBoundingClientRect().width,
    sentences: [...t.querySelectorAll('tr.figure-sentence td')].map(td => td.getBoundingClientRect().width),
    lines: [...t.querySelectorAll('tr.figure-sentence td')].map(td =>
        td.getBoundingClientRect().height / parseFloat(getComputedStyle(td).lineHeight)),
    words: [...t.querySelectorAll('tr.figure-sentence td')].map(td => td.textContent.split(/\\s+/).length)}))"""


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1280px", "375px"])
def test_the_figures_tables_fit_and_give_each_sentence_the_width(web, server, data, artifacts, viewport):
    phone = viewport == PHONE
    page, guard = web.page(viewport=viewport, **({"is_mobile": True, "has_touch": True} if phone else {}))
    measured = [f for f in data["figures"] if f["measure"]]
    sentences = 0
    for measure in sorted({f["measure"] for f in measured}):  # each measure's page (figures.html is their overview)
        page.goto(server + f"figures/{measure}.html")
        tables = page.evaluate(FIGURE_TABLES)
        sentences += sum(len(t["sentences"]) for t in tables)
        width = page.evaluate("document.documentElement.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, measure  # no sideways scrolling
        for t in tables:
            assert t["right"] <= width and t["width"] <= t["content"] + 1  # within the content column
            # each sentence has the table's width: whole lines of words, not a word or two a line
            assert all(s >= 0.9 * t["width"] for s in t["sentences"])
            least = 4 if phone else 8  # words a line (the sentence column of old: one or two)
            assert all(words / max(lines, 1) >= least for words, lines in zip(t["words"], t["lines"]) if words >= 12), t
    assert sentences == len(measured)  # one sentence under each measured value
    page.goto(server + "figures/border-length.html")
    name = "375px" if phone else "1280px"
    page.locator("#m-border-length").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / f"figures-{name}.png", animations="disabled")
    # A value's source link previews its passage, which holds the sentence shown under the row.
    link = page.locator("table.figure-table a.passage-link").first
    link.scroll_into_view_if_needed()
    link.tap() if phone else link.hover()
    target = expect_target(page, link, data)
    sentence = link.locator("xpath=ancestor::tbody[1]/tr[contains(@class,'figure-sentence')]").inner_text()
    assert " ".join(sentence.split()) in shown(target)
    page.screenshot(path=artifacts / f"figures-preview-{name}.png", animations="disabled")
    guard.check()
