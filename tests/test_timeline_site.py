"""The timeline of the built site: precision and recall on the labelled set, the page, the topic sections, the data."""

from __future__ import annotations

import html
import re
from urllib.parse import urldefrag, urljoin

from build_dossier.render.pages.topic import MAX_EVENTS
from support import Page, page
from timeline_score import heldout_score, score


def test_timeline_precision_and_recall_on_the_labelled_set(data):
    """The real pipeline's events (dossier.json) against tests/data/timeline.yaml, made before the extractor."""
    texts = {p["id"]: p["text"] for p in data["passages"]}
    strict = score(data["events"], texts, strict=True)
    assert strict.precision >= 0.9, strict.false_positives
    assert strict.recall >= 0.8, strict.missed
    assert strict.events_found / strict.gold_events >= 0.8
    loose = score(data["events"], texts, strict=False)
    assert loose.precision >= strict.precision and loose.recall >= strict.recall
    assert strict.shared_joined >= 2  # an event told by two sources is one entry with both (WTO, state visit, …)


def test_timeline_on_the_held_out_set_stays_where_it_was_measured(data):
    """Both sets reported; the held-out one (tests/data/timeline-heldout.yaml, 8 unseen articles labelled blind) must
    stay near what was measured: strict precision 0.742 (23 matched, 8 false positives: 7 decades and one span of
    years, which the extractor counts as events and the set does not), recall 1.000 (23 of 23). Before the comparison
    bases and range ends were excluded it was 0.590 (16 false positives), recall 1.000."""
    seed, held = score(data["events"], {p["id"]: p["text"] for p in data["passages"]}), heldout_score()
    for name, s in (("seed", seed), ("held-out", held)):
        print(f"{name}: precision {s.precision:.3f}, recall {s.recall:.3f}, matched {s.matched}, "
              f"false positives {len(s.false_positives)}, missed {len(s.missed)}")
    assert held.precision >= 0.70, held.false_positives
    assert held.recall >= 0.95, held.missed


def test_events_in_dossier_json_are_exact_and_in_date_order(data):
    texts = {p["id"]: p["text"] for p in data["passages"]}
    assert data["events"]
    for e in data["events"]:
        assert list(e) == ["id", "date", "planned", "conflict", "mentions", "url"]
        for m in e["mentions"]:
            assert texts[m["passage"]][m["start"]:m["end"]] == m["written"]
            assert m["sentence"] in texts[m["passage"]] and m["written"] in m["sentence"]
            assert m["shown"].replace(" [sic]", "") == m["sentence"]
    starts = [e["date"].split("/")[0] for e in data["events"]]
    assert starts == sorted(starts, key=lambda d: d.split("-") + [""] * (3 - len(d.split("-"))))
    invasion = [e for e in data["events"] if e["date"] == "2022-02-24"]
    assert len(invasion) == 1 and {m["passage"].rsplit("-p", 1)[0] for m in invasion[0]["mentions"]} == {
        "lo-cepa-2024", "gabuev-foreign-affairs-2024", "cfr-backgrounder-2025"}
    assert [e["mentions"][0]["written"] for e in data["events"] if e["planned"]] == ["in 2025"]
    assert not any(e["conflict"] for e in data["events"])  # the three articles never date one event differently


def test_the_timeline_page_lists_every_event_with_links_that_resolve(built, data):
    timeline = page(built, "timeline.html")
    text = html.unescape(" ".join(timeline.text))
    for e in data["events"]:
        assert e["id"] in timeline.ids
        for m in e["mentions"]:
            assert m["written"] in text
    passage_urls = {p["url"] for p in data["passages"]}
    linked = {urljoin("timeline.html", href) for href in timeline.hrefs}
    assert {m_url for e in data["events"] for m_url in
            (next(p["url"] for p in data["passages"] if p["id"] == m["passage"]) for m in e["mentions"])} <= linked
    for href in timeline.hrefs:
        path, anchor = urldefrag(urljoin("timeline.html", href))
        if path.startswith("sources/") and anchor:  # a passage (the navigation links the source pages and their index)
            assert path + "#" + anchor in passage_urls and anchor in page(built, path).ids
    assert "timeline.html" in page(built, "index.html").hrefs


def test_each_telling_cites_its_passage_in_the_original_and_marks_its_slips(built, data):
    """Beside each passage link of the Timeline: the passage's Cite cell (naming the original, para. N); in each
    excerpt, ` [sic]` after every slip the errata ledger marks in that sentence, as dossier.json's `shown` says."""
    text = (built.site_dir / "timeline.html").read_text(encoding="utf-8")
    lines = re.findall(r"<li>(.*?)</li>", text, re.S)
    passages = {p["id"]: p for p in data["passages"]}
    tellings = [m for e in data["events"] for m in e["mentions"]]
    assert len(lines) == len(tellings)
    slipped = 0
    for line, m in zip(lines, tellings):  # the page lists the tellings in the order of dossier.json
        p = passages[m["passage"]]
        assert f'#p{p["n"]}"' in line
        cell = re.search(r'<details class="cite cite-cell".*?</details>', line, re.S)[0]
        assert f"para. {p['n']}" in "".join(Page(cell).text) and p["source"] not in "".join(Page(cell).text)
        at = p["text"].rfind(m["sentence"], 0, m["start"] + len(m["sentence"]))  # the sentence's own offset
        ends = sorted(e["end"] - at for e in p["errata"] if at < e["end"] <= at + len(m["sentence"]))
        expected = "".join(m["sentence"][a:b] + (" [sic]" if b in ends else "")
                           for a, b in zip([0, *ends], [*ends, len(m["sentence"])]))
        assert m["shown"] == expected
        assert "".join(Page(line.replace(cell, "")).text).endswith(expected), m
        slipped += bool(ends)
    assert slipped  # the labelled slips of the three articles include one in a dated sentence (CFR ¶11)


def test_each_topic_page_has_the_timeline_of_its_passages(built, data):
    topics = {p["id"]: p["topics"] for p in data["passages"]}
    for topic in ("trade", "military", "diplomacy", "outlook"):
        topic_page = page(built, f"topics/{topic}.html")
        mine = [e for e in data["events"] if any(topic in topics[m["passage"]] for m in e["mentions"])]
        entries = {urldefrag(urljoin(f"topics/{topic}.html", h))[1] for h in topic_page.hrefs
                   if urldefrag(urljoin(f"topics/{topic}.html", h))[0] == "timeline.html"} - {""}  # "": the nav
        # Every event told in its passages, or the MAX_EVENTS told most often (the page stays bounded) and a link to all.
        assert entries <= {e["id"] for e in mine} and len(entries) == min(len(mine), MAX_EVENTS), topic
        if len(mine) > MAX_EVENTS:
            told = sorted((sum(topic in topics[m["passage"]] for m in e["mentions"]) for e in mine), reverse=True)
            shown = [sum(topic in topics[m["passage"]] for m in e["mentions"]) for e in mine if e["id"] in entries]
            assert min(shown) >= told[MAX_EVENTS - 1], topic  # none left out is told more often than one shown
        assert not mine or "timeline" in topic_page.ids


def test_the_three_articles_timeline_stays_one_page(built, data):
    """Their timeline fits the page budget: one page, no parts, every event at `timeline.html#<id>`, every telling shown
    in full (no entry is cut short, so the page does not speak of it)."""
    assert not (built.site_dir / "timeline").exists() and not (built.docs_dir / "timeline").exists()
    assert [e["url"] for e in data["events"]] == [f"timeline.html#{e['id']}" for e in data["events"]]
    text = " ".join(page(built, "timeline.html").text)
    assert "Also told in" not in text and "tellings in full" not in text and "Told most often" not in text
