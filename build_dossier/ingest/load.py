"""Stage 1: read and validate the source files in `sources/`."""

from __future__ import annotations

from pathlib import Path

from ..errors import Problem
from ..ids import SourceId
from ..model import Source
from .hosts import local_reason
from .readfile import display_path, read_text
from .schema import Field, unshowable_lines, validate
from .yamlio import load_yaml

SOURCE_FIELDS: tuple[Field, ...] = (
    Field("id", "slug", doc="Slug naming the source; must equal the file name without `.md`.",
          example="lo-cepa-2024"),
    Field("title", "text", nullable=True, doc="Headline exactly as published.", example='"Putin and Xi\'s Unholy Alliance"'),
    Field("subtitle", "text", required=False, nullable=True, doc="Sub-headline, if the article has one."),
    Field("authors", "text-list", doc="List of authors; the organisation where no person is named.",
          example="Bobo Lo"),
    Field("publisher", "text", doc="Publisher or outlet.", example="Foreign Affairs"),
    Field("date", "date", nullable=True, doc="Publication date, `YYYY-MM-DD`.", example="2024-04-09"),
    Field("url", "url", nullable=True, doc="Address of the original article.", example="https://…"),
    Field("license", "text", nullable=True, doc="Licence of the text, e.g. `CC BY-NC-ND 4.0`.", example="CC BY 4.0"),
    Field("accessed", "date", nullable=True, doc="Date the text was captured, `YYYY-MM-DD`.", example="2025-01-31"),
    Field("format", "choice", required=False, choices=("text", "markdown"),
          doc="`text` (default): captured plain text, one paragraph per line or blank-line separated; "
              "`markdown`: `#` headings and `-` bullets."),
)

SUFFIX = ".md"
"""A source's file in sources/ is named by its id and this suffix (`sources/<id>.md`)."""

CONTROL_FIX = ("delete it: it is invisible, and would reach the page as it is (of the control characters, only tab and "
               "the line break are allowed in a text).")
"""How to remove control characters from a text."""


RESERVED_ID = "index"
"""The one slug a source cannot take: `sources/index.md` is the sources index."""


def source_file(source_id: str) -> str:
    """The name of a source's file in sources/: `<id>.md`."""
    return source_id + SUFFIX


def source_files(sources_dir: Path) -> list[Path]:
    """Every source file in `sources_dir`, sorted by name."""
    return sorted(sources_dir.glob("*" + SUFFIX), key=lambda p: p.name)


def split_front_matter(raw: str, file: str) -> tuple[str | None, str, int, list[Problem]]:
    """Return (front matter, body, 1-based body line, problems)."""
    if not raw.startswith("---\n"):
        return None, raw, 1, [Problem(file, "", "the file does not start with a `---` front-matter line.",
                                      "put the metadata between two `---` lines at the top (see docs/about/sources.md).", 1)]
    end = raw.find("\n---\n", 3)
    if end < 0:
        if raw.endswith("\n---"):
            end = len(raw) - 4
        else:
            return None, raw, 1, [Problem(file, "", "the front matter is not closed by a `---` line.",
                                          "add a line `---` after the metadata.", 1)]
    front = raw[4:end + 1]
    body = raw[end + 5:]
    return front, body, front.count("\n") + 3, []


def read_source(path: Path, root: Path) -> tuple[Source | None, list[Problem]]:
    """Read one `sources/<id>.md`; every problem in it is returned, not raised."""
    file = display_path(path, root)
    raw, problems = read_text(path, file)
    if raw is None:
        return None, problems
    if not raw.strip():
        return None, [Problem(file, "", "the file is empty.", "add front matter and the article text, or delete the file.")]
    front, body, body_line, problems = split_front_matter(raw, file)
    if front is None:
        return None, problems
    doc, problems = load_yaml(front, file, offset=1)
    if doc is None:
        return None, problems
    values, problems = validate(doc.data, SOURCE_FIELDS, file, doc)
    if values.get("id") and values["id"] != path.stem:
        problems.append(Problem(file, "id", f"id {values['id']!r} does not match the file name {path.name!r}.",
                                f"rename the file to {source_file(values['id'])} or set `id: {path.stem}`.", doc.line("id")))
    if values.get("id") == RESERVED_ID:
        problems.append(Problem(file, "id", f"the id {RESERVED_ID!r} is taken by the sources index (sources/index.html).",
                                "choose another id, e.g. one with the author and year, and rename the file to match.",
                                doc.line("id")))
    if not body.strip():
        problems.append(Problem(file, "", "there is no article text after the front matter.",
                                "paste the article text below the closing `---` line.", body_line))
    problems += unshowable_lines(body, file, body_line, CONTROL_FIX)
    if any(p.severity == "error" for p in problems):
        return None, problems
    notes = tuple((k[:-5], v) for k, v in sorted(values.items()) if k.endswith("_note") and v)
    return Source(
        id=SourceId(values["id"]), path=file, title=values["title"], subtitle=values.get("subtitle"),
        authors=values["authors"], publisher=values["publisher"], date=values["date"], url=values["url"],
        license=values["license"], accessed=values["accessed"], notes=notes,
        format=values.get("format") or "text", body=body, body_line=body_line,
    ), problems


def load_sources(sources_dir: Path, root: Path) -> tuple[tuple[Source, ...], list[Problem]]:
    """Read every `*.md` in `sources_dir`, sorted by name; collect all problems."""
    problems: list[Problem] = []
    sources: list[Source] = []
    if not sources_dir.is_dir():
        return (), [Problem(str(sources_dir), "", "the sources folder does not exist.",
                            "create it and add articles with `build-dossier add`.")]
    seen: dict[str, str] = {}
    for path in source_files(sources_dir):
        source, found = read_source(path, root)
        problems += found
        if source is None:
            continue
        if source.id in seen:
            problems.append(Problem(source.path, "id", f"duplicate id {source.id!r}, already used by {seen[source.id]}.",
                                    "give each source its own id."))
            continue
        seen[source.id] = source.path
        sources.append(source)
        if source.url and (reason := local_reason(source.url)):  # kept as written, never published
            problems.append(Problem(source.path, "url", f"{source.url!r} is {reason}: citations, exports and pages leave "
                                    "it out.", "write the original article's public address, or null with a url_note.",
                                    severity="warning"))
    if not sources and not problems:
        problems.append(Problem(display_path(sources_dir, root), "", "there are no sources (`*.md`) to build from.",
                                "add one with `build-dossier add PATH`."))
    return tuple(sources), problems
