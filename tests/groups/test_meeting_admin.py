from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groups.models import Attendance, DateProposal, Meeting, Role, RoleAssignment
from methods.models import Method

from .helpers import admin_form_data

CHANGELIST = reverse("admin:groups_meeting_changelist")


def change_url(meeting: Meeting) -> str:
    return reverse("admin:groups_meeting_change", args=[meeting.pk])


def planned_meeting(group, members, days: int, method=None) -> Meeting:
    meeting = Meeting.objects.create(
        group=group, starts_at=timezone.now() + timedelta(days=days), method=method
    )
    RoleAssignment.objects.create(meeting=meeting, user=members[days % 6], role=Role.FACILITATOR)
    RoleAssignment.objects.create(
        meeting=meeting, user=members[(days + 1) % 6], role=Role.INBRENGER
    )
    RoleAssignment.objects.create(meeting=meeting, user=members[(days + 2) % 6], role=Role.OBSERVER)
    return meeting


@pytest.fixture
def method(db):
    return Method.objects.create(slug="test-methode", name_nl="Testmethode", name_en="Test method")


def test_coordinator_opens_meeting_list_add_and_change(coordinator_client, meeting):
    assert coordinator_client.get(CHANGELIST).status_code == 200
    assert coordinator_client.get(reverse("admin:groups_meeting_add")).status_code == 200
    response = coordinator_client.get(change_url(meeting))
    assert response.status_code == 200
    assert "Kamer 2.14" in response.text


def test_meeting_list_shows_who_facilitates_and_who_brings_a_case(
    coordinator_client, group, members
):
    planned_meeting(group, members, days=6)  # anna facilitates, bram brings a case
    response = coordinator_client.get(CHANGELIST)
    assert "Anna de Vries" in response.text
    assert "Bram Jansen" in response.text


def test_meeting_list_runs_the_same_queries_for_three_or_eight_meetings(
    coordinator_client, group, members, method
):
    for days in range(1, 4):
        planned_meeting(group, members, days, method)
    with CaptureQueriesContext(connection) as three:
        assert coordinator_client.get(CHANGELIST).status_code == 200
    for days in range(4, 9):
        planned_meeting(group, members, days, method)
    with CaptureQueriesContext(connection) as eight:
        response = coordinator_client.get(CHANGELIST)
    assert response.context["cl"].result_count == 8
    assert len(eight) == len(three)


def test_meeting_page_suggests_the_next_facilitator_and_inbrenger_with_reasons(
    coordinator_client, group, members, meeting
):
    past = Meeting.objects.create(
        group=group,
        starts_at=timezone.now() - timedelta(days=28),
        status=Meeting.Status.DONE,
    )
    for user in members[:5]:  # everyone but Femke facilitated already
        RoleAssignment.objects.create(meeting=past, user=user, role=Role.OBSERVER)
    RoleAssignment.objects.filter(meeting=past, user=members[0]).update(role=Role.FACILITATOR)

    response = coordinator_client.get(change_url(meeting))

    assert "Rotation suggestion" in response.text
    assert "Never facilitated yet" in response.text
    assert "Never brought a case yet" in response.text


def test_date_proposals_are_shown_but_not_editable(coordinator_client, meeting, members):
    DateProposal.objects.create(
        meeting=meeting,
        proposed_by=members[4],
        starts_at=meeting.starts_at + timedelta(days=2),
        note="Donderdag kan iedereen",
    )
    response = coordinator_client.get(change_url(meeting))
    assert "Donderdag kan iedereen" in response.text
    assert 'name="date_proposals-0-note"' not in response.text


def test_roles_and_attendance_are_edited_inline(coordinator_client, meeting, members):
    data = admin_form_data(coordinator_client.get(change_url(meeting)), "meeting_form")
    data.update(
        {
            "roles-TOTAL_FORMS": "1",
            "roles-0-role": Role.FACILITATOR,
            "roles-0-user": str(members[2].pk),
            "attendances-TOTAL_FORMS": "1",
            "attendances-0-user": str(members[3].pk),
            "attendances-0-response": Attendance.Response.YES,
            "attendances-0-responded_at_0": "2026-01-01",
            "attendances-0-responded_at_1": "10:00",
        }
    )
    response = coordinator_client.post(change_url(meeting), data)
    assert response.status_code == 302, response.context["errors"]
    assert meeting.holder(Role.FACILITATOR) == members[2]
    assert meeting.attendances.get().user == members[3]


def test_an_outsider_cannot_get_a_role_in_the_meeting(coordinator_client, meeting, outsider):
    data = admin_form_data(coordinator_client.get(change_url(meeting)), "meeting_form")
    data.update(
        {
            "roles-TOTAL_FORMS": "1",
            "roles-0-role": Role.FACILITATOR,
            "roles-0-user": str(outsider.pk),
        }
    )
    response = coordinator_client.post(change_url(meeting), data)
    assert response.status_code == 200
    assert "Olaf Buitenstaander is not a member of this group." in response.text
    assert not meeting.roles.exists()
