"""Permanence: the passage lock names every passage whose text changed, moved or went away."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from build_dossier.cli import main
from build_dossier.ingest import lock
from build_dossier.pipeline import Project, build, gather, lock_drift
from support import ROOT, copy_project

LO = "lo-cepa-2024"
EDIT = ("Putin thrives on disorder and conflict.", "Putin thrives on chaos and conflict.")
"""An edit of a passage no debate quotes (so the ledger stays valid)."""
BEGAN = "(it began “On the other hand, Russian President Vladimir Putin…”)"


DOE = ("---\nid: doe-example-2024\ntitle: An Example\nauthors:\n  - Jane Doe\npublisher: Example Review\n"
       "date: 2024-05-01\nurl: null\nurl_note: none\nlicense: null\nlicense_note: none\naccessed: 2024-05-02\n---\n"
       "China and Russia signed a paper on trade.\n\nIt changed nothing at all.\n")


@pytest.fixture()
def project(tmp_path) -> Project:
    return copy_project(tmp_path / "p")


def passage_with(project: Project, source: str, words: str) -> int:
    dossier, _ = gather(project)
    return next(p.n for p in dossier.passages() if p.source == source and words in p.text)


def messages(project: Project) -> list[str]:
    dossier, _ = gather(project)
    return [p.message for p in lock_drift(project, dossier)]


def test_committed_lock_matches_the_sources():
    """The lock in the repository is current: no passage address has changed since it was written."""
    project = Project(ROOT)
    locked, problems = lock.read(project.lock_file, "sources/passages.lock")
    assert problems == [] and locked is not None
    dossier, _ = gather(project)
    assert locked == lock.current(dossier)
    assert project.lock_file.read_text(encoding="utf-8") == lock.dump(locked)  # as the code writes it


def test_unchanged_sources_give_no_warning(project):
    assert messages(project) == []
    result = CliRunner().invoke(main, ["check", "--strict", "--project", str(project.root)])
    assert result.exit_code == 0, result.output
    assert "may be stale" not in result.output


def test_an_edited_paragraph_is_named(project):
    n = passage_with(project, LO, EDIT[0])
    path = project.sources_dir / f"{LO}.md"
    path.write_text(path.read_text(encoding="utf-8").replace(*EDIT), encoding="utf-8")
    assert messages(project) == [f"¶{n} of {LO} changed: citations to it may be stale {BEGAN}."]
    runner = CliRunner()
    result = runner.invoke(main, ["check", "--project", str(project.root)])
    assert result.exit_code == 0
    assert (f"warning: sources/passages.lock [{LO}-p{n}]: ¶{n} of {LO} changed: citations to it may be stale"
            in result.output)
    assert "run `build-dossier lock` to accept it" in result.output
    result = runner.invoke(main, ["check", "--strict", "--project", str(project.root)])
    assert result.exit_code == 1 and "1 problem found:" in result.output
    # Accepting the edit rewrites the lock; then all is quiet.
    result = runner.invoke(main, ["lock", "--project", str(project.root)])
    assert result.exit_code == 0 and "(1 changes accepted)" in result.output, result.output
    assert messages(project) == []


def test_an_inserted_paragraph_names_every_moved_passage(project):
    n = passage_with(project, LO, EDIT[0])
    dossier, _ = gather(project)
    total = sum(1 for p in dossier.passages() if p.source == LO)
    path = project.sources_dir / f"{LO}.md"
    text = path.read_text(encoding="utf-8")
    line = next(li for li in text.splitlines() if EDIT[0] in li)
    path.write_text(text.replace(line, "- A bullet the editor inserted, which moves all that follows.\n" + line),
                    encoding="utf-8")
    expected = [f"¶{k} of {LO} now reads as ¶{k + 1}: citations to ¶{k} may be stale." for k in range(n, total + 1)]
    assert messages(project) == expected


def test_a_removed_paragraph_is_named_and_later_ones_moved(project):
    n = passage_with(project, LO, EDIT[0])
    path = project.sources_dir / f"{LO}.md"
    text = path.read_text(encoding="utf-8")
    line = next(li for li in text.splitlines() if EDIT[0] in li)
    path.write_text(text.replace(line + "\n", ""), encoding="utf-8")
    found = messages(project)
    assert found[0] == f"¶{n} of {LO} was removed: citations to it may be stale {BEGAN}."
    assert found[1] == f"¶{n + 1} of {LO} now reads as ¶{n}: citations to ¶{n + 1} may be stale."


def test_build_adds_new_sources_and_keeps_known_entries(project):
    project.lock_file.unlink()
    build(project)  # a missing lock is written
    first = project.lock_file.read_text(encoding="utf-8")
    assert first == (ROOT / "sources" / "passages.lock").read_text(encoding="utf-8")
    # A new source is added to the lock; an edited one keeps its old fingerprints (and warns).
    (project.sources_dir / "doe-example-2024.md").write_text(DOE, encoding="utf-8")
    path = project.sources_dir / f"{LO}.md"
    path.write_text(path.read_text(encoding="utf-8").replace(*EDIT), encoding="utf-8")
    build(project)
    locked, _ = lock.read(project.lock_file, "sources/passages.lock")
    assert [f.opening for f in locked["doe-example-2024"]] == ["China and Russia signed a paper on trade.",
                                                               "It changed nothing at all."]
    assert {k: v for k, v in locked.items() if k != "doe-example-2024"} == lock.read(
        ROOT / "sources" / "passages.lock", "")[0]
    with pytest.raises(Exception, match="changed: citations to it may be stale"):
        build(project, strict=True)


def test_a_missing_source_and_a_malformed_lock(project):
    (project.sources_dir / "doe-example-2024.md").write_text(DOE, encoding="utf-8")
    assert CliRunner().invoke(main, ["lock", "--project", str(project.root)]).exit_code == 0
    (project.sources_dir / "doe-example-2024.md").unlink()
    assert messages(project) == ["doe-example-2024 is in the lock but no longer in sources/: citations to its "
                                 "2 passages may be stale."]
    project.lock_file.write_text("format: build-dossier-lock/1\nsources:\n  x:\n    - {n: 2, sha256: abc}\n",
                                 encoding="utf-8")
    dossier, _ = gather(project)
    [problem] = lock_drift(project, dossier)
    assert str(problem).startswith("error: sources/passages.lock [sources.x[0]]: malformed entry")
    assert "run `build-dossier lock`" in problem.fix
    project.lock_file.write_text("sources: [\n", encoding="utf-8")
    [problem] = lock_drift(project, dossier)
    assert problem.severity == "error" and "cannot be read" in problem.message


def test_dump_is_deterministic_and_reads_back(tmp_path):
    # A digest of digits only, and one like `1e5…`, would be read back as numbers if not quoted.
    a = {"b-src": (lock.Fingerprint(1, "0" * 64, 'He said "no" — twice'), lock.Fingerprint(2, "1e5" + "0" * 61, "x")),
         "a-src": ()}
    text = lock.dump(a)
    assert text == lock.dump(dict(reversed(list(a.items()))))
    assert text.index("a-src") < text.index("b-src")
    path = tmp_path / "passages.lock"
    path.write_text(text, encoding="utf-8")
    assert lock.read(path, "x") == (a, [])


@pytest.mark.parametrize("sid", ["true", "no", "null", "010"])
def test_ids_yaml_would_read_as_other_types_survive_the_lock(project, sid):
    (project.sources_dir / f"{sid}.md").write_text(DOE.replace("id: doe-example-2024", f'id: "{sid}"'), encoding="utf-8")
    build(project, strict=True)
    locked, problems = lock.read(project.lock_file, "sources/passages.lock")
    assert problems == [] and sid in locked
    assert messages(project) == []
    build(project, strict=True)  # and the next strict build still passes


def test_a_lock_past_the_inputs_limit_reads_back_and_one_past_its_own_is_refused(tmp_path, monkeypatch):
    """The lock of 3,000 sources is 12.6 MB: over the 8 MB every input may have, so the lock has a limit of its own
    (a second build of 3,000 sources refused the lock the first had written)."""
    from build_dossier.ingest.readfile import MAX_BYTES

    opening = "China and Russia signed a paper on trade " * 5  # long openings: fewer entries to reach 8 MB
    prints = tuple(lock.Fingerprint(n, f"{n:064x}", opening) for n in range(1, 30_001))
    text = lock.dump({"big-src": prints})
    assert len(text.encode("utf-8")) > MAX_BYTES
    path = tmp_path / "passages.lock"
    path.write_text(text, encoding="utf-8")
    assert lock.read(path, "x") == ({"big-src": prints}, [])
    monkeypatch.setattr(lock, "LOCK_MAX_BYTES", MAX_BYTES)
    found, problems = lock.read(path, "x")
    assert found is None and "over the 8 MB limit" in problems[0].message
