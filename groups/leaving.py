"""A member leaves: `membership_ended` is sent, and their roles in coming meetings are dropped.

A membership ends when it is switched off ("active" unticked on the group's page), when it is
removed, or when the member's account is deactivated. The signal goes out once the change is
committed. The group's own reaction: the member's roles in planned meetings come off the
schedule (and so off the group page and the calendar feed), and the coordinator is told which
roles to fill, with the rotation's suggestion for each.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from .models import Meeting, Membership, Role, RoleAssignment, display_name
from .signals import membership_ended


def end_membership(membership: Membership) -> None:
    """Set a membership inactive (the member left); `membership_ended` follows the commit."""
    if membership.active:
        membership.active = False
        membership.save(update_fields=["active"])


def _send_after_commit(membership: Membership) -> None:
    transaction.on_commit(lambda: membership_ended.send(sender=Membership, membership=membership))


@receiver(pre_save, sender=Membership, dispatch_uid="membership_was_active")
def _remember_active(sender, instance: Membership, **kwargs) -> None:
    instance._was_active = bool(
        instance.pk and Membership.objects.filter(pk=instance.pk, active=True).exists()
    )


@receiver(post_save, sender=Membership, dispatch_uid="membership_switched_off")
def _membership_switched_off(sender, instance: Membership, created: bool, **kwargs) -> None:
    if not created and getattr(instance, "_was_active", False) and not instance.active:
        _send_after_commit(instance)


@receiver(post_delete, sender=Membership, dispatch_uid="membership_removed")
def _membership_removed(sender, instance: Membership, **kwargs) -> None:
    if instance.active:
        _send_after_commit(instance)


def _touches_is_active(kwargs: dict) -> bool:
    fields = kwargs.get("update_fields")
    return fields is None or "is_active" in fields


@receiver(pre_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="user_was_active")
def _remember_user_active(sender, instance, **kwargs) -> None:
    if not _touches_is_active(kwargs):  # e.g. every login saves last_login only
        instance._was_active = False
        return
    instance._was_active = bool(
        instance.pk and sender.objects.filter(pk=instance.pk, is_active=True).exists()
    )


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="user_deactivated")
def _user_deactivated(sender, instance, created: bool, **kwargs) -> None:
    if created or not getattr(instance, "_was_active", False) or instance.is_active:
        return
    for membership in Membership.objects.filter(user=instance, active=True):
        _send_after_commit(membership)


def drop_future_roles(membership: Membership, now=None) -> list[dict]:
    """Take the member's roles in the group's planned meetings off the schedule. Returns what
    was dropped, with the rotation's suggestion for each facilitator and inbrenger."""
    from .rotation import suggest_roles
    from .series_roles import plan_series_roles

    now = now or timezone.now()
    roles = list(
        RoleAssignment.objects.filter(
            user_id=membership.user_id,
            meeting__group_id=membership.group_id,
            meeting__status=Meeting.Status.PLANNED,
            meeting__starts_at__gt=now,
        )
        .select_related("meeting")
        .order_by("meeting__starts_at", "role")
    )
    if not roles:
        return []
    RoleAssignment.objects.filter(pk__in=[r.pk for r in roles]).delete()
    # The calendar feed describes the roles: its events changed.
    Meeting.objects.filter(pk__in={r.meeting_id for r in roles}).update(updated_at=now)
    dropped = []
    for role in roles:
        suggestion = ""
        if role.role == Role.INBRENGER and role.round > 1:
            plan = plan_series_roles(membership.group, [role.meeting], two_cases=True)
            slot = next((s for s in plan[0].slots if s.round == role.round), None) if plan else None
            suggestion = display_name(slot.user) if slot and slot.user else ""
        elif role.role in (Role.FACILITATOR, Role.INBRENGER):
            picked = getattr(suggest_roles(role.meeting), role.role)
            suggestion = display_name(picked) if picked else ""
        dropped.append(
            {
                "meeting": role.meeting,
                "starts_at": role.meeting.starts_at,
                "role": role.role,
                "round": role.round,
                "suggestion": suggestion,
            }
        )
    return dropped


@receiver(membership_ended, sender=Membership, dispatch_uid="drop_roles_of_who_left")
def on_membership_ended(sender, membership: Membership, **kwargs) -> None:
    """Idempotent: a second signal for the same departure finds no roles left to drop."""
    from .notifications import announce_dropped_roles

    # A removed membership is no longer in the table: its instance still names group and user.
    fresh = Membership.objects.select_related("group__coordinator", "user").filter(pk=membership.pk)
    membership = fresh.first() or membership
    dropped = drop_future_roles(membership)
    if dropped:
        announce_dropped_roles(membership.group, membership.user, dropped)
