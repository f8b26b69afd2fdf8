"""Texts have limits, and going over one says so — with the limit — instead of failing."""

import re

import pytest
from django.urls import reverse

from sessions_app import services
from sessions_app.models import Room

from .conftest import client_for, room_state

pytestmark = pytest.mark.django_db

TOAST = re.compile(r'id="toast"[^>]*>([^<]+)<')


def toast(response) -> str:
    match = TOAST.search(response.content.decode())
    assert match, response.content.decode()[:500]
    return match.group(1)


def test_a_storing_over_200_characters_is_refused_with_the_limit(running_room, members):
    before = room_state(running_room.pk)
    response = client_for(members[2]).post(
        reverse("rooms:storing", args=[running_room.pk]), {"text": "x" * 201}
    )
    assert response.status_code == 422
    assert "200" in toast(response)
    assert room_state(running_room.pk) == before
    ok = client_for(members[2]).post(
        reverse("rooms:storing", args=[running_room.pk]), {"text": "x" * 200}
    )
    assert ok.status_code == 200


def test_private_notes_over_the_limit_are_refused_with_the_limit(running_room, members):
    response = client_for(members[1]).post(
        reverse("rooms:notes", args=[running_room.pk]), {"notes": "x" * 10001}
    )
    assert response.status_code == 422
    assert re.search(r"10[.,]?000", response.content.decode())


def test_a_question_over_500_characters_is_refused_with_the_limit(running_room, members):
    services.run_command(running_room.pk, members[0], "next", 2)  # the question round
    room = Room.objects.get(pk=running_room.pk)
    response = client_for(members[2]).post(
        reverse("rooms:act", args=[room.pk, "ask"]),
        {"step_run": room.step_run_id, "question": "Waarom " + "x" * 600 + "?"},
    )
    assert response.status_code == 422
    assert "500" in toast(response)
    assert room.questions.count() == 0


def test_a_guest_name_over_60_characters_is_refused_with_the_limit(running_room, group):
    group.allow_guests = True
    group.save()
    from django.test import Client

    response = Client().post(
        reverse("rooms:guest", args=[running_room.join_code]), {"name": "G" * 61}
    )
    assert response.status_code == 200  # the form again, with the error
    html = response.content.decode()
    assert "60" in html and "61" in html  # the limit and what was typed
    assert not running_room.members.filter(user__isnull=True).exists()


def test_an_overlong_join_code_is_refused_with_a_clear_error(db):
    from django.test import Client

    response = Client().post(reverse("rooms:join"), {"code": "A" * 500})
    assert response.status_code == 200
    html = response.content.decode()
    assert "12" in html and "500" in html  # the limit and what was typed
