"""`build-dossier add URL`: fetch one web page over HTTP(S) with urllib3, within limits.

Only an HTML page is taken (by its Content-Type), redirects are followed up to a limit, the body is
read in chunks up to a size limit and a total time limit, and every failure (the name not found,
the connection refused, no answer, an HTTP error, another kind of file, too large, a redirect loop)
is one clear Problem naming the address. What the page holds is read like a saved page (capture.py).
"""

from __future__ import annotations

import http
import re
import time
from urllib.parse import urljoin
from dataclasses import dataclass, replace

import urllib3
from urllib3.exceptions import (ConnectTimeoutError, HTTPError, LocationParseError, MaxRetryError, NameResolutionError,
                                NewConnectionError, ProtocolError, ReadTimeoutError, ResponseError, SSLError)
from urllib3.util import Retry, Timeout, parse_url

from ..errors import DossierError, Problem
from .capture import Capture, capture_html, decode

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
"""Content types `add` reads: web pages."""
CHARSET_RE = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Limits:
    """How long, how large and how many redirects a fetch may take."""

    timeout: float = 20.0
    """Seconds to connect, and to wait for each piece of the answer."""
    total: float = 60.0
    """Seconds the whole download may take (a server dripping bytes is cut off)."""
    max_bytes: int = 16 * 1024 * 1024
    """Largest page read (after decompression)."""
    max_redirects: int = 5


@dataclass(frozen=True)
class Fetched:
    """A fetched web page."""

    url: str
    """The final address, after redirects."""
    data: bytes
    charset: str | None
    """The charset the server declared in its Content-Type, if any."""
    redirects: int


def is_url(argument: str) -> bool:
    """Whether `add`'s argument is a web address rather than a file."""
    return argument.lower().startswith(("http://", "https://"))


def _problem(url: str, message: str, fix: str) -> DossierError:
    return DossierError([Problem(url, "", message, fix)])


def _failure(url: str, exc: Exception, limits: Limits) -> DossierError:
    """The Problem for a request that got no usable answer."""
    reason = exc.reason if isinstance(exc, MaxRetryError) else exc
    host = parse_url(url).host or url
    check = "check the address, or save the page in the browser and add the saved file."
    if isinstance(reason, ResponseError) and "redirect" in str(reason):
        return _problem(url, f"the address redirected more than {limits.max_redirects} times (a redirect loop?).", check)
    if isinstance(reason, NameResolutionError):
        return _problem(url, f"the host {host!r} was not found (DNS lookup failed).",
                        "check the address for typos, and that this computer is online.")
    if isinstance(reason, NewConnectionError):
        return _problem(url, f"could not connect to {host}: the connection was refused or the host is unreachable.",
                        "check the address and port, and that the site is up; or save the page and add the file.")
    if isinstance(reason, ConnectTimeoutError | ReadTimeoutError):
        return _problem(url, f"{host} did not answer within {limits.timeout:g} seconds.",
                        "try again later, or save the page in the browser and add the saved file.")
    if isinstance(reason, SSLError):
        return _problem(url, f"the secure connection to {host} failed: {reason}.",
                        "check the address (http or https), or save the page and add the file.")
    if isinstance(reason, ProtocolError):
        return _problem(url, f"the connection to {host} broke off before the page was received.", check)
    return _problem(url, f"the page could not be fetched: {reason}.", check)


def _phrase(status: int) -> str:
    """`Not Found` for 404; '' for a status HTTP does not define."""
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""


def _content_type(url: str, headers) -> str | None:
    """The charset the server declares; an error unless the answer is an HTML page."""
    header = headers.get("Content-Type", "")
    mime = header.split(";")[0].strip().lower()
    if mime not in HTML_TYPES:
        what = f"a {mime} file" if mime else "an answer without a Content-Type"
        raise _problem(url, f"the address gives {what}, not a web page (text/html).",
                       "add reads web pages; for a PDF or a document, copy its text into a .txt file and add that.")
    found = CHARSET_RE.search(header)
    return found.group(1) if found else None


def _size(n: int) -> str:
    """`16 MiB`, `195 KiB`: a byte count as a person reads it."""
    return f"{n // (1024 * 1024)} MiB" if n >= 1024 * 1024 else f"{n // 1024} KiB"


def _read(url: str, response, limits: Limits, started: float) -> bytes:
    """The body, in chunks, stopping at the size and time limits."""
    size = response.headers.get("Content-Length", "")
    too_large = _problem(url, f"the page is larger than {_size(limits.max_bytes)}.",
                         "save the article alone in the browser and add the saved file.")
    if size.isdigit() and int(size) > limits.max_bytes:
        raise too_large
    parts, total = [], 0
    for chunk in response.stream(CHUNK):
        total += len(chunk)
        if total > limits.max_bytes:
            raise too_large
        if time.monotonic() - started > limits.total:
            raise _problem(url, f"the page took longer than {limits.total:g} seconds to download.",
                           "try again later, or save the page in the browser and add the saved file.")
        parts.append(chunk)
    return b"".join(parts)


def fetch(url: str, limits: Limits = Limits()) -> Fetched:
    """GET one HTML page, following redirects; raise DossierError with a clear Problem on any failure."""
    retries = Retry(total=None, connect=0, read=0, status=0, other=0, redirect=limits.max_redirects,
                    raise_on_redirect=True, respect_retry_after_header=False)
    pool = urllib3.PoolManager(retries=retries, timeout=Timeout(connect=limits.timeout, read=limits.timeout),
                               headers={"User-Agent": "build-dossier add",
                                        "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"})
    started = time.monotonic()
    try:
        response = pool.request("GET", url, preload_content=False, redirect=True)
    except LocationParseError:
        raise _problem(url, "this is not a valid web address.", "give an address such as https://example.org/article.") from None
    except HTTPError as exc:
        raise _failure(url, exc, limits) from None
    try:
        history = response.retries.history if response.retries else ()
        final = url
        for hop in history:  # each Location is read against the address it came from
            final = urljoin(final, hop.redirect_location) if hop.redirect_location else final
        if response.status >= 400 or response.status in (204, 205) or 300 <= response.status < 400:
            raise _problem(url, f"the server answered {response.status} {_phrase(response.status)}".rstrip() + f" for {final}.",
                           "check the address; a page behind a sign-in must be saved in the browser and added as a file.")
        charset = _content_type(url, response.headers)
        try:
            data = _read(url, response, limits, started)
        except HTTPError as exc:
            raise _failure(url, exc, limits) from None
        return Fetched(final, data, charset, len(history))
    finally:
        response.release_conn()
        pool.clear()


def capture_url(url: str, encoding: str | None, today: str, limits: Limits = Limits()) -> Capture:
    """Fetch a page and read it like a saved page; its final address and today's date are its url and accessed."""
    fetched = fetch(url, limits)
    text = decode(fetched.data, url, "html", encoding, fetched.charset)
    if not text.strip():
        raise _problem(url, "the page is empty.", "check the address, or save the page in the browser and add the file.")
    capture = capture_html(text, url)
    hops = f", after {fetched.redirects} redirect{'s' * (fetched.redirects != 1)}" if fetched.redirects else ""
    origins = dict(capture.origins) | {"url": f"the URL fetch: the final address{hops}", "accessed": "the URL fetch: today"}
    return replace(capture, kind="web", meta=dict(capture.meta, url=fetched.url, accessed=today),
                   origins=tuple(origins.items()))
