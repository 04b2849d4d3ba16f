"""Proposals on the pages: shown apart, marked "Proposed — not reviewed", linked both ways, counted nowhere."""

from __future__ import annotations

import dataclasses
import json
import logging

import pytest

from build_dossier.analyse.claims import find
from build_dossier.model import Claim, Position
from build_dossier.pipeline import gather
from build_dossier.render.registry import render_docs
from support import copy_project


def proposal(passage, sentence: str) -> Position:
    """A proposed position on `passage`, quoting `sentence` of it, as `suggest --write` makes them."""
    return Position(passage.source, passage.id, passage.n, "", sentence, find(sentence, passage)[0])


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The seed dossier's pages, and the same with a proposed position in one debate and a proposed new debate."""
    logging.getLogger("build_dossier").setLevel(logging.WARNING)
    seed, _ = gather(copy_project(tmp_path_factory.mktemp("seed")))
    used = {pos.passage for c in seed.claims for pos in c.positions}
    claim = next(c for c in seed.claims if "cfr-backgrounder-2025" not in {p.source for p in c.positions})
    free = [p for p in seed.passages() if p.id not in used and p.kind == "paragraph"]
    joining = next(p for p in free if p.source == "cfr-backgrounder-2025")
    lo, gabuev = (next(p for p in free if p.source == s) for s in ("lo-cepa-2024", "gabuev-foreign-affairs-2024"))
    first = lambda p: p.text.split(". ")[0]  # noqa: E731 - a sentence of the passage
    joined = dataclasses.replace(claim, proposed=(proposal(joining, first(joining)),))
    new = Claim("proposed-one", "", ("trade",), (proposal(lo, first(lo)), proposal(gabuev, first(gabuev))), (), (), "proposed")
    claims = tuple(joined if c.id == claim.id else c for c in seed.claims)
    with_proposals = dataclasses.replace(seed, claims=claims, proposed=(new,))
    return render_docs(seed), render_docs(with_proposals), joined, new


def test_counts_home_and_topic_pages_do_not_change(pages):
    before, after, _, _ = pages
    for path in ["index.md"] + [p for p in before if p.startswith("topics/")]:
        assert after[path] == before[path], path
    index = after["debates/index.md"]
    head, proposed = index.split("## Proposed — not reviewed {: #proposed }")
    assert before["debates/index.md"] == head  # the table and its counts as before
    assert "proposed-one" in proposed and "New debates:" in proposed and "Positions proposed for the debates above:" in proposed


def test_a_proposed_position_is_apart_on_its_debate_and_linked_both_ways(pages):
    before, after, claim, _ = pages
    page = after[f"debates/{claim.id}.md"]
    assert page.startswith(before[f"debates/{claim.id}.md"].split("## Sources {: #sources }")[0])
    assert '## Proposed — not reviewed {: #proposed data-search-exclude="" }' in page
    assert '<div class="debate-position proposed" markdown>' in page
    # Search: the proposal is not searchable text of the debate, nor are its source and author among its filters.
    proposed = page.split("## Proposed — not reviewed")[1].split("## Sources")[0]
    assert proposed.count('<div class="debate-positions" markdown data-search-exclude="">') == 1
    assert proposed.splitlines()[3] == '{: data-search-exclude="" }'  # (the note under the heading)
    front = page.split("---")[1]
    assert '"kind": ["debate"]' in front and '"CFR"' not in front and "Council on Foreign Relations" not in front
    mine = claim.proposed[0]
    source_page = after[f"sources/{mine.source}.md"]
    link = f"(../debates/{claim.id}.md)"
    line = next(line for line in source_page.splitlines() if line.startswith("**Proposed — not reviewed:**") and link in line)
    assert all(f"{pos.source}.md#p{pos.n})" in line for pos in claim.positions)
    for pos in claim.positions:
        assert f"{mine.source}.md#p{mine.n})" in next(line for line in after[f"sources/{pos.source}.md"].splitlines()
                                                     if line.startswith("**Proposed — not reviewed:**") and link in line)


def test_a_proposed_debate_has_a_page_but_no_tag_and_no_count(pages):
    _, after, _, new = pages
    page = after["debates/proposed-one.md"]
    assert page.startswith('---\ntitle: "Proposed debate: Lo ¶') and "\ntags:" not in page.split("---")[1]
    assert "*Proposed — not reviewed*" in page and "agrees" not in page.split("## Sources")[0]
    assert "\nsearch_facets: false\n" in page.split("---\n")[1]  # not a search result: it must not look verified


def test_dossier_json_marks_every_proposal(pages):
    before, after, claim, new = pages
    old, data = json.loads(before["dossier.json"]), json.loads(after["dossier.json"])
    assert [c for c in data["claims"] if c["id"] not in (claim.id, new.id)] == [c for c in old["claims"] if c["id"] != claim.id]
    assert all(c["status"] == "reviewed" and {p["status"] for p in c["positions"]} == {"reviewed"} for c in old["claims"])
    mine = next(c for c in data["claims"] if c["id"] == claim.id)
    assert [p["status"] for p in mine["positions"]] == ["reviewed"] * len(claim.positions) + ["proposed"]
    assert mine["positions"][-1]["stance"] is None
    proposed = next(c for c in data["claims"] if c["id"] == "proposed-one")
    assert (proposed["status"], proposed["question"]) == ("proposed", None)
    links = [link for link in data["links"] if link["status"] == "proposed"]
    assert {(link["from"], link["to"]) for link in links} == (
        {(claim.proposed[0].passage, p.passage) for p in claim.positions}
        | {(p.passage, claim.proposed[0].passage) for p in claim.positions}
        | {(a.passage, b.passage) for a in new.positions for b in new.positions if a != b})
    assert all(link["kind"] == "proposed" for link in links)
    assert [link for link in data["links"] if link["status"] == "reviewed"] == old["links"]
