"""The pages of reading in context stay bounded however many sources: navigation groups, index pages, previews."""

from __future__ import annotations

import dataclasses

import pytest

from build_dossier.render.navgroups import GROUP_MAX, source_nav
from build_dossier.render.templates import ours
from build_dossier.text import esc
from support import source

PUBLISHERS = [f"Publisher {chr(65 + i % 26)}{i}" for i in range(120)]


def many(n: int, publishers: list[str]):
    """`n` sources spread over `publishers`, some undated."""
    base = source("Body.\n")
    return [dataclasses.replace(base, id=f"s-{i:04d}", publisher=publishers[i % len(publishers)],
                                date=None if i % 7 == 0 else f"20{10 + i % 15}-01-0{1 + i % 9}") for i in range(n)]


def pages_of(groups: list[dict]) -> list[list[str]]:
    return [p for g in groups for p in (pages_of(g["groups"]) if "groups" in g else g["pages"])]


def levels(groups: list[dict]) -> list[list[dict]]:
    """Every list of entries a page's navigation can show open: the top level, each range's, each group's pages."""
    return [groups] + [level for g in groups for level in (levels(g["groups"]) if "groups" in g else [g["pages"]])]


MANY_PUBLISHERS = [f"Press {i:03d}" for i in range(520)]


@pytest.mark.parametrize("n, publishers", [(3, PUBLISHERS[:3]), (3000, PUBLISHERS[:8]), (3000, PUBLISHERS),
                                           (3000, PUBLISHERS[:1]), (3120, MANY_PUBLISHERS)])
def test_navigation_groups_list_every_source_once_and_stay_bounded(n, publishers):
    sources = many(n, publishers)
    groups = source_nav(sources, {s.id: s.label for s in sources})
    assert sorted(path for _, path in pages_of(groups)) == sorted(f"sources/{s.id}.md" for s in sources)
    assert all(len(level) <= GROUP_MAX for level in levels(groups))
    for level in levels(groups):  # no two entries side by side under one title
        titles = [g["title"] for g in level if isinstance(g, dict)]
        assert len(titles) == len(set(titles))
    if n == 3:
        assert [g["title"] for g in groups] == sorted(publishers)  # few publishers: one group each, by name


def test_a_publishers_sources_are_newest_first_undated_last():
    sources = many(20, PUBLISHERS[:1])
    groups = source_nav(sources, {s.id: s.id for s in sources})
    dates = {f"sources/{s.id}.md": s.date for s in sources}
    shown = [dates[path] for _, path in groups[0]["pages"]]
    dated = [d for d in shown if d]
    assert dated == sorted(dated, reverse=True) and shown[len(dated):] == [None] * (len(shown) - len(dated))


def test_group_titles_and_labels_are_escaped_for_the_templates():
    hostile = dataclasses.replace(source("Body.\n"), id="x", publisher="<b>Evil & Co</b>")
    groups = source_nav([hostile], {"x": "<i>X</i>"})
    assert groups == [{"title": esc("<b>Evil & Co</b>"), "pages": [[esc("<i>X</i>"), "sources/x.md"]]}]


@pytest.mark.parametrize("value", ['x.html" onclick="alert(1)', "a<b", "{: .evil }", "[x](y)", "a*b", "q'"])
def test_only_addresses_of_the_builds_making_are_printed_as_they_are(value):
    with pytest.raises(ValueError):
        ours(value)
    assert ours("index.html?author=lo-cepa-2024&relation=disputes#debate-list") == \
        "index.html?author=lo-cepa-2024&relation=disputes#debate-list"
