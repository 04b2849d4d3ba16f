"""The topic tagger: cue matching, explanations, overrides, and accuracy on the hand-labelled set."""

from __future__ import annotations

from dataclasses import replace

import pytest

from build_dossier.errors import DossierError
from build_dossier.pipeline import Project, gather
from evaluate import evaluate, macro_f1, table
from build_dossier.analyse.tag import Tagger, count_cues, decide, default_tagger, explain, make_cue, parse_tagger
from build_dossier.model import Passage
from support import ROOT, copy_project


@pytest.mark.parametrize("cue, text, hits", [
    ("trade", "Bilateral trade grew.", 1),
    ("trade", "The traders left.", 0),
    ("sanction*", "sanctions and sanctioned firms", 2),
    ("UN", "at the UN Security Council", 1),
    ("UN", "Kim Jong Un and un-related", 0),
    ("military", "military-to-military cooperation", 2),
    ("world order", "the world\norder", 1),
    ("Russia's", "Russia’s war", 1),
    ("de-dollarization", "a process known as de-dollarization.", 1),
    ("interoperab*", "Interoperability and interoperable forces", 2),
    ("trading partner*", "top ten trading partners", 1),
])
def test_cue_matching(cue, text, hits):
    c = make_cue("trade", cue, 1.0)
    tagger = Tagger((c,), (), (), ())
    assert count_cues(text, tagger).get(c, 0) == hits


def test_tagger_accuracy_on_hand_labelled_set(reading, capsys):
    """Overrides switched off: the cues alone must reach macro-F1 0.85."""
    dossier, _ = gather(Project(ROOT))
    gold, predicted = {}, {}
    for seg in dossier.sources:
        entries = reading[seg.source.id]["passages"]
        for p, entry in zip(seg.passages, entries, strict=True):
            assert p.text.startswith(entry["opening"])
            gold[p.id] = tuple(entry["topics"])
            predicted[p.id] = dossier.decisions[p.id].auto
    scores = evaluate(predicted, gold)
    print("\n" + table(scores))
    assert macro_f1(scores) >= 0.85


def test_explain_names_the_cues_and_scores():
    dossier, _ = gather(Project(ROOT))
    text = explain(dossier.decisions["gabuev-foreign-affairs-2024-p9"])
    assert text.startswith("gabuev-foreign-affairs-2024-p9: topics trade")
    assert "'bilateral trade'" not in text or "x" in text
    assert "'trade' x" in text and "threshold" not in text and "needs 3.00" in text


def test_overrides_apply_and_unknown_passages_are_errors(tmp_path):
    project = copy_project(tmp_path)
    (project.sources_dir / "topic-overrides.yaml").write_text(
        "overrides:\n  - passage: lo-cepa-2024-p28\n    topics: []\n    reason: author bio\n"
        "  - passage: lo-cepa-2024-p999\n    topics: [trade]\n    reason: typo\n", encoding="utf-8")
    with pytest.raises(DossierError) as err:
        gather(project)
    assert ("error: sources/topic-overrides.yaml [overrides]: passage 'lo-cepa-2024-p999' does not exist."
            in str(err.value))
    (project.sources_dir / "topic-overrides.yaml").write_text(
        "overrides:\n  - passage: lo-cepa-2024-p28\n    topics: []\n    reason: author bio\n", encoding="utf-8")
    dossier, _ = gather(project)
    p28 = [p for p in dossier.passages() if p.id == "lo-cepa-2024-p28"][0]
    assert p28.topics == ()
    assert dossier.decisions[p28.id].auto != ()
    assert "overridden by the ledger" in explain(dossier.decisions[p28.id])


def test_bad_override_topic(tmp_path):
    project = copy_project(tmp_path)
    (project.sources_dir / "topic-overrides.yaml").write_text(
        "overrides:\n  - passage: lo-cepa-2024-p2\n    topics: [economy]\n    reason: x\n", encoding="utf-8")
    with pytest.raises(DossierError) as err:
        gather(project)
    assert ("error: sources/topic-overrides.yaml:3 [overrides[0].topics]: 'economy' is not a topic. "
            "Fix: use a list of: trade, military, diplomacy, outlook (or [] for none).") in str(err.value)


BROKEN_TOPICS = "topics:\n  trade:\n    cues:\n      oil: heavy\n    treshold: 2\nfallback: -1\n"


def test_bad_topics_file():
    problems = [str(p) for p in parse_tagger(BROKEN_TOPICS, "topics.yaml")[1]]
    assert problems == [
        "error: topics.yaml:6 [fallback]: -1 is not a number of at least 0. Fix: write e.g. `fallback: 2` (or 0 to switch it off).",
        "error: topics.yaml:1 [topics]: expected a mapping with exactly the topics trade, military, diplomacy, outlook. "
        "Fix: add or remove topics to match.",
        "error: topics.yaml:5 [topics.trade.treshold]: unknown key 'treshold'. Fix: did you mean 'threshold'? "
        "valid keys: cues, description, relative, threshold.",
        "error: topics.yaml:2 [topics.trade.description]: required key 'description' is missing. Fix: add `description: …`.",
        "error: topics.yaml:4 [topics.trade.cues.oil]: 'heavy' is not a number. Fix: write a number such as 1.5.",
    ]


def test_a_broken_topics_file_is_reported_with_every_other_problem(monkeypatch, tmp_path):
    """A package data file's problems are collected like a ledger's: one run names them all, nothing half applied."""
    import build_dossier.pipeline as pipeline
    project = copy_project(tmp_path)
    (project.sources_dir / "topic-overrides.yaml").write_text("overrides: 7\n", encoding="utf-8")
    monkeypatch.setattr(pipeline, "load_tagger", lambda: parse_tagger(BROKEN_TOPICS, "build_dossier/data/topics.yaml"))
    with pytest.raises(DossierError) as err:
        gather(project)
    files = [p.file for p in err.value.problems]
    assert files.count("build_dossier/data/topics.yaml") == 5 and "sources/topic-overrides.yaml" in files


def test_a_short_passage_gets_its_best_topic_by_the_fallback():
    tagger = default_tagger()
    bullet = Passage("t", 1, "bullet", None, 0, 44, "components of missile early-warning systems", 1)
    decision = decide(bullet, tagger, None)
    assert decision.auto == ("military",)
    assert "fallback" in explain(decision, tagger)
    off = replace(tagger, fallback=0.0)
    assert decide(bullet, off, None).auto == ()
    nothing = Passage("t", 2, "paragraph", None, 0, 20, "He said so, twice.", 1)
    assert decide(nothing, tagger, None).auto == ()
