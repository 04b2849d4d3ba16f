"""Reading input files (sources and ledgers): one clear problem for each way a file can be unreadable.

Every input file must be UTF-8 without a byte-order mark, with LF line ends, and at most
MAX_BYTES long. The build never rewrites an input file and never reinterprets its bytes: passages
are exact spans of the file and problems cite its line numbers, so a file that would need
normalising is refused with the command that fixes it.
"""

from __future__ import annotations

import os
import stat
from importlib import resources
from pathlib import Path

from ..errors import Problem

MAX_BYTES = 8 * 1024 * 1024
"""Largest input file read (the longest real article is under 100 kB)."""


def display_path(path: Path, root: Path) -> str:
    """`path` as problems name it: relative to the project where it is inside it."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


NOT_A_FILE = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
              (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))
"""Kinds of directory entry that are not files, as messages name them."""


def read_bytes(path: Path, file: str, max_bytes: int, limit: str, fix: str) -> tuple[bytes | None, list[Problem]]:
    """The bytes of the regular file `path`, or None and the one problem that stops it being read.

    Opened without blocking and checked on the open descriptor, so a named pipe or a device never
    hangs the run. Over `max_bytes`, the problem names the `limit` and the `fix`.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        return None, [Problem(file, "", f"cannot read the file: {exc.strerror}.", "check that it exists and is readable.")]
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            what = next((name for test, name in NOT_A_FILE if test(info.st_mode)), "not a regular file")
            return None, [Problem(file, "", f"this is {what}, not a file.",
                                  f"remove or rename it: {Path(file).name} must be a regular file.")]
        if info.st_size > max_bytes:
            return None, [Problem(file, "", f"the file is {info.st_size / 1e6:.1f} MB, over the {max_bytes // (1024 * 1024)} MB "
                                            f"limit{limit}.", fix)]
        return b"".join(iter(lambda: os.read(fd, 1 << 20), b"")), []
    except OSError as exc:
        return None, [Problem(file, "", f"cannot read the file: {exc.strerror}.", "check that it is readable.")]
    finally:
        os.close(fd)


def read_text(path: Path, file: str, kind: str = "source", max_bytes: int = MAX_BYTES) -> tuple[str | None, list[Problem]]:
    """The text of `path` (named `file` in messages), or None and the one problem that stops it being read."""
    fix = "split the text or remove what is not the article." if kind == "source" else "split it, or remove what does not belong in it."
    data, problems = read_bytes(path, file, max_bytes, f" for one {kind}", fix)
    if data is None:
        return None, problems
    if data.startswith(b"\xef\xbb\xbf"):
        return None, [Problem(file, "", "the file starts with a byte-order mark (BOM).",
                              "save it as UTF-8 without BOM.", 1)]
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        return None, [Problem(file, "", f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}).",
                              "re-save it as UTF-8.", line)]
    if "\r" in raw:
        line = raw[:raw.index("\r")].count("\n") + 1
        return None, [Problem(file, "", "the file has CR (Windows or old Mac) line ends.",
                              "convert it to LF line ends (e.g. `dos2unix`).", line)]
    return raw, []


def data_file(name: str) -> tuple[str, str]:
    """The text of a data file shipped with the package (`data/<name>`), and its name as problems give it."""
    return resources.files("build_dossier").joinpath(f"data/{name}").read_text(encoding="utf-8"), f"build_dossier/data/{name}"
