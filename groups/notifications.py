"""Telling people what changed: a notice on their home page and a mail in their own language.

A notice stores facts (dates, names, roles), never sentences: the home page writes them in the
reader's language when it shows them. Mail goes out after the change is committed; a mail
server that fails is logged and never undoes the change (the notices are there regardless).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format

from common.mail import absolute_url

from .mail import MailReport, ics_attachment, send_each
from .models import DateProposal, Group, Meeting, Notification, Role, display_name

log = logging.getLogger(__name__)
SHOWN_AT_MOST = 10


def everyone(group: Group) -> list:
    """The group's active members and its coordinator (once, also when they are a member)."""
    people = list(group.active_members())
    if group.coordinator is not None and group.coordinator not in people:
        people.append(group.coordinator)
    return people


def notify(
    users,
    kind: str,
    group: Group,
    *,
    meeting: Meeting | None = None,
    proposal: DateProposal | None = None,
    data: dict | None = None,
    mail_context=None,
    attachments_for=None,
) -> MailReport:
    users = list(users)
    Notification.objects.bulk_create(
        Notification(
            user=user,
            kind=kind,
            group=group,
            meeting=meeting,
            proposal=proposal,
            data=data or {},
        )
        for user in users
    )
    try:
        return send_each(users, f"notice_{kind}", mail_context, attachments_for)
    except Exception:
        log.exception("Could not mail the %s notice for group %s", kind, group.pk)
        return MailReport()


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def _when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "l j F Y, H:i")


def _base_context(user, group: Group) -> dict:
    return {
        "name": user.first_name or display_name(user),
        "group": group.name,
        "group_title": group.title,
        "home_url": absolute_url(reverse("home")),
    }


def announce_proposal(proposal: DateProposal) -> MailReport:
    """A member proposed a new date: the coordinator (who can accept it) and the group."""
    meeting = Meeting.objects.select_related("group__coordinator").get(pk=proposal.meeting_id)
    group = meeting.group
    proposer = proposal.proposed_by
    recipients = [u for u in everyone(group) if u.pk != proposer.pk]
    return notify(
        recipients,
        Notification.Kind.DATE_PROPOSED,
        group,
        meeting=meeting,
        proposal=proposal,
        data={
            "proposed_by": display_name(proposer),
            "starts_at": _iso(proposal.starts_at),
            "meeting_starts_at": _iso(meeting.starts_at),
            "note": proposal.note,
        },
        mail_context=lambda user: {
            **_base_context(user, group),
            "proposed_by": display_name(proposer),
            "when": _when(meeting.starts_at),
            "new_when": _when(proposal.starts_at),
            "note": proposal.note,
            "is_coordinator": user.pk == group.coordinator_id,
        },
    )


def announce_change(meeting: Meeting, kind: str, old_start: datetime, by) -> MailReport:
    """A meeting moved or was cancelled: everyone, with the updated calendar file."""
    meeting = (
        Meeting.objects.select_related("group__coordinator")
        .prefetch_related("roles__user")
        .get(pk=meeting.pk)
    )
    group = meeting.group
    return notify(
        everyone(group),
        kind,
        group,
        meeting=meeting,
        data={
            "old": _iso(old_start),
            "new": _iso(meeting.starts_at),
            "by": display_name(by) if by else "",
        },
        mail_context=lambda user: {
            **_base_context(user, group),
            "old_when": _when(old_start),
            "when": _when(meeting.starts_at),
            "location": meeting.location,
            "video_url": meeting.video_url,
        },
        attachments_for=lambda user: ics_attachment(meeting),
    )


def announce_dropped_roles(group: Group, member, dropped: list[dict]) -> MailReport:
    """A member left: the coordinator learns which roles to fill, with the rotation's pick.
    `dropped`: one dict per role with meeting, starts_at, role, round, suggestion (a name)."""
    if group.coordinator is None or not dropped:
        return MailReport()
    return notify(
        [group.coordinator],
        Notification.Kind.ROLES_DROPPED,
        group,
        data={
            "member": display_name(member),
            "roles": [
                {
                    "meeting": str(d["meeting"].pk),
                    "starts_at": _iso(d["starts_at"]),
                    "role": d["role"],
                    "round": d["round"],
                    "suggestion": d["suggestion"],
                }
                for d in dropped
            ],
        },
        mail_context=lambda user: {
            **_base_context(user, group),
            "member": display_name(member),
            # Built per reader, inside their language: dates and role names.
            "rows": [
                {**d, "role_label": str(Role(d["role"]).label), "when": _when(d["starts_at"])}
                for d in dropped
            ],
            "admin_url": absolute_url(reverse("admin:groups_group_change", args=[group.pk])),
        },
    )


# ---- On the home page -------------------------------------------------------------------------


@dataclass
class ShownNotice:
    notice: Notification
    when: dict[str, datetime | None] = field(default_factory=dict)
    roles: list[dict] = field(default_factory=list)
    can_accept: bool = False

    @property
    def kind(self) -> str:
        return self.notice.kind

    @property
    def data(self) -> dict:
        return self.notice.data


def unread(user) -> QuerySet:
    return Notification.objects.filter(user=user, read_at__isnull=True)


def shown_notices(user) -> list[ShownNotice]:
    """The reader's unread notices, newest first, ready for the template (two queries)."""
    notices = list(unread(user).select_related("group", "meeting", "proposal")[:SHOWN_AT_MOST])
    shown = []
    for notice in notices:
        data = notice.data
        item = ShownNotice(
            notice,
            when={
                key: parse_datetime(data[key])
                for key in ("old", "new", "starts_at", "meeting_starts_at")
                if data.get(key)
            },
        )
        for row in data.get("roles", []):
            item.roles.append(
                {
                    **row,
                    "starts_at": parse_datetime(row["starts_at"]),
                    "role_label": Role(row["role"]).label,
                }
            )
        proposal = notice.proposal
        item.can_accept = (
            notice.kind == Notification.Kind.DATE_PROPOSED
            and proposal is not None
            and proposal.status == DateProposal.Status.OPEN
            and notice.group.coordinator_id == user.pk
            and notice.meeting is not None
            and notice.meeting.status == Meeting.Status.PLANNED
            and proposal.starts_at > timezone.now()
        )
        shown.append(item)
    return shown


def mark_read(user, notice_id: int | None = None) -> int:
    notices = unread(user)
    if notice_id is not None:
        notices = notices.filter(pk=notice_id)
    return notices.update(read_at=timezone.now())
