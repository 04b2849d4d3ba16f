"""No local address anywhere: without a public site address, every file of site/ and docs/ is free of loopback,
private, link-local and file addresses; with a local one, the build does not use it and says so once; with a public
one, citations and exports add the dossier copy."""

from __future__ import annotations

import gzip
import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from pybtex.database import parse_string

from build_dossier.pipeline import gather
from build_dossier.render.registry import render_docs
from support import ROOT, Page, copy_project

HOST = r"""(?:localhost|[a-z0-9.-]+\.(?:localhost|local|internal|home\.arpa)|127(?:\.\d{1,3}){1,3}|0\.0\.0\.0|0x7f[0-9a-f.x]*
          |10(?:\.\d{1,3}){3}|192\.168(?:\.\d{1,3}){2}|172\.(?:1[6-9]|2\d|3[01])(?:\.\d{1,3}){2}|169\.254(?:\.\d{1,3}){2}
          |\[(?:::1|::|fe80:[0-9a-f:]*|f[cd][0-9a-f]{2}:[0-9a-f:]*|::ffff:127[0-9.]*)\])"""
LOCAL = re.compile(rf"""(?ix)
    (?:\b[a-z][a-z0-9+.-]*:)?//(?:[^\s/@"'<>`]*@)?{HOST}(?![a-z0-9-])   # scheme://host, //host (protocol-relative)
  | \b{HOST}:\d{{2,5}}\b                                              # host:port, without a scheme
  | \bfile:/{{2,3}}[^\s"'<>`)]                                        # a file: URL with a path
""")
"""A local address as it can stand in a file: loopback (127.0.0.0/8, localhost, ::1), unspecified (0.0.0.0), private
(10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16, fe80::/10, .local) hosts, and file: URLs. Bare host
names without a scheme or port are words, not addresses (Material's bundled source map mentions `localhost`)."""


def readable(path: Path) -> str:
    """A file's text as a reader or a program would meet it: gunzipped, with HTML character references decoded (the
    pages write `:` and `.` of source text as `&#58;`, `&#46;`) and JSON escapes read."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    text = data.decode("utf-8", errors="replace")
    out = text + "\n" + html.unescape(text)
    if path.suffix == ".json":
        out += "\n" + json.dumps(json.loads(text), ensure_ascii=False).replace("\\/", "/")
    return out


def local_addresses(*roots: Path) -> list[tuple[str, str]]:
    """(file, address) of every local address in every file under `roots`."""
    found = []
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            for m in LOCAL.finditer(readable(path)):
                found.append((path.relative_to(root.parent).as_posix(), m.group(0)))
    return found


def test_the_scan_finds_each_kind_of_local_address(tmp_path):
    """The check can fail: each form is found, in plain text, as character references and in gzip."""
    samples = ["http://127.0.0.1:8000/sources/a.html#p2", "https://localhost/x", "//127.1/x", "http://[::1]:8000/",
               "http://0.0.0.0:8000/", "http://192.168.1.20/d/", "http://10.0.0.7/", "http://169.254.3.4/",
               "http://[fe80::1]/", "http://printer.local/", "file:///home/me/site/index.html", "127.0.0.1:8000/sources/",
               "http&#58;//127&#46;0&#46;0&#46;1&#58;8000/sources/x&#46;html"]
    for i, sample in enumerate(samples):
        (tmp_path / "site").mkdir(exist_ok=True)
        (tmp_path / "site" / f"{i}.html").write_text(f"<p>Cite: {sample}</p>", encoding="utf-8")
    (tmp_path / "site" / "sitemap.xml.gz").write_bytes(gzip.compress(b"<loc>http://localhost:8000/</loc>"))
    (tmp_path / "site" / "fine.html").write_text("https://example.org/ localhost `file://` protocol === \"file:\" "
                                                 "https://www.cfr.org/a 8.8.8.8:53 https://local.example/",
                                                 encoding="utf-8")
    found = local_addresses(tmp_path / "site")
    assert sorted({f for f, _ in found}) == sorted([f"site/{i}.html" for i in range(len(samples))] + ["site/sitemap.xml.gz"])


def test_a_default_build_carries_no_local_address(built):
    """The default mkdocs.yml sets no site address: no citation, export, dossier.json, page, sitemap or search index of
    site/ or docs/ holds a local one (`mkdocs serve` uses its own address at serve time, outside the build)."""
    assert built.site_url is None
    assert local_addresses(built.site_dir, built.docs_dir) == []
    # Links within the site are relative; citations name the originals only.
    index = Page((built.site_dir / "index.html").read_text(encoding="utf-8"))
    assert not any(h.startswith(("http://", "https://")) for h in index.hrefs if "sources/" in h)
    assert "Dossier copy" not in (built.site_dir / "references.ris").read_text(encoding="utf-8")


def test_a_local_site_address_is_not_used_and_build_says_once_how_to_set_one(tmp_path):
    project = copy_project(tmp_path)
    run = subprocess.run([sys.executable, "-m", "build_dossier", "build", "-p", str(project.root)], capture_output=True,
                         text=True, timeout=300, cwd=ROOT,
                         env=dict(os.environ, NO_MKDOCS_2_WARNING="1", DOSSIER_SITE_URL="http://192.168.1.20/dossier/"))
    assert run.returncode == 0, run.stderr
    notes = [line for line in run.stderr.splitlines() if line.startswith("note:")]
    assert notes == [
        "note: site_url http://192.168.1.20/dossier/ is a private-network address, so it is not used: citations name the "
        "original articles only, links within the site are relative, and the exports give no dossier address. To "
        "publish, set DOSSIER_SITE_URL=https://OWNER.github.io/REPO/ (or site_url in mkdocs.yml) to the site's public "
        "address and build again."]
    assert local_addresses(project.site_dir, project.docs_dir) == []
    assert "192.168" not in (project.site_dir / "sources" / "lo-cepa-2024.html").read_text(encoding="utf-8")


def test_a_public_site_address_adds_the_dossier_copy(tmp_path):
    """With a public address, each citation gets its optional second part, the dossier copy, and the exports a note."""
    project = copy_project(tmp_path)
    dossier, _ = gather(project)
    files = render_docs(dossier, "https://dossier.example/")
    source = files["sources/cfr-backgrounder-2025.md"]
    box = source[source.index("{: #p21 "):]
    box = box[box.index('<div class="cite-box"'):]
    box = box[:box.index("</details></div>")]
    rows = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", box)
    assert html.unescape(rows[-1][0]) == "Dossier copy"
    assert "".join(Page(rows[-1][1]).text) == "Dossier copy: https://dossier.example/sources/cfr-backgrounder-2025.html#p21."
    assert "".join(Page(rows[0][1]).text).endswith(
        "para. 21, https://www.cfr.org/backgrounder/china-russia-relationship-xi-putin-taiwan-ukraine.")  # still the original
    debate = files["debates/allies.md"]
    assert "Dossier copy: https://dossier.example/debates/allies.html." in "".join(Page(debate).text)
    bib = parse_string(files["references.bib"], "bibtex").entries["gabuev-foreign-affairs-2024"]
    assert bib.fields["note"] == "Dossier copy: https://dossier.example/sources/gabuev-foreign-affairs-2024.html"
