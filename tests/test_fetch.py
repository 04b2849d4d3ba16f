"""`build-dossier add URL` against a local HTTP server started here (never the internet), and the
publisher a page states without og:site_name: its title's site part, its copyright line."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from build_dossier.authoring.fetch import Limits, fetch
from build_dossier.authoring.importer import Given, add
from build_dossier.cli import main
from build_dossier.errors import DossierError
from build_dossier.ingest.load import read_source
from support import DATA, copy_project

IMPORT = DATA / "import"
KESTREL = IMPORT / "kestrel-title-site-part.html"
HARBOUR = IMPORT / "harbour-copyright-only.html"
TODAY = "2025-03-01"
FAST = Limits(timeout=0.5, total=5.0, max_bytes=200_000, max_redirects=3)


class Site(BaseHTTPRequestHandler):
    """The routes of the local test site, one per behaviour."""

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        page = KESTREL.read_bytes()
        routes = {
            "/article": lambda: self._send(200, "text/html; charset=utf-8", page),
            "/moved": lambda: self._redirect("/article"),
            "/hop1": lambda: self._redirect("/moved"),
            "/loop": lambda: self._redirect("/loop"),
            "/missing": lambda: self._send(404, "text/html", b"<h1>Not found</h1>"),
            "/report.pdf": lambda: self._send(200, "application/pdf", b"%PDF-1.7 not a page"),
            "/huge": lambda: self._send(200, "text/html", page + b" " * 300_000),
            "/huge-unsized": lambda: self._send(200, "text/html", page + b" " * 300_000, sized=False),
            "/slow": lambda: (time.sleep(2), self._send(200, "text/html", page)),
            "/latin": lambda: self._send(200, "text/html; charset=windows-1252",
                                         page.decode("utf-8").replace("<meta charset=\"utf-8\">", "")
                                         .replace("–", "-").replace("’", "'").replace("Boom", "Boom café")
                                         .encode("cp1252")),
        }
        routes.get(self.path, lambda: self._send(404, "text/plain", b"no such route"))()

    def _send(self, status: int, content_type: str, body: bytes, sized: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if sized:
            self.send_header("Content-Length", str(len(body)))
        else:
            self.send_header("Connection", "close")
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client stopped reading at its size limit
            pass

    def _redirect(self, to: str) -> None:
        self.send_response(302)
        self.send_header("Location", to)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):  # keep the test output quiet
        pass


@pytest.fixture(scope="module")
def site():
    """Base address of a local HTTP server serving the routes of `Site`."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_url_is_fetched_and_imported_like_a_saved_page(site, tmp_path):
    result = add(tmp_path / "sources", f"{site}/hop1", Given(), TODAY, FAST)
    source, problems = read_source(result.path, tmp_path)
    assert source is not None and not problems
    assert source.url == f"{site}/article"  # the final address, after two redirects
    assert source.accessed == TODAY
    assert (source.title, source.authors, source.publisher, source.date) == (
        "Rail, Not Pipelines: The Quiet Boom on the China–Russia Border", ("Tomasz Wierzbicki",),
        "The Kestrel Review", "2024-09-03")
    saved = add(tmp_path / "saved", KESTREL, Given(), TODAY)
    assert source.body == read_source(saved.path, tmp_path)[0].body  # the same extraction as the saved page
    origins = {key: origin for key, _, origin in result.values}
    assert origins["url"] == "the URL fetch: the final address, after 2 redirects"
    assert origins["accessed"] == "the URL fetch: today"
    assert origins["publisher"] == "the site part of the page's title"


def test_the_server_charset_decodes_the_page(site, tmp_path):
    result = add(tmp_path / "sources", f"{site}/latin", Given(), TODAY, FAST)
    assert read_source(result.path, tmp_path)[0].title == "Rail, Not Pipelines: The Quiet Boom café on the China-Russia Border"


@pytest.mark.parametrize("route, message", [
    ("/missing", "the server answered 404 Not Found for {site}/missing."),
    ("/report.pdf", "the address gives a application/pdf file, not a web page (text/html)."),
    ("/huge", "the page is larger than 195 KiB."),
    ("/huge-unsized", "the page is larger than 195 KiB."),
    ("/loop", "the address redirected more than 3 times (a redirect loop?)."),
    ("/slow", "127.0.0.1 did not answer within 0.5 seconds."),
])
def test_every_fetch_failure_is_a_clear_problem(site, tmp_path, route, message):
    with pytest.raises(DossierError) as err:
        add(tmp_path / "sources", site + route, Given(), TODAY, FAST)
    assert f"error: {site}{route}: " + message.format(site=site) in str(err.value)
    assert not (tmp_path / "sources").exists()


def test_a_refused_connection_and_an_unknown_host_are_clear_problems(tmp_path):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(DossierError) as err:
        fetch(f"http://127.0.0.1:{port}/a", FAST)
    assert "could not connect to 127.0.0.1: the connection was refused or the host is unreachable." in str(err.value)
    with pytest.raises(DossierError) as err:  # .invalid never resolves (RFC 6761)
        fetch("http://no-such-host.invalid/a", FAST)
    assert "the host 'no-such-host.invalid' was not found (DNS lookup failed)." in str(err.value)


def test_an_address_already_imported_is_refused(site, tmp_path):
    add(tmp_path / "sources", f"{site}/article", Given(), TODAY, FAST)
    with pytest.raises(DossierError) as err:
        add(tmp_path / "sources", f"{site}/moved", Given(id="again"), TODAY, FAST)
    assert "this article is already in the dossier" in str(err.value)


def test_add_url_command(site, tmp_path):
    project = copy_project(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["add", "--project", str(project.root), f"{site}/moved"])
    assert result.exit_code == 0, result.output
    assert f"  url:       {site}/article  (the URL fetch: the final address, after 1 redirect)" in result.output
    assert "  publisher: The Kestrel Review  (the site part of the page's title)" in result.output
    result = runner.invoke(main, ["add", "--project", str(project.root), f"{site}/missing"])
    assert result.exit_code == 1 and "404 Not Found" in result.output and "Traceback" not in result.output
    result = runner.invoke(main, ["add", "--project", str(project.root), "no-such-file.html"])
    assert result.exit_code == 2 and "is neither a file nor an http(s):// address" in result.output


def test_publisher_from_the_title_site_part_or_the_copyright_line(tmp_path):
    result = add(tmp_path / "a", KESTREL, Given(), TODAY)
    assert read_source(result.path, tmp_path)[0].publisher == "The Kestrel Review"
    result = add(tmp_path / "b", HARBOUR, Given(), TODAY)
    assert read_source(result.path, tmp_path)[0].publisher == "Harbour Institute for Asian Affairs"
    assert dict((k, o) for k, _, o in result.values)["publisher"] == "the page's copyright line"
    given = add(tmp_path / "c", HARBOUR, Given(publisher="HIAA"), TODAY)
    assert dict((k, o) for k, _, o in given.values)["publisher"] == "--publisher"


def test_a_title_whose_rest_is_not_the_headline_names_no_site(tmp_path):
    """`Sanctions | Trade | Russia` is a list of sections, not `Headline | Site`: never a guessed publisher."""
    page = tmp_path / "page.html"
    page.write_text(KESTREL.read_text(encoding="utf-8").replace(
        "<title>Rail, Not Pipelines: The Quiet Boom on the China–Russia Border | The Kestrel Review</title>",
        "<title>Sanctions | Trade | Russia</title>"), encoding="utf-8")
    with pytest.raises(DossierError) as err:
        add(tmp_path / "sources", page, Given(), TODAY)
    assert ("[publisher]: publisher is unknown: the page names only its web address (kestrelreview.example). "
            "Fix: pass --publisher NAME.") in str(err.value)


def test_a_page_naming_no_site_asks_for_the_publisher(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(HARBOUR.read_text(encoding="utf-8").replace(
        "© 2023 Harbour Institute for Asian Affairs. All rights reserved. |", ""), encoding="utf-8")
    with pytest.raises(DossierError) as err:
        add(tmp_path / "sources", page, Given(), TODAY)
    assert ("[publisher]: publisher is unknown: the page names no site (no og:site_name, no site part in its title, "
            "no copyright line). Fix: pass --publisher NAME.") in str(err.value)


@pytest.mark.parametrize("line, holder", [
    ("© 2024 Example Review. All rights reserved.", "Example Review"),
    ("Copyright © 2019–2024 Steppe Media · Privacy", "Steppe Media"),
    ("(c) 2021, The Baltic Ledger Media AS", "The Baltic Ledger Media AS"),
    ("Copyright 2020 by Northbridge Forum | Terms", "Northbridge Forum"),
    ("© All rights reserved.", None),
    ("Under Article 5(c) of the treaty, Russia may object.", None),
    ("© 2024 by the author, some rights reserved", None),
    ("© 2024 This text may be reproduced with attribution to the author and a link to the original page", None),
])
def test_copyright_lines(line, holder):
    from lxml import html as lxml_html

    from build_dossier.authoring.sitename import copyright_holder
    root = lxml_html.document_fromstring(f"<html><body><p>Text.</p><footer><p>{line}</p></footer></body></html>")
    assert copyright_holder(root) == holder

