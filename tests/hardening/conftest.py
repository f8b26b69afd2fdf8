"""Hostile input, escaping, limits, access and weight: a started Roddelmodel room to attack."""

import tempfile

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis.configuration import set_hypothesis_home_dir

from cases.models import Case
from sessions_app import services
from sessions_app.models import Room
from tests.sessions.conftest import open_room_for

# Hypothesis keeps caches in .hypothesis/ of the working directory; not in the work tree.
set_hypothesis_home_dir(tempfile.mkdtemp(prefix="hypothesis-"))


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def case(group, members):
    return Case.objects.create(
        group=group,
        owner=members[1],
        title="Teamleider aanspreken",
        working_question="Hoe kan ik mijn teamleider aanspreken op gemiste afspraken?",
    )


@pytest.fixture
def running_room(meeting, members, case):
    """Anna facilitates, Bram brings the case; the session runs at its first step."""
    room = open_room_for(meeting, members, case=case)
    services.run_command(room.pk, members[0], "start", 1)
    room.refresh_from_db()
    return room


def room_state(room_id) -> dict:
    """Everything a hostile request must not change."""
    room = Room.objects.get(pk=room_id)
    return {
        "status": room.status,
        "revision": room.revision,
        "seq": room.seq,
        "step": room.step_id,
        "step_run": room.step_run_id,
        "deadline": room.deadline_at,
        "paused": room.paused_remaining,
        "facilitator": room.facilitator_id,
        "storingen": room.storingen.count(),
        "questions": room.questions.count(),
        "board_items": room.board_items.count(),
    }
