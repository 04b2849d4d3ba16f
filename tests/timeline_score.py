"""Timeline evaluation against two hand-labelled sets: `data/timeline.yaml`, the three seed articles (labelled
before the extractor existed, which was then written with it in view), and `data/timeline-heldout.yaml`, eight
articles of `data/unseen-topics.yaml` the extractor was never tuned on (labelled blind, before measuring).

Scoring as the set's header suggests: an extracted mention matches a labelled one when the passage is the same
and the written spans overlap; `strict` also asks for the same normalised date. Relative mentions are neither
required nor counted against; everything else extracted that matches no labelled mention is a false positive.
Event recall counts labelled events with at least one matched mention. Run `python tests/timeline_score.py` to
print the numbers of docs/about/timeline.md (the real pipeline on the three seed articles; the extractor on the
held-out articles' passages).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml


DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Gold:
    """One labelled mention: where it stands and what it says."""

    event: str
    passage: str
    start: int
    end: int
    date: str | None


@dataclass(frozen=True)
class Score:
    """Precision and recall of the extracted mentions, and how the events came out."""

    extracted: int
    matched: int
    """Extracted mentions matching a scored labelled one (same passage, overlapping spans; same date if strict)."""
    false_positives: tuple[str, ...]
    """`passage: written` of every extracted mention matching nothing labelled."""
    missed: tuple[str, ...]
    """`passage: written` of every scored labelled mention no extracted one matches."""
    gold_mentions: int
    gold_events: int
    events_found: int
    """Labelled events with at least one matched mention."""
    shared_events: int
    """Labelled events told by two or more sources."""
    shared_joined: int
    """Of those, the ones for which one extracted event holds matched mentions of two or more of their sources."""

    @property
    def precision(self) -> float:
        return self.matched / (self.matched + len(self.false_positives)) if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return (self.gold_mentions - len(self.missed)) / self.gold_mentions


def _gold(event: str, m: dict, passages: dict[str, str]) -> Gold:
    """A labelled mention located in its passage text."""
    text = passages[m["passage"]]
    start = text.index(m["sentence"]) + m["sentence"].index(m["written"])
    return Gold(event, m["passage"], start, start + len(m["written"]), m.get("date"))


def load_gold(passages: dict[str, str], name: str = "timeline.yaml") -> tuple[list[Gold], list[Gold]]:
    """(scored mentions, ignored ones: relative mentions) of the set `data/<name>`, located in the passage texts."""
    doc = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    scored = [_gold(e["id"], m, passages) for e in doc["events"] for m in e["mentions"]]
    ignored = [_gold(e["id"], m, passages) for e in doc["events"] for m in e.get("relative_mentions") or ()]
    ignored += [_gold("", m, passages) for m in doc.get("relative_only") or ()]
    return scored, ignored


def score(events: list[dict], passages: dict[str, str], strict: bool = True, name: str = "timeline.yaml") -> Score:
    """The extracted `events` (as in dossier.json: `id`, `mentions` with `passage`, `start`, `end`, `written`, `date`)
    against the labelled set `data/<name>`; `passages`: passage id -> text."""
    gold, ignored = load_gold(passages, name)
    mentions = [(e["id"], m) for e in events for m in e["mentions"]]

    def hits(m: dict, g: Gold) -> bool:
        return m["passage"] == g.passage and m["start"] < g.end and g.start < m["end"]

    matched, false_positives, found_by = 0, [], {}
    for event_id, m in mentions:
        good = [g for g in gold if hits(m, g) and (not strict or g.date == m["date"])]
        if good:
            matched += 1
            for g in good:
                found_by.setdefault(g, []).append((event_id, m["passage"].rsplit("-p", 1)[0]))
        elif any(hits(m, g) for g in gold):
            false_positives.append(f"{m['passage']}: {m['written']} (date {m['date']})")
        elif not any(hits(m, g) for g in ignored):
            false_positives.append(f"{m['passage']}: {m['written']}")
    missed = tuple(f"{g.passage}: {passages[g.passage][g.start:g.end]}" for g in gold if g not in found_by)
    by_event: dict[str, list[Gold]] = {}
    for g in gold:
        by_event.setdefault(g.event, []).append(g)
    shared = [gs for gs in by_event.values() if len({g.passage.rsplit("-p", 1)[0] for g in gs}) > 1]
    joined = 0
    for gs in shared:  # one extracted event holds matched mentions of two or more of its sources
        sources: dict[str, set[str]] = {}
        for g in gs:
            for event_id, source in found_by.get(g, ()):
                sources.setdefault(event_id, set()).add(source)
        joined += any(len(s) > 1 for s in sources.values())
    return Score(len(mentions), matched, tuple(false_positives), missed, len(gold), len(by_event),
                 sum(any(g in found_by for g in gs) for gs in by_event.values()), len(shared), joined)


def seed_score(strict: bool = True) -> Score:
    """The real pipeline's timeline of the three seed articles (as dossier.json gives it), scored."""
    import tempfile

    from build_dossier.pipeline import gather
    from build_dossier.render.pages.dossier_json import dossier_data
    from support import copy_project

    with tempfile.TemporaryDirectory() as tmp:
        dossier = gather(copy_project(Path(tmp) / "p"))[0]
    data = dossier_data(dossier, ())
    return score(data["events"], {p["id"]: p["text"] for p in data["passages"]}, strict)


def heldout_score(strict: bool = True) -> Score:
    """The extractor's timeline of the held-out articles' passages (as `evaluate.py` builds them), scored."""
    from build_dossier.analyse.events import timeline
    from evaluate import unseen_halves, unseen_passages

    doc = yaml.safe_load((DATA / "timeline-heldout.yaml").read_text(encoding="utf-8"))
    labelled = {m["passage"].rsplit("-p", 1)[0] for e in doc["events"] for m in e["mentions"]}
    labelled |= {m["passage"].rsplit("-p", 1)[0] for m in doc["non_events"]}
    passages = tuple(p for a in unseen_halves()["whole"] if a["id"] in labelled for p, _, _ in unseen_passages(a))
    events = [{"id": e.id, "mentions": [{"passage": m.passage, "start": m.start, "end": m.end, "written": m.written,
                                         "date": m.date} for m in e.mentions]} for e in timeline(passages)]
    return score(events, {p.id: p.text for p in passages}, strict, "timeline-heldout.yaml")


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    for label, strict, measure in (("seed, strict (same date)", True, seed_score),
                                   ("seed, spans only", False, seed_score),
                                   ("held-out, strict (same date)", True, heldout_score)):
        s = measure(strict)
        print(f"{label}: extracted {s.extracted}, matched {s.matched}, "
              f"precision {s.precision:.3f}, recall {s.recall:.3f} ({s.gold_mentions - len(s.missed)}/{s.gold_mentions} "
              f"mentions), events found {s.events_found}/{s.gold_events}, events told by several sources joined "
              f"{s.shared_joined}/{s.shared_events}")
        for fp in s.false_positives:
            print("  false positive:", fp)
        for miss in s.missed:
            print("  missed:", miss)
