"""What became of last time's case(s): the follow-up at the next meeting's opening.

Whatever method the last meeting used, its case comes back: with what that method produced (the
tips or advice the inbrenger took along, and an action plan if one was written). The session room
shows it in the lobby and in the step that asks for it (Guns&Roses 1, `follow_up` in the step's
options); only the inbrenger sees their plan and records the outcome.

`cases` sits below the live room: the rooms, their meetings and board items are read through the
reverse relations of Case and Meeting (`case.rooms`, `meeting.rooms`), never imported.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F

from groups.models import Meeting
from methods.i18n import localized

from .models import ActionPlan, Case, CaseStatus
from .summary import action_plan_rows

_CACHE_ATTRIBUTE = "_follow_ups"


@dataclass
class FollowUp:
    case: Case
    meeting: Meeting
    method: str
    taken_along: list[str] = field(default_factory=list)
    plan: ActionPlan | None = None

    @property
    def has_plan(self) -> bool:
        return bool(action_plan_rows(self.plan))


def last_session_meeting(meeting: Meeting) -> Meeting | None:
    """The group's most recent meeting before this one whose session room ran."""
    return (
        Meeting.objects.filter(
            group_id=meeting.group_id,
            starts_at__lt=meeting.starts_at,
            rooms__started_at__isnull=False,
        )
        .order_by("-starts_at")
        .first()
    )


def follow_ups_for(meeting: Meeting, current_case_id=None) -> list[FollowUp]:
    """Last time's discussed case(s) whose outcome is not recorded yet, in three queries. A long
    meeting may have held two case rounds: each case comes back with what its own room made."""
    last = last_session_meeting(meeting)
    if last is None:
        return []
    cases = list(
        # One filter() call: the method's name comes through the same join to the case's room.
        Case.objects.filter(rooms__meeting=last, status=CaseStatus.DISCUSSED)
        .exclude(pk=current_case_id)
        .annotate(
            method_name_nl=F("rooms__method__name_nl"), method_name_en=F("rooms__method__name_en")
        )
        .select_related("owner", "action_plan")
        .distinct()
    )
    if not cases:
        return []
    taken: dict = defaultdict(list)
    # Through the reverse relations (cases sits below the rooms): in one filter() call, so the
    # item belongs to the case's room of that meeting.
    for case_id, text in (
        Case.objects.filter(
            pk__in=[c.pk for c in cases], rooms__meeting=last, rooms__board_items__picked=True
        )
        .order_by("rooms__board_items__created_at", "rooms__board_items__pk")
        .values_list("pk", "rooms__board_items__text")
    ):
        taken[case_id].append(text)
    result = []
    for case in cases:
        try:
            plan = case.action_plan
        except ActionPlan.DoesNotExist:
            plan = None
        result.append(
            FollowUp(
                case=case,
                meeting=last,
                method=localized(case, "method_name"),
                taken_along=taken[case.pk],
                plan=plan,
            )
        )
    return result


def follow_ups_of_room(room) -> list[FollowUp]:
    """Cached on the room object: a push renders the step for every audience from one room."""
    if room is None:
        return []
    if not hasattr(room, _CACHE_ATTRIBUTE):
        setattr(room, _CACHE_ATTRIBUTE, follow_ups_for(room.meeting, room.case_id))
    return getattr(room, _CACHE_ATTRIBUTE)
