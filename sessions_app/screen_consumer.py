"""The shared view's websocket, push-only like the room's (consumers.py): the facilitator's
beamer / shared-screen window joins the room's screen group and gets the screen's fragments."""

from channels.generic.websocket import AsyncWebsocketConsumer
from django.template.loader import render_to_string
from django.utils import translation

from . import access, consumers, live, shared_view


def _may_watch(room_id, user, session) -> bool:
    member = access.member_for_scope(room_id, user, session)
    return shared_view.may_open(member)


def _snapshot(room_id, language: str) -> str:
    state = live.load_state(room_id)
    with translation.override(language):
        return shared_view.render(state)


class ScreenConsumer(AsyncWebsocketConsumer):
    socket_id = None
    group: str | None = None

    async def connect(self) -> None:
        self.room_id = self.scope["url_route"]["kwargs"]["room_id"]
        await self.accept()  # then close with a reason (see consumers.RoomConsumer)
        self.language = live.language_from_scope(self.scope)
        allowed = await consumers.in_pool(_may_watch)(
            self.room_id, self.scope.get("user"), self.scope.get("session")
        )
        if not allowed:
            await self.close(code=consumers.CLOSE_FORBIDDEN)
            return
        consumers.start_heartbeat()
        # On record and in the group before the snapshot is read: no change falls in between.
        self.socket_id = await consumers.in_pool(shared_view.screen_opened)(
            self.room_id, self.language
        )
        self.group = shared_view.group_name(self.room_id, self.language)
        await self.channel_layer.group_add(self.group, self.channel_name)
        snapshot = await consumers.in_pool(_snapshot)(self.room_id, self.language)
        await self.send(text_data=snapshot)

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)
        if self.socket_id is not None:
            await consumers.in_pool(shared_view.screen_closed)(self.socket_id)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        await self.send(text_data=render_to_string(f"{live.FRAGMENTS}#ws_error"))

    async def dispatch(self, message: dict) -> None:
        if message["type"] == "room.push":  # no database: skip Channels' connection cleanup
            await self.send(text_data=message["html"])
        else:
            await super().dispatch(message)
