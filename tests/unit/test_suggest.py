"""`build-dossier suggest`: which debates a new source joins, candidate new debates, and YAML that pastes."""

from __future__ import annotations

import dataclasses
import logging
import shutil

import pytest
import yaml
from click.testing import CliRunner

from build_dossier.analyse.claims import find, normalise
from build_dossier.authoring.importer import Given, add
from build_dossier.authoring.suggest import NEW_MIN, suggest, suggest_many, targets
from build_dossier.cli import main
from build_dossier.ingest.config import Project
from build_dossier.model import Rejection
from build_dossier.pipeline import gather
from suggest_recall import leave_one_out
from support import DATA, copy_project, line_changes

IMPORT = DATA / "import"
ADDED = {
    "marsh-meridian-policy-review-2024": (IMPORT / "meridian-article.html", Given()),
    "volkova-baltic-energy-monitor": (IMPORT / "arctic-energy-note.txt",
                                      Given(authors=("Irina Volkova",), publisher="Baltic Energy Monitor")),
    "kessler-northbridge-security-forum-2024": (IMPORT / "kessler-front-matter.md", Given()),
}
MARSH = "marsh-meridian-policy-review-2024"


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("seed"))
    return project, gather(project)[0]


@pytest.fixture(scope="module")
def added(tmp_path_factory):
    """The seed sources plus three imported ones, gathered (suggest needs no site)."""
    project = copy_project(tmp_path_factory.mktemp("suggest"))
    for sid, (path, given) in ADDED.items():
        assert add(project.sources_dir, path, given, "2025-03-01").id == sid
    return project, gather(project)[0]


def blocks(output: str) -> list[tuple[list[str], str]]:
    """(comment lines, YAML text) of each paragraph of the output that holds YAML."""
    out = []
    for chunk in output.split("\n\n"):
        lines = chunk.split("\n")
        code = [line for line in lines if line.strip() and not line.startswith("#")]
        if code:
            out.append(([line for line in lines if line.startswith("#")], "\n".join(code) + "\n"))
    return out


def test_without_a_source_id_it_suggests_for_sources_in_no_debate(seed, added):
    assert targets(added[1]) == tuple(sorted(ADDED))
    assert targets(seed[1]) == ()
    result = CliRunner().invoke(main, ["suggest", "--project", str(added[0].root)])
    assert result.exit_code == 0, result.output
    headers = [line for line in result.output.splitlines() if line.startswith("# Suggestions for ")]
    assert [h.split()[3] for h in headers] == sorted(ADDED)
    result = CliRunner().invoke(main, ["suggest", "--project", str(seed[0].root)])
    assert result.exit_code == 1 and "every source already takes part in a debate" in result.output
    result = CliRunner().invoke(main, ["suggest", "--project", str(seed[0].root), "nobody-2024"])
    assert result.exit_code == 1 and "no source 'nobody-2024'. Sources are: cfr-backgrounder-2025" in result.output


def test_a_clear_position_finds_its_debate(added):
    _, dossier = added
    found = suggest(dossier, MARSH)
    by_debate = {j.claim.id: j for j in found.joins}
    passages = {p.n: p for p in dossier.passages() if p.source == MARSH}
    alliance = next(n for n, p in passages.items() if "not allies in any formal sense" in p.text)
    exercises = next(n for n, p in passages.items() if "Joint military exercises" in p.text)
    assert by_debate["allies"].pick.passage.n == alliance
    assert by_debate["joint-exercises"].pick.passage.n == exercises
    assert [j.pick.score for j in found.joins] == sorted((j.pick.score for j in found.joins), reverse=True)
    kessler = {j.claim.id for j in suggest(dossier, "kessler-northbridge-security-forum-2024").joins}
    assert {"joint-exercises", "arms-sales-trend"} <= kessler


def test_candidate_new_debates_pair_unused_passages_of_other_sources(added):
    _, dossier = added
    used = {pos.passage for c in dossier.claims for pos in c.positions}
    found = suggest(dossier, MARSH)
    assert found.new
    for debate in found.new:
        first, *others = debate.picks
        assert first.passage.source == MARSH
        assert others and len({pk.passage.source for pk in others}) == len(others)
        assert all(pk.passage.id not in used and pk.passage.source != MARSH for pk in others)
        assert all(pk.score >= NEW_MIN for pk in others)
        assert debate.id not in {c.id for c in dossier.claims}
    pairs = {(d.picks[0].passage.n, pk.passage.source) for d in found.new for pk in d.picks[1:]}
    crude = next(p.n for p in dossier.passages() if p.source == MARSH and "Russian crude oil" in p.text)
    assert (crude, "volkova-baltic-energy-monitor") in pairs
    joining = {j.pick.passage.id for j in found.joins}  # a passage proposed for a debate seeds no new one
    assert not joining & {d.picks[0].passage.id for d in found.new}


def test_quotes_are_verbatim_sentences_that_stand_in_one_passage(added):
    _, dossier = added
    own = {}
    for p in dossier.passages():
        own.setdefault(p.source, []).append(p)
    for sid in ADDED:
        found = suggest(dossier, sid)
        picks = [j.pick for j in found.joins] + [pk for d in found.new for pk in d.picks]
        assert picks, sid
        for pick in picks:
            assert normalise(pick.quote)[0] in normalise(pick.passage.text)[0]
            assert [p.n for p in own[pick.passage.source] if find(pick.quote, p)] == [pick.passage.n]


def paste(ledger: str, output: str) -> str:
    """Paste every block of `suggest`'s output where its comments say: a position under its debate's
    `positions:`, a new debate under `debates:`."""
    lines = ledger.split("\n")
    for comments, code in blocks(output):
        debate = next((c.split()[2].rstrip(":") for c in comments if c.startswith("# debate ")), None)
        if debate:
            start = lines.index(f"  - id: {debate}")
            at = start + lines[start:].index("    positions:") + 1
        else:
            assert code.startswith("  - id: ")
            at = lines.index("debates:") + 1
        lines[at:at] = code.rstrip("\n").split("\n")
    return "\n".join(lines)


def test_printed_yaml_pastes_into_the_ledger_and_its_quotes_resolve(added):
    project, dossier = added
    result = CliRunner().invoke(main, ["suggest", "--project", str(project.root), MARSH])
    assert result.exit_code == 0, result.output
    for _, code in blocks(result.output):
        assert isinstance(yaml.safe_load(code), list)
    ledger = project.sources_dir / "claims.yaml"
    original = ledger.read_text(encoding="utf-8")
    try:
        ledger.write_text(paste(original, result.output), encoding="utf-8")
        pasted, problems = gather(project)
    finally:
        ledger.write_text(original, encoding="utf-8")
    assert all(p.severity == "warning" and "no relation is declared" in p.message for p in problems), problems
    found = suggest(dossier, MARSH)
    claims = {c.id: c for c in pasted.claims}
    for join in found.joins:
        position = claims[join.claim.id].position(MARSH)
        assert (position.passage, position.stance) == (join.pick.passage.id, "TODO: a few words")
    for debate in found.new:
        assert [pos.passage for pos in claims[debate.id].positions] == [pk.passage.id for pk in debate.picks]
    assert len(pasted.claims) == len(dossier.claims) + len(found.new)


def test_yaml_quoting_survives_hostile_text(tmp_path, seed):
    project = copy_project(tmp_path)
    hostile = ('Officials insist: "China and Russia are not allies; Moscow and Beijing do not want to sign a formal '
               "military alliance\" — see C:\\archive\\2024 #7 {draft}: [final] 'yes' & *no* | %s `x`")
    note = tmp_path / "hostile.txt"
    note.write_text(hostile + "\n", encoding="utf-8")
    add(project.sources_dir, note, Given(id="hostile-note", authors=("A Person",), publisher="P"), "2025-03-01")
    dossier, _ = gather(project)
    result = CliRunner().invoke(main, ["suggest", "--project", str(project.root)])
    assert result.exit_code == 0, result.output
    quotes = [item["quote"] for _, code in blocks(result.output) for item in yaml.safe_load(code) if "quote" in item]
    assert hostile in quotes
    join = next(j for j in suggest(dossier, "hostile-note").joins if j.claim.id == "allies")
    assert join.pick.quote == hostile


@pytest.mark.slow  # seconds of work: the slow tier
def test_held_out_positions_of_the_seed_ledger_are_found_again(seed):
    """Remove each position of the seed ledger in turn: suggest should put its debate back (tests/suggest_recall.py)."""
    logging.getLogger("build_dossier").setLevel(logging.WARNING)
    recall = leave_one_out(seed[1])
    assert recall.cases == sum(len(c.positions) for c in seed[1].claims) >= 100
    assert recall.debates >= 0.85, recall  # 0.79 before debates were matched by their quotes, stems and phrases
    assert recall.positions >= 0.45, recall
    assert recall.first >= 0.5, recall


def test_a_source_of_headings_only_gets_no_suggestion_and_no_crash(tmp_path):
    project = copy_project(tmp_path)
    (project.sources_dir / "headings-only.md").write_text(
        "---\nid: headings-only\ntitle: Headings\nauthors: [A Person]\npublisher: P\ndate: 2024-05-01\n"
        "url: null\nurl_note: none\nlicense: null\nlicense_note: none\naccessed: 2024-05-02\nformat: markdown\n---\n"
        "# Only a heading\n\n## Another heading\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["suggest", "--project", str(project.root), "headings-only"])
    assert result.exit_code == 0, result.output
    assert "(0 passages)" in result.output and "None scores" in result.output


def test_write_adds_the_suggestions_as_proposals_in_place_and_only_once(added, tmp_path):
    project = Project(shutil.copytree(added[0].root, tmp_path / "p"))
    ledger = project.sources_dir / "claims.yaml"
    before = ledger.read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["suggest", "--write", "--project", str(project.root)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Proposed in sources/claims.yaml: ")
    after = ledger.read_text(encoding="utf-8")
    assert {kind for kind, _, _ in line_changes(before, after)} == {"insert"}  # the rest of the file byte for byte
    dossier, problems = gather(project)
    assert problems == []  # a proposal needs no stance and no relation
    found = suggest_many(added[1], targets(added[1]))
    assert {(c.id, p.source, p.passage) for c in dossier.claims for p in c.proposed} == {
        (j.claim.id, s.source, j.pick.passage.id) for s in found for j in s.joins}
    assert {frozenset(p.passage for p in c.positions) for c in dossier.proposed} == {
        frozenset(pick.passage.id for pick in d.picks) for s in found for d in s.new}
    assert all(c.status == "proposed" for c in dossier.proposed) and dossier.proposed
    assert [(c.id, c.positions, c.relations) for c in dossier.claims] == [
        (c.id, c.positions, c.relations) for c in added[1].claims]  # the reviewed debates as they were
    assert targets(dossier) == ()
    for sid in ADDED:  # written once: the same suggestions again add nothing
        again = CliRunner().invoke(main, ["suggest", "--write", "--project", str(project.root), sid])
        assert again.exit_code == 0 and again.output.startswith("Nothing new to propose"), again.output
    assert ledger.read_text(encoding="utf-8") == after


def test_a_rejected_proposal_is_never_made_again(added):
    _, dossier = added
    found = suggest(dossier, MARSH)
    first, new = found.joins[0], found.new[0]
    pair = (new.picks[0].passage.id, new.picks[1].passage.id)
    rejected = dataclasses.replace(dossier, rejected=(Rejection(first.claim.id, MARSH), Rejection(passages=pair)))
    again = suggest(rejected, MARSH)
    assert first.claim.id not in {j.claim.id for j in again.joins}
    assert [j.claim.id for j in again.joins][:len(found.joins) - 1] == [j.claim.id for j in found.joins[1:]]  # the next
    assert not any(d.picks[0].passage.id == pair[0] and pair[1] in {p.passage.id for p in d.picks} for d in again.new)
