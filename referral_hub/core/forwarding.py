"""Who the client is when the hub sits behind proxies: pure, unit-tested.

A deployment puts a TLS proxy (a host's reverse proxy, a Kubernetes ingress) in front of
gunicorn, so every request reaches the app from the proxy's address. The limits that count
per address (sign-in guesses, failed tokens, invitations, the public finder) would then
count one address for a whole city, and the audit would record the proxy as everyone's
address. Each proxy appends the address it received the request from to
`X-Forwarded-For`; only what the trusted proxies wrote is believed. Read from the right,
the first address that is not a trusted proxy is the client's: anything left of it came
from the client and may be forged. With no trusted proxy (the default), the header is
never read.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# An IPv6 client holds a whole /64 (a home line, a cloud host), and picks any address in
# it: a limit that counted each address apart would be no limit (allauth counts /64 too).
IPV6_LIMIT_PREFIX = 64

# More hops than any real chain of proxies: a longer header is read no further (a client
# could send megabytes of it; the trusted part is what the proxies appended at its end).
MAX_HOPS = 16


def parse_networks(text: str) -> tuple[Network, ...]:
    """`HUB_TRUSTED_PROXIES`: addresses or networks, comma-separated. Raises ValueError
    naming the entry for anything else, including a network with host bits set
    (10.244.0.1/16 is a typo for one address or for 10.244.0.0/16: which, only its
    writer knows)."""
    networks = []
    for part in text.split(","):
        entry = part.strip()
        if not entry:
            continue
        try:
            network = ipaddress.ip_network(entry, strict=True)
        except ValueError as error:
            raise ValueError(
                f"HUB_TRUSTED_PROXIES: {entry!r} is not an address or a network ({error})"
            ) from None
        if network.prefixlen == 0:  # every address a proxy: anyone names their own client
            raise ValueError(f"HUB_TRUSTED_PROXIES: {entry!r} trusts every address")
        networks.append(network)
    return tuple(networks)


_ZONE = re.compile(r"[A-Za-z0-9_.-]{1,32}")


def _address(text: str) -> Address | None:
    """One hop as a proxy writes it: an address, with or without a port; else None."""
    host = text.strip()
    port = ""
    if host.startswith("["):  # [2001:db8::1] or [2001:db8::1]:443
        host, bracket, rest = host[1:].partition("]")
        if not bracket or (rest and not (rest.startswith(":") and len(rest) > 1)):
            return None
        port = rest[1:]
    elif host.count(":") == 1:  # 192.0.2.1:8080
        host, _, port = host.partition(":")
        if not port:
            return None
    if port and not (port.isascii() and port.isdigit() and len(port) <= 5):
        return None
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped  # ::ffff:10.0.0.1 is 10.0.0.1 (a dual-stack socket)
        if address.scope_id is not None:  # fe80::1%eth0: the zone names an interface
            if not _ZONE.fullmatch(address.scope_id):
                return None
            return ipaddress.IPv6Address(address.packed)
    return address


def _trusted(address: Address, trusted: Sequence[Network]) -> bool:
    return any(address in network for network in trusted)


def client_address(
    remote_addr: str | None, forwarded_for: str | None, trusted: Sequence[Network]
) -> str | None:
    """The client's address: the peer, unless the peer is a trusted proxy; then the
    rightmost hop of `forwarded_for` that is not one. A hop a trusted proxy wrote that is
    no address stops the walk at that proxy: it is the nearest one vouched for."""
    if not remote_addr:  # a unix socket's peer has no address
        return None
    peer = _address(remote_addr)
    if peer is None:
        return remote_addr
    if not forwarded_for or not _trusted(peer, trusted):
        return str(peer)
    nearest = peer
    for hop in reversed(forwarded_for.rsplit(",", MAX_HOPS)[-MAX_HOPS:]):
        address = _address(hop)
        if address is None:
            return str(nearest)
        if not _trusted(address, trusted):
            return str(address)
        nearest = address
    return str(nearest)


def limit_key(address: str | None) -> str:
    """What a per-address limit counts: the address; for IPv6, its /64."""
    if not address:
        return "?"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_LIMIT_PREFIX}", strict=False))
    return str(parsed)
