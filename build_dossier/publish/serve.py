"""`build-dossier serve`: regenerate docs/, then run `mkdocs serve` under the project lock, and stop it with us.

The parent holds the project lock while it serves and hands it to its `mkdocs serve` child
(`projectlock.FD_ENV`), whose hook regenerates docs/ on every change without waiting for the lock.
Stopping the parent (SIGTERM, SIGHUP, or its death on Linux) stops the child, so no orphan keeps
serving the port.
"""

from __future__ import annotations

import ctypes
import errno
import ipaddress
import os
import signal
import socket
import subprocess
import sys
import time

from collections.abc import Callable

from ..errors import DossierError, Problem
from ..ingest.config import Project
from .projectlock import FD_ENV, project_lock
from .search import MATERIAL_SEARCH_ENV

GRACE = 10.0
"""Seconds `mkdocs serve` gets to shut down after Ctrl-C before it is killed."""
_PR_SET_PDEATHSIG = 1


def port_problem(dev_addr: str) -> Problem | None:
    """An error if `mkdocs serve` could not listen on `dev_addr` (host:port): the port is taken, or the host not ours."""
    host, sep, port = dev_addr.rpartition(":")
    host = host.strip("[]")
    if not sep or not port.isdigit() or int(port) > 65535:
        return None  # malformed: MkDocs names the valid form
    try:  # the socket MkDocs' server opens: IPv6 for an IPv6 address, else IPv4
        family = socket.AF_INET6 if isinstance(ipaddress.ip_address(host), ipaddress.IPv6Address) else socket.AF_INET
    except ValueError:
        family = socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as MkDocs' server does
        try:
            probe.bind((host, int(port)))
        except OSError as exc:
            busy = exc.errno == errno.EADDRINUSE
            return Problem("--dev-addr", "", f"cannot serve on {dev_addr}: {exc.strerror}"
                           + (" (another server, perhaps another `build-dossier serve`, is using the port)." if busy else "."),
                           (f"stop that server, or serve on another port: build-dossier serve --dev-addr "
                            f"{host}:{int(port) + 1}") if busy else "give an address of this machine, e.g. 127.0.0.1:8000.")
    return None


def _child_setup() -> None:  # runs in the child between fork and exec
    """In the child: Ctrl-C stops it (even if we were started with SIGINT ignored, as `&` in a script does),
    and on Linux it gets SIGTERM when the parent dies, even by SIGKILL."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _supervise(cmd: list[str], env: dict[str, str], fd: int) -> int:
    """Run `cmd` with the lock descriptor `fd`; forward SIGTERM/SIGHUP to it as Ctrl-C; return the exit status."""
    child = subprocess.Popen(cmd, env=env, pass_fds=(fd,), preexec_fn=_child_setup)
    stopped: list[int] = []

    def stop(signum, _frame):
        stopped.append(signum)
        child.send_signal(signal.SIGINT)  # mkdocs serve shuts down cleanly on Ctrl-C (and removes its temporary site)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    deadline = None
    try:
        while child.poll() is None:
            try:
                child.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                pass
            except KeyboardInterrupt:  # Ctrl-C reached the child too (one process group): let it shut down
                stopped.append(signal.SIGINT)
            if stopped and deadline is None:
                deadline = time.monotonic() + GRACE
            if deadline is not None and time.monotonic() > deadline:
                child.kill()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if child.poll() is None:
            child.kill()
            child.wait()
    if stopped:
        return 128 + stopped[0]
    return child.returncode if child.returncode >= 0 else 128 - child.returncode


def serve(project: Project, dev_addr: str, regenerate: Callable[[Project], object]) -> int:
    """Regenerate docs/ (with `regenerate`, the pipeline's), then serve the site with `mkdocs serve` until stopped.

    Returns `mkdocs serve`'s exit status.
    """
    problem = port_problem(dev_addr)
    if problem:
        raise DossierError([problem])
    with project_lock(project.root) as fd:
        regenerate(project)
        # Material's search off, as in `build`: the hook indexes the served site with Pagefind instead.
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **{FD_ENV: str(fd), MATERIAL_SEARCH_ENV: "false"})
        # -P: the hook must import the installed build_dossier, not a folder of that name in the project.
        # --dirty: MkDocs rebuilds only the pages whose file in docs/ changed (the build writes only those).
        cmd = [sys.executable, "-P", "-m", "mkdocs", "serve", "--dirty", "-f", str(project.config_file),
               "--dev-addr", dev_addr]
        return _supervise(cmd, env, fd)
