"""The room's websocket, push-only.

It checks access, joins the audience's group, sends a full snapshot from the database, then
forwards pre-rendered fragments: no ORM work per forwarded event.
"""

import asyncio
import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.db.models import F
from django.db.models.functions import Greatest
from django.template.loader import render_to_string

from . import access, live
from .models import RoomMember

CLOSE_FORBIDDEN = 4403


def _find(room_id, user, session) -> tuple[int, str] | None:
    member = access.member_for_scope(room_id, user, session)
    if member is None:
        return None
    RoomMember.objects.filter(pk=member.pk).update(connections=F("connections") + 1)
    return member.pk, member.audience


def _snapshot(room_id, member_id: int) -> str:
    state = live.load_state(room_id)
    member = next(m for m in state.members if m.pk == member_id)
    return live.render_parts(state, member.audience, live.EVERYTHING, member=member)


def _disconnect(room_id, member_id: int) -> None:
    RoomMember.objects.filter(pk=member_id).update(connections=Greatest(F("connections") - 1, 0))


# Presence pushes, coalesced per room (in this process). After a server restart every phone of a
# room reconnects within a few seconds; a presence push per connect would render and send the
# room's presence once per phone, on the one thread that also serves the snapshots. So: a room
# that was quiet for PRESENCE_WINDOW gets its push at once; further changes within the window
# share one push at its end, which reads the counts as they are then.
PRESENCE_WINDOW = 1.0  # seconds
_presence_last: dict[str, float] = {}
_presence_later: dict[str, asyncio.Task] = {}


async def presence_changed(room_id) -> None:
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
    await database_sync_to_async(live.push)(room_id, live.PRESENCE_CHANGE)


async def _push_presence_later(room_id, wait: float) -> None:
    key = str(room_id)
    try:
        await asyncio.sleep(wait)
    finally:
        _presence_later.pop(key, None)
    _presence_last[key] = time.monotonic()
    await database_sync_to_async(live.push)(room_id, live.PRESENCE_CHANGE)


class RoomConsumer(AsyncWebsocketConsumer):
    member_id: int | None = None
    group: str | None = None

    async def connect(self) -> None:
        self.room_id = self.scope["url_route"]["kwargs"]["room_id"]
        # Accept first, then close with a reason: a refusal before accept() looks like a network
        # error to the browser, which would retry forever.
        await self.accept()
        found = await database_sync_to_async(_find)(
            self.room_id, self.scope.get("user"), self.scope.get("session")
        )
        if found is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.member_id, audience = found
        # Join the group before reading the snapshot, so no change can fall between the two.
        self.group = live.group_name(self.room_id, audience)
        await self.channel_layer.group_add(self.group, self.channel_name)
        snapshot = await database_sync_to_async(_snapshot)(self.room_id, self.member_id)
        await self.send(text_data=snapshot)
        await presence_changed(self.room_id)  # after the snapshot: this phone waits for nothing

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)
        if self.member_id is not None:
            await database_sync_to_async(_disconnect)(self.room_id, self.member_id)
            await presence_changed(self.room_id)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        # Commands travel as HTTP posts (CSRF, permissions, revisions); this socket only pushes.
        await self.send(text_data=render_to_string(f"{live.FRAGMENTS}#ws_error"))

    async def room_push(self, event: dict) -> None:
        await self.send(text_data=event["html"])
