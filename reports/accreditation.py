"""Attendance on record, for professional registers (accreditation).

Per meeting a member attended: when, how long (hours), in which group and method, their part
(facilitator, a case of their own, participant), and the evidence a register asks for: who
confirmed the presence and how it was recorded — ticked in the session room by the facilitator,
or entered by hand (by whom). Nobody confirms their own presence: the facilitator's own waits for
someone else (the coordinator), and the record says so until then.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from common.documents import PdfDocument
from groups.models import Attendance, Group, Meeting, Role, RoleAssignment, display_name


@dataclass(frozen=True)
class AttendedMeeting:
    starts_at: datetime
    group: str
    method: str
    minutes: int
    confirmed_by: str  # empty: awaiting confirmation
    recorded: str  # how: in the session room, or by hand
    part: str  # facilitator, inbrenger (a case of their own), participant

    @property
    def date(self) -> str:
        return date_format(timezone.localtime(self.starts_at), "j F Y, H:i")

    @property
    def hours(self) -> str:
        return hours(self.minutes)


def hours(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def _with_roles(attendances):
    roles = RoleAssignment.objects.filter(role__in=[Role.FACILITATOR, Role.INBRENGER])
    return attendances.select_related(
        "meeting__group", "meeting__method", "confirmed_by"
    ).prefetch_related(Prefetch("meeting__roles", queryset=roles.select_related("user")))


def _part(meeting: Meeting, user) -> str:
    if meeting.holder(Role.FACILITATOR) == user:
        return _("facilitator")
    rounds = [a.round for a in meeting.roles.all() if a.role == Role.INBRENGER and a.user == user]
    if rounds:
        total = len(meeting.inbrengers())
        if total > 1:
            return _("inbrenger (case %(n)d of %(total)d)") % {"n": rounds[0], "total": total}
        return _("inbrenger")
    return _("participant")


def _confirmer(attendance: Attendance) -> str:
    if attendance.confirmed_by_id:
        return display_name(attendance.confirmed_by)
    return ""


def attended_meetings(user, start: date | None = None, end: date | None = None):
    """Meetings held (status done) at which `user` was present, oldest first; within the
    period from `start` to `end` (both included) when given."""
    rows = Attendance.objects.filter(user=user, present=True, meeting__status=Meeting.Status.DONE)
    if start:
        rows = rows.filter(meeting__starts_at__date__gte=start)
    if end:
        rows = rows.filter(meeting__starts_at__date__lte=end)
    result = []
    for attendance in _with_roles(rows).order_by("meeting__starts_at"):
        meeting = attendance.meeting
        result.append(
            AttendedMeeting(
                starts_at=meeting.starts_at,
                group=meeting.group.name,
                method=meeting.method.name if meeting.method else "",
                minutes=meeting.duration_minutes,
                confirmed_by=_confirmer(attendance),
                recorded=attendance.get_recorded_via_display() if attendance.recorded_via else "",
                part=_part(meeting, user),
            )
        )
    return result


def total_hours(meetings: list[AttendedMeeting], *, confirmed_only: bool = False) -> str:
    return hours(sum(m.minutes for m in meetings if m.confirmed_by or not confirmed_only))


def period_label(start: date | None, end: date | None) -> str:
    if start and end:
        return _("%(start)s to %(end)s") % {
            "start": date_format(start, "j F Y"),
            "end": date_format(end, "j F Y"),
        }
    if start:
        return _("from %(start)s") % {"start": date_format(start, "j F Y")}
    if end:
        return _("until %(end)s") % {"end": date_format(end, "j F Y")}
    return _("all meetings on record")


def attendance_record_pdf(
    user, meetings: list[AttendedMeeting], start: date | None = None, end: date | None = None
) -> bytes:
    name = display_name(user)
    doc = PdfDocument(
        _("Intervision attendance record"),
        _("%(name)s · made on %(date)s")
        % {"name": name, "date": date_format(timezone.localdate(), "j F Y")},
    )
    doc.key_values(
        [
            (_("Participant"), name),
            (_("Period"), period_label(start, end)),
            (_("Meetings attended"), str(len(meetings))),
            (_("Total time (hours:minutes)"), total_hours(meetings)),
            (_("Of which confirmed"), total_hours(meetings, confirmed_only=True)),
        ]
    )
    doc.space()
    if meetings:
        doc.table(
            [_("Date"), _("Group"), _("Method"), _("Hours"), _("Part"), _("Confirmed by")],
            [
                (
                    m.date,
                    m.group,
                    m.method or "–",
                    m.hours,
                    m.part,
                    f"{m.confirmed_by} ({m.recorded})"
                    if m.confirmed_by
                    else _("awaiting confirmation"),
                )
                for m in meetings
            ],
        )
    else:
        doc.paragraph(_("No attended meetings on record in this period."), muted=True)
    doc.space(5)
    doc.paragraph(
        _(
            "Each meeting was held as peer consultation (intervision). Presence is confirmed by "
            "the person named: the meeting's facilitator when opening the session room, or the "
            "coordinator by hand. Nobody confirms their own presence; a meeting a member "
            "facilitated is confirmed by someone else."
        ),
        muted=True,
    )
    return doc.render(footer=_("Intervision attendance record: %(name)s") % {"name": name})


def group_attendance_rows(group: Group) -> tuple[list[str], Iterable[list]]:
    """Every recorded answer and presence of the group's meetings, for the coordinator: the
    header and the rows, in the active language (a spreadsheet shows them as they are)."""
    header = [
        _("Date"),
        _("Group"),
        _("Status"),
        _("Method"),
        _("Hours"),
        _("Member"),
        _("Username"),
        _("Response"),
        _("Present"),
        _("Confirmed by"),
        _("Recorded"),
        _("Facilitator"),
    ]
    rows = _with_roles(Attendance.objects.filter(meeting__group=group)).select_related("user")

    def lines():
        yes_no = {True: _("yes"), False: _("no"), None: ""}
        for a in rows.order_by("meeting__starts_at", "user__first_name", "user__username"):
            meeting = a.meeting
            facilitator = meeting.holder(Role.FACILITATOR)
            yield [
                timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M"),
                group.name,
                meeting.get_status_display(),
                meeting.method.name if meeting.method else "",
                hours(meeting.duration_minutes),
                display_name(a.user),
                a.user.get_username(),
                a.get_response_display(),
                yes_no[a.present],
                _confirmer(a),
                a.get_recorded_via_display() if a.recorded_via else "",
                display_name(facilitator) if facilitator else "",
            ]

    return header, lines()
