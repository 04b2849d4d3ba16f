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

Shards. Pagefind keeps every page of a run in memory (5.9 GB for the 97,000 results of 3,000 sources), so past
`SHARD_RESULTS` results the index is built in shards, one Pagefind run each, one after another: contiguous runs of
whole sources in dossier order (a source's records always in one shard), the built pages that are results in the
first, the measures and events after the sources. The first shard is `pagefind/`, the others `pagefind-2/`, ...,
listed in its `word-counts.json` (`shards`); the search box merges them (Pagefind's `mergeIndex`: filter counts added
up, results sorted by score). Each shard has its own BM25 statistics (how many pages have a word, the mean page
length), so scores from two shards are comparable but not exactly those one index would give. Below the bound there
is one index, as there always was.

Material's search (lunr) stays the engine where Pagefind is not run: `build --offline` (Pagefind does not run
from file://) and a plain `mkdocs build` or `mkdocs serve`. `build` and `serve` turn it off
(`MATERIAL_SEARCH_ENV`), so that the site does not ship lunr's single large index besides.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from ..analyse.dates import label
from ..model import Dossier, Erratum, Event, Figure, Passage, Segmented, Source
from ..render.cleaning import layout as cleaning_layout
from ..render.timeline import layout as timeline_layout
from ..render.addresses import (CLEANING, event_anchor, measure_anchor, measure_page, other_figures_anchor,
                                other_figures_page,
                                passage_url, source_page, url)
from ..render.facets import facets
from ..render.sic import by_passage, sentence_at, sic_text
from . import indexer
from .searchable import MARK, page_words, record_words

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
SHARD_RESULTS = 10_000
"""The most results one Pagefind run indexes: past it the index is built in shards, one run each (see the module's
docstring). Pagefind holds every page of a run in memory, about 60 to 85 kB a result (its distinct words); 10,000
results keep a run under 1 GB, with room for the build's own process beside it."""
SHARD_DIR = re.compile(re.escape(INDEX_DIR) + r"(-[0-9]+)?")
"""The folders of the index's shards in the site: `pagefind`, then `pagefind-2`, `pagefind-3`, ..."""
VOCABULARY = "vocabulary.html"
"""A record of every shard (of a sharded index only): every word of the whole index, with no filter, so that no search
of the box finds it (each asks for kinds) and it counts for no filter value. A shard matches a query word that none of
its pages has to the longest word of the shard that begins it (Pagefind's fallback for unknown words): with every word
in every shard, each shard matches a word as the whole index would."""
UNITS = "units.json"
"""Beside the records while they wait for Pagefind: the paths of the records of each unit (`records`), in order."""


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


def records(dossier: Dossier) -> Iterator[list[tuple[str, str]]]:
    """Every record page, with its path in the records folder, in units that are never split between shards: a
    source's records together, then each measure and each event alone (made a unit at a time: a hundred thousand
    records at 3,000 sources).

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
        unit = [(f"sources/{s.id}/index.html", source_record(s, labels))]
        unit += [(f"sources/{s.id}/{p.anchor}.html", passage_record(p, s, labels, slips.get(p.id, ())))
                 for p in seg.passages]
        if seg.cleaned.removed:
            unit.append((f"cleaning/{s.id}.html", cleaning_record(seg, labels, cleaning_at[s.id])))
        if other := unmatched.get(s.id):
            anchor = other_figures_anchor(s.id)
            unit.append((f"figures/{anchor}.html",
                         figures_record(f"other figures of {labels[s.id]}", other_figures_page(i, len(dossier.sources)),
                                        anchor, other, sources, labels)))
        yield unit
    for m in dossier.measures:
        if m.id in stated:  # each measure stated has a page
            anchor = measure_anchor(m.id)
            yield [(f"figures/{anchor}.html", figures_record(m.label, measure_page(m.id), anchor, stated[m.id], sources,
                                                             labels))]
    passages = {p.id: p for p in dossier.passages()}
    for e in dossier.events:
        yield [(f"timeline/{event_anchor(e.id)}.html",
                event_record(e, passages, sources, labels, slips, events_at[e.id]))]


def shard_dir(k: int) -> str:
    """The folder of the index's shard `k` (from 0) in the site."""
    return INDEX_DIR if k == 0 else f"{INDEX_DIR}-{k + 1}"


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


PLAIN_NAME = re.compile(r"[\w.-]+")
"""A file or folder name with nothing a glob reads as syntax."""
RECORDS_GLOB = f"{RECORDS_DIR}/**/*.html"
"""The records, as a glob."""
WHOLE_SITE = "**/*.{html}"
"""Pagefind's own glob: every page of the site."""
GLOB_MAX = 64 * 1024
"""The longest glob that names pages one by one (Linux refuses a program argument over 128 kB); past it, each folder
holding results is given whole."""


def result_pages(site: Path) -> dict[str, list[tuple[str, bool]]]:
    """The HTML pages of the built `site`, folder by folder (sorted), each with whether it is a result (has `MARK`);
    the records and the index left out."""
    folders: dict[str, list[tuple[str, bool]]] = {}
    for folder, dirs, names in os.walk(site):
        here = Path(folder).relative_to(site).as_posix()
        dirs[:] = sorted(d for d in dirs if here != "." or not (d == RECORDS_DIR or SHARD_DIR.fullmatch(d)))
        folders[here] = [(name, MARK in (Path(folder) / name).read_bytes()) for name in sorted(names)
                         if name.endswith(".html")]
    return folders


def results_glob(site: Path, folders: dict[str, list[tuple[str, bool]]] | None = None) -> str:
    """A glob of the files Pagefind must read: the records and the built pages that are results (they carry `MARK`;
    `folders` as `result_pages` gives them).

    Pagefind reads every page it is given and keeps its text to the end of the run, even a page it then leaves out
    for want of a `data-pagefind-body` — at 3,000 sources gigabytes of source pages and parts of pages. A folder whose
    pages are mostly results is given whole (Pagefind still leaves out the others), and so is every folder when naming
    the pages would make too long a glob; a site with a name a glob would misread is given whole (Pagefind's own
    glob). The index is the same as from the whole site, which Pagefind walks in the same order.
    """
    named, whole = [RECORDS_GLOB], [RECORDS_GLOB]
    for here, pages in (result_pages(site) if folders is None else folders).items():
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


def split(sizes: list[int], bound: int) -> list[range]:
    """Contiguous runs of the units whose `sizes` (results) are given, each run as long as it stays within `bound`
    results; a unit over the bound is a run of its own. (The shards of the index, unit 0 always in the first.)"""
    runs, start, total = [], 0, 0
    for i, size in enumerate(sizes):
        if i > start and total + size > bound:
            runs.append(range(start, i))
            start, total = i, 0
        total += size
    return runs + [range(start, len(sizes))] if sizes else []


def prepare(dossier: Dossier, folder: Path) -> None:
    """Write into `folder` what indexing takes from the model — the records (`RECORDS_DIR`), the units they come in
    (`UNITS`) and the word counts — so that the model can be let go before MkDocs runs (`pipeline.build`)."""
    folder.mkdir(exist_ok=True)
    units = []
    for unit in records(dossier):
        for rel, text in unit:
            (folder / RECORDS_DIR / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / RECORDS_DIR / rel).write_text(text, encoding="utf-8")
        units.append([rel for rel, _ in unit])
    (folder / UNITS).write_text(json.dumps(units, separators=(",", ":")), encoding="utf-8")
    _write_counts(folder / WORD_COUNTS, word_counts(dossier))


def _write_counts(path: Path, counts: dict) -> None:
    """Write the word counts (`WORD_COUNTS`) as the search box reads them."""
    path.write_text(json.dumps(counts, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")


def vocabulary(folder: Path, site: Path, pages: dict[str, list[tuple[str, bool]]]) -> str:
    """The `VOCABULARY` record: every word (as written) that Pagefind indexes of the records in `folder` and of the
    built pages that are results."""
    words: set[str] = set()
    for path in (folder / RECORDS_DIR).rglob("*.html"):
        words.update(record_words(path.read_text(encoding="utf-8")))
    for path in (site / here / name for here, listed in pages.items() for name, marked in listed if marked):
        page_words(path.read_text(encoding="utf-8"), words)
    return _record([" ".join(sorted(words))], {}, [])


def index_prepared(folder: Path, site: Path) -> int:
    """Index the built `site` and the records `prepare` wrote into `folder` into `site/pagefind/` (and, past
    `SHARD_RESULTS` results, the shards after the first into `site/pagefind-2/`, ...); the number of results indexed.

    The records of each shard in turn are moved into `site/search-records/` for Pagefind to read, and removed again.
    """
    for old in site.iterdir():  # shards of an earlier index (serve rebuilds into the same site)
        if SHARD_DIR.fullmatch(old.name) and old.name != INDEX_DIR:
            shutil.rmtree(old)
    # and the list of them: were a run to fail, the box would look for shards that are gone and find nothing at all
    (site / INDEX_DIR / WORD_COUNTS).unlink(missing_ok=True)
    pages = result_pages(site)
    units = json.loads((folder / UNITS).read_text(encoding="utf-8"))
    built = sum(marked for listed in pages.values() for _, marked in listed)
    shards = split([built] + [len(unit) for unit in units], SHARD_RESULTS)  # unit 0: the built pages
    scratch, indexed = site / RECORDS_DIR, 0
    every = vocabulary(folder, site, pages) if len(shards) > 1 else None
    for k, shard in enumerate(shards):
        shutil.rmtree(scratch, ignore_errors=True)
        try:
            if every is None:  # one index: all the records, as they were written
                (folder / RECORDS_DIR).rename(scratch)
            else:
                for rel in (rel for u in shard if u for rel in units[u - 1]):
                    (scratch / rel).parent.mkdir(parents=True, exist_ok=True)
                    (folder / RECORDS_DIR / rel).rename(scratch / rel)
                (scratch / VOCABULARY).write_text(every, encoding="utf-8")
            glob = results_glob(site, pages) if k == 0 else RECORDS_GLOB
            indexed += indexer.index(site, shard_dir(k), glob, k == 0) - (every is not None)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    if len(shards) > 1:  # where the box finds the other shards (below the bound the file is as it always was)
        counts = json.loads((folder / WORD_COUNTS).read_text(encoding="utf-8"))
        _write_counts(folder / WORD_COUNTS, {**counts, "shards": [f"{shard_dir(k)}/" for k in range(1, len(shards))]})
    (folder / WORD_COUNTS).rename(site / INDEX_DIR / WORD_COUNTS)
    return indexed


def index_site(dossier: Dossier, site: Path) -> int:
    """Index the built `site` and the dossier's records into `site/pagefind/` (and its shards: `serve`); the number of
    results."""
    with tempfile.TemporaryDirectory(prefix=".search-", dir=site.parent) as folder:
        prepare(dossier, Path(folder))
        return index_prepared(Path(folder), site)
