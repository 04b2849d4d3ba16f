"""Stage 6b: the machine-readable `dossier.json` (format in docs/about/dossier-json.md)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import chain

from ...analyse.compare import Comparison
from ...model import Dossier
from ..addresses import (DOSSIER_JSON, debate_page, event_anchor, measure_anchor, measure_page, passage_url,
                         source_page, url)
from ..cite import original_url
from ..debate_lines import proposals_by_passage
from ..kind import Context, PageKind
from ..sic import by_passage, sentence_at, sic_text
from ..timeline import layout

FORMAT = "build-dossier/1"


def dossier_data(dossier: Dossier, compared: tuple[Comparison, ...] | list[Comparison]) -> dict:
    """The whole dossier as plain data, in a fixed order (`compared`: measures.comparisons of it)."""
    return {key: value if isinstance(value, str) else list(value) for key, value in _fields(dossier, compared)}


def _fields(dossier: Dossier, compared: tuple[Comparison, ...] | list[Comparison]) -> Iterator[tuple[str, object]]:
    """dossier_data's fields in order, each list a generator: at 3,000 sources the records as Python data take a
    gigabyte, one at a time almost nothing."""
    events_at = layout(dossier).where  # the page holding each event's entry
    sources = []
    for seg in dossier.sources:
        s = seg.source
        sources.append({
            "id": s.id, "title": s.title, "subtitle": s.subtitle, "authors": list(s.authors),
            "publisher": s.publisher, "date": s.date, "url": original_url(s), "license": s.license,
            "accessed": s.accessed, "notes": dict(s.notes), "page_url": url(source_page(s.id)),
            "passages": len(seg.passages),
        })
    slips = by_passage(dossier.errata)
    passages = ({
        "id": p.id, "source": p.source, "n": p.n, "kind": p.kind,
        "section": p.section.title if p.section else None, "text": p.text,
        "topics": list(p.topics), "url": passage_url(p.id),
        "errata": [{"start": e.start, "end": e.end, "text": e.text, "note": e.note, "correct": e.correct}
                   for e in slips.get(p.id, ())],
    } for p in dossier.passages())
    texts = {p.id: p.text for p in dossier.passages()}
    claims = ({
        "id": c.id, "question": c.question or None, "topics": list(c.topics), "status": c.status,
        "positions": [{"source": pos.source, "passage": pos.passage, "quote": pos.exact,
                       "shown": sic_text(pos.exact, slips.get(pos.passage, ()), texts[pos.passage]),
                       "stance": pos.stance or None,
                       "status": "proposed" if c.status == "proposed" or pos in c.proposed else "reviewed"}
                      for pos in c.positions + c.proposed],
        "relations": [{"source": r.source, "other": r.other, "kind": r.kind} for r in c.relations],
        "url": url(debate_page(c.id)),
    } for c in dossier.claims + dossier.proposed)
    links = chain(({"from": link.source, "to": link.target, "kind": link.kind, "claim": link.claim, "status": "reviewed"}
                   for link in dossier.links),
                  ({"from": pid, "to": other.passage, "kind": "proposed", "claim": claim_id, "status": "proposed"}
                   for pid, found in sorted(proposals_by_passage(dossier).items())
                   for claim_id, (_, others) in sorted(found.items()) for other in others))
    figures = ({
        "passage": f.passage, "start": f.start, "end": f.end, "text": f.text, "kind": f.kind, "measure": f.measure,
        "unit": f.unit, "value": f.value, "normalised": f.normalised, "normalised_unit": f.normalised_unit,
        "year": f.year, "period": {"kind": f.period.kind, "date": f.period.date, "written": f.period.written,
                                   "qualifier": f.period.qualifier or None} if f.period else None,
        "status": f.status, "scope": f.scope, "modifier": f.modifier, "target": f.target,
    } for f in dossier.figures)
    measures = ({"id": c.measure.id, "label": c.measure.label, "kind": c.measure.kind, "tolerance": c.measure.tolerance,
                 "figures": len(c.figures), "compared": c.compared,
                 "spreads": [{"unit": sp.unit, "period": sp.period.date if sp.period else None,
                              "period_kind": sp.period.kind if sp.period else None, "scope": sp.scope, "low": sp.low,
                              "high": sp.high, "relative": round(sp.relative, 6), "sources": sp.sources}
                             for sp in c.spreads],
                 "differing": [[ch.figure.passage, ch.figure.start] for ch in c.checks if ch.differs],
                 "disagreements": [[a.passage, b.passage] for a, b, _ in c.disagreements],
                 "url": url(measure_page(c.measure.id), measure_anchor(c.measure.id))} for c in compared)
    events = ({
        "id": e.id, "date": e.date, "planned": e.planned, "conflict": e.conflict,
        "mentions": [{"passage": m.passage, "start": m.start, "end": m.end, "written": m.written, "date": m.date,
                      "planned": m.planned, "sentence": m.sentence,
                      "shown": sic_text(m.sentence, slips.get(m.passage, ()), texts[m.passage],
                                        sentence_at(texts[m.passage], m.sentence, m.start))} for m in e.mentions],
        "url": url(events_at[e.id], event_anchor(e.id)),
    } for e in dossier.events)
    yield from (("format", FORMAT), ("sources", sources), ("passages", passages), ("claims", claims), ("links", links),
                ("figures", figures), ("measures", measures), ("events", events))


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
"""One encoder for every record: `json.dumps` with options makes a new one per call (tens of thousands of records)."""


def _dumps(value) -> str:
    """One value as compact JSON."""
    return _ENCODER.encode(value)


def dossier_json(dossier: Dossier, compared: tuple[Comparison, ...] | list[Comparison]) -> Iterator[str]:
    """Serialised deterministically (fixed key order, no timestamps), one record a line, in pieces: a record at a time.

    Compact within a record: indenting made a third of the file's size, and only Python's slow encoder indents.
    """
    yield "{\n"
    for i, (key, value) in enumerate(_fields(dossier, compared)):
        yield (",\n" if i else "") + f"{_dumps(key)}:"
        if isinstance(value, str):
            yield _dumps(value)
            continue
        empty = True
        for record in value:
            yield ("[\n" if empty else ",\n") + _dumps(record)
            empty = False
        yield "[]" if empty else "\n]"
    yield "\n}\n"


def render(ctx: Context):
    yield DOSSIER_JSON.path, dossier_json(ctx.dossier, ctx.compared)


KIND = PageKind("dossier.json", (DOSSIER_JSON,), render)
