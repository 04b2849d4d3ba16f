"""The Figures page's charts and the Timeline in a real browser (Debian's Chromium, as tests/test_browser.py).

Every page runs under test_browser's guard: console errors, failed requests and any request to another host
fail the test. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

from playwright.sync_api import expect

from test_browser import PHONE, artifacts, no_horizontal_scroll, server, web  # noqa: F401 - pytest fixtures

CHART_CHECK = """imgs => imgs.map(i => ({src: i.getAttribute('src'), complete: i.complete, natural: i.naturalWidth,
    left: i.getBoundingClientRect().left, right: i.getBoundingClientRect().right,
    width: i.getBoundingClientRect().width, alt: i.alt}))"""


def charts_on(page) -> list[dict]:
    page.wait_for_function("() => [...document.querySelectorAll('img.figure-chart')].every(i => i.complete)")
    return page.eval_on_selector_all("img.figure-chart", CHART_CHECK)


def test_charts_render_on_a_desktop_and_on_a_375px_phone(web, server, data, artifacts):
    expected = {m["id"] for m in data["measures"]
                if len({f["passage"].rsplit("-p", 1)[0] for f in data["figures"]
                        if f["measure"] == m["id"] and f["status"] in ("observed", "estimate")}) > 1}
    page, guard = web.page(viewport={"width": 1280, "height": 900})
    page.goto(server + "figures.html")
    shown = charts_on(page)
    assert {c["src"].removeprefix("charts/").removesuffix(".svg") for c in shown} == expected
    assert all(c["complete"] and c["natural"] > 300 and c["alt"].startswith("Chart of ") for c in shown)
    border = page.locator('img.figure-chart[src="charts/border-length.svg"]')
    border.scroll_into_view_if_needed()
    expect(border).to_be_in_viewport()
    page.screenshot(path=artifacts / "figures-chart-1280px.png", animations="disabled")
    guard.check()

    phone, guard = web.page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    phone.goto(server + "figures.html#m-border-length")
    for c in charts_on(phone):  # each chart fits the screen and fills most of its width
        assert c["natural"] > 300 and c["left"] >= 0 and c["right"] <= PHONE["width"], c
        assert c["width"] >= 0.8 * (PHONE["width"] - 2 * 16), c
    chart = phone.locator('img.figure-chart[src="charts/border-length.svg"]')
    chart.scroll_into_view_if_needed()
    expect(chart).to_be_in_viewport()
    phone.screenshot(path=artifacts / "figures-chart-375px.png", animations="disabled")
    guard.check()


def test_a_topic_timeline_entry_opens_on_the_timeline_page(web, server, data, artifacts):
    page, guard = web.page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page.goto(server + "topics/military.html")
    entry = page.locator('#timeline ~ ul a[href*="timeline.html#"]').first
    target = entry.get_attribute("href").rsplit("#", 1)[1]
    entry.click()
    page.wait_for_url(f"**/timeline.html#{target}")
    expect(page.locator(f"#{target}")).to_be_in_viewport()
    no_horizontal_scroll(page)
    page.screenshot(path=artifacts / "timeline-375px.png", animations="disabled")
    guard.check()
