"""Opening a meeting's room: who may, what the form proposes, and what opening creates."""

from django.db import transaction

from cases.models import CaseStatus
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
    if facilitator is not None:
        return facilitator.pk == user.pk
    return meeting.group.is_member(user)


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
    return {
        "present": [m.pk for m in members if m.pk not in declined],
        "method": meeting.method_id or meeting.group.default_method_id,
        "facilitator": facilitator.pk if facilitator else None,
        "inbrenger": getattr(meeting.holder(Role.INBRENGER), "pk", None),
        "note_taker": getattr(meeting.holder(Role.NOTE_TAKER), "pk", None),
        "timekeeper": getattr(meeting.holder(Role.TIMEKEEPER), "pk", None),
        "observers": [a.user_id for a in meeting.roles.all() if a.role == Role.OBSERVER],
        "mode": meeting.effective_mode,
        "video_url": meeting.video_url,
    }


@transaction.atomic
def open_room(meeting, data: dict) -> Room:
    """Record roles and presence on the meeting and create its room, waiting for "start"."""
    from methods.planner import plan_method

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

    plan = plan_method(method, meeting.duration_minutes)
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
