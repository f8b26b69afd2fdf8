"""Who is online: every member row counts its open sockets (RoomMember.connections).

A server process that is killed never counts its sockets out. With the in-memory channel layer
there is exactly one server process, so counts left by an earlier process are void: each count
remembers the process ("boot") that made it, a reconnect in a new process starts again at 1, and
a member counted only by a dead process shows offline. With several processes behind Redis a
member's sockets may sit on different processes, so counts are shared and not stamped (a crash
there still leaves people shown online until they reconnect and leave again; bench/README.md).
"""

import uuid

from django.conf import settings
from django.db.models import Case, F, Value, When
from django.db.models.functions import Greatest

BOOT = uuid.uuid4().hex  # this process


def single_process() -> bool:
    return settings.CHANNEL_LAYERS["default"]["BACKEND"].endswith("InMemoryChannelLayer")


def counts(boot: str) -> bool:
    """Whether a member's connection count, stamped with `boot`, still means anything."""
    return not single_process() or boot in ("", BOOT)


def connected() -> dict:
    """The update() arguments for one more open socket."""
    if not single_process():
        return {"connections": F("connections") + 1}
    return {
        "connections": Case(When(boot=BOOT, then=F("connections") + 1), default=Value(1)),
        "boot": BOOT,
    }


def disconnected(members):
    """One socket fewer, for the members (a queryset) this process counted."""
    if single_process():
        members = members.filter(boot=BOOT)
    return members.update(connections=Greatest(F("connections") - 1, 0))
