"""Which addresses are public: a citation, an export or a page never carries a local one."""

from __future__ import annotations

import pytest

from build_dossier.ingest.config import site_address_note
from build_dossier.ingest.hosts import is_public, local_reason


@pytest.mark.parametrize("url, reason", [
    ("http://127.0.0.1:8000/", "a loopback address (this computer)"),
    ("http://127.8.9.10/x", "a loopback address (this computer)"),
    ("http://127.1/", "a loopback address (this computer)"),            # short forms browsers read
    ("http://0x7f.1/", "a loopback address (this computer)"),
    ("http://2130706433/", "a loopback address (this computer)"),
    ("http://[::1]:8000/", "a loopback address (this computer)"),
    ("http://[::ffff:127.0.0.1]/", "a loopback address (this computer)"),
    ("http://LOCALHOST:8000/", "a local host name"),
    ("http://dossier.localhost/", "a local host name"),
    ("http://printer.local/", "a local host name"),
    ("http://wiki.home.arpa/", "a local host name"),
    ("http://intranet/", "a host name without a domain (a local network name)"),
    ("http://0.0.0.0:8000/", "the unspecified address (this computer)"),
    ("http://[::]/", "the unspecified address (this computer)"),
    ("http://10.0.0.7/", "a private-network address"),
    ("http://172.16.4.1/", "a private-network address"),
    ("http://192.168.1.20/dossier/", "a private-network address"),
    ("http://[fd12::1]/", "a private-network address"),
    ("http://169.254.0.9/", "a link-local address"),
    ("http://[fe80::1]/", "a link-local address"),
    ("file:///home/me/site/index.html", "a file on this computer"),
    ("https://owner.github.io/repo/", None),
    ("https://www.cfr.org/backgrounder/x", None),
    ("https://dossier.example/", None),
    ("https://8.8.8.8/", None),
    ("https://[2001:4860:4860::8888]/", None),
])
def test_local_addresses(url, reason):
    assert local_reason(url) == reason
    assert is_public(url) is (reason is None)


def test_build_says_how_to_set_the_address():
    assert site_address_note("https://owner.github.io/repo/") is None
    assert site_address_note(None) == (
        "note: no site address is set: citations name the original articles only, links within the site are relative, "
        "and the exports give no dossier address. To publish, set DOSSIER_SITE_URL=https://OWNER.github.io/REPO/ (or "
        "site_url in mkdocs.yml) to the site's public address and build again.")
    assert site_address_note("http://127.0.0.1:8000/").startswith(
        "note: site_url http://127.0.0.1:8000/ is a loopback address (this computer), so it is not used: citations name")


def test_a_source_with_a_local_url_is_warned_about_and_never_cited(tmp_path):
    from build_dossier.ingest.load import load_sources
    from build_dossier.render import cite
    from support import GOOD

    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "a.md").write_text(GOOD.format(id="a").replace("https://example.org/a",
                                                                           "http://localhost:8080/a"), encoding="utf-8")
    (source,), problems = load_sources(tmp_path / "sources", tmp_path)
    assert [str(p) for p in problems] == [
        "warning: sources/a.md [url]: 'http://localhost:8080/a' is a local host name: citations, exports and pages "
        "leave it out. Fix: write the original article's public address, or null with a url_note."]
    assert source.url == "http://localhost:8080/a"  # kept as written
    assert cite.plain(cite.chicago_note(source, 1)) == "Jane Doe, “A title,” Example Press, January 2, 2024, para. 1."
