"""Whatever a client sends up the push-only socket — malformed, oversized, wrongly typed, out of
order — gets no reply at all (a reply per frame would let anyone make the server send), the
socket keeps working, and the room does not change. A flood of frames closes that socket."""

import json

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessions_app import consumers, live
from sessions_app.routing import websocket_urlpatterns

from .conftest import room_state

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("orm_thread_closed", "in_memory_layer"),
]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
commands = st.sampled_from(["next", "back", "start", "end", "pause", "add_minute", "💥", ""])
command_frames = st.builds(
    lambda command, revision, extra: json.dumps(
        {"command": command, "revision": revision, **extra}
    ),
    commands,
    st.one_of(st.integers(min_value=-(2**70), max_value=2**70), st.text(max_size=10), st.none()),
    st.dictionaries(
        st.sampled_from(["step_run", "branch", "HEADERS", "type"]), json_values, max_size=3
    ),
)
frames = st.one_of(
    st.text(max_size=300),  # malformed: anything at all
    st.binary(max_size=300),  # bytes where text is expected
    json_values.map(json.dumps),  # well-formed JSON of the wrong shape
    command_frames,  # commands that belong on HTTP, with stale, huge or wrongly typed revisions
    st.sampled_from(
        ["<script>alert(1)</script>", "x" * 200_000, "\x00" * 64, '{"type": "room.push"}']
    ),
)


@pytest.fixture(autouse=True)
def quiet_presence(monkeypatch):
    """No presence pushes here: whatever reaches the phone after its snapshot is a reply."""

    async def nothing(room_id) -> None:
        return None

    monkeypatch.setattr(consumers, "presence_changed", nothing)


class _UserScope:
    def __init__(self, app, user):
        self.app, self.user = app, user

    async def __call__(self, scope, receive, send):
        return await self.app({**scope, "user": self.user, "session": {}}, receive, send)


async def _receive_until(comm, needle: str, attempts: int = 10) -> str:
    for _ in range(attempts):
        message = await comm.receive_from(timeout=3)
        if needle in message:
            return message
    raise AssertionError(f"never received {needle!r}")


@settings(
    max_examples=25,
    deadline=None,
    database=None,  # no .hypothesis/ folder in the work tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batch=st.lists(frames, min_size=1, max_size=4))
def test_hostile_frames_get_no_reply_and_change_nothing(running_room, members, batch):
    before = room_state(running_room.pk)

    async def scenario() -> None:
        app = _UserScope(URLRouter(websocket_urlpatterns), members[2])
        phone = WebsocketCommunicator(app, f"/ws/rooms/{running_room.pk}/")
        connected, _ = await phone.connect()
        assert connected
        await phone.receive_from(timeout=3)  # the snapshot
        try:
            for frame in batch:
                # Raw ASGI frames: send_to() refuses an empty frame, a real client need not.
                key = "bytes" if isinstance(frame, bytes) else "text"
                await phone.send_input({"type": "websocket.receive", key: frame})
            assert await phone.receive_nothing(timeout=0.2)  # ignored: no reply, no close
            # Still usable: the next push from the room reaches this phone.
            await sync_to_async(live.push)(running_room.pk, live.TIMER_CHANGE)
            pushed = await _receive_until(phone, 'id="room-timer"')
            assert f'data-revision="{before["revision"]}"' in pushed
        finally:
            await phone.disconnect()

    async_to_sync(scenario)()
    assert room_state(running_room.pk) == before
