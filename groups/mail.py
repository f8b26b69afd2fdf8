"""Mail around meetings: inviting new members, inviting to a meeting (with its calendar file),
and the reminder a day or two before. Calendars and mails never carry case content."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.formats import date_format
from django.utils.http import urlsafe_base64_encode

from intervisie.mail import absolute_url, compose

from .ical import build_meeting_calendar
from .models import Attendance, Group, Meeting, Role, display_name

REMINDER_WINDOW = (timedelta(hours=24), timedelta(hours=48))


@dataclass
class MailReport:
    sent: list[str] = field(default_factory=list)  # usernames
    skipped: list[str] = field(default_factory=list)  # usernames without an e-mail address


def password_link(user, base_url: str | None = None) -> str:
    """A one-time link to set a password (Django's password-reset confirmation page)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return absolute_url(path, base_url)


def invite_members(users, group: Group | None = None, base_url: str | None = None) -> MailReport:
    """Mail each user a link to choose their password."""
    report = MailReport()
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    for user in users:
        if not user.email:
            report.skipped.append(user.get_username())
            continue
        user_group = group or user.intervision_groups.order_by("name").first()
        coordinator = user_group.coordinator if user_group else None
        context = {
            "name": user.first_name or display_name(user),
            "username": user.get_username(),
            "group": user_group.name if user_group else "Intervisie",
            "url": password_link(user, base_url),
            "days": days,
            "coordinator": display_name(coordinator) if coordinator else "",
        }
        compose("member_invitation", context, [user.email]).send()
        report.sent.append(user.get_username())
    return report


def _when(meeting: Meeting) -> str:
    return date_format(timezone.localtime(meeting.starts_at), "l j F Y, H:i")


def _meeting_context(meeting: Meeting, user, base_url: str | None) -> dict:
    facilitator = meeting.holder(Role.FACILITATOR)
    return {
        "name": user.first_name or display_name(user),
        "group": meeting.group.name,
        "when": _when(meeting),
        "minutes": meeting.duration_minutes,
        "location": meeting.location,
        "video_url": meeting.video_url,
        "facilitator": display_name(facilitator) if facilitator else "",
        "home_url": absolute_url(reverse("home"), base_url),
        "prepare_url": absolute_url(reverse("cases:new"), base_url),
    }


def _meeting(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_related("group").prefetch_related("roles__user").get(pk=meeting.pk)
    )


def send_meeting_invitation(meeting: Meeting, base_url: str | None = None) -> MailReport:
    """Every active member gets the meeting with its .ics attached."""
    meeting = _meeting(meeting)
    calendar = build_meeting_calendar(meeting)
    filename = f"intervisie-{timezone.localtime(meeting.starts_at):%Y-%m-%d}.ics"
    report = MailReport()
    for user in meeting.group.active_members():
        if not user.email:
            report.skipped.append(user.get_username())
            continue
        compose(
            "meeting_invitation",
            _meeting_context(meeting, user, base_url),
            [user.email],
            attachments=[(filename, calendar, "text/calendar")],
        ).send()
        report.sent.append(user.get_username())
    return report


def meetings_due_for_reminder(now: datetime | None = None):
    now = now or timezone.now()
    start, end = REMINDER_WINDOW
    return Meeting.objects.filter(
        status=Meeting.Status.PLANNED,
        reminder_sent_at__isnull=True,
        starts_at__gte=now + start,
        starts_at__lte=now + end,
    ).order_by("starts_at")


def send_reminder(meeting: Meeting, now: datetime | None = None, base_url: str | None = None):
    """Remind the members who did not cancel. Claims the meeting first (a conditional update),
    so two runs at once, or a rerun, never send a reminder twice. Returns None when another
    run already claimed it."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = Meeting.objects.filter(pk=meeting.pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=now
        )
    if not claimed:
        return None
    try:
        meeting = _meeting(meeting)
        answers = dict(
            Attendance.objects.filter(meeting=meeting).values_list("user_id", "response")
        )
        report = MailReport()
        for user in meeting.group.active_members():
            if answers.get(user.pk) == Attendance.Response.NO:
                continue
            if not user.email:
                report.skipped.append(user.get_username())
                continue
            context = {
                **_meeting_context(meeting, user, base_url),
                "responded": user.pk in answers,
            }
            compose("meeting_reminder", context, [user.email]).send()
            report.sent.append(user.get_username())
    except Exception:
        # Nothing (or not everything) went out: let the next run try again.
        Meeting.objects.filter(pk=meeting.pk).update(reminder_sent_at=None)
        raise
    return report
