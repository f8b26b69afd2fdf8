"""Mail around meetings: inviting new members, inviting to a meeting (with its calendar file),
and the reminder a day or two before. Calendars and mails never carry case content."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.formats import date_format
from django.utils.http import urlsafe_base64_encode

from common.mail import absolute_url, compose

from .ical import build_meeting_calendar
from .models import Attendance, Group, Meeting, Role, display_name
from .preferences import preferred_languages

REMINDER_WINDOW = (timedelta(hours=24), timedelta(hours=48))


@dataclass
class MailReport:
    sent: list = field(default_factory=list)  # users
    skipped: list = field(default_factory=list)  # users without an e-mail address

    @property
    def skipped_names(self) -> str:
        return ", ".join(display_name(u) for u in self.skipped)


def send_each(
    users: Iterable,
    template: str,
    context_for: Callable[[object], dict],
    attachments_for: Callable[[object], list] | None = None,
) -> MailReport:
    """One mail per user, written in that user's own language (dates and calendar files too:
    everything the callbacks build happens under that language)."""
    users = list(users)
    languages = preferred_languages(users)
    report = MailReport()
    for user in users:
        if not user.email:
            report.skipped.append(user)
            continue
        language = languages[user.pk]
        with translation.override(language):
            message = compose(
                template,
                context_for(user),
                [user.email],
                language=language,
                attachments=attachments_for(user) if attachments_for else (),
            )
        message.send()
        report.sent.append(user)
    return report


def password_link(user, base_url: str | None = None) -> str:
    """A one-time link to set a password (Django's password-reset confirmation page)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return absolute_url(path, base_url)


def invite_members(users, group: Group | None = None, base_url: str | None = None) -> MailReport:
    """Mail each user a link to choose their password."""
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)

    def context(user) -> dict:
        user_group = group or user.intervision_groups.order_by("name").first()
        coordinator = user_group.coordinator if user_group else None
        return {
            "name": user.first_name or display_name(user),
            "username": user.get_username(),
            "group": user_group.name if user_group else "Intervisie",
            "group_title": user_group.title if user_group else "Intervisie",
            "url": password_link(user, base_url),
            "days": days,
            "coordinator": display_name(coordinator) if coordinator else "",
        }

    return send_each(users, "member_invitation", context)


def _when(meeting: Meeting) -> str:
    return date_format(timezone.localtime(meeting.starts_at), "l j F Y, H:i")


def _meeting_context(meeting: Meeting, user, base_url: str | None) -> dict:
    facilitator = meeting.holder(Role.FACILITATOR)
    return {
        "name": user.first_name or display_name(user),
        "group": meeting.group.name,
        "group_title": meeting.group.title,
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


def ics_attachment(meeting: Meeting) -> list[tuple[str, bytes, str]]:
    """The meeting as a calendar file, in the active language."""
    filename = f"intervisie-{timezone.localtime(meeting.starts_at):%Y-%m-%d}.ics"
    return [(filename, build_meeting_calendar(meeting), "text/calendar")]


def send_meeting_invitation(meeting: Meeting, base_url: str | None = None) -> MailReport:
    """Every active member gets the meeting with its .ics attached."""
    meeting = _meeting(meeting)
    return send_each(
        meeting.group.active_members(),
        "meeting_invitation",
        lambda user: _meeting_context(meeting, user, base_url),
        lambda user: ics_attachment(meeting),
    )


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
        coming = [
            u for u in meeting.group.active_members() if answers.get(u.pk) != Attendance.Response.NO
        ]
        report = send_each(
            coming,
            "meeting_reminder",
            lambda user: {
                **_meeting_context(meeting, user, base_url),
                "responded": user.pk in answers,
            },
        )
    except Exception:
        # Nothing (or not everything) went out: let the next run try again.
        Meeting.objects.filter(pk=meeting.pk).update(reminder_sent_at=None)
        raise
    return report
