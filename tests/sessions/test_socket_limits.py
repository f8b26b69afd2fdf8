"""The room's socket stays push-only: a flood of frames closes it, one person holds at most a few
sockets per room (the oldest closed first), and a removed guest's socket closes."""

import pytest
from asgiref.sync import sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.conf import settings

from sessions_app import access, joining, live, sockets
from sessions_app.models import RoomMember
from sessions_app.routing import websocket_urlpatterns

from .test_consumer import connect, receive_until

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.asyncio,
    pytest.mark.usefixtures("orm_thread_closed", "in_memory_layer"),
]


@pytest.fixture
def roddel_room(meeting, members, case):
    from .conftest import open_room_for

    return open_room_for(meeting, members, case=case)


async def closed_with(comm, code: int, attempts: int = 10) -> None:
    for _ in range(attempts):
        output = await comm.receive_output(timeout=3)
        if output["type"] == "websocket.close":
            assert output.get("code") == code, output
            return
    raise AssertionError(f"not closed with {code}")


async def test_a_flood_of_frames_closes_that_socket_only(roddel_room, members):
    flooder = connect(roddel_room.pk, members[2])
    await flooder.connect()
    other = connect(roddel_room.pk, members[3])
    await other.connect()
    for _ in range(sockets.FLOOD_FRAMES - 1):
        await flooder.send_to(text_data='{"command": "next"}')
    # A few stray frames are ignored: still open, and still pushed to.
    await sync_to_async(live.push)(roddel_room.pk, live.TIMER_CHANGE)
    await receive_until(flooder, 'id="room-timer"')
    await flooder.send_to(text_data="again")
    await closed_with(flooder, sockets.CLOSE_FLOOD)
    await sync_to_async(live.push)(roddel_room.pk, live.TIMER_CHANGE)
    await receive_until(other, 'id="room-timer"')
    await flooder.disconnect()
    await other.disconnect()


async def test_a_person_holds_at_most_five_sockets_the_oldest_closed_first(roddel_room, members):
    tabs = []
    for _ in range(settings.ROOM_SOCKETS_PER_MEMBER):
        tab = connect(roddel_room.pk, members[2])
        assert (await tab.connect())[0]
        await tab.receive_from(timeout=3)
        tabs.append(tab)
    sixth = connect(roddel_room.pk, members[2])
    await sixth.connect()
    await closed_with(tabs[0], sockets.CLOSE_REPLACED)
    await tabs[0].disconnect()
    await sync_to_async(live.push)(roddel_room.pk, live.TIMER_CHANGE)
    for tab in [*tabs[1:], sixth]:
        await receive_until(tab, 'id="room-timer"')
        await tab.disconnect()
    member = await RoomMember.objects.aget(room=roddel_room, user=members[2])
    assert member.connections == 0


class _GuestScope:
    def __init__(self, app, token: str, room_id):
        self.app, self.session = app, {access.GUEST_SESSION_KEY: {str(room_id): token}}

    async def __call__(self, scope, receive, send):
        from django.contrib.auth.models import AnonymousUser

        scope = {**scope, "user": AnonymousUser(), "session": self.session}
        return await self.app(scope, receive, send)


async def test_a_removed_guests_socket_closes(roddel_room, members, group):
    group.allow_guests = True
    await group.asave()
    guest = await RoomMember.objects.acreate(
        room=roddel_room, guest_name="Gijs", guest_token="t" * 40, audience="guest"
    )
    app = _GuestScope(URLRouter(websocket_urlpatterns), guest.guest_token, roddel_room.pk)
    phone = WebsocketCommunicator(app, f"/ws/rooms/{roddel_room.pk}/")
    assert (await phone.connect())[0]
    await phone.receive_from(timeout=3)
    await sync_to_async(joining.remove_guest)(roddel_room.pk, members[0], guest.pk)
    await closed_with(phone, sockets.CLOSE_REMOVED)
    await phone.disconnect()
