"""Who takes part in the turns right now: presence that means presence. Plain rules, no ORM.

In a meeting around one table the facilitator sees who is there: everyone in the room takes part,
whatever their phone does (a locked phone drops its socket), and the facilitator skips whoever
does not respond. Online, "here" can only mean one of two things: the app is connected, or the
facilitator marked the person as on the call (someone who takes part by voice only, without the
app). Whoever is neither is skipped by the turn orders. A connection that drops gets a short
grace period first (a phone switching networks is back within seconds); after it, the turn of
someone who dropped out is skipped and the round says so (sessions_app/online.py).

Hybrid: those in the room count as in the room, those on the call as online; who has not said
where they are counts as online, the stricter rule.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings

IN_PERSON, ONLINE, HYBRID = "in_person", "online", "hybrid"
ONLINE_MODES = frozenset({ONLINE, HYBRID})
ROOM, REMOTE = "room", "online"  # RoomMember.place
PLACES = (ROOM, REMOTE)


def grace() -> timedelta:
    return timedelta(seconds=settings.ROOM_DROPOUT_GRACE)


def place_of(mode: str, place: str) -> str:
    """Where someone takes part from: everyone in the room in person, everyone on the call
    online; in a hybrid meeting what they (or the facilitator) said, "" while unknown."""
    if mode == ONLINE:
        return REMOTE
    if mode == HYBRID:
        return place if place in PLACES else ""
    return ROOM


def takes_part(
    *,
    mode: str,
    place: str,
    connected: bool,
    marked_present: bool,
    offline_since: datetime | None,
    now: datetime,
    grace_period: timedelta | None = None,
) -> bool:
    if marked_present or connected:
        return True
    if place_of(mode, place) == ROOM:
        return True
    if offline_since is None:  # never connected in this room
        return False
    return now - offline_since < (grace() if grace_period is None else grace_period)


def member_takes_part(member, mode: str, now: datetime, grace_period=None) -> bool:
    return takes_part(
        mode=mode,
        place=member.place,
        connected=member.connections > 0,
        marked_present=member.marked_present,
        offline_since=member.offline_since,
        now=now,
        grace_period=grace_period,
    )


def present_ids(members: Iterable, mode: str, now: datetime, grace_period=None) -> set[int]:
    """The room members who take part in turns now (of RoomMember-like objects)."""
    return {m.pk for m in members if member_takes_part(m, mode, now, grace_period)}


def status_of(member, mode: str, now: datetime) -> str:
    """What the facilitator's roll call says about someone: connected, marked (on the call without
    the app), in the room (in person), reconnecting (within the grace period) or away."""
    if member.connections > 0:
        return "connected"
    if member.marked_present:
        return "marked"
    if place_of(mode, member.place) == ROOM:
        return "in_room"
    if member.offline_since is not None and now - member.offline_since < grace():
        return "reconnecting"
    return "away"


def next_expiry(members: Iterable, now: datetime) -> float | None:
    """Seconds until the first grace period still running ends (when the room must look again
    at who takes part); None when nobody is within one."""
    waits = [
        (m.offline_since + grace() - now).total_seconds()
        for m in members
        if m.connections == 0 and not m.marked_present and m.offline_since is not None
    ]
    waits = [w for w in waits if w > 0]
    return min(waits) if waits else None
