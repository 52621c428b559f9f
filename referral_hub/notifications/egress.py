"""Where the hub may send a webhook: public HTTPS endpoints, nothing inside the network.

A webhook URL is chosen by an organisation's admin, so it is untrusted input that makes
the hub open connections. Checked at registration *and* at every delivery (DNS can
change between them), and the connection goes to the very address that was checked:

- https only; http only for hosts in HUB_WEBHOOK_ALLOWED_HOSTS (tests, a local receiver);
- no credentials in the URL;
- every address the host resolves to must be public: loopback, private, link-local,
  multicast, reserved and unspecified addresses are refused (unless the host is in
  HUB_WEBHOOK_ALLOWED_HOSTS);
- redirects are never followed (http.client does not follow them; a 3xx is a failure);
- failures are reported as a few generic classes, so `lastError` cannot be used to
  scan ports.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from collections.abc import Collection
from dataclasses import dataclass
from typing import cast
from urllib.parse import urlsplit

from referral_hub.core.errors import ErrorCode, FieldError

URL_MAX = 500


class EgressRefused(Exception):
    """The destination is not one the hub may connect to (a permanent failure)."""


class Unreachable(Exception):
    """The destination did not answer (timeout, refused, TLS, DNS): transient."""


@dataclass(frozen=True)
class Destination:
    scheme: str
    host: str
    port: int
    path: str


def parse(url: str, allowed_hosts: Collection[str]) -> tuple[Destination | None, list[FieldError]]:
    """The URL's destination, or the reasons it is refused (pure: no DNS)."""

    def refused(message: str) -> tuple[None, list[FieldError]]:
        return None, [FieldError("url", ErrorCode.INVALID, message)]

    if not isinstance(url, str) or not url or len(url) > URL_MAX:
        return refused(f"url must be an https URL of at most {URL_MAX} characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return refused("url is not a valid URL.")
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("https", "http") or not host:
        return refused("url must be an https URL.")
    if parts.scheme == "http" and host not in allowed_hosts:
        return refused("url must use https.")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return refused("url must not contain credentials.")
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in url):
        return refused("url must not contain spaces or control characters.")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    default = 443 if parts.scheme == "https" else 80
    return Destination(parts.scheme, host, port or default, path), []


def public_address(destination: Destination, allowed_hosts: Collection[str]) -> str:
    """Resolve the host and return an address to connect to; EgressRefused if any address
    it resolves to is not public (a host must not point inside the network at all)."""
    try:
        infos = socket.getaddrinfo(destination.host, destination.port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise Unreachable("unreachable") from None
    # The stubs allow (int, bytes) for AF_INET6 on a CPython built without IPv6; this
    # one has IPv6, so every entry's sockaddr starts with the textual address.
    addresses = [cast(str, info[4][0]) for info in infos]
    if not addresses:
        raise Unreachable("unreachable")
    if destination.host not in allowed_hosts and not all(map(_public, addresses)):
        raise EgressRefused("address refused")
    return addresses[0]


# IPv6 ranges that carry an IPv4 address inside (6to4, Teredo, NAT64): a relay would
# take the connection to whatever IPv4 address they wrap, so they are refused outright.
_TUNNELS = tuple(
    ipaddress.ip_network(n) for n in ("2002::/16", "2001::/32", "64:ff9b::/96", "64:ff9b:1::/48")
)


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if any(ip in tunnel for tunnel in _TUNNELS):
            return False
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
    # is_global alone lets multicast through (224.0.0.1 is "global").
    return ip.is_global and not (
        ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local
    )


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked address, whatever DNS says by now."""

    def __init__(self, host: str, address: str, *, port: int, timeout: float) -> None:
        super().__init__(host, port=port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, address: str, *, port: int, timeout: float) -> None:
        super().__init__(host, port=port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        # _context is the SSLContext HTTPSConnection keeps; typeshed leaves it undeclared.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    timeout: float,
    allowed_hosts: Collection[str],
) -> int:
    """POST `body` to a checked destination; the HTTP status. Raises EgressRefused for a
    destination the hub must not reach, Unreachable when it did not answer."""
    destination, errors = parse(url, allowed_hosts)
    if destination is None:
        raise EgressRefused(errors[0].message)
    address = public_address(destination, allowed_hosts)
    connection_class = (
        _PinnedHTTPSConnection if destination.scheme == "https" else _PinnedHTTPConnection
    )
    connection = connection_class(destination.host, address, port=destination.port, timeout=timeout)
    try:
        connection.request("POST", destination.path, body=body, headers=headers)
        return connection.getresponse().status
    except (OSError, http.client.HTTPException):
        raise Unreachable("unreachable") from None
    finally:
        connection.close()
