"""Citation formatting (Chicago notes-bibliography, APA 7) and deep links, against hand-written expectations.

Every expected string below was written by hand from the style rules, not produced by the code.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import unquote

import pytest

from build_dossier.analyse.clean import clean, load_rules
from build_dossier.analyse.segment import segment
from build_dossier.ingest.load import load_sources
from build_dossier.model import Passage, Source
from build_dossier.render import cite
from build_dossier.render.addresses import absolute
from build_dossier.render.citations import passage_link
from build_dossier.render.deeplink import deep_link, encode, opening, text_fragment
from support import ROOT


@pytest.fixture(scope="module")
def real() -> dict[str, Source]:
    sources, problems = load_sources(ROOT / "sources", ROOT)
    assert not [p for p in problems if p.severity == "error"]
    return {s.id: s for s in sources}


def make(**kw) -> Source:
    base = dict(id="x", path="sources/x.md", title="A Title", subtitle=None, authors=("Jane Doe",),
                publisher="Example Review", date=None, url=None, license=None, accessed=None, notes=(),
                format="text", body="", body_line=1)
    return Source(**(base | kw))


class Shown(HTMLParser):
    """What a browser shows of citation HTML: its text, the text of each `<i>`, and every tag."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.text, self.italics, self.tags, self._in_i = "", [], [], False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        if tag == "i":
            self._in_i = True
            self.italics.append("")

    def handle_endtag(self, tag):
        self._in_i = self._in_i and tag != "i"

    def handle_data(self, data):
        self.text += data
        if self._in_i:
            self.italics[-1] += data


# --- the three sources ---------------------------------------------------------------------------

CFR_TITLE = "China and Russia: Exploring Ties Between Two Authoritarian Powers"
CFR_URL = "https://www.cfr.org/backgrounder/china-russia-relationship-xi-putin-taiwan-ukraine"


def passage(source: Source, n: int) -> Passage:
    """The n-th passage of a real source, as the pipeline segments it."""
    return next(p for p in segment(clean(source, load_rules()[0])).passages if p.n == n)


def test_cfr_with_a_url_names_the_original_at_the_passage(real):
    """A source with a URL: the notes and the APA reference give the original's address, never the dossier's."""
    s = real["cfr-backgrounder-2025"]
    assert cite.plain(cite.chicago_note(s, 21)) == (
        f"Council on Foreign Relations, “{CFR_TITLE},” Council on Foreign Relations, n.d., para. 21, {CFR_URL}.")
    # The variant links the passage in the original: a text fragment of its opening words, unique in the captured text.
    p21 = passage(s, 21)
    assert passage_link(s, p21) == CFR_URL + "#:~:text=Before%20the%202022%20invasion"
    assert cite.plain(cite.chicago_note(s, 21, passage_link(s, p21))) == (
        f"Council on Foreign Relations, “{CFR_TITLE},” Council on Foreign Relations, n.d., para. 21, "
        f"{CFR_URL}#:~:text=Before%20the%202022%20invasion.")
    assert cite.plain(cite.chicago_short(s, 21)) == "Council on Foreign Relations, “China and Russia,” para. 21."
    assert cite.plain(cite.chicago_bibliography(s)) == (
        f"Council on Foreign Relations. “{CFR_TITLE}.” Council on Foreign Relations, n.d. {CFR_URL}.")
    # APA leaves the site name out when it is the author; no access date is on record, so none is given.
    assert cite.plain(cite.apa_reference(s)) == f"Council on Foreign Relations. (n.d.). {CFR_TITLE}. {CFR_URL}"
    assert cite.apa_in_text(s, 21) == "(Council on Foreign Relations, n.d., para. 21)"


def test_gabuev_without_a_url_is_cited_as_a_work_without_one(real):
    s = real["gabuev-foreign-affairs-2024"]
    title = "Putin and Xi's Unholy Alliance: Why the West Won't Be Able to Drive a Wedge Between Russia and China"
    assert cite.plain(cite.chicago_note(s, 24)) == f"Alexander Gabuev, “{title},” Foreign Affairs, April 9, 2024, para. 24."
    assert passage_link(s, passage(s, 24)) is None  # no URL: no link, none invented
    assert cite.plain(cite.chicago_short(s, 5)) == "Gabuev, “Putin and Xi's Unholy Alliance,” para. 5."
    assert cite.plain(cite.chicago_bibliography(s)) == f"Gabuev, Alexander. “{title}.” Foreign Affairs, April 9, 2024."
    assert cite.plain(cite.apa_reference(s)) == f"Gabuev, A. (2024, April 9). {title}. Foreign Affairs."
    shown = Shown(cite.html(cite.apa_reference(s)))
    assert shown.text == f"Gabuev, A. (2024, April 9). {title}. Foreign Affairs."
    assert shown.italics == [title] and shown.tags == [("i", [])]
    assert cite.apa_in_text(s, 24) == "(Gabuev, 2024, para. 24)"


def test_lo_untitled_without_url_or_date(real):
    """No title (a bracketed description), no date (n.d.), no URL (left out)."""
    s = real["lo-cepa-2024"]
    assert cite.plain(cite.chicago_note(s, 7)) == (
        "Bobo Lo, [untitled article], Center for European Policy Analysis (CEPA), n.d., para. 7.")
    assert cite.plain(cite.chicago_note(s)) == "Bobo Lo, [untitled article], Center for European Policy Analysis (CEPA), n.d."
    assert cite.plain(cite.chicago_short(s, 7)) == "Lo, [untitled article], para. 7."
    assert cite.plain(cite.chicago_bibliography(s)) == (
        "Lo, Bobo. [Untitled article]. Center for European Policy Analysis (CEPA), n.d.")
    assert cite.plain(cite.apa_reference(s)) == "Lo, B. (n.d.). [Untitled article]. Center for European Policy Analysis (CEPA)."
    assert cite.apa_in_text(s, 7) == "(Lo, n.d., para. 7)"
    assert passage_link(s, passage(s, 7)) is None


def test_untitled_with_url_and_access_date():
    """An untitled web article whose address and capture date are known: the description, then the URL with the date."""
    s = make(title=None, authors=("Mei Tanaka",), publisher="Harbour Institute", date="2024-03-05",
             url="https://harbour.example/notes/42", accessed="2025-02-01")
    assert cite.plain(cite.chicago_note(s, 4)) == (
        "Mei Tanaka, [untitled article], Harbour Institute, March 5, 2024, para. 4, accessed February 1, 2025, "
        "https://harbour.example/notes/42.")
    assert cite.plain(cite.chicago_bibliography(s)) == (
        "Tanaka, Mei. [Untitled article]. Harbour Institute, March 5, 2024. Accessed February 1, 2025. "
        "https://harbour.example/notes/42.")
    assert cite.plain(cite.apa_reference(s)) == (
        "Tanaka, M. (2024, March 5). [Untitled article]. Harbour Institute. "
        "Retrieved February 1, 2025, from https://harbour.example/notes/42")
    assert cite.plain(cite.chicago_short(s, 4)) == "Tanaka, [untitled article], para. 4."


def test_a_local_url_is_never_cited_and_the_dossier_copy_is_a_separate_part():
    s = make(url="http://127.0.0.1:8000/article", accessed="2025-02-01", date="2024-03-05")
    assert cite.original_url(s) is None
    assert cite.plain(cite.chicago_note(s, 2)) == "Jane Doe, “A Title,” Example Review, March 5, 2024, para. 2."
    assert cite.plain(cite.apa_reference(s)) == "Doe, J. (2024, March 5). A Title. Example Review."
    assert cite.plain(cite.dossier_copy("https://d.example/sources/x.html#p2")) == (
        "Dossier copy: https://d.example/sources/x.html#p2.")


# --- harder cases -----------------------------------------------------------------------------------

def test_two_authors_particles_hyphens_access_date_and_question_title():
    s = make(authors=("Jean-Pierre Cabestan", "Ursula von der Leyen"), title="Are They Allies?", date="2023-11-02",
             accessed="2025-01-31", url="https://review.example/allies")
    assert cite.plain(cite.chicago_note(s, 3, "https://d.example/sources/x.html#p3")) == (
        "Jean-Pierre Cabestan and Ursula von der Leyen, “Are They Allies?” Example Review, November 2, 2023, "
        "para. 3, accessed January 31, 2025, https://d.example/sources/x.html#p3.")
    assert cite.plain(cite.chicago_bibliography(s)) == (
        "Cabestan, Jean-Pierre, and Ursula von der Leyen. “Are They Allies?” Example Review, November 2, 2023. "
        "Accessed January 31, 2025. https://review.example/allies.")
    assert cite.plain(cite.chicago_short(s, 3)) == "Cabestan and von der Leyen, “Are They Allies?” para. 3."
    assert cite.plain(cite.apa_reference(s)) == (
        "Cabestan, J.-P., & von der Leyen, U. (2023, November 2). Are They Allies? Example Review. "
        "Retrieved January 31, 2025, from https://review.example/allies")
    assert cite.apa_in_text(s, 3) == "(Cabestan & von der Leyen, 2023, para. 3)"


def test_four_authors_et_al_and_subtitle():
    s = make(authors=("Ann Smith", "Bob Jones", "Carla Díaz", "Dan Wu"), title="Old Friends",
             subtitle="New Rivals", date="2021-06-30")
    assert cite.plain(cite.chicago_note(s, 1, "u")) == (
        "Ann Smith et al., “Old Friends: New Rivals,” Example Review, June 30, 2021, para. 1, u.")
    assert cite.plain(cite.chicago_bibliography(s)) == (
        "Smith, Ann, Bob Jones, Carla Díaz, and Dan Wu. “Old Friends: New Rivals.” Example Review, June 30, 2021.")
    assert cite.plain(cite.apa_reference(s)) == (
        "Smith, A., Jones, B., Díaz, C., & Wu, D. (2021, June 30). Old Friends: New Rivals. Example Review.")
    assert cite.apa_in_text(s, 1) == "(Smith et al., 2021, para. 1)"
    assert cite.plain(cite.chicago_short(s, 1)) == "Smith et al., “Old Friends,” para. 1."


def test_three_authors_serial_comma_and_suffix():
    s = make(authors=("Martin Luther King, Jr.", "Mary Ann Evans", "Li"), date="1963-08-28")
    assert cite.plain(cite.chicago_note(s)) == (
        "Martin Luther King Jr., Mary Ann Evans, and Li, “A Title,” Example Review, August 28, 1963.")
    assert cite.plain(cite.apa_reference(s)) == (
        "King, M. L., Jr., Evans, M. A., & Li. (1963, August 28). A Title. Example Review.")


def test_long_author_lists():
    eleven = tuple(f"Author{c} Person" for c in "ABCDEFGHIJK")
    s = make(authors=eleven, date="2020-01-01")
    assert cite.plain(cite.chicago_bibliography(s)) == (
        "Person, AuthorA, AuthorB Person, AuthorC Person, AuthorD Person, AuthorE Person, AuthorF Person, "
        "AuthorG Person, et al. “A Title.” Example Review, January 1, 2020.")
    many = tuple(f"Given Family{c}" for c in "ABCDEFGHIJKLMNOPQRSTUV")  # 22 authors
    apa = cite.plain(cite.apa_reference(make(authors=many)))
    assert apa.startswith("FamilyA, G., FamilyB, G., ") and ", FamilyS, G., . . . FamilyV, G. (n.d.). A Title." in apa
    assert "FamilyT" not in apa and "&" not in apa


def test_quotes_inside_a_title_become_single():
    s = make(title="The “Partnership Without Limits” Revisited", date="2022-02-04")
    assert cite.plain(cite.chicago_note(s)) == (
        "Jane Doe, “The ‘Partnership Without Limits’ Revisited,” Example Review, February 4, 2022.")


def test_source_text_is_text_in_html():
    s = make(title='<script>alert(1)</script> & "x" *y*\n{: onclick=alert(2) }', authors=("<b>Eve</b> Mallory",),
             publisher="<i>P</i>")
    for runs in (cite.chicago_note(s, 1, "https://x/?a=1&b=<2>"), cite.apa_reference(s, "https://x/"),
                 cite.chicago_bibliography(s)):
        shown = Shown(cite.html(runs))
        assert shown.text == cite.plain(runs)  # every character shown as written
        assert {tag for tag, _ in shown.tags} <= {"i"} and all(attrs == [] for _, attrs in shown.tags)
        assert "<script>alert(1)</script> & " in shown.text and "*y* {: onclick=alert(2) }" in shown.text
    assert "https://x/?a=1&b=<2>" in Shown(cite.html(cite.chicago_note(s, 1, "https://x/?a=1&b=<2>"))).text


@pytest.mark.parametrize("name, publisher, family, given, suffix, org", [
    ("Alexander Gabuev", "Foreign Affairs", "Gabuev", "Alexander", "", False),
    ("Bobo Lo", "", "Lo", "Bobo", "", False),
    ("Council on Foreign Relations", "Council on Foreign Relations", "Council on Foreign Relations", "", "", True),
    ("Center for European Policy Analysis (CEPA)", "", "Center for European Policy Analysis (CEPA)", "", "", True),
    ("Reuters Staff", "Reuters", "Reuters Staff", "", "", True),
    ("Example Review", "Example Review", "Example Review", "", "", True),
    ("Ursula von der Leyen", "", "von der Leyen", "Ursula", "", False),
    ("Martin Luther King, Jr.", "", "King", "Martin Luther", "Jr.", False),
    ("Gabuev, Alexander", "", "Gabuev", "Alexander", "", False),
    ("Madonna", "", "Madonna", "", "", False),
    ("Maria de la Cruz", "", "de la Cruz", "Maria", "", False),
])
def test_names(name, publisher, family, given, suffix, org):
    n = cite.parse_name(name, publisher)
    assert (n.family, n.given, n.suffix, n.organisation) == (family, given, suffix, org)


@pytest.mark.parametrize("given, expected", [("Alexander", "A."), ("Jean-Pierre", "J.-P."), ("Mary Ann", "M. A."),
                                             ("J. R. R.", "J. R. R.")])
def test_initials(given, expected):
    assert cite.initials(given) == expected


def test_absolute_permalinks():
    assert absolute("https://ex.org/dossier/", "sources/a.html#p2") == "https://ex.org/dossier/sources/a.html#p2"
    assert absolute("https://ex.org/dossier", "sources/a.html") == "https://ex.org/dossier/sources/a.html"
    assert absolute(None, "sources/a.html") == "sources/a.html"


# --- deep links -------------------------------------------------------------------------------------

@pytest.mark.parametrize("term, expected", [
    ("China-Russia ties, trade & arms", "China%2DRussia%20ties%2C%20trade%20%26%20arms"),
    ("Russia’s “no limits” — partnership", "Russia%E2%80%99s%20%E2%80%9Cno%20limits%E2%80%9D%20%E2%80%94%20partnership"),
    ('He said "yes" (twice)', "He%20said%20%22yes%22%20%28twice%29"),
    ("50% of #1 + x=y/z? it's", "50%25%20of%20%231%20%2B%20x%3Dy%2Fz%3F%20it%27s"),
    ("U.S._policy~now", "U.S._policy~now"),
    ("Россия и Китай", "%D0%A0%D0%BE%D1%81%D1%81%D0%B8%D1%8F%20%D0%B8%20%D0%9A%D0%B8%D1%82%D0%B0%D0%B9"),
    ("中俄关系", "%E4%B8%AD%E4%BF%84%E5%85%B3%E7%B3%BB"),
])
def test_text_directive_encoding(term, expected):
    assert encode(term) == expected
    assert unquote(expected) == term


@pytest.mark.parametrize("url, expected", [
    ("https://e.org/a", "https://e.org/a#:~:text=x%2Dy%2C%20z"),
    ("https://e.org/a?q=1&r=2", "https://e.org/a?q=1&r=2#:~:text=x%2Dy%2C%20z"),
    ("https://e.org/a#section-2", "https://e.org/a#section-2:~:text=x%2Dy%2C%20z"),
    ("https://e.org/a#", "https://e.org/a#:~:text=x%2Dy%2C%20z"),
    ("https://e.org/a#:~:text=old", "https://e.org/a#:~:text=x%2Dy%2C%20z"),
    ("https://e.org/a#top:~:text=old&text=other", "https://e.org/a#top:~:text=x%2Dy%2C%20z"),
])
def test_text_fragment_keeps_or_replaces_fragments(url, expected):
    assert text_fragment(url, "x-y,  z") == expected


def test_opening_words_are_the_shortest_unique_prefix():
    page = ("China and Russia have a long, complicated history.\n"
            "Later: china and  RUSSIA have expanded trade and defense ties.")
    passage = "china and  RUSSIA have expanded trade and defense ties."
    # four words occur twice (case and spacing do not matter to the browser); five are unique
    assert opening(passage, page) == "china and RUSSIA have expanded"
    assert opening("Short one.", page) == "Short one."
    assert opening("The same words. " * 10, "The same words. " * 20) == " ".join(("The same words. " * 4).split()[:12])
    assert opening("Just a decade ago, most U.S. officials were dismissive.", "") == "Just a decade ago,"


def test_deep_link_with_tricky_opening():
    text = "“Partnership without limits” — China-Russia ties, trade & arms: 20% up."
    url = deep_link("https://e.org/p#intro", text, text)
    assert url == "https://e.org/p#intro:~:text=%E2%80%9CPartnership%20without%20limits%E2%80%9D%20%E2%80%94"
    directive = url.split(":~:text=", 1)[1]
    assert not set(directive) & set("-,& “”—'\"")
