"""Citations on the built site: the Cite box of every passage, page headers, debates, How to cite, page weight."""

from __future__ import annotations

import gzip
import html
import re
from urllib.parse import unquote

from support import Page, fragments, page

IDS = ("cfr-backgrounder-2025", "gabuev-foreign-affairs-2024", "lo-cepa-2024")
CFR_URL = "https://www.cfr.org/backgrounder/china-russia-relationship-xi-putin-taiwan-ukraine"


def html_of(built, rel: str) -> str:
    return (built.site_dir / rel).read_text(encoding="utf-8")


def boxes(text: str) -> list[str]:
    return re.findall(r'<div class="cite-box".*?</details>\s*</div>', text, re.S)


def texts(fragment: str) -> list[str]:
    """The copyable citations in a piece of HTML, as the reader sees them."""
    return ["".join(Page(m).text) for m in re.findall(r'<span class="cite-text">(.*?)</span>', fragment, re.S)]


GABUEV_TITLE = "Putin and Xi's Unholy Alliance: Why the West Won't Be Able to Drive a Wedge Between Russia and China"
CFR_TITLE = "China and Russia: Exploring Ties Between Two Authoritarian Powers"
NOTES = {"cfr-backgrounder-2025": "Council on Foreign Relations, “" + CFR_TITLE + "”, Council on Foreign Relations, n.d., "
                                  "para. {n}, " + CFR_URL + "{fragment}.",
         "gabuev-foreign-affairs-2024": "Alexander Gabuev, “" + GABUEV_TITLE + ",” Foreign Affairs, April 9, 2024, para. {n}.",
         "lo-cepa-2024": "Bobo Lo, [untitled article], Center for European Policy Analysis (CEPA), n.d., para. {n}."}
NOTES["cfr-backgrounder-2025"] = NOTES["cfr-backgrounder-2025"].replace("”,", ",”")
BIBLIOGRAPHY = {
    "cfr-backgrounder-2025": f"Council on Foreign Relations. “{CFR_TITLE}.” Council on Foreign Relations, n.d. {CFR_URL}.",
    "gabuev-foreign-affairs-2024": f"Gabuev, Alexander. “{GABUEV_TITLE}.” Foreign Affairs, April 9, 2024.",
    "lo-cepa-2024": "Lo, Bobo. [Untitled article]. Center for European Policy Analysis (CEPA), n.d."}
APA = {"cfr-backgrounder-2025": f"Council on Foreign Relations. (n.d.). {CFR_TITLE}. {CFR_URL}",
       "gabuev-foreign-affairs-2024": f"Gabuev, A. (2024, April 9). {GABUEV_TITLE}. Foreign Affairs.",
       "lo-cepa-2024": "Lo, B. (n.d.). [Untitled article]. Center for European Policy Analysis (CEPA)."}
IN_TEXT = {"cfr-backgrounder-2025": "(Council on Foreign Relations, n.d., para. {n})",
           "gabuev-foreign-affairs-2024": "(Gabuev, 2024, para. {n})", "lo-cepa-2024": "(Lo, n.d., para. {n})"}


def labels(fragment: str) -> list[str]:
    return ["".join(Page(m).text) for m in re.findall(r"<dt>(.*?)</dt>", fragment, re.S)]


def test_every_passage_has_a_cite_box_naming_the_original(built, data):
    """Chicago note, bibliography entry, APA reference and in-text citation of the original; where its URL is known, a
    variant of the note that links the passage. No permalink of the dossier: this build has no public address."""
    for sid in IDS:
        text = html_of(built, f"sources/{sid}.html")
        passages = [p for p in data["passages"] if p["source"] == sid]
        found = boxes(text)
        assert len(found) == len(passages), sid
        for p, box in zip(passages, found):
            n = p["n"]
            assert f"<summary>Cite ¶{n}</summary>" in box
            shown = texts(box)
            if sid == "cfr-backgrounder-2025":
                assert labels(box) == ["Chicago note", f"Chicago note, link to ¶{n}", "Chicago bibliography",
                                       "APA reference", "APA in text"]
                start = unquote(re.search(r'class="cite-original" href="[^"]*#:~:text=([^"]+)"', html.unescape(box))[1])
                fragment = "#:~:text=" + re.search(r"#:~:text=(\S+)\.$", shown[1])[1]
                assert unquote(fragment[9:]) == start
                assert shown[1] == NOTES[sid].format(n=n, fragment=fragment)
                del shown[1]
            else:
                assert labels(box) == ["Chicago note", "Chicago bibliography", "APA reference", "APA in text"]
            assert shown == [NOTES[sid].format(n=n, fragment=""), BIBLIOGRAPHY[sid], APA[sid], IN_TEXT[sid].format(n=n)]
            assert "Dossier copy" not in box and "sources/" not in "".join(shown)
            # The box follows its own passage.
            assert text.index(f'id="p{n}"') < text.index(box) < (text.index(f'id="p{n + 1}"') if n < len(passages)
                                                                  else len(text))


def test_open_in_the_original_only_where_the_url_is_known(built, data):
    for sid in IDS:
        page_html = html_of(built, f"sources/{sid}.html")
        links = re.findall(r'<a class="cite-original" href="([^"]+)"', page_html)
        passages = [p for p in data["passages"] if p["source"] == sid]
        if sid != "cfr-backgrounder-2025":
            assert links == [], sid  # no URL on record: no deep link
            continue
        assert len(links) == len(passages)
        body = (built.sources_dir / f"{sid}.md").read_text(encoding="utf-8").split("\n---\n", 1)[1]
        for p, href in zip(passages, links):
            href = html.unescape(href)  # the address the browser follows
            assert href.startswith(CFR_URL + "#:~:text=")
            directive = href.split("#:~:text=", 1)[1]
            assert re.fullmatch(r"[A-Za-z0-9._~%]+", directive), directive  # `-`, `,`, `&`, quotes all encoded
            start = unquote(directive)
            assert " ".join(p["text"].split()).startswith(start) and len(start.split()) >= min(4, len(p["text"].split()))
            # Verified: the words stand once in the captured text, so the browser opens this passage.
            assert " ".join(body.split()).casefold().count(start.casefold()) == 1, p["id"]


def test_source_header_has_full_citations(built):
    text = html_of(built, "sources/gabuev-foreign-affairs-2024.html")
    header = text[text.index('<div class="source-citation">'):text.index('<div class="passage">')]
    assert texts(header) == [f"Alexander Gabuev, “{GABUEV_TITLE},” Foreign Affairs, April 9, 2024.",
                             BIBLIOGRAPHY["gabuev-foreign-affairs-2024"], APA["gabuev-foreign-affairs-2024"]]
    italics = [html.unescape(i) for i in re.findall(r"<i>(.*?)</i>", header)]
    assert italics == [GABUEV_TITLE]  # APA sets the title in italics; Chicago quotes it


def test_every_page_that_cites_ends_with_its_bibliography(built):
    """`Copy all citations on this page`: the Chicago bibliography and the APA reference list of its sources, sorted."""
    everything = ([BIBLIOGRAPHY[s] for s in IDS], [APA[s] for s in IDS])
    for rel, sources in [("index.html", IDS), ("cite.html", IDS), ("topics/trade.html", IDS), ("figures.html", IDS),
                         ("timeline.html", IDS),
                         ("sources/lo-cepa-2024.html", ["lo-cepa-2024"])]:
        text = html_of(built, rel)
        block = re.search(r'<details class="cite-all".*?</details>', text, re.S)[0]
        assert "<summary>Copy all citations on this page</summary>" in block, rel
        entries = [["".join(Page(e).text) for e in re.findall(r'<span class="cite-entry">(.*?)</span>', m, re.S)]
                   for m in block.split('<span class="cite-text cite-block">')[1:]]
        assert entries == [[BIBLIOGRAPHY[s] for s in sources], [APA[s] for s in sources]], rel
    assert everything[0] == sorted(everything[0], key=str.casefold)  # CFR, Gabuev, Lo: alphabetical


def test_debates_cite_the_question_each_position_and_each_source(built, data):
    short = {"cfr-backgrounder-2025": "Council on Foreign Relations, “China and Russia,” para. {n}.",
             "gabuev-foreign-affairs-2024": "Gabuev, “Putin and Xi's Unholy Alliance,” para. {n}.",
             "lo-cepa-2024": "Lo, [untitled article], para. {n}."}
    for claim in data["claims"]:
        text = html_of(built, claim["url"])
        numbers = [int(pos["passage"].rsplit("-p", 1)[1]) for pos in claim["positions"]]
        whole = re.search(r'<div class="cite-box cite-this-debate".*?</details></div>', text, re.S)[0]
        assert texts(whole)[0] == claim["question"]
        notes = [NOTES[pos["source"]].format(n=n, fragment="") for pos, n in zip(claim["positions"], numbers)]
        assert "".join(Page(whole).text).count("para.") == 2 * len(notes)
        for note in notes:
            assert note in "".join(Page(whole).text)
        cites = sorted((IN_TEXT[pos["source"]].format(n=n)[1:-1] for pos, n in zip(claim["positions"], numbers)),
                       key=str.casefold)
        assert texts(whole)[-1] == "(" + "; ".join(cites) + ")"
        positions = re.findall(r'<div class="debate-position">(.*?)(?=<div class="debate-position">|<h2)', text, re.S)
        assert len(positions) == len(claim["positions"]), claim["id"]
        for block, pos, n in zip(positions, claim["positions"], numbers):
            assert f'#p{n}"' in block
            shown = texts(block)
            assert shown[0] == short[pos["source"]].format(n=n), claim["id"]
            assert shown[1] == NOTES[pos["source"]].format(n=n, fragment="")  # the position's own Cite box
        sources = text[text.index('id="sources"'):]
        assert len(re.findall('class="cite-line"', sources)) == len({p["source"] for p in claim["positions"]})


def test_topic_pages_cite_each_source(built):
    for topic in ("trade", "military", "diplomacy", "outlook"):
        text = html_of(built, f"topics/{topic}.html")
        lines = re.findall(r'<p class="cite-line"[^>]*>(.*?)</p>', text, re.S)
        assert len(lines) == 3
        assert BIBLIOGRAPHY["lo-cepa-2024"] in texts("".join(lines))


def test_every_figure_row_cites_its_passage(built, data):
    text = html_of(built, "figures.html")
    rows = re.findall(r"<tr>(.*?)</tr>", text, re.S)
    with_figures = [r for r in rows if 'href="sources/' in r]
    assert len(with_figures) >= len(data["figures"]) > 20
    for row in with_figures:
        sid, n = re.search(r'href="sources/([a-z0-9-]+)\.html#p(\d+)"', row).groups()
        cell = re.search(r'<details class="cite cite-cell".*?</details>', row, re.S)[0]
        assert texts(cell)[0] == NOTES[sid].format(n=n, fragment=""), row


def test_errata_are_marked_sic_and_the_source_text_stays_as_captured(built, data):
    """The two slips in sources/errata.yaml: `[sic]` after each on its passage, a note under it, the marks in
    dossier.json; the passage text in dossier.json, the source file and the span on the page stay exactly as captured."""
    marked = {p["id"]: p for p in data["passages"] if p["errata"]}
    assert sorted(marked) == ["cfr-backgrounder-2025-p11", "gabuev-foreign-affairs-2024-p24"]
    for pid, slip in (("cfr-backgrounder-2025-p11", "Nehendra Modi"), ("gabuev-foreign-affairs-2024-p24", "Malaka Strait")):
        p = marked[pid]
        (e,) = p["errata"]
        assert p["text"][e["start"]:e["end"]] == e["text"] == slip
        raw = (built.sources_dir / f"{p['source']}.md").read_text(encoding="utf-8")
        assert p["text"] in raw and slip in raw  # the captured text, unchanged
        page_html = html_of(built, f"sources/{p['source']}.html")
        para = re.search(rf'id="p{p["n"]}".*?<p class="passage-text">(.*?)</p>', page_html, re.S)[1]
        shown = "".join(Page(para).text)
        assert shown == p["text"][:e["end"]] + " [sic]" + p["text"][e["end"]:]
        without_mark = re.sub(r'<span class="sic"[^>]*>.*?</span>', "", para)
        assert "".join(Page(without_mark).text) == p["text"]  # the span itself is exactly the source's
        assert f'<span class="slip">{slip}</span>' in para
        note = re.search(rf'id="p{p["n"]}".*?<p class="passage-errata"[^>]*>(.*?)</p>', page_html, re.S)[1]
        assert "".join(Page(note).text).startswith(f"Errata: “{slip}” [sic]: {e['note']} Correct: {e['correct']}.")
    for claim in data["claims"]:
        for pos in claim["positions"]:
            assert pos["shown"] == pos["quote"] or "[sic]" in pos["shown"]


def test_how_to_cite_page(built):
    cite = page(built, "cite.html")
    for sid in IDS:
        assert sid in cite.ids
    for name in ("references.bib", "references.ris", "references.json"):
        assert name in cite.hrefs and (built.site_dir / name).is_file()
    words = " ".join(cite.text)
    assert "sources/<id>.html#p<N>" in words and "<id>-p<N>" in words and "sources/passages.lock" in words
    assert "cite.html" in page(built, "index.html").hrefs


def test_assets_are_on_every_page(built):
    for rel in ("index.html", "sources/lo-cepa-2024.html", "topics/trade.html", "cite.html"):
        text = html_of(built, rel)
        assert re.search(r'<script src="(\.\./)?assets/cite\.js', text), rel
        assert re.search(r'href="(\.\./)?assets/print\.css', text), rel
    assert (built.site_dir / "assets" / "cite.js").is_file() and (built.site_dir / "assets" / "print.css").is_file()


def test_citations_stay_out_of_search(built):
    results = fragments(built.site_dir)
    assert {r["filters"]["kind"][0] for r in results} >= {"passage", "debate", "topic", "figure"}
    for result in results:
        if result["filters"]["kind"] != ["page"]:  # (the How to cite page shows examples)
            text = result["content"]
            assert "para. " not in text and "Cite ¶" not in text, result["url"]
            assert "Copy all citations" not in text and "Errata:" not in text, result["url"]


def test_page_weight(built, data):
    """Cite boxes are compact: under 2.2 kB a passage, and under 15% of a source page once compressed.

    A box holds five citations (note, note linking the passage where the URL is known, bibliography entry, APA
    reference, in-text); with the original's URL four of them carry it (CFR: 2.0 kB raw, 13% compressed). Every
    punctuation mark of a citation is a character reference, `text.inert`: about a quarter more bytes than plain HTML
    escaping, 2–3% more once compressed.
    """
    for sid in IDS:
        text = html_of(built, f"sources/{sid}.html")
        found = boxes(text)
        per_passage = sum(len(b.encode()) for b in found) / len(found)
        assert per_passage < 2200, (sid, per_passage)
        without = text
        for b in found:
            without = without.replace(b, "")
        growth = len(gzip.compress(text.encode(), mtime=0)) / len(gzip.compress(without.encode(), mtime=0)) - 1
        assert growth < 0.15, (sid, growth)
