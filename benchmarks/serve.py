"""Benchmark: how long `build-dossier serve` takes to show an edited source, from the file's save to the new text served.

A copy of the project (its site inputs and the three articles of `sources/`) is served by the real
`build-dossier serve` on a free port. Then, several times, one source's first paragraph gets a new word
(written as an editor saves: a new file renamed over the old), and the source's page is fetched every
20 ms until the word is in it. The time is from the save to the first response holding the word. Between
edits the server is left to settle (its rebuilds to finish), so each edit starts from rest.

    python benchmarks/serve.py                   # the code of this checkout
    python benchmarks/serve.py --root OTHER      # another checkout's site inputs (run with its Python)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = "lo-cepa-2024"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(url: str, word: str, limit: float) -> float | None:
    """Seconds until `url` serves a page containing `word` (polled every 20 ms), or None after `limit`."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        page = fetch(url)
        if page is not None and word in page:
            return time.perf_counter() - start
        time.sleep(0.02)
    return None


def save(path: Path, text: str) -> None:
    """Write as editors do: a new file, renamed over the old."""
    tmp = path.with_name(path.name + ".saving")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def measure(root: Path, edits: int, settle: float) -> dict:
    """Serve a copy of `root`'s project; the save-to-served seconds of each edit."""
    from build_dossier.publish.write import copy_site_inputs

    with tempfile.TemporaryDirectory(prefix="dossier-serve-") as tmp:
        project = Path(tmp) / "p"
        copy_site_inputs(root, project)
        shutil.copytree(root / "sources", project / "sources")
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "build_dossier", "serve", "--project", str(project),
                                   "--dev-addr", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
        url = f"http://127.0.0.1:{port}/sources/{SOURCE}.html"
        try:
            started = time.perf_counter()
            if wait_for(url, "</html>", 300) is None:
                raise SystemExit("serve did not start")
            first = time.perf_counter() - started
            time.sleep(settle)
            path = project / "sources" / f"{SOURCE}.md"
            times = []
            for k in range(edits):
                word = f"Zebedee{k}x"
                text = path.read_text(encoding="utf-8")
                body = text.index("\n---\n", 4) + 5  # after the front matter: a word into the first sentence with "the"
                at = text.index(" the ", body)
                save(path, text[:at] + f" {word}" + text[at:])
                took = wait_for(url, word, 60)
                times.append(took)
                time.sleep(settle)
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
    return {"first_page_s": first, "edit_s": times}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=HERE.parent, help="the checkout whose project is served")
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--settle", type=float, default=4.0, help="seconds of rest before each edit")
    args = parser.parse_args()
    result = measure(args.root.resolve(), args.edits, args.settle)
    done = [t for t in result["edit_s"] if t is not None]
    result["median_s"] = statistics.median(done) if done else None
    result["max_s"] = max(done) if done else None
    print(json.dumps(result))


if __name__ == "__main__":
    main()
