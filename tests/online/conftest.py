"""Online and hybrid meetings: Anna facilitates beside a video call, Bram brings the case,
Chantal, Daan, Eva and Femke take part from their laptops or phones."""

import pytest
from django.test import Client

from groups.models import MeetingMode
from sessions_app.models import RoomMember
from tests.interactions.conftest import act, go_to_step, room_for  # noqa: F401  (re-exported)
from tests.sessions.conftest import case, open_room_for  # noqa: F401

TEAMS_LINK = (
    "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjM2ZDk4YjEtYzM1Ny00ZDM0LWI2YjQtM2"
    "E0ZjY2ZTMwNjcx%40thread.v2/0?context=%7b%22Tid%22%3a%2272f988bf-86f1-41af-91ab-2d7cd011db47"
    "%22%2c%22Oid%22%3a%22a0e3c5e4-7d1b-4b8e-9d8e-6b7f1f0c2a11%22%7d&anon=true&deeplinkId=b1c2"
)


@pytest.fixture
def online_meeting(meeting):
    meeting.mode = MeetingMode.ONLINE
    meeting.video_url = TEAMS_LINK
    meeting.save()
    return meeting


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def member_of(room, user) -> RoomMember:
    return RoomMember.objects.select_related("user").get(room=room, user=user)


def connect(*members_) -> None:
    """As if these people's sockets were open (presence.connected counts them)."""
    RoomMember.objects.filter(pk__in=[m.pk for m in members_]).update(
        connections=1, offline_since=None
    )


def connect_users(room, *users) -> None:
    connect(*[member_of(room, u) for u in users])
