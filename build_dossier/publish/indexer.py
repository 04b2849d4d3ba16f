"""Pagefind, run: one run indexes the pages of a site that a glob names into one folder of the site, and its output
is made byte-stable (`publish/search.py` decides what each run reads and where it writes)."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gzip
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import cbor2

from ..errors import DossierError, Problem

ENGINE = ("pagefind.js", "pagefind-worker.js", "wasm.en.pagefind", "wasm.unknown.pagefind")
"""Pagefind's search engine, written with every index: the box loads the first shard's, the others are data only."""
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
"""Pagefind's ready-made interfaces, which the site does not use (its box is assets/search.js)."""
IGNORED = ("[data-search-exclude]", ".headerlink", ".md-tags")
"""What is never searchable on an indexed page: what Material's search skips too, and heading permalinks, tag chips."""


def run(site: Path, output: str, glob: str) -> None:
    """Run the Pagefind command (the binary of the `pagefind[bin]` wheel) on the pages of `site` that `glob` names,
    into `site/<output>`; raise DossierError if it fails.

    The command, not the package's Python service: the service is stopped with SIGTERM as soon as it answers, which
    can cut short files Pagefind is still writing (it writes through tokio without flushing).
    """
    give_back_memory()
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", output,
               "--force-language", "en", "--quiet", "--glob", glob]
    for selector in IGNORED:
        command += ["--exclude-selectors", selector]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        problem = str(exc)
    else:
        if done.returncode == 0:
            return
        problem = (done.stderr.strip() or done.stdout.strip() or f"exit status {done.returncode}").splitlines()[-1]
    raise DossierError([Problem("site/", "", f"Pagefind could not index the site: {problem}",
                                "check that `pagefind[bin]` is installed (pip install -e .), then build again.")])


def give_back_memory() -> None:
    """Hand the memory this process has freed back to the system, for Pagefind's run beside it: C's allocator keeps it
    otherwise (a build of 300 sources held 238 MB when Pagefind started, 177 MB once it had given back). glibc only;
    elsewhere nothing is done."""
    if trim := _malloc_trim():
        trim(0)


@functools.cache
def _malloc_trim():
    """glibc's `malloc_trim`, or None."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c")).malloc_trim
    except (OSError, AttributeError, TypeError):
        return None


SIGNATURE = b"pagefind_dcd"
"""What every Pagefind index file begins with, inside its gzip."""


def _read(path: Path):
    """The data of a Pagefind index file (gzip, then its signature, then CBOR)."""
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise ValueError(f"{path.name} is not a Pagefind index file")
    return cbor2.loads(raw[len(SIGNATURE):])


def _write(folder: Path, name: str, digits: int, data) -> str:
    """Write `data` as a Pagefind index file named by the hash of its content; return the hash part of the name."""
    body = cbor2.dumps(data)
    digest = f"en_{hashlib.sha256(body).hexdigest()[:digits]}"
    (folder / name.format(digest)).write_bytes(gzip.compress(SIGNATURE + body, compresslevel=9, mtime=0))
    return digest


def stable_filters(index: Path) -> None:
    """Rewrite Pagefind's filter files and metadata in a fixed order, so that a build's output is byte-identical.

    Pagefind (1.5) lists each filter's values, and the filters in its metadata, in hash-map order, which changes
    from run to run (an upstream TODO in pagefind/src/index/mod.rs); the rest of its output is stable. Values and
    filters are sorted here and the files renamed by their content, as Pagefind names them.
    """
    entry_path = index / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    language = entry["languages"]["en"]  # one language: the index is built with force_language="en"
    meta_path = index / f"pagefind.{language['hash']}.pf_meta"
    meta = _read(meta_path)  # [version, pages, index chunks, filters, sorts]
    filters = []
    for name, digest in meta[3]:
        path = index / "filter" / f"{digest}.pf_filter"
        key, values = _read(path)
        path.unlink()
        filters.append([name, _write(path.parent, "{}.pf_filter", 7, [key, sorted(values, key=lambda v: v[0])])])
    meta[3] = sorted(filters)
    meta_path.unlink()
    language["hash"] = _write(index, "pagefind.{}.pf_meta", 10, meta)
    entry_path.write_text(json.dumps(entry, separators=(",", ":")), encoding="utf-8")


def index(site: Path, output: str, glob: str, first: bool) -> int:
    """Run Pagefind into `site/<output>` and tidy what it wrote (filters in a fixed order, unused files removed); the
    number of results indexed."""
    run(site, output, glob)
    stable_filters(site / output)
    for name in UNUSED if first else UNUSED + ENGINE:
        (site / output / name).unlink(missing_ok=True)
    return sum(1 for _ in (site / output / "fragment").iterdir())  # a fragment per result
