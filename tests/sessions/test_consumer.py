"""The room's websocket: who may connect, what a connection receives, and that it only pushes."""

import uuid

import pytest
from asgiref.sync import sync_to_async
from channels.auth import AuthMiddlewareStack
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from sessions_app import live, services
from sessions_app.consumers import CLOSE_FORBIDDEN
from sessions_app.models import Room, RoomMember, ServerProcess, ServerSocket
from sessions_app.routing import websocket_urlpatterns

from .conftest import open_room_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.asyncio,
    pytest.mark.usefixtures("orm_thread_closed", "in_memory_layer"),
]


class _UserScope:
    """Put a user straight into the scope, as AuthMiddlewareStack would after a login."""

    def __init__(self, app, user):
        self.app, self.user = app, user

    async def __call__(self, scope, receive, send):
        return await self.app({**scope, "user": self.user, "session": {}}, receive, send)


def connect(room_id, user) -> WebsocketCommunicator:
    app = _UserScope(URLRouter(websocket_urlpatterns), user)
    return WebsocketCommunicator(app, f"/ws/rooms/{room_id}/")


@pytest.fixture
def roddel_room(meeting, members, case):
    return open_room_for(meeting, members, case=case)


async def receive_until(comm, needle: str, attempts: int = 10) -> str:
    for _ in range(attempts):
        message = await comm.receive_from(timeout=3)
        if needle in message:
            return message
    raise AssertionError(f"never received {needle!r}")


async def test_a_member_gets_a_full_snapshot_on_connect(roddel_room, members):
    comm = connect(roddel_room.pk, members[2])
    connected, _ = await comm.connect()
    assert connected
    snapshot = await comm.receive_from(timeout=3)
    for fragment in ('id="room-meta"', 'id="room-step"', 'id="room-timer"', 'id="room-presence"'):
        assert fragment in snapshot
    assert 'id="room-controls"' not in snapshot  # the facilitator's buttons are theirs alone
    await comm.disconnect()


async def test_a_non_member_is_closed_with_a_reason(roddel_room, outsider):
    comm = connect(roddel_room.pk, outsider)
    connected, _ = await comm.connect()
    assert connected  # accepted first, so the browser does not retry forever
    output = await comm.receive_output(timeout=3)
    assert output == {"type": "websocket.close", "code": CLOSE_FORBIDDEN}
    await comm.disconnect()


async def test_an_anonymous_visitor_is_closed(roddel_room):
    comm = connect(roddel_room.pk, AnonymousUser())
    await comm.connect()
    assert (await comm.receive_output(timeout=3))["code"] == CLOSE_FORBIDDEN
    await comm.disconnect()


async def test_the_full_asgi_stack_refuses_a_socket_without_login(roddel_room):
    app = AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
    comm = WebsocketCommunicator(app, f"/ws/rooms/{roddel_room.pk}/")
    await comm.connect()
    assert (await comm.receive_output(timeout=3))["code"] == CLOSE_FORBIDDEN
    await comm.disconnect()


async def test_a_step_change_reaches_every_phone(roddel_room, members):
    phones = [connect(roddel_room.pk, user) for user in members[1:4]]
    for phone in phones:
        await phone.connect()
        await phone.receive_from(timeout=3)
    await sync_to_async(services.run_command)(roddel_room.pk, members[0], "start", 1)
    for phone in phones:
        message = await receive_until(phone, "Vraag introductie")
        assert 'data-revision="2"' in message
    for phone in phones:
        await phone.disconnect()


async def test_two_next_commands_from_the_same_revision_advance_once(roddel_room, members):
    phone = connect(roddel_room.pk, members[2])
    await phone.connect()
    await phone.receive_from(timeout=3)
    await sync_to_async(services.run_command)(roddel_room.pk, members[0], "start", 1)
    await sync_to_async(services.run_command)(roddel_room.pk, members[0], "next", 2)
    with pytest.raises(services.StaleCommand):
        await sync_to_async(services.run_command)(roddel_room.pk, members[0], "next", 2)
    room = await Room.objects.select_related("step").aget(pk=roddel_room.pk)
    assert room.step.key == "probleemverkenning" and room.revision == 3
    await phone.disconnect()


async def test_a_participants_next_is_refused_and_changes_nothing(roddel_room, members):
    with pytest.raises(services.NotAllowed):
        await sync_to_async(services.run_command)(roddel_room.pk, members[3], "start", 1)
    room = await Room.objects.aget(pk=roddel_room.pk)
    assert room.status == Room.Status.LOBBY and room.revision == 1


async def test_a_reconnecting_phone_receives_the_current_state(roddel_room, members):
    await sync_to_async(services.run_command)(roddel_room.pk, members[0], "start", 1)
    await sync_to_async(services.run_command)(roddel_room.pk, members[0], "next", 2)
    await sync_to_async(services.run_command)(roddel_room.pk, members[0], "next", 3)
    phone = connect(roddel_room.pk, members[1])
    await phone.connect()
    snapshot = await phone.receive_from(timeout=3)
    assert 'data-revision="4"' in snapshot
    assert "Roddelen" in snapshot
    assert "listen-only" in snapshot  # Bram brought the case: he listens only now
    await phone.disconnect()


async def test_presence_follows_connections(roddel_room, members):
    laptop = connect(roddel_room.pk, members[0])
    await laptop.connect()
    await laptop.receive_from(timeout=3)
    phone = connect(roddel_room.pk, members[2])
    await phone.connect()
    await phone.receive_from(timeout=3)
    member = await RoomMember.objects.aget(room=roddel_room, user=members[2])
    assert member.connections == 1
    await phone.disconnect()
    member = await RoomMember.objects.aget(room=roddel_room, user=members[2])
    assert member.connections == 0
    await laptop.disconnect()


async def test_after_a_crash_nobody_stays_online_from_the_dead_process(roddel_room, members):
    """A killed server never counted its sockets out. With one process (in-memory layer) every
    other process on record is dead: the first socket of the new one counts its sockets out, so
    people who have not reconnected show offline, and a reconnect counts 1."""
    dead = await ServerProcess.objects.acreate(boot="dead" * 8, seen_at=timezone.now())
    async for member in RoomMember.objects.filter(room=roddel_room):
        await ServerSocket.objects.acreate(id=uuid.uuid4(), process=dead, member=member)
    await RoomMember.objects.filter(room=roddel_room).aupdate(connections=1)
    laptop = connect(roddel_room.pk, members[0])
    await laptop.connect()
    snapshot = await laptop.receive_from(timeout=3)
    assert "1/" in snapshot.split('id="room-presence"')[1][:600]  # only the laptop itself
    phone = connect(roddel_room.pk, members[2])
    await phone.connect()
    await phone.receive_from(timeout=3)
    member = await RoomMember.objects.aget(room=roddel_room, user=members[2])
    assert member.connections == 1 and member.online
    await phone.disconnect()
    member = await RoomMember.objects.aget(room=roddel_room, user=members[2])
    assert member.connections == 0 and not member.online
    other = await RoomMember.objects.aget(room=roddel_room, user=members[3])
    assert not other.online  # was only counted by the dead process
    assert not await ServerProcess.objects.filter(boot=dead.boot).aexists()
    await laptop.disconnect()


@pytest.mark.parametrize(
    "frame", ['{"command": "next"}', "<script>alert(1)</script>", "x" * 10000, "{}"]
)
async def test_anything_sent_to_the_push_only_socket_is_ignored_without_reply(
    roddel_room, members, frame
):
    phone = connect(roddel_room.pk, members[2])
    await phone.connect()
    await phone.receive_from(timeout=3)  # the snapshot
    await receive_until(phone, 'id="room-presence"')  # this phone coming online
    await phone.send_to(text_data=frame)
    assert await phone.receive_nothing(timeout=0.3)  # no reply, and not closed
    room = await Room.objects.aget(pk=roddel_room.pk)
    assert room.revision == 1  # nothing changed
    await phone.send_to(bytes_data=b"\x00\xff")
    assert await phone.receive_nothing(timeout=0.3)
    await sync_to_async(live.push)(roddel_room.pk, live.TIMER_CHANGE)
    await receive_until(phone, 'id="room-timer"')  # still connected, still pushed to
    await phone.disconnect()


class _ScopeWith:
    """A user plus the cookies/headers a browser would send."""

    def __init__(self, app, user, cookies=None, headers=()):
        self.app, self.user, self.cookies, self.headers = app, user, cookies or {}, list(headers)

    async def __call__(self, scope, receive, send):
        scope = {**scope, "user": self.user, "session": {}, "cookies": self.cookies}
        scope["headers"] = [*scope.get("headers", []), *self.headers]
        return await self.app(scope, receive, send)


async def test_each_phone_gets_the_room_in_its_own_language(roddel_room, members):
    english = WebsocketCommunicator(
        _ScopeWith(
            URLRouter(websocket_urlpatterns),
            members[2],
            headers=[(b"accept-language", b"en-GB,en")],
        ),
        f"/ws/rooms/{roddel_room.pk}/",
    )
    dutch = WebsocketCommunicator(
        _ScopeWith(URLRouter(websocket_urlpatterns), members[3], cookies={"django_language": "nl"}),
        f"/ws/rooms/{roddel_room.pk}/",
    )
    await english.connect()
    assert "Waiting for the start" in await english.receive_from(timeout=3)
    await dutch.connect()
    assert "Wachten op de start" in await dutch.receive_from(timeout=3)
    await sync_to_async(services.run_command)(roddel_room.pk, members[0], "start", 1)
    assert "What you do now" in await receive_until(english, "room-step")
    assert "Wat jij nu doet" in await receive_until(dutch, "room-step")
    await english.disconnect()
    await dutch.disconnect()


async def test_the_socket_knows_the_member_from_their_session_cookie(roddel_room, members):
    """intervisie.asgi reads the session and user on the thread pool (sessions_app/auth.py)."""
    from django.test import Client

    from sessions_app.auth import AuthMiddlewareStack

    client = Client()
    await sync_to_async(client.force_login)(members[2])
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    app = AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
    phone = WebsocketCommunicator(
        app, f"/ws/rooms/{roddel_room.pk}/", headers=[(b"cookie", cookie)]
    )
    connected, _ = await phone.connect()
    assert connected
    assert 'id="room-step"' in await phone.receive_from(timeout=3)
    await phone.disconnect()

    stranger = WebsocketCommunicator(app, f"/ws/rooms/{roddel_room.pk}/")
    await stranger.connect()
    assert (await stranger.receive_output(timeout=3))["code"] == CLOSE_FORBIDDEN


def connect_in(room_id, user, language: str) -> WebsocketCommunicator:
    app = _UserScope(URLRouter(websocket_urlpatterns), user)
    headers = [(b"accept-language", language.encode())]
    return WebsocketCommunicator(app, f"/ws/rooms/{room_id}/", headers=headers)


async def test_a_step_change_brings_each_phone_its_own_view_over_the_socket(roddel_room, members):
    phone = connect(roddel_room.pk, members[2])
    await phone.connect()
    await phone.receive_from(timeout=3)
    await sync_to_async(services.run_command)(roddel_room.pk, members[0], "start", 1)
    own = await receive_until(phone, 'id="my-interaction"')
    assert "/mine/" not in own  # rendered for this person: nothing left to fetch
    assert 'id="room-actions"' in own and 'data-own-seq="' in own
    assert 'id="room-meta"' not in own  # its own message, not the audience's
    await phone.disconnect()


async def test_a_second_device_in_another_language_fetches_its_own_view(roddel_room, members):
    """Own views are rendered in the language of the member's last socket; an earlier socket in
    another language is told to fetch its own (views.mine) rather than shown the wrong one."""
    dutch = connect_in(roddel_room.pk, members[2], "nl")
    await dutch.connect()
    await dutch.receive_from(timeout=3)
    english = connect_in(roddel_room.pk, members[2], "en")
    await english.connect()
    await english.receive_from(timeout=3)
    await sync_to_async(services.run_command)(roddel_room.pk, members[0], "start", 1)
    own_en = await receive_until(english, 'id="my-interaction"')
    assert "/mine/" not in own_en and "Disturbance" in own_en
    own_nl = await receive_until(dutch, 'id="my-interaction"')
    assert f'hx-get="/r/{roddel_room.pk}/mine/"' in own_nl
    for comm in (dutch, english):
        await comm.disconnect()
