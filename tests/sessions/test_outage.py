"""The database away: pages, htmx requests and sockets answer "even geduld" (503, Retry-After)
at once instead of an error page; phones keep their screen with a notice and get a fresh snapshot
as soon as it is back; a command is applied whole or not at all."""

import pytest
from asgiref.sync import sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.db.utils import OperationalError

from common import availability
from sessions_app import outage, presence, services
from sessions_app.models import Room, RoomMember, StepRun
from sessions_app.outage import WebsocketOutageGuard
from sessions_app.routing import websocket_urlpatterns
from tests.sessions.test_consumer import _UserScope, receive_until

from .conftest import open_room_for

pytestmark = pytest.mark.django_db(transaction=True)

EVEN_GEDULD = "Even geduld"
NOT_SAVED = "Wat je net deed is niet opgeslagen"


class Database:
    """What the availability probe finds; `down()` also closes the gate, as a failed query does."""

    def __init__(self, monkeypatch):
        self.there = True
        monkeypatch.setattr(availability, "probe", lambda: self.there)
        monkeypatch.setattr(availability, "PROBE_INTERVAL", 0.0)

    def down(self) -> None:
        self.there = False
        availability.report(OperationalError("connection refused"))
        assert not availability.available()

    def back(self) -> None:
        self.there = True


@pytest.fixture
def database(monkeypatch):
    availability.reset()
    yield Database(monkeypatch)
    availability.reset()
    if outage._watch is not None:
        outage._watch.cancel()


@pytest.fixture
def running_room(meeting, members, case, client, in_memory_layer):
    room = open_room_for(meeting, members[:4], case=case)
    services.run_command(room.pk, members[0], "start", room.revision)
    client.force_login(members[0])
    return Room.objects.get(pk=room.pk)


def test_the_room_page_says_even_geduld_with_503_and_retry_after(running_room, client, database):
    database.down()
    response = client.get(f"/r/{running_room.pk}/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(availability.RETRY_AFTER)
    page = response.content.decode()
    assert EVEN_GEDULD in page and 'http-equiv="refresh"' in page
    assert "Traceback" not in page and "Server Error" not in page


def test_the_page_speaks_english_to_an_english_browser(running_room, client, database):
    database.down()
    response = client.get(f"/r/{running_room.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert "One moment please" in response.content.decode()


def test_a_button_pressed_meanwhile_gets_the_notice_and_changes_nothing(
    running_room, client, database
):
    database.down()
    response = client.post(
        f"/r/{running_room.pk}/do/next/", {"revision": running_room.revision}, HTTP_HX_REQUEST="1"
    )
    assert response.status_code == 503
    notice = response.content.decode()
    assert 'id="db-notice"' in notice and 'hx-swap-oob="true"' in notice
    assert EVEN_GEDULD in notice and NOT_SAVED in notice
    database.back()
    assert Room.objects.get(pk=running_room.pk).revision == running_room.revision


def test_once_the_database_answers_again_the_next_request_goes_through(
    running_room, client, database
):
    database.down()
    assert client.get(f"/r/{running_room.pk}/").status_code == 503
    database.back()
    assert client.get(f"/r/{running_room.pk}/").status_code == 200


def test_an_outage_met_inside_a_command_is_503_and_the_command_is_not_half_applied(
    running_room, client, database, monkeypatch
):
    """The step run of the new step is written, then the connection dies: the transaction rolls
    back, the room stays where it was, and the facilitator gets the notice, not an error page."""
    original = StepRun.objects.create

    def create_then_die(**fields):
        original(**fields)
        database.there = False
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(StepRun.objects, "create", create_then_die)
    runs = StepRun.objects.filter(room=running_room).count()
    response = client.post(
        f"/r/{running_room.pk}/do/next/", {"revision": running_room.revision}, HTTP_HX_REQUEST="1"
    )
    assert response.status_code == 503 and NOT_SAVED in response.content.decode()
    assert not availability.available()  # the probe found it away: the gate is closed
    database.back()
    room = Room.objects.get(pk=running_room.pk)
    assert room.revision == running_room.revision and room.step_id == running_room.step_id
    assert StepRun.objects.filter(room=running_room).count() == runs


def test_a_deadlock_is_503_too_but_does_not_close_the_gate(running_room, client, database):
    """An OperationalError with the database there (a deadlock, a lock timeout): worth a retry,
    no reason to turn everyone away."""
    from unittest import mock

    with mock.patch.object(services, "run_command", side_effect=OperationalError("deadlock")):
        response = client.post(
            f"/r/{running_room.pk}/do/next/",
            {"revision": running_room.revision},
            HTTP_HX_REQUEST="1",
        )
    assert response.status_code == 503
    assert availability.available()


# ---- Sockets ----------------------------------------------------------------------------------


def connect(room_id, user) -> WebsocketCommunicator:
    """The socket behind the outage guard, as asgi.py stacks it (the guard sits in front of the
    session and user lookups)."""
    app = WebsocketOutageGuard(_UserScope(URLRouter(websocket_urlpatterns), user))
    return WebsocketCommunicator(app, f"/ws/rooms/{room_id}/")


@pytest.mark.asyncio
@pytest.mark.usefixtures("orm_thread_closed")
async def test_a_phone_connecting_meanwhile_gets_the_notice_and_1013(
    running_room, members, database
):
    database.down()
    comm = connect(running_room.pk, members[2])
    connected, _ = await comm.connect()
    assert connected
    assert EVEN_GEDULD in await comm.receive_from(timeout=3)
    assert await comm.receive_output(timeout=3) == {
        "type": "websocket.close",
        "code": outage.CLOSE_TRY_AGAIN,
    }
    await comm.disconnect()


@pytest.mark.asyncio
@pytest.mark.usefixtures("orm_thread_closed")
async def test_an_open_phone_keeps_its_screen_gets_the_notice_and_then_a_fresh_snapshot(
    running_room, members, database
):
    comm = connect(running_room.pk, members[2])
    await comm.connect()
    await receive_until(comm, 'id="room-meta"')
    await sync_to_async(database.down)()
    notice = await receive_until(comm, 'id="db-notice"')
    assert EVEN_GEDULD in notice and 'id="room-step"' not in notice  # the screen stays as it is

    database.back()
    snapshot = await receive_until(comm, 'id="room-step"', attempts=20)  # not a presence push
    assert 'id="room-meta"' in snapshot and 'id="room-timer"' in snapshot
    await comm.disconnect()


@pytest.mark.asyncio
@pytest.mark.usefixtures("orm_thread_closed")
async def test_a_phone_that_leaves_meanwhile_is_counted_out_once_the_database_is_back(
    running_room, members, database
):
    comm = connect(running_room.pk, members[2])
    await comm.connect()
    await receive_until(comm, 'id="room-meta"')
    member = await RoomMember.objects.aget(room=running_room, user=members[2])
    assert member.connections == 1
    await sync_to_async(database.down)()
    await comm.disconnect()  # nothing written: the database is away
    database.back()
    await sync_to_async(presence.beat)()
    member = await RoomMember.objects.aget(pk=member.pk)
    assert member.connections == 0
