"""Fair rotation of the facilitator and the inbrenger: whoever waited longest goes next.

"Everyone brings a case in turn — no one only takes" (METHODS.md). The pure core, `pick_next`,
orders candidates; `suggest_roles` feeds it the group's history in a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .models import Attendance, Meeting, Membership, Role, RoleAssignment, display_name

ROTATING_ROLES: tuple[str, ...] = (Role.FACILITATOR.value, Role.INBRENGER.value)


@dataclass(frozen=True)
class Candidate:
    member_id: int
    name: str
    last_held: date | None
    times_held: int


def rotation_key(candidate: Candidate) -> tuple:
    """Never held first, then longest ago, then least often, then by name (and id, for ties)."""
    return (
        candidate.last_held is not None,
        candidate.last_held or date.min,
        candidate.times_held,
        candidate.name.casefold(),
        candidate.member_id,
    )


def pick_next(candidates: Sequence[Candidate], exclude: Collection[int] = ()) -> Candidate | None:
    """The candidate whose turn it is, or None when nobody is left."""
    eligible = [c for c in candidates if c.member_id not in exclude]
    return min(eligible, key=rotation_key, default=None)


@dataclass
class RotationSuggestion:
    facilitator: AbstractBaseUser | None
    inbrenger: AbstractBaseUser | None
    reasons: dict[str, str] = field(default_factory=dict)  # role → short sentence
    # Someone given a role for this meeting who can no longer hold it (they cancelled, or left).
    warnings: list[str] = field(default_factory=list)
    assigned: set[str] = field(default_factory=set)  # roles already given to someone available

    @property
    def open(self) -> bool:
        """Something to decide: a role nobody available holds yet."""
        return bool(self.warnings) or self.assigned != set(ROTATING_ROLES)


def suggest_roles(meeting: Meeting) -> RotationSuggestion:
    """Propose a facilitator and an inbrenger for `meeting`, never the same person for both.

    Considers the group's active members who did not answer "no" for this meeting, and their
    roles in the group's earlier, not cancelled meetings. A role already given to an available
    member for this meeting is kept. Three queries, whatever the size of the group.
    """
    # Without the rows of erased accounts (no user): a NULL in NOT IN (…) would exclude everyone.
    said_no = Attendance.objects.filter(
        meeting=meeting, response=Attendance.Response.NO, user__isnull=False
    )
    users = {
        m.user_id: m.user
        for m in Membership.objects.filter(
            group_id=meeting.group_id, active=True, user__is_active=True
        )
        .exclude(user_id__in=said_no.values("user_id"))
        .select_related("user")
    }
    history = (
        RoleAssignment.objects.filter(
            meeting__group_id=meeting.group_id,
            meeting__starts_at__lt=meeting.starts_at,
            role__in=ROTATING_ROLES,
        )
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        .exclude(meeting_id=meeting.pk)
        .order_by()
        .values("user_id", "role")
        .annotate(last=Max("meeting__starts_at"), times=Count("id"))
    )
    held: dict[tuple[str, int], tuple[date | None, int]] = {
        (row["role"], row["user_id"]): (timezone.localdate(row["last"]), row["times"])
        for row in history
    }
    assigned: dict[str, int] = {}
    unavailable: list[tuple[str, AbstractBaseUser]] = []
    for a in RoleAssignment.objects.filter(
        meeting_id=meeting.pk, role__in=ROTATING_ROLES, round=1
    ).select_related("user"):
        if a.user_id in users:
            assigned[a.role] = a.user_id
        else:
            unavailable.append((a.role, a.user))

    suggestion = RotationSuggestion(facilitator=None, inbrenger=None, assigned=set(assigned))
    for role, user in unavailable:
        suggestion.warnings.append(
            _("%(name)s is down as %(role)s but cannot come or left the group: choose again.")
            % {"name": display_name(user), "role": Role(role).label}
        )
    taken: set[int] = set()
    for role in _fill_order(assigned):
        candidates = [
            Candidate(user_id, display_name(user), *held.get((role, user_id), (None, 0)))
            for user_id, user in users.items()
        ]
        if role in assigned and assigned[role] not in taken:
            chosen = next(c for c in candidates if c.member_id == assigned[role])
            reason = _("Already assigned for this meeting")
        else:
            chosen = pick_next(candidates, exclude=taken)
            reason = reason_for(role, chosen)
        if chosen is not None:
            taken.add(chosen.member_id)
            setattr(suggestion, role, users[chosen.member_id])
        suggestion.reasons[role] = reason
    return suggestion


def _fill_order(assigned: dict[str, int]) -> list[str]:
    # Facilitator first; but a role already given for this meeting is settled before any guess.
    return sorted(ROTATING_ROLES, key=lambda role: (role not in assigned, role != Role.FACILITATOR))


def reason_for(role: str, chosen: Candidate | None) -> str:
    if chosen is None:
        return _("Nobody available")
    if chosen.last_held is None:
        if role == Role.FACILITATOR:
            return _("Never facilitated yet")
        return _("Never brought a case yet")
    when = formats.date_format(chosen.last_held, "j F Y")
    if role == Role.FACILITATOR:
        return _("Last facilitated on %(date)s") % {"date": when}
    return _("Last brought a case on %(date)s") % {"date": when}
