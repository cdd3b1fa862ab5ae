"""Which URLs may be fetched: http(s) only, and only to public addresses.

A URL from a feed (or from an API caller) can point anywhere, including at
the machine running marsad or the network behind it.  Before any request,
and again for every redirect, :class:`AddressPolicy` parses the URL with the
HTTP client's own parser (so the check and the request agree on the host),
resolves the host, and refuses it unless *every* address it resolves to is
public: loopback, private, link-local, shared (CGN), multicast, reserved,
unspecified and documentation ranges are refused, for IPv4 and IPv6, with
IPv4 addresses embedded in IPv6 (mapped, compatible, 6to4, NAT64) judged as
IPv4.  The checked addresses are returned so that the request connects to
one of them and not to whatever a second DNS answer says (DNS rebinding).

Hosts the user names (``--allow-host``, ``Settings.allow_hosts``: host
names, IP addresses or networks such as ``10.0.0.0/8``) are let through.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import httpx

from marsad.errors import MarsadError

__all__ = ["AddressPolicy", "Resolver", "Target", "address_refusal", "check_url", "system_resolver"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# (host, port) → the addresses it resolves to, as strings
Resolver = Callable[[str, int], list[str]]

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to (``getaddrinfo``), in the system's order of preference."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    out: list[str] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = str(sockaddr[0]).split("%", 1)[0]  # drop an IPv6 zone id
        if address not in out:
            out.append(address)
    return out


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address in _IPV4_COMPATIBLE and int(address) > 1:  # ::a.b.c.d (deprecated); not :: or ::1
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_refusal(address: str | IPAddress) -> str | None:
    """Why ``address`` may not be fetched from (``"loopback"``, ``"private"``…), or None if it is public."""
    try:
        ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            why = address_refusal(inner)
            return f"{why} (IPv4 {inner} inside IPv6)" if why else None
        if ip.is_site_local:
            return "site-local"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if ip.is_private:
        return "private"
    if ip.is_reserved:
        return "reserved"
    if not ip.is_global:
        return "not globally reachable"
    return None


@dataclass(frozen=True, slots=True)
class Target:
    """A URL that passed the policy, and where to connect for it."""

    url: str
    scheme: str
    host: str  # lower case, IDNA (ASCII), without brackets
    port: int
    addresses: tuple[str, ...]  # checked addresses to connect to; empty: connect by name (allowed host)

    @property
    def origin(self) -> str:
        """``scheme://host:port``: the key of robots.txt rules."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"


def _host_of(url: httpx.URL) -> str:
    host = url.raw_host.decode("ascii", "replace").lower().rstrip(".")
    return host.strip("[]")


class AddressPolicy:
    """Refuses non-http(s) URLs and hosts that are not public, unless allowed."""

    def __init__(self, allow_hosts: Iterable[str] = (), resolver: Resolver | None = None) -> None:
        self.resolver: Resolver = resolver or system_resolver
        self._names: set[str] = set()
        self._networks: list[Network] = []
        for entry in allow_hosts:
            text = entry.strip().lower().rstrip(".").strip("[]")
            if not text:
                continue
            try:
                self._networks.append(ipaddress.ip_network(text, strict=False))
            except ValueError:
                self._names.add(text)

    def _allowed_address(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip.version == net.version and ip in net for net in self._networks)

    def check(self, url: str) -> Target:
        """The :class:`Target` for ``url``, or ``bad_url`` / ``blocked_address`` / ``fetch_failed`` (no DNS)."""
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, TypeError, ValueError) as e:
            raise MarsadError("bad_url", f"not a valid URL: {url!r} ({e})", url) from None
        scheme = parsed.scheme.lower()
        if scheme not in ("http", "https"):
            raise MarsadError("bad_url", f"only http and https URLs are fetched, not {url!r}", url)
        host = _host_of(parsed)
        if not host:
            raise MarsadError("bad_url", f"the URL names no host: {url!r}", url)
        if parsed.userinfo:
            raise MarsadError("bad_url", f"URLs with credentials are not fetched: {parsed.copy_with(userinfo=b'')}", url)
        port = parsed.port or (443 if scheme == "https" else 80)
        if host in self._names:
            return Target(str(parsed), scheme, host, port, ())
        try:
            literal: IPAddress | None = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is not None:
            addresses = [str(literal)]
        else:
            try:
                addresses = self.resolver(host, port)
            except (OSError, UnicodeError) as e:
                raise MarsadError("fetch_failed", f"cannot resolve {host}: {e}", url) from None
            if not addresses:
                raise MarsadError("fetch_failed", f"{host} resolves to no address", url)
        for address in addresses:
            why = address_refusal(address)
            if why and not self._allowed_address(address):
                shown = host if literal is not None else f"{host} ({address})"
                article = "an" if why[0] in "aeiou" else "a"
                raise MarsadError(
                    "blocked_address",
                    f"{shown} is {article} {why} address; fetching it needs --allow-host {host}",
                    url,
                )
        return Target(str(parsed), scheme, host, port, tuple(addresses))


def check_url(url: str, allow_hosts: Iterable[str] = (), resolver: Resolver | None = None) -> Target:
    """Check one URL against the address policy (see :class:`AddressPolicy`)."""
    return AddressPolicy(allow_hosts, resolver).check(url)
