"""Typed ids and site addresses: each rule as a table of valid, invalid and round-trip cases."""

from __future__ import annotations

import pickle

import pytest

from build_dossier.ids import PassageId, SourceId
from build_dossier.render.addresses import (absolute, debate_page, link, parse_passage_url, passage_link, passage_url,
                                            source_page, topic_page, url)


@pytest.mark.parametrize("text", ["lo-cepa-2024", "a", "x1", "2024", "cfr-backgrounder-2025", "a-p", "a-p3"])
def test_valid_source_ids(text):
    assert SourceId(text) == text and isinstance(SourceId(text), str)


@pytest.mark.parametrize("text", ["", "Lo-cepa", "lo_cepa", "lo--cepa", "-lo", "lo-", "lo cepa", "lo-cepa\n", "é", 7, None])
def test_invalid_source_ids(text):
    with pytest.raises(ValueError, match="is not a source id"):
        SourceId(text)


@pytest.mark.parametrize("text, source, n", [
    ("lo-cepa-2024-p7", "lo-cepa-2024", 7),
    ("a-p1", "a", 1),
    ("a-p-p12", "a-p", 12),          # a source id may end in `-p`…
    ("a-p3-p4", "a-p3", 4),          # …or even in `-p<digits>`: the last `-p<N>` is the passage's
    ("x-p100", "x", 100),
])
def test_passage_ids_parse_and_round_trip(text, source, n):
    pid = PassageId.parse(text)
    assert (pid.source, pid.n, pid.anchor) == (source, n, f"p{n}")
    assert PassageId(source, n) == text == str(pid)
    assert pickle.loads(pickle.dumps(pid)) == pid and pickle.loads(pickle.dumps(pid)).n == n


@pytest.mark.parametrize("text", ["lo-cepa-2024", "lo-cepa-2024-p0", "lo-cepa-2024-p07", "lo-cepa-2024-p", "-p3",
                                  "Lo-p3", "lo-p3 ", "lo-p-3", "lo-p3\n", "lop3", 3])
def test_invalid_passage_ids(text):
    with pytest.raises(ValueError, match="is not a passage id"):
        PassageId.parse(text)


@pytest.mark.parametrize("source, n", [("lo", 0), ("lo", -1), ("lo", 1.0), ("lo", True), ("Lo", 1)])
def test_passage_ids_are_made_only_of_a_source_id_and_a_number_from_1(source, n):
    with pytest.raises(ValueError):
        PassageId(source, n)


@pytest.mark.parametrize("make, expected", [
    (lambda: source_page("lo-cepa-2024"), "sources/lo-cepa-2024.md"),
    (lambda: topic_page("trade"), "topics/trade.md"),
    (lambda: debate_page("allies"), "debates/allies.md"),
    (lambda: url("sources/lo-cepa-2024.md"), "sources/lo-cepa-2024.html"),
    (lambda: url("figures.md", "m-border-length"), "figures.html#m-border-length"),
    (lambda: url("dossier.json"), "dossier.json"),
    (lambda: passage_url(PassageId("lo-cepa-2024", 7)), "sources/lo-cepa-2024.html#p7"),
    (lambda: link("index.md", "topics/trade.md"), "topics/trade.md"),
    (lambda: link("sources/a.md", "topics/trade.md"), "../topics/trade.md"),
    (lambda: link("sources/a.md", "sources/b.md", "p3"), "../sources/b.md#p3"),
    (lambda: link("debates/index.md", "about/ledgers.md"), "../about/ledgers.md"),
    (lambda: passage_link("figures.md", PassageId("b", 3)), "sources/b.md#p3"),
    (lambda: absolute("https://ex.org/dossier/", "sources/a.html#p2"), "https://ex.org/dossier/sources/a.html#p2"),
    (lambda: absolute("https://ex.org/dossier", "sources/a.html"), "https://ex.org/dossier/sources/a.html"),
    (lambda: absolute(None, "sources/a.html"), "sources/a.html"),
])
def test_page_paths_urls_and_links(make, expected):
    assert make() == expected


def test_a_page_path_takes_only_a_source_id():
    with pytest.raises(ValueError, match="is not a source id"):
        source_page("../../etc/passwd")


@pytest.mark.parametrize("address", ["sources/lo-cepa-2024.html#p7", "sources/a-p3.html#p1"])
def test_passage_urls_round_trip(address):
    assert passage_url(parse_passage_url(address)) == address


@pytest.mark.parametrize("address", ["sources/lo.html", "sources/lo.html#sec-x", "sources/lo.md#p3", "topics/lo.html#p3",
                                     "sources/lo.html#p03", "x/sources/lo.html#p3", "sources/Lo.html#p3", "sources/.html#p1"])
def test_invalid_passage_urls(address):
    with pytest.raises(ValueError):
        parse_passage_url(address)
