"""What `serve` keeps between rebuilds: the stages' results for unchanged content (`pipeline.Memo`), the theme's
compiled templates, and how often it looks at sources/. A rebuild that reuses them must equal a fresh build."""

from __future__ import annotations

import gc

import jinja2
import pytest

from build_dossier import mkdocs_hook, pipeline
from build_dossier.errors import DossierError
from build_dossier.pipeline import Memo
from support import copy_project

SOURCE = "lo-cepa-2024.md"


def edit(project, old: str, new: str) -> None:
    path = project.sources_dir / SOURCE
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_rebuild_reusing_the_memo_makes_what_a_fresh_build_makes(tmp_path):
    project = copy_project(tmp_path / "p")
    memo = Memo()
    memo.next_run()
    pipeline.gather(project, memo=memo)
    # A new paragraph with figures renumbers every later passage of the source (same texts, new ids); then a figure
    # changes inside it; then the source returns to its first text.
    first = "Impact of the Ukraine war on the Sino-Russian partnership\n"
    added = "Bilateral trade reached $321 billion in 2031, up 12 percent.\n\n"
    ids = []
    for old, new in [(first, added + first), ("$321 billion", "$456 billion"), (added.replace("321", "456"), "")]:
        edit(project, old, new)
        memo.next_run()
        reused, _ = pipeline.gather(project, memo=memo)
        assert reused == pipeline.gather(project)[0]  # every stage's result, the figures among them
        ids.append({f.text: f.passage for f in reused.figures if f.passage.startswith("lo-cepa-2024-")})
    assert "$321 billion" in ids[0] and "$456 billion" in ids[1] and not {"$321 billion", "$456 billion"} & set(ids[2])
    later = next(text for text in ids[2] if text in ids[0])  # a figure of a later passage, renumbered and back
    assert ids[0][later] != ids[2][later]


def test_templates_compiled_for_one_rebuild_serve_the_next_and_an_edited_one_is_compiled_anew(tmp_path, monkeypatch):
    template = tmp_path / "page.html"
    template.write_text("one {{ x }}", encoding="utf-8")
    cache = mkdocs_hook._CompiledTemplates()

    def environment() -> jinja2.Environment:  # MkDocs makes a new one for every build
        return jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path), bytecode_cache=cache)

    assert environment().get_template("page.html").render(x=1) == "one 1"
    again = environment()
    monkeypatch.setattr(again, "compile", lambda *a, **k: pytest.fail("compiled again"))
    assert again.get_template("page.html").render(x=2) == "one 2"
    template.write_text("two {{ x }}", encoding="utf-8")
    assert environment().get_template("page.html").render(x=3) == "two 3"


def test_sources_are_looked_at_often_when_few_and_less_often_when_many(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    for n in range(10):
        (sources / f"s{n}.md").write_text("x", encoding="utf-8")
    assert mkdocs_hook.poll_interval(sources) == mkdocs_hook.POLL_SECONDS < 0.5
    for n in range(10, 3 * mkdocs_hook.POLL_FILES):
        (sources / f"s{n}.md").touch()
    assert mkdocs_hook.poll_interval(sources) == pytest.approx(3 * mkdocs_hook.POLL_SECONDS)
    assert mkdocs_hook.poll_interval(tmp_path / "none") == mkdocs_hook.POLL_SECONDS


def test_the_analysis_stages_pause_the_garbage_collector_and_turn_it_back_on(tmp_path, monkeypatch):
    project = copy_project(tmp_path / "p")
    seen = []
    measures = pipeline.load_measures

    def load_measures():  # called in the middle of the stages
        seen.append(gc.isenabled())
        return measures()

    monkeypatch.setattr(pipeline, "load_measures", load_measures)
    pipeline.gather(project)
    assert seen == [False] and gc.isenabled()
    with pytest.raises(DossierError):  # a failed run too
        edit(project, "---\nid: lo-cepa-2024", "---\nid: [lo-cepa-2024")
        pipeline.gather(project)
    assert gc.isenabled()
