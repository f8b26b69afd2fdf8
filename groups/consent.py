"""Consent, not a switch: may the coordinator read the group's cases?

The coordinator (or the site owner) can only *ask* (`Group.coordinator_may_read_cases`). Reading
is allowed while the request stands, the group has a coordinator, it has members, and every
current member has a standing agreement given to that coordinator. A member who withdraws
switches it off for everyone at once; a new member has not agreed yet, so it is off until they do.
Every decision is recorded with its time (ReadingConsent).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from .models import Group, Membership, ReadingConsent


@dataclass(frozen=True)
class MemberConsent:
    user: object
    agreed_at: datetime | None  # None: has not agreed (or withdrew)


@dataclass(frozen=True)
class ConsentState:
    requested: bool
    coordinator: object | None
    members: list[MemberConsent]

    @property
    def agreed(self) -> list[MemberConsent]:
        return [m for m in self.members if m.agreed_at is not None]

    @property
    def waiting(self) -> list[MemberConsent]:
        return [m for m in self.members if m.agreed_at is None]

    @property
    def effective(self) -> bool:
        return (
            self.requested
            and self.coordinator is not None
            and bool(self.members)
            and not self.waiting
        )

    def agreed_at(self, user) -> datetime | None:
        return next((m.agreed_at for m in self.members if m.user.pk == user.pk), None)


def standing(group_id, coordinator_id) -> QuerySet:
    """Agreements that count now: not withdrawn, and given to the group's current coordinator."""
    return ReadingConsent.objects.filter(
        group_id=group_id, coordinator_id=coordinator_id, withdrawn_at__isnull=True
    )


def state(group: Group) -> ConsentState:
    """Who agreed and who did not, for the group page, the home page and the admin (2 queries)."""
    members = list(group.active_members())
    agreed = dict(
        standing(group.pk, group.coordinator_id).values_list("member_id", "given_at")
        if group.coordinator_id
        else []
    )
    return ConsentState(
        requested=group.coordinator_may_read_cases,
        coordinator=group.coordinator if group.coordinator_id else None,
        members=[MemberConsent(user=u, agreed_at=agreed.get(u.pk)) for u in members],
    )


def groups_open_to_coordinator(prefix: str = "") -> Q:
    """A filter on groups (or, with prefix "group__", on anything with a group) that keeps only
    those whose coordinator may read cases now: `coordinator_may_read` as one query."""
    ref = f"{prefix}pk" if prefix else "pk"
    coordinator = f"{prefix}coordinator_id"
    with_members = Exists(Membership.objects.filter(group_id=OuterRef(ref), active=True))
    missing = Membership.objects.filter(group_id=OuterRef(ref), active=True).exclude(
        Exists(
            ReadingConsent.objects.filter(
                group_id=OuterRef(OuterRef(ref)),
                member_id=OuterRef("user_id"),
                coordinator_id=OuterRef(OuterRef(coordinator)),
                withdrawn_at__isnull=True,
            )
        )
    )
    return (
        Q(**{f"{prefix}coordinator_may_read_cases": True, f"{prefix}coordinator__isnull": False})
        & with_members
        & ~Exists(missing)
    )


def coordinator_may_read(group: Group) -> bool:
    """True only while every current member agrees (see the module's docstring)."""
    if not group.coordinator_may_read_cases or not group.coordinator_id:
        return False
    return Group.objects.filter(groups_open_to_coordinator(), pk=group.pk).exists()


def has_agreed(group: Group, user) -> bool:
    """Whether `user` has a standing agreement with the group's current coordinator."""
    if not group.coordinator_id:
        return False
    return standing(group.pk, group.coordinator_id).filter(member=user).exists()


@transaction.atomic
def agree(group: Group, user) -> ReadingConsent | None:
    """Record that an active member agrees; idempotent (a double click records one agreement).
    None when there is nothing to agree to or the user is no member."""
    if not group.coordinator_may_read_cases or not group.coordinator_id:
        return None
    if not Membership.objects.filter(group=group, user=user, active=True).exists():
        return None
    _withdraw_other_coordinators(group, user)
    existing = standing(group.pk, group.coordinator_id).filter(member=user).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return ReadingConsent.objects.create(
                group=group, member=user, coordinator_id=group.coordinator_id
            )
    except IntegrityError:  # a concurrent click won the race: its row is the agreement
        return standing(group.pk, group.coordinator_id).filter(member=user).first()


def _withdraw_other_coordinators(group: Group, user) -> None:
    """One standing row per member (a constraint): an agreement to an earlier coordinator ends."""
    ReadingConsent.objects.filter(group=group, member=user, withdrawn_at__isnull=True).exclude(
        coordinator_id=group.coordinator_id
    ).update(withdrawn_at=timezone.now())


def withdraw(group: Group, user) -> bool:
    """Withdraw at once; True if there was a standing agreement. Reading stops with this commit."""
    return bool(
        ReadingConsent.objects.filter(group=group, member=user, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now()
        )
    )


def needs_decision(user) -> QuerySet:
    """The user's groups whose coordinator asks to read and where the user has not agreed."""
    return Group.objects.filter(
        memberships__user=user,
        memberships__active=True,
        coordinator_may_read_cases=True,
        coordinator__isnull=False,
    ).exclude(
        Exists(
            ReadingConsent.objects.filter(
                group_id=OuterRef("pk"),
                member=user,
                coordinator_id=OuterRef("coordinator_id"),
                withdrawn_at__isnull=True,
            )
        )
    )


@dataclass(frozen=True)
class HomeContract:
    """What a member's home page says about one group's contract."""

    group: Group
    unseen: bool  # a new member, who has not confirmed reading the contract yet
    asks: bool  # the coordinator asks to read cases and this member has not agreed
    agreed_at: datetime | None  # this member's standing agreement, where the request stands
    state: ConsentState | None  # who agreed, where there is something to show

    @property
    def needs_attention(self) -> bool:
        return self.unseen or self.asks


def for_home(user, groups: list[Group]) -> dict:
    """HomeContract per group pk: 2 queries, plus 2 per group that asks or is new to the user."""
    seen = dict(
        Membership.objects.filter(user=user, active=True, group__in=groups).values_list(
            "group_id", "contract_seen_at"
        )
    )
    mine = {
        (group_id, coordinator_id): given_at
        for group_id, coordinator_id, given_at in ReadingConsent.objects.filter(
            member=user, group__in=groups, withdrawn_at__isnull=True
        ).values_list("group_id", "coordinator_id", "given_at")
    }
    result = {}
    for group in groups:
        requested = group.coordinator_may_read_cases and group.coordinator_id is not None
        agreed_at = mine.get((group.pk, group.coordinator_id)) if requested else None
        unseen = seen.get(group.pk) is None
        asks = requested and agreed_at is None
        result[group.pk] = HomeContract(
            group=group,
            unseen=unseen,
            asks=asks,
            agreed_at=agreed_at,
            state=state(group) if (asks or unseen) and requested else None,
        )
    return result
