"""Mail: inviting new members, meeting invitations with a calendar file, reminders (once),
and the summary link to the inbrenger when the session ends."""

import re
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseStatus
from groups.models import Attendance, Meeting
from sessions_app import services
from sessions_app.models import Room

from .conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://intervisie.example.org"
    settings.LANGUAGE_CODE = "en"


def link_in(message) -> str:
    return re.search(r"https://intervisie\.example\.org(\S+)", message.body).group(1)


def test_invite_members_mails_a_link_to_set_a_password(group, members, client):
    out = StringIO()
    call_command("invite_members", "bram", stdout=out)
    assert "1 invitation(s) sent" in out.getvalue()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bram@example.org"]
    assert "Intervisie Zorgteam Noord" in message.subject
    path = link_in(message)
    assert path.startswith("/accounts/reset/")
    # The link works: Django's password reset confirmation lets Bram choose a password.
    response = client.get(path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    password = "Lange-zin-als-wachtwoord-42"
    response = client.post(form_url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302
    assert client.login(username="bram", password=password)


def test_invite_a_groups_new_members_only(group, members):
    get_user_model().objects.filter(pk=members[0].pk).update(last_login=timezone.now())
    get_user_model().objects.filter(pk=members[5].pk).update(email="")
    err = StringIO()
    call_command("invite_members", "--group", group.name, stdout=StringIO(), stderr=err)
    assert sorted(m.to[0] for m in mail.outbox) == [
        f"{u.username}@example.org" for u in members[1:5]
    ]
    assert "femke" in err.getvalue()


def test_meeting_invitation_from_the_admin_carries_the_calendar_file(group, members, meeting):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    response = client_for(admin).post(
        reverse("admin:groups_meeting_changelist"),
        {"action": "send_invitations", "_selected_action": [str(meeting.pk)]},
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 6
    message = mail.outbox[0]
    ((name, content, mimetype),) = message.attachments
    assert name.endswith(".ics") and mimetype == "text/calendar"
    content = content.decode() if isinstance(content, bytes) else content
    assert "BEGIN:VEVENT" in content and f"UID:{meeting.pk}@intervisie" in content
    assert "Kamer 2.14" in message.body
    # The same address as mails sent by cron: SITE_URL, not the host the admin runs at.
    assert "https://intervisie.example.org/" in message.body
    assert "http://testserver/" not in message.body


def test_send_reminders_once_for_meetings_in_24_to_48_hours(group, members):
    now = timezone.now()
    due = Meeting.objects.create(group=group, starts_at=now + timedelta(hours=36))
    too_soon = Meeting.objects.create(group=group, starts_at=now + timedelta(hours=10))
    too_late = Meeting.objects.create(group=group, starts_at=now + timedelta(days=4))
    Attendance.objects.create(meeting=due, user=members[5], response="no")
    Attendance.objects.create(meeting=due, user=members[4], response="yes")
    call_command("send_reminders", stdout=StringIO())
    assert sorted(m.to[0] for m in mail.outbox) == [
        f"{u.username}@example.org" for u in members[:5]
    ]  # not Femke, who cancelled
    due.refresh_from_db()
    assert due.reminder_sent_at is not None
    for other in (too_soon, too_late):
        other.refresh_from_db()
        assert other.reminder_sent_at is None
    call_command("send_reminders", stdout=StringIO())
    assert len(mail.outbox) == 5  # idempotent


def test_a_failed_reminder_run_is_retried(group, members):
    Meeting.objects.create(group=group, starts_at=timezone.now() + timedelta(hours=30))
    broken = mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("smtp down"))
    with broken, pytest.raises(OSError):
        call_command("send_reminders", stdout=StringIO())
    call_command("send_reminders", stdout=StringIO())
    assert len(mail.outbox) == 6


def test_ending_the_session_mails_the_inbrenger_a_link_to_the_summary(
    meeting, members, bram_case, django_capture_on_commit_callbacks
):
    from .conftest import open_and_hold

    room = open_and_hold(meeting, members, bram_case)
    Room.objects.filter(pk=room.pk).update(status=Room.Status.RUNNING, ended_at=None)
    bram_case.status = CaseStatus.CHOSEN
    bram_case.save()
    room.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.run_command(room.pk, members[0], "end", room.revision)
    summary_mails = [m for m in mail.outbox if m.to == ["bram@example.org"]]
    assert len(summary_mails) == 1
    message = summary_mails[0]
    assert link_in(message) == reverse("cases:summary", args=[bram_case.pk])
    assert "Overleg op vrijdag" in message.subject
    assert bram_case.working_question not in message.body  # a link, never the content


def test_a_mail_problem_does_not_break_ending_the_session(
    meeting, members, bram_case, django_capture_on_commit_callbacks
):
    from .conftest import open_and_hold

    room = open_and_hold(meeting, members, bram_case)
    Room.objects.filter(pk=room.pk).update(status=Room.Status.RUNNING, ended_at=None)
    room.refresh_from_db()
    broken = mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("smtp down"))
    with broken, django_capture_on_commit_callbacks(execute=True):
        services.run_command(room.pk, members[0], "end", room.revision)
    room.refresh_from_db()
    assert room.status == Room.Status.ENDED
