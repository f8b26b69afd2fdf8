"""Who is online: the open websockets of every room member, on every server process.

Each open socket is a ServerSocket row of the process that holds it; RoomMember.connections is
their count, changed in the same transaction, so that a push reads who is online with the members
themselves. A process killed mid-session (kill -9, an out-of-memory kill, a lost machine) never
counts its sockets out. So every process beats: it stamps its ServerProcess row every
PRESENCE_HEARTBEAT seconds, and counts out the sockets of any process not seen for
PRESENCE_TIMEOUT seconds, then pushes presence to the rooms concerned. With the in-memory channel
layer there is only ever one process, so any other process on record is dead at once: a restarted
server starts with nobody online but who reconnects.

A process that was merely slow (its event loop stalled past the timeout) and was counted out by
another puts its sockets back on its next beat: it keeps the sockets it holds in memory.
"""

import threading
import uuid
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.db.models.functions import Greatest
from django.utils import timezone

from common import availability

BOOT = uuid.uuid4().hex  # this process

# The sockets this process holds: socket id -> member pk. Changed from the thread pool.
_open: dict[uuid.UUID, int] = {}
_lock = threading.Lock()
_registered = False
_first_registration = threading.Lock()  # a surge of first sockets: one registers, once
_changed_rooms: set = set()  # presence changed by a sweep outside beat(): pushed on the next beat
# Sockets that closed while the database was away: counted out by the next beat (socket -> member).
_closed_unrecorded: dict[uuid.UUID, int] = {}


def single_process() -> bool:
    return settings.CHANNEL_LAYERS["default"]["BACKEND"].endswith("InMemoryChannelLayer")


def connected(member_id: int, **member_fields) -> uuid.UUID:
    """Count one more open socket of the member, held by this process; returns its id.
    `member_fields` are saved on the member in the same statement (the socket's language)."""
    from .models import RoomMember, ServerSocket

    if not _registered:
        with _first_registration:
            if not _registered:
                _changed_rooms.update(register())
    socket_id = uuid.uuid4()
    # Two statements, no transaction: this runs for every phone of a reconnect surge, and with
    # PostgreSQL a transaction adds two round trips. The socket first: should this process die
    # between the two, a sweep counts out one socket too many, which shows someone offline until
    # they reconnect (the other order would leave them online for good).
    try:
        ServerSocket.objects.create(id=socket_id, process_id=BOOT, member_id=member_id)
    except IntegrityError:
        # Our process row is gone: another process took us for dead while we stalled.
        _changed_rooms.update(register())
        ServerSocket.objects.create(id=socket_id, process_id=BOOT, member_id=member_id)
    RoomMember.objects.filter(pk=member_id).update(
        connections=F("connections") + 1, offline_since=None, **member_fields
    )
    with _lock:
        _open[socket_id] = member_id
    return socket_id


def disconnected(socket_id: uuid.UUID) -> None:
    """Count a closed socket out (once: a socket already counted out by a sweep stays out)."""

    with _lock:
        member_id = _open.pop(socket_id, None)
    if member_id is None:
        return
    if availability.down_for() is not None:  # the pool would hold this thread for its timeout
        _closed_unrecorded[socket_id] = member_id
        return
    try:
        _count_out(socket_id, member_id)
    except Exception as error:
        if not availability.is_outage(error):
            raise
        _closed_unrecorded[socket_id] = member_id  # else they would show online for good
        availability.report(error)


def _count_out(socket_id: uuid.UUID, member_id: int) -> None:
    from .models import RoomMember, ServerSocket

    with transaction.atomic():
        deleted, _ = ServerSocket.objects.filter(pk=socket_id).delete()
        if deleted:
            RoomMember.objects.filter(pk=member_id).update(
                connections=Greatest(F("connections") - 1, 0)
            )
            _mark_offline([member_id])


def register() -> set:
    """Put this process on record with every socket it holds (again, after being counted out);
    on the first call, also count out the processes that died before it. Returns the rooms whose
    presence changed."""
    global _registered
    from .models import RoomMember, ServerProcess, ServerSocket

    # A socket closing meanwhile waits for the lock, then deletes what this puts back.
    with _lock, transaction.atomic():
        ServerProcess.objects.update_or_create(boot=BOOT, defaults={"seen_at": timezone.now()})
        held = dict(_open)
        present = set(ServerSocket.objects.filter(process_id=BOOT).values_list("id", flat=True))
        missing = [
            ServerSocket(id=s, process_id=BOOT, member_id=m)
            for s, m in held.items()
            if s not in present
        ]
        ServerSocket.objects.bulk_create(missing)
        for member_id, n in Counter(s.member_id for s in missing).items():
            RoomMember.objects.filter(pk=member_id).update(connections=F("connections") + n)
    rooms = set()
    if missing:
        rooms = set(
            RoomMember.objects.filter(pk__in={s.member_id for s in missing}).values_list(
                "room_id", flat=True
            )
        )
    first = not _registered
    _registered = True
    if first:
        rooms |= sweep()
    return rooms


def beat() -> set:
    """This process's heartbeat: stamp it, and count out the sockets of dead processes. Returns
    the rooms whose presence changed (the caller pushes to them)."""
    from .models import RoomMember, ServerProcess

    rooms = set()
    while _changed_rooms:
        rooms.add(_changed_rooms.pop())
    for socket_id, member_id in list(_closed_unrecorded.items()):
        _count_out(socket_id, member_id)
        del _closed_unrecorded[socket_id]
        rooms.add(RoomMember.objects.filter(pk=member_id).values_list("room_id", flat=True).first())
    rooms.discard(None)
    if not _registered:
        return rooms | register()
    stamped = ServerProcess.objects.filter(boot=BOOT).update(seen_at=timezone.now())
    if not stamped:
        rooms |= register()
    return rooms | sweep()


def dead_processes():
    from .models import ServerProcess

    others = ServerProcess.objects.exclude(boot=BOOT)
    if single_process():
        return others
    cutoff = timezone.now() - timedelta(seconds=settings.PRESENCE_TIMEOUT)
    return others.filter(seen_at__lt=cutoff)


def sweep() -> set:
    """Count out the sockets of every dead process; returns the rooms concerned."""
    from .models import RoomMember, ServerProcess, ServerSocket

    rooms = set()
    for boot in list(dead_processes().values_list("boot", flat=True)):
        with transaction.atomic():
            # Two live processes may sweep at once: the one that locks the row counts out. Still
            # dead once locked? (It may have beaten meanwhile.)
            claimed = dead_processes().select_for_update(skip_locked=True).filter(boot=boot)
            if not list(claimed.values_list("boot", flat=True)):
                continue
            held = (
                ServerSocket.objects.filter(process_id=boot)
                .values("member_id", "member__room_id")
                .annotate(n=Count("id"))
            )
            for row in held:
                RoomMember.objects.filter(pk=row["member_id"]).update(
                    connections=Greatest(F("connections") - row["n"], 0)
                )
                rooms.add(row["member__room_id"])
            _mark_offline([row["member_id"] for row in held])
            ServerProcess.objects.filter(boot=boot).delete()  # and its sockets, by cascade
    return rooms


def _mark_offline(member_ids: list[int]) -> None:
    """Stamp when a member's last socket closed: online meetings skip them in the turn orders
    after a grace period (sessions_app/roll.py)."""
    from .models import RoomMember

    RoomMember.objects.filter(pk__in=member_ids, connections=0).update(offline_since=timezone.now())
