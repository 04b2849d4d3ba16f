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
from html.parser import HTMLParser

import pytest
import yaml

from build_dossier.build import Project, build
from build_dossier.load import split_front_matter
from build_dossier.model import TOPICS
from conftest import DATA, copy_project, serve

HOSTILE = DATA / "hostile"
SOURCES = ("hostile-markdown", "hostile-text")
URL_ATTRS = ("href", "src", "action", "formaction", "data", "poster", "xlink:href", "srcset", "background", "cite")
SOURCE_TAGS = {"script", "img", "iframe", "form", "input", "style", "object", "embed", "marquee", "textarea",
               "base", "link", "meta", "math", "frame", "frameset"}
"""Elements the fixtures try to create that no page content of ours has. (Others they try, `b`, `details`,
`svg`, are checked against what the same kind of page holds in a build of the real articles.)"""
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
        if "pwned" in attrs.get("id", "") or "evil" in attrs.get("class", ""):
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
    assert "<script>" in meta["title"] and "{:" in meta["title"] and "javascript:" in meta["title"]
    assert len(meta["subtitle"]) >= 50_000 and "onerror" in meta["subtitle"]
    assert "onmouseover" in meta["authors"][0] and "<iframe" in meta["publisher"]
    md_meta, md_body = fixture_parts("hostile-markdown")
    assert md_meta["format"] == "markdown" and "## Sanctions {: onclick" in md_body
    claims = yaml.safe_load((HOSTILE / "claims.yaml").read_text(encoding="utf-8"))
    assert "<script>" in claims["debates"][0]["question"] and "\u202e" in claims["debates"][1]["question"]


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
    """Kind of page -> the elements its content (<article>) holds."""
    out: dict[str, set[str]] = {}
    for path in sorted(project.site_dir.rglob("*.html")):
        rel = path.relative_to(project.site_dir).as_posix()
        out.setdefault(kind(rel), set()).update(e["tag"] for e in tree(project, rel).elements if e["article"])
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


def test_generated_pages_have_only_our_ids(hostile):
    sources = set(SOURCES)
    ours = re.compile(r"^(p\d+|sec-[a-z0-9-]+|src-(" + "|".join(SOURCES) + r")|" + "|".join(SOURCES + TOPICS)
                      + r"|debates|sources|citations|topics|most-contested-questions|chinarussia-research-dossier)$")
    for rel in [f"sources/{s}.html" for s in sources] + [f"topics/{t}.html" for t in TOPICS] + [
            "index.html", "debates/index.html", "debates/hostile-scripts.html", "debates/hostile-bidi.html",
            "reports/cleaning.html"]:
        for el in tree(hostile, rel).elements:
            i = el["attrs"].get("id")
            if i is None or i.startswith("__") or (not el["article"] and el["tag"] in ("input", "label", "nav", "div")):
                continue
            assert ours.match(i), (rel, i)


def passage_texts(doc: Tree) -> list[str]:
    return [text(e) for e in doc.find("p", "passage-text")]


def test_source_text_appears_literally(hostile):
    """Every line of the text-format fixture is a passage or a heading, character for character."""
    _, body = fixture_parts("hostile-text")
    doc = tree(hostile, "sources/hostile-text.html")
    shown = passage_texts(doc) + [text(h) for h in doc.find("h2")]
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
    topic = tree(hostile, "topics/trade.html")
    shown = passage_texts(topic)
    assert any("<script>" in t for t in shown)
    assert set(shown) <= everything
    headings = [text(h) for h in topic.find("h2")]
    assert f"{meta['authors'][0]}: {meta['title']}" in headings
    page = tree(hostile, "sources/hostile-markdown.html")
    related = [text(a) for p in page.find("p", "passage-related") for a in page.find("a") if a["parent"] is p]
    assert related and all(re.fullmatch(re.escape(meta["authors"][0]) + r" ¶\d+", r) for r in related), related


def test_debate_pages_show_ledger_text_literally(hostile):
    ledger = yaml.safe_load((HOSTILE / "claims.yaml").read_text(encoding="utf-8"))["debates"]
    index = tree(hostile, "debates/index.html")
    links = [text(a) for a in index.find("a") if a["article"]]
    for debate in ledger:
        doc = tree(hostile, f"debates/{debate['id']}.html")
        assert text(doc.find("h1")[0]) == debate["question"]
        assert debate["question"] in links
        stances = [text(e) for e in doc.find("p", "debate-stance")]
        quotes = [text(e) for e in doc.find("p") if e["parent"] and "debate-quote" in e["parent"]["attrs"].get("class", "")]
        for position in debate["positions"]:
            assert norm(position["stance"]) in map(norm, stances)
            assert position["quote"] in quotes
    page = tree(hostile, "sources/hostile-text.html")
    debate_lines = [norm(text(e)) for e in page.find("p", "passage-debate")]
    assert any(norm(ledger[0]["question"]) in line for line in debate_lines)


def test_figures_page_shows_text_literally(hostile):
    doc = tree(hostile, "figures.html")
    assert active_content(doc) == []
    cells = " ".join(norm(text(e)) for e in doc.find("td"))
    assert "$240 billion" in cells
    assert "<script>alert('fig')</script>" in cells or "[$5 billion](javascript:alert('fig'))" in cells


def test_search_index_and_json_files_are_inert(hostile):
    index = json.loads((hostile.site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = [d for d in index["docs"] if d["location"].startswith(("sources/hostile", "debates/hostile", "topics/"))]
    assert docs
    shown = []
    for d in docs:
        # Material's search shows title and text as HTML: parse them as a browser would.
        for field in ("title", "text"):
            fragment = Tree(d[field])
            assert active_content(fragment, content_only=True) == [], (d["location"], field)
            shown.append("".join(fragment.chunks))
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


def test_hostile_pages_run_nothing_in_a_browser(served, page):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for rel in ("sources/hostile-text.html", "sources/hostile-markdown.html", "topics/trade.html",
                "debates/hostile-scripts.html", "debates/hostile-bidi.html", "index.html", "reports/cleaning.html"):
        page.goto(served + rel)
        page.wait_for_load_state("load")
        assert page.evaluate(COUNT_ACTIVE) == {"handlers": 0, "jsLinks": 0, "injected": 0}, rel
    # Search results render index text as HTML: it must stay text there too.
    page.goto(served + "index.html")
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").press_sequentially("exports")
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    assert page.evaluate(COUNT_ACTIVE)["handlers"] == 0
    assert page.locator(".md-search-result script, .md-search-result img, .md-search-result iframe").count() == 0
    assert "Trade <script>alert('long')</script> sanctions" in page.locator(".md-search-result").inner_text()
    assert dialogs == []
