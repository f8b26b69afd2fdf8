from datetime import UTC, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cases.models import Case
from groups.models import Meeting, Role, RoleAssignment

SECRET_QUESTION = "Hoe kan ik omgaan met mijn scheiding op het werk?"


@pytest.fixture
def meetings(group, members, meeting):
    """The fixture's meeting (Anna facilitates, Bram brings a case), one online, one cancelled."""
    RoleAssignment.objects.create(meeting=meeting, user=members[0], role=Role.FACILITATOR)
    RoleAssignment.objects.create(meeting=meeting, user=members[1], role=Role.INBRENGER)
    online = Meeting.objects.create(
        group=group,
        starts_at=meeting.starts_at + timedelta(weeks=4),
        video_url="https://meet.example.org/noord",
    )
    cancelled = Meeting.objects.create(
        group=group,
        starts_at=meeting.starts_at + timedelta(weeks=8),
        status=Meeting.Status.CANCELLED,
    )
    Case.objects.create(
        group=group,
        owner=members[1],
        title="Privé",
        working_question=SECRET_QUESTION,
        description="Details die niemand buiten de groep mag lezen",
        meeting=meeting,
    )
    return [meeting, online, cancelled]


def feed_url(group) -> str:
    return reverse("groups:ical", args=[group.ical_token])


def test_feed_is_a_calendar_anyone_with_the_link_can_read(client, group, meetings):
    response = client.get(feed_url(group))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    # The group is called "Intervisie …" already: not "Intervisie: Intervisie …" (issue 17).
    assert calendar["X-WR-CALNAME"] == "Intervisie Zorgteam Noord"


def test_feed_has_one_event_per_meeting_with_stable_uids(client, group, meetings):
    events = Calendar.from_ical(client.get(feed_url(group)).content).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [f"{m.id}@intervisie" for m in meetings]
    again = Calendar.from_ical(client.get(feed_url(group)).content).walk("VEVENT")
    assert [e["UID"] for e in again] == [e["UID"] for e in events]


def test_feed_times_are_utc(client, group, meetings):
    events = Calendar.from_ical(client.get(feed_url(group)).content).walk("VEVENT")
    for event, meeting in zip(events, meetings, strict=True):
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert start.utcoffset() == timedelta(0)
        assert start == meeting.starts_at.astimezone(UTC).replace(microsecond=0)
        assert end - start == timedelta(minutes=90)
        assert event.decoded("DTSTAMP").utcoffset() == timedelta(0)
    assert b"DTSTART:" in client.get(feed_url(group)).content  # no TZID: plain UTC ("…Z")


def test_feed_describes_place_video_and_roles(client, group, meetings):
    first, online, _ = Calendar.from_ical(client.get(feed_url(group)).content).walk("VEVENT")
    assert first["SUMMARY"] == "Intervisie Zorgteam Noord"
    assert first["LOCATION"] == "Kamer 2.14"
    assert "Anna de Vries" in first["DESCRIPTION"]
    assert "Bram Jansen" in first["DESCRIPTION"]
    assert "URL" not in first
    assert online["URL"] == "https://meet.example.org/noord"


def test_cancelled_meetings_stay_in_the_feed_as_cancelled(client, group, meetings):
    events = Calendar.from_ical(client.get(feed_url(group)).content).walk("VEVENT")
    assert [str(e["STATUS"]) for e in events] == ["CONFIRMED", "CONFIRMED", "CANCELLED"]


def test_feed_never_contains_case_content(client, group, meetings):
    content = client.get(feed_url(group)).content.decode()
    unfolded = content.replace("\r\n ", "")
    assert SECRET_QUESTION not in unfolded
    assert "niemand buiten de groep" not in unfolded
    assert "Privé" not in unfolded


def test_unknown_token_is_not_found(client, group):
    assert client.get(reverse("groups:ical", args=["not-the-token"])).status_code == 404


def test_feed_lists_only_its_own_group(client, group, meetings):
    from groups.models import Group

    other = Group.objects.create(name="Andere groep")
    Meeting.objects.create(group=other, starts_at=timezone.now() + timedelta(days=2))
    assert len(Calendar.from_ical(client.get(feed_url(other)).content).walk("VEVENT")) == 1


def test_member_downloads_a_single_meeting(client, members, meetings):
    client.force_login(members[3])
    response = client.get(reverse("groups:meeting_ics", args=[meetings[0].pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [f"{meetings[0].id}@intervisie"]
    assert SECRET_QUESTION not in response.content.decode().replace("\r\n ", "")


def test_outsider_cannot_download_a_meeting(client, outsider, meetings):
    client.force_login(outsider)
    assert client.get(reverse("groups:meeting_ics", args=[meetings[0].pk])).status_code == 404


def test_former_member_cannot_download_a_meeting(client, group, members, meetings):
    group.memberships.filter(user=members[5]).update(active=False)
    client.force_login(members[5])
    assert client.get(reverse("groups:meeting_ics", args=[meetings[0].pk])).status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(client, meetings):
    response = client.get(reverse("groups:meeting_ics", args=[meetings[0].pk]))
    assert response.status_code == 302
    assert reverse("login") in response.url
