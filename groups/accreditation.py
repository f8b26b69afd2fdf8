"""Attendance on record, for professional registers (accreditation): which meetings a member
attended, how long, in which group and method, confirmed by that meeting's facilitator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from intervisie.documents import PdfDocument

from .models import Attendance, Group, Meeting, Role, RoleAssignment, display_name


@dataclass(frozen=True)
class AttendedMeeting:
    starts_at: datetime
    group: str
    method: str
    minutes: int
    confirmed_by: str

    @property
    def date(self) -> str:
        return date_format(timezone.localtime(self.starts_at), "j F Y, H:i")


def _with_facilitator(attendances):
    facilitators = RoleAssignment.objects.filter(role=Role.FACILITATOR).select_related("user")
    return attendances.select_related("meeting__group", "meeting__method").prefetch_related(
        Prefetch("meeting__roles", queryset=facilitators)
    )


def attended_meetings(user) -> list[AttendedMeeting]:
    """Meetings held (status done) at which `user` was marked present, oldest first."""
    rows = _with_facilitator(
        Attendance.objects.filter(user=user, present=True, meeting__status=Meeting.Status.DONE)
    ).order_by("meeting__starts_at")
    result = []
    for attendance in rows:
        meeting = attendance.meeting
        facilitator = meeting.holder(Role.FACILITATOR)
        result.append(
            AttendedMeeting(
                starts_at=meeting.starts_at,
                group=meeting.group.name,
                method=meeting.method.name if meeting.method else "",
                minutes=meeting.duration_minutes,
                confirmed_by=display_name(facilitator) if facilitator else "",
            )
        )
    return result


def total_hours(meetings: list[AttendedMeeting]) -> str:
    minutes = sum(m.minutes for m in meetings)
    return f"{minutes // 60}:{minutes % 60:02d}"


def attendance_record_pdf(user, meetings: list[AttendedMeeting]) -> bytes:
    name = display_name(user)
    doc = PdfDocument(
        _("Intervision attendance record"),
        _("%(name)s · made on %(date)s")
        % {"name": name, "date": date_format(timezone.localdate(), "j F Y")},
    )
    doc.key_values(
        [
            (_("Participant"), name),
            (_("Meetings attended"), str(len(meetings))),
            (_("Total time (hours:minutes)"), total_hours(meetings)),
        ]
    )
    doc.space()
    if meetings:
        doc.table(
            [_("Date"), _("Group"), _("Method"), _("Minutes"), _("Confirmed by (facilitator)")],
            [(m.date, m.group, m.method, str(m.minutes), m.confirmed_by or "–") for m in meetings],
        )
    else:
        doc.paragraph(_("No attended meetings on record yet."), muted=True)
    doc.space(5)
    doc.paragraph(
        _(
            "Each meeting was held as peer consultation (intervision); presence was recorded "
            "by that meeting's facilitator when the session room was opened."
        ),
        muted=True,
    )
    return doc.render(footer=_("Intervision attendance record: %(name)s") % {"name": name})


ATTENDANCE_CSV_HEADER = [
    "date",
    "group",
    "status",
    "method",
    "minutes",
    "member",
    "username",
    "response",
    "present",
    "facilitator",
]


def group_attendance_rows(group: Group):
    """Every recorded answer and presence of the group's meetings, for the coordinator."""
    rows = _with_facilitator(Attendance.objects.filter(meeting__group=group)).select_related("user")
    for a in rows.order_by("meeting__starts_at", "user__first_name", "user__username"):
        meeting = a.meeting
        facilitator = meeting.holder(Role.FACILITATOR)
        yield [
            timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M"),
            group.name,
            meeting.status,
            meeting.method.name if meeting.method else "",
            meeting.duration_minutes,
            display_name(a.user),
            a.user.get_username(),
            a.response,
            {True: "yes", False: "no", None: ""}[a.present],
            display_name(facilitator) if facilitator else "",
        ]
