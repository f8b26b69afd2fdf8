"""Every aria-describedby and aria-labelledby points at an element that exists on the page, so
that help texts and labels are read out; every page has one h1; a status is never a heading."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from cases.models import Case, CaseStatus
from tests.sessions.conftest import open_room_for


class References(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str, str]] = []
        self.h1 = 0
        self.heading_depth = 0
        self.status_in_heading: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for name in ("aria-describedby", "aria-labelledby"):
            for ref in (attrs.get(name) or "").split():
                self.refs.append((tag, name, ref))
        if tag == "h1":
            self.h1 += 1
        if re.fullmatch(r"h[1-6]", tag):
            self.heading_depth += 1
        elif self.heading_depth and attrs.get("role") in ("status", "alert"):
            self.status_in_heading.append(attrs.get("id") or tag)

    def handle_endtag(self, tag) -> None:
        if re.fullmatch(r"h[1-6]", tag) and self.heading_depth:
            self.heading_depth -= 1


def check(html: str, where: str) -> None:
    page = References()
    page.feed(html)
    missing = [f"<{tag} {name}={ref!r}>" for tag, name, ref in page.refs if ref not in page.ids]
    assert not missing, f"{where}: references to nothing: {missing}"
    assert page.h1 == 1, f"{where}: {page.h1} h1 elements"
    assert not page.status_in_heading, f"{where}: a status inside a heading"


@pytest.fixture
def pages(client, group, members, meeting, coordinator):
    case = Case.objects.create(
        group=group,
        owner=members[1],
        title="Teamleider aanspreken",
        working_question="Hoe kan ik mijn teamleider aanspreken?",
        status=CaseStatus.PROPOSED,
    )
    room = open_room_for(meeting, members, case=case)
    return {
        "anonymous": [reverse("login"), reverse("rooms:join")],
        members[1]: [
            reverse("home"),
            reverse("cases:new"),
            reverse("cases:edit", args=[case.pk]),
            reverse("cases:detail", args=[case.pk]),
            reverse("groups:detail", args=[group.pk]),
            reverse("password_change"),
            reverse("rooms:room", args=[room.pk]),
        ],
        members[0]: [
            reverse("rooms:open", args=[meeting.pk]),
            reverse("rooms:room", args=[room.pk]),
        ],
        members[2]: [reverse("rooms:room", args=[room.pk])],
    }


def test_every_reference_on_every_page_exists(client, pages):
    for who, urls in pages.items():
        if who == "anonymous":
            client.logout()
        else:
            client.force_login(who)
        for url in urls:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="nl")
            if response.status_code == 302:
                response = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="nl")
            assert response.status_code == 200, url
            check(response.content.decode(), f"{who} {url}")


def test_a_help_text_is_read_with_its_field(client, members, group):
    client.force_login(members[1])
    html = client.get(reverse("cases:new"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    described = re.findall(r'aria-describedby="([^"]+)"', html)
    assert any(ref.endswith("_helptext") for refs in described for ref in refs.split())
    check(html, "case form")
