"""Whose address a limit counts: X-Forwarded-For only from a trusted proxy, right-most untrusted
entry first; an IPv6 client counts as its /64."""

import pytest
from django.test import RequestFactory

from common.addresses import client_ip, client_key


def request(peer: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.fixture(autouse=True)
def behind_nginx(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1", "10.0.0.0/8"]


def test_a_direct_client_is_its_peer_whatever_it_writes(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request("203.0.113.7")) == "203.0.113.7"
    assert client_ip(request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_an_untrusted_peer_cannot_choose_its_address():
    assert client_ip(request("203.0.113.7", "1.2.3.4, 5.6.7.8")) == "203.0.113.7"


def test_behind_our_proxy_the_address_it_saw_counts():
    assert client_ip(request("127.0.0.1", "203.0.113.7")) == "203.0.113.7"


def test_what_the_client_prepends_is_ignored():
    # nginx with $proxy_add_x_forwarded_for: the client's own header, then what nginx saw.
    assert client_ip(request("127.0.0.1", "1.2.3.4, 9.9.9.9, 203.0.113.7")) == "203.0.113.7"


def test_a_chain_of_our_own_proxies_is_walked_from_the_right():
    # balancer 10.0.0.5 -> nginx on 127.0.0.1 -> Daphne
    assert client_ip(request("127.0.0.1", "1.2.3.4, 203.0.113.7, 10.0.0.5")) == "203.0.113.7"


def test_junk_in_the_header_counts_on_our_last_proxy():
    assert client_ip(request("127.0.0.1", "203.0.113.7, not-an-ip")) == "127.0.0.1"
    assert client_ip(request("127.0.0.1", "")) == "127.0.0.1"


def test_ports_and_mapped_addresses_are_understood():
    assert client_ip(request("127.0.0.1", "203.0.113.7:5123")) == "203.0.113.7"
    assert client_ip(request("127.0.0.1", "[2001:db8::1]:443")) == "2001:db8::1"
    assert client_ip(request("::ffff:203.0.113.7")) == "203.0.113.7"


def test_an_ipv6_client_is_counted_as_its_64_network():
    one = client_key(request("2001:db8:1:2::1"))
    other = client_key(request("2001:db8:1:2:ffff:ffff:ffff:ffff"))
    assert one == other == "2001:db8:1:2::/64"
    assert client_key(request("2001:db8:1:3::1")) != one
    assert client_key(request("203.0.113.7")) == "203.0.113.7"


def test_without_any_peer_address_daphne_sits_on_a_unix_socket_behind_our_proxy():
    bare = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    bare.META.pop("REMOTE_ADDR", None)
    assert client_ip(bare) == "203.0.113.7"
    bare.META.pop("HTTP_X_FORWARDED_FOR")
    assert client_ip(bare) == "0.0.0.0"  # still an address, for django-axes' table
    assert client_ip(request("not-an-address")) == "0.0.0.0"
