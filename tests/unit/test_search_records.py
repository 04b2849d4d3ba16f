"""Search records (publish/search.py) and result facets (render/facets.py) on their own, without a site."""

from __future__ import annotations

import pytest

from build_dossier.model import Erratum, Passage, Section, Source
from build_dossier.publish import search, searchable
from build_dossier.publish.search import WHOLE_SITE, passage_record, results_glob
from build_dossier.render.facets import facets
from support import Page, parsed_words

HOSTILE = '<script>alert(1)</script> <img src=x onerror=alert(2)> "quoted" & {: onclick=x }'


def hostile_passage() -> tuple[Passage, Source]:
    source = Source("s", "sources/s.md", "T", None, ("A <b>B</b>",), "P", None, None, None, None, (), "text", HOSTILE, 1)
    passage = Passage("s", 3, "paragraph", Section("sec-x", 'Sec <i onclick="y">'), 0, len(HOSTILE), HOSTILE, 1, ("trade",))
    return passage, source


def test_a_record_holds_source_text_as_text():
    passage, source = hostile_passage()
    record = Page(passage_record(passage, source, {"s": "L, <u>"}))
    assert [t for t, _ in record.tags if t not in ("html", "head", "meta", "body", "main", "p", "span")] == []
    assert "".join(record.text).strip() == HOSTILE
    meta = {a["data-pagefind-meta"] for t, a in record.tags if "data-pagefind-meta" in a}
    assert meta == {"title:L, <u> ¶3", 'section:Sec <i onclick="y">', "target:sources/s.html#p3"}
    filters = {a["data-pagefind-filter"] for t, a in record.tags if "data-pagefind-filter" in a}
    assert filters == {"kind:passage", "source:L, <u>", "author:A <b>B</b>", "topic:trade"}


def test_a_record_marks_each_slip_sic_and_keeps_the_words_as_captured():
    passage, source = hostile_passage()
    slips = tuple(Erratum("s", passage.id, 3, start, end, HOSTILE[start:end], "A slip.", None)
                  for start, end in ((26, 29), (len(HOSTILE) - 1, len(HOSTILE))))
    record = Page(passage_record(passage, source, {"s": "L"}, slips))
    assert "".join(record.text).strip() == HOSTILE[:29] + " [sic]" + HOSTILE[29:] + " [sic]"


def test_a_records_words_are_read_as_the_html_parser_reads_them():
    passage, source = hostile_passage()
    slips = (Erratum("s", passage.id, 3, 26, 29, HOSTILE[26:29], "A slip.", None),)
    records = [passage_record(passage, source, {"s": 'L, <u> "x" &amp; a:b'}, slips),
               search.source_record(source, {"s": "L"}),
               search._record(["one &lt; <p>two</p>\nthree\tfour", "", "ﬁve  ", "a:b:c"],
                              {"title": "t: 'q' & <x>", "section": ":lead", "empty": ""}, [("kind", "k v")])]
    for record in records:
        assert sorted(set(searchable.record_words(record))) == parsed_words(record) != []


BODY = '<div data-pagefind-body><h1>Title words</h1><p>Body <a class="headerlink">¶</a> text</p></div>'


@pytest.mark.parametrize("built_page", [
    f"<html><head><title>T</title></head><body><nav>Menu</nav>{BODY}<footer>Foot</footer></body></html>",
    f"<html><body>{BODY}</body></html>",  # nothing before
    BODY,  # the mark in the first tag
    "<html><body><p>No searchable part</p></body></html>",
    f"<html><head><title>data-pagefind-body</title></head><body>{BODY}</body></html>",  # the mark as text first
    f'<html><head><meta data-pagefind-meta="image:/x.png"></head><body>{BODY}</body></html>',  # meta before
    f"<html><head><!-- <div data-pagefind-body> --></head><body><nav>Menu</nav>{BODY}</body></html>",  # in a comment
    f"<html><body><div data-search-exclude><nav>Menu</nav>{BODY}</div>Tail</body></html>",  # inside what is left out
    f"<html><head><script>let s = '<div data-pagefind-body>';</script></head><body>{BODY}</body></html>",
    f"<html><head><SCRIPT>let s = 1;</SCRIPT></head><body>{BODY}</body></html>",
])
def test_a_pages_words_are_those_the_html_parser_finds_reading_it_whole(built_page):
    words: set[str] = set()
    searchable.page_words(built_page, words)
    assert sorted(words) == parsed_words(built_page)


def test_a_result_kind_is_one_of_the_kinds():
    assert facets("topic", topics=("trade",)) == {"kind": ["topic"], "topic": ["trade"]}
    with pytest.raises(ValueError, match="unknown search result kind 'passages'"):
        facets("passages")


def _site(root, pages: dict[str, bool]):
    """A built site's HTML pages, each marked as a search result (`data-pagefind-body`) or not."""
    for rel, result in pages.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        body = "<div data-pagefind-body><p>x</p></div>" if result else "<p>x</p>"
        (root / rel).write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    return root


def test_pagefind_reads_only_the_records_and_the_pages_that_are_results(tmp_path):
    site = _site(tmp_path, {
        "index.html": False, "about/a.html": True, "about/b.html": True, "debates/d1.html": True,
        "debates/d2.html": True, "debates/index.html": False, "misc/m1.html": True, "misc/m2.html": False,
        "misc/m3.html": False, "sources/s1.html": False, "sources/s2.html": False, "topics/trade/1.html": False,
        "search-records/sources/s1/p1.html": True, "pagefind/x.html": True,
    })
    # a folder mostly of results is given whole; a folder of no result is left out; others page by page
    assert results_glob(site) == "{search-records/**/*.html,about/*.html,debates/*.html,misc/m1.html}"


def test_a_name_a_glob_would_misread_gives_pagefind_the_whole_site(tmp_path):
    site = _site(tmp_path, {"about/a,{b}.html": True, "sources/s1.html": False})
    assert results_glob(site) == WHOLE_SITE


def test_too_many_results_to_name_give_pagefind_their_folders_whole(tmp_path, monkeypatch):
    # Naming every result page would pass Linux's limit on one argument (128 kB): each folder of results goes whole.
    site = _site(tmp_path, {"debates/d1.html": True, "debates/d2.html": False, "debates/d3.html": False,
                            "misc/m1.html": True, "misc/m2.html": False, "misc/m3.html": False, "index.html": False})
    assert results_glob(site) == "{search-records/**/*.html,debates/d1.html,misc/m1.html}"
    monkeypatch.setattr(search, "GLOB_MAX", len("{search-records/**/*.html,debates/d1.html,misc/m1.html}") - 1)
    assert results_glob(site) == "{search-records/**/*.html,debates/*.html,misc/*.html}"


def test_shards_are_contiguous_runs_of_whole_units_within_the_bound():
    # A unit (a source's records) is never split; a unit over the bound is a shard of its own; unit 0 (the built
    # pages) is in the first shard.
    sizes = [5, 3, 4, 12, 2, 2, 10, 1]
    shards = search.split(sizes, 10)
    assert shards == [range(0, 2), range(2, 3), range(3, 4), range(4, 6), range(6, 7), range(7, 8)]
    assert [u for shard in shards for u in shard] == list(range(len(sizes)))  # contiguous, in order, each once
    for shard, after in zip(shards, shards[1:]):
        total = sum(sizes[u] for u in shard)
        assert total <= 10 or len(shard) == 1
        assert total + sizes[after.start] > 10  # a shard ends only where the next unit would pass the bound
    assert search.split([30], 10) == [range(0, 1)] and search.split([4, 4], 10) == [range(0, 2)]
