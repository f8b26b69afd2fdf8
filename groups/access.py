"""Who sees a group's pages: its active members and its coordinator; everyone else gets a 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Group, Membership


def can_view_group(group: Group, user) -> bool:
    if not user.is_authenticated:
        return False
    if group.coordinator_id == user.pk:
        return True
    return Membership.objects.filter(group=group, user=user, active=True).exists()


def viewable_group(user, group_id) -> Group:
    group = get_object_or_404(Group.objects.select_related("coordinator"), pk=group_id)
    if not can_view_group(group, user):
        raise Http404
    return group


def coordinated_group(user, group_id) -> Group:
    group = get_object_or_404(Group, pk=group_id)
    if not user.is_authenticated or group.coordinator_id != user.pk:
        raise Http404
    return group
