"""The page kinds are registered once; what git ignores and what MkDocs leaves out of the navigation follow from them."""

from __future__ import annotations

from pathlib import Path

from mkdocs.utils.yaml import yaml_load

from build_dossier.model import Dossier
from build_dossier.render import registry
from build_dossier.render.addresses import Location
from build_dossier.render.kind import PageKind

ROOT = Path(__file__).resolve().parents[2]


def test_gitignore_lists_exactly_the_generated_part_of_docs():
    lines = {line.strip() for line in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()}
    listed = {line for line in lines if line.startswith("docs/")}
    expected = registry.gitignore_lines()
    assert listed == set(expected), "the lines of .gitignore under docs/ should be:\n" + "\n".join(expected)


def test_mkdocs_leaves_out_of_the_navigation_what_the_registry_says():
    with open(ROOT / "mkdocs.yml", "rb") as f:
        config = yaml_load(f)  # MkDocs' own reading (`!ENV`)
    assert config["not_in_nav"].split() == registry.not_in_nav(), "mkdocs.yml's not_in_nav should be:\n" + "\n".join(
        registry.not_in_nav())


def test_derived_paths():
    assert registry.GENERATED_DIRS == ("sources", "topics", "debates", "reports", "figures", "charts", "timeline", "cite")
    assert set(registry.GENERATED_FILES) == {"index.md", "figures.md", "timeline.md", "dossier.json", "cite.md", "references.bib",
                                             "references.ris", "references.json"}
    assert registry.is_generated("sources/x.md") and registry.is_generated("cite.md")
    assert not registry.is_generated("about/sources.md") and not registry.is_generated("tags.md")


def test_a_kind_may_write_only_where_it_declares(monkeypatch):
    stray = PageKind("stray pages", (Location("topics/"),), lambda ctx: [("sources/x.md", "")])
    monkeypatch.setattr(registry, "KINDS", (stray,))
    try:
        registry.render_docs(Dossier(()))
    except ValueError as exc:
        assert "the stray pages render 'sources/x.md', outside the locations they declare" in str(exc)
    else:
        raise AssertionError("a page outside its kind's locations was accepted")
