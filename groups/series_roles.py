"""The rotation applied to a whole series at once: facilitator and inbrenger (and, in long
meetings, a second inbrenger) for every planned meeting, previewed before anything is saved.

Each meeting's pick counts as a turn for the meetings after it, so a half-year series spreads the
roles as fairly as picking them one meeting at a time would. Roles already given to someone who
can come are kept; roles of someone who cancelled (or left) are filled afresh. Four queries,
whatever the number of meetings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Attendance, Group, Meeting, Membership, Role, RoleAssignment, display_name
from .roles import max_case_rounds
from .rotation import ROTATING_ROLES, Candidate, pick_next, reason_for


@dataclass
class Slot:
    role: str
    round: int
    user: object | None
    reason: str
    new: bool  # not yet on the meeting: applying the plan adds it

    @property
    def label(self) -> str:
        if self.role == Role.FACILITATOR:
            return _("Facilitator")
        return _("Inbrenger") if self.round == 1 else _("Inbrenger, second case")


@dataclass
class MeetingRoles:
    meeting: Meeting
    slots: list[Slot] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def changes(self) -> list[Slot]:
        return [s for s in self.slots if s.new and s.user is not None]


def plan_series_roles(
    group: Group, meetings: list[Meeting], *, two_cases: bool = False
) -> list[MeetingRoles]:
    meetings = sorted(meetings, key=lambda m: m.starts_at)
    if not meetings:
        return []
    ids = [m.pk for m in meetings]
    members = {
        m.user_id: m.user
        for m in Membership.objects.filter(
            group=group, active=True, user__is_active=True
        ).select_related("user")
    }
    said_no: dict = {}
    for meeting_id, user_id in Attendance.objects.filter(
        meeting_id__in=ids, response=Attendance.Response.NO
    ).values_list("meeting_id", "user_id"):
        said_no.setdefault(meeting_id, set()).add(user_id)
    held: dict[tuple[str, int], tuple[date | None, int]] = {
        (row["role"], row["user_id"]): (timezone.localdate(row["last"]), row["times"])
        for row in RoleAssignment.objects.filter(
            meeting__group=group,
            meeting__starts_at__lt=meetings[0].starts_at,
            role__in=ROTATING_ROLES,
        )
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        .order_by()
        .values("user_id", "role")
        .annotate(last=Max("meeting__starts_at"), times=Count("id"))
    }
    existing: dict = {}
    for a in RoleAssignment.objects.filter(
        meeting_id__in=ids, role__in=ROTATING_ROLES
    ).select_related("user"):
        existing[(a.meeting_id, a.role, a.round)] = a

    plans = []
    for meeting in meetings:
        available = {pk: u for pk, u in members.items() if pk not in said_no.get(meeting.pk, ())}
        plan = MeetingRoles(meeting)
        taken = {
            a.user_id
            for (mid, role, _round), a in existing.items()
            if mid == meeting.pk and a.user_id in available
        }
        rounds = 2 if two_cases and max_case_rounds(meeting.duration_minutes) > 1 else 1
        wanted = [(Role.FACILITATOR, 1)] + [(Role.INBRENGER, n) for n in range(1, rounds + 1)]
        for role, round_ in wanted:
            slot = _fill(meeting, role, round_, existing, available, held, taken, plan)
            plan.slots.append(slot)
            if slot.user is not None:
                taken.add(slot.user.pk)
                _, times = held.get((role, slot.user.pk), (None, 0))
                held[(role, slot.user.pk)] = (timezone.localdate(meeting.starts_at), times + 1)
        plans.append(plan)
    return plans


def _fill(meeting, role, round_, existing, available, held, taken, plan) -> Slot:
    current = existing.get((meeting.pk, role, round_))
    if current is not None and current.user_id in available:
        return Slot(role, round_, current.user, _("Already assigned for this meeting"), False)
    if current is not None:
        plan.warnings.append(
            _("%(name)s is down as %(role)s but cannot come or left the group: choose again.")
            % {"name": display_name(current.user), "role": Role(role).label}
        )
    candidates = [
        Candidate(pk, display_name(user), *held.get((role, pk), (None, 0)))
        for pk, user in available.items()
    ]
    chosen = pick_next(candidates, exclude=taken)
    user = available[chosen.member_id] if chosen else None
    return Slot(role, round_, user, reason_for(role, chosen), True)


@transaction.atomic
def apply_series_roles(plans: list[MeetingRoles]) -> int:
    """Save the plan's new roles (replacing holders who can no longer come). Returns how many."""
    count = 0
    for plan in plans:
        for slot in plan.changes:
            RoleAssignment.objects.filter(
                meeting=plan.meeting, role=slot.role, round=slot.round
            ).delete()
            RoleAssignment.objects.filter(
                meeting=plan.meeting, role=slot.role, user=slot.user
            ).delete()
            RoleAssignment.objects.create(
                meeting=plan.meeting, user=slot.user, role=slot.role, round=slot.round
            )
            count += 1
    return count
