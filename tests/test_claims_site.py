"""The debates on the built site: every debate on its page, passages cross-linked both ways."""

from __future__ import annotations

import re
from urllib.parse import urljoin


def test_every_debate_is_on_its_page_and_cross_linked_both_ways(built, data):
    assert len(data["claims"]) >= 20
    topics = {t for c in data["claims"] for t in c["topics"]}
    assert topics == {"trade", "military", "diplomacy", "outlook"}
    index = (built.site_dir / "debates" / "index.html").read_text(encoding="utf-8")
    passages = {p["id"]: p for p in data["passages"]}
    pages = {}
    for claim in data["claims"]:
        assert f'href="{claim["id"]}.html"' in index
        page = (built.site_dir / claim["url"]).read_text(encoding="utf-8")
        for pos in claim["positions"]:
            assert pos["quote"] in passages[pos["passage"]]["text"]
            assert re.search(rf'href="\.\./{re.escape(passages[pos["passage"]]["url"])}"', page)
    pairs = {(link["from"], link["to"]) for link in data["links"] if link["claim"]}
    for src, dst in pairs:
        assert (dst, src) in pairs
        p = passages[src]
        if p["source"] not in pages:
            pages[p["source"]] = (built.site_dir / f"sources/{p['source']}.html").read_text(encoding="utf-8")
        html = pages[p["source"]]
        # the link stands in the block of passage `src`: between its heading and the next passage's
        block = html.split(f'id="p{p["n"]}"', 1)[1].split('class="passage-head"', 1)[0]
        targets = {urljoin(f"sources/{p['source']}.html", h) for h in re.findall(r'href="([^"]+)"', block)}
        assert passages[dst]["url"] in targets, (src, dst)


def test_check_warns_about_a_differs_in_figures_relation_the_figures_do_not_back(tmp_path):
    """An editor marks 4,184 km against 2,615 miles (0.6% apart) a disagreement: `check` says why it is not one."""
    from click.testing import CliRunner

    from build_dossier.cli import main
    from support import copy_project

    project = copy_project(tmp_path / "p")
    ledger = project.sources_dir / "claims.yaml"
    text = ledger.read_text(encoding="utf-8")
    edited = text.replace("          gabuev-foreign-affairs-2024: agrees\n          lo-cepa-2024: differs-in-figures",
                          "          gabuev-foreign-affairs-2024: differs-in-figures\n          lo-cepa-2024: differs-in-figures")
    assert edited != text
    ledger.write_text(edited, encoding="utf-8")
    lines = edited.splitlines()
    cfr = next(i for i, text in enumerate(lines) if "2,600-mile (4184 kilometers) shared border" in text)
    line = lines.index("          gabuev-foreign-affairs-2024: differs-in-figures", cfr) + 1  # CFR's relation
    runner = CliRunner()
    lenient = runner.invoke(main, ["check", "--project", str(project.root)])
    assert lenient.exit_code == 0, lenient.output
    message = (f"warning: sources/claims.yaml:{line} [debates[22].positions[2].relations.gabuev-foreign-affairs-2024]: "
               "debate 'border-length': cfr-backgrounder-2025 and gabuev-foreign-affairs-2024 are marked "
               "differs-in-figures, but the Figures engine does not back it (“2,600-mile (4184 kilometers)” and "
               "“2,615-mile”): they are 0.6% apart, within the 2% tolerance of border-length.")
    assert message in lenient.stderr
    strict = runner.invoke(main, ["check", "--strict", "--project", str(project.root)])
    assert strict.exit_code == 1 and message in strict.output and "Traceback" not in strict.output
