"""What happens in the room for online and hybrid meetings: raised hands and the word, the
facilitator's roll call, where people are, and skipping whoever dropped out.

Like services.py: each change runs in a transaction on the locked room row, checks who sends it,
bumps the room's seq and pushes the changed parts after the commit. The rules themselves are in
hands.py (the word) and roll.py (who takes part); the turn orders in interactions/turns.py.
"""

import asyncio
import logging
import time

from channels.db import database_sync_to_async
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import Meeting

from . import hands, interactions, live, roll
from .models import Audience, Room, RoomMember, StepRun
from .services import CommandRefused, NotAllowed

logger = logging.getLogger(__name__)

HAND_ERRORS = {
    "raised": lambda: _("Your hand is already up."),
    "speaking": lambda: _("You have the word already."),
    "not_raised": lambda: _("That hand is no longer up."),
    "not_speaking": lambda: _("Nobody has the word right now."),
}


def mode_of(room: Room) -> str:
    """The meeting's mode: from the loaded meeting, else in one query."""
    meeting = room._state.fields_cache.get("meeting")
    if meeting is not None and "group" in meeting._state.fields_cache:
        return meeting.effective_mode
    row = Meeting.objects.filter(pk=room.meeting_id).values_list("mode", "group__meeting_mode")
    mode, group_mode = row.get()
    return mode or group_mode


def _lock(room_id) -> Room:
    return Room.objects.select_for_update().get(pk=room_id)


def _member(room: Room, member_id: int) -> RoomMember:
    member = RoomMember.objects.select_related("user").filter(room=room, pk=member_id).first()
    if member is None:
        raise CommandRefused(_("That person is not in the room."))
    return member


def _require_facilitator(room: Room, user) -> None:
    if room.facilitator_id != getattr(user, "pk", None):
        raise NotAllowed(_("Only the facilitator can do this."))


def _refuse(error: hands.HandError) -> CommandRefused:
    return CommandRefused(HAND_ERRORS.get(str(error), lambda: str(error))())


def _save(room: Room, parts: frozenset[str], fields=("floor",)) -> None:
    room.seq += 1
    room.save(update_fields=[*fields, "seq"])
    live.push_on_commit(room.pk, parts)


def _floor(room: Room) -> hands.Floor:
    return hands.Floor.of(room.floor, room.step_run_id)


# ---- The word ---------------------------------------------------------------------------------


def raise_hand(member: RoomMember, subject: str = "") -> int:
    """Returns the hand's place in the queue (1: first)."""
    with transaction.atomic():
        room = _lock(member.room_id)
        member = _member(room, member.pk)
        if room.status == Room.Status.ENDED:
            raise CommandRefused(_("The session has ended."))
        if member.audience == Audience.FACILITATOR:
            raise CommandRefused(_("You facilitate: you give the word."))
        if mode_of(room) not in roll.ONLINE_MODES:
            raise CommandRefused(_("Around one table, raise your hand in the room."))
        if member.audience == Audience.INBRENGER and room.status == Room.Status.RUNNING:
            step = room.step
            if step is not None and step.inbrenger_listens_only:
                raise CommandRefused(
                    _("In this step you only listen; raise your hand when it is over.")
                )
        floor = _floor(room)
        try:
            floor.raise_hand(member.pk, subject, time.time())
        except hands.HandError as error:
            raise _refuse(error) from None
        room.floor = floor.to_json()
        _save(room, live.FLOOR_CHANGE)
        return floor.place_of(member.pk)


def lower_hand(member: RoomMember) -> None:
    """Withdraw a raised hand, or say "I am done" while having the word."""
    with transaction.atomic():
        room = _lock(member.room_id)
        floor = _floor(room)
        try:
            if floor.speaker == member.pk:
                floor.finish(member.pk)
            else:
                floor.withdraw(member.pk)
        except hands.HandError as error:
            raise _refuse(error) from None
        room.floor = floor.to_json()
        _save(room, live.FLOOR_CHANGE)


def give_word(room_id, user, member_id: int) -> RoomMember:
    with transaction.atomic():
        room = _lock(room_id)
        _require_facilitator(room, user)
        member = _member(room, member_id)
        run = _current_run(room)
        if run is not None and run.step.kind == "question_round":
            from .interactions import round_presence

            if not hands.may_give(round_presence.rounds_running(run)):
                raise CommandRefused(
                    _("The question round goes first: give the word when the round has ended.")
                )
        floor = _floor(room)
        try:
            floor.give(member.pk, time.time(), room.step_run_id)
        except hands.HandError as error:
            raise _refuse(error) from None
        room.floor = floor.to_json()
        _save(room, live.FLOOR_CHANGE)
        return member


def take_back_word(room_id, user) -> None:
    with transaction.atomic():
        room = _lock(room_id)
        _require_facilitator(room, user)
        floor = _floor(room)
        try:
            floor.finish()
        except hands.HandError as error:
            raise _refuse(error) from None
        room.floor = floor.to_json()
        _save(room, live.FLOOR_CHANGE)


def _current_run(room: Room) -> StepRun | None:
    if room.status != Room.Status.RUNNING or not room.step_run_id:
        return None
    return StepRun.objects.select_related("step").get(pk=room.step_run_id)


# ---- The roll call ----------------------------------------------------------------------------


def mark_present_locked(member: RoomMember, present: bool) -> None:
    """Inside a transaction that holds the room: set the facilitator's mark."""
    RoomMember.objects.filter(pk=member.pk).update(marked_present=present)
    member.marked_present = present


def mark_present(room_id, user, member_id: int, present: bool, now=None) -> RoomMember:
    """The facilitator marks someone as on the call (they take part even without the app), or
    takes the mark away (they take part while connected). Marking someone who was passed over
    in this question round puts them back: they have the turn after the current one."""
    now = now or timezone.now()
    with transaction.atomic():
        room = _lock(room_id)
        _require_facilitator(room, user)
        member = _member(room, member_id)
        if member.audience == Audience.FACILITATOR:
            raise CommandRefused(_("You facilitate: you are always present."))
        mark_present_locked(member, present)
        _settle_locked(room, now, returned={member.pk} if present else set())
        room.seq += 1
        room.save(update_fields=["floor", "seq"])
        live.push_on_commit(room.pk, live.ROLL_CHANGE)
        return member


def set_place(room_id, member_id: int, place: str, user=None, member: RoomMember | None = None):
    """Where someone takes part from in a hybrid meeting: said by themselves (`member`) or by the
    facilitator (`user`)."""
    if place not in (*roll.PLACES, ""):
        raise CommandRefused(_("Choose in the room or online."))
    with transaction.atomic():
        room = _lock(room_id)
        if member is None or member.pk != member_id:
            _require_facilitator(room, user)
        target = _member(room, member_id)
        RoomMember.objects.filter(pk=target.pk).update(place=place)
        target.place = place
        _settle_locked(room, timezone.now())
        room.seq += 1
        room.save(update_fields=["floor", "seq"])
        live.push_on_commit(room.pk, live.ROLL_CHANGE)
        return target


# ---- Dropping out -----------------------------------------------------------------------------


def _settle_locked(room: Room, now, returned: set[int] | None = None) -> str:
    """Look again at who takes part: the word and the turn of whoever is gone end. Returns what
    the group is told, "" when nothing changed."""
    run = _current_run(room)
    if run is None:
        return ""
    mode = mode_of(room)
    members = list(RoomMember.objects.filter(room=room).select_related("user"))
    present = roll.present_ids(members, mode, now)
    told = []
    floor = _floor(room)
    if floor.speaker is not None and floor.speaker not in present:
        name = next((m.name for m in members if m.pk == floor.speaker), "")
        floor.drop_out(floor.speaker)
        room.floor = floor.to_json()
        told.append(_("%(name)s is no longer connected: the word is free.") % {"name": name})
    ix = interactions.for_kind(run.step.kind)
    if returned:
        from .interactions import round_presence

        if run.step.kind == "question_round":
            round_presence.put_back_members(run, members, present, returned)
    said = ix.presence_changed(room, run, members, present)
    if said:
        told.append(said)
    return " ".join(told)


def settle(room_id, now=None) -> float | None:
    """After a grace period: skip whoever dropped out (their turn, their word), and tell the
    group. Returns the seconds until the next grace period ends, if one is running."""
    now = now or timezone.now()
    running = (
        Room.objects.filter(pk=room_id, status=Room.Status.RUNNING)
        .values_list("meeting__mode", "meeting__group__meeting_mode")
        .first()
    )
    if running is None or (running[0] or running[1]) not in roll.ONLINE_MODES:
        return None
    with transaction.atomic():
        room = _lock(room_id)
        told = _settle_locked(room, now)
        if told:
            room.seq += 1
            room.save(update_fields=["floor", "seq"])
            live.push_on_commit(room.pk, live.ROLL_CHANGE)
        members = RoomMember.objects.filter(room=room)
        return roll.next_expiry(members, now)


# Settling, scheduled per room in this process: after a presence change, once the grace period
# of whoever dropped out has run (and again while another one is still running).
_settle_at: dict[str, float] = {}


def schedule_settle(room_id, delay: float | None = None) -> None:
    from django.conf import settings

    delay = settings.ROOM_DROPOUT_GRACE + 0.25 if delay is None else delay
    key = str(room_id)
    due = time.monotonic() + delay
    if key in _settle_at and _settle_at[key] <= due:
        return  # an earlier check is planned; it plans the next one itself
    _settle_at[key] = due
    asyncio.get_running_loop().create_task(_settle_later(room_id, delay, due))


async def _settle_later(room_id, delay: float, due: float) -> None:
    key = str(room_id)
    await asyncio.sleep(delay)
    if _settle_at.get(key) != due:
        return  # replaced by an earlier check
    _settle_at.pop(key, None)
    try:
        wait = await database_sync_to_async(settle, thread_sensitive=False)(room_id)
    except Exception:  # a database hiccup: the next presence change plans another check
        logger.exception("settling room %s failed", room_id)
        return
    if wait is not None:
        schedule_settle(room_id, wait + 0.25)
