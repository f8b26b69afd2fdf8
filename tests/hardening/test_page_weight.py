"""The participant's page, htmx included, weighs at most 60 KB compressed (SPEC: < 60 KB)."""

import gzip
import re

import pytest
from django.urls import reverse

from .conftest import client_for

pytestmark = pytest.mark.django_db

BUDGET = 60 * 1024
ASSET = re.compile(r'<(?:script[^>]+src|link[^>]+rel="stylesheet"[^>]+href)="([^"]+)"')


def body_of(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def compressed_size(response) -> int:
    """As sent: already gzipped by GZipMiddleware/WhiteNoise, or gzipped here as a server would."""
    body = body_of(response)
    if response.get("Content-Encoding") == "gzip":
        return len(body)
    return len(gzip.compress(body, compresslevel=9))


def test_the_phone_page_with_all_its_scripts_and_styles_stays_under_60_kb(running_room, members):
    phone = client_for(members[2])
    page = phone.get(reverse("rooms:room", args=[running_room.pk]), HTTP_ACCEPT_ENCODING="gzip")
    assert page.status_code == 200
    html = gzip.decompress(page.content) if page.get("Content-Encoding") == "gzip" else page.content
    assets = ASSET.findall(html.decode())
    assert any("htmx" in a for a in assets), assets  # htmx is counted, not forgotten
    sizes = {"page": compressed_size(page)}
    for url in assets:
        response = phone.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200, url
        sizes[url] = compressed_size(response)
    total = sum(sizes.values())
    print(f"participant page: {total} bytes compressed: {sizes}")
    assert total <= BUDGET, f"{total} bytes compressed: {sizes}"
