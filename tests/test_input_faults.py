"""Hostile or unusual input through the command line: one clear problem each, exit 1, never a traceback.

Each case once ended in a traceback or a hang: non-text charsets, deeply nested Markdown, numbers where
ids belong, dates MkDocs cannot store, a folder without mkdocs.yml, a bad site_url, named pipes and
folders where files belong, and control characters in a source's text.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml
from click.testing import CliRunner

from build_dossier.authoring.capture import MAX_NESTING
from build_dossier.cli import main
from build_dossier.pipeline import build
from support import DATA, ROOT, Page, copy_project
from support import GOOD

TEXT = DATA / "import" / "arctic-energy-note.txt"
PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="{charset}">
<title>Gas and Power</title></head>
<body><article><h1>Gas and Power</h1><p>Russia and China signed another memorandum on gas this week.</p></article></body></html>
"""


def fails(*args: str, env: dict | None = None) -> list[str]:
    """Run the CLI; it must exit 1 with no traceback. Its problem lines, without indentation."""
    result = CliRunner().invoke(main, list(args), env=env)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return [line.strip() for line in result.output.splitlines() if line.startswith(("  error", "  warning"))]


def fails_in_subprocess(*args: str, env: dict | None = None) -> list[str]:
    """The same in a fresh process (for what hangs, or fails on import); a hang fails the test after a minute."""
    run = subprocess.run([sys.executable, "-m", "build_dossier", *args], capture_output=True, text=True, timeout=60,
                         env=dict(os.environ, NO_MKDOCS_2_WARNING="1", **(env or {})), cwd=ROOT)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    return [line.strip() for line in run.stderr.splitlines() if line.startswith(("  error", "  warning"))]


# ---------------------------------------------------------------- a. encodings that are not text encodings

@pytest.mark.parametrize("charset", ["rot13", "hex", "punycode", "base64"])
def test_a_page_declaring_a_non_text_charset_is_refused(tmp_path, charset):
    project = copy_project(tmp_path / "p")
    page = tmp_path / "page.html"
    page.write_text(PAGE.format(charset=charset), encoding="ascii")
    assert fails("add", "-p", str(project.root), str(page), "--author", "A", "--publisher", "P") == [
        f"error: {page}:3: the page declares the charset '{charset}', which is not an encoding web pages can be "
        "written in. Fix: pass --encoding NAME with the page's real encoding (most pages are utf-8), "
        "or correct its <meta charset>."]


@pytest.mark.parametrize("name, message", [
    ("base64", "'base64' (given with --encoding) is not a text encoding but a transformation such as base64 or rot13. "
               "Fix: pass --encoding with the file's text encoding, e.g. utf-8 or cp1252."),
    ("rot13", "'rot13' (given with --encoding) is not a text encoding but a transformation such as base64 or rot13. "
              "Fix: pass --encoding with the file's text encoding, e.g. utf-8 or cp1252."),
    ("no-such-codec", "the text encoding 'no-such-codec' (given with --encoding) is not known. "
                      "Fix: pass --encoding with a Python codec name, e.g. utf-8 or cp1252."),
    ("punycode", "the file is not valid punycode (given with --encoding): Invalid extended code point ' '. "
                 "Fix: re-save it as UTF-8, or pass --encoding NAME (e.g. --encoding cp1252) if you know its encoding."),
])
def test_an_encoding_option_that_is_not_a_text_encoding_is_refused(tmp_path, name, message):
    project = copy_project(tmp_path)
    assert fails("add", "-p", str(project.root), str(TEXT), "--author", "A", "--publisher", "P",
                 "--encoding", name) == [f"error: {TEXT}: {message}"]


def test_a_page_declared_in_a_web_label_is_read_as_browsers_read_it(tmp_path):
    """`latin1` in a page means windows-1252 to a browser (the WHATWG Encoding Standard): “ and ” survive."""
    project = copy_project(tmp_path / "p")
    page = tmp_path / "page.html"
    text = "".join(f"<p>“Gas” was the word of week {week}, as Russia and China signed memorandum number {week} on "
                   "supplies through Mongolia; neither side named a price, and the pipeline stayed on paper.</p>"
                   for week in range(1, 8))
    page.write_bytes(PAGE.format(charset="latin1").replace("</article>", text + "</article>").encode("cp1252"))
    result = CliRunner().invoke(main, ["add", "-p", str(project.root), str(page), "--author", "A", "--publisher", "P",
                                       "--id", "latin"])
    assert result.exit_code == 0, result.output
    assert "“Gas” was the word" in (project.sources_dir / "latin.md").read_text(encoding="utf-8")


# ---------------------------------------------------------------- b. deeply nested Markdown

@pytest.mark.parametrize("line, depth", [
    ("- " * 3000 + "text", 3000),
    (">" * 3000 + " text", 3000),
    ("> - " * 1500 + "text", 3000),
])
def test_deeply_nested_markdown_is_refused_before_it_is_rendered(tmp_path, line, depth):
    project = copy_project(tmp_path / "p")
    md = tmp_path / "deep.md"
    md.write_text("# A title\n\nA first paragraph.\n\n" + line + "\n", encoding="utf-8")
    assert fails("add", "-p", str(project.root), str(md), "--author", "A", "--publisher", "P") == [
        f"error: {md}:5: the Markdown is nested {depth} levels deep (lists, quotes and indentation), more than the "
        f"{MAX_NESTING} levels add reads. Fix: flatten the lists and quotes of that line (an article nests a few "
        "levels), or add the text as a .txt file, which is kept as it is."]


def test_nesting_by_indentation_counts_four_columns_a_level(tmp_path):
    project = copy_project(tmp_path / "p")
    md = tmp_path / "indented.md"
    md.write_text("---\ntitle: Indented\n---\nA first paragraph.\n\n"
                  + "".join("    " * i + "- item\n" for i in range(MAX_NESTING + 1)), encoding="utf-8")
    assert fails("add", "-p", str(project.root), str(md), "--author", "A", "--publisher", "P")[0].startswith(
        f"error: {md}:{6 + MAX_NESTING}: the Markdown is nested {MAX_NESTING + 1} levels deep")


@pytest.mark.parametrize("body", [
    "- " * MAX_NESTING + "text\n",
    ">" * MAX_NESTING + " text\n",
    "".join("    " * i + "- item\n" for i in range(MAX_NESTING)),
    "".join(">" * i + " quote\n" for i in range(1, MAX_NESTING + 1)),
])
def test_nesting_up_to_the_limit_is_imported(tmp_path, body):
    project = copy_project(tmp_path / "p")
    md = tmp_path / "nested.md"
    md.write_text("# Nested but fine\n\nA first paragraph.\n\n" + body, encoding="utf-8")
    result = CliRunner().invoke(main, ["add", "-p", str(project.root), str(md), "--author", "A", "--publisher", "P"])
    assert result.exit_code == 0, result.output


# ---------------------------------------------------------------- c. numbers where ids belong

LEDGER = """debates:
  - id: allies
    question: "Are China and Russia allies?"
    topics: [diplomacy]
    positions:
      - source: {first}
        stance: "aligned axis, no formal alliance"
        quote: "Moscow and Beijing do not want to sign a formal military alliance"
      - source: lo-cepa-2024
        stance: "no alliance"
        quote: "this is no alliance, but an unsentimental great-power relationship"
        relations:
          {key}: qualifies
"""


def test_numbers_where_source_and_passage_ids_belong(tmp_path):
    project = copy_project(tmp_path)
    (project.sources_dir / "claims.yaml").write_text(LEDGER.format(first=2024, key=1950), encoding="utf-8")
    (project.sources_dir / "topic-overrides.yaml").write_text(
        "overrides:\n  - passage: 12\n    topics: [trade]\n    reason: a number\n", encoding="utf-8")
    assert fails("check", "-p", str(project.root)) == [
        "error: sources/topic-overrides.yaml:2 [overrides[0].passage]: expected text, got the number 12. Fix: write it "
        'in quotes if it is meant as text (passage: "12"), or e.g. passage: lo-cepa-2024-p28.',
        "error: sources/claims.yaml:6 [debates[0].positions[0].source]: expected text, got the number 2024. "
        'Fix: write it in quotes if it is meant as text (source: "2024"), or e.g. source: lo-cepa-2024.',
        "error: sources/claims.yaml:13 [debates[0].positions[1].relations.1950]: the key 1950 is not a source id "
        '(YAML reads it as int). Fix: write the source id, in quotes if it looks like a number: "1950": agrees.',
    ]


@pytest.mark.parametrize("value", ["[a, b]", "{a: 1}", "true"])
def test_a_list_or_mapping_where_a_source_id_belongs(tmp_path, value):
    project = copy_project(tmp_path)
    ledger = LEDGER.format(first=value, key="gabuev-foreign-affairs-2024")
    (project.sources_dir / "claims.yaml").write_text(ledger, encoding="utf-8")
    shown = repr(yaml.safe_load(ledger)["debates"][0]["positions"][0]["source"])
    assert fails("check", "-p", str(project.root)) == [
        f"error: sources/claims.yaml:6 [debates[0].positions[0].source]: expected a non-empty string, got {shown}. "
        "Fix: write e.g. source: lo-cepa-2024"]


# ---------------------------------------------------------------- d. dates MkDocs cannot store

@pytest.mark.parametrize("date, lastmod", [("1965-03-01", "1970-01-01"), ("2150-06-30", "2106-02-07")])
def test_dates_outside_1970_to_2106_build_and_are_cited_as_written(tmp_path, monkeypatch, date, lastmod):
    """Only the build's own timestamp (the sitemap's) is clamped; the article's date is cited as it is.

    (MkDocs lists pages in the sitemap only with a public site address, whose absolute URLs a sitemap needs.)
    """
    monkeypatch.setenv("DOSSIER_SITE_URL", "https://dossier.example/")
    project = copy_project(tmp_path, sources=False)
    (project.sources_dir / "old.md").write_text(
        GOOD.format(id="old").replace("date: 2024-01-02", f"date: {date}").replace("---\nFirst", "format: markdown\n---\nFirst")
        + "\n## A heading\n\n" + "- " * 3000 + "a deeply nested item is only text to the build\n", encoding="utf-8")
    build(project)
    sitemap = (project.site_dir / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<lastmod>{lastmod}</lastmod>" in sitemap
    page = Page((project.site_dir / "sources" / "old.html").read_text(encoding="utf-8"))
    assert date in " ".join(page.text)
    assert "- " * 2999 + "a deeply nested item is only text to the build" in page.text  # the build nests nothing


@pytest.mark.parametrize("value", ["abc", "-5", "99999999999", ""])
def test_a_source_date_epoch_mkdocs_cannot_use_is_named(tmp_path, value):
    project = copy_project(tmp_path)
    assert fails_in_subprocess("build", "-p", str(project.root), env={"SOURCE_DATE_EPOCH": value}) == [
        f"error: environment [SOURCE_DATE_EPOCH]: {value!r} is not a build time MkDocs can use: a whole number of "
        "seconds since 1970-01-01, at most 4294967295 (2106-02-07). Fix: unset it (the build is then dated by the "
        "newest date its sources state), or set it to e.g. 1735689600."]
    assert not project.site_dir.exists()


# ---------------------------------------------------------------- e. no mkdocs.yml

@pytest.mark.parametrize("command", [["build"], ["check"], ["lock"], ["serve"], ["suggest"],
                                     ["explain", "lo-cepa-2024-p1"], ["add", str(TEXT)]])
def test_a_folder_without_mkdocs_yml_is_not_a_project(tmp_path, command):
    copy_project(tmp_path)
    (tmp_path / "mkdocs.yml").unlink()
    before = sorted(os.listdir(tmp_path / "sources"))
    assert fails(command[0], "-p", str(tmp_path), *command[1:]) == [
        f"error: mkdocs.yml: there is no mkdocs.yml in {tmp_path.resolve()}, so this is not a dossier project. "
        "Fix: run the command in the dossier's folder (the one holding mkdocs.yml and sources/), or name it with "
        "--project FOLDER."]
    assert sorted(os.listdir(tmp_path / "sources")) == before and not (tmp_path / "site").exists()


# ---------------------------------------------------------------- f. site_url

SITE_URL = "site_url: !ENV [DOSSIER_SITE_URL, null]"


@pytest.mark.parametrize("written, env, message", [
    ("site_url: 42", {}, "site_url must be an address, got int 42. Fix: write the published address, e.g. site_url: "
                         "https://OWNER.github.io/REPO/, or remove the line."),
    ("site_url: [a, b]", {}, "site_url must be an address, got list ['a', 'b']. Fix: write the published address, "
                             "e.g. site_url: https://OWNER.github.io/REPO/, or remove the line."),
    ("site_url: example.org/dossier", {}, "site_url 'example.org/dossier' is not an http(s) address (no spaces, quotes "
                                          "or angle brackets). Fix: write the published address, e.g. site_url: "
                                          "https://OWNER.github.io/REPO/, or remove the line."),
    (SITE_URL, {"DOSSIER_SITE_URL": "42"}, "site_url (from the environment variable DOSSIER_SITE_URL) must be an "
                                           "address, got int 42. Fix: set DOSSIER_SITE_URL to the published address, "
                                           "e.g. DOSSIER_SITE_URL=https://OWNER.github.io/REPO/, or unset it."),
    (SITE_URL, {"DOSSIER_SITE_URL": 'https://example.org/"><script>'},
     "site_url (from the environment variable DOSSIER_SITE_URL) 'https://example.org/\"><script>' is not an http(s) "
     "address (no spaces, quotes or angle brackets). Fix: set DOSSIER_SITE_URL to the published address, "
     "e.g. DOSSIER_SITE_URL=https://OWNER.github.io/REPO/, or unset it."),
])
def test_a_site_url_that_is_not_an_address_is_named_with_its_line(tmp_path, written, env, message):
    project = copy_project(tmp_path)
    config = project.config_file.read_text(encoding="utf-8")
    project.config_file.write_text(config.replace(SITE_URL, written), encoding="utf-8")
    line = config.splitlines().index(SITE_URL) + 1
    assert fails("build", "-p", str(project.root), env=env) == [f"error: mkdocs.yml:{line} [site_url]: {message}"]
    assert not project.site_dir.exists()


def test_config_and_source_problems_are_reported_together(tmp_path):
    project = copy_project(tmp_path)
    source = project.sources_dir / "lo-cepa-2024.md"
    source.write_text(source.read_text(encoding="utf-8").replace("publisher:", "publisher: 7\nx:"), encoding="utf-8")
    found = fails("check", "-p", str(project.root), env={"DOSSIER_SITE_URL": "nowhere", "SOURCE_DATE_EPOCH": "soon"})
    assert [p.split()[1].split(":")[0] for p in found if p.startswith("error")] == [
        "mkdocs.yml", "environment", "sources/lo-cepa-2024.md"]


# ---------------------------------------------------------------- g. named pipes and folders where files belong

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_named_pipes_and_folders_under_sources_are_refused_not_read(tmp_path):
    project = copy_project(tmp_path)
    os.mkfifo(project.sources_dir / "pipe.md")
    (project.sources_dir / "claims.yaml").unlink()
    os.mkfifo(project.sources_dir / "claims.yaml")
    (project.sources_dir / "topic-overrides.yaml").mkdir()
    (project.sources_dir / "notes.md").mkdir()
    assert fails_in_subprocess("check", "-p", str(project.root)) == [
        f"error: sources/{name}: this is {what}, not a file. Fix: remove or rename it: {name} must be a regular file."
        for name, what in (("notes.md", "a folder"), ("pipe.md", "a named pipe (FIFO)"),
                           ("topic-overrides.yaml", "a folder"), ("claims.yaml", "a named pipe (FIFO)"))]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_given_to_add_is_refused(tmp_path):
    project = copy_project(tmp_path / "p")
    os.mkfifo(tmp_path / "page.html")
    assert fails_in_subprocess("add", "-p", str(project.root), str(tmp_path / "page.html")) == [
        f"error: {tmp_path / 'page.html'}: this is a named pipe (FIFO), not a file. Fix: remove or rename it: "
        "page.html must be a regular file."]


# ---------------------------------------------------------------- h. control characters in a text

CONTROL = ("Fix: delete it: it is invisible, and would reach the page as it is (of the control characters, only tab "
           "and the line break are allowed in a text).")


def test_control_characters_in_a_source_are_named_by_line_and_column(tmp_path):
    project = copy_project(tmp_path)
    source = project.sources_dir / "lo-cepa-2024.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text + "A line with an \x1b[31mescape\x1b[0m in it.\nA clean line.\nNUL \x00 and BEL \x07.\n",
                      encoding="utf-8")
    first = text.count("\n") + 1
    assert fails("check", "-p", str(project.root)) == [
        f"error: sources/lo-cepa-2024.md:{first}: the text contains U+001B, a control character, at column 16; "
        f"1 more line has one: {first + 2}. {CONTROL}"]


def test_tabs_and_invisible_format_characters_stay_allowed(tmp_path):
    """Zero-width and bidi characters are real text (Persian, Hebrew, emoji); the pages isolate bidi runs."""
    project = copy_project(tmp_path)
    source = project.sources_dir / "lo-cepa-2024.md"
    source.write_text(source.read_text(encoding="utf-8") + "Tab\there, zero\u200bwidth, \u202eright-to-left\u202c, "
                      "\u2067isolate\u2069 and a joiner \u200d.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "-p", str(project.root)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_control_characters_in_a_file_to_add_are_named(tmp_path, suffix):
    project = copy_project(tmp_path / "p")
    path = tmp_path / f"note{suffix}"
    path.write_text("# A title\n\nRussia and China met again.\n\nA bell \x07 rang here.\n", encoding="utf-8")
    assert fails("add", "-p", str(project.root), str(path), "--author", "A", "--publisher", "P") == [
        f"error: {path}:5: the text contains U+0007, a control character, at column 8. {CONTROL}"]
