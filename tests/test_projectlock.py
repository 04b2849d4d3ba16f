"""One writing command at a time (the project lock), and `serve` that refuses a busy port and stops cleanly."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from click.testing import CliRunner

from build_dossier.cli import main
from build_dossier.publish import atomic
from build_dossier.publish.projectlock import FD_ENV, LOCK_FILE, WAIT_ENV, project_lock
from support import ROOT, copy_project, digest

ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")
ENV.pop(FD_ENV, None)


def command(project, *args: str) -> list[str]:
    return [sys.executable, "-m", "build_dossier", *args, "--project", str(project.root)]


def start(project, *args: str, wait: str = "600", **kwargs) -> subprocess.Popen:
    return subprocess.Popen(command(project, *args), cwd=ROOT, env=dict(ENV, **{WAIT_ENV: wait}), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def test_concurrent_builds_take_turns(tmp_path, built):
    project = copy_project(tmp_path / "p")
    runs = [start(project, "build") for _ in range(3)]
    outputs = [run.communicate(timeout=600) for run in runs]
    for run, (out, err) in zip(runs, outputs):
        assert run.returncode == 0, err
        assert "Traceback" not in err and "Built 3 sources" in out
    assert digest(project.site_dir) == digest(built.site_dir)
    assert not atomic.leftovers(project.root, project.sources_dir)


@pytest.mark.parametrize("args", [("build",), ("lock",), ("serve", "--dev-addr", "127.0.0.1:0")],
                         ids=["build", "lock", "serve"])
def test_a_busy_project_is_waited_for_then_named(tmp_path, args):
    project = copy_project(tmp_path / "p")
    with project_lock(project.root, "build-dossier build --strict"):
        run = start(project, *args, wait="0")
        out, err = run.communicate(timeout=300)
    assert run.returncode == 1
    assert (f"error: {LOCK_FILE}: the project is busy: `build-dossier build --strict` (pid {os.getpid()}, since "
            in err)
    assert f"Fix: wait for that command to finish (or stop it), then run this one again; {WAIT_ENV}=SECONDS" in err
    assert "Traceback" not in err
    assert not project.site_dir.exists() and not (project.docs_dir / "index.md").exists()


def test_a_waiting_build_goes_on_when_the_holder_is_done(tmp_path):
    project = copy_project(tmp_path / "p")
    with project_lock(project.root, "build-dossier lock"):
        run = start(project, "build")
        waiting = next((line for line in run.stderr if "waiting for" in line), "")  # read until it says it waits
        assert "waiting for `build-dossier lock`" in waiting, waiting
    out, err = run.communicate(timeout=600)
    assert run.returncode == 0, err
    assert (project.site_dir / "index.html").is_file()


def test_a_holder_killed_with_sigkill_never_blocks(tmp_path):
    project = copy_project(tmp_path / "p")
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom pathlib import Path\n"
                               "from build_dossier.publish.projectlock import project_lock\n"
                               "with project_lock(Path(sys.argv[1]), 'build-dossier build'):\n"
                               "    print('held', flush=True)\n    time.sleep(600)\n", str(project.root)],
                              cwd=ROOT, env=ENV, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        holder.kill()
        holder.wait()
    finally:
        holder.kill()
    assert str(holder.pid) in (project.root / LOCK_FILE).read_text()  # its note stays; its lock went with it
    run = subprocess.run(command(project, "lock"), cwd=ROOT, env=dict(ENV, **{WAIT_ENV: "0"}), capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_on_a_busy_port_is_a_clear_error(tmp_path):
    project = copy_project(tmp_path / "p")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--project", str(project.root), "--dev-addr", f"127.0.0.1:{port}"])
    assert result.exit_code == 1
    assert (f"error: --dev-addr: cannot serve on 127.0.0.1:{port}: Address already in use (another server, perhaps "
            f"another `build-dossier serve`, is using the port). Fix: stop that server, or serve on another port: "
            f"build-dossier serve --dev-addr 127.0.0.1:{port + 1}") in result.output
    assert not (project.docs_dir / "index.md").exists()  # refused before anything was written


def get(url: str) -> str | None:
    with contextlib.suppress(OSError):
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    return None


def until(condition, run: subprocess.Popen, limit: float = 300):
    """Poll `condition` until it holds (or `run` ends, or a generous limit passes): a guard, not a measurement."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and run.poll() is None:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"never happened (serve exited with {run.poll()})")


def test_serve_rebuilds_under_its_lock_and_sigterm_stops_mkdocs(tmp_path):
    project = copy_project(tmp_path / "p")
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    run = start(project, "serve", "--dev-addr", f"127.0.0.1:{port}", wait="0", start_new_session=True)
    try:
        until(lambda: get(url), run)
        assert f'"pid": {run.pid}' in (project.root / LOCK_FILE).read_text()
        # It searches as the hosted site does: Pagefind's box, and an index of each build of the served site.
        assert "dossier-search-input" in get(url)
        until(lambda: get(url + "pagefind/pagefind-entry.json"), run)
        entry = get(url + "pagefind/pagefind-entry.json")
        # An edit rebuilds in the mkdocs child, which writes under the parent's lock (with no wait allowed).
        source = project.sources_dir / "lo-cepa-2024.md"
        source.write_text(source.read_text(encoding="utf-8").replace("Putin thrives on disorder", "Putin thrives on chaos"),
                          encoding="utf-8")
        until(lambda: "Putin thrives on chaos" in (get(url + "sources/lo-cepa-2024.html") or ""), run)
        until(lambda: get(url + "pagefind/pagefind-entry.json") not in (None, entry), run)  # indexed again
        run.send_signal(signal.SIGTERM)
        out, err = run.communicate(timeout=120)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(run.pid, signal.SIGKILL)  # the parent and any child left behind
    assert run.returncode == 128 + signal.SIGTERM, err
    assert "project is busy" not in err and "Traceback" not in err
    with socket.socket() as probe:  # the port is free: no mkdocs serve left serving it
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))
