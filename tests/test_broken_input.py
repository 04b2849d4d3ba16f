"""Broken input: one clear message per problem (file, line, key, fix), all in one run, nothing lost.

Single-file cases of source front matter are in test_load.py; this file adds repeated keys, the
alias bomb, the ledgers (claims.yaml, topic-overrides.yaml), and the whole CLI run with a dozen
broken files at once.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from build_dossier.analyse.claims import load_claims
from build_dossier.analyse.tag import load_overrides
from build_dossier.cli import main
from build_dossier.ingest.load import read_source
from support import ROOT, copy_project, digest
from support import GOOD


ALIAS_BOMB = """---
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
---
text
"""


def good(sid: str) -> str:
    return GOOD.format(id=sid)


def messages(tmp_path, name: str, data: bytes | str) -> list[str]:
    path = tmp_path / "sources" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    _, problems = read_source(path, tmp_path)
    return [str(p) for p in problems]


def test_repeated_key_is_an_error_naming_both_lines(tmp_path):
    text = good("a").replace('title: "A title"\n', 'title: "A title"\nsubtitle: x\ntitle: "Another"\n')
    assert messages(tmp_path, "a.md", text) == [
        "error: sources/a.md:5 [title]: the key 'title' appears twice in the same mapping (first on line 3). "
        "Fix: keep one of the two and delete the other."]


def test_alias_bomb_is_refused_at_once(tmp_path):
    """Refused at the first alias (line 3), before anything is expanded (its time: benchmarks/run.py)."""
    found = messages(tmp_path, "a.md", ALIAS_BOMB)
    assert found == ["error: sources/a.md:3: YAML aliases (*name) are not allowed here. "
                     "Fix: write the value out in full instead of referring to an anchor."]


def test_a_20_mb_source_is_refused_without_being_read(tmp_path):
    path = tmp_path / "sources" / "big.md"
    path.parent.mkdir()
    with path.open("wb") as out:
        out.write(good("big").encode())
        out.truncate(20 * 1024 * 1024)
    _, problems = read_source(path, tmp_path)
    assert [str(p) for p in problems] == [
        "error: sources/big.md: the file is 21.0 MB, over the 8 MB limit for one source. "
        "Fix: split the text or remove what is not the article."]


LEDGER = """debates:
  - id: one
    question: "Is it so?"
    topics: [trade]
    positions:
      - source: a
        stance: "yes"
        quote: "First paragraph"
      - source: b
        stance: "also yes"
        quote: "First paragraph"
        relations: {a: agrees}
"""


@pytest.mark.parametrize("data, expected", [
    (b"\xef\xbb\xbf" + LEDGER.encode(), "error: sources/claims.yaml:1: the file starts with a byte-order mark (BOM). "
                                        "Fix: save it as UTF-8 without BOM."),
    (LEDGER.encode().replace(b"Is it", b"Is \xe9t"), "error: sources/claims.yaml:3: the file is not valid UTF-8 "
                                                      "(byte 0xe9 at offset 39). Fix: re-save it as UTF-8."),
    (LEDGER.replace("\n", "\r\n").encode(), "error: sources/claims.yaml:1: the file has CR (Windows or old Mac) line "
                                            "ends. Fix: convert it to LF line ends (e.g. `dos2unix`)."),
    (LEDGER.replace("  - id: one\n", "  - id: one\n    id: two\n").encode(),
     "error: sources/claims.yaml:3 [debates[0].id]: the key 'id' appears twice in the same mapping (first on line 2)."),
    (LEDGER.replace("topics: [trade]", "topics: 7").encode(),
     "error: sources/claims.yaml:4 [debates[0].topics]: expected a non-empty list, got 7."),
    (LEDGER.replace('    question: "Is it so?"\n', "").encode(),
     "error: sources/claims.yaml:2 [debates[0].question]: required key 'question' is missing."),
    (LEDGER.replace("topics: [trade]", "topics: [trade]\n    topcs: [x]").encode(),
     "warning: sources/claims.yaml:5 [debates[0].topcs]: unknown key 'topcs'. Fix: did you mean 'topics'?"),
    (LEDGER.replace("  - id: one\n", "  - &d\n    id: one\n") + "  - *d\n",
     "error: sources/claims.yaml:14: YAML aliases (*name) are not allowed here."),
])
def test_ledger_files_are_read_as_strictly_as_sources(tmp_path, data, expected):
    from build_dossier.ingest.load import load_sources

    for sid in ("a", "b"):
        messages(tmp_path, f"{sid}.md", good(sid))
    path = tmp_path / "sources" / "claims.yaml"
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    sources, _ = load_sources(tmp_path / "sources", tmp_path)
    from build_dossier.analyse.clean import clean
    from build_dossier.analyse.segment import segment
    passages = tuple(p for s in sources for p in segment(clean(s)).passages)
    _, problems = load_claims(tmp_path / "sources", tmp_path, passages)
    found = [str(p) for p in problems]
    assert len(found) == 1 and found[0].startswith(expected), found


def test_topic_overrides_file_is_read_the_same_way(tmp_path):
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "topic-overrides.yaml").write_bytes(b"overrides:\n  - passage: a-p1\n    reason: \x96\n")
    overrides, problems = load_overrides(tmp_path / "sources", tmp_path)
    assert overrides == {}
    assert [str(p) for p in problems] == [
        "error: sources/topic-overrides.yaml:3: the file is not valid UTF-8 (byte 0x96 at offset 41). "
        "Fix: re-save it as UTF-8."]


# --- the whole run -----------------------------------------------------------------------------------

BROKEN: dict[str, tuple[bytes | str, str]] = {
    # file name: (content, what the message must say)
    "bad-yaml.md": (good("bad-yaml").replace('title: "A title"', "title: [unclosed"),
                    "sources/bad-yaml.md:4: invalid YAML: expected ',' or ']', but got ':'."),
    "missing-key.md": (good("missing-key").replace("publisher: Example Press\n", ""),
                       "sources/missing-key.md [publisher]: required key 'publisher' is missing. Fix: add `publisher:"),
    "unknown-key.md": (good("unknown-key").replace("publisher:", "publsher: X\npublisher:"),
                       "warning: sources/unknown-key.md:5 [publsher]: unknown key 'publsher'. Fix: did you mean 'publisher'?"),
    "wrong-type.md": (good("wrong-type").replace("authors: [Jane Doe]", "authors: {name: Jane}"),
                      "sources/wrong-type.md:4 [authors]: expected a non-empty list, got {'name': 'Jane'}. Fix: write e.g."),
    "repeated-key.md": (good("repeated-key").replace("date: 2024-01-02", "date: 2024-01-02\ndate: 2024-01-03"),
                        "sources/repeated-key.md:7 [date]: the key 'date' appears twice in the same mapping (first on line 6)."),
    "wrong-id.md": (good("other-id"), "sources/wrong-id.md:2 [id]: id 'other-id' does not match the file name 'wrong-id.md'."),
    "latin1.md": (good("latin1").encode().replace(b"First", b"Caf\xe9 first"),
                  "sources/latin1.md:13: the file is not valid UTF-8 (byte 0xe9 at offset"),
    "bom.md": (b"\xef\xbb\xbf" + good("bom").encode(), "sources/bom.md:1: the file starts with a byte-order mark (BOM)."),
    "crlf.md": (good("crlf").replace("\n", "\r\n").encode(), "sources/crlf.md:1: the file has CR (Windows or old Mac) line ends."),
    "empty.md": (b"", "sources/empty.md: the file is empty. Fix: add front matter"),
    "huge.md": (None, "sources/huge.md: the file is 21.0 MB, over the 8 MB limit for one source."),
    "alias-bomb.md": (ALIAS_BOMB, "sources/alias-bomb.md:3: YAML aliases (*name) are not allowed here."),
}


def test_every_broken_file_is_named_in_one_run_and_nothing_is_lost(tmp_path):
    project = copy_project(tmp_path / "p")
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--project", str(project.root)]).exit_code == 0
    before = digest(project.site_dir), digest(project.docs_dir)
    for name, (content, _) in BROKEN.items():
        path = project.sources_dir / name
        if content is None:
            with path.open("wb") as out:
                out.write(good("huge").encode())
                out.truncate(20 * 1024 * 1024)
        else:
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    ledger = project.sources_dir / "claims.yaml"
    text = ledger.read_text(encoding="utf-8")
    first = text[text.index("  - id: allies"):text.index("  - id: strength-of-ties")]
    ledger.write_text(text + first, encoding="utf-8")  # the same debate id twice
    line = text.count("\n") + 1

    result = runner.invoke(main, ["build", "--project", str(project.root)])
    assert result.exit_code == 1, result.output
    for name, (_, expected) in BROKEN.items():
        assert expected in result.output, (name, result.output)
        assert result.output.count(f"sources/{name}") == 1, name  # one message per file
    assert f"error: sources/claims.yaml:{line} [debates[52].id]: duplicate debate id 'allies' (also debates[0])." in result.output
    assert f"{len(BROKEN) + 1} problems found:" in result.output
    assert (digest(project.site_dir), digest(project.docs_dir)) == before
    assert not list(project.root.glob(".dossier-tmp-*"))

    # --strict: the unknown key alone stops the build too.
    for name in BROKEN:
        if name != "unknown-key.md":
            (project.sources_dir / name).unlink()
    ledger.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["build", "--strict", "--project", str(project.root)])
    assert result.exit_code == 1 and "1 problem found:" in result.output
    assert "warning: sources/unknown-key.md:5 [publsher]: unknown key 'publsher'." in result.output
    assert (digest(project.site_dir), digest(project.docs_dir)) == before


def test_a_warning_alone_is_printed_and_the_build_goes_on(tmp_path):
    project = copy_project(tmp_path / "p")
    (project.sources_dir / "unknown-key.md").write_text(BROKEN["unknown-key.md"][0], encoding="utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    run = subprocess.run([sys.executable, "-m", "build_dossier", "build", "--project", str(project.root)],
                         capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert run.returncode == 0, run.stderr
    assert BROKEN["unknown-key.md"][1] in run.stderr
    assert (project.site_dir / "sources" / "unknown-key.html").is_file()
