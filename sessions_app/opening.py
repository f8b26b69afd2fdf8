"""Opening a meeting's room: who may, what the form proposes, and what opening creates.

A long meeting may discuss two cases one after the other: each case round gets a room of its
own. The second round keeps the meeting's facilitator and helper roles; only its inbrenger,
case, method and who is present are chosen again.
"""

from django.db import transaction

from cases.models import Case, CaseStatus
from groups.attendance import record_presence
from groups.models import Attendance, Role, RoleAssignment
from groups.roles import max_case_rounds

from .models import Audience, Room, RoomMember


def can_open(meeting, user) -> bool:
    """The meeting's facilitator, the group's coordinator, or any member while no facilitator
    is assigned yet (a group that plans its roles on the day)."""
    if not user.is_authenticated:
        return False
    if meeting.group.coordinator_id == user.pk:
        return True
    facilitator = meeting.holder(Role.FACILITATOR)
    if facilitator is not None and facilitator.pk != user.pk:
        return False
    # Also the assigned facilitator: only while still a member (someone who left opens nothing).
    return meeting.group.is_member(user)


def next_case_round(meeting, rooms) -> int | None:
    """The round a new room would hold, or None when the meeting has no round left to open
    (a room is still open, or every round the meeting has time for was held)."""
    if any(room.is_open for room in rooms):
        return None
    case_round = len(rooms) + 1
    planned = len(meeting.inbrengers())
    if case_round > max(max_case_rounds(meeting.duration_minutes), planned, 1):
        return None
    return case_round


def minutes_for_round(meeting, case_round: int) -> int:
    """Each case round gets an equal share of the meeting when two cases are planned."""
    rounds = max(len(meeting.inbrengers()), case_round, 1)
    return meeting.duration_minutes // rounds


MAX_STEP_MINUTES = 180


def minutes_field(step) -> str:
    """The open-room form's field for a step's planned minutes."""
    return f"minutes-{step.key}"


def chosen_minutes(data, steps) -> tuple[dict[str, int], bool]:
    """The minutes per step the facilitator sent with the form (fields minutes-<key>), and
    whether every one of them is a whole number from 1 to MAX_STEP_MINUTES. Steps the form did
    not send keep their planned minutes; a form without any sends nothing to keep."""
    chosen: dict[str, int] = {}
    valid = True
    for step in steps:
        raw = str(data.get(minutes_field(step), "")).strip()
        if not raw:
            continue
        try:
            value = int(raw)
        except ValueError:
            valid = False
            continue
        if 1 <= value <= MAX_STEP_MINUTES:
            chosen[step.key] = value
        else:
            valid = False
    return chosen, valid


def plan_rows(steps, plan) -> list[dict]:
    """One row per step for the plan table: the step, its planned minutes and whether a branch
    may skip it."""
    return [
        {
            "step": step,
            "field": minutes_field(step),
            "minutes": plan.minutes[step.key],
            "optional": step.key in plan.optional,
        }
        for step in steps
    ]


def initial_for(meeting, user, case_round: int = 1) -> dict:
    declined = set(
        Attendance.objects.filter(meeting=meeting, response=Attendance.Response.NO).values_list(
            "user_id", flat=True
        )
    )
    members = list(meeting.group.active_members())
    facilitator = meeting.holder(Role.FACILITATOR)
    if facilitator is None and meeting.group.is_member(user):
        facilitator = user
    if case_round > 1:
        # Whoever was there for the first case is presumably still there.
        present = set(
            Attendance.objects.filter(meeting=meeting, present=True).values_list(
                "user_id", flat=True
            )
        )
        return {
            "present": [m.pk for m in members if m.pk in present],
            "method": meeting.method_id or meeting.group.default_method_id,
            "inbrenger": getattr(meeting.holder(Role.INBRENGER, round=case_round), "pk", None),
        }
    inbrenger = meeting.holder(Role.INBRENGER)
    return {
        "present": [m.pk for m in members if m.pk not in declined],
        "case": getattr(proposed_case(meeting, inbrenger), "pk", None),
        "method": meeting.method_id or meeting.group.default_method_id,
        "facilitator": facilitator.pk if facilitator else None,
        "inbrenger": getattr(inbrenger, "pk", None),
        "note_taker": getattr(meeting.holder(Role.NOTE_TAKER), "pk", None),
        "timekeeper": getattr(meeting.holder(Role.TIMEKEEPER), "pk", None),
        "observers": [a.user_id for a in meeting.roles.all() if a.role == Role.OBSERVER],
        "mode": meeting.effective_mode,
        "video_url": meeting.video_url,
    }


def proposed_case(meeting, inbrenger) -> Case | None:
    """The case the meeting's inbrenger brings: one linked to this meeting, else their most
    recently proposed (or already chosen) case in the group."""
    if inbrenger is None:
        return None
    cases = Case.objects.filter(
        group_id=meeting.group_id,
        owner=inbrenger,
        status__in=[CaseStatus.PROPOSED, CaseStatus.CHOSEN],
    )
    return (
        cases.filter(meeting=meeting).order_by("-updated_at").first()
        or cases.order_by("-updated_at").first()
    )


@transaction.atomic
def open_room(meeting, data: dict, case_round: int = 1, by=None) -> Room:
    """Record roles and presence on the meeting and create its room, waiting for "start".
    `by` is who filled in the form (and so confirms the presence); the facilitator if unsaid."""
    by = by or data["facilitator"]
    if case_round > 1:
        return _open_later_round(meeting, data, case_round, by)
    method = data["method"]
    case = data.get("case")
    present = list(data["present"])
    meeting.method = method
    fields = ["method"]
    if data.get("mode"):  # online or hybrid, as the facilitator found the group today
        meeting.mode = data["mode"]
        meeting.video_url = data.get("video_url") or ""
        fields += ["mode", "video_url"]
    meeting.save(update_fields=fields)

    # A planned second case stays, unless its inbrenger now has a role that excludes it.
    taken = {data["facilitator"].pk, getattr(data.get("inbrenger"), "pk", None)}
    RoleAssignment.objects.filter(meeting=meeting).exclude(role=Role.INBRENGER, round=2).delete()
    RoleAssignment.objects.filter(meeting=meeting, role=Role.INBRENGER, user_id__in=taken).delete()
    roles = [(Role.FACILITATOR, data["facilitator"])]
    for role, key in (
        (Role.INBRENGER, "inbrenger"),
        (Role.NOTE_TAKER, "note_taker"),
        (Role.TIMEKEEPER, "timekeeper"),
    ):
        if data.get(key):
            roles.append((role, data[key]))
    roles += [(Role.OBSERVER, user) for user in data.get("observers") or []]
    RoleAssignment.objects.bulk_create(
        RoleAssignment(meeting=meeting, user=u, role=r) for r, u in roles
    )

    _record_presence(meeting, present, by, absent_too=True)
    _choose_case(meeting, case)
    return _create_room(meeting, data, present, case_round=1, roles=data)


def _open_later_round(meeting, data: dict, case_round: int, by) -> Room:
    """The next case of a long meeting: its inbrenger, case and presence; the meeting's
    facilitator and helpers stay."""
    present = list(data["present"])
    RoleAssignment.objects.filter(meeting=meeting, role=Role.INBRENGER, round=case_round).delete()
    if data.get("inbrenger"):
        RoleAssignment.objects.create(
            meeting=meeting, user=data["inbrenger"], role=Role.INBRENGER, round=case_round
        )
    holders = {a.role: a.user for a in meeting.roles.all() if a.role != Role.INBRENGER}
    roles = {
        "facilitator": data["facilitator"],
        "inbrenger": data.get("inbrenger"),
        "note_taker": holders.get(Role.NOTE_TAKER),
        "timekeeper": holders.get(Role.TIMEKEEPER),
        "observers": [a.user for a in meeting.roles.all() if a.role == Role.OBSERVER],
    }
    # Arriving for the second case counts; leaving after the first does not undo presence.
    _record_presence(meeting, present, by, absent_too=False)
    _choose_case(meeting, data.get("case"))
    room = _create_room(meeting, data, present, case_round=case_round, roles=roles)
    # Phones still on the first case's end screen get the way to this room.
    previous = Room.objects.filter(meeting=meeting, round=case_round - 1).first()
    if previous is not None:
        from . import live

        live.push_on_commit(previous.pk, frozenset({"step"}))
    return room


def _record_presence(meeting, present, confirmer, *, absent_too: bool) -> None:
    """Presence as ticked when opening the room, confirmed by whoever ticked it (never for
    themselves: groups/attendance.py)."""
    present_ids = {u.pk for u in present}
    absent = []
    if absent_too:
        absent = [pk for pk in meeting.group.active_members().values_list("pk", flat=True)]
    record_presence(
        meeting, present_ids, by=confirmer, via=Attendance.Recorded.ROOM, absent_ids=absent
    )


def _choose_case(meeting, case) -> None:
    if case is not None and case.can_move_to(CaseStatus.CHOSEN):
        case.move_to(CaseStatus.CHOSEN)
        case.meeting = meeting
        case.save(update_fields=["status", "meeting", "updated_at"])


def _create_room(meeting, data: dict, present: list, *, case_round: int, roles: dict) -> Room:
    from methods.planner import plan_meeting

    plan = plan_meeting(
        list(data["method"].steps.all()),
        minutes_for_round(meeting, case_round),
        data.get("minutes") or None,
    )
    room = Room.objects.create(
        meeting=meeting,
        round=case_round,
        method=data["method"],
        case=data.get("case"),
        facilitator=roles["facilitator"],
        planned_minutes=dict(plan.minutes),
    )
    audiences = {roles["facilitator"].pk: Audience.FACILITATOR}
    if roles.get("inbrenger"):
        audiences[roles["inbrenger"].pk] = Audience.INBRENGER
    for user in roles.get("observers") or []:
        audiences.setdefault(user.pk, Audience.OBSERVER)
    extra = {
        getattr(roles.get("note_taker"), "pk", None): "note_taker",
        getattr(roles.get("timekeeper"), "pk", None): "timekeeper",
    }
    RoomMember.objects.bulk_create(
        RoomMember(
            room=room,
            user=user,
            audience=audiences.get(user.pk, Audience.PARTICIPANT),
            extra_role=extra.get(user.pk, ""),
        )
        for user in present
    )
    return room
