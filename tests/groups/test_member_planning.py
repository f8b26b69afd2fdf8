"""Members find their group's calendar link and answer for every planned meeting (issue 17.8),
on the group page; the home page links there."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groups.models import Attendance, Meeting

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


@pytest.fixture
def three_meetings(group):
    start = timezone.now() + timedelta(days=5)
    return [
        Meeting.objects.create(group=group, starts_at=start + timedelta(weeks=4 * i))
        for i in range(3)
    ]


def test_a_member_answers_for_a_later_meeting_on_the_group_page(group, members, three_meetings):
    bram = client_for(members[1])
    page = bram.get(reverse("groups:detail", args=[group.pk]))
    for meeting in three_meetings:
        assert f'id="rsvp-{meeting.pk}"' in page.text
    assert group.ical_token in page.text  # the private calendar link, for members too

    later = three_meetings[2]
    response = bram.post(
        reverse("groups:rsvp", args=[later.pk]), {"response": "no"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert Attendance.objects.get(meeting=later, user=members[1]).response == "no"
    home = bram.get(reverse("home"))
    assert f"{reverse('groups:detail', args=[group.pk])}#planned" in home.text


def test_the_calendar_link_is_not_shown_to_outsiders(group, outsider, three_meetings):
    response = client_for(outsider).get(reverse("groups:detail", args=[group.pk]))
    assert response.status_code == 404
