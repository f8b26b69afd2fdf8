"""The client's address, for rate limits: from a trusted reverse proxy only.

`X-Forwarded-For` is whatever the client sent, with each proxy appending the address it saw. So
it is read only when the direct peer (REMOTE_ADDR) is one of settings.TRUSTED_PROXIES, and then
from the right: entries appended by our own proxies are skipped, and the first one that is not
ours is the address our outermost proxy saw — the client. Everything left of it is the client's
own say, and ignored. Daphne must not rewrite REMOTE_ADDR itself (no `--proxy-headers`: it takes
the left-most entry, which the client chooses).

Limits count per client, not per IPv6 address: anyone on IPv6 holds a /64 (2^64 addresses), so
an IPv6 client is its /64 network.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

IPv4or6 = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(trusted: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in trusted if entry)


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(settings.TRUSTED_PROXIES))


def parse(value: str) -> IPv4or6 | None:
    """An address from a header or REMOTE_ADDR; None for anything else (a port, a name, junk)."""
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "192.0.2.1:443"
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def is_trusted(address: IPv4or6 | None) -> bool:
    return address is not None and any(address in net for net in trusted_networks())


NO_ADDRESS = "0.0.0.0"  # no address at all: still an address (django-axes stores it as one)


def client_ip(request: HttpRequest) -> str:
    """The client's IP address as text (for django-axes and logs): see the module's docstring.
    No REMOTE_ADDR at all means Daphne listens on a UNIX socket: the peer is the local proxy."""
    peer_text = request.META.get("REMOTE_ADDR", "") or ""
    peer = parse(peer_text)
    if peer_text and not is_trusted(peer):
        return str(peer) if peer is not None else NO_ADDRESS
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        address = parse(hop)
        if address is None:
            # Our proxies append only addresses: junk here came from the client side. Count on
            # the last proxy we trust rather than on what the client wrote.
            break
        if not is_trusted(address):
            return str(address)
        peer = address
    return str(peer) if peer is not None else NO_ADDRESS


def client_key(request: HttpRequest) -> str:
    """Who a limit counts: the client's IPv4 address, or the /64 network of its IPv6 address."""
    address = parse(client_ip(request))
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address) if address is not None else NO_ADDRESS
