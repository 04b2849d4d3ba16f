"""The sources in MkDocs' navigation: the groups the sources index states (`render/navgroups.py`), under it.

Run by the MkDocs hook (`on_nav`), so that `build-dossier build`, `serve` and a plain `mkdocs build` of
the generated docs/ all show them. Each source page is listed under its short label: Material prints a
page's `typeset.title` in the navigation in place of its title (what its typeset plugin sets), so the
page itself keeps its full title. Labels and group titles come escaped from the build.
"""

from __future__ import annotations

from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

from ..render.addresses import SOURCES_INDEX


def _section(group: dict, files) -> Section | None:
    """A navigation section of a group: its sources' pages, or its groups' sections."""
    if "groups" in group:
        children = [s for s in (_section(g, files) for g in group["groups"]) if s is not None]
    else:
        children = []
        for label, path in group["pages"]:
            file = files.get_file_from_path(path)
            if file is not None and file.page is not None:
                file.page.typeset = {"title": label}
                children.append(file.page)
    if not children:
        return None
    section = Section(group["title"], children)
    for child in children:
        child.parent = section
    return section


def add_sources(nav: Navigation, files) -> Navigation:
    """The navigation with the sources' groups after the sources index, in its section; as it was without one."""
    index = files.get_file_from_path(SOURCES_INDEX.path)
    if index is None or index.page is None:
        return nav
    groups = get_data(index.content_string)[1].get("source_nav") or []
    home = index.page.parent
    if home is None:  # not in a section of its own: nothing to add the groups to
        return nav
    sections = [s for s in (_section(g, files) for g in groups) if s is not None]
    for section in sections:
        section.parent = home
    home.children = [child for child in home.children if child is index.page] + sections + [
        child for child in home.children if child is not index.page]
    pages = _pages(nav.items)
    for before, page, after in zip([None, *pages[:-1]], pages, [*pages[1:], None]):
        page.previous_page, page.next_page = before, after
    return Navigation(nav.items, pages)


def _pages(items) -> list[Page]:
    """Every page of the navigation, in order."""
    out = []
    for item in items:
        if isinstance(item, Page):
            out.append(item)
        if item.children:
            out += _pages(item.children)
    return out
