"""Reading input files (sources and ledgers): one clear problem for each way a file can be unreadable.

Every input file must be UTF-8 without a byte-order mark, with LF line ends, and at most
MAX_BYTES long. The build never rewrites an input file and never reinterprets its bytes: passages
are exact spans of the file and problems cite its line numbers, so a file that would need
normalising is refused with the command that fixes it.
"""

from __future__ import annotations

from pathlib import Path

from .errors import Problem

MAX_BYTES = 8 * 1024 * 1024
"""Largest input file read (the longest real article is under 100 kB)."""


def display_path(path: Path, root: Path) -> str:
    """`path` as problems name it: relative to the project where it is inside it."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def read_text(path: Path, file: str, kind: str = "source", max_bytes: int = MAX_BYTES) -> tuple[str | None, list[Problem]]:
    """The text of `path` (named `file` in messages), or None and the one problem that stops it being read."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return None, [Problem(file, "", f"the file is {size / 1e6:.1f} MB, over the {max_bytes // (1024 * 1024)} MB limit "
                                            f"for one {kind}.", "split the text or remove what is not the article." if kind == "source"
                                            else "split it, or remove what does not belong in it.")]
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problem(file, "", f"cannot read the file: {exc.strerror}.", "check that it exists and is readable.")]
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
