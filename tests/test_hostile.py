"""Hostile source text is shown, never run: the built site parsed as a browser would.

The fixtures in tests/data/hostile/ put markup in every place source text reaches: the body
(HTML and script tags, event handlers, javascript: links and images, reference definitions,
attr_list braces, Material markers, Jinja, `---` lines, zero-width and bidi characters, a
50 000-character line), the front matter (title, subtitle, authors, publisher, licence, notes)
and the debates ledger (question, stance, quote).
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from playwright.sync_api import expect

from build_dossier.cli import main
from build_dossier.ingest.load import read_source, split_front_matter
from build_dossier.model import TOPICS
from build_dossier.pipeline import Project, build
from support import DATA, broken_links, copy_project, done, fragments, serve

HOSTILE = DATA / "hostile"
SOURCES = ("hostile-markdown", "hostile-text")
URL_ATTRS = ("href", "src", "action", "formaction", "data", "poster", "xlink:href", "srcset", "background", "cite")
SOURCE_TAGS = {"script", "img", "iframe", "form", "input", "style", "object", "embed", "marquee", "textarea",
               "base", "link", "meta", "math", "frame", "frameset"}
"""Elements the fixtures try to create that no page content of ours has. (Others they try, `b`, `details`,
`svg`, are checked against what the same kind of page holds in a build of the real articles.)"""
SECTION_ID = re.compile(r"sec-[a-z0-9-]+")
"""The ids of section headings, which the build makes of the heading's words (`{#pwned}` gives `sec-pwned`)."""
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Tree(HTMLParser):
    """Elements (tag, attributes, inside <article>?) and the text of each element, as a browser tokenises them."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self.chunks: list[str] = []
        self._open: list[dict] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        inside = any(e["tag"] == "article" for e in self._open)
        el = {"tag": tag, "attrs": dict(attrs), "pairs": attrs, "article": inside, "text": [],
              "parent": self._open[-1] if self._open else None}
        self.elements.append(el)
        if tag not in VOID:
            self._open.append(el)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self._open.pop()

    def handle_endtag(self, tag):
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i]["tag"] == tag:
                del self._open[i:]
                break

    def handle_data(self, data):
        self.chunks.append(data)
        for el in self._open:
            el["text"].append(data)

    def find(self, tag: str, cls: str | None = None) -> list[dict]:
        return [e for e in self.elements if e["tag"] == tag
                and (cls is None or cls in e["attrs"].get("class", "").split())]


def text(el: dict) -> str:
    return "".join(el["text"])


def norm(s: str) -> str:
    """Whitespace collapsed (HTML does the same when it displays text)."""
    return " ".join(s.split())


def active_content(tree: Tree, content_only: bool = False) -> list[str]:
    """Everything in a page that could run, load or link on its own: empty for an inert page."""
    found = []
    for el in tree.elements:
        tag, attrs = el["tag"], el["attrs"]
        for name, value in el["pairs"]:
            if name.startswith("on"):
                found.append(f"<{tag} {name}=…> event handler")
            if name in URL_ATTRS and value and re.match(r"(?i)^[\s\x00-\x1f]*(javascript|vbscript|data):",
                                                          re.sub(r"[\t\n\r]", "", value)):
                found.append(f"<{tag} {name}={value[:40]!r}> script URL")
        if "pwned" in attrs.get("id", "") and not SECTION_ID.fullmatch(attrs["id"]) or "evil" in attrs.get("class", ""):
            found.append(f"<{tag}> with an id or class from the source: {attrs}")
        if el["article"] and tag in SOURCE_TAGS:
            found.append(f"<{tag}> element in the page content")
        if tag == "script" and ("alert" in text(el) or "pwned" in text(el)):
            found.append("script with source text")
        if content_only and tag in SOURCE_TAGS:
            found.append(f"<{tag}> element")
    ids = [e["attrs"]["id"] for e in tree.elements if "id" in e["attrs"]]
    found += [f"duplicate id {i!r}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    return found


def test_the_checker_finds_what_it_looks_for():
    leaky = ('<article><p id="p1">x</p><img src=x onerror=alert(1)><a href=" java\tscript:alert(1)">a</a>'
             '<p id="p1" class="evil">{</p><script>alert(1)</script></article>')
    found = active_content(Tree(leaky))
    assert any("onerror" in f for f in found)
    assert any("script URL" in f for f in found)
    assert any("<img> element" in f for f in found)
    assert any("<script> element" in f for f in found)
    assert "duplicate id 'p1'" in found
    assert any("class from the source" in f for f in found)


def fixture_parts(name: str) -> tuple[dict, str]:
    raw = (HOSTILE / f"{name}.md").read_text(encoding="utf-8")
    front, body, _, problems = split_front_matter(raw, name)
    assert not problems
    return yaml.safe_load(front), body


def test_the_fixtures_are_hostile():
    """Guard against a fixture edit that quietly makes these tests pass for nothing."""
    meta, body = fixture_parts("hostile-text")
    for payload in ("<script>", "onerror=", 'href="javascript:', "](javascript:", "![img](javascript:",
                    "[evil]: javascript:", "{: onclick=", "<!-- material/tags -->", "{{ config", "{% include",
                    "\n---\n", "\u200b", "\u202e", "\ufeff", "<iframe", "<style>", "&lt;b&gt;"):
        assert payload in body, payload
    assert max(len(line) for line in body.split("\n")) >= 50_000
    # A hard-wrapped paragraph whose last line is an attribute list (attr_list reads it as the paragraph's).
    assert "attribute list.\n{: onclick=alert('wrap') #pwned-wrap .evil }\n" in body
    assert "as Markdown.\n{: #__search .md-search }\n" in body
    assert "<script>" in meta["title"] and "{:" in meta["title"] and "javascript:" in meta["title"]
    assert len(meta["subtitle"]) >= 50_000 and "onerror" in meta["subtitle"]
    assert "onmouseover" in meta["authors"][0] and "<iframe" in meta["publisher"]
    md_meta, md_body = fixture_parts("hostile-markdown")
    assert md_meta["format"] == "markdown" and "## Sanctions {: onclick" in md_body
    assert "last line\n{: onclick=alert('mdwrap') #pwned-mdwrap .evil }\n" in md_body
    claims = yaml.safe_load((HOSTILE / "claims.yaml").read_text(encoding="utf-8"))
    assert "<script>" in claims["debates"][0]["question"] and "\u202e" in claims["debates"][1]["question"]
    assert "{: onclick=alert('wrap')" in claims["debates"][2]["positions"][0]["quote"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Project:
    project = copy_project(tmp_path_factory.mktemp("hostile"), sources=False)
    for path in sorted(HOSTILE.iterdir()):
        shutil.copy2(path, project.sources_dir / path.name)
    build(project)
    return project


def tree(project: Project, rel: str) -> Tree:
    return Tree((project.site_dir / rel).read_text(encoding="utf-8"))


def kind(rel: str) -> str:
    return rel.split("/", 1)[0] if "/" in rel else rel


def content_tags(project: Project) -> dict[str, set[str]]:
    """Kind of page -> the elements its content (<article>) holds (but the Figures page's own chart images)."""
    out: dict[str, set[str]] = {}
    for path in sorted(project.site_dir.rglob("*.html")):
        rel = path.relative_to(project.site_dir).as_posix()
        out.setdefault(kind(rel), set()).update(e["tag"] for e in tree(project, rel).elements if e["article"]
                                                and "figure-chart" not in e["attrs"].get("class", ""))  # our charts
    return out


def test_no_element_kind_that_the_real_articles_do_not_make(hostile, built):
    """An element in a hostile page's content that no page has in a build of the three articles came from the source."""
    ours = set().union(*content_tags(built).values())
    assert not {"b", "img", "iframe", "script", "svg", "form"} & ours  # else this test could not see them
    for kind_, tags in content_tags(hostile).items():
        assert tags <= ours, (kind_, tags - ours)


def test_no_page_has_active_content_from_the_source(hostile):
    pages = sorted(hostile.site_dir.rglob("*.html"))
    assert len(pages) > 15
    control = tree(hostile, "tags.html")
    scripts = [e["attrs"].get("src", "inline") for e in control.find("script")]
    assert active_content(control) == []
    for path in pages:
        rel = path.relative_to(hostile.site_dir).as_posix()
        doc = tree(hostile, rel)
        assert active_content(doc) == [], rel
        # Scripts: Material's and ours, outside the content, loaded from the site's own assets.
        found = [e for e in doc.find("script")]
        assert len(found) == len(scripts) or rel == "404.html", rel
        for el in found:
            assert not el["article"], rel
            src = el["attrs"].get("src")
            if src:
                target = (path.parent / src).resolve() if not src.startswith("/") else hostile.site_dir / src.lstrip("/")
                assert target.is_file() and target.resolve().is_relative_to(hostile.site_dir / "assets"), (rel, src)


def test_every_link_within_the_site_resolves(hostile):
    """Hostile labels and titles in link text change no link (those in raw HTML are not checked by MkDocs)."""
    assert broken_links(hostile) == []


def test_generated_pages_have_only_our_ids(hostile):
    sources = set(SOURCES)
    ours = re.compile(r"^(p\d+|sec-[a-z0-9-]+|(src|pv)-(" + "|".join(SOURCES) + r")(-p\d+)?|" + "|".join(SOURCES + TOPICS)
                      + r"|debates|sources|citations|topics|most-contested-questions|chinarussia-research-dossier"
                      + r"|timeline|figures|matrix|debate-list|debate-table)$")
    for rel in [f"sources/{s}.html" for s in sources] + [rel for t in TOPICS for rel in topic_pages(hostile, t)] + [
            "index.html", "debates/index.html", "debates/hostile-scripts.html", "debates/hostile-bidi.html",
            "debates/hostile-wrap.html",
            "reports/cleaning.html"]:
        for el in tree(hostile, rel).elements:
            i = el["attrs"].get("id")
            if i is None or i.startswith("__") or (not el["article"] and el["tag"] in ("input", "label", "nav", "div")):
                continue
            assert ours.match(i), (rel, i)


def topic_pages(project: Project, topic: str) -> list[str]:
    """A topic's page and its parts, if it has any, in order."""
    pages, k = [f"topics/{topic}.html"], 1
    while (project.site_dir / f"topics/{topic}/{k}.html").is_file():
        pages.append(f"topics/{topic}/{k}.html")
        k += 1
    return pages


def passage_texts(doc: Tree) -> list[str]:
    return [text(e) for e in doc.find("p", "passage-text")]


def children(doc: Tree, el: dict) -> list[dict]:
    return [e for e in doc.elements if e["parent"] is el]


PASSAGE_ATTRS = ({"class": "passage-text"}, {"class": "passage-text passage-bullet"})
TOPIC_PASSAGE_ATTRS = ({"class": "passage-text", "data-search-exclude": ""},)


def assert_passages_exact(doc: Tree, texts: list[str], attrs: tuple[dict, ...], where: str) -> None:
    """The page's passage elements: exactly `texts`, in order, each with only our attributes and no element inside."""
    found = doc.find("p", "passage-text")
    assert [text(e) for e in found] == texts, where
    for el in found:
        assert el["attrs"] in attrs and len(el["pairs"]) == len(el["attrs"]), (where, el["attrs"])
        assert children(doc, el) == [], (where, [c["tag"] for c in children(doc, el)])


def test_passages_are_their_source_text_exactly(hostile):
    """Each passage element holds exactly its span of the source (dossier.json) and nothing the build did not put there.

    The hard-wrapped paragraphs that end with an attribute-list line (`{: onclick=… }`, `{: #__search .md-search }`)
    were once read by attr_list as the paragraph's attributes: the line vanished and the handler ran.
    """
    data = json.loads((hostile.site_dir / "dossier.json").read_text(encoding="utf-8"))
    bodies = {name: fixture_parts(name)[1] for name in SOURCES}
    for name in SOURCES:
        passages = [p for p in data["passages"] if p["source"] == name]
        assert all(p["text"] in bodies[name] for p in passages)
        assert_passages_exact(tree(hostile, f"sources/{name}.html"), [p["text"] for p in passages], PASSAGE_ATTRS, name)
    for topic in TOPICS:
        on_topic = [p["text"] for p in data["passages"] if topic in p["topics"]]
        pages = topic_pages(hostile, topic)
        shown = [t for rel in pages for t in passage_texts(tree(hostile, rel))]
        assert shown == on_topic, topic
        for rel in pages:
            doc = tree(hostile, rel)
            assert_passages_exact(doc, passage_texts(doc), TOPIC_PASSAGE_ATTRS, rel)
    shown = [p["text"] for p in data["passages"]]
    assert any(t.endswith("attribute list.\n{: onclick=alert('wrap') #pwned-wrap .evil }") for t in shown)
    assert any(t.endswith("as Markdown.\n{: #__search .md-search }") for t in shown)
    assert any(t.endswith("last line\n{: onclick=alert('mdwrap') #pwned-mdwrap .evil }") for t in shown)


def test_source_text_appears_literally(hostile):
    """Every line of the text-format fixture is in a passage or is a heading, character for character."""
    _, body = fixture_parts("hostile-text")
    doc = tree(hostile, "sources/hostile-text.html")
    shown = [line for t in passage_texts(doc) for line in t.split("\n")] + [text(h) for h in doc.find("h2")]
    lines = [line.strip() for line in body.split("\n") if line.strip()]
    assert len(shown) == len(lines)
    for line in lines:
        assert line in shown or line.removeprefix("- ") in shown, line[:80]


def test_markdown_source_text_appears_literally(hostile):
    _, body = fixture_parts("hostile-markdown")
    doc = tree(hostile, "sources/hostile-markdown.html")
    shown = [norm(t) for t in passage_texts(doc) + [text(h) for h in doc.find("h2")]]
    for line in body.split("\n"):
        line = re.sub(r"^(#+|-)\s+|\s+#+$", "", line.strip())
        if line and line != "---":
            assert any(norm(line) in s for s in shown), line[:80]


def test_metadata_appears_literally(hostile):
    meta, _ = fixture_parts("hostile-text")
    doc = tree(hostile, "sources/hostile-text.html")
    rows = dict(zip((text(e) for e in doc.find("dt")), (text(e) for e in doc.find("dd"))))
    assert rows["Title"] == meta["title"]
    assert rows["Subtitle"] == meta["subtitle"]
    assert rows["Authors"] == " and ".join(meta["authors"])
    assert rows["Publisher"] == meta["publisher"]
    assert rows["Licence"] == meta["license"]
    assert rows["Accessed"] == "unknown — " + meta["accessed_note"]
    assert rows["URL"] == meta["url"]
    links = [e["attrs"]["href"] for e in doc.find("a") if e["article"] and re.match(r"^[a-z]+:", e["attrs"]["href"])]
    assert meta["url"] in links  # the citation header's link, exactly the front matter's URL
    assert all(href == meta["url"] or href.startswith(meta["url"] + "#:~:text=") for href in links), links
    assert text(doc.find("title")[0]) == meta["title"] + " - China–Russia Research Dossier"
    assert text(doc.find("h1")[0]) == meta["title"]
    home = tree(hostile, "index.html")
    cells = [norm(text(e)) for e in home.find("td")]
    assert norm(" and ".join(meta["authors"]) + ": " + meta["title"]) in cells
    assert norm(meta["publisher"]) in cells


def test_topic_and_related_lines_show_text_literally(hostile):
    meta, _ = fixture_parts("hostile-text")
    everything = set(passage_texts(tree(hostile, "sources/hostile-text.html"))
                     + passage_texts(tree(hostile, "sources/hostile-markdown.html")))
    topics = [tree(hostile, rel) for rel in topic_pages(hostile, "trade")]
    shown = [t for topic in topics for t in passage_texts(topic)]
    assert any("<script>" in t for t in shown)
    assert set(shown) <= everything
    headings = [text(h) for topic in topics for h in topic.find("h2")]
    assert f"{meta['authors'][0]}: {meta['title']}" in headings
    page = tree(hostile, "sources/hostile-markdown.html")
    related = [text(a) for p in page.find("p", "passage-related") for a in page.find("a") if a["parent"] is p]
    assert related and all(re.fullmatch(re.escape(meta["authors"][0]) + r" ¶\d+", r) for r in related), related


def test_previews_show_the_linked_passages_literally(hostile):
    """Each link to a passage names a preview on its own page holding that passage's text exactly, and nothing else."""
    data = json.loads((hostile.site_dir / "dossier.json").read_text(encoding="utf-8"))
    texts = {p["id"]: p["text"] for p in data["passages"]}
    for rel in [f"sources/{s}.html" for s in SOURCES] + ["debates/hostile-scripts.html", "topics/trade.html"]:
        doc = tree(hostile, rel)
        previews = {e["attrs"]["id"]: e for e in doc.find("div", "passage-preview")}
        links = doc.find("a", "passage-link")
        assert links, rel
        for a in links:
            shown = previews[a["attrs"]["aria-describedby"]]
            body = [e for e in doc.elements if e["parent"] is shown and "passage-preview__head" not in e["attrs"]["class"]]
            whole = texts[a["attrs"]["aria-describedby"].removeprefix("pv-")]
            assert len(body) == 1, rel
            more = [c for c in children(doc, body[0]) if c["attrs"].get("class") == "passage-preview__more"]
            assert children(doc, body[0]) == more and len(more) <= 1, rel  # no element but ours
            # The passage whole, or (a long one) its start, to a word's end, and our "…".
            shown_text = text(body[0])
            assert shown_text == whole if not more else (shown_text.endswith(" …") and whole.startswith(shown_text[:-2])), (rel, a["attrs"])
        assert any("<script>" in text(e) for e in previews.values()), rel
        assert active_content(doc) == [], rel


def test_debate_pages_show_ledger_text_literally(hostile):
    ledger = yaml.safe_load((HOSTILE / "claims.yaml").read_text(encoding="utf-8"))["debates"]
    data = json.loads((hostile.site_dir / "dossier.json").read_text(encoding="utf-8"))
    index = tree(hostile, "debates/index.html")
    links = [text(a) for a in index.find("a") if a["article"]]
    for debate in ledger:
        doc = tree(hostile, f"debates/{debate['id']}.html")
        assert text(doc.find("h1")[0]) == debate["question"]
        assert debate["question"] in links
        stances = [text(e) for e in doc.find("p", "debate-stance")]
        quotes = [e for e in doc.find("p") if e["parent"] and "debate-quote" in e["parent"]["attrs"].get("class", "")]
        exact = [pos["quote"] for c in data["claims"] if c["id"] == debate["id"] for pos in c["positions"]]
        assert [text(e) for e in quotes] == exact  # the passage's own span, line breaks included
        assert all(e["pairs"] == [] and children(doc, e) == [] for e in quotes), debate["id"]
        for position, shown in zip(debate["positions"], exact):
            assert norm(position["stance"]) in map(norm, stances)
            assert norm(position["quote"]) == norm(shown)
    page = tree(hostile, "sources/hostile-text.html")
    debate_lines = [norm(text(e)) for e in page.find("p", "passage-debate")]
    assert any(norm(ledger[0]["question"]) in line for line in debate_lines)


def test_figures_page_shows_text_literally(hostile):
    docs = [tree(hostile, p.relative_to(hostile.site_dir).as_posix())
            for p in [hostile.site_dir / "figures.html", *sorted((hostile.site_dir / "figures").rglob("*.html"))]]
    assert all(active_content(doc) == [] for doc in docs)
    cells = " ".join(norm(text(e)) for doc in docs for e in doc.find("td"))
    assert "$240 billion" in cells
    assert "<script>alert('fig')</script>" in cells or "[$5 billion](javascript:alert('fig'))" in cells


def test_search_index_and_json_files_are_inert(hostile):
    results = [r for r in fragments(hostile.site_dir)
               if (r["meta"].get("target") or r["url"]).lstrip("/").startswith(("sources/hostile", "debates/hostile"))]
    assert {r["filters"]["kind"][0] for r in results} == {"passage", "source", "debate"}
    # Pagefind drops markup from what it indexes: the payloads are there whole, so they reached it as text. The
    # search box shows index text as text nodes (the browser test below).
    shown = [" ".join(r["content"].split()) for r in results] + [r["meta"].get("section", "") for r in results]
    assert any('with <script>alert("p1")</script> and <img src=x onerror=alert(\'p1\')>' in s for s in shown)
    assert any("{: onclick=alert('attr') #p1 .evil }" in s for s in shown)
    data = json.loads((hostile.site_dir / "dossier.json").read_text(encoding="utf-8"))
    _, body = fixture_parts("hostile-text")
    for p in data["passages"]:
        if p["source"] == "hostile-text":
            assert p["text"] in body
    meta, _ = fixture_parts("hostile-text")
    assert data["sources"][1]["title"] == meta["title"]
    json.loads((hostile.site_dir / "tags.json").read_text(encoding="utf-8"))


def test_unshowable_characters_in_metadata_are_refused(tmp_path):
    """A `\\x7f` or a lone surrogate escape in a title would break the page's front matter or the write."""
    from build_dossier.errors import DossierError

    project = copy_project(tmp_path, sources=False)
    for path in sorted(HOSTILE.iterdir()):
        shutil.copy2(path, project.sources_dir / path.name)
    target = project.sources_dir / "hostile-markdown.md"
    target.write_text(target.read_text(encoding="utf-8").replace('title: "Markdown', 'title: "Mark\\x7fdown')
                      .replace('- "Trent', '- "Tr\\ud800ent'), encoding="utf-8")
    with pytest.raises(DossierError) as err:
        build(project)
    message = str(err.value)
    assert "sources/hostile-markdown.md:3 [title]: contains U+007F, a control character, at position 5." in message
    assert "sources/hostile-markdown.md:4 [authors]: list item" in message and "U+D800, a lone surrogate" in message
    assert not project.site_dir.exists()


# --- any lines, through `add` and `build` (hypothesis) ---------------------------------------------

SYNTAX = ("{: onclick=alert(1) }", "{: #__search .md-search }", "{#pwned}", "{.evil}", "{: class=evil }", "{:", "}",
          "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<b onclick=alert(1)>", "</p>", "</div>",
          '<div markdown="1">', "<p>", "<!--", "-->", "<![CDATA[", "&amp;", "&lt;b&gt;", "&#60;", "&#x3C;", "&", ";",
          "\\", "\\*", "|", "| a | b |", "| --- |", "#", "## ", "-", "- ", "* ", "+ ", "1. ", "2) ", ">", "> ",
          "    ", "\t", "  ", "`", "```", "~~~", "***", "---", "===", "[x](javascript:alert(1))", "![i](x.png)",
          "[x]: javascript:alert(1)", "<javascript:alert(1)>", "<https://example.org>", "**", "__", "_", "~~", "==",
          "{{ config }}", "{% raw %}", "$x$", "^", "[TOC]", "<!-- material/tags -->", "[^1]", "*[HTML]: x", "\u00a0",
          "\u2028", "\u202e", "\u200b", "\ufeff", "e\u0301", "中文", "😀", "sanctions", "oil exports", "Russia")
"""Pieces of Markdown, attr_list, HTML, entities and odd characters that lines are built from."""
PROSE = ("Trade between China and Russia grew quickly after 2022, as sanctions closed Western markets to Russian oil "
         "and gas and Chinese firms took the place of European suppliers.",
         "Military cooperation has deepened too: joint exercises and patrols are more frequent, although Russia "
         "still withholds some of its most advanced weapons from its partner.")
"""Running text, so that each generated source reads as an article."""
piece = st.one_of(st.sampled_from(SYNTAX),
                  st.text(st.characters(exclude_categories=("Cs", "Cc"), include_characters="\t"), max_size=10))
"""Any character but a control character other than tab (those are refused when a source is read)."""
any_line = st.lists(piece, min_size=1, max_size=8).map("".join)
any_paragraph = st.lists(any_line, min_size=1, max_size=4).map("\n".join)
ANY_ARTICLE = st.lists(any_paragraph, min_size=3, max_size=14).map(lambda ps: "\n\n".join((*PROSE, *ps)) + "\n")
"""Many paragraphs to one article, so that each (slow) build checks many; not shrunk on failure (each step is a
build), so a failure reports the whole article."""


def in_order(texts: list[str], body: str) -> bool:
    """Each text occurs in `body`, after the one before it."""
    at = 0
    for t in texts:
        at = body.find(t, at)
        if at < 0:
            return False
        at += len(t)
    return True


@settings(max_examples=12, deadline=None, derandomize=True, database=None, phases=(Phase.explicit, Phase.generate),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(ANY_ARTICLE)
def test_any_lines_added_and_built_are_shown_as_text(article):
    """Whatever the lines of an article, each passage on the built pages is its source span, as text, and nothing else.

    The article goes in as a `.txt` and as a `.md` through `build-dossier add`, then `build-dossier build --strict`.
    """
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp) / "dossier", sources=False)
        runner = CliRunner()
        for suffix, sid in ((".txt", "any-text"), (".md", "any-markdown")):
            path = Path(tmp) / f"article{suffix}"
            path.write_text(article, encoding="utf-8")
            result = runner.invoke(main, ["add", "-p", str(project.root), str(path), "--id", sid, "--title",
                                          f"Any lines {suffix}", "--author", "Jane Doe", "--publisher", "Example Review",
                                          "--date", "2024-05-01"])
            assert result.exit_code == 0, result.output
        result = runner.invoke(main, ["build", "--strict", "-p", str(project.root)])
        assert result.exit_code == 0, result.output
        data = json.loads((project.site_dir / "dossier.json").read_text(encoding="utf-8"))
        for sid in ("any-text", "any-markdown"):
            source, problems = read_source(project.sources_dir / f"{sid}.md", project.root)
            assert source is not None, problems
            if sid == "any-text":
                assert source.body == article.strip("\n") + "\n"  # a text file is kept as it is
            texts = [p["text"] for p in data["passages"] if p["source"] == sid]
            assert texts and in_order(texts, source.body)
            doc = tree(project, f"sources/{sid}.html")
            assert_passages_exact(doc, texts, PASSAGE_ATTRS, sid)
            headings = [e for e in doc.find("h2") if e["attrs"].get("id", "").startswith("sec-")]
            assert all(list(e["attrs"]) == ["id"] and children(doc, e) == [] for e in headings), sid
            assert in_order([text(e) for e in headings], source.body), sid
            assert active_content(doc) == [], sid
            ids = [e["attrs"]["id"] for e in doc.elements if e["article"] and "id" in e["attrs"]]
            assert all(re.fullmatch(r"p\d+|pv-[a-z0-9-]+-p\d+", i) or SECTION_ID.fullmatch(i) for i in ids), sid
        for topic in TOPICS:
            docs = [tree(project, rel) for rel in topic_pages(project, topic)]
            assert [t for doc in docs for t in passage_texts(doc)] == [
                p["text"] for p in data["passages"] if topic in p["topics"]], topic
            for doc in docs:
                assert_passages_exact(doc, passage_texts(doc), TOPIC_PASSAGE_ATTRS, topic)
                assert active_content(doc) == [], topic
        for rel in ("index.html", "reports/cleaning.html", "figures.html", "figures/other.html", "cite.html"):
            assert active_content(tree(project, rel)) == [], rel


# --- in a real browser -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def served(hostile):
    with serve(hostile.site_dir) as base:
        yield base


COUNT_ACTIVE = """() => {
  const all = [...document.querySelectorAll('*')];
  return {
    handlers: all.filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
    jsLinks: all.filter(e => ['href', 'src', 'action', 'formaction'].some(
        n => (e.getAttribute(n) || '').replace(/\\s/g, '').toLowerCase().startsWith('javascript:'))).length,
    injected: document.querySelectorAll('article script, article img, article iframe, article form, '
        + 'article style, article object, article embed, article input, .evil, [id^=pwned]').length,
  };
}"""


RECORD_RUNS = """window.__ran = [];
for (const name of ['alert', 'confirm', 'prompt']) window[name] = m => { window.__ran.push(name + ': ' + m); };"""
"""Init script: every payload calls alert(); this records the call (the flag) instead of opening a dialog."""

PROVOKE = """() => {
  document.addEventListener('click', e => e.preventDefault(), true);  // no navigation; handlers still run
  const content = [...document.querySelectorAll('.md-content *')].filter(e => e.tagName !== 'BUTTON');
  for (const el of content)
    for (const type of ['click', 'dblclick', 'mouseover', 'mouseenter', 'focus', 'toggle', 'load', 'error'])
      el.dispatchEvent(new Event(type, {bubbles: type !== 'mouseenter'}));
  return window.__ran;
}"""
"""Fire every event an injected handler could wait for at every element of the page content."""


def test_hostile_pages_run_nothing_in_a_browser(served, page):
    page.add_init_script(RECORD_RUNS)
    for rel in ("sources/hostile-text.html", "sources/hostile-markdown.html", "topics/trade.html", "topics/trade/1.html",
                "debates/hostile-scripts.html", "debates/hostile-bidi.html", "debates/hostile-wrap.html", "index.html",
                "reports/cleaning.html"):
        page.goto(served + rel)
        page.wait_for_load_state("load")
        assert page.evaluate(PROVOKE) == [], rel
        assert page.evaluate(COUNT_ACTIVE) == {"handlers": 0, "jsLinks": 0, "injected": 0}, rel
    # The attribute-list lines are shown as text, where the reader sees them.
    page.goto(served + "sources/hostile-text.html")
    for line in ("{: onclick=alert('wrap') #pwned-wrap .evil }", "{: #__search .md-search }"):
        expect(page.locator("p.passage-text", has_text=line)).to_be_visible()
    # Search results show index text: it must stay text there too.
    page.goto(served + "index.html")
    page.locator("#dossier-search-input").click()
    page.locator("#dossier-search-input").press_sequentially("exports")
    page.wait_for_selector(done("exports"), state="attached", timeout=15_000)
    assert page.evaluate(COUNT_ACTIVE)["handlers"] == 0
    results = page.locator(".dossier-search__results")
    assert results.locator("script, img, iframe").count() == 0
    assert "Trade <script>alert('long')</script> sanctions" in results.inner_text()
    assert page.evaluate("window.__ran") == []
