"""What a figure is of: its period, its status (observed, estimate, forecast, target) and, for a share, whose total;
values compared only within one measure, unit, period and scope; `differs-in-figures` relations checked against them.

Sentences written for these tests in the manner of articles on the subject, with the number forms and spaces
articles use (no-break, thin and narrow no-break spaces, `bn`, `bcm`, a yuan amount converted in brackets).
"""

from __future__ import annotations

import pytest

from build_dossier.analyse.backing import back_relations
from build_dossier.analyse.compare import compare
from build_dossier.analyse.figures import figures, passage_figures
from build_dossier.analyse.measures import default_measures
from build_dossier.model import Claim, Passage, Position, Relation

MEASURES = default_measures()
BY_ID = {m.id: m for m in MEASURES}


def passage(text: str, source: str = "t", n: int = 1) -> Passage:
    return Passage(source, n, "paragraph", None, 0, len(text), text, 1)


def read(text: str) -> list[tuple]:
    """(as written, normalised, unit, period as `kind date qualifier`, status, scope, measure) of each figure."""
    return [(f.text, f.normalised, f.normalised_unit,
             " ".join(filter(None, (f.period.kind, f.period.date, f.period.qualifier))) if f.period else None,
             f.status, f.scope, f.measure) for f in passage_figures(passage(text), MEASURES)]


FORMS = [
    ("The pipeline carries 50\u202fbillion cubic meters of gas a year.",
     [("50\u202fbillion cubic meters", 50, "bcm", None, "observed", None, "gas-volume")]),
    ("Russia sold China 38 bcm of gas in 2024, up from 22.7bcm in 2023.",
     [("38 bcm", 38, "bcm", "year 2024", "observed", None, "gas-volume"),
      ("22.7bcm", 22.7, "bcm", "year 2023", "observed", None, "gas-volume")]),
    ("In 2023, bilateral trade reached 1.7 trillion yuan ($235.9 billion), customs data show.",
     [("1.7 trillion yuan ($235.9 billion)", 235.9, "USD bn", "year 2023", "observed", None, "bilateral-trade")]),
    ("The two share a border of 4\u202f300\u2009km.", [("4\u202f300\u2009km", 4300, "km", None, "observed", None, "border-length")]),
    ("Bilateral trade was US$240\u00a0bn in 2023.", [("US$240\u00a0bn", 240, "USD bn", "year 2023", "observed", None, "bilateral-trade")]),
]
PERIODS = [
    ("As of June 2025, exports to Russia were $8.3 billion.",
     [("$8.3 billion", 8.3, "USD bn", "as-of 2025-06", "observed", None, "exports-to-russia")]),
    ("Since 2014, Chinese banks have lent Russian firms $50 billion in total.",
     [("$50 billion", 50, "USD bn", "cumulative 2014", "observed", None, None)]),
    ("In the first half of 2024, bilateral trade was $117 billion.",
     [("$117 billion", 117, "USD bn", "part 2024 first half", "observed", None, "bilateral-trade")]),
    ("In early 2024, bilateral trade was $60 billion a quarter.",
     [("$60 billion", 60, "USD bn", "part 2024 early", "observed", None, "bilateral-trade")]),
    ("From 2014 to 2022, bilateral trade totalled $1 trillion.",
     [("$1 trillion", 1000, "USD bn", "span 2014/2022", "observed", None, "bilateral-trade")]),
    ("Bilateral trade rose to $190 billion, before the sanctions of 2023 took hold.",
     [("$190 billion", 190, "USD bn", None, "observed", None, "bilateral-trade")]),
    ("Bilateral trade grew to $107 billion in 2019. In November that year, it passed $100 billion.",
     [("$107 billion", 107, "USD bn", "year 2019", "observed", None, "bilateral-trade"),
      ("$100 billion", 100, "USD bn", "month 2019-11", "observed", None, "bilateral-trade")]),
]
STATUSES = [
    ("Bilateral trade is expected to reach $300 billion by 2030.",
     [("$300 billion", 300, "USD bn", "year 2030", "forecast", None, "bilateral-trade")]),
    ("Officials forecast bilateral trade of $300 billion in 2024.",
     [("$300 billion", 300, "USD bn", "year 2024", "forecast", None, "bilateral-trade")]),
    ("Moscow and Beijing aim to raise bilateral trade to $300 billion by 2030.",
     [("$300 billion", 300, "USD bn", "year 2030", "target", None, "bilateral-trade")]),
    ("In 2024, bilateral trade was an estimated $245 billion.",
     [("an estimated $245 billion", 245, "USD bn", "year 2024", "estimate", None, "bilateral-trade")]),
    ("Bilateral trade was estimated at $245 billion in 2024.",
     [("$245 billion", 245, "USD bn", "year 2024", "estimate", None, "bilateral-trade")]),
    ("Beijing planned to build a pipeline that could carry 50 bcm of gas a year.",
     [("50 bcm", 50, "bcm", None, "forecast", None, "gas-volume")]),
    ("The target is $300 billion of bilateral trade by 2030.",
     [("$300 billion", 300, "USD bn", "year 2030", "target", None, "bilateral-trade")]),
    ("In May 2022, bilateral trade was $14 billion.",  # the month, not the modal verb
     [("$14 billion", 14, "USD bn", "month 2022-05", "observed", None, "bilateral-trade")]),
    ("Sanctions target Russian banks, which hold $50 billion in reserves.",  # the verb: no goal
     [("$50 billion", 50, "USD bn", None, "observed", None, None)]),
]
SCOPES = [
    ("In 2023, China accounted for 34 percent of Russia’s trade, while Russia accounted for 4 percent of China’s trade.",
     [("34 percent", 34, "%", "year 2023", "observed", "Russia", "share-of-trade"),
      ("4 percent", 4, "%", "year 2023", "observed", "China", "share-of-trade")]),
    ("As for India, Russia accounted for 2 percent of its trade in 2023.",
     [("2 percent", 2, "%", "year 2023", "observed", "India", "share-of-trade")]),
    ("The EU remained Russia’s main partner, accounting for 38 percent of the country’s trade in 2021.",
     [("38 percent", 38, "%", "year 2021", "observed", "Russia", "share-of-trade")]),
    ("In 2023, oil made up 60 percent of Russian exports to China.",
     [("60 percent", 60, "%", "year 2023", "observed", "Russia", "share-of-exports")]),
]


@pytest.mark.parametrize("text,expected", FORMS + PERIODS + STATUSES + SCOPES,
                         ids=[t[:40] for t, _ in FORMS + PERIODS + STATUSES + SCOPES])
def test_what_a_figure_is_of(text, expected):
    assert read(text) == expected


def test_only_values_of_one_period_kind_and_scope_are_compared():
    trade = BY_ID["bilateral-trade"]
    figs = figures((
        passage("As of June 2025, bilateral trade was $8.3 billion.", "a"),                 # a month, as of
        passage("In 2025, bilateral trade was $111 billion.", "b"),                           # a year
        passage("Bilateral trade is expected to reach $300 billion in 2025.", "c"),          # a forecast
        passage("In 2025, bilateral trade reached $115 billion.", "d"),                      # a year: compared with b
    ), MEASURES)
    c = compare(trade, figs)
    assert [(s.period.date, s.low, s.high, s.sources) for s in c.spreads] == [("2025", 111, 115, 2)]
    assert [(ch.figure.source, ch.others) for ch in c.checks] == [("a", 0), ("b", 1), ("d", 1)]  # the forecast: none
    shares = figures((passage("In 2023, China accounted for 34 percent of Russia’s trade.", "a"),
                      passage("In 2023, Russia accounted for 4 percent of China’s trade.", "b"),
                      passage("In 2023, China accounted for 36 percent of Russia’s trade.", "c")), MEASURES)
    s = compare(BY_ID["share-of-trade"], shares)
    assert [(sp.scope, sp.low, sp.high) for sp in s.spreads] == [("Russia", 34, 36)]  # never 4 against 34


def claim(quotes: dict[str, str], kind: str = "differs-in-figures") -> tuple[Claim, tuple[Passage, ...]]:
    """A debate of two positions, each quoting the whole of its passage."""
    passages = tuple(passage(text, sid, 1) for sid, text in quotes.items())
    a, b = passages
    positions = tuple(Position(p.source, p.id, 1, "stance", p.text, p.text) for p in passages)
    return Claim("d", "Q?", ("trade",), positions, (Relation(b.source, a.source, kind, "debates[0].relations", 7),)), passages


@pytest.mark.parametrize("quotes, backed, reason", [
    ({"a": "The border is 4,300 km long.", "b": "Their 4,209-kilometre frontier is stable."}, True,
     "2.2% apart, beyond the 2% tolerance of border-length"),
    ({"a": "The border is 4,200 km long.", "b": "Their 4,184-kilometre frontier is stable."}, False,
     "they are 0.4% apart, within the 2% tolerance of border-length"),
    ({"a": "In 2023, bilateral trade grew to $240 billion.", "b": "Bilateral trade reached $245 billion in 2024."}, False,
     "they are of different periods: 2024 and 2023"),  # b's figure first: b declares the relation
    ({"a": "In 2024, bilateral trade was $245 billion.", "b": "Bilateral trade will reach $300 billion in 2024."}, False,
     "“$300 billion” is a forecast, never compared"),
    ({"a": "In 2024, bilateral trade was $245 billion.", "b": "The alliance has no limits."}, False,
     "the quote of b states no figure"),
    ({"a": "In 2024, bilateral trade was $245 billion.", "b": "In 2024, bilateral trade was $200 billion."}, True,
     "22.5% apart, beyond the 5% tolerance of bilateral-trade"),
])
def test_a_differs_in_figures_relation_is_backed_only_by_comparable_figures_that_differ(quotes, backed, reason):
    debate, passages = claim(quotes)
    figs = figures(passages, MEASURES)
    (ev,), problems = back_relations((debate,), figs, MEASURES, passages, "sources/claims.yaml")
    assert (ev.backed, ev.reason) == (backed, reason)
    if backed:
        assert problems == []
    else:
        (p,) = problems
        assert (p.severity, p.file, p.key, p.line) == ("warning", "sources/claims.yaml", "debates[0].relations", 7)
        assert p.message.startswith("debate 'd': b and a are marked differs-in-figures, but the Figures engine does "
                                    "not back it") and p.message.endswith(f": {reason}.")


def test_other_relations_are_not_checked():
    debate, passages = claim({"a": "The border is 4,300 km long.", "b": "The border is 4,300 km long."}, "agrees")
    assert back_relations((debate,), figures(passages, MEASURES), MEASURES, passages, "c.yaml") == ((), [])
