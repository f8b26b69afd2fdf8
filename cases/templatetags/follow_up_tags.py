"""The follow-up of last time's case, for the next meeting's lobby (templates/rooms/follow_up.html).

The room's step fragment is rendered once per audience for every push, so the case is looked up
once per rendered room object and cached on it: one query per push, however many screens.
"""

from django import template

from cases.models import ActionPlan, Case, CaseStatus
from cases.summary import action_plan_rows

register = template.Library()

_CACHE_ATTRIBUTE = "_follow_up_case"


def previous_discussed_case(room) -> Case | None:
    """The group's most recent case, from a meeting before this room's, that was discussed and
    has an action plan, and whose outcome is not recorded yet."""
    meeting = room.meeting
    return (
        Case.objects.filter(
            group_id=meeting.group_id,
            status=CaseStatus.DISCUSSED,
            action_plan__isnull=False,
            meeting__starts_at__lt=meeting.starts_at,
        )
        .exclude(pk=room.case_id)
        .select_related("owner", "meeting", "action_plan")
        .order_by("-meeting__starts_at", "-updated_at")
        .first()
    )


@register.simple_tag
def follow_up_case(room) -> Case | None:
    """`{% follow_up_case room as previous %}`: last time's case, or None."""
    if room is None:
        return None
    if not hasattr(room, _CACHE_ATTRIBUTE):
        setattr(room, _CACHE_ATTRIBUTE, previous_discussed_case(room))
    return getattr(room, _CACHE_ATTRIBUTE)


@register.filter(name="action_plan_rows")
def action_plan_rows_filter(plan: ActionPlan | None) -> list[tuple[str, str]]:
    return action_plan_rows(plan)
