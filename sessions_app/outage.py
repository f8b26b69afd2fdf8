"""Phones while the database is away: they keep showing what they show, with a notice, and catch
up by themselves as soon as it is back. (And, below, when the channel layer fails under them.)

- A socket that connects while the database is away (common/availability.py) gets the notice
  and is closed with 1013 "try again later"; the browser tries again with backoff (room.js). A
  websocket handshake cannot answer 503 through Daphne, so this is the socket's "even geduld".
- Open sockets stay open. When this process finds the database away (a request, a socket or the
  presence heartbeat hit the outage) each gets the notice; while it is away this process probes
  once a PROBE_INTERVAL; when a probe succeeds each socket gets a fresh snapshot, which also
  takes the notice away.
"""

import asyncio
import contextlib
import logging
import time
import weakref

from django.template.loader import render_to_string
from django.utils import translation

from common import availability

from . import live

CLOSE_RECONNECT = 1012  # "Service Restart": htmx reconnects (after its jittered delay)
CLOSE_TRY_AGAIN = 1013  # RFC 6455 "Try Again Later": htmx's ws extension reconnects on it
# Plain Daphne (autobahn) refuses to send 1013 (intervisie/serve.py allows it): then this, on
# which room.js reloads the page after a while.
CLOSE_TRY_AGAIN_PRIVATE = 4013
RESYNC_CONCURRENCY = 4  # snapshots read at once after an outage (each one database read)
NOTICE = "includes/outage_notice.html"

logger = logging.getLogger(__name__)

_sockets: "weakref.WeakSet" = weakref.WeakSet()
_loop: asyncio.AbstractEventLoop | None = None
_watch: asyncio.Task | None = None
RECONNECT_ALL_EVERY = 10.0  # seconds
_last_reconnect_all = float("-inf")


def database_away() -> bool:
    """Known to be away, without probing (safe on the event loop)."""
    return availability.down_for() is not None


def notice(language: str) -> str:
    with translation.override(language):
        return render_to_string(NOTICE, {})


class WebsocketOutageGuard:
    """ASGI middleware for the room's websockets (auth.py). The session and the user are read
    before the consumer runs, the member and the snapshot when it connects: while the database is
    away, or when one of those reads meets the outage, the socket gets the notice and 1013 instead
    of a failed handshake (HTTP 500) or a bare error close."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "websocket":
            return await self.app(scope, receive, send)
        accepted = False

        async def sending(message: dict) -> None:
            nonlocal accepted
            accepted = accepted or message["type"] == "websocket.accept"
            await send(message)

        if database_away():
            return await turn_away(scope, receive, send, accepted=False)
        try:
            await self.app(scope, receive, sending)
        except Exception as error:
            if not availability.is_outage(error):
                raise
            await asyncio.to_thread(availability.report, error)
            await turn_away(scope, receive, send, accepted)


async def turn_away(scope, receive, send, accepted: bool) -> None:
    """The notice, then 1013: the browser keeps its screen and comes back with backoff."""
    if not accepted:
        await receive()  # the handshake's websocket.connect
        await send({"type": "websocket.accept"})
    language = live.language_from_scope(scope)
    await send({"type": "websocket.send", "text": notice(language)})
    try:
        await send({"type": "websocket.close", "code": CLOSE_TRY_AGAIN})
    except Exception:
        await send({"type": "websocket.close", "code": CLOSE_TRY_AGAIN_PRIVATE})
    _ensure_watch()


def track(consumer) -> None:
    """An open socket, to be told about an outage and brought up to date after it."""
    global _loop
    _loop = asyncio.get_running_loop()
    _sockets.add(consumer)


def untrack(consumer) -> None:
    _sockets.discard(consumer)


def tracked(consumer) -> bool:
    return consumer in _sockets


async def reconnect_all() -> None:
    """The channel layer failed under an open socket of this process (Redis restarting or away).
    A socket whose read was retried may have survived it, but not its group membership if Redis
    came back empty: every socket of this process reconnects, to join and get a snapshot anew.
    At most once a RECONNECT_ALL_EVERY: a burst of failures is one event."""
    global _last_reconnect_all
    if time.monotonic() - _last_reconnect_all < RECONNECT_ALL_EVERY:
        return
    _last_reconnect_all = time.monotonic()
    for consumer in list(_sockets):
        _sockets.discard(consumer)
        try:
            await consumer.close(code=CLOSE_RECONNECT)
        except Exception:  # plain Daphne refuses 1012: a plain close, on which room.js reloads
            with contextlib.suppress(Exception):
                await consumer.close()


def _on_change(up: bool) -> None:
    """availability.py's listener, on whichever thread found out."""
    loop = _loop
    if loop is None or loop.is_closed():
        return
    loop.call_soon_threadsafe(_changed, up)


availability.on_change(_on_change)


def _changed(up: bool) -> None:
    if up:
        asyncio.get_running_loop().create_task(_resync_all())
    else:
        asyncio.get_running_loop().create_task(_tell_all())
        _ensure_watch()


def _ensure_watch() -> None:
    global _watch
    loop = asyncio.get_running_loop()
    if _watch is None or _watch.done() or _watch.get_loop() is not loop:
        _watch = loop.create_task(_watch_while_away())


async def _watch_while_away() -> None:
    """Probe (on a thread: a connection attempt) until the database answers; the listener then
    resyncs the sockets."""
    while database_away():
        await asyncio.sleep(availability.PROBE_INTERVAL)
        await asyncio.to_thread(availability.available)


async def _tell_all() -> None:
    by_language: dict[str, str] = {}
    for consumer in list(_sockets):
        language = consumer.language
        if language not in by_language:
            by_language[language] = notice(language)
        try:
            await consumer.send(text_data=by_language[language])
        except Exception:  # closed meanwhile
            _sockets.discard(consumer)


async def _resync_all() -> None:
    gate = asyncio.Semaphore(RESYNC_CONCURRENCY)
    sockets = list(_sockets)

    async def one(consumer) -> None:
        async with gate:
            try:
                await consumer.resync()
            except Exception as error:
                if availability.is_outage(error):
                    await asyncio.to_thread(availability.report, error)
                else:
                    logger.exception("resync after the database outage failed")

    await asyncio.gather(*(one(c) for c in sockets))
    if sockets:
        logger.warning("database back: %d sockets of this process resynced", len(sockets))
