"""Hostile HTTP commands — wrong types, huge revisions, missing fields, unknown commands, the
wrong sender — get a 4xx with a message for the person, and the room stays as it was."""

import re

import pytest
from django.urls import reverse

from .conftest import client_for, room_state

pytestmark = pytest.mark.django_db

TOAST = re.compile(r'id="toast"[^>]*>([^<]+)<')


def message_of(response) -> str:
    body = response.content.decode()
    match = TOAST.search(body)
    return (match.group(1) if match else body).strip()


def command(client, room, name: str, data: dict):
    return client.post(reverse("rooms:command", args=[room.pk, name]), data)


@pytest.mark.parametrize(
    "data",
    [
        {},  # no revision at all
        {"revision": ""},
        {"revision": "abc"},
        {"revision": "1.5"},
        {"revision": "-1"},
        {"revision": "0x10"},
        {"revision": "9" * 400},  # larger than any integer column
        {"revision": ["2", "3"]},
        {"revision": "2e0"},
        {"revision": "<script>alert(1)</script>"},
    ],
)
def test_a_next_with_a_broken_revision_is_refused(running_room, members, data):
    before = room_state(running_room.pk)
    response = command(client_for(members[0]), running_room, "next", data)
    assert 400 <= response.status_code < 500
    assert message_of(response)
    assert room_state(running_room.pk) == before


@pytest.mark.parametrize("name", ["explode", "delete", "__init__", "x" * 300, "start"])
def test_unknown_or_out_of_order_commands_are_refused(running_room, members, name):
    before = room_state(running_room.pk)
    response = command(client_for(members[0]), running_room, name, {"revision": before["revision"]})
    assert 400 <= response.status_code < 500
    assert message_of(response)
    assert room_state(running_room.pk) == before


def test_a_participant_cannot_drive_the_room(running_room, members):
    before = room_state(running_room.pk)
    for name in ("next", "back", "pause", "add_minute", "end"):
        response = command(
            client_for(members[3]), running_room, name, {"revision": before["revision"]}
        )
        assert response.status_code == 403
        assert "facilitator" in response.content.decode().lower()
    assert room_state(running_room.pk) == before


def test_a_replayed_next_is_refused_once_the_room_moved_on(running_room, members):
    anna = client_for(members[0])
    revision = room_state(running_room.pk)["revision"]
    assert command(anna, running_room, "next", {"revision": revision}).status_code == 204
    moved = room_state(running_room.pk)
    replay = command(anna, running_room, "next", {"revision": revision})
    assert replay.status_code == 409 and message_of(replay)
    assert room_state(running_room.pk) == moved


@pytest.mark.parametrize(
    "url_name, data",
    [
        ("rooms:ready", {"step_run": "not-a-number"}),
        ("rooms:ready", {"step_run": "9" * 400}),
        ("rooms:ready", {}),
        ("rooms:storing", {"text": "x" * 5000}),
        ("rooms:notes", {"notes": "x" * 20000}),
    ],
)
def test_hostile_phone_posts_are_refused(running_room, members, url_name, data):
    before = room_state(running_room.pk)
    response = client_for(members[2]).post(reverse(url_name, args=[running_room.pk]), data)
    assert 400 <= response.status_code < 500
    assert message_of(response)
    assert room_state(running_room.pk) == before


@pytest.mark.parametrize("action", ["no-such-action", "ask", "add"])
def test_actions_with_missing_or_wrong_fields_are_refused(running_room, members, action):
    before = room_state(running_room.pk)
    url = reverse("rooms:act", args=[running_room.pk, action])
    for data in ({}, {"step_run": "abc"}, {"step_run": before["step_run"], "text": ["a", "b"]}):
        response = client_for(members[2]).post(url, data)
        assert 400 <= response.status_code < 500, (data, response.status_code)
        assert message_of(response)
    assert room_state(running_room.pk) == before
