"""Outsiders see nothing of a group: no rooms, cases, summaries, logbook or calendar — not by
guessing ids or codes either. Join codes are rate-limited; only the facilitator drives."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import NoReverseMatch, reverse

from .conftest import client_for, room_state

pytestmark = pytest.mark.django_db

SECRET = "Teamleider aanspreken"  # the case title: must never reach an outsider


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None  # a route that does not exist (yet) has nothing to leak


def group_and_case_urls(room, case) -> list[str]:
    group = room.meeting.group
    urls = [
        _url("rooms:room", room.pk),
        _url("rooms:mine", room.pk),
        _url("groups:meeting_ics", room.meeting.pk),
        _url("groups:detail", group.pk),
        _url("groups:logbook", group.pk),
        _url("groups:logbook_csv", group.pk),
        _url("groups:logbook_md", group.pk),
        _url("groups:attendance_csv", group.pk),
        _url("cases:detail", case.pk),
        _url("cases:edit", case.pk),
        _url("cases:summary", case.pk),
        _url("cases:summary_pdf", case.pk),
        _url("cases:summary_md", case.pk),
        _url("cases:follow_up_panel", case.pk),
    ]
    return [u for u in urls if u]


def test_an_outsider_sees_none_of_the_groups_pages(running_room, case, outsider):
    olaf = client_for(outsider)
    for url in group_and_case_urls(running_room, case):
        response = olaf.get(url)
        # Refused, or (for panels every phone polls) an empty answer.
        assert response.status_code in (403, 404) or not response.content.strip(), url
        assert SECRET not in response.content.decode(), url


def test_an_anonymous_visitor_is_sent_to_log_in_or_refused(running_room, case):
    for url in group_and_case_urls(running_room, case):
        response = Client().get(url)
        assert response.status_code in (302, 403, 404) or not response.content.strip(), url
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"], url
        assert SECRET not in response.content.decode(), url


def test_guessed_ids_find_nothing(running_room, outsider):
    import uuid

    olaf = client_for(outsider)
    for name in ("rooms:room", "cases:detail", "cases:summary", "groups:logbook"):
        url = _url(name, uuid.uuid4())
        if url:
            assert olaf.get(url).status_code == 404, name


def test_the_calendar_feed_needs_the_exact_token(running_room):
    group = running_room.meeting.group
    assert Client().get(reverse("groups:ical", args=[group.ical_token])).status_code == 200
    for token in ("", "x", group.ical_token[:-1], group.ical_token + "x", group.ical_token.upper()):
        if token == group.ical_token:
            continue
        url = f"/groups/{token}/calendar.ics"
        assert Client().get(url).status_code == 404, token


def test_an_outsider_cannot_join_with_the_code_nor_open_the_socket_page(running_room, outsider):
    olaf = client_for(outsider)
    response = olaf.get(reverse("rooms:join_code", args=[running_room.join_code]))
    assert response.status_code == 403
    assert not running_room.members.filter(user=outsider).exists()


def test_an_outsider_cannot_send_anything_into_the_room(running_room, outsider):
    before = room_state(running_room.pk)
    olaf = client_for(outsider)
    for url, data in [
        (
            reverse("rooms:command", args=[running_room.pk, "next"]),
            {"revision": before["revision"]},
        ),
        (reverse("rooms:storing", args=[running_room.pk]), {"text": "hoi"}),
        (reverse("rooms:ready", args=[running_room.pk]), {"step_run": before["step_run"]}),
        (reverse("rooms:act", args=[running_room.pk, "ask"]), {"step_run": before["step_run"]}),
        (reverse("rooms:notes", args=[running_room.pk]), {"notes": "hoi"}),
    ]:
        assert olaf.post(url, data).status_code in (403, 404), url
    assert room_state(running_room.pk) == before


def test_only_the_facilitator_drives_the_room(running_room, members):
    before = room_state(running_room.pk)
    for user in members[1:]:
        response = client_for(user).post(
            reverse("rooms:command", args=[running_room.pk, "next"]),
            {"revision": before["revision"]},
        )
        assert response.status_code == 403
    assert room_state(running_room.pk) == before


def test_guessing_join_codes_is_rate_limited_per_client(running_room):
    limit, _window = settings.RATE_LIMITS["join.wrong.address"]
    guesser = Client(REMOTE_ADDR="203.0.113.7")
    statuses = [
        guesser.get(reverse("rooms:join_code", args=["ZZZZZ9"])).status_code for _ in range(limit)
    ]
    assert set(statuses) == {404}
    assert guesser.get(reverse("rooms:join_code", args=["ZZZZZ9"])).status_code == 429
    # Even the right code is refused while the limit holds (a guesser must not learn it is right)…
    right = guesser.get(reverse("rooms:join_code", args=[running_room.join_code]))
    assert right.status_code == 429
    # …but only for that client.
    other = Client(REMOTE_ADDR="198.51.100.9")
    assert other.get(reverse("rooms:join_code", args=["ZZZZZ9"])).status_code == 404
