"""Public and local addresses: which web addresses may stand in a citation, an export or a page.

A citation that goes into a briefing must work for its reader. An address on the machine that built
the dossier (`http://127.0.0.1:8000/…`, `localhost`), on a private network (`10.…`, `192.168.…`,
`fd00::…`), link-local (`169.254.…`, `fe80::…`, `*.local`), unspecified (`0.0.0.0`) or a file
(`file:`) does not; the build leaves such addresses out and says so.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
import socket
from urllib.parse import urlsplit

LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
LOCAL_SUFFIXES = (".localhost", ".local", ".localdomain", ".internal", ".intranet", ".lan", ".home", ".corp",
                  ".home.arpa")
"""Names that never resolve on the public internet (RFC 6761, 6762, 8375, and common private-network suffixes)."""


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The IP address `host` spells, in any form a browser reads (`127.1`, `0x7f.0.0.1`, `2130706433`, `[::1]`)."""
    host = host.strip("[]")
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        try:  # the short and numeric forms of IPv4 that browsers accept (`127.1`, `0x7f000001`)
            ip = ipaddress.IPv4Address(socket.inet_aton(host))
        except (OSError, ValueError):
            return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        return ip.ipv4_mapped
    return ip


@lru_cache(maxsize=4096)  # asked for every passage's citations
def local_reason(url: str) -> str | None:
    """Why `url` is not a public address (`a loopback address`, `a file`, …), or None if it is public."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() == "file":
        return "a file on this computer"
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        return "an address without a host"
    ip = _ip(host)
    if ip is not None:
        if ip.is_loopback:
            return "a loopback address (this computer)"
        if ip.is_unspecified:
            return "the unspecified address (this computer)"
        if ip.is_link_local:
            return "a link-local address"
        return None if ip.is_global else "a private-network address"
    if host in LOCAL_NAMES or host.endswith(LOCAL_SUFFIXES):
        return "a local host name"
    if "." not in host:
        return "a host name without a domain (a local network name)"
    return None


def is_public(url: str | None) -> bool:
    """True for an address a reader elsewhere can open: set, and not local (`local_reason`)."""
    return bool(url) and local_reason(url) is None
