"""Errata: the ledger (validated, each slip resolved to one place), `[sic]` where the dossier shows a slip, and the
candidate slips `check` lists. The source text is never changed."""

from __future__ import annotations

import pytest

from build_dossier.analyse.errata import parse_errata
from build_dossier.analyse.slips import Gazetteer, candidates, parse_names, similar
from build_dossier.ingest.yamlio import load_yaml
from build_dossier.model import Erratum, Passage
from build_dossier.render.sic import errata_line, sic_excerpt, sic_html, sic_text

FILE = "sources/errata.yaml"


def P(source: str, n: int, text: str) -> Passage:
    return Passage(source, n, "paragraph", None, 0, len(text), text, n)


BY_SOURCE = {
    "cfr": (P("cfr", 1, "In September 2025, Indian Prime Minister Nehendra Modi met with Xi and Putin."),
            P("cfr", 2, "Modi and Modi again: Nehendra Modi spoke twice, and Nehendra Modi left.")),
    "gab": (P("gab", 1, "Routes such as the Malaka Strait, which is patrolled by the U.S. Navy, are vulnerable."),),
}


def run(ledger: str, by_source=BY_SOURCE, unreadable=frozenset()):
    doc, problems = load_yaml(ledger, FILE)
    assert problems == []
    errata, problems = parse_errata(doc, FILE, by_source, unreadable)
    return errata, [str(p) for p in problems]


GOOD = """errata:
  - source: gab
    quote: "Malaka   Strait"
    note: "The strait is the Strait of Malacca."
    correct: "Malacca Strait"
  - source: cfr
    quote: "Minister Nehendra"
    note: "The prime minister's first name is Narendra."
"""


def test_each_slip_resolves_to_its_exact_span():
    errata, problems = run(GOOD)
    assert problems == []
    assert [(e.passage, e.start, e.end, e.text, e.correct) for e in errata] == [
        ("cfr-p1", 32, 49, "Minister Nehendra", None), ("gab-p1", 19, 32, "Malaka Strait", "Malacca Strait")]
    for e in errata:  # the span is the source's own text, exactly
        passage = next(p for p in BY_SOURCE[e.source] if p.id == e.passage)
        assert passage.text[e.start:e.end] == e.text


@pytest.mark.parametrize("ledger, message", [
    ("errata:\n  - source: cfr\n    quote: Narendra Modi\n    note: x\n",
     "error: sources/errata.yaml:3 [errata[0].quote]: the quote 'Narendra Modi' is not found in cfr. The closest passage "
     "is ¶1: “In September 2025, Indian Prime Minister Nehendra Modi met with Xi and Putin.…” Fix: copy the words exactly "
     "from that passage (quotes and spacing may differ, nothing else)."),
    ("errata:\n  - source: cfr\n    quote: Nehendra Modi\n    note: x\n",
     "error: sources/errata.yaml:3 [errata[0].quote]: the quote stands in 2 passages of cfr (¶1, ¶2). Fix: quote more "
     "words, so that it stands in exactly one passage."),
    ("errata:\n  - source: nope\n    quote: x\n    note: x\n",
     "error: sources/errata.yaml:2 [errata[0].source]: there is no source 'nope'. Fix: use one of: cfr, gab."),
    ("errata:\n  - source: gab\n    quote: Malaka Strait\n",
     "error: sources/errata.yaml:2 [errata[0].note]: required key 'note' is missing. Fix: add `note: \"The strait is the "
     "Strait of Malacca.\"`."),
    ("errata:\n  - source: gab\n    quote: Malaka Strait\n    note: x\n    corect: y\n",
     "warning: sources/errata.yaml:5 [errata[0].corect]: unknown key 'corect'. Fix: did you mean 'correct'? valid keys: "
     "correct, note, quote, source."),
    ("errata:\n  - source: gab\n    quote: Malaka Strait\n    note: x\n  - source: gab\n    quote: Strait, which\n    note: y\n",
     "error: sources/errata.yaml:6 [errata[1].quote]: the quote overlaps another erratum in ¶1 of gab ('Malaka Strait'). "
     "Fix: mark each slip once."),
    ("errata:\n  - source: gab\n    quote: Malaka Strait\n    note: x\n  - source: gab\n    quote: Malaka Strait\n    note: y\n",
     "error: sources/errata.yaml:6 [errata[1].quote]: the quote overlaps another erratum in ¶1 of gab ('Malaka Strait'). "
     "Fix: mark each slip once."),
])
def test_ledger_problems_name_file_line_key_and_fix(ledger, message):
    _, problems = run(ledger)
    assert problems[0] == message


def test_a_quote_twice_in_one_passage_asks_for_more_words():
    by_source = {"x": (P("x", 1, "Malaka here, and Malaka there."),)}
    errata, problems = run("errata:\n  - source: x\n    quote: Malaka\n    note: n\n", by_source)
    assert errata == () and problems == [
        "error: sources/errata.yaml:3 [errata[0].quote]: the quote stands 2 times in ¶1 of x. Fix: quote more words, so "
        "that it stands there once."]
    errata, problems = run("errata:\n  - source: x\n    quote: Malaka there\n    note: n\n", by_source)
    assert problems == [] and errata[0].start == 17


def test_entries_of_unreadable_sources_are_skipped_quietly():
    assert run("errata:\n  - source: cfr\n    quote: nothing like it\n    note: n\n", unreadable=frozenset({"cfr"})) == ((), [])


def test_sic_follows_each_slip_and_the_text_stays_as_captured():
    errata, _ = run(GOOD)
    errata = errata[1:]  # the slip of this passage
    text = BY_SOURCE["gab"][0].text
    assert sic_text(text, errata) == ("Routes such as the Malaka Strait [sic], which is patrolled by the U.S. Navy, "
                                      "are vulnerable.")
    html = sic_html(text, errata)
    assert 'the&#32;<span class="slip">Malaka Strait</span><span class="sic" title="The strait is the Strait of Malacca&#46;' in html
    assert html.count("&#91;sic&#93;") == 1 and "<script" not in html
    # A quote from the passage: offsets are found within it; a slip the quote cuts off is marked where the quote ends.
    assert sic_text("the Malaka Strait, which", errata, text) == "the Malaka Strait [sic], which"
    assert sic_text("such as the Malaka", errata, text) == "such as the Malaka [sic]"
    assert sic_text("which is patrolled", errata, text) == "which is patrolled"
    assert sic_text(text, ()) == text
    line = errata_line(errata)
    assert line.startswith("**Errata:** “Malaka Strait”&#32;&#91;sic&#93;: The strait is the Strait of Malacca&#46;"
                           " Correct&#58; Malacca Strait&#46;")


def test_an_excerpt_sets_its_own_words_in_bold_and_marks_the_slips_of_its_sentence():
    """A figure's or dated statement's sentence: the words at their own offset in bold (not an earlier copy), each
    slip of the sentence marked where it stands, a slip of another sentence not at all."""
    text = "Nehendra Modi came in 2019. In 2025, Nehendra Modi came again in 2025."
    errata = (Erratum("cfr", "cfr-p1", 1, 0, 13, "Nehendra Modi", "n", None),
              Erratum("cfr", "cfr-p1", 1, 37, 50, "Nehendra Modi", "n", None))
    sentence = "In 2025, Nehendra Modi came again in 2025."
    last = text.rindex("2025")
    shown = sic_excerpt(text, sentence, last, last + 4, errata)
    assert shown.count("**") == 2 and shown.index("**") > shown.index("again")
    assert shown.count("&#91;sic&#93;") == 1 and shown.index("&#91;sic&#93;") < shown.index("came")
    assert sic_excerpt(text, "Nehendra Modi came in 2019.", 22, 26, errata).count("&#91;sic&#93;") == 1
    assert sic_excerpt(text, sentence, last, last + 4, ()).count("sic") == 0


def test_hostile_notes_stay_text():
    by_source = {"x": (P("x", 1, "A <b>Malaka</b> slip."),)}
    errata, problems = run('errata:\n  - source: x\n    quote: "<b>Malaka</b>"\n    note: "<script>x</script> {: .evil }"\n',
                           by_source)
    assert problems == []
    html = sic_html(by_source["x"][0].text, errata)
    assert "<b>" not in html and "<script" not in html and "{:" not in html
    assert "<script" not in errata_line(errata) and "{:" not in errata_line(errata).split("\n")[0]


@pytest.mark.parametrize("a, b, expected", [
    ("Nehendra", "Narendra", True),    # two letters changed in a long word
    ("Malaka", "Malacca", True),       # two edits, and it sounds the same (NYSIIS)
    ("Moskow", "Moscow", True),        # one letter
    ("Kremiln", "Kremlin", True),      # two letters swapped
    ("Russian", "Russia", False),      # a form of the name, not a slip
    ("Iraq", "Iran", False),           # too short to judge
    ("Berlin", "Merlin", False),       # the first letter differs
    ("Austria", "Australia", False),   # two edits in a word under 8 letters that sounds different
    ("Beijing", "Peking", False),
    ("Xinjiang", "Xinjiang", False),
])
def test_similar_names(a, b, expected):
    assert similar(a, b) is expected


def test_candidates_from_the_gazetteer_and_across_sources():
    gazetteer, problems = parse_names("places: [Moscow, Strait of Malacca]\npeople: [Xi Jinping]\norganisations: [BRICS]\n"
                                      "generic: [Strait]\n", "names.yaml")
    assert problems == [] and set(gazetteer.words) == {"Moscow", "Malacca", "Xi", "Jinping", "BRICS"}
    passages = (P("a", 1, "Talks in Moskow and Beijing. The Kazakov report on the Straits."),
                P("a", 2, "Later, Moskow again; moscow in lower case."),
                P("b", 1, "The Kasakov report, and Xi Jinpeng in Beijing, in March."))
    found = [(c.passage.id, c.word, c.like, c.why) for c in candidates(passages, gazetteer, {"a": "A", "b": "B"})]
    assert found == [("a-p1", "Moskow", "Moscow", "Moscow, a known place"),  # listed once, where it first stands
                     ("b-p1", "Jinpeng", "Jinping", "Xi Jinping, a known person"),
                     ("b-p1", "Kasakov", "Kazakov", "as A ¶1 spells it")]  # two sources disagree: the pair once
    # Alone, `Kasakov` has nothing to disagree with; `Beijing` is not known here, `March` is a month, `Straits` a form
    # of the generic `Strait`.
    assert {c.word for c in candidates(passages[2:], gazetteer, {})} == {"Jinpeng"}


def test_candidates_skip_common_words_and_what_the_errata_mark():
    gazetteer = Gazetteer({"Moscow": ("Moscow", "place")})
    passages = (P("a", 1, "Moskow is named. Mosco is named too."), P("a", 2, "In mosco lower case."))
    assert [c.word for c in candidates(passages, gazetteer, {})] == ["Moskow"]  # `mosco` is written in lower case


def test_a_broken_names_file_is_reported_like_a_data_file():
    _, problems = parse_names("places: Moscow\npeople: [1]\nplaces2: []\n", "build_dossier/data/names.yaml")
    assert any(str(p).startswith("error: build_dossier/data/names.yaml:3 [places2]: unknown key 'places2'.")
               for p in problems), problems
