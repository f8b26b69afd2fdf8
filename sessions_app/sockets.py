"""What one room member's sockets may do, and closing them from anywhere.

Every socket of a member also sits in the member's own channel-layer group, so any process can
close them: a guest the facilitator removed, or the oldest sockets of a member who holds more
than settings.ROOM_SOCKETS_PER_MEMBER (a phone that reloads, plus a laptop and a projector, stays
well below). Counted per room member rather than per browser session: a member's sessions on
several devices are one person, and someone who signs in fifty times gets no more sockets for it.
"""

import time
from collections import deque

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings

from .models import ServerSocket

CLOSE_REMOVED = 4403  # no longer in the room: the page explains why on reload
CLOSE_REPLACED = 4409  # newer sockets of the same member took its place: the page says so
CLOSE_FLOOD = 1008  # policy violation: this socket only pushes, and the client would not stop

# Nothing legitimate arrives on the push-only socket (protocol pings never reach the consumer);
# a few stray frames are ignored, a stream of them ends the socket.
FLOOD_FRAMES = 20
FLOOD_SECONDS = 10.0


def member_group(member_id: int) -> str:
    return f"room-member-{member_id}"


def sockets_to_keep(member_id: int) -> list[str] | None:
    """The member's newest ROOM_SOCKETS_PER_MEMBER socket ids when they hold more; None when
    within."""
    most = settings.ROOM_SOCKETS_PER_MEMBER
    ids = list(
        ServerSocket.objects.filter(member_id=member_id)
        .order_by("-opened_at", "-id")
        .values_list("id", flat=True)[: most + 1]
    )
    if len(ids) <= most:
        return None
    return [str(i) for i in ids[:most]]


def close_sockets(member_id: int, keep: list[str] = (), code: int = CLOSE_REMOVED) -> None:
    """Close the member's sockets on every process, except those in `keep` (sync code)."""
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(
            member_group(member_id), {"type": "room.close", "keep": list(keep), "code": code}
        )


class FloodGuard:
    """Counts a socket's incoming frames; True once they come too fast."""

    def __init__(self, frames: int = FLOOD_FRAMES, seconds: float = FLOOD_SECONDS):
        self.frames, self.seconds = frames, seconds
        self.times: deque[float] = deque(maxlen=frames)

    def flooded(self) -> bool:
        now = time.monotonic()
        self.times.append(now)
        return len(self.times) == self.frames and now - self.times[0] <= self.seconds
