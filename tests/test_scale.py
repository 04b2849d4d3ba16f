"""No page grows with the corpus, and passages keep their addresses: real builds of synthetic corpora of two sizes.

The corpora come from the benchmark's generator (benchmarks/generate.py: the three articles recombined, with
a debates ledger). The size bound is shown structurally, at small N: the page budget is made small (4 kB of
Markdown instead of 120 kB), a page's previews too (2 kB of HTML instead of 64 kB), the other figures come 3
sources a part instead of 15 and the home page lists 5 recent sources instead of 20, so that every page that
would grow with the corpus is already cut into parts at the smaller size; then the pages of every kind this
build bounds are no larger at three times the sources. The real sizes at N = 300 and 3,000 are measured by
the benchmark (docs/about/benchmarks.md), as is how long a build takes, never here.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from urllib.parse import urldefrag, urljoin

import pytest
import yaml

from build_dossier.pipeline import Project, build
from support import ROOT, broken_links, fragments, page

SIZES = (10, 30)
LIMIT = 300 * 1024
"""The most bytes of HTML a page may have (benchmarks/run.py: PAGE_LIMIT)."""
BOUNDED = ("index.html", "tags.html", "sources/", "figures.html")
"""Pages this layout keeps from growing, besides the parts of long pages: home, tags, source pages, the Figures
overview. (The debates index grows with the debates: it is bounded by its own pages.)"""
PREVIEW_BUDGET = 2_000
"""The previews' budget in these builds: the source pages of the smaller corpus fill it already."""
PREVIEWS = re.compile(r'<div class="passage-previews".*?\n</div>\n', re.S)
PART = re.compile(r"(.*)/[0-9]+\.html")
"""A part of a long page: `topics/trade/3.html`, `figures/border-length/2.html` (its overview: `topics/trade.html`)."""


@pytest.fixture(scope="module")
def corpora(tmp_path_factory) -> dict[int, Project]:
    from build_dossier.render import addresses
    from build_dossier.render.pages import home

    patch = pytest.MonkeyPatch()
    patch.setattr(addresses, "PAGE_BUDGET", 4_000)
    patch.setattr(addresses, "PREVIEW_BUDGET", PREVIEW_BUDGET)
    patch.setattr(addresses, "OTHER_PER_PART", 3)
    patch.setattr(home, "RECENT", 5)
    out = {}
    for n in SIZES:
        root = tmp_path_factory.mktemp(f"corpus{n}") / "p"
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(n), str(root)], check=True,
                       stdout=subprocess.DEVNULL)
        project = Project(root)
        build(project)
        out[n] = project
    patch.undo()
    return out


def html_sizes(project: Project) -> dict[str, int]:
    return {p.relative_to(project.site_dir).as_posix(): p.stat().st_size for p in project.site_dir.rglob("*.html")
            if not p.relative_to(project.site_dir).as_posix().startswith("pagefind/")}


def largest(sizes: dict[str, int], prefix: str) -> int:
    return max((size for rel, size in sizes.items() if rel.startswith(prefix)), default=0)


def test_every_page_is_under_the_limit(corpora):
    for n, project in corpora.items():
        over = {rel: size for rel, size in html_sizes(project).items() if size > LIMIT}
        assert not over, (n, over)


def test_bounded_pages_do_not_grow_with_the_corpus(corpora):
    small, big = (html_sizes(corpora[n]) for n in SIZES)
    parts = [{rel for rel in sizes if PART.fullmatch(rel)} for sizes in (small, big)]
    for prefix in BOUNDED:
        assert largest(small, prefix), prefix
        # Three times the sources: a page that grew with them would be about three times larger.
        assert largest(big, prefix) <= largest(small, prefix) * 1.3, (
            prefix, largest(small, prefix), largest(big, prefix))
    assert max(big[rel] for rel in parts[1]) <= max(small[rel] for rel in parts[0]) * 1.3
    # An overview grows by one line per part (a part holds a page budget of Markdown), and by the lists it caps (20
    # debates, 20 events) until they are full: far less than the three times its content would be.
    overviews = {PART.fullmatch(rel)[1] + ".html" for rel in parts[0]}
    assert {"topics/trade.html", "reports/cleaning.html", "cite.html", "figures/border-length.html",
            "timeline.html"} <= overviews
    for rel in overviews:
        count = [sum(1 for p in found if p.startswith(rel[:-5] + "/")) for found in parts]
        assert count[1] >= count[0], rel
        grew = big[rel] - small[rel]
        assert grew <= 600 * (count[1] - count[0]) + 6000, (rel, small[rel], big[rel], count)


def test_a_page_carries_previews_up_to_its_budget_and_links_the_rest_plainly(corpora):
    """Every preview a link names is on its page; a page's previews stay in the budget; past it, links have none."""
    plain = 0
    for project in corpora.values():
        for rel in html_sizes(project):
            html = (project.site_dir / rel).read_text(encoding="utf-8")
            block = PREVIEWS.search(html)
            named = set(re.findall(r'<a [^>]*aria-describedby="([^"]+)"', html))
            assert named <= set(re.findall(r'class="passage-preview" id="([^"]+)"', html)), rel
            assert not block or len(block[0].encode("utf-8")) <= PREVIEW_BUDGET + 200, rel  # + the block's own tags
            links = re.findall(r'<a [^>]*class="passage-link"[^>]*>', html)
            plain += sum("aria-describedby" not in a for a in links)
    assert plain  # the budget was reached: the source pages link more passages than 2 kB of previews hold


def test_long_pages_are_cut_into_linked_parts(corpora):
    project = corpora[SIZES[-1]]
    sizes = html_sizes(project)
    for topic in ("trade", "military", "diplomacy", "outlook"):
        parts = sorted(rel for rel in sizes if rel.startswith(f"topics/{topic}/"))
        assert parts, topic
        overview = page(project, f"topics/{topic}.html")
        assert {f"{topic}/{k}.html" for k in range(1, len(parts) + 1)} <= set(overview.hrefs), topic
    article = (project.site_dir / "index.html").read_text(encoding="utf-8").split("<article", 1)[1].split("</article>")[0]
    listed = set(re.findall(r'href="(sources/[^"#]+)"', article))  # the page's own links (the navigation lists more)
    assert listed - {"sources/index.html"} and len(listed - {"sources/index.html"}) == 5  # home.RECENT, patched
    assert "sources/index.html" in listed  # and the index of them all
    assert broken_links(project) == []


def test_every_passage_keeps_its_address_and_is_on_its_topics_once(corpora):
    project = corpora[SIZES[-1]]
    data = json.loads((project.site_dir / "dossier.json").read_text(encoding="utf-8"))
    on_page: dict[str, set[str]] = {}
    for p in data["passages"]:
        address, anchor = p["url"].split("#")
        assert (address, anchor) == (f"sources/{p['source']}.html", f"p{p['n']}")
        on_page.setdefault(address, set(page(project, address).ids))
        assert anchor in on_page[address], p["url"]
    for topic in ("trade", "military", "diplomacy", "outlook"):
        # The parts hold the passages (the overview links some in its timeline).
        pages = sorted((p.relative_to(project.site_dir).as_posix() for p in (project.site_dir / "topics" / topic).glob("*.html")),
                       key=lambda rel: int(rel.rsplit("/", 1)[1][:-5]))
        linked = [h.rsplit("/", 1)[1] for rel in pages for h in page(project, rel).hrefs
                  if h.startswith("../../sources/") or h.startswith("../sources/")]
        expected = [p["url"].rsplit("/", 1)[1] for p in data["passages"] if topic in p["topics"]]
        assert [h for h in linked if "#p" in h] == expected, topic


def test_every_link_to_an_event_leads_to_the_part_holding_it(corpora):
    """The Timeline in parts: dossier.json, the search index, the topic pages and the overview send each event to the
    one part that holds its entry."""
    project = corpora[SIZES[-1]]
    parts = sorted(rel for rel in html_sizes(project) if PART.fullmatch(rel) and rel.startswith("timeline/"))
    assert len(parts) > 1
    ids = {rel: set(page(project, rel).ids) for rel in ["timeline.html", *parts]}
    events = json.loads((project.site_dir / "dossier.json").read_text(encoding="utf-8"))["events"]
    held = {}
    for e in events:
        address, anchor = e["url"].split("#")
        assert anchor == e["id"] and [rel for rel in parts if anchor in ids[rel]] == [address], e["url"]
        held[e["id"]] = address
    assert not set(held) & ids["timeline.html"]  # the overview lists no entry
    results = [r for r in fragments(project.site_dir) if r["filters"]["kind"] == ["event"]]
    assert sorted(r["meta"]["target"] for r in results) == sorted(e["url"] for e in events)
    linking = ["timeline.html"] + [f"topics/{t}.html" for t in ("trade", "military", "diplomacy", "outlook")]
    followed = []
    for rel in linking:
        for href in page(project, rel).hrefs:
            target, anchor = urldefrag(urljoin(rel, href))
            if anchor in held:
                assert target == held[anchor], (rel, href)
                followed.append(rel)
    assert set(followed) == set(linking)  # each links some events: the topics their most told, the overview too


def test_an_entry_shows_a_bounded_number_of_tellings(corpora):
    """An event told in more passages than an entry shows: `FULL` in full, `LISTED` more as links, a count of the
    rest — and the overview says so."""
    from build_dossier.render.timeline_lines import FULL, LISTED

    project = corpora[SIZES[-1]]
    events = json.loads((project.site_dir / "dossier.json").read_text(encoding="utf-8"))["events"]
    e = max(events, key=lambda e: len(e["mentions"]))
    assert len(e["mentions"]) > FULL + LISTED  # the corpus tells one event often enough
    address, anchor = e["url"].split("#")
    text = (project.site_dir / address).read_text(encoding="utf-8")
    entry = text.split(f'id="{anchor}"', 1)[1].split('class="timeline-date"', 1)[0].split("<nav", 1)[0]
    assert entry.count('class="cite cite-cell"') == FULL
    more = len(e["mentions"]) - FULL
    assert f"Also told in {more} more passages" in entry and f" and {more - LISTED} more." in entry
    assert entry.count('class="passage-link"') == FULL + LISTED
    overview = " ".join(page(project, "timeline.html").text)
    assert f"at most {FULL} tellings in full" in overview and f"up to {LISTED} more" in overview


def test_the_three_articles_keep_the_addresses_of_their_locked_passages(built, data):
    """Every passage in the committed lock is still at `sources/<id>.html#p<N>`, with the text it was locked with."""
    lock = yaml.safe_load((ROOT / "sources" / "passages.lock").read_text(encoding="utf-8"))
    by_id = {p["id"]: p for p in data["passages"]}
    for source, entries in lock["sources"].items():
        ids = set(page(built, f"sources/{source}.html").ids)
        for entry in entries:
            p = by_id[f"{source}-p{entry['n']}"]
            assert p["url"] == f"sources/{source}.html#p{entry['n']}"
            assert f"p{entry['n']}" in ids
            assert hashlib.sha256(p["text"].encode("utf-8")).hexdigest() == entry["sha256"], p["id"]
