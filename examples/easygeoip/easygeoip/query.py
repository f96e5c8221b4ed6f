"""Turn the user's query into the public addresses to look up, or a clear error."""

from __future__ import annotations

import concurrent.futures
import ipaddress
import re
import socket
from dataclasses import dataclass, field
from typing import Callable

from .config import MAX_QUERY_LENGTH

# A resolver takes a host name and returns the addresses it resolves to (strings, in any order);
# it raises LookupError when the name does not resolve. Tests pass their own through app.config.
Resolver = Callable[[str], list[str]]

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


class QueryError(Exception):
    """A query we cannot answer; `status` is the HTTP status, `code` a stable machine-readable name."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass
class Target:
    kind: str                                   # "address" or "name"
    addresses: list[str]                        # public addresses to look up, in resolver order
    skipped: list[dict] = field(default_factory=list)   # resolved addresses we will not look up, with why


def system_resolver(timeout: float) -> Resolver:
    """getaddrinfo with a time limit (it has none of its own); one small thread pool per call site."""
    def resolve(name: str) -> list[str]:
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        try:
            infos = pool.submit(socket.getaddrinfo, name, None, 0, socket.SOCK_STREAM).result(timeout)
        except concurrent.futures.TimeoutError:
            raise LookupError(f"DNS lookup of {name!r} took longer than {timeout:g}s") from None
        except (OSError, UnicodeError) as exc:
            detail = getattr(exc, "strerror", None) or str(exc)
            raise LookupError(f"{name} does not resolve: {detail}") from None
        finally:
            pool.shutdown(wait=False)
        seen: list[str] = []
        for info in infos:
            address = info[4][0].split("%", 1)[0]
            if address not in seen:
                seen.append(address)
        return seen
    return resolve


_DOCUMENTATION = tuple(ipaddress.ip_network(n) for n in
                       ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32"))
_SHARED = ipaddress.ip_network("100.64.0.0/10")


def why_not_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """The kind of non-public range an address is in, or None when it is a public (global) address."""
    if any(address.version == n.version and address in n for n in _DOCUMENTATION):
        return "documentation (example)"
    if address.version == 4 and address in _SHARED:
        return "shared (carrier-grade NAT)"
    for attribute, label in (("is_unspecified", "unspecified"), ("is_loopback", "loopback"),
                             ("is_link_local", "link-local"), ("is_multicast", "multicast"),
                             ("is_private", "private"), ("is_reserved", "reserved")):
        if getattr(address, attribute):
            return label
    if not address.is_global:
        return "not globally routable"
    return None


def _as_address(text: str):
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    # ::ffff:8.8.8.8 is 8.8.8.8 seen by an IPv6 socket; look up the IPv4 address it carries.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _normalise_name(text: str) -> str:
    name = text.rstrip(".").lower()
    try:
        ascii_name = name.encode("idna").decode("ascii")   # bücher.example -> xn--bcher-kva.example
    except UnicodeError:
        raise QueryError(400, "malformed_name", f"{text!r} is neither an IP address nor a valid domain name") from None
    labels = ascii_name.split(".")
    if len(ascii_name) > 253 or not all(_LABEL.match(label) for label in labels):
        raise QueryError(400, "malformed_name", f"{text!r} is neither an IP address nor a valid domain name")
    if labels[-1].isdigit():
        # 999.1.1.1 or 10.0.0 look like addresses, not names: say so rather than sending them to DNS.
        raise QueryError(400, "malformed_address", f"{text!r} is not a valid IPv4 or IPv6 address")
    return ascii_name


def parse(text: str, resolve: Resolver) -> Target:
    text = text.strip()
    if not text:
        raise QueryError(400, "empty_query", "give an IP address or a domain name, e.g. /api/81.2.69.160")
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(400, "query_too_long",
                         f"the query is {len(text)} characters long; the longest domain name is {MAX_QUERY_LENGTH}")
    address = _as_address(text)
    if address is not None:
        reason = why_not_public(address)
        if reason:
            raise QueryError(422, "not_public",
                             f"{address} is a {reason} address: it has no public location")
        return Target("address", [str(address)])
    if ":" in text or "/" in text:
        raise QueryError(400, "malformed_address", f"{text!r} is not a valid IPv4 or IPv6 address")
    name = _normalise_name(text)
    try:
        resolved = resolve(name)
    except LookupError as exc:
        raise QueryError(404, "name_not_resolved", str(exc)) from None
    target = Target("name", [])
    for item in resolved:
        parsed = _as_address(item)
        reason = why_not_public(parsed) if parsed is not None else "unparseable"
        if reason:
            target.skipped.append({"address": item, "reason": f"{reason} address"})
        elif str(parsed) not in target.addresses:
            target.addresses.append(str(parsed))
    if not target.addresses:
        found = ", ".join(s["address"] for s in target.skipped) or "nothing"
        raise QueryError(422, "not_public",
                         f"{name} resolves only to addresses with no public location ({found})")
    return target
