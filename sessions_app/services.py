"""What happens when someone acts in the room: every transition of the session, in one place.

Each command runs in a transaction on the locked room row, checks who sends it and the revision
it was issued from, bumps the revision, and after the commit pushes the changed fragments to every
screen (see live.py). A stale or repeated command is refused, so a double click never skips a step.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import CaseStatus
from groups.models import Meeting, Role, RoleAssignment

from . import flow, interactions, live, room_state, signals, timing
from .models import Audience, Room, RoomMember, StepRun, Storing


class CommandRefused(Exception):
    """A command the room does not accept; the message is shown to the person who sent it."""

    status = 409


class NotAllowed(CommandRefused):
    status = 403


class StaleCommand(CommandRefused):
    pass


@dataclass
class Outcome:
    room: Room
    parts: frozenset[str]
    reload: bool = False


def _lock(room_id) -> Room:
    return Room.objects.select_for_update().select_related("method").get(pk=room_id)


def _steps(room: Room) -> tuple:
    return room_state.room_steps(room)


def _refs(steps: list) -> list[flow.StepRef]:
    return [flow.StepRef(key=s.key, branch_if_no=s.branch_if_no) for s in steps]


def _enter_step(room: Room, step, now, branch_answer: str = "") -> None:
    if room.step_run_id:
        StepRun.objects.filter(pk=room.step_run_id).update(
            ended_at=now, branch_answer=branch_answer
        )
    seconds = room.planned_seconds(step)
    # What was done in a step belongs to that step of this meeting, not to one visit of it: a
    # Next then Back finds the board revealed, the turns where they were and everyone still ready.
    earlier = StepRun.objects.filter(room=room, step=step).order_by("-started_at", "-pk").first()
    run = StepRun.objects.create(
        room=room,
        step=step,
        started_at=now,
        planned_seconds=seconds,
        state=dict(earlier.state or {}) if earlier else {},
    )
    if earlier is not None:
        RoomMember.objects.filter(room=room, ready_step_run=earlier.pk).update(
            ready_step_run=run.pk
        )
    room.step = step
    room.step_run = run
    room.set_clock(timing.start(now, seconds))
    interactions.for_kind(step.kind).enter(room, run, now)


def _start(room: Room, now, answer) -> frozenset[str]:
    if room.status != Room.Status.LOBBY:
        raise StaleCommand(_("The session has already started."))
    steps = _steps(room)
    if not steps:
        raise CommandRefused(_("This method has no steps."))
    room.status = Room.Status.RUNNING
    room.started_at = now
    Meeting.objects.filter(pk=room.meeting_id).update(status=Meeting.Status.IN_PROGRESS)
    _enter_step(room, steps[0], now)
    return live.STEP_CHANGE


def _require_running(room: Room) -> None:
    if room.status != Room.Status.RUNNING:
        raise CommandRefused(_("The session is not running."))


def _next(room: Room, now, answer) -> frozenset[str]:
    _require_running(room)
    steps = _steps(room)
    keys = [s.key for s in steps]
    try:
        index = flow.next_index(_refs(steps), keys.index(room.step.key), answer)
    except flow.FlowError:
        raise CommandRefused(room.step.branch_question or _("Answer the question first.")) from None
    if index is None:
        raise CommandRefused(_("This is the last step. End the session when the group is done."))
    _enter_step(room, steps[index], now, branch_answer=answer or "")
    return live.STEP_CHANGE


def _back(room: Room, now, answer) -> frozenset[str]:
    _require_running(room)
    steps = _steps(room)
    index = flow.previous_index(_refs(steps), room_state.visited_keys(room.pk, steps))
    if index is None:
        raise CommandRefused(_("This is the first step."))
    _enter_step(room, steps[index], now)
    return live.STEP_CHANGE


def _pause(room: Room, now, answer) -> frozenset[str]:
    _require_running(room)
    if room.is_paused:
        raise StaleCommand(_("The timer is already paused."))
    room.set_clock(timing.pause(room.clock(), now))
    return live.TIMER_CHANGE


def _resume(room: Room, now, answer) -> frozenset[str]:
    _require_running(room)
    if not room.is_paused:
        raise StaleCommand(_("The timer is already running."))
    room.set_clock(timing.resume(room.clock(), now))
    return live.TIMER_CHANGE


def _add_minute(room: Room, now, answer) -> frozenset[str]:
    _require_running(room)
    room.set_clock(timing.extend(room.clock(), now))
    return live.TIMER_CHANGE


def _end(room: Room, now, answer) -> frozenset[str]:
    if room.status == Room.Status.ENDED:
        raise StaleCommand(_("The session has already ended."))
    if room.step_run_id:
        StepRun.objects.filter(pk=room.step_run_id).update(ended_at=now)
    room.status = Room.Status.ENDED
    room.ended_at = now
    room.set_clock(timing.Clock())
    # A long meeting with a second case planned is not over after the first one.
    more = RoleAssignment.objects.filter(
        meeting_id=room.meeting_id, role=Role.INBRENGER, round__gt=room.round
    ).exists()
    Meeting.objects.filter(pk=room.meeting_id).update(
        status=Meeting.Status.IN_PROGRESS if more else Meeting.Status.DONE
    )
    transaction.on_commit(lambda: signals.session_ended.send(sender=Room, room=room))
    if room.case_id and room.started_at:
        room.case.refresh_from_db()
        if room.case.can_move_to(CaseStatus.DISCUSSED):
            room.case.move_to(CaseStatus.DISCUSSED)
            room.case.save(update_fields=["status", "updated_at"])
    return live.STEP_CHANGE


# What the commands change on the room row: saving only these keeps the UPDATE short.
COMMAND_FIELDS = [
    "status",
    "step",
    "step_run",
    "deadline_at",
    "paused_remaining",
    "started_at",
    "ended_at",
    "revision",
    "seq",
]

COMMANDS: dict[str, Callable] = {
    "start": _start,
    "next": _next,
    "back": _back,
    "pause": _pause,
    "resume": _resume,
    "add_minute": _add_minute,
    "end": _end,
}


def run_command(
    room_id, user, command: str, revision: int, branch_answer: str | None = None, now=None
) -> Outcome:
    """Apply a facilitator's command issued from `revision`. Refuses stale and foreign commands."""
    handler = COMMANDS.get(command)
    if handler is None:
        raise CommandRefused(_("Unknown command."))
    now = now or timezone.now()
    with transaction.atomic():
        room = _lock(room_id)
        if room.facilitator_id != getattr(user, "pk", None):
            raise NotAllowed(_("Only the facilitator can do this."))
        if revision != room.revision:
            raise StaleCommand(
                _("Your screen was behind; it now shows the current step. Try again if needed.")
            )
        parts = handler(room, now, branch_answer)
        room.revision += 1
        room.seq += 1
        room.save(update_fields=COMMAND_FIELDS)
        live.push_on_commit(room.pk, parts)
    return Outcome(room=room, parts=parts)


def set_ready(member: RoomMember, step_run_id: int, ready: bool = True) -> Outcome:
    """A participant taps "klaar" in a thinking or writing step (or takes it back)."""
    with transaction.atomic():
        room = _lock(member.room_id)
        if room.status != Room.Status.RUNNING or room.step_run_id != step_run_id:
            raise StaleCommand(_("That step is already over."))
        _steps(room)  # sets room.step from the step cache
        if ready and not room.step.asks_ready:
            raise CommandRefused(_("Nobody waits for a ready sign in this step."))
        RoomMember.objects.filter(pk=member.pk).update(
            ready_step_run=step_run_id if ready else None
        )
        member.ready_step_run = step_run_id if ready else None
        Room.objects.filter(pk=room.pk).update(seq=F("seq") + 1)
        live.push_on_commit(room.pk, live.READY_CHANGE)
    return Outcome(room=room, parts=live.READY_CHANGE)


def raise_storing(member: RoomMember, text: str = "") -> Storing:
    """Disturbances go first: the facilitator sees it at once, whatever the step."""
    room = member.room
    if room.status == Room.Status.ENDED:
        raise CommandRefused(_("The session has ended."))
    storing = Storing.objects.create(room=room, raised_by=member, text=text.strip()[:200])
    live.push_on_commit(room.pk, live.STORING_CHANGE)
    return storing


def acknowledge_storing(room: Room, user, storing_id: int) -> None:
    if room.facilitator_id != getattr(user, "pk", None):
        raise NotAllowed(_("Only the facilitator can do this."))
    updated = Storing.objects.filter(room=room, pk=storing_id, acknowledged_at__isnull=True).update(
        acknowledged_at=timezone.now()
    )
    if updated:
        live.push_on_commit(room.pk, live.STORING_CHANGE)


def hand_over(room_id, user, member_id: int, revision: int) -> Outcome:
    """Pass the facilitator role to another member in the room: there is always exactly one."""
    with transaction.atomic():
        room = _lock(room_id)
        if room.facilitator_id != getattr(user, "pk", None):
            raise NotAllowed(_("Only the facilitator can do this."))
        if revision != room.revision:
            raise StaleCommand(_("Your screen was behind; try again."))
        new = RoomMember.objects.select_related("user").filter(room=room, pk=member_id).first()
        if new is None or new.user_id is None:
            raise CommandRefused(_("Choose a member of the group who is in the room."))
        if new.user_id == room.facilitator_id:
            raise CommandRefused(_("You are already the facilitator."))
        if new.audience == Audience.INBRENGER:
            raise CommandRefused(_("The inbrenger cannot facilitate their own case."))
        RoomMember.objects.filter(room=room, user_id=room.facilitator_id).update(
            audience=Audience.PARTICIPANT
        )
        RoomMember.objects.filter(pk=new.pk).update(audience=Audience.FACILITATOR)
        RoleAssignment.objects.filter(meeting_id=room.meeting_id, role=Role.FACILITATOR).delete()
        RoleAssignment.objects.create(
            meeting_id=room.meeting_id, user_id=new.user_id, role=Role.FACILITATOR
        )
        room.facilitator_id = new.user_id
        room.revision += 1
        room.seq += 1
        room.save()
        # Two people change audience: every screen reloads and reconnects into its new group.
        live.push_on_commit(room.pk, live.STEP_CHANGE, reload=True)
    return Outcome(room=room, parts=live.STEP_CHANGE, reload=True)


def notes_go_to_case(member: RoomMember) -> bool:
    """The inbrenger's notes are saved to their own case (and its summary); everyone else's
    stay with them in this room."""
    case = member.room.case
    return (
        member.audience == Audience.INBRENGER
        and case is not None
        and case.owner_id == member.user_id
    )


def save_private_notes(member: RoomMember, text: str) -> None:
    """A private notepad on every phone: nobody but its writer ever reads it."""
    if member.audience == Audience.FACILITATOR:
        raise NotAllowed(_("The facilitator's screen has no notepad; it may be projected."))
    if notes_go_to_case(member):
        case = member.room.case
        case.private_notes = text
        case.save(update_fields=["private_notes", "updated_at"])
        return
    RoomMember.objects.filter(pk=member.pk).update(notes=text)
    member.notes = text


def interact(
    member: RoomMember, action: str, step_run_id: int, data, now=None
) -> interactions.ActionResult:
    """Someone acts inside the current step (asks a question, adds a tip, votes…)."""
    now = now or timezone.now()
    with transaction.atomic():
        room = _lock(member.room_id)
        if room.status != Room.Status.RUNNING or room.step_run_id != step_run_id:
            raise StaleCommand(_("That step is already over."))
        run = StepRun.objects.select_related("step").get(pk=room.step_run_id)
        handler = interactions.for_kind(run.step.kind).actions.get(action)
        if handler is None:
            raise CommandRefused(_("This step does not take that action."))
        member = RoomMember.objects.select_related("user").get(pk=member.pk)
        result = handler(
            interactions.ActionRequest(room=room, run=run, member=member, data=data, now=now)
        )
        room.seq += 1
        if result.reload:
            room.revision += 1
        room.save()
        live.push_on_commit(room.pk, result.parts, reload=result.reload)
    return result
