"""Crash safety: a build cut short at any write step leaves docs/, site/ and the lock each old or new."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from build_dossier import pipeline
from build_dossier.cli import main
from build_dossier.errors import DossierError
from build_dossier.ingest import lock
from build_dossier.pipeline import Project, build
from build_dossier.publish import atomic, build_site, write
from build_dossier.publish.outputs import writing
from support import ROOT, copy_project, digest

DOE = ("---\nid: doe-example-2024\ntitle: An Example\nauthors:\n  - Jane Doe\npublisher: Example Review\n"
       "date: 2024-05-01\nurl: null\nurl_note: none\nlicense: null\nlicense_note: none\naccessed: 2024-05-02\n---\n"
       "China and Russia signed a paper on trade.\n\nIt changed nothing at all.\n")
"""A new source: the next build changes docs/, site/ and the lock."""
STEPS = ("stage_file", "_rename", "_exchange")
"""The primitives through which a build changes anything outside its private folder."""


class Crash(BaseException):
    """The process dies here (a BaseException: no handler of the build catches it)."""


def state(project: Project) -> dict[str, object]:
    """What a build writes, by output: the generated part of docs/, the hand-written part, site/, the lock."""
    docs = digest(project.docs_dir) if project.docs_dir.is_dir() else None
    return {"docs": docs and {k: v for k, v in docs.items() if write.is_generated(k)},
            "hand-written": docs and {k: v for k, v in docs.items() if not write.is_generated(k)},
            "site": digest(project.site_dir) if project.site_dir.is_dir() else None,
            "lock": hashlib.sha256(project.lock_file.read_bytes()).hexdigest()}


def assert_whole(project: Project, old: dict, new: dict) -> None:
    """Each output is entirely old or entirely new, and reads back."""
    now = state(project)
    for key in now:
        assert now[key] in (old[key], new[key]), key
    assert lock.read(project.lock_file, "")[1] == []
    assert (project.site_dir / "index.html").is_file() and (project.docs_dir / "index.md").is_file()


def leftovers(project: Project) -> list[Path]:
    return atomic.leftovers(project.root, project.sources_dir)


@pytest.fixture(scope="module")
def before(tmp_path_factory) -> Project:
    """A built project with a new source not built yet."""
    project = copy_project(tmp_path_factory.mktemp("before") / "p")
    build(project)
    (project.sources_dir / "doe-example-2024.md").write_text(DOE, encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def after(before, tmp_path_factory) -> Project:
    """The same project after its next build."""
    project = Project(tmp_path_factory.mktemp("after") / "p")
    shutil.copytree(before.root, project.root)
    build(project)
    return project


def fresh(before: Project, where: Path) -> Project:
    shutil.copytree(before.root, where)
    return Project(where)


def crash(*args) -> None:
    raise Crash


def steps(monkeypatch, at: int) -> list[str]:
    """Record the write steps (names in order); the process dies at step `at`, before it is taken."""
    seen: list[str] = []
    for name in STEPS:
        def step(*args, _name=name, _real=getattr(atomic, name)):
            seen.append(_name)
            if len(seen) == at:
                raise Crash
            return _real(*args)
        monkeypatch.setattr(atomic, name, step)
    return seen


def test_exchange_swaps_two_folders_in_one_step_on_this_file_system(tmp_path):
    """RENAME_EXCHANGE works on this file system (else the build falls back to renames)."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "A").write_text("a")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "B").write_text("b")
    atomic._exchange(tmp_path / "a", tmp_path / "b")
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["B"]
    assert [p.name for p in (tmp_path / "b").iterdir()] == ["A"]


def test_a_build_cut_short_at_every_write_step_leaves_each_output_old_or_new(before, after, tmp_path, monkeypatch):
    old, new = state(before), state(after)
    assert all(old[k] != new[k] for k in ("docs", "site", "lock"))
    k = 0
    while True:  # cut the build short at its k-th write step, for every k, until a build runs through
        k += 1
        project = fresh(before, tmp_path / str(k))
        with monkeypatch.context() as m:
            seen = steps(m, k)
            m.setattr(atomic, "discard", lambda path: None)  # a dead process cleans nothing up
            try:
                build(project)
            except Crash:
                pass
            else:
                break
        assert leftovers(project), k
        assert_whole(project, old, new)
        build(project)  # the next build cleans up and succeeds
        assert state(project) == new, k
        assert not leftovers(project), k
    # staged: the previous lock as backup, the new lock; swapped: docs/, site/; committed: backup, lock
    assert seen == ["stage_file", "stage_file", "_exchange", "_exchange", "_rename", "_rename"]


def test_a_folder_swap_cut_short_without_renameat2_is_undone(before, tmp_path, monkeypatch):
    """Where RENAME_EXCHANGE is unsupported the swap takes three renames; the next command repairs a crash between."""
    monkeypatch.setattr(atomic, "_renameat2", None)
    files = {"index.md": "# New\n", "sources/a.md": "# A\n"}
    for k in (1, 2, 3, 4):
        project = fresh(before, tmp_path / str(k))
        old = digest(project.docs_dir)
        tmp = atomic.private_dir(project.root)
        staged = write.stage_docs(files, project.docs_dir, tmp)
        new = digest(staged.path)
        with monkeypatch.context() as m:
            seen = steps(m, k)
            try:
                write.commit_docs(staged, project.docs_dir)
            except Crash:
                assert project.docs_dir.exists() == (k != 3), k  # missing between the first two renames
            else:
                assert seen == ["_exchange", "_rename", "_rename", "_rename"]
        with writing(project):
            pass
        assert digest(project.docs_dir) in (old, new), k
        assert not leftovers(project), k


def test_a_build_killed_during_its_write_step_is_finished_by_the_next(before, after, tmp_path):
    old, new = state(before), state(after)
    k = 4  # the second exchange: docs/ is swapped, site/ not yet (see the test above)
    project = fresh(before, tmp_path / "p")
    script = ("import os, signal, sys\nfrom pathlib import Path\nfrom build_dossier.publish import atomic\n"
              "from build_dossier.pipeline import Project, build\nseen = []\n"
              "def killing(name, real):\n"
              "    def step(*args):\n"
              "        seen.append(name)\n"
              f"        if len(seen) == {k}:\n"
              "            os.kill(os.getpid(), signal.SIGKILL)\n"
              "        return real(*args)\n"
              "    return step\n"
              f"for name in {STEPS!r}:\n"
              "    setattr(atomic, name, killing(name, getattr(atomic, name)))\n"
              "build(Project(Path(sys.argv[1])))\n")
    run = subprocess.run([sys.executable, "-c", script, str(project.root)], capture_output=True, text=True,
                         cwd=ROOT, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), timeout=300)
    assert run.returncode == -signal.SIGKILL, run.stderr
    now = state(project)
    assert (now["docs"], now["site"], now["lock"]) == (new["docs"], old["site"], old["lock"])
    assert_whole(project, old, new)
    assert leftovers(project)
    result = CliRunner().invoke(main, ["build", "--project", str(project.root)])
    assert result.exit_code == 0, result.output
    assert state(project) == new
    assert not leftovers(project)


@pytest.mark.parametrize("which", ["page", "lock"])
def test_a_full_disk_leaves_everything_as_it_was(before, tmp_path, monkeypatch, which):
    """The disk fills up at the first page of docs/ staged or at the lock's sibling."""
    project = fresh(before, tmp_path / "p")
    was = digest(project.root)
    real = atomic.write_new
    calls: list[Path] = []

    def full(path, data):
        lock_or_backup = path.name.startswith(atomic.TMP_PREFIX + "passages.lock")
        if not lock_or_backup:
            calls.append(path)
        if (which == "page" and len(calls) == 1 and not lock_or_backup) or (
                which == "lock" and path.name.startswith(atomic.TMP_PREFIX + "passages.lock-")):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real(path, data)

    monkeypatch.setattr(atomic, "write_new", full)
    result = CliRunner().invoke(main, ["build", "--project", str(project.root)])
    assert result.exit_code == 1
    # named as the output the file was to become, not by the private folder it was staged in
    where = "sources/passages.lock"
    if which == "page":
        where = "/".join(calls[0].relative_to(project.root).parts[1:])
        assert where.startswith("docs/")
    assert (f"error: {where}: cannot write: No space left on device (ENOSPC); docs/, site/ and sources/passages.lock "
            "were left exactly as they were. Fix: make room on the disk") in result.output
    assert isinstance(result.exception, SystemExit)  # a message, not a traceback
    assert digest(project.root) == was
    assert not leftovers(project)


def test_a_read_only_sources_folder_leaves_everything_as_it_was(before, tmp_path):
    """sources/ and its files read-only, as on a read-only mount, while the build must add to the lock."""
    project = fresh(before, tmp_path / "p")
    cmd = [sys.executable, "-m", "build_dossier", "build", "--project", str(project.root)]
    if os.geteuid() == 0:  # root writes anywhere: drop that privilege for the build
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: a read-only folder cannot be tested")
        cmd = [setpriv, "--bounding-set", "-dac_override,-dac_read_search"] + cmd
    was = digest(project.root)
    paths = [project.sources_dir, *project.sources_dir.iterdir()]
    for path in paths:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        run = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=300,
                             env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    finally:
        for path in paths:
            path.chmod(0o755 if path.is_dir() else 0o644)
    assert run.returncode == 1, run.stderr
    assert ("error: sources/passages.lock: cannot write: Permission denied (EACCES); docs/, site/ and "
            "sources/passages.lock were left exactly as they were.") in run.stderr
    assert "Traceback" not in run.stderr
    assert digest(project.root) == was
    assert not leftovers(project)


def test_a_hand_written_page_edited_during_the_build_is_kept(before, tmp_path, monkeypatch):
    project = fresh(before, tmp_path / "p")
    about = project.docs_dir / "about"
    real = build_site.run_mkdocs

    def editing(*args, **kwargs):
        saved = about / ".sources.md.swp"  # an editor saving by writing a new file and renaming it over
        saved.write_text("# Sources\n\nEdited while the build ran.\n", encoding="utf-8")
        saved.replace(about / "sources.md")
        (about / "new.md").write_text("# New\n", encoding="utf-8")
        (about / "topics.md").unlink()
        return real(*args, **kwargs)

    monkeypatch.setattr(build_site, "run_mkdocs", editing)
    build(project)
    assert (about / "sources.md").read_text(encoding="utf-8") == "# Sources\n\nEdited while the build ran.\n"
    assert (about / "new.md").read_text(encoding="utf-8") == "# New\n"
    assert not (about / "topics.md").exists()
    assert (project.docs_dir / "sources" / "doe-example-2024.md").is_file()  # and the new docs/ is in place


def test_edits_are_carried_over_after_a_crash_right_after_the_swap(before, tmp_path, monkeypatch):
    project = fresh(before, tmp_path / "p")
    page = project.docs_dir / "about" / "sources.md"
    real = build_site.run_mkdocs

    def editing(*args, **kwargs):
        page.unlink()
        page.write_text("# Sources\n\nEdited.\n", encoding="utf-8")
        return real(*args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(build_site, "run_mkdocs", editing)
        m.setattr(write, "reconcile", crash)
        m.setattr(atomic, "discard", lambda path: None)
        with pytest.raises(Crash):
            build(project)
    assert page.read_text(encoding="utf-8") != "# Sources\n\nEdited.\n"  # the edit is in the old tree, aside
    with writing(project):
        pass
    assert page.read_text(encoding="utf-8") == "# Sources\n\nEdited.\n"
    assert not leftovers(project)


def test_regenerating_unchanged_docs_touches_nothing(before, tmp_path):
    """What `serve` does on every rebuild: nothing written when nothing changed, so MkDocs' watcher stays quiet."""
    project = fresh(before, tmp_path / "p")
    pipeline.regenerate_docs(project)
    inodes = {p: os.lstat(p).st_ino for p in [project.docs_dir, *project.docs_dir.rglob("*")]}
    pipeline.regenerate_docs(project)
    assert {p: os.lstat(p).st_ino for p in [project.docs_dir, *project.docs_dir.rglob("*")]} == inodes
    assert not leftovers(project)


@pytest.mark.parametrize("damage", ["empty", "cut short"])
def test_a_damaged_lock_is_refused_and_the_fix_keeps_its_fingerprints(after, tmp_path, damage):
    project = fresh(after, tmp_path / "p")  # its last build replaced the lock, keeping the previous one as a backup
    lines = project.lock_file.read_text(encoding="utf-8").splitlines(keepends=True)
    project.lock_file.write_text("" if damage == "empty" else "".join(lines[:-4]), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["check", "--project", str(project.root)])
    assert result.exit_code == 1
    entries = sum(line.startswith("    - ") for line in lines[:-4])
    assert ("it is empty or damaged." if damage == "empty" else
            f"the lock is cut short: its closing line `passages: {entries}` (the count of the entries above it) is "
            "missing or wrong.") in result.output
    assert ("Fix: restore it from version control (`git checkout -- sources/passages.lock`), or from the copy kept "
            "when it was last replaced: `cp sources/passages.lock.bak sources/passages.lock`. Only if neither is "
            "possible, run `build-dossier lock`") in result.output
    assert "delete" not in result.output
    shutil.copy(project.sources_dir / lock.BACKUP_FILE, project.lock_file)  # the fix
    assert runner.invoke(main, ["check", "--strict", "--project", str(project.root)]).exit_code == 0
    assert project.lock_file.read_bytes() == (ROOT / "sources" / lock.LOCK_FILE).read_bytes()  # what the build replaced


@pytest.mark.parametrize("kind", ["symlink", "file"])
def test_a_site_that_is_not_a_folder_is_a_clear_error(tmp_path, kind):
    project = copy_project(tmp_path / "p")
    target = tmp_path / "elsewhere"
    target.mkdir()
    if kind == "symlink":
        project.site_dir.symlink_to(target)
    else:
        project.site_dir.write_text("not a site", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--project", str(project.root)])
    assert result.exit_code == 1
    expected = ({"symlink": f"error: site: site is a symbolic link (to {target}): the build replaces site/ as a "
                            "whole, atomically, and does not write through a link. Fix: remove the link (`rm site`)",
                 "file": "error: site: site is a file, not a folder: the build writes the folder site/ there. "
                         "Fix: move or delete the file site"}[kind])
    assert expected in result.output
    assert not list(target.iterdir()) and not (project.docs_dir / "index.md").exists()


def test_a_stray_file_named_site_old_is_left_alone(tmp_path):
    project = copy_project(tmp_path / "p")
    (project.root / "site.old").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--project", str(project.root)])
    assert result.exit_code == 0, result.output
    assert (project.root / "site.old").read_text(encoding="utf-8") == "mine"
    assert (project.site_dir / "index.html").is_file()


def test_a_failing_commit_step_is_a_problem_not_a_traceback(before, tmp_path, monkeypatch):
    """A failing rename (say, EIO) while committing says which outputs may be new."""
    project = fresh(before, tmp_path / "p")

    def failing(*args):
        raise OSError(errno.EIO, os.strerror(errno.EIO), str(project.site_dir))

    monkeypatch.setattr(atomic, "_exchange", failing)
    with pytest.raises(DossierError, match=r"error: site: cannot write: Input/output error \(EIO\); docs/, site/ and "
                                           r"sources/passages.lock are each either as they were or completely rebuilt"):
        build(project)
