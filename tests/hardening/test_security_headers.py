"""Room pages carry a Content-Security-Policy without inline scripts, and no page pulls in a
third-party asset."""

import re

import pytest
from django.urls import reverse

from .conftest import client_for

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = (d.strip().split() for d in header.split(";") if d.strip())
    return {d[0]: d[1:] for d in directives}


@pytest.mark.parametrize("who", [0, 2])  # the facilitator's laptop and a participant's phone
def test_room_pages_send_a_strict_content_security_policy(running_room, members, who):
    response = client_for(members[who]).get(reverse("rooms:room", args=[running_room.pk]))
    assert response.status_code == 200
    csp = policy(response)
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp.get("style-src", [])
    assert csp["connect-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]


@pytest.mark.parametrize("who", [0, 2])
def test_room_pages_have_no_inline_script_style_or_third_party_asset(running_room, members, who):
    html = client_for(members[who]).get(reverse("rooms:room", args=[running_room.pk])).content
    html = html.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag and "://" not in tag, tag  # no inline and no foreign scripts
    assert not re.search(r"<script\b[^>]*>\s*[^<\s]", html)  # no script body
    assert not re.search(r"\sstyle=", html)  # CSP has no 'unsafe-inline' for styles
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)  # everything self-hosted
    assert '"includeIndicatorStyles": false' in html  # htmx injects no <style>
