"""The address policy: http(s) only, public addresses only unless a host is allowed."""

from __future__ import annotations

import pytest

from marsad.errors import MarsadError
from marsad.watch.safety import AddressPolicy, address_refusal, check_url, system_resolver


def resolver_of(table: dict[str, list[str]]):
    calls: list[str] = []

    def resolve(host: str, port: int) -> list[str]:
        calls.append(host)
        if host not in table:
            raise OSError(f"unknown host {host}")
        return table[host]

    resolve.calls = calls  # type: ignore[attr-defined]
    return resolve


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("172.31.255.254", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),  # cloud metadata endpoint
        ("100.64.0.1", "not globally reachable"),  # shared address space (CGN)
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "private"),  # class E, reserved (the ipaddress table files it under private)
        ("255.255.255.255", "private"),
        ("198.18.0.1", "private"),  # benchmarking
        ("192.0.2.10", "private"),  # documentation
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("fd12:3456::1", "private"),
        ("fec0::1", "site-local"),
        ("ff02::1", "multicast"),
        ("2001:db8::1", "private"),  # documentation
        ("::ffff:127.0.0.1", "loopback (IPv4 127.0.0.1 inside IPv6)"),
        ("::ffff:10.0.0.1", "private (IPv4 10.0.0.1 inside IPv6)"),
        ("::ffff:169.254.169.254", "link-local (IPv4 169.254.169.254 inside IPv6)"),
        ("2002:7f00:1::", "loopback (IPv4 127.0.0.1 inside IPv6)"),  # 6to4
        ("64:ff9b::a00:1", "private (IPv4 10.0.0.1 inside IPv6)"),  # NAT64
        ("::127.0.0.1", "loopback (IPv4 127.0.0.1 inside IPv6)"),  # IPv4-compatible
    ],
)
def test_non_public_addresses_are_refused(address: str, why: str):
    assert address_refusal(address) == why


@pytest.mark.parametrize(
    "address", ["8.8.8.8", "93.184.216.34", "2001:4860:4860::8888", "::ffff:8.8.8.8", "2002:808:808::1"]
)
def test_public_addresses_pass(address: str):
    assert address_refusal(address) is None


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://news.example/feed.xml",
        "gopher://news.example/",
        "javascript:alert(1)",
        "data:text/html,<p>x</p>",
        "news.example/feed.xml",
        "http://",
        "http://user:secret@news.example/feed",
    ],
)
def test_only_plain_http_urls(url: str):
    policy = AddressPolicy(resolver=resolver_of({"news.example": ["93.184.216.34"]}))
    with pytest.raises(MarsadError) as err:
        policy.check(url)
    assert err.value.code == "bad_url"


def test_host_names_are_resolved_and_every_address_checked():
    resolve = resolver_of({
        "news.example": ["93.184.216.34", "2606:2800:220:1::248"],
        "mixed.example": ["93.184.216.34", "10.0.0.7"],  # one private answer is enough to refuse
        "inside.example": ["192.168.0.10"],
    })
    policy = AddressPolicy(resolver=resolve)
    target = policy.check("https://News.Example./ar/rss?x=1#top")
    assert (target.scheme, target.host, target.port) == ("https", "news.example", 443)
    assert target.addresses == ("93.184.216.34", "2606:2800:220:1::248")
    assert target.origin == "https://news.example:443"
    for host in ("mixed.example", "inside.example"):
        with pytest.raises(MarsadError) as err:
            policy.check(f"http://{host}/")
        assert err.value.code == "blocked_address"
        assert host in err.value.message and f"--allow-host {host}" in err.value.message
    with pytest.raises(MarsadError) as err:
        policy.check("http://nowhere.example/")
    assert err.value.code == "fetch_failed"


def test_ip_literals_are_checked_without_dns():
    resolve = resolver_of({})
    policy = AddressPolicy(resolver=resolve)
    for url in ("http://127.0.0.1:8000/", "http://[::1]/", "http://[::ffff:10.0.0.1]/", "http://169.254.169.254/"):
        with pytest.raises(MarsadError) as err:
            policy.check(url)
        assert err.value.code == "blocked_address", url
    target = policy.check("http://[2001:4860:4860::8888]:8080/x")
    assert target.host == "2001:4860:4860::8888" and target.port == 8080
    assert target.origin == "http://[2001:4860:4860::8888]:8080"
    assert resolve.calls == []  # type: ignore[attr-defined]


def test_numeric_host_spellings_resolve_to_what_they_mean():
    # getaddrinfo reads these forms as 127.0.0.1 (no DNS involved): they must not slip through
    policy = AddressPolicy(resolver=system_resolver)
    for url in ("http://2130706433/", "http://0x7f.1/", "http://0177.0.0.1/"):
        with pytest.raises(MarsadError) as err:
            policy.check(url)
        assert err.value.code in ("blocked_address", "bad_url"), url


def test_allowed_hosts_names_addresses_and_networks():
    resolve = resolver_of({"localhost": ["127.0.0.1", "::1"], "intranet.example": ["10.1.2.3"]})
    by_name = AddressPolicy(["LOCALHOST"], resolver=resolve)
    target = by_name.check("http://localhost:8080/feed")
    assert target.addresses == ()  # connect by name
    with pytest.raises(MarsadError):
        by_name.check("http://127.0.0.1:8080/feed")  # the name was allowed, not the address

    by_address = AddressPolicy(["127.0.0.1"], resolver=resolve)
    assert by_address.check("http://127.0.0.1:8000/").addresses == ("127.0.0.1",)
    with pytest.raises(MarsadError):
        by_address.check("http://localhost/")  # localhost also resolves to ::1, which is not allowed
    with pytest.raises(MarsadError):
        by_address.check("http://127.0.0.2/")

    by_network = AddressPolicy(["10.0.0.0/8", "[::1]"], resolver=resolve)
    assert by_network.check("http://intranet.example/").addresses == ("10.1.2.3",)
    assert by_network.check("http://[::1]/").addresses == ("::1",)
    with pytest.raises(MarsadError):
        by_network.check("http://192.168.1.1/")


def test_check_url_shortcut():
    assert check_url("http://127.0.0.1/", ["127.0.0.1"]).host == "127.0.0.1"
    with pytest.raises(MarsadError):
        check_url("http://127.0.0.1/")
