"""The member's pages: "My data" and the privacy statement, in Dutch and English."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import Meeting
from sessions_app.models import RoomMember
from sessions_app.opening import open_room
from tests.conftest import ensure_method_library

pytestmark = pytest.mark.django_db


def get(client, url: str, language: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_my_data_lists_every_kind_with_counts_and_links(history, members, client):
    client.force_login(members[0])
    html = get(client, reverse("privacy:my_data"), "nl")
    assert "<h1>Mijn gegevens</h1>" in html
    for key in (
        "account",
        "memberships",
        "attendance",
        "roles",
        "cases",
        "questions",
        "board_items",
        "evaluations",
        "rooms",
        "facilitated",
    ):
        assert f'data-section="{key}"' in html, key
    assert 'data-count="cases">1<' in html  # Anna's one case
    assert 'data-count="attendance">2<' in html
    assert reverse("cases:detail", args=[history.anna_case.pk]) in html
    assert reverse("privacy:download") in html and reverse("privacy:erase") in html
    assert "ANNA-PRIVATE-NOTE" in html  # her own
    assert "BRAM-Q1" not in html and "BRAM-PRIVATE-NOTE" not in html


def test_my_data_in_english(history, members, client):
    client.force_login(members[0])
    html = get(client, reverse("privacy:my_data"), "en")
    assert "<h1>My data</h1>" in html and "Your questions" in html
    assert "Download all my data (ZIP)" in html


def test_every_section_has_a_heading_and_the_page_one_h1(history, members, client):
    client.force_login(members[1])
    html = get(client, reverse("privacy:my_data"), "nl")
    assert html.count("<h1") == 1
    sections = re.findall(r'<section class="card" id="data-(\w+)" aria-labelledby="title-\1"', html)
    assert len(sections) == len(re.findall(r'<h2 id="title-', html)) >= 10


def test_my_data_asks_for_a_login(client):
    response = client.get(reverse("privacy:my_data"))
    assert response.status_code == 302


def test_the_erase_page_has_a_labelled_password_field(members, client, group):
    client.force_login(members[2])
    html = get(client, reverse("privacy:erase"), "nl")
    assert '<label for="id_password">Je wachtwoord</label>' in html
    assert "oud-lid" in html


def test_the_footer_and_the_join_page_link_the_privacy_statement(client):
    for url in (reverse("rooms:join"), reverse("login")):
        assert reverse("privacy_statement") in get(client, url, "nl")


def test_the_statement_follows_each_groups_settings(members, group, client):
    group.case_retention_days = 90
    group.allow_guests = True
    group.save()
    client.force_login(members[0])
    nl = get(client, reverse("privacy_statement"), "nl")
    assert "<h1>Privacyverklaring</h1>" in nl
    assert "90 dagen na de bijeenkomst" in nl
    assert "Gasten mogen met de code" in nl
    assert "De coördinator leest geen casussen" in nl
    assert "Coco Coördinator" in nl
    en = get(client, reverse("privacy_statement"), "en")
    assert "removed 90 days after the meeting" in en
    group.case_retention_days = None
    group.coordinator_may_read_cases = True
    group.save()
    nl = get(client, reverse("privacy_statement"), "nl")
    assert "geen bewaartermijn" in nl and "staat de coördinator toe" in nl


def test_the_statement_without_login_names_no_group(group, client):
    html = get(client, reverse("privacy_statement"), "nl")
    assert group.name not in html and "Wat wordt bewaard" in html


@pytest.fixture
def guest_room(group, members):
    ensure_method_library()
    from methods.models import Method

    group.allow_guests = True
    group.case_retention_days = 30
    group.save()
    meeting = Meeting.objects.create(group=group, starts_at=timezone.now() + timedelta(hours=1))
    return open_room(
        meeting,
        {
            "present": list(members),
            "method": Method.objects.get(slug="roddelmodel"),
            "case": None,
            "facilitator": members[0],
            "inbrenger": None,
            "note_taker": None,
            "timekeeper": None,
            "observers": [],
        },
    )


def test_a_guest_reads_the_groups_statement_and_removes_their_name(guest_room, client):
    code = guest_room.join_code
    page = get(client, reverse("rooms:guest", args=[code]), "nl")
    assert reverse("rooms:guest_privacy", args=[code]) in page
    client.post(reverse("rooms:guest", args=[code]), {"name": "Gijs Gast"})
    statement = get(client, reverse("rooms:guest_privacy", args=[code]), "nl")
    assert "30 dagen" in statement and "Gijs Gast" in statement
    client.post(reverse("rooms:forget_guest", args=[code]))
    guest = RoomMember.objects.get(room=guest_room, user__isnull=True)
    assert guest.guest_name == "" and guest.guest_token == ""
    assert client.get(reverse("rooms:room", args=[guest_room.pk])).status_code != 200


def test_no_statement_for_a_code_that_opens_nothing(client, guest_room):
    assert client.get(reverse("rooms:guest_privacy", args=["ZZZZZZ"])).status_code == 404
