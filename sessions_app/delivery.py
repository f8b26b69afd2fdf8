"""Delivering pushes: the one place where a room's fragments meet the channel layer.

A push is a notification; the database already holds the truth. So a push that fails — the
channel layer down or restarting, a timeout, a full channel — never turns a committed command
into an error. It is logged with the room, its revision and seq; the room is remembered and
pushed again in full once the layer answers (with backoff, on a thread of its own); and while
pushes fail, `failing()` tells the views to hand the person who acted the fragments the push would
have brought them, with a quiet notice. Screens whose socket dropped meanwhile catch up by
themselves: every reconnect gets a snapshot (consumers.py).
"""

import asyncio
import logging
import threading
import time
from collections.abc import Callable

from asgiref.sync import async_to_sync
from django.conf import settings

from common import availability

logger = logging.getLogger(__name__)

# Backoff between resends of the rooms whose push failed, in seconds (the last one repeats).
RESEND_DELAYS = (0.5, 1.0, 2.0, 4.0, 5.0)

_lock = threading.Lock()
_pending: dict[str, bool] = {}  # room id -> whether a failed push asked screens to reload
_last_failure = 0.0
_last_success = 0.0
_resender: threading.Thread | None = None
LOG_EVERY = 5.0  # seconds between reports of sockets failing on the layer
_last_logged = float("-inf")
_unlogged = 0
# Pushes the whole room again: live.push with everything (set by live.py, which imports this).
resend_room: Callable[[str, bool], bool] | None = None


async def _send_all(layer, messages: list[tuple[str, dict]], timeout: float) -> None:
    async with asyncio.timeout(timeout):
        for group, message in messages:
            await layer.group_send(group, message)


def send(layer, room_id, revision: int, seq: int, messages: list, reload: bool = False) -> bool:
    """Send a room's messages to their groups, one hop to the event loop for all of them.
    Returns whether they went out; a failure is logged and the room resent later, never raised."""
    if not messages:
        return True  # nobody listening: that says nothing about the layer either way
    try:
        async_to_sync(_send_all)(layer, messages, settings.PUSH_TIMEOUT)
    except Exception as error:  # whatever the layer raises, the command stands
        logger.warning(
            "push to room %s at revision %s (seq %s) failed: %s: %s; resending when the channel "
            "layer answers",
            room_id,
            revision,
            seq,
            type(error).__name__,
            error or "timeout",
        )
        _failed(str(room_id), reload)
        return False
    _succeeded(str(room_id))
    return True


def committed(room_id, reload: bool, push: Callable[[], bool]) -> None:
    """Run the push of a committed change. Whatever it raises (PostgreSQL gone between the commit
    and the read of the room, a template error) is logged, never raised: the command stands,
    and the room is pushed again in full later."""
    try:
        push()
    except Exception as error:
        if availability.is_outage(error):
            logger.warning("push to room %s could not read the room: %r; resending", room_id, error)
        else:
            logger.exception("push to room %s failed; resending", room_id)
        _failed(str(room_id), reload)


def layer_failed(error: BaseException) -> None:
    """A socket lost its channel-layer connection (consumers.py): pushes fail from now on, until
    one goes out again. Logged once a LOG_EVERY: while Redis is away every phone retries each
    second or so, and each retry ends here."""
    global _last_failure, _last_logged, _unlogged
    _last_failure = time.monotonic()
    if _last_failure - _last_logged < LOG_EVERY:
        _unlogged += 1
        return
    logger.warning(
        "channel layer failed under a socket: %s: %s (and %d more since the last report)",
        type(error).__name__,
        error,
        _unlogged,
    )
    _last_logged, _unlogged = _last_failure, 0


def is_layer_error(error: BaseException) -> bool:
    """What the channel layer raises when Redis is away or slow (redis-py's errors are not
    OSErrors)."""
    return isinstance(error, (OSError, TimeoutError)) or type(error).__module__.startswith("redis")


def failing() -> bool:
    """Whether the last push this process tried failed (and none succeeded since)."""
    return _last_failure > _last_success


def pending_rooms() -> set[str]:
    with _lock:
        return set(_pending)


def _failed(room_id: str, reload: bool) -> None:
    global _last_failure, _resender
    with _lock:
        _last_failure = time.monotonic()
        _pending[room_id] = _pending.get(room_id, False) or reload
        if settings.PUSH_RESEND and _resender is None:
            _resender = threading.Thread(target=_resend_loop, name="push-resend", daemon=True)
            _resender.start()


def _succeeded(room_id: str) -> None:
    global _last_success
    _last_success = time.monotonic()
    if _pending:
        with _lock:
            _pending.pop(room_id, None)


def resend_pending() -> int:
    """Push every room whose push failed, in full, once; returns how many are still pending."""
    for room_id, reload in sorted(dict(_pending).items()):
        try:
            resend_room(room_id, reload)  # send() takes it off the list when it goes out
        except Exception as error:
            if availability.is_outage(error):
                break  # the database is away: try again later (or the outage resync does it)
            # A room deleted meanwhile: its sockets get a snapshot when they reconnect.
            logger.exception("resending room %s failed; left to reconnects", room_id)
            with _lock:
                _pending.pop(room_id, None)
        if failing():
            break  # the layer is still away: no use trying the other rooms now
    return len(_pending)


def _resend_loop() -> None:
    global _resender
    from django.db import connections

    attempt = 0
    while True:
        with _lock:  # a failure adding a room now sees this thread gone and starts another
            if not _pending:
                _resender = None
                return
        time.sleep(RESEND_DELAYS[min(attempt, len(RESEND_DELAYS) - 1)])
        attempt += 1
        before = len(_pending)
        left = resend_pending()
        connections.close_all()  # back to the pool between rounds, however long the outage
        if left < before:
            logger.warning("resent %d rooms in full, %d still pending", before - left, left)
            attempt = 0


def reset() -> None:
    """Forget failures (tests)."""
    global _last_failure, _last_success
    with _lock:
        _pending.clear()
        _last_failure = _last_success = 0.0
