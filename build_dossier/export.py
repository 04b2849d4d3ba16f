"""Stage 6b: the machine-readable `dossier.json` (format in docs/about/dossier-json.md)."""

from __future__ import annotations

import json

from .measures import compare
from .model import Dossier
from .render import page_url, passage_url, source_page_path

FORMAT = "build-dossier/1"


def dossier_data(dossier: Dossier) -> dict:
    """The whole dossier as plain data, in a fixed order."""
    sources = []
    for seg in dossier.sources:
        s = seg.source
        sources.append({
            "id": s.id, "title": s.title, "subtitle": s.subtitle, "authors": list(s.authors),
            "publisher": s.publisher, "date": s.date, "url": s.url, "license": s.license,
            "accessed": s.accessed, "notes": dict(s.notes), "page_url": page_url(source_page_path(s.id)),
            "passages": len(seg.passages),
        })
    passages = [{
        "id": p.id, "source": p.source, "n": p.n, "kind": p.kind,
        "section": p.section.title if p.section else None, "text": p.text,
        "topics": list(p.topics), "url": passage_url(p),
    } for p in dossier.passages()]
    claims = [{
        "id": c.id, "question": c.question, "topics": list(c.topics),
        "positions": [{"source": pos.source, "passage": pos.passage, "quote": pos.exact, "stance": pos.stance}
                      for pos in c.positions],
        "relations": [{"source": r.source, "other": r.other, "kind": r.kind} for r in c.relations],
        "url": page_url(f"debates/{c.id}.md"),
    } for c in dossier.claims]
    links = [{"from": link.source, "to": link.target, "kind": link.kind, "claim": link.claim} for link in dossier.links]
    figures = [{
        "passage": f.passage, "start": f.start, "end": f.end, "text": f.text, "kind": f.kind, "measure": f.measure,
        "unit": f.unit, "value": f.value, "normalised": f.normalised, "normalised_unit": f.normalised_unit,
        "year": f.year, "modifier": f.modifier, "target": f.target,
    } for f in dossier.figures]
    measures = []
    for m in dossier.measures:
        c = compare(m, dossier.figures)
        if c.figures:
            measures.append({"id": m.id, "label": m.label, "kind": m.kind, "tolerance": m.tolerance,
                             "figures": len(c.figures), "compared": c.compared,
                             "differing": [[ch.figure.passage, ch.figure.start] for ch in c.checks if ch.differs],
                             "disagreements": [[a.passage, b.passage] for a, b, _ in c.disagreements],
                             "url": f"figures.html#m-{m.id}"})
    return {"format": FORMAT, "sources": sources, "passages": passages, "claims": claims, "links": links,
            "figures": figures, "measures": measures}


def dossier_json(dossier: Dossier) -> str:
    """Serialised deterministically (fixed key order, no timestamps)."""
    return json.dumps(dossier_data(dossier), ensure_ascii=False, indent=1) + "\n"
