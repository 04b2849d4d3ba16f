"""Property-based tests of cleaning and segmentation (hypothesis).

For any body text: every character outside the removed chrome lines is in a heading or a passage,
in order, except whitespace and the markers segmentation documents (bullet markers, Markdown heading
hashes, Markdown rules); every passage is an exact span; segmenting the segmentation again gives the
same blocks; ids are unique, and adding a paragraph at the end changes no earlier id.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build_dossier.analyse.clean import clean
from build_dossier.analyse.segment import BULLET_RE, MD_HEADING_RE, MD_RULE_RE, segment
from build_dossier.model import Source
from build_dossier.text import inert

SETTINGS = settings(max_examples=int(__import__("os").environ.get("HYPOTHESIS_EXAMPLES", 150)), deadline=None, suppress_health_check=[HealthCheck.too_slow])

WORDS = ("China", "Russia", "trade", "the", "war", "Moscow", "Beijing", "and", "of", "oil", "2024", "$3.5", "billion",
         "Xi’s", "Putin's", "naïve", "“quoted”", "(aside)", "U.S.", "e.g.", "—", "Ukraine", "sanctions", "SCO")
word = st.sampled_from(WORDS)
sentence = st.builds(lambda ws, end: " ".join(ws) + end, st.lists(word, min_size=1, max_size=14),
                     st.sampled_from([".", "?", "!", ":", "", "…", ".”"]))
paragraph = st.builds(" ".join, st.lists(sentence, min_size=1, max_size=4))
heading = st.builds(lambda ws: " ".join(ws).capitalize(), st.lists(word, min_size=1, max_size=6))
bullet = st.builds(lambda m, p: m + p, st.sampled_from(["- ", "• ", "* ", "1. ", "12) ", "–  "]), paragraph)
chrome = st.sampled_from(["Subscribe", "Share", "Print", "More on:", "China", "By Jane Doe", "Recommended Reading",
                          "@publisher", "© 2024 Example", "Analysis", "Close"])
markdown = st.one_of(st.builds(lambda h, t: h + " " + t, st.sampled_from(["#", "##", "###"]), heading),
                     st.builds(lambda t: "## " + t + " ##", heading), st.sampled_from(["---", "***", "- - -"]))
odd = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"), max_size=60)
"""Any characters at all (odd whitespace, controls, bidi marks)."""
indent = st.sampled_from(["", "", "", " ", "  ", "\t", "\u00a0"])
line = st.builds(lambda i, t, j: i + t + j, indent,
                 st.one_of(paragraph, paragraph, heading, bullet, chrome, markdown, odd, st.just("")), indent)
body = st.builds("\n".join, st.lists(line, min_size=1, max_size=30))
fmt = st.sampled_from(["text", "markdown"])


def source(text: str, form: str, title: str | None = None) -> Source:
    return Source(id="s", path="sources/s.md", title=title, subtitle=None, authors=("Jane Doe",), publisher="P",
                  date=None, url=None, license=None, accessed=None, notes=(), format=form, body=text, body_line=1)


def line_spans(text: str) -> list[tuple[int, int]]:
    spans, offset = [], 0
    for raw in text.split("\n"):
        spans.append((offset, offset + len(raw)))
        offset += len(raw) + 1
    return spans


@SETTINGS
@given(body, fmt, st.sampled_from([None, "Recommended Reading", "China"]))
def test_nothing_outside_chrome_is_lost_or_reordered(text, form, title):
    seg = segment(clean(source(text, form, title)))
    spans = line_spans(text)
    covered = [False] * len(text)

    def cover(a: int, b: int) -> None:
        assert not any(covered[a:b]), ("overlap", text[a:b])
        covered[a:b] = [True] * (b - a)

    for removal in seg.cleaned.removed:
        a, b = spans[removal.line - 1]
        assert text[a:b].strip() == removal.text
        cover(a, b)
    previous = -1
    for block in seg.blocks:
        assert block.start > previous, "blocks out of reading order"
        previous = block.start
        a, b = spans[block.line - 1]
        marker = text[a:block.start]
        if block.kind == "bullet":
            assert BULLET_RE.match(marker.lstrip()), marker
            cover(a, block.start)
        if block.kind == "heading" and form == "markdown":
            assert MD_HEADING_RE.match(text[a:b].strip())
            cover(a, block.start)
            cover(block.end, b)
        cover(block.start, block.end)
    if form == "markdown":
        for a, b in spans:
            if MD_RULE_RE.match(text[a:b].strip()) and not any(covered[a:b]):
                cover(a, b)
    lost = "".join(ch for ch, c in zip(text, covered) if not c)
    assert lost.isspace() or lost == "", repr(lost)


@SETTINGS
@given(body, fmt)
def test_passages_are_exact_trimmed_spans_in_order(text, form):
    seg = segment(clean(source(text, form)))
    assert [p.n for p in seg.passages] == list(range(1, len(seg.passages) + 1))
    for p in seg.passages:
        assert p.text == text[p.start:p.end] and p.text == p.text.strip() and p.text
        assert not re.search(r"\n[^\S\n]*\n", p.text), "a passage crosses a blank line"
    starts = [p.start for p in seg.passages]
    assert starts == sorted(starts)


def rendered(seg, form: str) -> str:
    """The blocks joined by blank lines, each as written (bullet marker and heading hashes included)."""
    spans = line_spans(seg.source.body)
    out = []
    for block in seg.blocks:
        a, b = spans[block.line - 1]
        start = a if block.kind == "bullet" or (block.kind == "heading" and form == "markdown") else block.start
        end = b if block.kind == "heading" and form == "markdown" else block.end
        out.append(seg.source.body[start:end])
    return "\n\n".join(out)


def shape(seg) -> list[tuple[str, str]]:
    return [(b.kind, seg.source.body[b.start:b.end]) for b in seg.blocks]


@SETTINGS
@given(body, fmt)
def test_segmentation_is_idempotent(text, form):
    first = segment(clean(source(text, form)))
    again = segment(clean(source(rendered(first, form), form), rules=()))
    assert shape(again) == shape(first)
    assert [p.text for p in again.passages] == [p.text for p in first.passages]
    assert [s.id for s in again.sections] == [s.id for s in first.sections]


@SETTINGS
@given(body, fmt)
def test_ids_are_unique_and_stable_when_a_paragraph_is_added(text, form):
    before = segment(clean(source(text, form)))
    ids = [p.id for p in before.passages]
    sections = [s.id for s in before.sections]
    assert len(set(ids)) == len(ids) and len(set(sections)) == len(sections)
    added = "Zyzzyva quokka axolotl, an added closing paragraph."
    after = segment(clean(source(text + "\n\n" + added, form)))
    old = [(p.id, p.text) for p in before.passages]
    new = [(p.id, p.text) for p in after.passages]
    # The last passage may turn into a heading now that it is no longer last (a short unpunctuated line).
    keep = old if not old or new[:len(old)] == old else old[:-1]
    assert new[:len(keep)] == keep
    if added not in [r.text for r in after.cleaned.removed]:  # else it follows a cut-to-end line (`Recommended Reading`)
        assert new[-1][1] == added
    assert [s.id for s in after.sections][:len(sections)] == sections


def test_inert_is_the_reference_substitution_on_every_character():
    """`inert` replaces what a character class finds; it must equal the specification regex on every code point and space run."""
    from build_dossier.text import _NOT_INERT

    def reference(text: str) -> str:
        return _NOT_INERT.sub(lambda m: f"&#{ord(m.group(0))};", text)

    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    assert inert(everything) == reference(everything)
    for text in (" a", "a ", "a  b", "   ", " \u3000 x\u00a0 ", "", " ", "a\tb  \n c "):
        assert inert(text) == reference(text), repr(text)
