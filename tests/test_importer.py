"""`build-dossier add`: each input format, metadata rules, errors, and a real build with the new source."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from build_dossier.analyse.clean import clean
from build_dossier.analyse.segment import segment
from build_dossier.authoring.importer import Given, add, derive_id
from build_dossier.cli import main
from build_dossier.errors import DossierError
from build_dossier.ingest.load import read_source
from build_dossier.ids import SLUG_RE
from build_dossier.pipeline import build
from support import DATA, copy_project, fragments, page

IMPORT = DATA / "import"
PAGE = IMPORT / "meridian-article.html"
TXT = IMPORT / "arctic-energy-note.txt"
MD_FRONT = IMPORT / "kessler-front-matter.md"
MD_PLAIN = IMPORT / "sokolova-no-front-matter.md"
TODAY = "2025-03-01"
CHROME = ("cookies", "Accept all", "Manage preferences", "Home", "Podcasts", "Subscribe", "Search the Review",
          "Share on", "Meridian Brief", "inbox every Friday", "Sign up", "unsubscribe", "Related analysis",
          "Arctic Ambitions", "Central Asia Between Two Giants", "About us", "Privacy policy", "All rights reserved",
          "senior fellow", "Chinese customs data", "Topics:")


def imported(sources: Path, path: Path, **given) -> tuple:
    """Add `path`, then read the written file back with the build's own reader and segmenter."""
    result = add(sources, path, Given(**given), TODAY)
    source, problems = read_source(result.path, sources.parent)
    assert source is not None and not problems, problems
    return result, source, segment(clean(source))


def article_blocks(path: Path) -> tuple[list[str], list[str]]:
    """An independent reading of the fixture: (headings, paragraphs and list items) of its article body."""
    tree = lxml_html.fromstring(path.read_bytes())
    body = tree.xpath('//div[@class="article-body"]')[0]
    headings = [" ".join(h.text_content().split()) for h in body.xpath("./h2")]
    texts = [" ".join(e.text_content().split()) for e in body.xpath("./p | ./ul/li")]
    return headings, texts


def test_saved_page_gives_article_text_and_metadata(tmp_path):
    result, source, seg = imported(tmp_path / "sources", PAGE)
    assert result.id == "marsh-meridian-policy-review-2024"
    assert source.title == "Comrades of Convenience: What Holds the China–Russia Partnership Together"
    assert source.authors == ("Helena Marsh",)
    assert source.publisher == "Meridian Policy Review"
    assert source.date == "2024-11-18"
    assert source.url == "https://www.meridianpolicyreview.example/analysis/2024/11/comrades-of-convenience"
    assert source.license is None and source.note("license") == "No licence is stated in the saved page."
    assert source.accessed == TODAY and source.format == "markdown"
    headings, texts = article_blocks(PAGE)
    assert [s.title for s in seg.sections] == headings
    assert [p.text for p in seg.passages] == texts
    assert [p.kind for p in seg.passages].count("bullet") == 3
    assert not seg.cleaned.removed
    for chrome in CHROME:
        assert chrome not in source.body, chrome
    assert source.title not in source.body  # the headline is metadata, not a section


def test_text_file_is_kept_as_it_is(tmp_path):
    result, source, seg = imported(tmp_path / "sources", TXT, authors=("Irina Volkova",),
                                   publisher="Baltic Energy Monitor")
    assert result.id == "volkova-baltic-energy-monitor"
    assert source.body == TXT.read_text(encoding="utf-8")
    assert source.format == "text"
    assert source.title is None and source.note("title") == "The title is not stated in the text file."
    assert source.date is None and source.note("date") == "The publication date is not stated in the text file."
    assert [s.title for s in seg.sections] == ["Leverage in the Arctic"]
    paragraphs = [" ".join(block.split()) for block in TXT.read_text(encoding="utf-8").split("\n\n")]
    expected = [t for t in paragraphs if t != "Leverage in the Arctic" and not t.startswith("- ")]
    assert [" ".join(p.text.split()) for p in seg.passages if p.kind == "paragraph"] == expected
    assert [p.text for p in seg.passages if p.kind == "bullet"] == [
        line[2:] for line in TXT.read_text(encoding="utf-8").splitlines() if line.startswith("- ")]
    assert any("title is unknown" in n and "--title" in n for n in result.notices)


def test_markdown_with_front_matter(tmp_path):
    result, source, seg = imported(tmp_path / "sources", MD_FRONT)
    assert result.id == "kessler-northbridge-security-forum-2024"
    assert source.title == "Arms, Engines and Trust: The Quiet Limits of China–Russia Military Cooperation"
    assert source.authors == ("Anna Kessler", "Rui Tanaka")
    assert source.publisher == "Northbridge Security Forum"
    assert source.date == "2024-06-03"  # `published: 2024-06-03T08:00:00Z`
    assert source.url == "https://northbridge-forum.example/papers/arms-engines-trust"
    assert source.format == "markdown"
    assert [s.title for s in seg.sections] == ["From customer to competitor", "Exercises without integration"]
    assert [p.kind for p in seg.passages] == ["paragraph", "paragraph", "paragraph", "bullet", "bullet", "bullet", "paragraph"]
    assert seg.passages[3].text == "aircraft engines for heavy fighters and transport planes;"
    assert "# Arms, Engines" not in source.body
    assert any("tags" in n for n in result.notices)
    origins = {key: origin for key, _, origin in result.values}
    assert origins["title"] == origins["authors"] == "the front matter"


def test_markdown_without_front_matter_takes_title_from_first_heading(tmp_path):
    result, source, seg = imported(tmp_path / "sources", MD_PLAIN, authors=("Daria Sokolova",),
                                   publisher="Eurasia Finance Letter", date="2024-09-12")
    assert result.id == "sokolova-eurasia-finance-letter-2024"
    assert source.title == "Payments Without the Dollar: How Moscow and Beijing Settle Their Trade"
    assert dict((k, o) for k, _, o in result.values)["title"] == "its first heading"
    assert [s.title for s in seg.sections] == ["The banks that say no", "Limits of the alternative"]
    assert len(seg.passages) == 3 and seg.passages[0].text.startswith("Since 2022, China and Russia")


def test_markdown_markup_leaves_its_text_not_its_syntax(tmp_path):
    clipped = tmp_path / "clipped.md"
    clipped.write_text(
        "---\nid: clipped-note-2024\ntitle: Clipped\nauthors: [A Person]\npublisher: P\ndate: 2024-01-02\n---\n"
        "Moscow's **oil** exports to [China](https://example.org/china \"China\") rose, as *Reuters* reported;\n"
        "the line is hard-wrapped here. ![chart](chart.png)\n\n"
        "1. Gas &amp; coal\n2. Arms `S-400`\n\n> A quoted sentence from an official.\n\n"
        "| Year | Trade |\n| --- | --- |\n| 2023 | $240bn |\n", encoding="utf-8")
    result, source, seg = imported(tmp_path / "sources", clipped)
    assert result.id == "clipped-note-2024"
    assert dict((k, o) for k, _, o in result.values)["id"] == "the front matter"
    assert [(p.kind, p.text) for p in seg.passages] == [
        ("paragraph", "Moscow's oil exports to China rose, as Reuters reported; the line is hard-wrapped here."),
        ("bullet", "Gas & coal"), ("bullet", "Arms S-400"),
        ("paragraph", "A quoted sentence from an official."),
        ("bullet", "Year | Trade"), ("bullet", "2023 | $240bn")]


def test_options_override_what_the_page_states(tmp_path):
    result, source, _ = imported(tmp_path / "sources", PAGE, id="marsh-2024", title="Comrades of Convenience",
                                 authors=("Helena Marsh", "Meridian Institute"), publisher="Meridian Institute",
                                 date="2024-11-19", url="https://example.org/a", license="CC BY 4.0",
                                 accessed="2025-01-02")
    assert (source.id, source.title, source.authors, source.publisher, source.date, source.url, source.license,
            source.accessed) == ("marsh-2024", "Comrades of Convenience", ("Helena Marsh", "Meridian Institute"),
                                 "Meridian Institute", "2024-11-19", "https://example.org/a", "CC BY 4.0", "2025-01-02")
    assert {k: o for k, _, o in result.values} == {
        "id": "--id", "title": "--title", "authors": "--author", "publisher": "--publisher", "date": "--date",
        "url": "--url", "license": "--license", "accessed": "--accessed"}
    assert not source.notes


@pytest.mark.parametrize("authors, publisher, title, date, taken, expected", [
    (("Alexander Gabuev",), "Foreign Affairs", None, "2024-04-09", set(), "gabuev-foreign-affairs-2024"),
    (("Bobo Lo",), "Center for European Policy Analysis (CEPA)", None, None, set(), "lo-cepa"),
    (("Council on Foreign Relations (CFR)",), "Council on Foreign Relations (CFR)", "Backgrounder: China-Russia",
     "2025-01-01", set(), "cfr-backgrounder-china-russia-2025"),
    (("Helena Marsh",), "Meridian Policy Review", None, "2024-11-18", {"marsh-meridian-policy-review-2024"},
     "marsh-meridian-policy-review-2024-2"),
    (("Helena Marsh",), "Meridian Policy Review", None, "2024-11-18",
     {"marsh-meridian-policy-review-2024", "marsh-meridian-policy-review-2024-2"}, "marsh-meridian-policy-review-2024-3"),
    (("Émilie Lefèvre-Dubois",), "Le Monde diplomatique", None, "2023-02-01", set(), "lefevre-dubois-le-monde-diplomatique-2023"),
    (("王伟",), "人民日报", None, None, set(), "source"),
])
def test_derived_ids(authors, publisher, title, date, taken, expected):
    assert derive_id(authors, publisher, title, date, taken) == expected
    assert SLUG_RE.fullmatch(expected)


def test_refuses_to_overwrite_an_existing_source(tmp_path):
    sources = tmp_path / "sources"
    first = add(sources, PAGE, Given(), TODAY)
    before = first.path.read_bytes()
    with pytest.raises(DossierError) as err:
        add(sources, MD_FRONT, Given(id=first.id), TODAY)
    assert f"sources/{first.id}.md already exists; add never overwrites a source." in str(err.value)
    with pytest.raises(DossierError) as err:  # the same page again, under a derived id
        add(sources, PAGE, Given(), TODAY)
    assert f"already in the dossier: sources/{first.id}.md has the same url" in str(err.value)
    assert first.path.read_bytes() == before
    assert sorted(p.name for p in sources.iterdir()) == [f"{first.id}.md"]


def test_missing_metadata_is_named_with_its_option(tmp_path):
    sources = tmp_path / "sources"
    with pytest.raises(DossierError) as err:
        add(sources, TXT, Given(), TODAY)
    text = str(err.value)
    assert "2 problems found" in text
    assert "[authors]: authors are unknown: the text file does not name them. Fix: pass --author NAME" in text
    assert "[publisher]: publisher is unknown: the text file does not name it. Fix: pass --publisher NAME." in text
    assert not sources.exists()


def test_page_naming_only_its_address_has_no_publisher(tmp_path):
    """Without og:site_name the title's site part names the publisher; without that, and with a copyright line
    naming no holder, the page names only its address: no publisher is guessed from it."""
    saved = tmp_path / "page.html"
    text = PAGE.read_text(encoding="utf-8").replace('<meta property="og:site_name" content="Meridian Policy Review">', "")
    saved.write_text(text, encoding="utf-8")
    result, source, _ = imported(tmp_path / "titled", saved)
    assert source.publisher == "Meridian Policy Review"
    assert dict((k, o) for k, _, o in result.values)["publisher"] == "the site part of the page's title"
    saved.write_text(text.replace(" | Meridian Policy Review</title>", "</title>")
                     .replace("© 2024 Meridian Institute. All rights reserved.", "All rights reserved."), encoding="utf-8")
    with pytest.raises(DossierError) as err:
        add(tmp_path / "sources", saved, Given(), TODAY)
    assert ("publisher is unknown: the page names only its web address (meridianpolicyreview.example). "
            "Fix: pass --publisher NAME.") in str(err.value)
    result = add(tmp_path / "sources", saved, Given(publisher="Meridian Policy Review"), TODAY)
    assert result.id == "marsh-meridian-policy-review-2024"


def test_unknown_date_is_null_with_a_note_never_guessed(tmp_path):
    saved = tmp_path / "page.html"
    text = PAGE.read_text(encoding="utf-8")
    for tag in ('<meta property="article:published_time" content="2024-11-18T09:30:00+00:00">',
                '<time datetime="2024-11-18">November 18, 2024</time>'):
        text = text.replace(tag, "")
    saved.write_text(text, encoding="utf-8")  # the URL still holds /2024/11/: not a publication date
    result, source, _ = imported(tmp_path / "sources", saved)
    assert source.date is None
    assert source.note("date") == "The publication date is not stated in the saved page."
    assert result.id == "marsh-meridian-policy-review"


@pytest.mark.parametrize("note, accessed", [
    ("<!-- saved from url=(0043)https://www.meridianpolicyreview.example/a/b -->", TODAY),
    ("<!--\n Page saved with SingleFile \n url: https://www.meridianpolicyreview.example/a/b \n saved date: "
     "Tue Jan 07 2025 10:12:41 GMT+0100 (Central European Standard Time)\n-->", "2025-01-07"),
])
def test_saved_page_notes_give_address_and_capture_day(tmp_path, note, accessed):
    saved = tmp_path / "page.html"
    text = PAGE.read_text(encoding="utf-8").replace("<!DOCTYPE html>", "<!DOCTYPE html>\n" + note)
    for tag in ('<meta property="og:url" content="https://www.meridianpolicyreview.example/analysis/2024/11/comrades-of-convenience">',
                '<link rel="canonical" href="https://www.meridianpolicyreview.example/analysis/2024/11/comrades-of-convenience">'):
        text = text.replace(tag, "")
    saved.write_text(text, encoding="utf-8")
    result, source, _ = imported(tmp_path / "sources", saved)
    assert (source.url, source.accessed) == ("https://www.meridianpolicyreview.example/a/b", accessed)
    assert "saved from" in dict((k, o) for k, _, o in result.values)["url"]


def test_invalid_option_values_name_the_option(tmp_path):
    with pytest.raises(DossierError) as err:
        add(tmp_path / "sources", PAGE, Given(id="Not An Id", date="18 Nov 2024", url="www.example.org"), TODAY)
    text = str(err.value)
    assert "3 problems found" in text
    assert "[id]: id (from --id): 'Not An Id' is not a valid id." in text
    assert "[date]: date (from --date): '18 Nov 2024' is not an ISO date." in text
    assert "[url]: url (from --url): 'www.example.org' is not an http(s) URL." in text
    assert not (tmp_path / "sources").exists()


def test_encodings(tmp_path):
    sources = tmp_path / "sources"
    words = "Moscow’s leverage over Beijing has shrunk — and both capitals know it.\n"
    cp1252 = tmp_path / "cp1252.txt"
    cp1252.write_bytes(words.encode("cp1252"))
    with pytest.raises(DossierError) as err:
        add(sources, cp1252, Given(authors=("A Person",), publisher="P"), TODAY)
    assert ("cp1252.txt:1: the file is not valid UTF-8: byte 0x92 at offset 6 cannot be decoded. "
            "Fix: re-save it as UTF-8, or pass --encoding NAME") in str(err.value)
    _, source, _ = imported(sources, cp1252, authors=("A Person",), publisher="P", encoding="cp1252")
    assert source.body == words
    for name, data in (("bom8.txt", codecs.BOM_UTF8 + words.encode("utf-8")),
                       ("bom16.txt", codecs.BOM_UTF16_LE + words.encode("utf-16-le")),
                       ("crlf.txt", words.replace("\n", "\r\n").encode("utf-8"))):
        (tmp_path / name).write_bytes(data)
        _, source, _ = imported(sources, tmp_path / name, authors=("A Person",), publisher=name)
        assert source.body == words, name
    declared = tmp_path / "latin.html"
    declared.write_bytes(PAGE.read_text(encoding="utf-8").replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
                         .replace("China–Russia", "China-Russia").replace("“", '"').replace("”", '"')
                         .replace("·", "-").replace("›", ">").replace("©", "(c)").encode("cp1252"))
    _, source, _ = imported(sources, declared, id="declared-charset")
    assert "to come to the other’s aid" in source.body


@pytest.mark.parametrize("name, data, message", [
    ("empty.txt", b"", "empty.txt: the file is empty."),
    ("blank.md", b" \n\n\t\n", "blank.md: the file is empty."),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary.txt: the file contains NUL characters: it is not text"),
    ("article.pdf", b"%PDF-1.7", "'.pdf' is not a format add can read."),
    ("nav.html", b"<html><body><nav><a href='/'>Home</a> <a href='/about'>About</a></nav></body></html>",
     "nav.html: no article text was found in the page."),
    ("broken.md", b"---\ntitle: [unclosed\n---\ntext\n", "broken.md:3: invalid YAML"),
    ("weird.html", b"<html><head><meta charset='no-such-charset'></head><body><p>x</p></body></html>",
     "weird.html:1: the page declares the charset 'no-such-charset', which is not an encoding web pages can be written in."),
])
def test_unreadable_input_is_a_clear_error(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DossierError) as err:
        add(tmp_path / "sources", path, Given(authors=("A Person",), publisher="P"), TODAY)
    assert message in str(err.value)
    assert not (tmp_path / "sources").exists()


def test_add_command_prints_what_to_do_next(tmp_path):
    project = copy_project(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["add", "--project", str(project.root), str(PAGE), "--accessed", TODAY])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Wrote sources/marsh-meridian-policy-review-2024.md: 13 passages, 4 headings.")
    assert "build-dossier suggest marsh-meridian-policy-review-2024" in result.output
    assert "build-dossier build" in result.output
    result = runner.invoke(main, ["add", "--project", str(project.root), str(TXT)])
    assert result.exit_code == 1
    assert "publisher is unknown" in result.output and "--publisher" in result.output


# ---------------------------------------------------------------- real builds with the new sources

ADDED = {
    "marsh-meridian-policy-review-2024": [str(PAGE)],
    "volkova-baltic-energy-monitor": [str(TXT), "--author", "Irina Volkova", "--publisher", "Baltic Energy Monitor"],
    "kessler-northbridge-security-forum-2024": [str(MD_FRONT)],
    "sokolova-eurasia-finance-letter-2024": [str(MD_PLAIN), "--author", "Daria Sokolova", "--publisher",
                                             "Eurasia Finance Letter", "--date", "2024-09-12"],
}


@pytest.fixture(scope="module")
def added(tmp_path_factory):
    """The seed project plus the four fixtures, each added with one command, then built for real."""
    project = copy_project(tmp_path_factory.mktemp("added"))
    for sid, args in ADDED.items():
        result = CliRunner().invoke(main, ["add", "--project", str(project.root), *args, "--accessed", TODAY])
        assert result.exit_code == 0, result.output
        assert (project.sources_dir / f"{sid}.md").exists()
    build(project, strict=True)
    return project


@pytest.fixture(scope="module")
def added_data(added) -> dict:
    return json.loads((added.site_dir / "dossier.json").read_text(encoding="utf-8"))


def test_new_sources_get_pages_passages_and_topics(added, added_data):
    for sid in ADDED:
        passages = [p for p in added_data["passages"] if p["source"] == sid]
        assert passages and [p["n"] for p in passages] == list(range(1, len(passages) + 1))
        assert any(p["topics"] for p in passages), sid
        ids = page(added, f"sources/{sid}.html").ids
        assert all(f"p{p['n']}" in ids for p in passages)
    marsh = [p for p in added_data["passages"] if p["source"] == "marsh-meridian-policy-review-2024"]
    assert [p["text"] for p in marsh] == article_blocks(PAGE)[1]
    assert {t for p in marsh for t in p["topics"]} == {"trade", "military", "diplomacy", "outlook"}
    text = " ".join(p["text"] for p in marsh)
    for chrome in CHROME:
        assert chrome not in text, chrome
    source = next(s for s in added_data["sources"] if s["id"] == "marsh-meridian-policy-review-2024")
    assert (source["authors"], source["publisher"], source["date"]) == (["Helena Marsh"], "Meridian Policy Review", "2024-11-18")


def test_new_sources_are_searchable_and_on_topic_pages(added, added_data):
    entries = {r["meta"].get("target"): r["content"] for r in fragments(added.site_dir)}
    for sid in ADDED:
        for p in (p for p in added_data["passages"] if p["source"] == sid):
            assert " ".join(p["text"].split()) == " ".join(entries[p["url"]].split()), p["id"]
        for topic in {t for p in added_data["passages"] if p["source"] == sid for t in p["topics"]}:
            topic_page = page(added, f"topics/{topic}.html")
            assert f"src-{sid}" in topic_page.ids
            on_topic = [p for p in added_data["passages"] if p["source"] == sid and topic in p["topics"]]
            assert sum(1 for h in topic_page.hrefs if h.startswith(f"../sources/{sid}.html#p")) >= len(on_topic)
            assert {h for h in topic_page.hrefs if h.startswith(f"../sources/{sid}.html#p")} == {
                f"../sources/{sid}.html#p{p['n']}" for p in on_topic}  # its timeline links only passages on the topic


def test_adding_sources_changes_no_existing_passage(built, added, added_data):
    """Stability: every passage of the seed build keeps its id, URL, text, section and topics."""
    before = json.loads((built.site_dir / "dossier.json").read_text(encoding="utf-8"))
    after = {p["id"]: p for p in added_data["passages"]}
    keys = ("id", "source", "n", "kind", "section", "text", "topics", "url")
    for p in before["passages"]:
        assert {k: after[p["id"]][k] for k in keys} == {k: p[k] for k in keys}, p["id"]
    old_sources = {s["id"]: s for s in before["sources"]}
    for s in added_data["sources"]:
        if s["id"] in old_sources:
            assert s == old_sources[s["id"]]
    assert added_data["claims"] == before["claims"]
    for rel in ("sources/gabuev-foreign-affairs-2024.html", "sources/lo-cepa-2024.html"):
        # Not the navigation's ids (it lists the sources) nor the previews' (of related passages in the new ones).
        ids = [sorted(i for i in page(site, rel).ids if not i.startswith(("__nav", "pv-"))) for site in (built, added)]
        assert ids[0] == ids[1]
    assert len(added_data["passages"]) == len(before["passages"]) + sum(
        1 for p in added_data["passages"] if p["source"] in ADDED)


def test_new_sources_take_part_in_related_links(added_data):
    links = [link for link in added_data["links"] if link["kind"] == "related"]
    for sid in ADDED:
        assert any(link["from"].startswith(sid + "-p") for link in links), sid
        assert any(link["to"].startswith(sid + "-p") for link in links), sid



def test_new_sources_numbers_join_the_figures_page(added, added_data):
    """The saved page's trade total joins the bilateral-trade measure, linked to its passage."""
    sid = "marsh-meridian-policy-review-2024"
    mine = [f for f in added_data["figures"] if f["passage"].startswith(sid + "-p")]
    trade = [(f["text"], f["year"]) for f in mine if f["measure"] == "bilateral-trade"]
    assert trade == [("roughly $240 billion", 2023), ("about $147 billion", 2021)], mine
    figures = page(added, "figures/bilateral-trade.html")  # the measure's page
    passage = next(f["passage"] for f in mine if f["measure"] == "bilateral-trade")
    n = passage.rsplit("-p", 1)[1]
    assert f"../sources/{sid}.html#p{n}" in figures.hrefs
