"""The search index in shards (build_dossier/publish/search.py): past `SHARD_RESULTS` results, Pagefind runs once per
shard and the search box merges them. The seed project is built with the bound lowered, so that its results fill
several shards, and compared with the seed built as one index (conftest's `built`): the same results, each in one
shard, found and counted alike in Chromium.
"""

from __future__ import annotations

import json
import re
import shutil
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from build_dossier.errors import DossierError, Problem
from build_dossier.pipeline import build, gather
from build_dossier.publish import indexer, search, searchable
from support import copy_project, fragments, parsed_words, serve, shards
from test_browser import server, web  # noqa: F401 (fixtures)
from test_search_browser import counted, query

BOUND = 100
"""Results a shard may hold here: the seed's built pages and first source fill the first, the rest follow."""


@pytest.fixture(scope="module")
def sharded(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("sharded"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "SHARD_RESULTS", BOUND)
        build(project)
    return project


VOCABULARY = f"/{search.RECORDS_DIR}/{search.VOCABULARY}"


def results(site) -> dict[str, list[dict]]:
    """The results of each shard, the vocabulary record (in every shard, never found) left out."""
    return {shard: [r for r in found if r["url"] != VOCABULARY] for shard, found in shards(site).items()}


@pytest.fixture(scope="module")
def where(sharded) -> dict[str, str]:
    """The shard of each result, by its address."""
    return {r["meta"].get("target") or r["url"]: shard for shard, found in results(sharded.site_dir).items()
            for r in found}


def test_each_shard_is_an_index_listed_beside_the_first(sharded):
    site = sharded.site_dir
    listed = json.loads((site / "pagefind" / "word-counts.json").read_text(encoding="utf-8"))["shards"]
    assert listed == [f"pagefind-{k}/" for k in range(2, len(listed) + 2)] and listed
    assert sorted(d.name for d in site.iterdir() if search.SHARD_DIR.fullmatch(d.name)) == sorted(
        ["pagefind", *(s.rstrip("/") for s in listed)])
    for shard in ["pagefind/", *listed]:
        entry = json.loads((site / shard / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert (site / shard / f"pagefind.{entry['languages']['en']['hash']}.pf_meta").is_file()
        assert (site / shard / "pagefind.js").exists() == (shard == "pagefind/")  # the engine: the first shard's
    assert not (site / search.RECORDS_DIR).exists()


def test_the_shards_hold_the_results_of_one_index_each_once_sources_whole(sharded, built):
    by_shard = results(sharded.site_dir)
    assert all(len(found) <= BOUND for found in list(by_shard.values())[1:])
    key = lambda r: json.dumps(r, sort_keys=True, ensure_ascii=False)
    every = [r for found in by_shard.values() for r in found]
    assert sorted(map(key, every)) == sorted(map(key, fragments(built.site_dir)))  # as one index, each result once
    for shard, found in shards(sharded.site_dir).items():  # and in each, every word of the index, with no filter
        vocabulary = [r for r in found if r["url"] == VOCABULARY]
        assert len(vocabulary) == 1 and vocabulary[0]["filters"] == {}, shard
        indexed = {w for r in every for text in (r["content"], r["meta"].get("title", ""), r["meta"].get("section", ""))
                   for w in re.findall(r"\w+", text)}  # Pagefind indexes a result's title and section too
        assert set(re.findall(r"\w+", vocabulary[0]["content"])) >= indexed
    first = list(by_shard)[0]
    holders: dict[str, set[str]] = {}
    for shard, found in by_shard.items():
        for r in found:
            if "target" not in r["meta"]:  # a built page (debate, topic, help page): in the first shard
                assert shard == first, r["url"]
            elif r["filters"]["kind"] in (["passage"], ["source"]):
                holders.setdefault(r["filters"]["source"][0], set()).add(shard)
    assert all(len(held) == 1 for held in holders.values())  # a source's passages rank against each other
    order = [list(by_shard).index(next(iter(held))) for held in holders.values()]
    assert order == sorted(order) and len(set(order)) > 1  # contiguous runs of sources, in dossier order


def test_the_vocabulary_is_read_as_the_html_parser_reads_each_page_whole(sharded):
    """Records read straight from their form, result pages from where the searchable part begins: the same words."""
    for unit in search.records(gather(sharded)[0]):
        for rel, record in unit:
            assert sorted(set(searchable.record_words(record))) == parsed_words(record), rel
    site, pages = sharded.site_dir, 0
    for here, listed in search.result_pages(site).items():
        for name in (name for name, marked in listed if marked):
            page, words = (site / here / name).read_text(encoding="utf-8"), set()
            searchable.page_words(page, words)
            assert sorted(words) == parsed_words(page) != [], name
            pages += 1
    assert pages > 10


def test_the_build_is_deterministic_in_shards(sharded, tmp_path):
    again = copy_project(tmp_path / "again")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "SHARD_RESULTS", BOUND)
        build(again)
    for shard in shards(sharded.site_dir):
        first = {p.relative_to(sharded.site_dir): p.read_bytes() for p in (sharded.site_dir / shard).rglob("*")
                 if p.is_file()}
        assert first == {p.relative_to(again.site_dir): p.read_bytes() for p in (again.site_dir / shard).rglob("*")
                         if p.is_file()}, shard


def test_serve_indexes_in_shards_too_and_drops_old_ones(sharded, built, tmp_path, monkeypatch):
    site = tmp_path / "site"
    shutil.copytree(sharded.site_dir, site)
    (site / "pagefind-99").mkdir()  # a shard of an earlier, larger index
    monkeypatch.setattr(search, "SHARD_RESULTS", BOUND)
    assert search.index_site(gather(sharded)[0], site) == len(fragments(built.site_dir))
    assert not (site / "pagefind-99").exists()
    assert shards(site).keys() == shards(sharded.site_dir).keys()


def test_serve_lists_no_shard_a_failed_run_left_out(sharded, tmp_path, monkeypatch):
    """A Pagefind run that fails while `serve` re-indexes (the previous index in place) leaves no list of shards that
    are gone: the box then searches the first shard alone instead of failing to load any."""
    site = tmp_path / "site"
    shutil.copytree(sharded.site_dir, site)
    assert json.loads((site / search.INDEX_DIR / search.WORD_COUNTS).read_text(encoding="utf-8"))["shards"]
    real = indexer.index

    def failing(site_dir, output, glob, first):
        if output == search.shard_dir(1):
            raise DossierError([Problem("site/", "", "Pagefind could not index the site: killed", "")])
        return real(site_dir, output, glob, first)

    monkeypatch.setattr(search, "SHARD_RESULTS", BOUND)
    monkeypatch.setattr(indexer, "index", failing)
    with pytest.raises(DossierError):
        search.index_site(gather(sharded)[0], site)
    assert not (site / search.INDEX_DIR / search.WORD_COUNTS).exists()
    assert not (site / search.shard_dir(1)).exists()


def test_the_box_searches_every_shard(web, server, sharded, where):
    """A query whose results lie in several shards finds them all, counts them all, and a result opens its passage."""
    seen: dict[str, set[str]] = {}
    for r in (r for found in results(sharded.site_dir).values() for r in found):
        if r["filters"]["kind"] == ["passage"]:
            for word in set(re.findall(r"[a-z]{6,}", r["content"].lower())):
                seen.setdefault(word, set()).add(where[r["meta"]["target"]])
    word = min((w for w, held in seen.items() if len(held) >= 2), key=lambda w: (-len(seen[w]), w))
    page, guard = web.page()
    page.goto(server + "index.html")
    one = query(page, word, everything=True)
    one_counts = counted(page)
    with serve(sharded.site_dir) as base:
        page.goto(base + "index.html")
        merged = query(page, word, everything=True)
        assert sorted(r["href"].removeprefix(base) for r in merged) == sorted(r["href"].removeprefix(server) for r in one)
        held = {where[urlsplit(r["href"]).path.lstrip("/") + "#" + urlsplit(r["href"]).fragment]
                for r in merged if r["kind"] == "passage"}
        assert len(held) >= 2  # results from several shards
        assert counted(page) == one_counts  # each filter's count the sum over the shards
        far = next(r for r in merged if r["kind"] == "passage"
                   and where[urlsplit(r["href"]).path.lstrip("/") + "#" + urlsplit(r["href"]).fragment] != "pagefind/")
        page.locator(f'.dossier-search__link[href="{far["href"]}"]').click()
        anchor = urlsplit(far["href"]).fragment
        page.wait_for_url(re.compile(re.escape(urlsplit(far["href"]).path) + r"\?.*#" + anchor + "$"))
        expect(page.locator(f"#{anchor} ~ .passage-text").first).to_be_in_viewport()
        expect(page.locator("mark.dossier-search__hit").first).to_be_visible()
    guard.check()
