"""The debates on the built site: every debate on its page, passages cross-linked both ways."""

from __future__ import annotations

import re
from urllib.parse import urljoin


def test_every_debate_is_on_its_page_and_cross_linked_both_ways(built, data):
    assert len(data["claims"]) >= 20
    topics = {t for c in data["claims"] for t in c["topics"]}
    assert topics == {"trade", "military", "diplomacy", "outlook"}
    index = (built.site_dir / "debates" / "index.html").read_text(encoding="utf-8")
    passages = {p["id"]: p for p in data["passages"]}
    pages = {}
    for claim in data["claims"]:
        assert f'href="{claim["id"]}.html"' in index
        page = (built.site_dir / claim["url"]).read_text(encoding="utf-8")
        for pos in claim["positions"]:
            assert pos["quote"] in passages[pos["passage"]]["text"]
            assert re.search(rf'href="\.\./{re.escape(passages[pos["passage"]]["url"])}"', page)
    pairs = {(link["from"], link["to"]) for link in data["links"] if link["claim"]}
    for src, dst in pairs:
        assert (dst, src) in pairs
        p = passages[src]
        if p["source"] not in pages:
            pages[p["source"]] = (built.site_dir / f"sources/{p['source']}.html").read_text(encoding="utf-8")
        html = pages[p["source"]]
        # the link stands in the block of passage `src`: between its heading and the next passage's
        block = html.split(f'id="p{p["n"]}"', 1)[1].split('class="passage-head"', 1)[0]
        targets = {urljoin(f"sources/{p['source']}.html", h) for h in re.findall(r'href="([^"]+)"', block)}
        assert passages[dst]["url"] in targets, (src, dst)
