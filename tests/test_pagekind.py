"""`add` refuses saved pages that are not articles (sign-in, consent, search), by general signals; --force imports them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from build_dossier.authoring.pagekind import MIN_WORDS, PASSWORD_MIN_WORDS, Signals, doubts, measure
from build_dossier.cli import main
from support import DATA, copy_project

IMPORT = DATA / "import"
FIX = ("Fix: save the article itself (signed in, cookies answered, the article open) and add that; if this is the "
       "article, add it with --force.")
NOT_ARTICLES = {
    "not-article-login.html": "it has only 52 words of running text (an article has at least 100); the part of the page "
                              'its text comes from (<section class="login-panel">) holds more form controls (6) than '
                              "paragraphs (4); its text sits beside a password field, with fewer than 300 words of "
                              "running text",
    "not-article-consent-wall.html": 'the part of the page its text comes from (<div class="consent-container">) holds '
                                     "more form controls (16) than paragraphs (11)",
    "not-article-search.html": "it has only 20 words of running text (an article has at least 100); the part of the "
                               "page its text comes from (<main>) holds more form controls (9) than paragraphs (2)",
}
ARTICLES = sorted(p.name for p in IMPORT.iterdir() if p.name not in NOT_ARTICLES)
"""Every other import fixture: real articles, one of them a short post on a page full of forms."""


def add(project, path: Path, *more: str):
    return CliRunner().invoke(main, ["add", "-p", str(project.root), str(path), "--author", "A Person",
                                     "--publisher", "Example Review", *more])


@pytest.mark.parametrize("name", sorted(NOT_ARTICLES))
def test_pages_that_are_not_articles_are_refused_with_the_reason(tmp_path, name):
    project = copy_project(tmp_path)
    result = add(project, IMPORT / name)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert result.output == (f"Error: 1 problem found:\n  error: {IMPORT / name}: the page does not look like an "
                             f"article: {NOT_ARTICLES[name]}. {FIX}\n")
    assert sorted(p.name for p in project.sources_dir.iterdir()) == sorted(
        p.name for p in (Path(__file__).parent.parent / "sources").iterdir() if p.is_file())


@pytest.mark.parametrize("name", sorted(NOT_ARTICLES))
def test_force_imports_them_anyway(tmp_path, name):
    project = copy_project(tmp_path)
    result = add(project, IMPORT / name, "--force", "--id", "forced")
    assert result.exit_code == 0, result.output
    assert (project.sources_dir / "forced.md").exists()


@pytest.mark.parametrize("name", ARTICLES)
def test_every_article_fixture_still_imports(tmp_path, name):
    project = copy_project(tmp_path)
    result = add(project, IMPORT / name, "--id", "imported")
    assert result.exit_code == 0, result.output
    assert (project.sources_dir / "imported.md").exists()


@pytest.mark.parametrize("signals, expected", [
    (Signals(MIN_WORDS, 3, "<main>", 3, 0), 0),                      # enough text; fields no more than paragraphs
    (Signals(MIN_WORDS - 1, 3, "<main>", 0, 0), 1),                  # too little running text
    (Signals(2000, 40, "<body>", 41, 0), 1),                         # more fields than paragraphs
    (Signals(PASSWORD_MIN_WORDS - 1, 9, "<main>", 2, 1), 1),         # a short text beside a password field
    (Signals(PASSWORD_MIN_WORDS, 9, "<main>", 2, 1), 0),             # an article page with a sign-in box in it
    (Signals(10, 1, "<form>", 5, 1), 3),
])
def test_each_signal_on_its_own(signals, expected):
    assert len(doubts(signals)) == expected


def test_a_stray_line_of_chrome_does_not_widen_the_region_to_the_sign_in_box():
    """The extraction may keep a word of page chrome; the region is where nearly all the text is."""
    paragraphs = [f"Paragraph {n} of the report on gas prices, long enough to be running text in an article." for n in range(9)]
    page = ("<html><body><div class='page'><header><form><input name='user'><input type='password' name='pw'>"
            "<button>Log in</button></form></header><div class='sidebar'><p>Search</p></div><article><div class='body'>"
            + "".join(f"<p>{t}</p>" for t in paragraphs) + "</div></article></div></body></html>")
    assert measure(page, [*paragraphs, "Search"]) == Signals(154, 10, '<div class="body">', 0, 0)
