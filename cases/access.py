"""Who may read a case's content: the one place that decides, for the site, the admin and the
downloads. Everything else asks here.

- The inbrenger (owner) reads everything of their own case, always.
- A draft is the owner's alone.
- Active members of the case's group read what the group sees: title and question.
- The group's coordinator reads title, question, description and what became of it, only while
  every current member has agreed (groups/consent.py) and the owner's own agreement stands.
  Never the preparation answers or the private notes.
- Nobody else: not other groups, not former members, not a superuser as such.

Every read of case content by the group's coordinator or a superuser (even one who is also a
member) is recorded in CaseRead, and the owner sees those records on their case page.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest

from groups.consent import coordinator_may_read, groups_open_to_coordinator, has_agreed
from groups.models import Membership, ReadingConsent, display_name

from .models import Case, CaseRead, CaseStatus

# What each kind of reader may see of a case besides its title.
GROUP_FIELDS = ("working_question", "reformulated_question")
COORDINATOR_FIELDS = (*GROUP_FIELDS, "description", "follow_up")


class Reader(StrEnum):
    OWNER = "owner"
    MEMBER = "member"
    COORDINATOR = "coordinator"
    NOBODY = ""


def decide(
    *,
    authenticated: bool,
    owner: bool,
    draft: bool,
    active_member: bool,
    group_coordinator: bool,
    group_consents: bool,
    owner_consents: bool,
) -> Reader:
    """The rule itself, on plain facts (unit-tested one by one)."""
    if not authenticated:
        return Reader.NOBODY
    if owner:
        return Reader.OWNER
    if draft:
        return Reader.NOBODY
    if active_member:
        return Reader.MEMBER
    if group_coordinator and group_consents and owner_consents:
        return Reader.COORDINATOR
    return Reader.NOBODY


def reader(user, case: Case) -> Reader:
    """How `user` may read `case` (`case.group` is read; select_related it)."""
    authenticated = bool(getattr(user, "is_authenticated", False))
    owner = authenticated and case.owner_id == user.pk
    draft = case.status == CaseStatus.DRAFT
    if not authenticated or owner or draft:
        return decide(
            authenticated=authenticated,
            owner=owner,
            draft=draft,
            active_member=False,
            group_coordinator=False,
            group_consents=False,
            owner_consents=False,
        )
    group = case.group
    active_member = Membership.objects.filter(group=group, user=user, active=True).exists()
    group_coordinator = group.coordinator_id == user.pk
    consents = not active_member and group_coordinator and coordinator_may_read(group)
    return decide(
        authenticated=True,
        owner=False,
        draft=False,
        active_member=active_member,
        group_coordinator=group_coordinator,
        group_consents=consents,
        owner_consents=consents and _owner_agreed(case),
    )


def _owner_agreed(case: Case) -> bool:
    """A current member's agreement is part of the group's; a former member's must stand too."""
    return has_agreed(case.group, case.owner)


def may_read(user, case: Case) -> bool:
    return reader(user, case) != Reader.NOBODY


def visible_fields(who: Reader) -> tuple[str, ...]:
    if who == Reader.COORDINATOR:
        return COORDINATOR_FIELDS
    if who == Reader.MEMBER:
        return GROUP_FIELDS
    return ()


def member_readable(user) -> Q:
    """Cases `user` reads as an active member of their group (not drafts), as a filter."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    member = Exists(
        Membership.objects.filter(group_id=OuterRef("group_id"), user=user, active=True)
    )
    return ~Q(status=CaseStatus.DRAFT) & member


def coordinator_readable(user) -> Q:
    """Cases `user` reads as the coordinator, with everyone's consent, as a filter."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    owner_agreed = Exists(
        ReadingConsent.objects.filter(
            group_id=OuterRef("group_id"),
            member_id=OuterRef("owner_id"),
            coordinator_id=OuterRef("group__coordinator_id"),
            withdrawn_at__isnull=True,
        )
    )
    return (
        ~Q(status=CaseStatus.DRAFT)
        & Q(group__coordinator=user)
        & groups_open_to_coordinator("group__")
        & owner_agreed
    )


def readable_by(user) -> Q:
    """`may_read` as a filter on cases."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return Q(owner=user) | member_readable(user) | coordinator_readable(user)


# ---- The access record ----------------------------------------------------------------------


def must_record(user, case: Case, who: Reader) -> bool:
    """Reads by the group's coordinator or a superuser are recorded; the owner's never."""
    if who in (Reader.OWNER, Reader.NOBODY):
        return False
    return bool(user.is_superuser) or case.group.coordinator_id == user.pk


def record_read(request: HttpRequest, case: Case, who: Reader, channel: str) -> CaseRead | None:
    """Append a CaseRead when this read must be recorded (see must_record)."""
    user = request.user
    if not must_record(user, case, who):
        return None
    if case.group.coordinator_id == user.pk:
        role = CaseRead.Role.COORDINATOR
    else:
        role = CaseRead.Role.SUPERUSER
    return CaseRead.objects.create(
        case=case,
        reader=user,
        reader_name=display_name(user)[:150],
        reader_role=role,
        channel=channel,
        path=request.get_full_path()[:300],
        address=client_address(request),
    )


def client_address(request: HttpRequest) -> str | None:
    """The reader's address as the server saw it (behind nginx: run Daphne with --proxy-headers,
    docs/deploy.md, so that this is the client and not the proxy)."""
    return request.META.get("REMOTE_ADDR") or None


def reads_of(case: Case):
    """The records the owner sees: who read, when, where, newest first."""
    return CaseRead.objects.filter(case=case).order_by("-read_at")
