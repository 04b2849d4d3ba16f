"""Writing the ledger (authoring/ledger.py): proposals added in place, reviewed or rejected, the rest byte for byte."""

from __future__ import annotations

import pytest
import yaml

from build_dossier.authoring.ledger import REJECTED_COMMENT, LedgerText, Reviewed
from build_dossier.errors import DossierError
from build_dossier.model import Rejection
from support import ROOT, line_changes

LEDGER = (ROOT / "sources" / "claims.yaml").read_text(encoding="utf-8")
IDS = [line.split()[-1] for line in LEDGER.splitlines() if line.startswith("  - id: ")]
HOSTILE = 'He said: "no alliance" — C:\\temp #1 {x}: [y] \'z\' & *w* | %s `q` ’curly’ \\n'


def proposed_everywhere(text: str) -> str:
    """The ledger with a proposed position in every debate and two proposed new debates."""
    ledger = LedgerText(text, "sources/claims.yaml")
    for debate in IDS:
        ledger.propose_join(debate, "new-source", f"words of the new source on {debate}", "build-dossier suggest: score 0.2")
    ledger.propose_debate("new-one", ("trade",), (("new-source", HOSTILE), ("lo-cepa-2024", "two")), "cosine 0.1")
    ledger.propose_debate("new-two", ("trade", "military"), (("new-source", "three"), ("cfr-backgrounder-2025", "four")),
                          "cosine 0.1")
    return ledger.dump()


def test_the_seed_ledger_is_written_back_byte_for_byte():
    assert LedgerText(LEDGER, "sources/claims.yaml").dump() == LEDGER


def test_proposals_only_add_lines_each_under_its_debate():
    after = proposed_everywhere(LEDGER)
    found = line_changes(LEDGER, after)
    assert {kind for kind, _, _ in found} == {"insert"}  # not one line of the 765 changed or moved
    inserted = [lines for _, _, lines in found]
    assert len(inserted) == len(IDS)  # one block per debate; the new debates follow the last one's
    data = yaml.safe_load(after)
    for debate in data["debates"][:len(IDS)]:
        assert debate["positions"][-1] == {"source": "new-source", "status": "proposed",
                                           "quote": f"words of the new source on {debate['id']}"}
    assert [d["id"] for d in data["debates"][len(IDS):]] == ["new-one", "new-two"]
    assert data["debates"][-2]["positions"][0]["quote"] == " ".join(HOSTILE.split())  # quoted safely
    # Section comments stay in front of their section's first debate, not after a proposal appended before them.
    lines = after.splitlines()
    for header in ("trade", "military", "outlook"):
        at = next(i for i, line in enumerate(lines) if line.startswith("  # ---") and line.endswith(header))
        assert lines[at - 1] == "" and lines[at + 1].startswith("  - id: ")
        assert lines[at - 2].startswith('        quote: "words of the new source on')


def test_rejecting_every_proposal_gives_back_the_ledger_plus_the_rejections():
    ledger = LedgerText(proposed_everywhere(LEDGER), "sources/claims.yaml")
    for debate in IDS:
        ledger.reject(debate, Rejection(debate, "new-source"))
    ledger.reject("new-two", Rejection(passages=("new-source-p3", "cfr-backgrounder-2025-p4")))
    ledger.reject("new-one", Rejection(passages=("new-source-p1", "lo-cepa-2024-p2")))
    out = ledger.dump()
    assert out.startswith(LEDGER)
    rejected = yaml.safe_load(out)["rejected"]
    assert out[len(LEDGER):].startswith(f"\n# {REJECTED_COMMENT}\nrejected:\n  - debate: {IDS[0]}\n    source: new-source\n")
    assert rejected[-2:] == [{"passages": ["new-source-p3", "cfr-backgrounder-2025-p4"]},
                             {"passages": ["new-source-p1", "lo-cepa-2024-p2"]}]


SMALL = """debates:
  - id: a
    question: "Q"
    topics: [trade]
    positions:
      - source: s
        stance: "t"
        quote: "q"
      - source: u
        stance: "t"
        quote: "q2"
        relations: {s: agrees}  # flow style, with a comment

  # ---- next section
  - id: b
    question: 'single quotes'
    topics:
      - trade
    positions:
      - source: s
        stance: "t"
        quote: "q"
      - source: u
        stance: "t"
        quote: "q"
        relations:
          s: agrees   # aligned comment

# the end
"""


@pytest.mark.parametrize("debate", ["a", "b"])
def test_comments_after_the_last_position_move_with_it_and_come_back(debate):
    ledger = LedgerText(SMALL, "claims.yaml")
    ledger.propose_join(debate, "new", "nq", "note")
    ledger.propose_debate("c", ("trade",), (("new", "n1"), ("s", "n2")), "note")
    added = ledger.dump()
    assert {kind for kind, _, _ in line_changes(SMALL, added)} == {"insert"}
    assert added.endswith('        quote: "n2"\n\n# the end\n')
    ledger = LedgerText(added, "claims.yaml")
    ledger.reject(debate, Rejection(debate, "new"))
    ledger.reject("c", Rejection(passages=("new-p1", "s-p2")))
    expected = SMALL.replace("\n# the end\n", f"\n# {REJECTED_COMMENT}\nrejected:\n  - debate: {debate}\n    source: new\n"
                                              "  - passages: [new-p1, s-p2]\n\n# the end\n")
    assert ledger.dump() == expected


def test_accepting_writes_the_stance_quote_and_relations_where_a_hand_written_position_has_them():
    ledger = LedgerText(SMALL, "claims.yaml")
    ledger.propose_join("a", "new", "nq", "note")
    ledger.propose_debate("c", ("trade",), (("new", "n1"), ("s", "n2"), ("u", "n3")), "note")
    ledger = LedgerText(ledger.dump(), "claims.yaml")
    ledger.accept("a", (Reviewed("new", "a stance", "a longer quote", (("s", "agrees"), ("u", "disputes"))),))
    ledger.accept("c", (Reviewed("new", "first", "n1"), Reviewed("u", "third", "n3", (("new", "qualifies"),))),
                  question='Is it "so"?', topics=("trade", "outlook"), new_id="so")
    assert ledger.dump() == SMALL.replace("# flow style, with a comment\n", """# flow style, with a comment
      - source: new
        stance: "a stance"
        quote: "a longer quote"
        relations:
          s: agrees
          u: disputes
""").replace("\n# the end\n", """
  - id: so
    question: "Is it \\"so\\"?"
    topics: [trade, outlook]
    positions:
      - source: new
        stance: "first"
        quote: "n1"
      - source: u
        stance: "third"
        quote: "n3"
        relations:
          new: qualifies

# the end
""")


def test_other_indents_are_kept():
    layout = "debates:\n- id: a\n  question: Q\n  topics: [trade]\n  positions:\n  - source: s\n    stance: t\n    quote: q\n"
    ledger = LedgerText(layout, "sources/claims.yaml")
    ledger.propose_join("a", "new", "nq", "note")
    assert line_changes(layout, ledger.dump()) == [("insert", [], ["  - source: new\n", "    status: proposed  # note\n",
                                                             '    quote: "nq"\n'])]


@pytest.mark.parametrize("layout", ["debates:\n    -   id: a\n        question: Q\n", "debates:\n  - id: a\n    question:   Q\n"])
def test_a_layout_that_would_change_is_left_alone(layout):
    with pytest.raises(DossierError, match="cannot be written back without changing its layout, so it is left alone"):
        LedgerText(layout, "sources/claims.yaml")


def test_a_missing_or_empty_ledger_gets_the_documented_layout():
    for text in (None, "", "# only a comment\n"):
        ledger = LedgerText(text, "sources/claims.yaml")
        ledger.propose_debate("c", ("trade",), (("new", "n1"), ("s", "n2")), "note")
        out = ledger.dump()
        assert yaml.safe_load(out)["debates"][0]["id"] == "c"
        assert "\n  - id: c\n    status: proposed  # note\n    topics: [trade]\n    positions:\n      - source: new\n" in out


def test_a_ledger_that_is_not_yaml_is_refused_with_the_reason():
    with pytest.raises(DossierError, match="the ledger is not valid YAML"):
        LedgerText("debates: [\n", "sources/claims.yaml")
