"""The claims ledger: validation with exact messages, quote resolution, reciprocal links on the site."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from build_dossier.analyse.claims import QUOTES, SPACE_RE, _normal, debate_links, find, parse_claims
from build_dossier.ingest.yamlio import load_yaml
from build_dossier.model import Passage


def P(source: str, n: int, text: str) -> Passage:
    return Passage(source, n, "paragraph", None, 0, len(text), text, n)


BY_SOURCE = {
    "a": (P("a", 1, "China and Russia are not formal treaty allies and are not bound to come to the other’s defense."),
          P("a", 2, "Their border is 2,600 miles long. It was settled in the 2000s."),
          P("a", 3, "Trade reached $245 billion. It was settled in the 2000s, twice.")),
    "b": (P("b", 1, "This is no alliance, but an unsentimental   great-power relationship."),
          P("b", 2, "Putin knows that Russia shares a 4,300 km border with China.")),
    "c": (P("c", 1, "Moscow and Beijing do not want to sign a formal military alliance."),),
}


def run(ledger: str):
    doc, problems = load_yaml(ledger, "sources/claims.yaml")
    assert problems == []
    parsed, problems = parse_claims(doc, "sources/claims.yaml", BY_SOURCE)
    return parsed.claims, [str(p) for p in problems]


GOOD = """debates:
  - id: allies
    question: "Are they allies?"
    topics: [diplomacy]
    positions:
      - source: a
        stance: "not treaty allies"
        quote: "are not formal treaty allies and are not bound to come to the other's defense."
      - source: b
        stance: "no alliance"
        quote: "This is no alliance, but an unsentimental great-power relationship."
        relations: {a: qualifies}
      - source: c
        stance: "no formal alliance"
        quote: "do not want to sign a formal military alliance"
        relations: {a: agrees, b: disputes}
"""


def test_quotes_resolve_to_exact_spans_and_links_are_reciprocal():
    claims, problems = run(GOOD)
    assert problems == []
    (claim,) = claims
    assert [(p.passage, p.exact) for p in claim.positions] == [
        ("a-p1", "are not formal treaty allies and are not bound to come to the other’s defense."),
        ("b-p1", "This is no alliance, but an unsentimental   great-power relationship."),
        ("c-p1", "do not want to sign a formal military alliance"),
    ]
    links = {(link.source, link.target, link.kind) for link in debate_links(claims)}
    assert links == {("b-p1", "a-p1", "qualifies"), ("a-p1", "b-p1", "qualified-by"),
                     ("c-p1", "a-p1", "agrees"), ("a-p1", "c-p1", "agrees"),
                     ("c-p1", "b-p1", "disputes"), ("b-p1", "c-p1", "disputes")}
    assert claim.count("agrees") == 1 and claim.count("disputes") == 1 and claim.count("qualifies") == 1


@pytest.mark.parametrize("quote, spans", [
    ("not bound to come to the other's defense", ["not bound to come to the other’s defense"]),
    ("not  bound\nto come", ["not bound to come"]),
    ("not bound to go", []),
])
def test_find_is_tolerant_only_of_spacing_and_quote_marks(quote, spans):
    assert find(quote, BY_SOURCE["a"][0]) == spans


@pytest.mark.parametrize("edit, expected", [
    (('quote: "do not want to sign a formal military alliance"', 'quote: "do not want a formal alliance"'),
     "error: sources/claims.yaml:15 [debates[0].positions[2].quote]: the quote 'do not want a formal alliance' is not "
     "found in c. The closest passage is ¶1: “Moscow and Beijing do not want to sign a formal military alliance.…” "
     "Fix: copy the words exactly from that passage (quotes and spacing may differ, nothing else)."),
    (('quote: "do not want to sign a formal military alliance"', 'quote: "unsentimental great-power relationship"'),
     "error: sources/claims.yaml:15 [debates[0].positions[2].quote]: the quote is not in c; it is in b (¶1). "
     "Fix: set `source: b`, or quote c's own words."),
    (("source: c", "source: zz"),
     "error: sources/claims.yaml:13 [debates[0].positions[2].source]: there is no source 'zz'. Fix: use one of: a, b, c."),
    (("{a: agrees, b: disputes}", "{a: agrees, b: hates}"),
     "error: sources/claims.yaml:16 [debates[0].positions[2].relations.b]: 'hates' is not a relation. "
     "Fix: use one of: agrees, disputes, qualifies, differs-in-figures."),
    (("{a: agrees, b: disputes}", "{a: agrees, q: disputes}"),
     "error: sources/claims.yaml:16 [debates[0].positions[2].relations.q]: 'q' is not another position of this debate. "
     "Fix: use one of: a, b."),
    (("{a: agrees, b: disputes}", "{a: agrees}"),
     "warning: sources/claims.yaml:13 [debates[0].positions[2].relations]: no relation is declared between c and b. "
     "Fix: add `b: agrees` (or disputes, qualifies, differs-in-figures) under relations of positions[2]."),
    (("topics: [diplomacy]", "topics: [gossip]"),
     "error: sources/claims.yaml:4 [debates[0].topics]: 'gossip' is not one of the valid values. "
     "Fix: use any of: trade, military, diplomacy, outlook."),
])
def test_ledger_errors(edit, expected):
    _, problems = run(GOOD.replace(*edit))
    assert expected in problems, problems


def test_quote_found_twice_and_pair_declared_twice_and_duplicate_id():
    ledger = GOOD.replace('quote: "are not formal treaty allies and are not bound to come to the other\'s defense."',
                          'quote: "It was settled in the 2000s"')
    ledger = ledger.replace("relations: {a: qualifies}", "relations: {a: qualifies, c: agrees}")
    ledger += GOOD.split("debates:\n", 1)[1]
    claims, problems = run(ledger)
    assert ("error: sources/claims.yaml:8 [debates[0].positions[0].quote]: the quote stands in 2 passages of a (¶2, ¶3). "
            "Fix: quote more words, so that it stands in exactly one passage.") in problems
    assert any("the relation between c and b is declared twice" in p for p in problems)
    assert any("[debates[1].id]: duplicate debate id 'allies' (also debates[0])" in p for p in problems)
    assert [c.id for c in claims] == []


PROPOSED = GOOD.replace('''      - source: c
        stance: "no formal alliance"
        quote: "do not want to sign a formal military alliance"
        relations: {a: agrees, b: disputes}
''', '''      - source: c
        status: proposed
        quote: "do not want to sign a formal military alliance"
''') + '''  - id: border
    status: proposed
    topics: [diplomacy]
    positions:
      - source: a
        quote: "Their border is 2,600 miles long."
      - source: b
        quote: "4,300 km border"
rejected:
  - {debate: allies, source: zz}
  - passages: [a-p3, b-p2]
'''


def test_proposals_resolve_like_positions_but_stay_apart():
    doc, _ = load_yaml(PROPOSED, "sources/claims.yaml")
    ledger, problems = parse_claims(doc, "sources/claims.yaml", BY_SOURCE)
    assert problems == []  # no stance, question or relation is asked of a proposal
    (allies,) = ledger.claims
    assert [p.source for p in allies.positions] == ["a", "b"] and len(allies.relations) == 1
    assert [(p.source, p.passage, p.stance) for p in allies.proposed] == [("c", "c-p1", "")]
    (border,) = ledger.proposed
    assert (border.id, border.status, border.question) == ("border", "proposed", "")
    assert [p.passage for p in border.positions] == ["a-p2", "b-p2"]
    assert {(r.debate, r.source, r.passages) for r in ledger.rejected} == {("allies", "zz", ()), (None, None, ("a-p3", "b-p2"))}
    assert [link.kind for link in debate_links(ledger.claims)] == ["qualified-by", "qualifies"]  # the proposal links nothing


@pytest.mark.parametrize("edit, expected", [
    (('      - source: c\n        status: proposed\n', '      - source: c\n'),
     "error: sources/claims.yaml:13 [debates[0].positions[2].stance]: required key 'stance' is missing. Fix: add "
     '`stance: "no formal alliance"`, or mark the position `status: proposed` if it is a proposal not reviewed yet.'),
    (("  - id: border\n    status: proposed\n", "  - id: border\n"),
     "error: sources/claims.yaml:16 [debates[1].question]: required key 'question' is missing. Fix: add "
     '`question: "Are China and Russia allies?"`, or mark the debate `status: proposed` if it is a proposal not reviewed yet.'),
    (("relations: {a: qualifies}", "relations: {a: qualifies, c: agrees}"),
     "error: sources/claims.yaml:12 [debates[0].positions[1].relations.c]: the relation between b and c involves a "
     "proposal, which has no relations until it is reviewed. Fix: accept the proposal with `build-dossier review`, "
     "which asks for its relations, or remove its `status: proposed` and write its stance."),
    (('      - source: b\n        stance: "no alliance"\n', '      - source: b\n        status: proposed\n'),
     "error: sources/claims.yaml:5 [debates[0].positions]: a reviewed debate needs two or more reviewed positions. "
     "Fix: review the proposals (`build-dossier review`), or mark the debate `status: proposed`."),
    (("status: proposed\n    topics", "status: maybe\n    topics"),
     "error: sources/claims.yaml:17 [debates[1].status]: 'maybe' is not a status. Fix: use one of: reviewed, proposed."),
    (("  - passages: [a-p3, b-p2]", "  - passages: [a-p3]"),
     "error: sources/claims.yaml:26 [rejected[1]]: a rejected proposal names either a `debate` and a `source`, or two "
     "or more `passages`. Fix: write e.g. `{debate: allies, source: lo-cepa-2024}` or "
     "`{passages: [lo-cepa-2024-p7, cfr-backgrounder-2025-p12]}`."),
])
def test_proposal_errors(edit, expected):
    assert edit[0] in PROPOSED
    _, problems = run(PROPOSED.replace(*edit))
    assert expected in problems, problems


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(["a", "b", " ", "\t", "\n", "\u00a0", "\u2009", "\x1c", *QUOTES]), max_size=40))
def test_quote_normal_form_is_whitespace_collapsed_and_quotes_straightened(text):
    """`_normal` (the fast form every passage is searched in) is exactly: each whitespace run one space, then
    every typographic quote mark straight."""
    assert _normal(text) == SPACE_RE.sub(" ", text).translate(str.maketrans(QUOTES))
