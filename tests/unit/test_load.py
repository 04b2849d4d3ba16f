"""Loading and validating source files: every problem named precisely, all in one run."""

from __future__ import annotations

import pytest

from build_dossier.errors import DossierError, fail_on
from build_dossier.ingest.load import load_sources, read_source
from support import GOOD

def write(tmp_path, name, text, mode="w"):
    (tmp_path / "sources").mkdir(exist_ok=True)
    path = tmp_path / "sources" / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def problems_for(tmp_path, text, name="a.md"):
    path = write(tmp_path, name, text)
    _, problems = read_source(path, tmp_path)
    return [str(p) for p in problems]


def test_good_source_loads(tmp_path):
    path = write(tmp_path, "a.md", GOOD.format(id="a"))
    source, problems = read_source(path, tmp_path)
    assert problems == []
    assert source.id == "a" and source.date == "2024-01-02" and source.authors == ("Jane Doe",)
    assert source.body == "First paragraph of the article, long enough to be a paragraph.\n"
    assert source.body_line == 13
    assert source.note("license") == "None stated."


@pytest.mark.parametrize("edit, expected", [
    (lambda t: t.replace("publisher: Example Press\n", ""),
     "error: sources/a.md [publisher]: required key 'publisher' is missing. Fix: add `publisher: Foreign Affairs`."),
    (lambda t: t.replace("date: 2024-01-02", "date: 2024-13-02"),
     "error: sources/a.md:6 [date]: '2024-13-02' is not an ISO date. Fix: write YYYY-MM-DD (e.g. 2024-04-09), or null with a note."),
    (lambda t: t.replace("date: 2024-01-02", "date: null"),
     "error: sources/a.md:6 [date]: 'date' is null but no 'date_note' says why. Fix: add `date_note: \"…why it is unknown…\"`."),
    (lambda t: t.replace("url: https://example.org/a", "url: javascript:alert(1)"),
     "error: sources/a.md:7 [url]: 'javascript:alert(1)' is not an http(s) URL. Fix: write the full address starting with https://, or null with a note."),
    (lambda t: t.replace("authors: [Jane Doe]", "authors: 42"),
     "error: sources/a.md:4 [authors]: expected a non-empty list, got 42. Fix: write e.g. authors: [Bobo Lo]"),
    (lambda t: t.replace("id: a", "id: B"),
     "error: sources/a.md:2 [id]: 'B' is not a valid id. Fix: use lowercase letters, digits and single hyphens, e.g. lo-cepa-2024."),
    (lambda t: t.replace("title: \"A title\"", "title: [unclosed"),
     "error: sources/a.md:4: invalid YAML: expected ',' or ']', but got ':'. Fix: check indentation, colons and quoting on that line (quote values that contain ': ' or start with a special character)."),
    (lambda t: t.replace("---\nFirst paragraph of the article, long enough to be a paragraph.\n", "---\n"),
     "error: sources/a.md:13: there is no article text after the front matter. Fix: paste the article text below the closing `---` line."),
])
def test_front_matter_errors(tmp_path, edit, expected):
    assert expected in problems_for(tmp_path, edit(GOOD.format(id="a")))


def test_unknown_key_is_a_warning_and_an_error_when_strict(tmp_path):
    text = GOOD.format(id="a").replace("publisher:", "publsher: X\npublisher:")
    path = write(tmp_path, "a.md", text)
    source, problems = read_source(path, tmp_path)
    assert source is not None
    assert [str(p) for p in problems] == [
        "warning: sources/a.md:5 [publsher]: unknown key 'publsher'. Fix: did you mean 'publisher'? valid keys: "
        "accessed, accessed_note, authors, date, date_note, format, id, license, license_note, publisher, subtitle, "
        "subtitle_note, title, title_note, url, url_note."]
    fail_on(problems)  # not fatal
    with pytest.raises(DossierError):
        fail_on(problems, strict=True)


@pytest.mark.parametrize("data, expected", [
    (b"\xef\xbb\xbf" + GOOD.format(id="a").encode(), "error: sources/a.md:1: the file starts with a byte-order mark (BOM). Fix: save it as UTF-8 without BOM."),
    (GOOD.format(id="a").encode().replace(b"First", b"F\xffirst"),
     "error: sources/a.md:13: the file is not valid UTF-8 (byte 0xff at offset"),
    (GOOD.format(id="a").replace("\n", "\r\n").encode(),
     "error: sources/a.md:1: the file has CR (Windows or old Mac) line ends. Fix: convert it to LF line ends (e.g. `dos2unix`)."),
    (b"", "error: sources/a.md: the file is empty. Fix: add front matter and the article text, or delete the file."),
    (b"no front matter\n", "error: sources/a.md:1: the file does not start with a `---` front-matter line."),
    (b"---\nid: a\n", "error: sources/a.md:1: the front matter is not closed by a `---` line. Fix: add a line `---` after the metadata."),
    (b"---\na: &x [1]\nb: *x\n---\ntext\n", "error: sources/a.md:3: YAML aliases (*name) are not allowed here."),
])
def test_unreadable_files(tmp_path, data, expected):
    found = problems_for(tmp_path, data)
    assert len(found) == 1 and found[0].startswith(expected), found


def test_oversized_file(tmp_path):
    found = problems_for(tmp_path, GOOD.format(id="a") + "x" * (21 * 1024 * 1024))
    assert found == ["error: sources/a.md: the file is 22.0 MB, over the 8 MB limit for one source. "
                     "Fix: split the text or remove what is not the article."]


def test_all_problems_in_one_run(tmp_path):
    write(tmp_path, "a.md", GOOD.format(id="a").replace("publisher: Example Press\n", ""))
    write(tmp_path, "b.md", GOOD.format(id="c"))
    write(tmp_path, "d.md", b"\xef\xbb\xbf")
    write(tmp_path, "e.md", GOOD.format(id="e"))
    sources, problems = load_sources(tmp_path / "sources", tmp_path)
    assert [s.id for s in sources] == ["e"]
    text = [str(p) for p in problems]
    assert any("sources/a.md [publisher]" in t for t in text)
    assert any("sources/b.md:2 [id]: id 'c' does not match the file name 'b.md'" in t for t in text)
    assert any("sources/d.md:1: the file starts with a byte-order mark" in t for t in text)


def test_the_id_of_the_sources_index_is_refused(tmp_path):
    found = problems_for(tmp_path, GOOD.format(id="index"), name="index.md")
    assert "error: sources/index.md:2 [id]: the id 'index' is taken by the sources index (sources/index.html). Fix: choose " \
           "another id, e.g. one with the author and year, and rename the file to match." in found
