"""The client's address, for throttling: never taken from a header the client controls.

`X-Forwarded-For` is read only when the direct peer is a trusted proxy (TRUSTED_PROXIES),
and then from the right: each trusted proxy appends the address it saw, so the right-most
address that is not a trusted proxy is the first one no trusted party vouches against.
Anything left of it may be forged by the client.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def parse(value: str) -> Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def is_trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_address(request: HttpRequest) -> str:
    """The address failures are counted against (see the module docstring)."""
    peer_text = str(request.META.get("REMOTE_ADDR", ""))
    networks = trusted_networks(tuple(settings.TRUSTED_PROXIES))
    peer = parse(peer_text)
    if peer is None or not networks or not is_trusted(peer, networks):
        return peer_text
    client = peer
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    for part in reversed(forwarded.split(",")):
        hop = parse(part)
        if hop is None:  # garbage can only come from the client: keep the last vouched hop
            break
        client = hop
        if not is_trusted(hop, networks):
            break
    return str(client)
