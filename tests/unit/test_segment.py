"""Segmentation: headings, paragraphs and bullets as exact spans, numbered in reading order."""

from __future__ import annotations

from dataclasses import replace

import pytest

from build_dossier.analyse.clean import clean
from build_dossier.analyse.segment import heading_like, segment
from support import source

LONG = "Russia depends far more on China than vice versa, a fact that has generated concerns in Moscow today."


@pytest.mark.parametrize("text, expected", [
    ("A Partnership with Limits", True),
    ("Are China and Russia allies?", True),
    ("Executive Summary", True),
    ("Implications for US Policy", True),
    ("Subscribe now.", False),
    ("the lowercase start of a line", False),
    ("Distrust. Many Chinese and Russian officials mistrust each other", False),
    ("A line that runs on and on with many many words that go well beyond fourteen of them in all", False),
])
def test_heading_like(text, expected):
    assert heading_like(text) is expected


def kinds(body: str, fmt: str = "text"):
    seg = segment(clean(replace(source(body), format=fmt)))
    return [(b.kind, seg.source.body[b.start:b.end]) for b in seg.blocks]


def test_line_per_paragraph_with_headings_and_bullets():
    body = f"- A dek bullet that sums the article up for readers.\nExecutive Summary\n- First point made here.\n- Second point.\nA Section\n{LONG}\n{LONG[:-1]} again.\n"
    assert kinds(body) == [
        ("bullet", "A dek bullet that sums the article up for readers."),
        ("heading", "Executive Summary"),
        ("bullet", "First point made here."),
        ("bullet", "Second point."),
        ("heading", "A Section"),
        ("paragraph", LONG),
        ("paragraph", LONG[:-1] + " again."),
    ]


def test_hard_wrapped_paragraphs_join_and_keep_exact_span():
    body = ("Introduction\n\nThe neighbors have strengthened ties over the past decade, but some\n"
            "experts question whether their alliance is driven less by affinity.\n\nA second paragraph here.\n")
    assert kinds(body) == [
        ("heading", "Introduction"),
        ("paragraph", "The neighbors have strengthened ties over the past decade, but some\n"
                      "experts question whether their alliance is driven less by affinity."),
        ("paragraph", "A second paragraph here."),
    ]


def test_last_short_line_is_a_paragraph_not_a_heading():
    assert kinds(f"{LONG}\nThe End") == [("paragraph", LONG), ("paragraph", "The End")]


def test_markdown_format():
    body = "# Title One\n\nSome *text* that\nwraps.\n\n- item one\n- item two\n\n---\n\n## Two ##\n\nMore.\n"
    assert kinds(body, "markdown") == [
        ("heading", "Title One"), ("paragraph", "Some *text* that\nwraps."), ("bullet", "item one"),
        ("bullet", "item two"), ("heading", "Two"), ("paragraph", "More."),
    ]


def test_passages_numbered_with_sections_and_unique_section_ids():
    body = f"Intro Line\n{LONG}\nIntro Line\n{LONG[:-1]} too.\n- a bullet\n"
    seg = segment(clean(source(body)))
    assert [(p.n, p.kind, p.section.id) for p in seg.passages] == [
        (1, "paragraph", "sec-intro-line"), (2, "paragraph", "sec-intro-line-2"), (3, "bullet", "sec-intro-line-2")]
    assert [p.id for p in seg.passages] == ["s-p1", "s-p2", "s-p3"]
    for p in seg.passages:
        assert seg.source.body[p.start:p.end] == p.text


def test_chrome_between_paragraphs_does_not_merge_them():
    body = f"{LONG}\nMore From Our Experts\n{LONG[:-1]} too.\n"
    assert kinds(body) == [("paragraph", LONG), ("paragraph", LONG[:-1] + " too.")]
