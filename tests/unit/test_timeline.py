"""Dates and the timeline: date expressions, which dated statements are events, one event told by several sources.

Sentences written for these tests in the manner of articles on the subject (not taken from the three seed
articles, whose labelled set is scored in tests/test_timeline_site.py).
"""

from __future__ import annotations

import pytest

from build_dossier.analyse.dates import date_expressions, label, narrowest, overlap
from build_dossier.analyse.events import group, passage_mentions, timeline
from build_dossier.model import Passage


def passage(text: str, source: str = "t", n: int = 1) -> Passage:
    return Passage(source, n, "paragraph", None, 0, len(text), text, 1)


def events_in(text: str) -> list[tuple[str, str, bool]]:
    """(as written, normalised date, planned) of each dated statement of `text`."""
    return [(m.written, m.date, m.planned) for m in passage_mentions(passage(text))]


EVENTS = [
    ("Xi Jinping visited Moscow on 20 March 2023 for talks with Putin.", [("on 20 March 2023", "2023-03-20", False)]),
    ("On May 16, 2024, Putin arrived in Beijing for a two-day state visit.", [("On May 16, 2024", "2024-05-16", False)]),
    ("The Power of Siberia pipeline began pumping gas in December 2019.", [("in December 2019", "2019-12", False)]),
    ("Russia’s 2008 war with Georgia alarmed Beijing less than Washington.", [("2008", "2008", False)]),
    ("Trade between the two countries doubled between 2010 and 2014.", [("2010 and 2014", "2010/2014", False)]),
    ("Ties grew closer in the 1990s, when both sides settled their border.", [("in the 1990s", "1990/1999", False)]),
    ("In mid-2023, Wagner mutinied against the Russian military leadership.", [("In mid-2023", "2023", False)]),
    ("The treaty was signed in July 2001 and renewed in 2021.",
     [("in July 2001", "2001-07", False), ("in 2021", "2021", False)]),
    ("Gazprom and CNPC signed a 30-year contract in May 2014; deliveries started in late 2019.",
     [("in May 2014", "2014-05", False), ("in late 2019", "2019", False)]),
    ("At the end of 2022, Russian gas exports to Europe collapsed.", [("At the end of 2022", "2022", False)]),
    ("In September 2021, the navies held a drill. A month later, in October, they patrolled the Pacific together.",
     [("In September 2021", "2021-09", False), ("in October", "2021-10", False)]),
    ("In 2019, the two armies held a drill. Later that year, their bombers flew a joint patrol.",
     [("In 2019", "2019", False), ("that year", "2019", False)]),
    # plans and expectations
    ("Beijing will host the SCO summit in 2025.", [("in 2025", "2025", True)]),
    ("The agreement is due to take effect in January 2026.", [("in January 2026", "2026-01", True)]),
    ("By 2030, the two sides plan to double the volume of gas shipped.", [("By 2030", "2030", True)]),
    # not events: durations, states, measurements, bounds, negations, references, relative dates
    ("Since 2014, Russia has sold China its most advanced weapons.", []),
    ("Sanctions imposed after 2014 pushed Moscow toward Beijing.", []),
    ("Before 2022, Russia sold most of its gas to Europe.", []),
    ("As of 2024, China was Russia's largest trading partner.", []),
    ("Going into 2024, Moscow expected a record harvest.", []),
    ("Russia's share of China's oil imports was 19 percent in 2023.", []),
    ("In 2023, Chinese cars accounted for half of new car sales in Russia.", []),
    ("In a 2021 poll, 70 percent of Chinese respondents viewed Russia favourably.", []),  # a poll's figure
    ("At the end of 2021, 70 percent of Chinese respondents viewed Russia favourably.", []),
    ("The relationship has not changed since February 2022.", []),
    ("Moscow did not recognise the result in 2014.", []),
    ("He published Axis of Convenience (2008) with Chatham House.", []),
    ("Russia will not abandon the partnership for many years to come.", []),
    ("A decade ago, few expected such an alignment; last year, the picture changed.", []),
    ("Before February 24, few in Beijing expected a war.", []),
    ("Russia sent 2000 troops to the exercise.", []),
    # comparison bases and the ends of ranges are not events; `from` alone and `more than` are no such thing
    ("Exports to Russia grew 5% in 2024 from 2023.", [("in 2024", "2024", False)]),
    ("Gas exports rose 8% in 2024, slower than the 20% gain in 2023.", [("in 2024", "2024", False)]),
    ("Trade reached $200 billion, compared with $190 billion in 2022.", []),
    ("From March 2022 to May 2023, the firm shipped drone parts to Russia.", []),
    ("From June to August 2023, the plant sent 500 engines to Moscow.", []),
    ("Customs data from August 2023 showed a rise in imports of trucks.", [("from August 2023", "2023-08", False)]),
    ("More than 10,000 troops in 2018 joined the Vostok drill.", [("in 2018", "2018", False)]),
    ("Russia withdrew from the treaty in 2019.", [("in 2019", "2019", False)]),
]


@pytest.mark.parametrize("text,expected", EVENTS, ids=[t[:40] for t, _ in EVENTS])
def test_which_dated_statements_are_events(text, expected):
    assert events_in(text) == expected


def test_date_expressions_keep_their_lead_and_what_they_date():
    text = "Since 2014 trade grew; as of June 2025 it was flat, after the 2022 invasion and in the first half of 2024."
    got = [(e.text, e.date, e.lead, e.attribute, e.precision) for e in date_expressions(text)]
    assert got == [("Since 2014", "2014", "since", False, "year"), ("as of June 2025", "2025-06", "as of", False, "month"),
                   ("2022", "2022", "", True, "year"), ("in the first half of 2024", "2024", "in the first half of", False, "year")]
    spaced = "The pipeline opened on 2\u00a0December\u202f2019."
    assert [(e.text, e.date) for e in date_expressions(spaced)] == [("on 2\u00a0December\u202f2019", "2019-12-02")]


def test_dates_overlap_and_read_for_people():
    assert overlap("2022", "2022-02-24") and overlap("2000/2009", "2006") and not overlap("2014", "2015")
    assert narrowest(["2022", "2022-02-24", "2022-02"]) == "2022-02-24"
    assert [label(d) for d in ("2022-02-04", "2023-03", "2014", "2022/2023", "2000/2009")] == [
        "4 February 2022", "March 2023", "2014", "2022–2023", "2000s"]


def test_one_event_told_by_two_sources_is_one_entry_and_different_dates_are_flagged():
    passages = (
        passage("Russia annexed Crimea in March 2014, and the West imposed sanctions.", "a", 1),
        passage("The annexation of Crimea in 2014 changed Russian foreign policy.", "b", 4),
        passage("The Power of Siberia pipeline started delivering gas in December 2019.", "a", 2),
        passage("The Power of Siberia pipeline started delivering gas in 2018, years ahead of schedule.", "c", 7),
        passage("Russia and China held a naval drill in the Sea of Japan in 2021.", "b", 5),
    )
    events = timeline(passages)
    by_source = {tuple(sorted(m.source for m in e.mentions)): e for e in events}
    crimea = by_source[("a", "b")]
    assert (crimea.date, crimea.conflict) == ("2014-03", False)  # the most precise date both allow
    pipeline = by_source[("a", "c")]
    assert pipeline.conflict and pipeline.date == "2018"  # the same event, dates that cannot both be true: flagged
    assert [e.date for e in events] == sorted(e.date for e in events)  # in date order
    assert ("b",) in by_source and not by_source[("b",)].conflict  # the drill: its own entry


def test_two_dates_of_one_passage_are_two_events_and_a_source_never_conflicts_with_itself():
    text = ("In 2022, bilateral trade grew by 36 percent. In 2023, bilateral trade grew again, surpassing "
            "the mark in November.")
    events = timeline((passage(text, "a"),))
    assert [e.date for e in events] == ["2022", "2023", "2023-11"] and not any(e.conflict for e in events)
    same = [m for e in timeline((passage("Trade grew strongly in 2021 on energy sales.", "a", 1),
                                 passage("Trade grew strongly in 2022 on energy sales.", "a", 2))) for m in e.mentions]
    assert len(group(same)) == 2 and not any(e.conflict for e in group(same))


def test_grouping_by_kinds_of_mention_equals_comparing_every_pair():
    """Retellings compared once per kind (same date, same naming words) leave the groups that linking every pair
    of mentions would: many copies from few passages and sources, overlapping and conflicting dates."""
    import random

    from build_dossier.analyse import events
    from build_dossier.ids import PassageId
    from build_dossier.model import Mention

    def same(a, b) -> bool:  # the pairwise rule, as stated in the docs: words shared, dates, passages, sources
        if a.passage == b.passage:
            return False
        together = overlap(a.date, b.date)
        if not together and a.source == b.source:
            return False
        shared = a.words & b.words
        if len(shared) < (2 if together else 3):
            return False
        total = 2.0 * len(shared)  # group() without passages weighs each word 2
        if together:
            return total >= events.SAME_EVENT
        return total >= events.CONFLICT and 2 * len(shared) >= min(len(a.words), len(b.words))

    rng = random.Random(3)
    vocabulary = [f"w{k}" for k in range(7)]
    kinds = [frozenset(rng.sample(vocabulary, rng.randint(1, 5))) for _ in range(6)]  # few: many retellings of each
    for _ in range(200):
        mentions = []
        for n in range(rng.randint(2, 40)):
            source = f"s{rng.randint(0, 3)}"
            mentions.append(Mention(PassageId(source, rng.randint(1, 3)), n, n + 4, "2022", rng.choice(["2022", "2023", "2022-03"]),
                                    False, "x", rng.choice(kinds)))
        parent = list(range(len(mentions)))

        def root(i):
            while parent[i] != i:
                i = parent[i]
            return i

        for i in range(len(mentions)):
            for j in range(i + 1, len(mentions)):
                if same(mentions[i], mentions[j]):
                    parent[root(j)] = root(i)
        expected = {frozenset(k for k in range(len(mentions)) if root(k) == r) for r in map(root, range(len(mentions)))}
        at = {id(m): k for k, m in enumerate(mentions)}
        assert {frozenset(at[id(m)] for m in e.mentions) for e in group(mentions)} == expected


def test_an_entry_shows_the_first_telling_of_each_date_then_the_others_up_to_its_limit():
    from build_dossier.ids import PassageId
    from build_dossier.model import Event, Mention
    from build_dossier.render.timeline_lines import FULL, flags, in_full

    def told(source: str, date: str) -> Mention:
        return Mention(PassageId(source, 1), 0, 4, date, date, False, f"In {date} it happened.")

    dates = ["2014"] * 8 + ["2015", "2014", "2016"] + [str(2017 + i) for i in range(FULL)]
    e = Event("ev-a-p1-0", "2014", tuple(told(f"s{i:02d}", d) for i, d in enumerate(dates)), True)
    full = in_full(e)
    assert [m.date for m in full] == ["2014", "2015", "2016", "2017", "2018"]  # a date each, in the entry's order
    assert len(full) == FULL and [m.source for m in full] == sorted(m.source for m in full)
    assert flags(e) == (" · **dates differ between sources**: 2014 vs 2015 vs 2016 vs 2017 vs 2018 and "
                        "3 other dates")
    one = Event("ev-a-p1-0", "2014", tuple(told(f"s{i:02d}", "2014") for i in range(9)), False)
    assert [m.source for m in in_full(one)] == ["s00", "s01", "s02", "s03", "s04"]  # one date: the first five


def test_a_timeline_on_one_page_keeps_its_previews_in_the_budget(tmp_path, monkeypatch):
    """The three articles' Timeline fits one page; with a small previews budget, its links past it are plain links
    and every link that names a preview has it on the page."""
    import re

    from build_dossier.pipeline import gather
    from build_dossier.render import addresses
    from build_dossier.render.timeline import layout
    from support import copy_project

    dossier, _ = gather(copy_project(tmp_path))
    monkeypatch.setattr(addresses, "PREVIEW_BUDGET", 3_000)
    (path, text), = layout(dossier).files  # one page: no parts
    block = re.search(r'<div class="passage-previews".*?\n</div>\n', text, re.S)[0]
    assert len(block.encode("utf-8")) <= 3_000 + 100  # + the block's own tags
    shown = set(re.findall(r'class="passage-preview" id="([^"]+)"', block))
    named = re.findall(r'aria-describedby="([^"]+)"', text)
    links = re.findall(r"\{: \.passage-link[^}]*\}", text)
    assert shown and set(named) == shown
    assert len(links) > len(named)  # some links are past the budget: they name no preview
