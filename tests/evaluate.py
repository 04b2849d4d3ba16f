"""Topic-tagger evaluation against a hand-labelled set (precision, recall, F1 per topic)."""

from __future__ import annotations

from dataclasses import dataclass

from build_dossier.model import TOPICS


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
    return sum(s.f1 for s in scores) / len(scores)


def table(scores: tuple[Scores, ...]) -> str:
    """Markdown table of the scores."""
    rows = ["| topic | precision | recall | F1 | passages |", "| --- | --- | --- | --- | --- |"]
    rows += [f"| {s.topic} | {s.precision:.2f} | {s.recall:.2f} | {s.f1:.2f} | {s.support} |" for s in scores]
    rows.append(f"| **macro** | | | **{macro_f1(scores):.2f}** | |")
    return "\n".join(rows)
