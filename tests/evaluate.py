"""Topic-tagger evaluation against hand-labelled sets (precision, recall, F1 per topic).

Two sets: `data/reading.yaml`, the three seed articles the cues were first written for, and
`data/unseen-topics.yaml`, 22 articles the tagger was never tuned on. The unseen set is split by
article into a dev half (the 1st, 3rd, 5th … article in file order), the only half looked at while
choosing cues and parameters, and a held-out half (the 2nd, 4th, 6th …), reported separately.
Run `python tests/evaluate.py` to print every table (as in docs/about/topics.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from build_dossier.analyse.tag import decide, default_tagger
from build_dossier.model import TOPICS, Passage

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Scores:
    """Precision, recall and F1 of one topic."""

    topic: str
    precision: float
    recall: float
    f1: float
    support: int


def evaluate(predicted: dict[str, tuple[str, ...]], gold: dict[str, tuple[str, ...]]) -> tuple[Scores, ...]:
    """Per-topic scores over the passages in `gold`."""
    out = []
    for t in TOPICS:
        tp = sum(t in predicted.get(pid, ()) and t in g for pid, g in gold.items())
        fp = sum(t in predicted.get(pid, ()) and t not in g for pid, g in gold.items())
        fn = sum(t not in predicted.get(pid, ()) and t in g for pid, g in gold.items())
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out.append(Scores(t, p, r, f, tp + fn))
    return tuple(out)


def macro_f1(scores: tuple[Scores, ...]) -> float:
    """The unweighted mean of the topics' F1."""
    return sum(s.f1 for s in scores) / len(scores)


def table(scores: tuple[Scores, ...]) -> str:
    """Markdown table of the scores."""
    rows = ["| topic | precision | recall | F1 | passages |", "| --- | --- | --- | --- | --- |"]
    rows += [f"| {s.topic} | {s.precision:.2f} | {s.recall:.2f} | {s.f1:.2f} | {s.support} |" for s in scores]
    rows.append(f"| **macro** | | | **{macro_f1(scores):.2f}** | |")
    return "\n".join(rows)


def unseen_halves() -> dict[str, list[dict]]:
    """The unseen articles: the whole set, its dev half and its held-out half."""
    articles = yaml.safe_load((DATA / "unseen-topics.yaml").read_text(encoding="utf-8"))["articles"]
    return {"whole": articles, "dev": articles[0::2], "held-out": articles[1::2]}


def unseen_passages(article: dict) -> list[tuple[Passage, str, tuple[str, ...]]]:
    """An article's passages with the lead-in each list item completes, and the gold topics.

    The set keeps text only (list markers were dropped), so an item is recognised by its punctuation:
    it follows a paragraph ending in a colon, or an item ending in `;` / `; and`.
    """
    out, lead, prev, in_list = [], "", "", False
    for n, entry in enumerate(article["passages"], 1):
        text = entry["text"]
        in_list = prev.endswith(":") or (in_list and prev.endswith((";", "; and")))
        if prev.endswith(":"):
            lead = prev
        kind = "bullet" if in_list else "paragraph"
        out.append((Passage(article["id"], n, kind, None, 0, len(text), text, 1), lead if in_list else "",
                    tuple(entry["topics"])))
        prev = text.rstrip()
    return out


def unseen_scores(articles: list[dict]) -> tuple[Scores, ...]:
    """The real tagger's scores (no overrides) on the given unseen articles."""
    tagger, predicted, gold = default_tagger(), {}, {}
    for article in articles:
        for passage, lead_in, topics in unseen_passages(article):
            predicted[passage.id] = decide(passage, tagger, None, lead_in).auto
            gold[passage.id] = topics
    return evaluate(predicted, gold)


def seed_scores(dossier, reading: dict) -> tuple[Scores, ...]:
    """The real tagger's scores (overrides off) on the three seed articles, against the hand reading."""
    gold, predicted = {}, {}
    for seg in dossier.sources:
        entries = reading[seg.source.id]["passages"]
        for p, entry in zip(seg.passages, entries, strict=True):
            assert p.text.startswith(entry["opening"])
            gold[p.id] = tuple(entry["topics"])
            predicted[p.id] = dossier.decisions[p.id].auto
    return evaluate(predicted, gold)


def all_tables(dossier, reading: dict) -> dict[str, tuple[Scores, ...]]:
    """Every table of docs/about/topics.md: the seed articles, the unseen set whole and by half."""
    return {"seed": seed_scores(dossier, reading), **{k: unseen_scores(v) for k, v in unseen_halves().items()}}


if __name__ == "__main__":
    from build_dossier.pipeline import Project, gather

    done, _ = gather(Project(Path(__file__).parent.parent))
    reading = yaml.safe_load((DATA / "reading.yaml").read_text(encoding="utf-8"))
    for name, scores in all_tables(done, reading).items():
        print(f"{name} (macro-F1 {macro_f1(scores):.4f})\n\n{table(scores)}\n")
