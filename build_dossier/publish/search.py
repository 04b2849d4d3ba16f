"""Search index: the built site indexed with Pagefind, every passage a result of its own.

A build writes the records from the model before MkDocs runs (`prepare`: the model is then let go) and indexes them
with the staged site after MkDocs, before the swap (`index_prepared`); under `build-dossier serve` the MkDocs hook
does both after each rebuild (`index_site`). Pagefind gives one result per indexed page and keeps filters per page, so
each passage is written, from the model, as a small HTML record of its own — its exact text (with ` [sic]` after each
slip the errata ledger marks, as everywhere the dossier shows it) as the only searchable content; "Label ¶N", its
section and its address as metadata; kind, source, author and topics as filters — and so is each source's citation,
each measure of the Figures page, each event of the Timeline and each source's part of the cleaning report (long
pages, which would be slow to load as one result). Pagefind indexes the records together with the built pages that are
results as they are: debates, topic pages and the help pages. A generated page states in its front matter what kind of
result it is, with its filters, or that it is not one (`render/facets.py`; a proposed debate is not, and a debate's
proposed positions are not searchable text); the theme's `main.html` writes that as Pagefind attributes. The records
are removed after indexing: the index holds their text, and the search box (docs/assets/search.js) links each result
to its own address, built in `render/addresses.py` as every address of the site is.

Material's search (lunr) stays the engine where Pagefind is not run: `build --offline` (Pagefind does not run
from file://) and a plain `mkdocs build` or `mkdocs serve`. `build` and `serve` turn it off
(`MATERIAL_SEARCH_ENV`), so that the site does not ship lunr's single large index besides.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import cbor2

from ..errors import DossierError, Problem
from ..analyse.dates import label
from ..model import Dossier, Erratum, Event, Figure, Passage, Segmented, Source
from ..render.cleaning import layout as cleaning_layout
from ..render.timeline import layout as timeline_layout
from ..render.addresses import (CLEANING, event_anchor, measure_anchor, measure_page, other_figures_anchor,
                                other_figures_page,
                                passage_url, source_page, url)
from ..render.facets import facets
from ..render.sic import by_passage, sentence_at, sic_text

MATERIAL_SEARCH_ENV = "DOSSIER_MATERIAL_SEARCH"
"""Environment variable read by mkdocs.yml: `false` turns Material's search plugin off (the hosted build)."""
INDEX_DIR = "pagefind"
"""Where the index goes in the site."""
RECORDS_DIR = "search-records"
"""Where the records are written in the site while Pagefind reads them (their addresses are in the index)."""
WORD_COUNTS = "word-counts.json"
"""Beside the index: on how many passages each frequent word is. The search box adds up the counts of the words
a query word begins, and does not search alone a word on most passages or on more than 500 (such a word tells
results apart poorly, and Pagefind's time grows with the square of a search's results)."""
COMMON = 500
"""A word on more passages than this (or than half of them) is common: never searched alone."""
COUNTED = 20
"""Words on fewer than 1/COUNTED of the common mark are left out (the file stays small; the sums change little)."""
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
"""Pagefind's ready-made interfaces, which the site does not use (its box is assets/search.js)."""
IGNORED = ("[data-search-exclude]", ".headerlink", ".md-tags")
"""What is never searchable on an indexed page: what Material's search skips too, and heading permalinks, tag chips."""


def _attr(key: str, value: str) -> str:
    """An inline Pagefind attribute value, `key:value` (whitespace collapsed), escaped for an attribute."""
    return html.escape(f"{key}:{' '.join(value.split())}", quote=True)


def _record(lines: list[str], meta: dict[str, str], filters: list[tuple[str, str]]) -> str:
    """One record page: its searchable text (one paragraph a line, escaped here), metadata and filters."""
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines if line)
    tags = [f'<span data-pagefind-meta="{_attr(k, v)}"></span>' for k, v in meta.items() if v]
    tags += [f'<span data-pagefind-filter="{_attr(k, v)}"></span>' for k, v in filters]
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"></head><body>\n'
            f"<main data-pagefind-body>{body}</main>\n" + "\n".join(tags) + "\n</body></html>\n")


def _filters(kind: str, sources: tuple[Source, ...], labels: dict[str, str],
             topics: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """A record's filters (those a generated page states in its front matter), as (key, value) pairs."""
    return [(key, v) for key, values in facets(kind, sources, labels, topics).items() for v in values]


def passage_record(p: Passage, source: Source, labels: dict[str, str], errata: tuple[Erratum, ...] = ()) -> str:
    """A passage: its exact text (its slips marked [sic]), "Label ¶N", its section and address, its source, author
    and topics."""
    meta = {"title": f"{labels[source.id]} ¶{p.n}", "section": p.section.title if p.section else "",
            "target": passage_url(p.id)}
    return _record([sic_text(p.text, errata)], meta, _filters("passage", (source,), labels, p.topics))


def source_record(source: Source, labels: dict[str, str]) -> str:
    """A source's citation (title, subtitle, authors, publisher, date), linking to its page."""
    lines = [source.display_title, source.subtitle or "", ", ".join(source.authors), source.publisher, source.date or ""]
    meta = {"title": f"{labels[source.id]}: {source.display_title}", "target": url(source_page(source.id))}
    return _record(lines, meta, _filters("source", (source,), labels))


def figures_record(title: str, page: str, anchor: str, figures: list[Figure], sources: dict[str, Source],
                   labels: dict[str, str]) -> str:
    """Figures of one measure (or a source's figures no measure took, on `page`): each as written, with its passage."""
    lines = [title] + [f"{labels[f.source]} ¶{f.n}: {f.text}" + (f" ({f.period.written})" if f.period else "")
                       for f in figures]
    meta = {"title": f"Figures: {title}", "target": url(page, anchor)}
    cited = tuple(sources[sid] for sid in dict.fromkeys(f.source for f in figures))
    return _record(lines, meta, _filters("figure", cited, labels))


def event_record(e: Event, passages: dict[str, Passage], sources: dict[str, Source], labels: dict[str, str],
                 slips: dict[str, tuple[Erratum, ...]], page: str) -> str:
    """An event of the Timeline (its entry on `page`): its date, then each telling's sentence (its slips marked [sic])
    with its passage."""
    lines = [label(e.date)]
    for m in e.mentions:
        text = passages[m.passage].text
        lines.append(f"{labels[m.source]} ¶{m.n}: "
                     + sic_text(m.sentence, slips.get(m.passage, ()), text, sentence_at(text, m.sentence, m.start)))
    meta = {"title": f"Timeline: {label(e.date)} — {e.mentions[0].written}", "target": url(page, event_anchor(e.id))}
    topics = dict.fromkeys(t for m in e.mentions for t in passages[m.passage].topics)
    return _record(lines, meta, _filters("event", tuple(sources[sid] for sid in e.sources), labels, tuple(topics)))


def cleaning_record(seg: Segmented, labels: dict[str, str], page: str = CLEANING.path) -> str:
    """The lines of page chrome removed from one source (the section on it, `#<source id>`, of the report's `page`)."""
    s = seg.source
    meta = {"title": f"Cleaning report: {labels[s.id]}", "target": url(page, s.id)}
    return _record([r.text for r in seg.cleaned.removed], meta, _filters("page", (s,), labels))


def records(dossier: Dossier) -> Iterator[tuple[str, str]]:
    """Every record page, with its path in the records folder (made one at a time: a hundred thousand at 3,000 sources).

    One per passage and per source; the Figures page as one per measure (and one per source for the figures no
    measure took), the Timeline page as one per event, the cleaning report as one per source: a result of its own
    each, small to load.
    """
    labels, slips = dossier.labels, by_passage(dossier.errata)
    cleaning_at, events_at = cleaning_layout(dossier)[1], timeline_layout(dossier).where
    sources = {seg.source.id: seg.source for seg in dossier.sources}
    unmatched: dict[str, list[Figure]] = {}
    stated: dict[str, list[Figure]] = {}
    for f in dossier.figures:  # by source and by measure, in one pass
        (unmatched.setdefault(f.source, []) if f.measure is None else stated.setdefault(f.measure, [])).append(f)
    # Record paths are file names in the scratch folder only; where a result leads is its `target`.
    for i, seg in enumerate(dossier.sources):
        s = seg.source
        yield f"sources/{s.id}/index.html", source_record(s, labels)
        for p in seg.passages:
            yield f"sources/{s.id}/{p.anchor}.html", passage_record(p, s, labels, slips.get(p.id, ()))
        if seg.cleaned.removed:
            yield f"cleaning/{s.id}.html", cleaning_record(seg, labels, cleaning_at[s.id])
        if other := unmatched.get(s.id):
            anchor = other_figures_anchor(s.id)
            yield f"figures/{anchor}.html", figures_record(f"other figures of {labels[s.id]}",
                                                           other_figures_page(i, len(dossier.sources)), anchor, other,
                                                           sources, labels)
    for m in dossier.measures:
        if m.id in stated:  # each measure stated has a page
            anchor = measure_anchor(m.id)
            yield f"figures/{anchor}.html", figures_record(m.label, measure_page(m.id), anchor, stated[m.id], sources,
                                                           labels)
    passages = {p.id: p for p in dossier.passages()}
    for e in dossier.events:
        yield f"timeline/{event_anchor(e.id)}.html", event_record(e, passages, sources, labels, slips, events_at[e.id])


def material_search(config) -> bool:
    """Whether a loaded MkDocs configuration has Material's search on (then Pagefind is not used)."""
    plugin = config.plugins.get("material/search")
    return plugin is not None and plugin.config.enabled


def word_counts(dossier: Dossier) -> dict:
    """The number of passages, the mark above which a word is common, and the passages of each frequent word
    (lower case, letters and digits only, as the search box compares words)."""
    passages = dossier.passages()
    df = Counter(w for p in passages for w in {re.sub(r"[\W_]", "", t.lower()) for t in p.text.split()} if w)
    common = min(len(passages) / 2, COMMON)
    return {"passages": len(passages), "common": common,
            "counts": {w: n for w, n in sorted(df.items()) if n >= max(2, common / COUNTED)}}


MARK = b"data-pagefind-body"
"""What the theme writes on a page that is a search result (`theme/main.html`); the records carry it too."""
PLAIN_NAME = re.compile(r"[\w.-]+")
"""A file or folder name with nothing a glob reads as syntax."""
WHOLE_SITE = "**/*.{html}"
"""Pagefind's own glob: every page of the site."""
GLOB_MAX = 64 * 1024
"""The longest glob that names pages one by one (Linux refuses a program argument over 128 kB); past it, each folder
holding results is given whole."""


def results_glob(site: Path) -> str:
    """A glob of the files Pagefind must read: the records and the built pages that are results (they carry `MARK`).

    Pagefind reads every page it is given and keeps its text to the end of the run, even a page it then leaves out
    for want of a `data-pagefind-body` — at 3,000 sources gigabytes of source pages and parts of pages. A folder whose
    pages are mostly results is given whole (Pagefind still leaves out the others), and so is every folder when naming
    the pages would make too long a glob; a site with a name a glob would misread is given whole (Pagefind's own
    glob). The index is the same as from the whole site, which Pagefind walks in the same order.
    """
    folders: dict[str, list[tuple[str, bool]]] = {}
    for folder, dirs, names in os.walk(site):
        here = Path(folder).relative_to(site).as_posix()
        dirs[:] = sorted(d for d in dirs if here != "." or d not in (RECORDS_DIR, INDEX_DIR))
        folders[here] = [(name, MARK in (Path(folder) / name).read_bytes()) for name in sorted(names)
                         if name.endswith(".html")]
    named, whole = [f"{RECORDS_DIR}/**/*.html"], [f"{RECORDS_DIR}/**/*.html"]
    for here, pages in folders.items():
        prefix = "" if here == "." else here + "/"
        results = [name for name, marked in pages if marked]
        if not results:
            continue
        if not all(PLAIN_NAME.fullmatch(part) for part in here.split("/") + results):
            return WHOLE_SITE
        whole.append(f"{prefix}*.html")
        named += [whole[-1]] if 2 * len(results) >= len(pages) else [prefix + name for name in results]
    glob = "{" + ",".join(named) + "}"
    return glob if len(glob) <= GLOB_MAX else "{" + ",".join(whole) + "}"


def _pagefind(site: Path) -> None:
    """Run the Pagefind command (the binary of the `pagefind[bin]` wheel) on `site`; raise DossierError if it fails.

    The command, not the package's Python service: the service is stopped with SIGTERM as soon as it answers, which
    can cut short files Pagefind is still writing (it writes through tokio without flushing).
    """
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", INDEX_DIR,
               "--force-language", "en", "--quiet", "--glob", results_glob(site)]
    for selector in IGNORED:
        command += ["--exclude-selectors", selector]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        problem = str(exc)
    else:
        if run.returncode == 0:
            return
        problem = (run.stderr.strip() or run.stdout.strip() or f"exit status {run.returncode}").splitlines()[-1]
    raise DossierError([Problem("site/", "", f"Pagefind could not index the site: {problem}",
                                "check that `pagefind[bin]` is installed (pip install -e .), then build again.")])


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


def prepare(dossier: Dossier, folder: Path) -> None:
    """Write into `folder` what indexing takes from the model — the records (`RECORDS_DIR`) and the word counts — so
    that the model can be let go before MkDocs runs (`pipeline.build`)."""
    folder.mkdir(exist_ok=True)
    for rel, text in records(dossier):
        (folder / RECORDS_DIR / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / RECORDS_DIR / rel).write_text(text, encoding="utf-8")
    counts = json.dumps(word_counts(dossier), ensure_ascii=False, separators=(",", ":"))
    (folder / WORD_COUNTS).write_text(counts + "\n", encoding="utf-8")


def index_prepared(folder: Path, site: Path) -> int:
    """Index the built `site` and the records `prepare` wrote into `folder` into `site/pagefind/`; the number of
    results indexed.

    The records are moved into `site/search-records/` for Pagefind to read, and removed again.
    """
    scratch = site / RECORDS_DIR
    shutil.rmtree(scratch, ignore_errors=True)
    try:
        (folder / RECORDS_DIR).rename(scratch)
        _pagefind(site)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    stable_filters(site / INDEX_DIR)
    for name in UNUSED:
        (site / INDEX_DIR / name).unlink(missing_ok=True)
    (folder / WORD_COUNTS).rename(site / INDEX_DIR / WORD_COUNTS)
    return sum(1 for _ in (site / INDEX_DIR / "fragment").iterdir())  # a fragment per result


def index_site(dossier: Dossier, site: Path) -> int:
    """Index the built `site` and the dossier's records into `site/pagefind/` (`serve`); the number of results."""
    with tempfile.TemporaryDirectory(prefix=".search-", dir=site.parent) as folder:
        prepare(dossier, Path(folder))
        return index_prepared(Path(folder), site)
