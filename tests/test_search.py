"""The hosted site's search index (build_dossier/publish/search.py), read back from the files Pagefind wrote.

What the browser gets for each result is its fragment (tests/support.py `fragments`): its text, metadata and
filters. The behaviour of the search box on this index is checked in Chromium (test_search_browser.py); a record
on its own in tests/unit/test_search_records.py.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from urllib.parse import urldefrag

import cbor2
import pytest

from build_dossier.errors import DossierError
from build_dossier.pipeline import build, gather
from build_dossier.publish import atomic
from build_dossier.publish.indexer import UNUSED
from build_dossier.publish.search import INDEX_DIR, RECORDS_DIR, WORD_COUNTS
from support import copy_project, digest, fragments, page


DOE = ("---\nid: doe-example-2024\ntitle: An Example\nauthors:\n  - Jane Doe\npublisher: Example Review\n"
       "date: 2024-05-01\nurl: null\nurl_note: none\nlicense: null\nlicense_note: none\naccessed: 2024-05-02\n---\n"
       "China and Russia signed a paper on trade.\n")
"""A new source: the next build would change site/."""


@pytest.fixture(scope="module")
def results(built) -> list[dict]:
    return fragments(built.site_dir)


def by_kind(results: list[dict], kind: str) -> list[dict]:
    return [r for r in results if r["filters"]["kind"] == [kind]]


def address(result: dict) -> str:
    """Where a result leads: a record's target, else the indexed page itself."""
    return result["meta"].get("target") or result["url"].lstrip("/") or "index.html"


def shown(passage: dict) -> str:
    """A passage's text as the dossier shows it: ` [sic]` after each slip dossier.json lists."""
    text, cuts = passage["text"], sorted(e["end"] for e in passage["errata"])
    return "".join(text[a:b] + (" [sic]" if b in cuts else "") for a, b in zip([0, *cuts], [*cuts, len(text)]))


def test_every_passage_is_a_result_of_its_own(built, results, data):
    labels = gather(built)[0].labels
    passages = {r["meta"]["target"]: r for r in by_kind(results, "passage")}
    assert len(passages) == len(by_kind(results, "passage")) == len(data["passages"])
    sources = {s["id"]: s for s in data["sources"]}
    assert any(p["errata"] for p in data["passages"])  # (the seed's errata ledger marks slips)
    for p in data["passages"]:
        record = passages[p["url"]]
        text = " ".join(shown(p).split())  # an excerpt of a passage with a marked slip carries [sic] too
        assert " ".join(record["content"].split()) in (text, text + "."), p["id"]  # Pagefind ends a block with a stop
        assert record["meta"]["title"] == f"{labels[p['source']]} ¶{p['n']}"
        assert record["meta"].get("section") == p["section"]
        assert record["filters"]["source"] == [labels[p["source"]]]
        assert record["filters"]["author"] == sources[p["source"]]["authors"]
        assert record["filters"].get("topic", []) == p["topics"], p["id"]  # its own topics, not its page's


def test_every_result_leads_to_an_address_that_exists(built, results):
    ids: dict[str, set[str]] = {}
    for result in results:
        target, fragment = urldefrag(address(result))
        assert (built.site_dir / target).is_file(), address(result)
        if fragment:
            ids.setdefault(target, set(page(built, target).ids))
            assert fragment in ids[target], address(result)


def test_what_is_indexed_and_as_what(built, results, data):
    kinds = {r["filters"]["kind"][0] for r in results}
    assert kinds == {"passage", "source", "debate", "figure", "event", "topic", "page"}
    assert sorted(address(r) for r in by_kind(results, "source")) == sorted(s["page_url"] for s in data["sources"])
    assert sorted(address(r) for r in by_kind(results, "debate")) == sorted(f"debates/{c['id']}.html" for c in data["claims"])
    assert sorted(address(r) for r in by_kind(results, "topic")) == sorted(f"topics/{t}.html" for t in
                                                                           {t for p in data["passages"] for t in p["topics"]})
    for debate in by_kind(results, "debate"):  # a debate's filters: the sources, authors and topics of its positions
        claim = next(c for c in data["claims"] if f"debates/{c['id']}.html" == address(debate))
        assert set(debate["filters"]["topic"]) == set(claim["topics"])
        assert len(debate["filters"]["source"]) == len({pos["source"] for pos in claim["positions"]})
    figures = {address(r) for r in by_kind(results, "figure")}  # the Figures pages, measure by measure
    assert {f"figures/{f['measure']}.html#m-{f['measure']}" for f in data["figures"] if f["measure"]} <= figures
    events = by_kind(results, "event")  # the Timeline, event by event, with the sources that tell each
    assert sorted(address(r) for r in events) == sorted(e["url"] for e in data["events"])
    tellers = {e["url"]: {p["source"] for m in e["mentions"] for p in data["passages"] if p["id"] == m["passage"]}
               for e in data["events"]}
    labels = {s["id"]: s for s in data["sources"]}
    for r in events:
        assert len(r["filters"]["source"]) == len(tellers[address(r)]) and set(tellers[address(r)]) <= set(labels)
    pages = {address(r) for r in by_kind(results, "page")}
    about = {p.relative_to(built.site_dir).as_posix() for p in (built.site_dir / "about").glob("*.html")}
    assert about | {"cite.html"} <= pages
    assert {f"reports/cleaning.html#{s['id']}" for s in data["sources"]} <= pages  # the report, source by source
    # Pages that only list other results, or are indexed in parts, are not results themselves.
    indexed = {urldefrag(address(r))[0] for r in results if "target" not in r["meta"]}
    for rel in ("index.html", "tags.html", "debates/index.html", "figures.html", "timeline.html", "reports/cleaning.html",
                "404.html",
                *(s["page_url"] for s in data["sources"])):
        assert rel not in indexed, rel
    assert not any(r["url"].startswith(f"/{RECORDS_DIR}/") and "target" not in r["meta"] for r in results)


def test_what_a_page_says_about_itself_is_only_in_its_markup(built, results):
    """Chips, tags, related and debate lines, citations: not searchable text of any result."""
    debate = by_kind(results, "debate")[0]
    rendered = (built.site_dir / address(debate)).read_text(encoding="utf-8")
    assert "data-pagefind-body" in rendered and 'data-pagefind-filter="kind:debate"' in rendered
    for result in results:
        if result["filters"]["kind"] != ["page"]:  # (the help pages explain them)
            assert "Related in other sources" not in result["content"] and "Cite ¶" not in result["content"]


def test_word_counts_mark_the_words_searched_only_with_others(built, data):
    counts = json.loads((built.site_dir / INDEX_DIR / "word-counts.json").read_text(encoding="utf-8"))
    n = len(data["passages"])
    assert counts["passages"] == n and counts["common"] == min(n / 2, 500)
    on = lambda word: sum(word in {"".join(ch for ch in t.lower() if ch.isalnum()) for t in p["text"].split()}
                          for p in data["passages"])
    assert counts["counts"]["the"] == on("the") > counts["common"]
    assert all(on(word) == count for word, count in list(counts["counts"].items())[:25])


def test_the_hosted_build_ships_pagefind_and_not_lunr(built):
    site = built.site_dir
    assert not (site / "search" / "search_index.json").exists()
    assert not (site / RECORDS_DIR).exists()
    assert not any((site / INDEX_DIR / name).exists() for name in UNUSED)
    # Below the bound of a shard, one index and no other (search.SHARD_RESULTS; tests/test_search_shards.py)
    assert [d.name for d in site.iterdir() if d.name.startswith("pagefind")] == [INDEX_DIR]
    assert "shards" not in json.loads((site / INDEX_DIR / WORD_COUNTS).read_text(encoding="utf-8"))
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'id="dossier-search-input"' in home and 'assets/search.js' in home
    assert 'name="search"' not in home and 'data-md-component="search"' not in home  # Material's search not mounted


def test_the_index_files_are_in_a_fixed_order(built):
    """Pagefind lists filter values in hash-map order; the build sorts them (indexer.stable_filters)."""
    index = built.site_dir / INDEX_DIR
    entry = json.loads((index / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta = cbor2.loads(gzip.decompress((index / f"pagefind.{entry['languages']['en']['hash']}.pf_meta").read_bytes())[12:])
    assert [f[0] for f in meta[3]] == sorted(f[0] for f in meta[3]) == ["author", "kind", "source", "topic"]
    for name, digest_ in meta[3]:
        key, values = cbor2.loads(gzip.decompress((index / "filter" / f"{digest_}.pf_filter").read_bytes())[12:])
        assert key == name and [v[0] for v in values] == sorted(v[0] for v in values)


def test_plain_mkdocs_build_of_the_generated_docs_keeps_material_search(built, tmp_path):
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
                         cwd=built.root, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert run.returncode == 0, run.stderr
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'data-md-component="search"' in home and "dossier-search-input" not in home
    assert (tmp_path / "site" / "search" / "search_index.json").is_file()
    assert "data-pagefind" not in (tmp_path / "site" / "topics" / "trade.html").read_text(encoding="utf-8")


def test_a_failing_pagefind_leaves_the_site_as_it_was(tmp_path, monkeypatch):
    project = copy_project(tmp_path / "p")
    build(project)
    before = digest(project.site_dir)
    lock_before = project.lock_file.read_bytes()
    (project.sources_dir / "doe-example-2024.md").write_text(DOE, encoding="utf-8")  # the lock would gain its passages
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-pagefind-here"))
    with pytest.raises(DossierError) as caught:
        build(project)
    assert "Pagefind could not index the site" in str(caught.value) and "pagefind[bin]" in str(caught.value)
    assert digest(project.site_dir) == before
    assert project.lock_file.read_bytes() == lock_before  # staged before MkDocs ran, and discarded
    assert not atomic.leftovers(project.root, project.sources_dir)
