"""A push that fails never fails the command: the facilitator's screen moves on with the room,
a quiet notice says the phones follow, and every screen catches up once the layer is back."""

import asyncio
import contextlib
import logging
import time

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import InMemoryChannelLayer, get_channel_layer

from sessions_app import delivery, live, outage
from sessions_app.models import Audience, Room, RoomMember

from .conftest import open_room_for

# Pushes run after the commit: real transactions.
pytestmark = pytest.mark.django_db(transaction=True)

PHONES_FOLLOW = "Telefoons worden bijgewerkt zodra de verbinding terug is."
OTHERS_FOLLOW = "De andere schermen worden bijgewerkt zodra de verbinding terug is."


class FlakyLayer(InMemoryChannelLayer):
    """The in-memory layer, with Redis's bad moments: down (refused) or hung (no answer)."""

    down = False
    hung = False
    break_a_receive = False  # the next socket's read fails, as when Redis restarts under it

    async def receive(self, channel):
        while True:
            if FlakyLayer.break_a_receive:
                FlakyLayer.break_a_receive = False
                raise ConnectionError("Connection closed by server.")
            try:
                return await asyncio.wait_for(super().receive(channel), 0.05)
            except TimeoutError:
                continue

    async def group_send(self, group, message):
        if FlakyLayer.down:
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        if FlakyLayer.hung:
            await asyncio.sleep(30)
        await super().group_send(group, message)


@pytest.fixture(autouse=True)
def flaky_layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": f"{__name__}.FlakyLayer"}}
    settings.PUSH_RESEND = False  # the tests resend themselves, no thread behind their back
    FlakyLayer.down = FlakyLayer.hung = FlakyLayer.break_a_receive = False
    delivery.reset()
    outage._last_reconnect_all = float("-inf")
    yield FlakyLayer
    FlakyLayer.down = FlakyLayer.hung = FlakyLayer.break_a_receive = False
    delivery.reset()


@pytest.fixture
def running_room(meeting, members, case, client):
    room = open_room_for(meeting, members[:4], case=case)
    client.force_login(members[0])  # Anna facilitates
    response = client.post(f"/r/{room.pk}/do/start/", {"revision": room.revision})
    assert response.status_code == 204
    # Everyone's screen is connected: pushes have somewhere to go.
    RoomMember.objects.filter(room=room).update(connections=1, language="nl")
    return Room.objects.get(pk=room.pk)


def press(client, room: Room, command: str = "next"):
    return client.post(
        f"/r/{room.pk}/do/{command}/", {"revision": room.revision}, HTTP_HX_REQUEST="true"
    )


def test_next_while_the_channel_layer_is_down_moves_on_and_the_laptop_shows_it(
    running_room, client, caplog
):
    FlakyLayer.down = True
    with caplog.at_level(logging.WARNING, logger="sessions_app.delivery"):
        response = press(client, running_room)

    room = Room.objects.get(pk=running_room.pk)
    assert room.revision == running_room.revision + 1  # committed: the room moved on
    assert response.status_code == 200  # not 500, and not a 204 that leaves the laptop behind
    html = response.content.decode()
    assert f'data-revision="{room.revision}"' in html
    assert room.step.name in html and 'id="room-controls"' in html
    assert PHONES_FOLLOW in html
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert str(room.pk) in logged and f"revision {room.revision}" in logged


def test_a_hung_layer_costs_the_facilitator_at_most_the_push_timeout(
    running_room, client, settings
):
    settings.PUSH_TIMEOUT = 0.3
    FlakyLayer.hung = True
    started = time.monotonic()
    response = press(client, running_room)
    assert time.monotonic() - started < 2
    assert response.status_code == 200 and PHONES_FOLLOW in response.content.decode()


def test_once_pushes_go_out_again_commands_answer_204_without_the_notice(running_room, client):
    FlakyLayer.down = True
    press(client, running_room)
    assert delivery.failing()
    FlakyLayer.down = False
    response = press(client, Room.objects.get(pk=running_room.pk), "back")
    assert response.status_code == 204
    assert not delivery.failing()


def test_a_phone_that_acts_while_pushes_fail_is_told_the_others_follow(
    running_room, members, client
):
    client.force_login(members[2])
    FlakyLayer.down = True
    response = client.post(f"/r/{running_room.pk}/storing/", {"text": "Ik moet om 11 uur weg"})
    assert response.status_code == 200
    assert OTHERS_FOLLOW in response.content.decode()
    assert running_room.storingen.filter(text="Ik moet om 11 uur weg").exists()


def test_the_room_whose_push_failed_is_pushed_in_full_when_the_layer_is_back(
    running_room, members, client
):
    """A phone whose socket survived the outage (a hung Redis that came back) still catches up:
    the server resends the room's full state."""
    layer = get_channel_layer()
    group = live.group_name(running_room.pk, Audience.PARTICIPANT, "nl")
    async_to_sync(layer.group_add)(group, "phone-of-chantal")

    FlakyLayer.down = True
    press(client, running_room)
    assert delivery.pending_rooms() == {str(running_room.pk)}
    FlakyLayer.down = False
    assert delivery.resend_pending() == 0

    room = Room.objects.get(pk=running_room.pk)
    message = async_to_sync(layer.receive)("phone-of-chantal")
    assert f'data-seq="{room.seq}"' in message["html"]
    assert room.step.name in message["html"]
    assert not delivery.pending_rooms()


@pytest.mark.asyncio
@pytest.mark.usefixtures("orm_thread_closed")
async def test_when_redis_fails_under_one_socket_every_socket_of_the_process_reconnects(
    meeting, members, case
):
    """Redis restarted empty: a socket whose read was retried would stay open in a group that no
    longer exists, deaf to every push. So all sockets of the process reconnect (1012) and join
    anew."""
    from tests.sessions.test_consumer import connect, receive_until

    room = await sync_to_async(open_room_for)(meeting, members[:4], case=case)
    phones = [connect(room.pk, members[i]) for i in (1, 2, 3)]
    for phone in phones:
        await phone.connect()
        await receive_until(phone, 'id="room-meta"')

    FlakyLayer.break_a_receive = True
    codes = []
    for phone in phones:
        while (output := await phone.receive_output(timeout=5))["type"] != "websocket.close":
            pass
        codes.append(output["code"])
    assert codes == [1012, 1012, 1012]  # the one whose read failed too, before it ends
    assert delivery.failing()
    for phone in phones:
        with contextlib.suppress(ConnectionError):  # that one's application ended with it
            await phone.disconnect()


def test_a_push_that_cannot_read_the_room_after_the_commit_leaves_the_command_standing(
    running_room, members, monkeypatch
):
    """PostgreSQL goes away between the commit and the push's read of the room: the command
    stands, nothing is raised, and the room waits to be pushed again in full."""
    from django.db.utils import OperationalError

    from sessions_app import services

    def unreadable(*args, **kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(live, "load_state", unreadable)
    services.run_command(running_room.pk, members[0], "next", running_room.revision)
    assert Room.objects.get(pk=running_room.pk).revision == running_room.revision + 1
    assert delivery.pending_rooms() == {str(running_room.pk)}
    assert delivery.failing()
