"""Every kind of generated file of docs/, registered once, and what follows from the list.

Adding a page kind: write a module in `render/pages/` with a `render(ctx)` function and a `KIND`, put
its path in `addresses.py` (where other pages can link to it), and add `KIND` to `KINDS` below. The
build then writes it, replaces it with the rest of the generated part of docs/, and the tests check
that `.gitignore` and the `not_in_nav` list of mkdocs.yml agree with it (`gitignore_lines`, `not_in_nav`).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator, Mapping

from ..analyse.compare import comparisons
from ..analyse.tag import default_tagger
from ..model import Dossier
from ..text import inert
from . import cite as citation
from .addresses import Location
from .deeplink import deep_link
from .kind import Context, PageKind
from .previews import preview
from .pages import (cite, cleaning, debates, debates_index, dossier_json, figures, home, references, source,
                    sources_index, timeline, topic)
from .timeline import forget as forget_timeline

KINDS: tuple[PageKind, ...] = (home.KIND, source.KIND, sources_index.KIND, topic.KIND, debates_index.KIND, debates.KIND,
                               cleaning.KIND, figures.KIND, timeline.KIND, dossier_json.KIND, cite.KIND, references.KIND)
"""The generated files of docs/, in the order they are rendered."""

LOCATIONS: tuple[Location, ...] = tuple(location for kind in KINDS for location in kind.locations)
GENERATED_DIRS: tuple[str, ...] = tuple(dict.fromkeys(loc.path.split("/", 1)[0] for loc in LOCATIONS if "/" in loc.path))
"""Folders of docs/ that hold only generated files: the build owns each as a whole (ignored by git)."""
GENERATED_FILES: tuple[str, ...] = tuple(loc.path for loc in LOCATIONS if "/" not in loc.path)
"""Generated files at the top of docs/."""


def is_generated(rel: str) -> bool:
    """True for paths under docs/ that the build owns."""
    return rel in GENERATED_FILES or rel.split("/", 1)[0] in GENERATED_DIRS


def gitignore_lines() -> list[str]:
    """The lines of .gitignore that keep the generated part of docs/ out of git."""
    return [f"docs/{name}" for name in GENERATED_FILES] + [f"docs/{name}/" for name in GENERATED_DIRS]


def not_in_nav() -> list[str]:
    """mkdocs.yml's `not_in_nav` patterns: generated folders left out of the navigation (with their subfolders: the
    parts of a page), less their pages kept in."""
    hidden = [loc.path for loc in LOCATIONS if loc.folder and not loc.nav]
    kept = [loc.path for loc in LOCATIONS if loc.nav and not loc.folder and any(loc.path.startswith(h) for h in hidden)]
    return [f"/{folder}**/*.md" for folder in hidden] + [f"!/{path}" for path in kept]


class Packed(Mapping[str, str]):
    """Generated files by path, each kept compressed until it is read: at 3,000 sources their text is about 2 GB as
    Python strings (two bytes a character in a text with one curly quote), a tenth of that compressed."""

    def __init__(self) -> None:
        self._packed: dict[str, bytes] = {}

    def __getitem__(self, path: str) -> str:
        return self.data(path).decode("utf-8")

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)

    def __contains__(self, path: object) -> bool:
        return path in self._packed

    def data(self, path: str) -> bytes:
        """The file's UTF-8 bytes (what is written), without its text as a Python string."""
        return zlib.decompress(self._packed[path])

    def put(self, path: str, content: str | Iterable[str]) -> None:
        """Keep a file, given whole or in pieces (then never whole in memory: `dossier.json`)."""
        packer = zlib.compressobj(1)
        if isinstance(content, str):
            content = (content,)
        self._packed[path] = b"".join([*(packer.compress(piece.encode("utf-8")) for piece in content), packer.flush()])


class Output:
    """Collects generated files by path; refuses to take the same path twice."""

    def __init__(self) -> None:
        self.files = Packed()

    def add(self, path: str, content: str | Iterable[str]) -> None:
        if path in self.files:
            raise ValueError(f"two generated files want the path {path!r}")
        self.files.put(path, content)


def owns(kind: PageKind, path: str) -> bool:
    """True if `path` is one of the kind's locations, or in one of its folders."""
    return any(path == loc.path or loc.folder and path.startswith(loc.path) for loc in kind.locations)


def render_docs(dossier: Dossier, site_url: str | None = None) -> Mapping[str, str]:
    """Every generated file of docs/, by path (held compressed: `Packed`); `site_url` makes citations' permalinks
    absolute."""
    ctx = Context(dossier, site_url, default_tagger().descriptions, tuple(comparisons(dossier.measures, dossier.figures)))
    out = Output()
    try:
        for kind in KINDS:
            for path, content in kind.render(ctx):
                if not owns(kind, path):
                    raise ValueError(f"the {kind.name} render {path!r}, outside the locations they declare")
                out.add(path, content)
    finally:
        deep_link.cache_clear()  # it holds the sources' texts: `serve` would keep every edited version
        preview.cache_clear()  # and this their passages (also when a render fails)
    return out.files


def forget() -> None:
    """Let go of what rendering keeps for later readers of the same dossier (the Timeline's layout, memos of texts),
    so that nothing of the model outlives it (`pipeline.build` lets it go before MkDocs runs)."""
    forget_timeline()
    citation.forget()
    inert.cache_clear()  # the passages' texts, escaped
