"""Last time's case(s) to follow up, for the next meeting's room (rooms/follow_up.html).

The room's step fragment is rendered once per audience for every push, so the follow-ups are
looked up once per rendered room object and cached on it (cases/follow_up.py).
"""

from django import template

from cases.follow_up import FollowUp, follow_ups_of_room
from cases.models import ActionPlan
from cases.summary import action_plan_rows

register = template.Library()


@register.simple_tag
def follow_ups(room) -> list[FollowUp]:
    """`{% follow_ups room as previous %}`: last time's case(s) to follow up, oldest first."""
    return follow_ups_of_room(room)


@register.filter(name="action_plan_rows")
def action_plan_rows_filter(plan: ActionPlan | None) -> list[tuple[str, str]]:
    return action_plan_rows(plan)
