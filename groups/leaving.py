"""Noticing that someone leaves a group, however it happens, and saying so once.

The admin's inline, a script or a deactivated account all save through the models, so the
receivers here see every way out; `membership_ended` (groups/signals.py) tells the apps above.
Bulk `QuerySet.update()` bypasses model signals: end memberships with `end_membership()`.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save, pre_save

from .models import Membership
from .signals import membership_ended

_ENDING = "_membership_ending"  # set on an instance between pre_save and post_save


def end_membership(membership: Membership) -> None:
    """Set a membership inactive (the member left); sends `membership_ended` if it was active."""
    if membership.active:
        membership.active = False
        membership.save(update_fields=["active"])


def _membership_pre_save(sender, instance: Membership, update_fields=None, **kwargs) -> None:
    if instance._state.adding or instance.active:
        return
    if update_fields is not None and "active" not in update_fields:
        return
    was_active = Membership.objects.filter(pk=instance.pk).values_list("active", flat=True).first()
    setattr(instance, _ENDING, bool(was_active))


def _membership_post_save(sender, instance: Membership, created: bool, **kwargs) -> None:
    if getattr(instance, _ENDING, False):
        setattr(instance, _ENDING, False)
        membership_ended.send(sender=Membership, membership=instance)


def _membership_post_delete(sender, instance: Membership, **kwargs) -> None:
    if instance.active:
        membership_ended.send(sender=Membership, membership=instance)


def _user_pre_save(sender, instance, update_fields=None, **kwargs) -> None:
    # Logging in saves last_login with update_fields: no extra query on every login.
    if instance._state.adding or instance.is_active:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    was_active = sender.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()
    setattr(instance, _ENDING, bool(was_active))


def _user_post_save(sender, instance, created: bool, **kwargs) -> None:
    if not getattr(instance, _ENDING, False):
        return
    setattr(instance, _ENDING, False)
    for membership in Membership.objects.filter(user=instance, active=True).select_related("group"):
        membership_ended.send(sender=Membership, membership=membership)


def connect() -> None:
    user_model = get_user_model()
    pre_save.connect(_membership_pre_save, sender=Membership, dispatch_uid="groups.leaving.m1")
    post_save.connect(_membership_post_save, sender=Membership, dispatch_uid="groups.leaving.m2")
    post_delete.connect(
        _membership_post_delete, sender=Membership, dispatch_uid="groups.leaving.m3"
    )
    pre_save.connect(_user_pre_save, sender=user_model, dispatch_uid="groups.leaving.u1")
    post_save.connect(_user_post_save, sender=user_model, dispatch_uid="groups.leaving.u2")
