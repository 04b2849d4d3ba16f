"""Citations on the built site: the Cite box of every passage, page headers, debates, How to cite, page weight."""

from __future__ import annotations

import gzip
import html
import re
from urllib.parse import unquote

from searchkit import fragments
from conftest import Page, page

IDS = ("cfr-backgrounder-2025", "gabuev-foreign-affairs-2024", "lo-cepa-2024")
CFR_URL = "https://www.cfr.org/backgrounder/china-russia-relationship-xi-putin-taiwan-ukraine"


def html_of(built, rel: str) -> str:
    return (built.site_dir / rel).read_text(encoding="utf-8")


def boxes(text: str) -> list[str]:
    return re.findall(r'<div class="cite-box".*?</details>\s*</div>', text, re.S)


def texts(fragment: str) -> list[str]:
    """The copyable citations in a piece of HTML, as the reader sees them."""
    return ["".join(Page(m).text) for m in re.findall(r'<span class="cite-text">(.*?)</span>', fragment, re.S)]


def test_every_passage_has_a_cite_box(built, data):
    site_url = built.site_url
    for sid in IDS:
        text = html_of(built, f"sources/{sid}.html")
        passages = [p for p in data["passages"] if p["source"] == sid]
        found = boxes(text)
        assert len(found) == len(passages), sid
        for p, box in zip(passages, found):
            n, link = p["n"], f"{site_url}sources/{sid}.html#p{p['n']}"
            assert f"<summary>Cite ¶{n}</summary>" in box
            chicago, apa, in_text = texts(box)
            assert chicago.endswith(f", para. {n}, {link}."), chicago
            assert apa.endswith(f". {link}") and f"para. {n}" not in apa, apa
            assert in_text.endswith(f", para. {n})"), in_text
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
        for p, href in zip(passages, links):
            href = html.unescape(href)  # the address the browser follows
            assert href.startswith(CFR_URL + "#:~:text=")
            directive = href.split("#:~:text=", 1)[1]
            assert re.fullmatch(r"[A-Za-z0-9._~%]+", directive), directive  # `-`, `,`, `&`, quotes all encoded
            start = unquote(directive)
            assert " ".join(p["text"].split()).startswith(start) and len(start.split()) >= min(4, len(p["text"].split()))


def test_source_header_has_full_citations(built):
    text = html_of(built, "sources/gabuev-foreign-affairs-2024.html")
    header = text[text.index('<div class="source-citation">'):text.index('<div class="passage">')]
    assert texts(header) == [
        "Gabuev, Alexander. “Putin and Xi's Unholy Alliance: Why the West Won't Be Able to Drive a Wedge Between Russia "
        "and China.” Foreign Affairs, April 9, 2024.",
        "Gabuev, A. (2024, April 9). Putin and Xi's Unholy Alliance: Why the West Won't Be Able to Drive a Wedge Between "
        "Russia and China. Foreign Affairs."]
    italics = [html.unescape(i) for i in re.findall(r"<i>(.*?)</i>", header)]
    assert italics == ["Putin and Xi's Unholy Alliance: Why the West Won't Be Able to Drive a Wedge Between Russia and "
                       "China"]  # APA sets the title in italics; Chicago quotes it


def test_debate_positions_carry_short_notes_and_the_page_lists_its_sources(built, data):
    short = {"cfr-backgrounder-2025": "Council on Foreign Relations, “China and Russia,” para. {n}.",
             "gabuev-foreign-affairs-2024": "Gabuev, “Putin and Xi's Unholy Alliance,” para. {n}.",
             "lo-cepa-2024": "Lo, untitled article, para. {n}."}
    for claim in data["claims"]:
        text = html_of(built, claim["url"])
        positions = re.findall(r'<div class="debate-position">(.*?)</div>\s*(?=<div class="debate-position">|</div>)',
                               text, re.S)
        assert len(positions) == len(claim["positions"]), claim["id"]
        for block, pos in zip(positions, claim["positions"]):
            n = int(pos["passage"].rsplit("-p", 1)[1])
            assert f'#p{n}"' in block
            assert texts(block) == [short[pos["source"]].format(n=n)], claim["id"]
        sources = text[text.index('id="sources"'):]
        assert len(texts(sources)) == len({p["source"] for p in claim["positions"]})


def test_topic_pages_cite_each_source(built):
    for topic in ("trade", "military", "diplomacy", "outlook"):
        text = html_of(built, f"topics/{topic}.html")
        lines = re.findall(r'<p class="cite-line"[^>]*>(.*?)</p>', text, re.S)
        assert len(lines) == 3
        assert "Lo, Bobo. Untitled article. Center for European Policy Analysis (CEPA), n.d." in texts("".join(lines))


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
    assert {r["filters"]["kind"][0] for r in results} >= {"passage", "debate", "topic"}
    for result in results:
        if result["filters"]["kind"] != ["page"]:  # (the How to cite page shows examples)
            assert "para. " not in result["content"] and "Cite ¶" not in result["content"], result["url"]


def test_page_weight(built, data):
    """Cite boxes are compact: under 1.3 kB a passage, and under 15% of a source page once compressed.

    (Every punctuation mark of a citation is a character reference, `text.inert`: about a quarter more bytes
    than plain HTML escaping, 2–3% more once compressed.)
    """
    for sid in IDS:
        text = html_of(built, f"sources/{sid}.html")
        found = boxes(text)
        per_passage = sum(len(b.encode()) for b in found) / len(found)
        assert per_passage < 1300, (sid, per_passage)
        without = text
        for b in found:
            without = without.replace(b, "")
        growth = len(gzip.compress(text.encode(), mtime=0)) / len(gzip.compress(without.encode(), mtime=0)) - 1
        assert growth < 0.15, (sid, growth)
