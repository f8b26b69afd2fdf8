"""The room's websocket, push-only.

It checks access, joins the audience's group, sends a full snapshot from the database, then
forwards pre-rendered fragments: no ORM work per forwarded event.
"""

import asyncio
import contextlib
import logging
import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.utils import translation

from common import availability

from . import access, delivery, leaving, live, online, outage, presence, sockets
from .models import Audience, Room, RoomMember

CLOSE_FORBIDDEN = 4403
logger = logging.getLogger(__name__)


def in_pool(func):
    """A consumer's database work, on the event loop's pool of threads. Channels' default runs
    every consumer's database calls on one shared thread, one after the other: with PostgreSQL
    the network waits of a reconnect surge then add up (bench/README.md). Each function here is
    self-contained (its own queries, connections from the pool or kept per thread for SQLite)."""
    return database_sync_to_async(func, thread_sensitive=False)


def _join(room_id, user, session, language: str) -> tuple[int, str, int, object, object] | None:
    """The member behind a socket (their pk and audience), the room's seq, its group and the
    socket's id, counted as open (presence.connected); None for someone who may not be in the
    room (a stranger, or someone who left the group)."""
    found = _find(room_id, user, session)
    if found is None:
        return None
    return *found, presence.connected(found[0], language=language)


def _find(room_id, user, session) -> tuple[int, str, int, object] | None:
    if getattr(user, "is_authenticated", False):
        # The common (re)connect: someone who is in the room already and still in its group. One
        # light query instead of reading room, meeting and group; late joiners and guests take
        # the full check below.
        row = (
            RoomMember.objects.filter(room_id=room_id, user=user, **access.still_member(user))
            .values_list("pk", "audience", "room__seq", "room__meeting__group_id")
            .first()
        )
        if row is not None:
            return row
    member = access.member_for_scope(room_id, user, session)
    if member is None:
        return None
    return member.pk, member.audience, member.room.seq, member.room.meeting.group_id


def _room_seq(room_id) -> int:
    return Room.objects.filter(pk=room_id).values_list("seq", flat=True).get()


# After a server restart the phones of a room reconnect within seconds of each other and every
# snapshot would read and render the same room again. A state read less than SNAPSHOT_REUSE
# seconds ago is reused while the room's seq (read with the member, and growing with every change
# a phone can see) is unchanged, and so are the fragments rendered from it for an audience and
# language; only the person's own parts are rendered per phone. Not for the facilitator:
# storingen come and go without a seq bump. Who is online may lag in a reused state; the
# coalesced presence push below follows within PRESENCE_WINDOW.
SNAPSHOT_REUSE = 5.0  # seconds
_recent_states: dict[str, tuple[float, live.RoomState]] = {}


def _state_for_snapshot(room_id, audience: str, seq: int) -> live.RoomState:
    key = str(room_id)
    recent = _recent_states.get(key)
    if (
        audience != Audience.FACILITATOR
        and recent is not None
        and time.monotonic() - recent[0] < SNAPSHOT_REUSE
        and recent[1].room.seq == seq
    ):
        return recent[1]
    state = live.load_state(room_id)
    if len(_recent_states) > 1_000:
        _recent_states.clear()
    _recent_states[key] = (time.monotonic(), state)
    return state


def _snapshot(room_id, member_id: int, audience: str, language: str, seq: int) -> str:
    state = _state_for_snapshot(room_id, audience, seq)
    member = next((m for m in state.members if m.pk == member_id), None)
    if member is None:  # joined after that state was read
        state = live.load_state(room_id)
        member = next(m for m in state.members if m.pk == member_id)
    with translation.override(language):
        if member.audience == Audience.FACILITATOR:
            return live.render_parts(state, member.audience, live.EVERYTHING, member=member)
        key = (member.audience, language)
        if key not in state.rendered:  # kept with the state: a new read renders anew
            state.rendered[key] = live.render_parts(
                state, member.audience, live.EVERYTHING - live.OWN_PARTS
            )
        own = live.render_parts(state, member.audience, live.OWN_PARTS, member=member, meta=False)
        return state.rendered[key] + own


# Presence pushes, coalesced per room (in this process). After a server restart every phone of a
# room reconnects within a few seconds; a presence push per connect would render and send the
# room's presence once per phone, on the one thread that also serves the snapshots. So: a room
# that was quiet for PRESENCE_WINDOW gets its push at once; further changes within the window
# share one push at its end, which reads the counts as they are then.
PRESENCE_WINDOW = 2.0  # seconds
_presence_last: dict[str, float] = {}
_presence_later: dict[str, asyncio.Task] = {}


async def presence_changed(room_id) -> None:
    online.schedule_settle(room_id)  # online meetings: skip whoever stays away (roll.py)
    key = str(room_id)
    if key in _presence_later:
        return  # the push at the end of the window will show this change too
    wait = _presence_last.get(key, float("-inf")) + PRESENCE_WINDOW - time.monotonic()
    if wait > 0:
        _presence_later[key] = asyncio.create_task(_push_presence_later(room_id, wait))
        return
    if len(_presence_last) > 10_000:
        _presence_last.clear()  # forget long-gone rooms; worst case one extra push
    _presence_last[key] = time.monotonic()
    await _push_presence(room_id)


async def _push_presence(room_id) -> None:
    if outage.database_away():
        return  # nothing to read it from; the resync after the outage shows who is here
    try:
        await in_pool(live.push)(room_id, live.PRESENCE_CHANGE)
    except Exception as error:
        if not availability.is_outage(error):
            raise
        await in_pool(availability.report)(error)


async def _push_presence_later(room_id, wait: float) -> None:
    key = str(room_id)
    try:
        await asyncio.sleep(wait)
    finally:
        _presence_later.pop(key, None)
    _presence_last[key] = time.monotonic()
    await _push_presence(room_id)


# The heartbeat of this process (sessions_app/presence.py), started by the first socket.
_heartbeat: asyncio.Task | None = None


def start_heartbeat() -> None:
    global _heartbeat
    if settings.PRESENCE_HEARTBEAT <= 0:
        return
    loop = asyncio.get_running_loop()
    if _heartbeat is None or _heartbeat.done() or _heartbeat.get_loop() is not loop:
        _heartbeat = loop.create_task(_beat_forever())


async def _beat_forever() -> None:
    while True:
        rooms = set()
        try:
            if not outage.database_away():  # else the pool would hold this for its timeout
                rooms = await in_pool(presence.beat)()
        except Exception as error:  # a database hiccup: beat again next time, never stop beating
            logger.warning("presence heartbeat failed: %r", error)
            if availability.is_outage(error):
                await in_pool(availability.report)(error)  # phones get the outage notice
        for room_id in rooms:
            await presence_changed(room_id)
        await asyncio.sleep(settings.PRESENCE_HEARTBEAT)


class RoomConsumer(AsyncWebsocketConsumer):
    member_id: int | None = None
    socket_id = None
    group: str | None = None
    flood: sockets.FloodGuard | None = None
    user_group: str | None = None
    member_group: str | None = None
    group_id = None
    left = False

    async def connect(self) -> None:
        self.room_id = self.scope["url_route"]["kwargs"]["room_id"]
        # Accept first, then close with a reason: a refusal before accept() looks like a network
        # error to the browser, which would retry forever.
        await self.accept()
        self.language = live.language_from_scope(self.scope)
        user = self.scope.get("user")
        if getattr(user, "is_authenticated", False):
            # Listen for "you left the group" before checking access, so that a membership
            # ending in between still reaches this socket (sessions_app/leaving.py).
            self.user_group = leaving.user_group_name(user.pk)
            await self.channel_layer.group_add(self.user_group, self.channel_name)
        joined = await in_pool(_join)(self.room_id, user, self.scope.get("session"), self.language)
        if joined is None:
            await self._leave_groups()
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.member_id, audience, seq, self.group_id, self.socket_id = joined
        self.audience = audience
        start_heartbeat()
        # Join the group before reading the snapshot, so no change can fall between the two.
        self.group = live.group_name(self.room_id, audience, self.language)
        await self.channel_layer.group_add(self.group, self.channel_name)
        # The member's own group (sessions_app/sockets.py): any process can close these sockets.
        self.member_group = sockets.member_group(self.member_id)
        await self.channel_layer.group_add(self.member_group, self.channel_name)
        snapshot = await in_pool(_snapshot)(
            self.room_id, self.member_id, audience, self.language, seq
        )
        await self.send(text_data=snapshot)
        outage.track(self)
        await presence_changed(self.room_id)  # after the snapshot: this phone waits for nothing
        await self._close_oldest_sockets()

    async def __call__(self, scope, receive, send) -> None:
        try:
            await super().__call__(scope, receive, send)
        except Exception as error:
            # Redis went away under this socket: close it (1011), the browser reconnects and gets
            # a snapshot; disconnect() never ran, so count the socket out below. Logged by
            # delivery.py (briefly: while Redis is away every phone ends here once a second).
            if not delivery.is_layer_error(error):
                raise
            delivery.layer_failed(error)
            if outage.tracked(self):  # it was receiving: none may stay behind, deaf
                await outage.reconnect_all()
            try:
                await self.close(code=1011)  # htmx reconnects on it
            except Exception:  # plain Daphne refuses 1011 (intervisie/serve.py allows it)
                with contextlib.suppress(Exception):
                    await self.close()
        finally:
            outage.untrack(self)
            if self.socket_id is not None:
                await in_pool(presence.disconnected)(self.socket_id)  # once: a no-op if done

    async def resync(self) -> None:
        """A fresh snapshot after the database was away (outage.py)."""
        seq = await in_pool(_room_seq)(self.room_id)
        snapshot = await in_pool(_snapshot)(
            self.room_id, self.member_id, self.audience, self.language, seq
        )
        await self.send(text_data=snapshot)

    async def disconnect(self, code: int) -> None:
        outage.untrack(self)
        await self._leave_groups()
        if self.socket_id is not None:
            await in_pool(presence.disconnected)(self.socket_id)
            await presence_changed(self.room_id)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        # Commands travel as HTTP posts (CSRF, permissions, revisions); this socket only pushes.
        # Frames are ignored without a reply (a reply per frame lets anyone make us send), and a
        # stream of them closes the socket.
        self.flood = self.flood or sockets.FloodGuard()
        if self.flood.flooded():
            await self.close(code=sockets.CLOSE_FLOOD)

    async def _close_oldest_sockets(self) -> None:
        """If this member now holds too many sockets, their oldest are closed."""
        keep = await in_pool(sockets.sockets_to_keep)(self.member_id)
        if keep:
            await self.channel_layer.group_send(
                sockets.member_group(self.member_id),
                {"type": "room.close", "keep": keep, "code": sockets.CLOSE_REPLACED},
            )

    async def room_close(self, event: dict) -> None:
        if str(self.socket_id) not in event["keep"]:
            await self.close(code=event["code"])

    async def dispatch(self, message: dict) -> None:
        # Channels runs close_old_connections on its one shared thread before every handler: for
        # a push, which touches no database, that is a thread hop per phone and per change
        # (4 % of the server's CPU at 50 rooms, bench/README.md). Pushes skip it.
        if message["type"] == "room.push":
            await self.room_push(message)
        elif message["type"] == "room.own":
            await self.room_own(message)
        else:
            await super().dispatch(message)

    async def room_push(self, event: dict) -> None:
        if not self.left:
            await self.send(text_data=event["html"])

    async def room_own(self, event: dict) -> None:
        """This person's own parts of a push (live.own_messages), rendered in the language of
        their last socket; a socket in another language fetches its own instead."""
        if not self.left:
            own = event["html"] if event["language"] == self.language else event["refresh"]
            await self.send(text_data=own)

    async def member_left(self, event: dict) -> None:
        """Their membership of this room's group ended: no further push, close at once (the
        page then reloads and says why)."""
        if event.get("group_id") != str(self.group_id):
            return
        self.left = True
        await self._leave_groups()
        await self.close(code=CLOSE_FORBIDDEN)

    async def _leave_groups(self) -> None:
        for name in (self.group, self.user_group, self.member_group):
            if name:
                await self.channel_layer.group_discard(name, self.channel_name)
        self.group = self.user_group = self.member_group = None
