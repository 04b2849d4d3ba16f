"""The real build on the three articles, checked against an independent reading."""

from __future__ import annotations

import html
import json
import re
import shutil
from urllib.parse import urldefrag

from build_dossier.model import TOPICS
from build_dossier.pipeline import build
from support import ROOT, broken_links, copy_project, digest, fragments, page

SOURCES = ("cfr-backgrounder-2025", "gabuev-foreign-affairs-2024", "lo-cepa-2024")


def test_every_content_paragraph_is_exactly_one_passage(data, reading):
    for sid in SOURCES:
        passages = [p for p in data["passages"] if p["source"] == sid]
        expected = reading[sid]["passages"]
        assert len(passages) == len(expected), sid
        for n, (p, e) in enumerate(zip(passages, expected), start=1):
            assert p["n"] == n
            assert p["text"].startswith(e["opening"]), (p["id"], e["opening"])
            assert p["kind"] == e["kind"], p["id"]


def test_passages_are_exact_spans_of_the_source(built, data):
    for p in data["passages"]:
        raw = (built.sources_dir / f"{p['source']}.md").read_text(encoding="utf-8")
        body = raw.split("\n---\n", 1)[1]
        assert body.count(p["text"]) >= 1, p["id"]
        assert p["text"] == p["text"].strip()


def test_no_chrome_line_in_any_passage(data, reading):
    for sid in SOURCES:
        texts = [p["text"] for p in data["passages"] if p["source"] == sid]
        for chrome in reading[sid]["chrome"]:
            line = chrome.lstrip("•- ").strip()
            # Short chrome ("China" under "More on:") is a word of the text too; whole lines are checked.
            if len(line.split()) >= 4:
                assert not any(line in t for t in texts), (sid, chrome)
            assert line not in texts, (sid, chrome)


def test_headings_present_in_order(built, reading):
    for sid in SOURCES:
        text = (built.site_dir / f"sources/{sid}.html").read_text(encoding="utf-8")
        found = [html.unescape(h) for h in re.findall(r'<h2 id="sec-[^"]*">(.*?)</h2>', text)]
        assert found == reading[sid]["headings"], sid


def test_dossier_json_shape(data):
    assert data["format"] == "build-dossier/1"
    assert [s["id"] for s in data["sources"]] == sorted(SOURCES)
    source_keys = ["id", "title", "subtitle", "authors", "publisher", "date", "url", "license", "accessed",
                   "notes", "page_url", "passages"]
    for s in data["sources"]:
        assert list(s) == source_keys
        assert s["page_url"] == f"sources/{s['id']}.html"
        for key in ("title", "date", "url", "license", "accessed"):
            if s[key] is None:
                assert s["notes"].get(key), (s["id"], key)
    passage_keys = ["id", "source", "n", "kind", "section", "text", "topics", "url", "errata"]
    ids = [p["id"] for p in data["passages"]]
    assert len(ids) == len(set(ids))
    for p in data["passages"]:
        assert list(p) == passage_keys
        assert p["id"] == f"{p['source']}-p{p['n']}"
        assert set(p["topics"]) <= set(TOPICS)
        assert p["url"] == f"sources/{p['source']}.html#p{p['n']}"


def test_every_url_resolves_to_an_element(built, data):
    urls = [s["page_url"] for s in data["sources"]] + [p["url"] for p in data["passages"]]
    pages = {}
    for url in urls:
        path, fragment = urldefrag(url)
        if path not in pages:
            pages[path] = page(built, path)
        if fragment:
            assert fragment in pages[path].ids, url


def test_internal_links_resolve(built):
    assert broken_links(built) == []


def test_topic_pages_show_every_source(built, data):
    for topic in TOPICS:
        html = (built.site_dir / f"topics/{topic}.html").read_text()
        for s in data["sources"]:
            if any(topic in p["topics"] for p in data["passages"] if p["source"] == s["id"]):
                assert f"sources/{s['id']}.html#p" in html


def test_tags_page_and_search_index_see_topics(built):
    tags = (built.site_dir / "tags.html").read_text(encoding="utf-8")
    for topic in TOPICS:
        assert f'id="tag:{topic}"' in tags
    results = {r["meta"].get("target"): r for r in fragments(built.site_dir)}
    assert "sources/lo-cepa-2024.html#p7" in results
    tagged = [r for target, r in results.items() if (target or "").startswith("sources/") and r["filters"].get("topic")]
    assert tagged


def test_second_build_is_byte_identical(built, tmp_path):
    other = copy_project(tmp_path / "again")
    build(other)
    assert digest(other.site_dir) == digest(built.site_dir)
    assert digest(other.docs_dir) == digest(built.docs_dir)


def test_a_dossier_of_one_source_without_ledgers_builds_strictly(tmp_path):
    """No claims.yaml, no overrides, no lock file yet: every page still builds and links resolve."""
    project = copy_project(tmp_path, sources=False)
    shutil.copy2(ROOT / "sources" / "lo-cepa-2024.md", project.sources_dir / "lo-cepa-2024.md")
    build(project, strict=True)
    debates = page(project, "debates/index.html")
    assert "No debates yet" in "".join(debates.text)
    data = json.loads((project.site_dir / "dossier.json").read_text(encoding="utf-8"))
    assert [s["id"] for s in data["sources"]] == ["lo-cepa-2024"] and data["claims"] == []
    assert (project.sources_dir / "passages.lock").exists()
