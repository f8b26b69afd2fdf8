"""The facts of a privacy statement that come from a group's settings (templates/privacy/
statement.html words them): who coordinates, how long case contents stay, whether the
coordinator may read cases and whether guests may join."""

from dataclasses import dataclass

from django.db.models import Q

from .models import Group, display_name


@dataclass(frozen=True)
class GroupPrivacy:
    name: str
    coordinator: str
    retention_days: int | None
    coordinator_reads_cases: bool
    allows_guests: bool
    confidentiality: str


def group_privacy(group: Group) -> GroupPrivacy:
    return GroupPrivacy(
        name=group.name,
        coordinator=display_name(group.coordinator) if group.coordinator_id else "",
        retention_days=group.case_retention_days,
        coordinator_reads_cases=group.coordinator_may_read_cases,
        allows_guests=group.allow_guests,
        confidentiality=group.confidentiality,
    )


def groups_of(user) -> list[Group]:
    """The groups whose statement concerns this user: theirs, and those they coordinate."""
    if not user.is_authenticated:
        return []
    mine = Q(memberships__user=user, memberships__active=True) | Q(coordinator=user)
    return list(Group.objects.filter(mine).select_related("coordinator").distinct())
