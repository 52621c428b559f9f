"""The client's address behind trusted proxies (referral_hub/core/forwarding.py)."""

import pytest

from referral_hub.core.forwarding import (
    IPV6_LIMIT_PREFIX,
    MAX_HOPS,
    client_address,
    limit_key,
    parse_networks,
)

PROXIES = parse_networks("10.244.0.0/16, 192.0.2.10, 2001:db8::/32")


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        # No proxy trusted to name a client: the peer, whatever the header says.
        ("198.51.100.7", "203.0.113.1", "198.51.100.7"),
        ("198.51.100.7", None, "198.51.100.7"),
        # A trusted proxy forwarding one client.
        ("10.244.3.4", "203.0.113.1", "203.0.113.1"),
        ("10.244.3.4", " 203.0.113.1 ", "203.0.113.1"),
        # A client's own header is left of what the proxy appended: never believed.
        ("10.244.3.4", "1.1.1.1, 203.0.113.1", "203.0.113.1"),
        # Two trusted proxies in a row: the first untrusted from the right.
        ("10.244.3.4", "1.1.1.1, 203.0.113.1, 192.0.2.10", "203.0.113.1"),
        # Every hop trusted: the leftmost (a proxy's own request).
        ("10.244.3.4", "10.244.9.9", "10.244.9.9"),
        # A trusted proxy that forwards nothing: the proxy.
        ("10.244.3.4", None, "10.244.3.4"),
        ("10.244.3.4", "", "10.244.3.4"),
        # A hop that is no address stops the walk at the nearest proxy vouched for.
        ("10.244.3.4", "203.0.113.1, unknown", "10.244.3.4"),
        ("10.244.3.4", "203.0.113.1, 192.0.2.10, 203.0.113.1\x00", "10.244.3.4"),
        ("10.244.3.4", "203.0.113.1, , 192.0.2.10", "192.0.2.10"),
        # Ports and brackets as proxies write them; IPv6 in canonical form.
        ("10.244.3.4", "203.0.113.1:51234", "203.0.113.1"),
        ("10.244.3.4", "[2001:DB9::0001]:443", "2001:db9::1"),
        ("10.244.3.4", "[2001:db9::1", "10.244.3.4"),
        ("2001:db8::5", "203.0.113.1", "203.0.113.1"),
        # A port must be a port; a bracket must close and be followed by nothing or one.
        ("10.244.3.4", "203.0.113.1:65535", "203.0.113.1"),
        ("10.244.3.4", "203.0.113.1:123456", "10.244.3.4"),
        ("10.244.3.4", "203.0.113.1:notaport", "10.244.3.4"),
        ("10.244.3.4", "203.0.113.1:", "10.244.3.4"),
        ("10.244.3.4", "[2001:db9::1]garbage", "10.244.3.4"),
        ("10.244.3.4", "[2001:db9::1]:", "10.244.3.4"),
        # A zone names an interface, not a client: dropped; a zone that is no name refused.
        ("10.244.3.4", "fe80::1%eth0", "fe80::1"),
        ("10.244.3.4", "[fe80::1%eth0]:443", "fe80::1"),
        ("10.244.3.4", "2001:db9::1%a]:1", "10.244.3.4"),
        ("10.244.3.4", "fe80::1%évil", "10.244.3.4"),
        ("10.244.3.4", "fe80::1%", "10.244.3.4"),
        # Leading zeros and whole numbers are no addresses a proxy writes.
        ("10.244.3.4", "010.1.1.1", "10.244.3.4"),
        ("10.244.3.4", "167772161", "10.244.3.4"),
        # A dual-stack socket's IPv4-mapped peer is the IPv4 proxy.
        ("::ffff:10.244.3.4", "203.0.113.1", "203.0.113.1"),
        ("::ffff:198.51.100.7", "203.0.113.1", "198.51.100.7"),
        # Just outside the trusted network: not a proxy.
        ("10.245.0.0", "203.0.113.1", "10.245.0.0"),
        ("10.243.255.255", "203.0.113.1", "10.243.255.255"),
        ("10.244.255.255", "203.0.113.1", "203.0.113.1"),
        ("192.0.2.11", "203.0.113.1", "192.0.2.11"),
        # No peer (a unix socket) or a peer that is no address: passed on as it is.
        ("", "203.0.113.1", None),
        (None, "203.0.113.1", None),
        ("unix:/run/hub.sock", "203.0.113.1", "unix:/run/hub.sock"),
    ],
)
def test_the_client_is_the_first_untrusted_hop_from_the_right(remote, forwarded, expected):
    assert client_address(remote, forwarded, PROXIES) == expected


def test_no_trusted_proxy_means_the_header_is_never_read():
    assert client_address("10.244.3.4", "203.0.113.1", ()) == "10.244.3.4"


def test_a_header_is_read_no_further_than_max_hops():
    trusted_hops = ["10.244.0.1"] * (MAX_HOPS - 1)
    within = ", ".join(["203.0.113.1", *trusted_hops])
    beyond = ", ".join(["203.0.113.1", "10.244.0.2", *trusted_hops])
    assert MAX_HOPS == 16
    assert client_address("10.244.3.4", within, PROXIES) == "203.0.113.1"
    # The 17th hop from the right is not read: the walk ends at the 16th, a proxy.
    assert client_address("10.244.3.4", beyond, PROXIES) == "10.244.0.2"
    huge = "203.0.113.1," * 200_000 + "198.51.100.7"
    assert client_address("10.244.3.4", huge, PROXIES) == "198.51.100.7"


def test_trusted_proxies_are_addresses_or_networks():
    assert parse_networks("") == ()
    assert parse_networks(" , ") == ()
    assert [str(n) for n in parse_networks("10.244.0.0/16,192.0.2.10 ,::1")] == [
        "10.244.0.0/16",
        "192.0.2.10/32",
        "::1/128",
    ]


@pytest.mark.parametrize(
    ("text", "entry"),
    [("10.244.0.1/16", "'10.244.0.1/16'"), ("proxy.local", "'proxy.local'"), ("10.0.0.0/33", "")],
)
def test_anything_else_is_refused_naming_the_entry(text, entry):
    with pytest.raises(ValueError, match="HUB_TRUSTED_PROXIES: ") as refused:
        parse_networks(f"192.0.2.10, {text}")
    assert entry in str(refused.value)
    assert "is not an address or a network" in str(refused.value)


@pytest.mark.parametrize("everyone", ["0.0.0.0/0", "::/0"])
def test_trusting_every_address_is_refused(everyone):
    with pytest.raises(ValueError, match=f"'{everyone}' trusts every address"):
        parse_networks(everyone)
    assert len(parse_networks("0.0.0.0/1, ::/1")) == 2  # half of them is a choice, if odd


def test_a_limit_counts_an_ipv4_client_by_address_and_an_ipv6_client_by_its_64():
    assert IPV6_LIMIT_PREFIX == 64
    assert limit_key("198.51.100.7") == "198.51.100.7"
    assert limit_key("2001:db9:1:2:aaaa::1") == "2001:db9:1:2::/64"
    assert limit_key("2001:db9:1:2:ffff:ffff:ffff:ffff") == "2001:db9:1:2::/64"
    assert limit_key("2001:db9:1:3::") == "2001:db9:1:3::/64"
    # No address (a unix socket) is one client, as before; anything else is itself.
    assert limit_key(None) == limit_key("") == "?"
    assert limit_key("unix:/run/hub.sock") == "unix:/run/hub.sock"
