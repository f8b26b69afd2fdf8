"""What the groups app holds about a member, and how it forgets them.

Registered with privacy/registry.py. Erasing an account ends the memberships and forgets the
member's RSVPs and roles for meetings still to come; for meetings that began, attendance and
roles stay without the name, so the group's counts, logbook and charts do not change.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from privacy.registry import (
    GROUP,
    Field,
    Section,
    iso,
    meeting_where,
    register_eraser,
    register_section,
)

from .models import (
    Attendance,
    DateProposal,
    Group,
    Membership,
    ReadingConsent,
    RoleAssignment,
)

MEETING = Field("meeting_starts_at", gettext_lazy("when the meeting began or begins"))


def memberships_section(user) -> Section:
    rows = Membership.objects.filter(user=user).select_related("group").order_by("joined_on")
    return Section(
        key="memberships",
        title=gettext_lazy("Your groups"),
        description=gettext_lazy(
            "The intervision groups you belong to (or belonged to). The coordinator added you."
        ),
        fields=[
            GROUP,
            Field("joined_on", gettext_lazy("member since")),
            Field("active", gettext_lazy("false once you left the group")),
            Field("url", gettext_lazy("the group's page")),
        ],
        records=[
            {
                "group": m.group.name,
                "joined_on": iso(m.joined_on),
                "active": m.active,
                "url": reverse("groups:detail", args=[m.group_id]),
            }
            for m in rows
        ],
        link=reverse("home"),
        link_label=gettext_lazy("Your groups on the start page"),
    )


def attendance_section(user) -> Section:
    rows = (
        Attendance.objects.filter(user=user)
        .select_related("meeting__group")
        .order_by("meeting__starts_at")
    )
    return Section(
        key="attendance",
        title=gettext_lazy("Your attendance"),
        description=gettext_lazy(
            "Your answers to meeting invitations and whether you were present. The group's "
            "statistics count them; your attendance record for accreditation is made from them."
        ),
        fields=[
            MEETING,
            GROUP,
            Field("response", gettext_lazy("yes, no or maybe")),
            Field("responded_at", gettext_lazy("when you answered")),
            Field("present", gettext_lazy("whether you were there; empty until recorded")),
        ],
        records=[
            {
                **meeting_where(a.meeting),
                "response": a.get_response_display(),
                "responded_at": iso(a.responded_at),
                "present": a.present,
            }
            for a in rows
        ],
        link=reverse("groups:attendance_record"),
        link_label=gettext_lazy("Your attendance record"),
    )


def roles_section(user) -> Section:
    rows = (
        RoleAssignment.objects.filter(user=user)
        .select_related("meeting__group")
        .order_by("meeting__starts_at")
    )
    return Section(
        key="roles",
        title=gettext_lazy("Your roles in meetings"),
        description=gettext_lazy(
            "When you were facilitator, inbrenger, note-taker, observer or timekeeper. The fair "
            "rotation of roles reads these."
        ),
        fields=[MEETING, GROUP, Field("role", gettext_lazy("the role"))],
        records=[
            {
                **meeting_where(r.meeting),
                "role": r.get_role_display(),
            }
            for r in rows
        ],
    )


def date_proposals_section(user) -> Section:
    rows = DateProposal.objects.filter(proposed_by=user).select_related("meeting__group")
    return Section(
        key="date_proposals",
        title=gettext_lazy("New dates you proposed"),
        description=gettext_lazy(
            "House rule: the second member to cancel proposes a new date. These are yours."
        ),
        fields=[
            MEETING,
            GROUP,
            Field("proposed_starts_at", gettext_lazy("the new date you proposed")),
            Field("note", gettext_lazy("your note")),
            Field("created_at", gettext_lazy("when you proposed it")),
        ],
        records=[
            {
                **meeting_where(p.meeting),
                "proposed_starts_at": iso(p.starts_at),
                "note": p.note,
                "created_at": iso(p.created_at),
            }
            for p in rows.order_by("created_at")
        ],
    )


def coordinated_section(user) -> Section | None:
    rows = Group.objects.filter(coordinator=user).order_by("name")
    if not user.is_staff and not rows.exists():
        return None
    return Section(
        key="coordinated_groups",
        title=gettext_lazy("Groups you coordinate"),
        description=gettext_lazy(
            "Your name is shown as these groups' coordinator. After erasing your account they "
            "have no coordinator until the site owner appoints one."
        ),
        fields=[GROUP, Field("created_at", gettext_lazy("when the group was created"))],
        records=[{"group": g.name, "created_at": iso(g.created_at)} for g in rows],
    )


def erase(user) -> dict[str, int]:
    begun = Q(meeting__starts_at__lte=timezone.now())
    attendance = Attendance.objects.filter(user=user)
    roles = RoleAssignment.objects.filter(user=user)
    return {
        _("attendance kept as counts, without your name"): attendance.filter(begun).update(
            user=None
        ),
        _("answers to meetings still to come, deleted"): attendance.exclude(begun).delete()[0],
        _("roles in past meetings kept under “former member”"): roles.filter(begun).update(
            user=None
        ),
        _("roles in meetings still to come, deleted"): roles.exclude(begun).delete()[0],
        _("date proposals, deleted"): DateProposal.objects.filter(proposed_by=user).delete()[0],
        _("groups you coordinated, now without coordinator"): Group.objects.filter(
            coordinator=user
        ).update(coordinator=None),
        _("memberships, ended and deleted"): Membership.objects.filter(user=user).delete()[0],
    }


def reading_consents_section(user) -> Section:
    rows = ReadingConsent.objects.filter(member=user).select_related("group", "coordinator")
    return Section(
        key="reading_consents",
        title=gettext_lazy("Your consent to the coordinator reading cases"),
        description=gettext_lazy(
            "Each time you agreed that your group's coordinator may read the group's cases, and "
            "when you withdrew. It only takes effect while every member agrees."
        ),
        fields=[
            GROUP,
            Field("coordinator", gettext_lazy("the coordinator you agreed to")),
            Field("given_at", gettext_lazy("when you agreed")),
            Field("withdrawn_at", gettext_lazy("when you withdrew; empty while it stands")),
        ],
        records=[
            {
                "group": c.group.name,
                "coordinator": c.coordinator.get_full_name() if c.coordinator else "",
                "given_at": iso(c.given_at),
                "withdrawn_at": iso(c.withdrawn_at),
            }
            for c in rows.order_by("given_at")
        ],
    )


register_section("memberships", memberships_section, order=200)
register_section("reading_consents", reading_consents_section, order=205)
register_section("attendance", attendance_section, order=210)
register_section("roles", roles_section, order=220)
register_section("date_proposals", date_proposals_section, order=230)
register_section("coordinated_groups", coordinated_section, order=240)
register_eraser("groups", erase, order=300)
