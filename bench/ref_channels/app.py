"""The bare consumer and its trigger: a pre-rendered fragment of BENCH_SIZE bytes per push."""

import os

from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

SIZE = int(os.environ.get("BENCH_SIZE", "6000"))


def fragment(seq: int, size: int = SIZE, part: str = "room-step") -> str:
    head = (
        f'<div id="room-meta" hx-swap-oob="true" hidden data-seq="{seq}" data-revision="{seq}">'
        f'</div><section id="{part}" hx-swap-oob="true" class="card step-card">'
    )
    tail = "</section>"
    return head + "x" * max(0, size - len(head) - len(tail)) + tail


class BareConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        self.group = f"room-{self.scope['url_route']['kwargs']['room']}"
        await self.accept()
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.send(text_data=fragment(0))

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def room_push(self, event: dict) -> None:
        await self.send(text_data=event["html"])


@csrf_exempt
async def trigger(request: HttpRequest, room: str) -> HttpResponse:
    """Like the facilitator's POST: one group_send of a fragment rendered once (`size` bytes, the
    part `part`: the realistic phase sends each event kind's own size, bench/realistic.py)."""
    seq = int(request.POST["seq"])
    size = int(request.POST.get("size") or SIZE)
    part = request.POST.get("part") or "room-step"
    await get_channel_layer().group_send(
        f"room-{room}", {"type": "room.push", "html": fragment(seq, size, part)}
    )
    return HttpResponse(f'<div id="room-meta" data-seq="{seq}" data-revision="{seq}"></div>')
