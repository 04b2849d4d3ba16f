"""Reference-manager exports, read back with real parsers: pybtex (BibTeX), citeproc-py (CSL-JSON), rispy (RIS)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import citeproc
import pytest
import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from pybtex.database import parse_string

from build_dossier.pipeline import gather
from build_dossier.render.pages.references import exports
from support import copy_project

IDS = ["cfr-backgrounder-2025", "gabuev-foreign-affairs-2024", "lo-cepa-2024"]
CFR_URL = "https://www.cfr.org/backgrounder/china-russia-relationship-xi-putin-taiwan-ukraine"
GABUEV_TITLE = "Putin and Xi's Unholy Alliance: Why the West Won't Be Able to Drive a Wedge Between Russia and China"
STYLE = Path(citeproc.__file__).parent / "data" / "styles" / "harvard-cite-them-right.csl"
"""A CSL style that ships with citeproc-py."""


def read(built, name: str) -> str:
    text = (built.site_dir / name).read_text(encoding="utf-8")
    assert text == (built.docs_dir / name).read_text(encoding="utf-8")  # generated into docs/, copied by MkDocs
    return text


def parse_ris(text: str) -> list[dict[str, list[str]]]:
    """A small RIS reader: `TG  - value` lines, records from `TY` to `ER`."""
    records, current = [], None
    for line in text.splitlines():
        if not line.strip():
            continue
        m = re.fullmatch(r"([A-Z][A-Z0-9])  - (.*)", line)
        assert m, f"not a RIS line: {line!r}"
        tag, value = m.groups()
        if tag == "TY":
            assert current is None, "TY inside a record"
            current = {"TY": [value]}
        elif tag == "ER":
            assert current is not None and value == ""
            records.append(current)
            current = None
        else:
            assert current is not None, f"{tag} outside a record"
            current.setdefault(tag, []).append(value)
    assert current is None, "record without ER"
    return records


def test_bibtex_parses_with_the_right_fields(built):
    db = parse_string(read(built, "references.bib"), "bibtex")
    assert list(db.entries) == IDS
    g = db.entries["gabuev-foreign-affairs-2024"]
    assert g.type == "misc"
    assert [(p.first_names, p.last_names) for p in g.persons["author"]] == [(["Alexander"], ["Gabuev"])]
    assert g.fields["title"] == GABUEV_TITLE
    assert (g.fields["publisher"], g.fields["year"], g.fields["month"], g.fields["date"]) == (
        "Foreign Affairs", "2024", "April", "2024-04-09")
    # Not known: left out. No public site address: no dossier address either (never a local one).
    assert not {"url", "urldate", "note"} & set(g.fields)
    c = db.entries["cfr-backgrounder-2025"]
    # An organisation is one name, not first name "Council on Foreign", last name "Relations".
    assert [str(p) for p in c.persons["author"]] == ["{Council on Foreign Relations}"]
    assert c.fields["url"] == CFR_URL
    assert not {"year", "month", "date", "urldate"} & set(c.fields)
    lo = db.entries["lo-cepa-2024"]
    assert "title" not in lo.fields and "year" not in lo.fields
    assert lo.fields["publisher"] == "Center for European Policy Analysis (CEPA)"


def test_ris_records(built):
    records = parse_ris(read(built, "references.ris"))
    assert [r["ID"] for r in records] == [[i] for i in IDS]
    by_id = {r["ID"][0]: r for r in records}
    g = by_id["gabuev-foreign-affairs-2024"]
    assert g["TY"] == ["ELEC"] and g["AU"] == ["Gabuev, Alexander"] and g["TI"] == [GABUEV_TITLE]
    assert g["PY"] == ["2024"] and g["DA"] == ["2024/04/09"] and g["PB"] == ["Foreign Affairs"]
    assert "UR" not in g and "Y2" not in g
    c = by_id["cfr-backgrounder-2025"]
    assert c["AU"] == ["Council on Foreign Relations"] and c["UR"] == [CFR_URL] and "PY" not in c and "DA" not in c
    assert "TI" not in by_id["lo-cepa-2024"] and not any("N1" in r for r in records)


def test_csl_json_renders_with_citeproc(built):
    items = json.loads(read(built, "references.json"))
    assert [i["id"] for i in items] == IDS
    assert "issued" not in items[0] and "title" not in items[2] and "URL" not in items[1]
    style = CitationStylesStyle(str(STYLE), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    citations = [Citation([CitationItem(i)]) for i in IDS]
    for c in citations:
        bibliography.register(c)
    cited = [str(bibliography.cite(c, lambda item: pytest.fail(f"unknown reference {item.key}"))) for c in citations]
    assert cited == ["(Council on Foreign Relations, no date)", "(Gabuev, 2024)", "(Lo, no date)"]
    text = "\n".join(str(entry) for entry in bibliography.bibliography())
    assert "Gabuev, A. (2024) Putin and Xi's Unholy Alliance" in text
    assert "Council on Foreign Relations (no date) China and Russia: Exploring Ties Between Two Authoritarian Powers" in text
    assert CFR_URL in text
    assert "Lo, B. (no date)" in text and "Center for European Policy Analysis (CEPA)" in text


def test_exports_are_escaped_and_cannot_be_broken_by_a_title(tmp_path):
    project = copy_project(tmp_path)
    path = project.sources_dir / "lo-cepa-2024.md"
    raw = path.read_text(encoding="utf-8")
    hostile = 'Trade & Arms: 50% } , author = {Evil} #1 a_b ~ ^ \\\\ $'
    path.write_text(raw.replace("title: null", "title: " + json.dumps(hostile), 1), encoding="utf-8")
    dossier, _ = gather(project)
    files = exports(dossier, "https://ex.org/d/")
    db = parse_string(files["references.bib"], "bibtex")
    lo = db.entries["lo-cepa-2024"]
    assert [str(p) for p in lo.persons["author"]] == ["Lo, Bobo"]  # no injected author
    assert lo.fields["title"].startswith(r"Trade \& Arms: 50\% \textbraceright{} , author = \textbraceleft{}Evil\textbraceright{} \#1 a\_b")
    assert lo.fields["note"] == "Dossier copy: https://ex.org/d/sources/lo-cepa-2024.html"
    ris = {r["ID"][0]: r for r in parse_ris(files["references.ris"])}
    assert ris["lo-cepa-2024"]["TI"] == [hostile]
    assert json.loads(files["references.json"])[2]["title"] == hostile


def test_exports_follow_the_configured_site_url(tmp_path, monkeypatch):
    """Only a public site address reaches the exports, as the second part `Dossier copy: …` of each entry's note."""
    project = copy_project(tmp_path)
    assert project.site_url is None and project.public_site_url is None  # the default: no address
    monkeypatch.setenv("DOSSIER_SITE_URL", "https://example.org/dossier")
    assert project.public_site_url == "https://example.org/dossier/"
    dossier, _ = gather(project)
    files = exports(dossier, project.public_site_url)
    assert parse_string(files["references.bib"], "bibtex").entries["lo-cepa-2024"].fields["note"] == (
        "Dossier copy: https://example.org/dossier/sources/lo-cepa-2024.html")
    assert [e.get("notes") for e in rispy.loads(files["references.ris"])] == [
        [f"Dossier copy: https://example.org/dossier/sources/{i}.html"] for i in IDS]
    for local in ("http://127.0.0.1:8000/", "http://localhost/d/", "http://192.168.1.20/", "http://[::1]:8000/"):
        monkeypatch.setenv("DOSSIER_SITE_URL", local)
        assert project.site_url == local and project.public_site_url is None


def test_zotero_style_fields_round_trip(tmp_path):
    """What a reference manager reads back: the original's URL, the access date and the title (RIS read by rispy, with
    Zotero's tags `UR`, `Y2`, `TI`; CSL-JSON read by citeproc-py, with `URL`, `accessed`, `title`)."""
    project = copy_project(tmp_path)
    path = project.sources_dir / "cfr-backgrounder-2025.md"
    raw = path.read_text(encoding="utf-8")
    path.write_text(raw.replace('accessed: null\naccessed_note: "The capture date was not recorded."\n',
                                "accessed: 2025-10-02\n"), encoding="utf-8")
    dossier, _ = gather(project)
    files = exports(dossier, None)
    ris = {e["id"]: e for e in rispy.loads(files["references.ris"])}
    cfr = ris["cfr-backgrounder-2025"]
    assert (cfr["type_of_reference"], cfr["urls"], cfr["access_date"], cfr["title"]) == (
        "ELEC", [CFR_URL], "2025/10/02", "China and Russia: Exploring Ties Between Two Authoritarian Powers")
    assert cfr["authors"] == ["Council on Foreign Relations"] and "notes" not in cfr
    assert "urls" not in ris["gabuev-foreign-affairs-2024"] and ris["gabuev-foreign-affairs-2024"]["title"] == GABUEV_TITLE
    assert "title" not in ris["lo-cepa-2024"] and "urls" not in ris["lo-cepa-2024"]  # unknown: left out
    csl = CiteProcJSON(json.loads(files["references.json"]))
    item = csl["cfr-backgrounder-2025"]
    assert (str(item["URL"]), str(item["title"])) == (CFR_URL, "China and Russia: Exploring Ties Between Two Authoritarian Powers")
    assert (item["accessed"]["year"], item["accessed"]["month"], item["accessed"]["day"]) == (2025, 10, 2)
    assert "URL" not in csl["lo-cepa-2024"] and "title" not in csl["lo-cepa-2024"]
    bib = parse_string(files["references.bib"], "bibtex").entries["cfr-backgrounder-2025"]
    assert (bib.fields["url"], bib.fields["urldate"]) == (CFR_URL, "2025-10-02")
