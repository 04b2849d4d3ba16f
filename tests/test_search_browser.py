"""The hosted site's search box in Chromium (Pagefind; docs/assets/search.js), typed into as a reader does.

The queries are drawn from the built dossier's own passages (dossier.json), so the tests hold for any sources; the
analyst query set (tests/data/search-queries.yaml) is scored too. Every page runs under test_browser's guard: no
request to another host, no console error. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from urllib.parse import parse_qs, urlsplit

import pytest
import snowballstemmer
from playwright.sync_api import Page, expect

from support import done, load_queries, pagefind_results, passage_of, score, summary
from test_browser import NARROW_CHECK, PHONE, artifacts, no_horizontal_scroll, server, web  # noqa: F401 (fixtures)

WORDS = re.compile(r"[A-Za-z]{4,}")
RESULTS = """() => [...document.querySelectorAll('.dossier-search__result')].map(li => ({
    href: li.querySelector('a').href, kind: li.dataset.kind,
    title: li.querySelector('.dossier-search__title').textContent,
    marks: [...li.querySelectorAll('mark')].map(m => m.textContent),
    topics: [...li.querySelectorAll('.dossier-search__topics .chip')].map(c => c.textContent)}))"""
COUNTS = """() => Object.fromEntries([...document.querySelectorAll('.dossier-search__facet')].map(f => [f.dataset.facet,
    Object.fromEntries([...f.querySelectorAll('label')].map(l => [l.querySelector('input').value,
        +l.querySelector('.dossier-search__count').textContent]))]))"""


def query(page: Page, text: str, everything: bool = False) -> list[dict]:
    """Type `text` into the search box; the results shown (all of them, asking for more, with `everything`)."""
    pagefind_results(page, text, pages=100 if everything else 1)
    return page.evaluate(RESULTS)


def counted(page: Page) -> dict:
    expect(page.locator('.dossier-search__facets[data-state="done"]')).to_be_attached()
    return page.evaluate(COUNTS)


def words_of(text: str) -> list[str]:
    return [w.lower() for w in WORDS.findall(text)]


@pytest.fixture(scope="module")
def common(built) -> set[str]:
    """Words the search box never searches alone (see search-engine.js): phrases made of these are skipped."""
    counts = json.loads((built.site_dir / "pagefind" / "word-counts.json").read_text(encoding="utf-8"))
    return {w for w in words_of(" ".join(counts["counts"])) if sum(n for c, n in counts["counts"].items() if c.startswith(w))
            > counts["common"]}


def rank(results: list[dict], passage_id: str) -> int:
    return next(i for i, r in enumerate(results) if passage_of(r["href"]) == passage_id)


# --------------------------------------------------------------------------------------------- ranking


def phrase_case(data: dict, common: set[str]) -> tuple[str, dict, dict]:
    """Two words that one passage has side by side and another has apart (neither as a phrase, nor inflected)."""
    for a in data["passages"]:
        tokens = words_of(a["text"])
        for w1, w2 in zip(tokens, tokens[1:]):
            if w1 in common or w2 in common or w1 == w2 or not re.search(rf"\b{w1}\s+{w2}\b", a["text"], re.I):
                continue
            for b in data["passages"]:
                words = set(words_of(b["text"]))
                if b is not a and {w1, w2} <= words and not re.search(rf"\b{w1}\W+{w2[:4]}", b["text"], re.I):
                    return f"{w1} {w2}", a, b
    pytest.skip("no two words side by side in one passage and apart in another")


def test_a_phrase_comes_first_then_all_the_words_then_some(web, server, data, common, artifacts):
    phrase, together, apart = phrase_case(data, common)
    page, guard = web.page()
    page.goto(server + "index.html")
    results = query(page, phrase, everything=True)
    first = results[rank(results, together["id"])]
    assert rank(results, together["id"]) < rank(results, apart["id"]), phrase
    assert first["marks"][0].lower() == phrase  # the phrase marked as one
    groups = [g.lower() for g in page.locator(".dossier-search__group").all_text_contents()]
    assert groups[0] == "exact phrase"
    w1 = phrase.split()[0]
    some = [p for p in data["passages"] if w1 in words_of(p["text"]) and phrase.split()[1] not in p["text"].lower()]
    if some:  # a passage with only one of the words comes after every passage with both
        both = [rank(results, p["id"]) for p in data["passages"] if set(phrase.split()) <= set(words_of(p["text"]))]
        assert max(both) < min(rank(results, p["id"]) for p in some)
        assert "some of the words" in groups
    page.screenshot(path=artifacts / "search-phrase.png", animations="disabled")
    guard.check()


def prefix_case(data: dict, common: set[str]) -> tuple[str, dict, dict]:
    """A word one passage has whole, and another only as the start of a longer word.

    Whole as Pagefind sees it: the same stem (the English Snowball stemmer, as Pagefind's), so "nationalism" is
    the word "nation" whole, and "quadrupled" is only a longer word for "quad".
    """
    stem = snowballstemmer.stemmer("english").stemWord
    stems = {p["id"]: {stem(w) for w in words_of(p["text"])} for p in data["passages"]}
    for a in data["passages"]:
        for w in sorted(set(words_of(a["text"])) - common):
            s = stem(w)
            for b in data["passages"]:
                if s not in stems[b["id"]] and any(x.startswith(s) for x in stems[b["id"]]):
                    return w, a, b
    pytest.skip("no word found whole in one passage and as a prefix only in another")


def test_whole_words_outrank_prefixes_and_short_words_mark_no_longer_ones(web, server, data, common):
    word, whole, prefix = prefix_case(data, common)
    page, guard = web.page()
    page.goto(server + "index.html")
    results = query(page, word, everything=True)
    assert rank(results, whole["id"]) < rank(results, prefix["id"]), word
    # A word of two letters matches longer words as a prefix ("of" -> "officials"); marks are whole words only.
    for result in query(page, f"of {word}") + query(page, "in"):
        for mark in result["marks"]:
            assert not re.fullmatch(r"(of|in)\w+", mark, re.I), (result["title"], mark)
    guard.check()


def test_a_quoted_query_matches_the_phrase_only(web, server, data, common):
    phrase, together, apart = phrase_case(data, common)
    page, guard = web.page()
    page.goto(server + "index.html")
    results = query(page, f'"{phrase}"', everything=True)
    found = {passage_of(r["href"]) for r in results} - {None}
    assert together["id"] in found and apart["id"] not in found
    for p in data["passages"]:
        if p["id"] in found:
            assert re.search(r"\W+".join(phrase.split()), p["text"], re.I), p["id"]
    guard.check()


# -------------------------------------------------------------------------------------------- filters


def test_filters_show_counts_and_narrow_the_results(web, server, data, artifacts):
    by_source, on = {}, Counter()  # a word on 4 to 12 passages, of as many sources as can be
    for p in data["passages"]:
        for w in set(words_of(p["text"])):
            by_source.setdefault(w, set()).add(p["source"])
            on[w] += 1
    word = min((w for w, s in by_source.items() if len(s) >= 2 and 4 <= on[w] <= 12), key=lambda w: (-len(by_source[w]), w))
    page, guard = web.page()
    page.goto(server + "index.html")
    results = query(page, word, everything=True)
    counts = counted(page)
    kinds = [r["kind"] for r in results]
    assert counts["kind"] == {k: kinds.count(k) for k in set(kinds)}  # the counts are those of the list
    label = max(counts["source"], key=lambda v: (counts["source"][v], v))
    expected = counts["source"][label]
    page.locator(f'.dossier-search__facet[data-facet="source"] input[value="{label}"]').check()
    page.locator(done(word)).wait_for(state="attached")
    expect(page.locator(".dossier-search__status")).to_contain_text("(filtered)")
    narrowed = query_shown(page)
    assert len(narrowed) == expected
    assert all(r["title"].startswith(label) for r in narrowed if r["kind"] in ("passage", "source"))
    counts = counted(page)
    assert counts["source"][label] == expected and len(counts["source"]) > 1  # the other sources: counted without it
    topic = next(iter(sorted(counts["topic"])))
    page.locator(f'.dossier-search__facet[data-facet="topic"] input[value="{topic}"]').check()
    page.locator(done(word)).wait_for(state="attached")
    both = query_shown(page)
    assert both and all(topic in r["topics"] for r in both if r["kind"] == "passage")
    assert len(both) == counted(page)["topic"][topic]
    page.screenshot(path=artifacts / "search-filtered.png", animations="disabled")
    for facet, value in (("topic", topic), ("source", label)):
        page.locator(f'.dossier-search__facet[data-facet="{facet}"] input[value="{value}"]').uncheck()
        page.locator(done(word)).wait_for(state="attached")
    assert len(query_shown(page)) == len(results)
    guard.check()


def query_shown(page: Page) -> list[dict]:
    """Every result of the current list (asking for more until all are shown)."""
    more = page.locator(".dossier-search__more")
    while more.is_visible():
        count = page.locator(".dossier-search__result").count()
        more.click()
        page.wait_for_function(f"() => document.querySelectorAll('.dossier-search__result').length > {count}")
    return page.evaluate(RESULTS)


# ----------------------------------------------------------------------------------- phone and keyboard


def test_search_on_a_375px_phone(web, server, data, artifacts):
    passage = next(p for p in data["passages"] if p["topics"])
    phrase = " ".join(passage["text"].split()[:6])
    page, guard = web.page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page.goto(server + "index.html")
    assert not page.evaluate("document.getElementById('__search').checked")  # behind the header's search button
    page.locator('label.md-header__button[for="__search"]').first.tap()
    expect(page.locator("#dossier-search-input")).to_be_focused()
    page.keyboard.type(phrase)
    page.locator(done(phrase)).wait_for(state="attached")
    expect(page.locator(".dossier-search__result").first).to_be_visible()
    no_horizontal_scroll(page)
    assert page.evaluate(NARROW_CHECK, ".dossier-search .md-search__output *") == []
    filters = page.locator(".dossier-search__filters")
    assert filters.get_attribute("open") is None  # folded above the results on a small screen
    page.screenshot(path=artifacts / "search-375px.png", animations="disabled")
    filters.locator("summary").tap()
    expect(filters.locator("input").first).to_be_visible()
    filters.locator("summary").tap()
    page.locator(".dossier-search__link").first.tap()
    page.wait_for_url(re.compile(re.escape(passage["url"].split("#")[0]) + r"\?.*#" + passage["url"].split("#")[1] + "$"))
    expect(page.locator(f'#{passage["url"].split("#")[1]}')).to_be_in_viewport()
    guard.check()


def test_search_by_keyboard_alone(web, server, data):
    passage = max(data["passages"], key=lambda p: (p["n"], p["id"]))  # far down its page: landing needs a scroll
    phrase = " ".join(passage["text"].split()[:6])
    page, guard = web.page()
    page.goto(server + "index.html")
    box = page.locator("#dossier-search-input")
    for key in ("/", "s", "f"):  # each opens the box; Esc closes it
        page.locator("body").press(key)
        expect(box).to_be_focused()
        assert page.evaluate("document.getElementById('__search').checked")
        page.keyboard.press("Escape")
        expect(box).not_to_be_focused()
        assert not page.evaluate("document.getElementById('__search').checked")
    page.keyboard.press("/")
    page.keyboard.type(phrase)
    page.locator(done(phrase)).wait_for(state="attached")
    links = page.locator(".dossier-search__link")
    page.keyboard.press("ArrowDown")
    expect(links.nth(0)).to_be_focused()
    if links.count() > 1:
        page.keyboard.press("ArrowDown")
        expect(links.nth(1)).to_be_focused()
        page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(box).to_be_focused()
    # Tab reaches the filters; Space ticks one, and the list follows.
    page.keyboard.press("Tab")
    while not page.evaluate("document.activeElement.matches('.dossier-search__facet input')"):
        page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.locator(done(phrase)).wait_for(state="attached")
    expect(page.locator(".dossier-search__status")).to_contain_text("(filtered)")
    page.keyboard.press("Space")
    page.locator(done(phrase)).wait_for(state="attached")
    expect(page.locator(".dossier-search__status")).not_to_contain_text("(filtered)")
    box.focus()
    page.keyboard.press("Enter")  # opens the first result
    page.wait_for_url(re.compile(r"#p\d+$"))
    anchor = urlsplit(page.url).fragment
    expect(page.locator(f"#{anchor}")).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 0
    guard.check()


# ------------------------------------------------------------------------------------------- landing


def test_a_result_opens_its_passage_with_the_words_marked(web, server, data, common, artifacts):
    phrase, together, _ = phrase_case(data, common)
    page, guard = web.page()
    page.goto(server + "index.html")
    results = query(page, phrase, everything=True)
    href = results[rank(results, together["id"])]["href"]
    assert parse_qs(urlsplit(href).query)["highlight"] == [results[rank(results, together["id"])]["marks"][0]]
    page.locator(f'.dossier-search__link[href="{href}"]').click()
    anchor = together["url"].split("#")[1]
    page.wait_for_url(re.compile(re.escape(together["url"].split("#")[0]) + r"\?.*#" + anchor + "$"))
    passage = page.locator(f"#{anchor} ~ .passage-text").first
    expect(passage).to_be_in_viewport()
    marks = page.locator("mark.dossier-search__hit")
    expect(marks.first).to_be_visible()
    assert {t.lower() for t in marks.all_inner_texts()} == {phrase}
    assert marks.count() == passage.locator("mark").count()  # only in the passage landed on
    expect(passage).to_contain_text(together["text"][:40])  # the text itself unchanged
    page.screenshot(path=artifacts / "search-landing.png", animations="disabled")
    guard.check()


# ------------------------------------------------------------------------------------ the query set


def test_the_analyst_query_set_finds_the_expected_passage_first(web, server, artifacts):
    """hits@1 and mean reciprocal rank on tests/data/search-queries.yaml (written before tuning; see its header)."""
    page, guard = web.page()
    page.goto(server + "index.html")
    scored = [score(q, pagefind_results(page, q.query)) for q in load_queries()]
    report = summary(scored)
    (artifacts / "search-quality.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"\nquery set: hits@1 {report['hits@1']:.3f}, strict {report['strict hits@1']:.3f}, MRR {report['MRR']:.3f}; "
          f"misses: {report['misses']}")
    assert report["hits@1"] >= 0.9, report["misses"]
    guard.check()
