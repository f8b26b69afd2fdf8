"""Leaving the group closes that person's open sockets to the group's rooms at once, through the
channel layer (the in-memory one here, Redis when the test run has REDIS_URL: the message then
crosses processes the way it does in production)."""

import asyncio
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from cases.models import Case
from groups.leaving import end_membership
from groups.models import Group, Meeting, Membership
from sessions_app import services
from sessions_app.consumers import CLOSE_FORBIDDEN
from sessions_app.routing import websocket_urlpatterns
from tests.sessions.conftest import open_room_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.asyncio,
    pytest.mark.usefixtures("orm_thread_closed"),
]


class _UserScope:
    def __init__(self, app, user):
        self.app, self.user = app, user

    async def __call__(self, scope, receive, send):
        return await self.app({**scope, "user": self.user, "session": {}}, receive, send)


async def open_socket(room_id, user) -> WebsocketCommunicator:
    comm = WebsocketCommunicator(
        _UserScope(URLRouter(websocket_urlpatterns), user), f"/ws/rooms/{room_id}/"
    )
    connected, _ = await comm.connect()
    assert connected
    snapshot = await comm.receive_output(timeout=5)
    assert snapshot["type"] == "websocket.send", snapshot
    return comm


async def closed_within(comm, seconds: float) -> int:
    """The close code, reading past any pushes that were already on their way."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        left = deadline - asyncio.get_running_loop().time()
        output = await comm.receive_output(timeout=max(left, 0.01))
        if output["type"] == "websocket.close":
            return output["code"]


async def still_open(comm, seconds: float) -> bool:
    """No close within `seconds` (pushes such as presence may arrive meanwhile)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while (left := deadline - loop.time()) > 0:
        if await comm.receive_nothing(timeout=left):
            return True
        if (await comm.receive_output())["type"] == "websocket.close":
            return False
    return True


@pytest.fixture
def rooms(members, group, meeting):
    """Group A's room (Anna facilitates) and a room of a second group that Chantal is also in."""
    case = Case.objects.create(
        group=group, owner=members[1], title="Overdracht", working_question="Hoe kan ik…?"
    )
    room_a = open_room_for(meeting, members, case=case)
    other = Group.objects.create(name="Tweede groep")
    for user in members[2:5]:
        Membership.objects.create(group=other, user=user)
    other_meeting = Meeting.objects.create(group=other, starts_at=timezone.now() + timedelta(1))
    room_b = open_room_for(other_meeting, members[2:5])
    return room_a, room_b


async def test_leaving_closes_the_sockets_to_that_groups_rooms_only(rooms, members, group):
    room_a, room_b = rooms
    chantal, daan = members[2], members[3]
    phone = await open_socket(room_a.pk, chantal)
    laptop = await open_socket(room_a.pk, chantal)  # a second device of hers
    elsewhere = await open_socket(room_b.pk, chantal)  # her other group's room
    neighbour = await open_socket(room_a.pk, daan)

    membership = await Membership.objects.aget(group=group, user=chantal)
    await sync_to_async(end_membership)(membership)

    assert await closed_within(phone, 3) == CLOSE_FORBIDDEN
    assert await closed_within(laptop, 3) == CLOSE_FORBIDDEN
    # Pushes go on for everyone else, her other group included.
    await sync_to_async(services.run_command)(room_a.pk, members[0], "start", 1)
    assert "data-revision" in await neighbour.receive_from(timeout=5)
    assert await still_open(elsewhere, 1.0)
    for comm in (elsewhere, neighbour):
        await comm.disconnect()


async def test_after_leaving_a_reconnect_is_refused(rooms, members, group):
    room_a, _ = rooms
    chantal = members[2]
    phone = await open_socket(room_a.pk, chantal)
    await phone.disconnect()
    membership = await Membership.objects.aget(group=group, user=chantal)
    await sync_to_async(end_membership)(membership)
    comm = WebsocketCommunicator(
        _UserScope(URLRouter(websocket_urlpatterns), chantal), f"/ws/rooms/{room_a.pk}/"
    )
    await comm.connect()
    assert (await comm.receive_output(timeout=3))["code"] == CLOSE_FORBIDDEN
    await comm.disconnect()


async def test_a_deactivated_account_loses_its_sockets(rooms, members):
    room_a, room_b = rooms
    chantal = members[2]
    phones = [await open_socket(room_a.pk, chantal), await open_socket(room_b.pk, chantal)]
    chantal.is_active = False
    await sync_to_async(chantal.save)()
    for phone in phones:
        assert await closed_within(phone, 3) == CLOSE_FORBIDDEN


async def test_a_closed_socket_receives_no_further_push(rooms, members, group):
    room_a, _ = rooms
    chantal = members[2]
    phone = await open_socket(room_a.pk, chantal)
    membership = await Membership.objects.aget(group=group, user=chantal)
    await sync_to_async(end_membership)(membership)
    assert await closed_within(phone, 3) == CLOSE_FORBIDDEN
    await sync_to_async(services.run_command)(room_a.pk, members[0], "start", 1)
    assert await phone.receive_nothing(timeout=0.5)
