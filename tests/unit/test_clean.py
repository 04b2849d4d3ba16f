"""Chrome removal: each rule kind on small inputs, and the shipped rules file."""

from __future__ import annotations

import pytest

from build_dossier.analyse.clean import clean, default_rules, parse_rules
from support import source


def kept(body: str, title: str | None = "The Title") -> list[str]:
    return [line.text for line in clean(source(body, title)).lines if line]


def removed(body: str, title: str | None = "The Title") -> list[tuple[int, str, str]]:
    return [(r.line, r.rule, r.text) for r in clean(source(body, title)).removed]


PARA = "China and Russia have expanded their trade and defense ties over the past decade in many ways."


@pytest.mark.parametrize("body, expected", [
    # whole-line chrome between two paragraphs
    (f"{PARA}\n\nMore From Our Experts\n\n{PARA}", [(12, "more-from-experts", "More From Our Experts")]),
    # "More on:" and its link list, up to the next real paragraph
    (f"{PARA}\nMore on:\n\nChina\n\nSecurity Alliances\n\n{PARA}",
     [(11, "more-on", "More on:"), (13, "more-on", "China"), (15, "more-on", "Security Alliances")]),
    # a caption printed twice, then its credit
    (f"{PARA}\nTroops parade in Moscow, May 2024\nTroops parade in Moscow, May 2024\nJane Roe / Reuters\n{PARA}",
     [(11, "caption", "Troops parade in Moscow, May 2024"), (12, "caption", "Troops parade in Moscow, May 2024"),
      (13, "caption", "Jane Roe / Reuters")]),
    # a caption whose second copy carries the credit
    (f"Leaders meet in Beijing, 2025.\nLeaders meet in Beijing, 2025. Sputnik/Pool/Reuters\n{PARA}",
     [(10, "caption", "Leaders meet in Beijing, 2025."), (11, "caption", "Leaders meet in Beijing, 2025. Sputnik/Pool/Reuters")]),
    # the title repeated and a content label, near the top only
    (f"The Title\nBackgrounder\n{PARA}", [(10, "title", "The Title"), (11, "content-label", "Backgrounder")]),
    # site furniture alone on a line, anywhere; the same words inside a sentence stay
    (f"Listen to this article 6 min\n{PARA}\nAdvertisement\n{PARA}\nShare on X\nRead more about sanctions and more.",
     [(10, "site-furniture", "Listen to this article 6 min"), (12, "site-furniture", "Advertisement"),
      (14, "site-furniture", "Share on X")]),
    (f"By Jane Doe\n{PARA}\n@Some Publisher (SP)", [(10, "byline", "By Jane Doe"), (12, "publisher-handle", "@Some Publisher (SP)")]),
    # footers: everything from the marker on
    (f"{PARA}\nYou are reading a free article.\nSubscribe to X to get unlimited access.\n  • Perk one\nSubscribe Now",
     [(11, "paywall", "You are reading a free article."), (12, "paywall", "Subscribe to X to get unlimited access."),
      (13, "paywall", "• Perk one"), (14, "subscribe", "Subscribe Now")]),
    # a pull quote restating a sentence of the article
    ("The tightening of this alignment between Russia and China is one of the most important geopolitical "
     "outcomes of the war against Ukraine, and it will last for years to come. Western officials cannot wish "
     "this axis away, hoping in vain that the Kremlin bridles at its vassalage.\n\n"
     "Russia and China’s growing closeness is one of the most important outcomes of the war in Ukraine.\n\n" + PARA,
     [(12, "pull-quote", "Russia and China’s growing closeness is one of the most important outcomes of the war in Ukraine.")]),
])
def test_rules(body, expected):
    assert removed(body) == expected


@pytest.mark.parametrize("body", [
    # content that merely looks a bit like chrome stays
    f"{PARA}\nExecutive Summary\n- Attempts to drive a wedge between Beijing and Moscow are futile.\n{PARA}",
    "\n\n".join(f"{PARA[:-1]}, point {i}." for i in range(6)) + f"\n\nAnalysis\n\n{PARA}",  # a heading, not a label
    f"{PARA}\nWar has become the organizing principle of Russian foreign policy and much else besides.\n",
    "By most accounts, Beijing had not expected the invasion, and it tried hard to sit on the fence afterwards.",
])
def test_content_is_kept(body):
    assert removed(body) == []


def test_kept_lines_are_exact_spans():
    body = f"  {PARA}  \n\nMore From Our Experts\n\n{PARA}\n"
    cleaned = clean(source(body))
    for line in cleaned.lines:
        if line:
            assert body[line.start:line.end] == line.text == PARA


def test_shipped_rules_load():
    rules = default_rules()
    assert {r.kind for r in rules} == {"line", "cut-to-end", "list-after", "caption", "title", "pull-quote"}


def test_bad_rules_file_names_every_problem():
    text = "rules:\n  - id: x\n    kind: line\n    reason: r\n  - id: Y Z\n    kind: nope\n    reason: r\n    pattern: '('\n"
    message = "\n".join(str(p) for p in parse_rules(text, "chrome.yaml")[1])
    assert "chrome.yaml:2 [rules[0].pattern]: this kind of rule needs a pattern." in message
    assert "chrome.yaml:8 [rules[1].pattern]: invalid regex: missing ), unterminated subpattern at position 0." in message
    assert "chrome.yaml:6 [rules[1].kind]: 'nope' is not one of the valid values." in message
    assert "chrome.yaml:5 [rules[1].id]: 'Y Z' is not a valid id." in message
