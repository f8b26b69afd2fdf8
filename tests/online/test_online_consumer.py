"""Online meetings over the websocket: the shared view's own socket, hands reaching every screen,
and people who drop out being skipped after the grace period, told to the group."""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from sessions_app import live, online, services
from sessions_app.consumers import CLOSE_FORBIDDEN
from sessions_app.interactions import ROOM
from sessions_app.models import RoomMember, ScreenSocket
from sessions_app.routing import websocket_urlpatterns

from .conftest import go_to_step, open_room_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.asyncio,
    pytest.mark.usefixtures("orm_thread_closed", "in_memory_layer"),
]


class _UserScope:
    def __init__(self, app, user):
        self.app, self.user = app, user

    async def __call__(self, scope, receive, send):
        return await self.app({**scope, "user": self.user, "session": {}}, receive, send)


def socket(room, user, screen=False) -> WebsocketCommunicator:
    path = f"/ws/rooms/{room.pk}/{'screen/' if screen else ''}"
    return WebsocketCommunicator(_UserScope(URLRouter(websocket_urlpatterns), user), path)


async def opened(room, user, screen=False) -> WebsocketCommunicator:
    comm = socket(room, user, screen)
    connected, _ = await comm.connect()
    assert connected
    await comm.receive_from(timeout=3)  # the snapshot
    return comm


async def receive_until(comm, needle: str, timeout: float = 3.0) -> str:
    async def wait():
        while True:
            message = await comm.receive_from(timeout=timeout)
            if needle in message:
                return message

    return await asyncio.wait_for(wait(), timeout)


async def member(room, user) -> RoomMember:
    return await RoomMember.objects.select_related("user").aget(room=room, user=user)


@pytest.fixture
def room(online_meeting, members, case):
    return open_room_for(online_meeting, members, case=case)


async def test_the_facilitator_opens_the_shared_view_and_gets_its_own_snapshot(room, members):
    comm = socket(room, members[0], screen=True)
    await comm.connect()
    snapshot = await comm.receive_from(timeout=3)
    assert 'id="screen-view"' in snapshot and 'id="room-timer"' in snapshot
    assert "<form" not in snapshot and 'id="room-controls"' not in snapshot
    assert await ScreenSocket.objects.filter(room=room).acount() == 1
    await comm.disconnect()
    assert await ScreenSocket.objects.filter(room=room).acount() == 0


async def test_a_participant_cannot_open_the_shared_view(room, members, outsider):
    for user in (members[2], outsider):
        comm = socket(room, user, screen=True)
        await comm.connect()
        assert (await comm.receive_output(timeout=3))["code"] == CLOSE_FORBIDDEN
        await comm.disconnect()


async def test_a_raised_hand_and_the_word_reach_every_phone_and_the_shared_view(room, members):
    screen = await opened(room, members[0], screen=True)
    laptop = await opened(room, members[0])
    phone = await opened(room, members[3])
    daan = await member(room, members[3])
    await sync_to_async(online.raise_hand)(daan, "Over de planning")
    assert "Over de planning" in await receive_until(laptop, 'data-hand="')
    message = await receive_until(phone, f'data-queue="{daan.pk}"')
    assert "Over de planning" not in message
    shown = await receive_until(screen, "data-screen-hands")
    assert "Daan Visser" in shown and "Over de planning" not in shown
    await sync_to_async(online.give_word)(room.pk, members[0], daan.pk)
    await receive_until(phone, f'data-speaker="{daan.pk}"')
    await receive_until(screen, f'data-screen-speaker="{daan.pk}"')
    for comm in (screen, laptop, phone):
        await comm.disconnect()


async def test_someone_who_leaves_while_they_have_the_word_loses_it_after_the_grace_period(
    room, members, settings
):
    settings.ROOM_DROPOUT_GRACE = 0.3
    chantal_phone = await opened(room, members[2])
    eva_phone = await opened(room, members[4])
    eva = await member(room, members[4])
    await sync_to_async(services.run_command)(room.pk, members[0], "start", 1)
    await sync_to_async(online.raise_hand)(eva)
    await sync_to_async(online.give_word)(room.pk, members[0], eva.pk)
    await receive_until(chantal_phone, f'data-speaker="{eva.pk}"')
    await eva_phone.disconnect()  # Eva's laptop loses the network
    message = await receive_until(chantal_phone, "niet meer verbonden: het woord is vrij")
    assert 'data-speaker=""' in message and "Eva Smit" in message
    await chantal_phone.disconnect()


async def test_a_participant_who_drops_out_mid_round_is_skipped_and_the_group_is_told(
    room, members, settings
):
    settings.ROOM_DROPOUT_GRACE = 0.3
    phones = {user.username: await opened(room, user) for user in members[1:6]}
    await sync_to_async(go_to_step)(room, "probleemverkenning")
    chantal = await member(room, members[2])
    daan = await member(room, members[3])
    await receive_until(phones["daan"], f'data-turn-current="{chantal.pk}"')
    await phones["chantal"].disconnect()  # mid-round, on her turn
    message = await receive_until(phones["daan"], f'data-turn-current="{daan.pk}"', timeout=4)
    assert f'data-turn-dropped="{chantal.pk}"' in message
    assert "Chantal Bakker is niet meer verbonden" in message
    for name, comm in phones.items():
        if name != "chantal":
            await comm.disconnect()


async def test_a_short_network_blip_within_the_grace_period_skips_nobody(room, members, settings):
    settings.ROOM_DROPOUT_GRACE = 1.0
    daan_phone = await opened(room, members[3])
    chantal_phone = await opened(room, members[2])
    for user in (members[4], members[5]):
        await opened(room, user)
    await sync_to_async(go_to_step)(room, "probleemverkenning")
    chantal = await member(room, members[2])
    await chantal_phone.disconnect()
    await asyncio.sleep(0.3)
    chantal_phone = await opened(room, members[2])  # back within a second
    await asyncio.sleep(1.2)  # the planned check has run
    assert await sync_to_async(online.settle)(room.pk) is None
    shown = await sync_to_async(
        lambda: live.render_parts(live.load_state(room.pk), "participant", ROOM)
    )()
    assert f'data-turn-current="{chantal.pk}"' in shown  # still Chantal's turn
    await chantal_phone.disconnect()
    await daan_phone.disconnect()
