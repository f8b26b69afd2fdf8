"""Changes happen out loud (issue 17.2): a proposed date reaches the coordinator and the group,
the coordinator accepts it, and a moved or cancelled meeting reaches everyone — by mail in their
own language with an updated calendar file, and on their home page."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from groups.models import Attendance, DateProposal, Meeting, Notification, Profile

from .helpers import admin_form_data

pytestmark = pytest.mark.django_db(transaction=True)  # mails go out on commit


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://intervisie.example.org"


def client_for(user, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def calendar_of(message) -> dict:
    ((name, content, mimetype),) = message.attachments
    assert name.endswith(".ics") and mimetype == "text/calendar"
    (event,) = Calendar.from_ical(content).walk("VEVENT")
    return event


def second_to_cancel_proposes(meeting, members, when) -> DateProposal:
    """Femke cancels first, Eva second; Eva proposes a date on her home page."""
    Attendance.objects.create(meeting=meeting, user=members[5], response="no")
    eva = client_for(members[4])
    eva.post(reverse("groups:rsvp", args=[meeting.pk]), {"response": "no"})
    local = timezone.localtime(when)
    response = eva.post(
        reverse("groups:propose_date", args=[meeting.pk]),
        {"starts_at": local.strftime("%Y-%m-%dT%H:%M"), "note": "Donderdag kan iedereen"},
    )
    assert response.status_code == 302
    return DateProposal.objects.get(meeting=meeting)


@pytest.fixture
def new_date(meeting):
    return (meeting.starts_at + timedelta(days=2)).replace(second=0, microsecond=0)


def test_a_proposed_date_reaches_the_coordinator_and_the_group(
    meeting, members, coordinator, new_date
):
    second_to_cancel_proposes(meeting, members, new_date)

    recipients = sorted(m.to[0] for m in mail.outbox)
    expected = [u.email for u in members if u != members[4]] + [coordinator.email]
    assert recipients == sorted(expected)  # everyone but Eva herself
    coordinator_mail = next(m for m in mail.outbox if m.to == [coordinator.email])
    assert "Eva Smit" in coordinator_mail.subject
    assert "https://intervisie.example.org/" in coordinator_mail.body

    home = client_for(coordinator).get(reverse("home"))
    assert 'data-notice="date_proposed"' in home.text
    assert 'data-action="accept-date"' in home.text
    member_home = client_for(members[0]).get(reverse("home"))
    assert "The coordinator decides on the new date." in member_home.text
    assert 'data-action="accept-date"' not in member_home.text


def test_the_coordinator_accepts_and_everyone_gets_the_moved_meeting(
    meeting, members, coordinator, new_date
):
    meeting.reminder_sent_at = timezone.now()
    meeting.save(update_fields=["reminder_sent_at"])
    proposal = second_to_cancel_proposes(meeting, members, new_date)
    mail.outbox.clear()

    response = client_for(coordinator).post(reverse("groups:accept_date", args=[proposal.pk]))

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.starts_at == new_date
    assert meeting.sequence == 1
    assert meeting.reminder_sent_at is None  # the new date gets its own reminder
    assert not Attendance.objects.filter(meeting=meeting).exists()  # old "no"s do not count
    proposal.refresh_from_db()
    assert proposal.status == DateProposal.Status.ACCEPTED

    assert len(mail.outbox) == 7  # six members and the coordinator
    event = calendar_of(mail.outbox[0])
    assert str(event["UID"]) == f"{meeting.pk}@intervisie"
    assert int(event["SEQUENCE"]) == 1
    assert event["DTSTART"].dt == new_date
    assert event["LAST-MODIFIED"].dt >= timezone.now() - timedelta(minutes=1)

    home = client_for(members[0]).get(reverse("home"))
    assert 'data-notice="meeting_moved"' in home.text
    assert "Donderdag kan iedereen" not in home.text  # the proposal is settled, no longer listed
    assert 'data-notice="date_proposed"' not in home.text


def test_a_member_cannot_accept_a_date(meeting, members, new_date):
    proposal = second_to_cancel_proposes(meeting, members, new_date)
    response = client_for(members[0]).post(reverse("groups:accept_date", args=[proposal.pk]))
    assert response.status_code == 404
    meeting.refresh_from_db()
    assert meeting.starts_at != new_date


def test_a_moved_meeting_is_reminded_again(meeting, members, coordinator):
    meeting.starts_at = timezone.now() + timedelta(hours=30)
    meeting.save(update_fields=["starts_at"])
    call_command("send_reminders", stdout=None)
    reminded = len(mail.outbox)
    assert reminded == 6
    proposal = DateProposal.objects.create(
        meeting=meeting, proposed_by=members[4], starts_at=meeting.starts_at + timedelta(hours=4)
    )
    client_for(coordinator).post(reverse("groups:accept_date", args=[proposal.pk]))
    mail.outbox.clear()
    call_command("send_reminders", stdout=None)
    assert len(mail.outbox) == 6


def test_moving_a_meeting_in_the_admin_tells_everyone_in_their_language(
    meeting, members, coordinator
):
    coordinator.is_superuser = True
    coordinator.save()
    Profile.objects.create(user=members[0], language="en")
    Attendance.objects.create(meeting=meeting, user=members[2], response="no")
    admin = client_for(coordinator, "nl")
    url = reverse("admin:groups_meeting_change", args=[meeting.pk])
    data = admin_form_data(admin.get(url), "meeting_form")
    later = timezone.localtime(meeting.starts_at + timedelta(days=7))
    data["starts_at_0"] = later.strftime("%Y-%m-%d")

    response = admin.post(url, data)

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert not Attendance.objects.filter(meeting=meeting).exists()
    anna = next(m for m in mail.outbox if m.to == [members[0].email])
    bram = next(m for m in mail.outbox if m.to == [members[1].email])
    assert anna.subject.startswith("Moved:")
    assert "Answers given for the old date no longer count" in anna.body
    assert bram.subject.startswith("Verplaatst:")
    assert "Antwoorden voor de oude datum tellen niet meer" in bram.body


def test_cancelling_in_the_admin_sends_a_cancelled_event_with_a_title_that_says_so(
    meeting, members, coordinator
):
    coordinator.is_superuser = True
    coordinator.save()
    Profile.objects.create(user=members[0], language="en")
    admin = client_for(coordinator, "nl")
    url = reverse("admin:groups_meeting_change", args=[meeting.pk])
    data = admin_form_data(admin.get(url), "meeting_form")
    data["status"] = Meeting.Status.CANCELLED

    assert admin.post(url, data).status_code == 302

    assert len(mail.outbox) == 7
    anna = next(m for m in mail.outbox if m.to == [members[0].email])
    bram = next(m for m in mail.outbox if m.to == [members[1].email])
    for message, title in ((anna, "Cancelled: "), (bram, "Geannuleerd: ")):
        event = calendar_of(message)
        assert str(event["STATUS"]) == "CANCELLED"
        assert str(event["SUMMARY"]).startswith(title)
        assert int(event["SEQUENCE"]) == 1
    # The subscribed feed says the same.
    feed = Client().get(reverse("groups:ical", args=[meeting.group.ical_token]))
    (event,) = Calendar.from_ical(feed.content).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1
    assert str(event["SUMMARY"]).startswith("Geannuleerd: ")
    home = client_for(members[1]).get(reverse("home"))
    assert 'data-notice="cancelled"' in home.text


def test_the_cancel_action_on_the_meeting_list(meeting, members, coordinator):
    coordinator.is_superuser = True
    coordinator.save()
    client_for(coordinator).post(
        reverse("admin:groups_meeting_changelist"),
        {"action": "cancel_meetings", "_selected_action": [str(meeting.pk)]},
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert len(mail.outbox) == 7


def test_the_coordinator_accepts_a_date_in_the_admin_too(meeting, members, coordinator, new_date):
    coordinator.is_superuser = True
    coordinator.save()
    proposal = second_to_cancel_proposes(meeting, members, new_date)
    admin = client_for(coordinator)
    page = admin.get(reverse("admin:groups_meeting_change", args=[meeting.pk]))
    accept_url = reverse("admin:groups_meeting_accept_date", args=[meeting.pk, proposal.pk])
    assert accept_url in page.text
    assert "Eva Smit" in page.text  # the proposer by name, not "eva"
    confirm = admin.get(accept_url)
    assert "Accept and move the meeting" in confirm.text
    meeting.refresh_from_db()
    assert meeting.starts_at != new_date  # nothing moved by looking

    admin.post(accept_url)

    meeting.refresh_from_db()
    assert meeting.starts_at == new_date
    # Settled: no second acceptance.
    admin.post(accept_url)
    meeting.refresh_from_db()
    assert meeting.sequence == 1


def test_notices_can_be_read_away(meeting, members, coordinator, new_date):
    second_to_cancel_proposes(meeting, members, new_date)
    anna = client_for(members[0])
    notice = Notification.objects.get(user=members[0])
    anna.post(reverse("groups:read_notice", args=[notice.pk]))
    assert 'data-notice="date_proposed"' not in anna.get(reverse("home")).text
    # Nobody reads away someone else's notice.
    other = Notification.objects.get(user=members[1])
    anna.post(reverse("groups:read_notice", args=[other.pk]))
    other.refresh_from_db()
    assert other.read_at is None


def test_the_home_page_reads_notices_in_fixed_queries(meeting, members, coordinator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from groups.notifications import notify

    client = client_for(members[0])

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("home")).status_code == 200
        return len(queries)

    notify([members[0]], Notification.Kind.MEETING_CANCELLED, meeting.group, meeting=meeting,
           data={"old": meeting.starts_at.isoformat()}, mail_context=lambda u: {})  # fmt: skip
    one = count_queries()
    for _ in range(5):
        notify([members[0]], Notification.Kind.MEETING_MOVED, meeting.group, meeting=meeting,
               data={"old": meeting.starts_at.isoformat(), "new": meeting.starts_at.isoformat()},
               mail_context=lambda u: {})  # fmt: skip
    assert count_queries() == one
