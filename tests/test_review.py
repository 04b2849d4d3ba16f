"""`build-dossier review`: the proposals of `suggest --write` accepted, rejected or skipped in a terminal session."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import sys
from pathlib import Path

import pexpect
import pytest
import yaml
from click.testing import CliRunner

from build_dossier.authoring.proposals import pending
from build_dossier.authoring.suggest import suggest
from build_dossier.cli import main
from build_dossier.ingest.config import Project
from build_dossier.pipeline import gather
from support import DATA, ROOT, broken_links, copy_project, fragments, serve

IMPORT = DATA / "import"
ARTIFACTS = ROOT / "test-artifacts"
ADDED = [[str(IMPORT / "meridian-article.html")],
         [str(IMPORT / "arctic-energy-note.txt"), "--author", "Irina Volkova", "--publisher", "Baltic Energy Monitor"],
         [str(IMPORT / "kessler-front-matter.md")]]


def cli(project: Project, *args: str, **kwargs):
    result = CliRunner().invoke(main, [*args, "--project", str(project.root)], **kwargs)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def proposed(tmp_path_factory):
    """The seed project with three sources added and `suggest --write` run."""
    project = copy_project(tmp_path_factory.mktemp("proposed"))
    for args in ADDED:
        cli(project, "add", *args)
    cli(project, "suggest", "--write")
    return project


@pytest.fixture
def project(proposed, tmp_path):
    return Project(shutil.copytree(proposed.root, tmp_path / "p"))


def ledger(project: Project) -> dict:
    return yaml.safe_load((project.sources_dir / "claims.yaml").read_text(encoding="utf-8"))


def entry(data: dict, debate: str, source: str | None = None) -> dict | None:
    found = next((d for d in data["debates"] if d["id"] == debate), None)
    if source is None or found is None:
        return found
    return next((p for p in found["positions"] if p["source"] == source), None)


def test_a_scripted_session_accepts_rejects_skips_and_asks_again_for_bad_answers(project):
    dossier = gather(project)[0]
    proposals = pending(dossier)
    joins = [p for p in proposals if not p.new]
    new = next(p for p in proposals if p.new)
    accepted, rejected, skipped = joins[0], joins[1], joins[2]
    others = accepted.claim.positions
    answers = []
    for proposal in proposals:
        if proposal is accepted:
            answers += ["a", "words that stand in no passage", "", "", "TODO later", "no formal alliance, shared grievances"]
            answers += ["d", "dis"] + ["agrees"] * (len(others) - 1)  # `d` is ambiguous: disputes or differs-in-figures
        elif proposal is rejected:
            answers.append("r")
        elif proposal is new:
            first, *rest = new.claim.positions
            answers += ["a", "How much Russian crude oil does China buy?", "Not A Slug", "allies", "crude-imports",
                        "gossip", "trade, outlook", "y", "", "most of Russia's crude", "y", "", "all its seaborne crude",
                        "qual"] + ["n"] * (len(rest) - 1)
            break
        else:
            answers.append("s")
    answers.append("q")
    result = CliRunner().invoke(main, ["review", "--project", str(project.root)], input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    out = result.output
    for asked_again in ("the quote is not in this source: copy its words exactly.", "write a few words.",
                        "'d' is ambiguous: type one of agrees, disputes, qualifies, differs-in-figures",
                        "use lowercase letters, digits and single hyphens", "another debate is called 'allies'",
                        "use any of trade, military, diplomacy, outlook, separated by commas."):
        assert asked_again in out, out
    assert f"{len(proposals)} proposals to review in sources/claims.yaml" in out
    assert "Reviewed: 2 accepted, 1 rejected, " in out

    data = ledger(project)
    mine = entry(data, accepted.claim.id, accepted.position.source)
    assert mine == {"source": accepted.position.source, "stance": "no formal alliance, shared grievances",
                    "quote": " ".join(accepted.position.exact.split()),
                    "relations": {others[0].source: "disputes", **{o.source: "agrees" for o in others[1:]}}}
    assert entry(data, rejected.claim.id, rejected.position.source) is None
    assert {"debate": rejected.claim.id, "source": rejected.position.source} in data["rejected"]
    assert entry(data, skipped.claim.id, skipped.position.source)["status"] == "proposed"
    debate = entry(data, "crude-imports")
    assert entry(data, new.claim.id) is None
    assert (debate["question"], debate["topics"], "status" in debate) == (
        "How much Russian crude oil does China buy?", ["trade", "outlook"], False)
    assert [p.get("stance") for p in debate["positions"]] == ["most of Russia's crude", "all its seaborne crude"]
    assert debate["positions"][1]["relations"] == {new.claim.positions[0].source: "qualifies"}

    after, problems = gather(project)
    assert not [p for p in problems if p.severity == "error"], problems
    claim = next(c for c in after.claims if c.id == accepted.claim.id)
    assert accepted.position.source in {p.source for p in claim.positions}
    assert claim.count("agrees") == accepted.claim.count("agrees") + len(others) - 1
    assert "crude-imports" in {c.id for c in after.claims} and new.claim.id not in {c.id for c in after.proposed}
    assert rejected.claim.id not in {j.claim.id for j in suggest(after, rejected.position.source).joins}
    assert len(pending(after)) == len(proposals) - 3


def test_with_nothing_to_review_it_says_how_proposals_are_made(tmp_path):
    project = copy_project(tmp_path)
    result = cli(project, "review")
    assert result.output == ("0 proposals to review in sources/claims.yaml: 0 positions in existing debates, 0 new debates.\n"
                             "`build-dossier suggest --write` makes proposals for the sources not yet in a debate.\n")


# A real terminal: `build-dossier review` run as the editor runs it, in a pseudo-terminal (pexpect), answering its prompts.
BINARY = Path(sys.executable).with_name("build-dossier")
HEADER = r"\((\d+)/(\d+)\) ([^\r\n]+)\r\n"
ACTION = r"Accept, reject, skip or quit\? \[a/r/s/q\]: "
QUOTE = r"  Quote \[[^\r\n]*\]: "
STANCE = r"  Stance \(a few words\): "
RELATION = r"\[agrees/disputes/qualifies/differs-in-figures\]: "
DONE = r"Reviewed: [^\r\n]*"


def terminal(project: Project) -> pexpect.spawn:
    """`build-dossier review` in a pseudo-terminal, its screen recorded in `.transcript`."""
    child = pexpect.spawn(str(BINARY), ["review", "--project", str(project.root)], encoding="utf-8", timeout=120,
                          dimensions=(50, 120), env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"})
    child.transcript = io.StringIO()
    child.logfile_read = child.transcript
    return child


def session(project: Project, plan: dict[int, str]) -> tuple[str, dict[int, str]]:
    """Answer `review` in a terminal: for proposal k the action `plan[k]` (accept, reject; else skip), the proposed
    quote, a stance and `agrees` to every relation; quit after the last planned one. Return the screen and the
    title of each proposal."""
    child, titles, k = terminal(project), {}, 0
    while True:
        found = child.expect([HEADER, ACTION, QUOTE, STANCE, RELATION, DONE, pexpect.EOF])
        if found == 0:
            k, titles[int(child.match.group(1))] = int(child.match.group(1)), child.match.group(3)
        elif found == 1:
            child.sendline("q" if k > max(plan) else plan.get(k, "s"))
        elif found == 2:
            child.sendline("")
        elif found == 3:
            child.sendline(f"stance of proposal {k}")
        elif found == 4:
            child.sendline("agrees")
        elif found == 5:
            child.expect(pexpect.EOF)
            break
        else:
            pytest.fail("review ended before its summary:\n" + child.transcript.getvalue())
    child.close()
    assert child.exitstatus == 0, child.transcript.getvalue()
    return child.transcript.getvalue(), titles


def test_a_new_source_joins_the_argument_from_a_saved_page_and_a_url(tmp_path):
    """Issue 18's end to end: add, tag, propose, review in a terminal, rebuild; existing passages keep their addresses."""
    project = copy_project(tmp_path / "p")
    seed, _ = gather(project)
    with serve(IMPORT) as base:
        cli(project, "add", base + "kestrel-title-site-part.html")
    cli(project, "add", str(IMPORT / "meridian-article.html"))
    added, _ = gather(project)
    new = {seg.source.id for seg in added.sources} - {seg.source.id for seg in seed.sources}
    assert len(new) == 2 and all(p.topics for sid in new for p in added.passages() if p.source == sid and p.kind == "paragraph")
    cli(project, "suggest", "--write")
    proposals = pending(gather(project)[0])
    assert len(proposals) >= 5

    screen, titles = session(project, {1: "a", 2: "r", 3: "a"})
    (ARTIFACTS / "review-session.txt").parent.mkdir(exist_ok=True)
    (ARTIFACTS / "review-session.txt").write_text(screen, encoding="utf-8")
    assert "Reviewed: 2 accepted, 1 rejected, 0 skipped, " in screen and titles[1] and titles[3]

    cli(project, "build")
    dossier, problems = gather(project)
    assert not [p for p in problems if p.severity == "error"]
    accepted = [proposals[0], proposals[2]]
    for proposal in accepted:  # now reviewed: in the debate, related to every other position, counted
        claim = next(c for c in dossier.claims if c.id == proposal.claim.id)
        assert proposal.position.source in {p.source for p in claim.positions}
        assert claim.count("agrees") == proposal.claim.count("agrees") + len(proposal.claim.positions)
    left = pending(dossier)
    assert [(p.claim.id, p.position.source) for p in left] == [(p.claim.id, p.position.source) for p in proposals[3:]]

    # The site: a reviewed link is a debate link; one not reviewed is marked and apart; nothing else moved.
    mine = accepted[0].position
    html = (project.site_dir / "sources" / f"{mine.source}.html").read_text(encoding="utf-8")
    other = accepted[0].claim.positions[0]
    assert re.search(f'agrees — <a [^>]*href="{other.source}.html#p{other.n}"', html.replace("../sources/", ""))
    still = left[0].position
    page = (project.site_dir / "sources" / f"{still.source}.html").read_text(encoding="utf-8")
    assert page.count('class="passage-debate proposed"') == sum(1 for p in left if p.position.source == still.source)
    assert "Proposed — not reviewed:" in page
    index = (project.site_dir / "debates" / "index.html").read_text(encoding="utf-8")
    assert index.count("Proposed — not reviewed") >= 1
    data = json.loads((project.docs_dir / "dossier.json").read_text(encoding="utf-8"))
    statuses = {(c["id"], p["source"]): p["status"] for c in data["claims"] for p in c["positions"]}
    assert all(statuses[p.claim.id, p.position.source] == "reviewed" for p in accepted)
    assert all(statuses[p.claim.id, p.position.source] == "proposed" for p in left)
    assert {p.id: p.text for p in seed.passages()}.items() <= {p.id: p.text for p in dossier.passages()}.items()
    assert broken_links(project) == []
    # Search: a proposal is never a result, nor searchable text of a reviewed debate (it must not look verified).
    debates = {r["url"].lstrip("/"): " ".join(r["content"].split()) for r in fragments(project.site_dir)
               if r["filters"]["kind"] == ["debate"]}
    assert len(debates) == len(dossier.claims) and all(f"debates/{c.id}.html" in debates for c in dossier.claims)
    assert not any("Proposed — not reviewed" in text for text in debates.values())
    joins = [p for p in left if p.claim.status != "proposed"]
    assert joins and all(" ".join(p.position.exact.split()) not in debates[f"debates/{p.claim.id}.html"] for p in joins)
    for p in accepted:  # (while an accepted one is)
        assert " ".join(p.position.exact.split()) in debates[f"debates/{p.claim.id}.html"]


def test_a_proposal_edited_away_meanwhile_is_left_as_the_editor_left_it(project):
    ledger_file = project.sources_dir / "claims.yaml"
    first = pending(gather(project)[0])[0].position
    child = terminal(project)
    child.expect(ACTION)
    text = ledger_file.read_text(encoding="utf-8")  # meanwhile, the editor reviews it by hand in another window
    marked = f"      - source: {first.source}\n        status: proposed"
    assert marked in text
    ledger_file.write_text(text.replace(marked, f'      - source: {first.source}\n        stance: "by hand"', 1),
                           encoding="utf-8")
    child.sendline("r")
    child.expect("The ledger no longer holds this proposal \\(it was edited meanwhile\\): left as it is.")
    child.expect(ACTION)
    child.sendline("q")
    child.expect(pexpect.EOF)
    assert "rejected:" not in ledger_file.read_text(encoding="utf-8")
    assert 'stance: "by hand"' in ledger_file.read_text(encoding="utf-8")
