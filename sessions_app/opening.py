"""Opening a meeting's room: who may, what the form proposes, and what opening creates."""

from django.db import transaction

from cases.models import Case, CaseStatus
from groups.models import Attendance, Role, RoleAssignment

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


def initial_for(meeting, user) -> dict:
    declined = set(
        Attendance.objects.filter(meeting=meeting, response=Attendance.Response.NO).values_list(
            "user_id", flat=True
        )
    )
    members = list(meeting.group.active_members())
    facilitator = meeting.holder(Role.FACILITATOR)
    if facilitator is None and meeting.group.is_member(user):
        facilitator = user
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
def open_room(meeting, data: dict) -> Room:
    """Record roles and presence on the meeting and create its room, waiting for "start"."""
    from methods.planner import plan_meeting

    method = data["method"]
    case = data.get("case")
    present = list(data["present"])
    meeting.method = method
    meeting.save(update_fields=["method"])

    RoleAssignment.objects.filter(meeting=meeting).delete()
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

    present_ids = {u.pk for u in present}
    answered = {a.user_id: a for a in Attendance.objects.filter(meeting=meeting)}
    for user in meeting.group.active_members():
        here = user.pk in present_ids
        attendance = answered.get(user.pk)
        if attendance is None:
            response = Attendance.Response.YES if here else Attendance.Response.NO
            Attendance.objects.create(meeting=meeting, user=user, response=response, present=here)
        else:
            attendance.present = here
            attendance.save(update_fields=["present"])

    if case is not None and case.can_move_to(CaseStatus.CHOSEN):
        case.move_to(CaseStatus.CHOSEN)
        case.meeting = meeting
        case.save(update_fields=["status", "meeting", "updated_at"])

    plan = plan_meeting(
        list(method.steps.all()), meeting.duration_minutes, data.get("minutes") or None
    )
    room = Room.objects.create(
        meeting=meeting,
        method=method,
        case=case,
        facilitator=data["facilitator"],
        planned_minutes=dict(plan.minutes),
    )
    audiences = {data["facilitator"].pk: Audience.FACILITATOR}
    if data.get("inbrenger"):
        audiences[data["inbrenger"].pk] = Audience.INBRENGER
    for user in data.get("observers") or []:
        audiences[user.pk] = Audience.OBSERVER
    extra = {
        getattr(data.get("note_taker"), "pk", None): "note_taker",
        getattr(data.get("timekeeper"), "pk", None): "timekeeper",
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
