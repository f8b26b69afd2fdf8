"""Editing a meeting's roles in the admin: every combination gets a page with a clear message,
never a server error (the three 500s of issue 17), and a long meeting holds two case rounds."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from groups.models import Meeting, Role, RoleAssignment
from groups.roles import RoleRow, role_problems

from .conftest import english_client
from .helpers import admin_form_data


def change_url(meeting: Meeting) -> str:
    return reverse("admin:groups_meeting_change", args=[meeting.pk])


def with_roles(data: dict, rows: list[tuple[str, object, int]], existing: int = 0) -> dict:
    """The meeting form with its role rows replaced by `rows` (role, user, round)."""
    data = {k: v for k, v in data.items() if not k.startswith("roles-")}
    data.update(
        {
            "roles-TOTAL_FORMS": str(len(rows)),
            "roles-INITIAL_FORMS": str(existing),
            "roles-MIN_NUM_FORMS": "0",
            "roles-MAX_NUM_FORMS": "1000",
        }
    )
    for index, (role, user, round_) in enumerate(rows):
        data[f"roles-{index}-role"] = role
        data[f"roles-{index}-user"] = str(user.pk)
        data[f"roles-{index}-round"] = str(round_)
        data[f"roles-{index}-meeting"] = ""
    return data


def test_a_second_inbrenger_on_an_existing_meeting_is_explained_not_a_server_error(
    coordinator_client, meeting, members
):
    RoleAssignment.objects.create(meeting=meeting, user=members[1], role=Role.INBRENGER)
    data = admin_form_data(coordinator_client.get(change_url(meeting)), "meeting_form")
    data.update(
        {
            "roles-TOTAL_FORMS": "2",
            "roles-1-role": Role.INBRENGER,
            "roles-1-user": str(members[2].pk),
            "roles-1-round": "1",
        }
    )
    response = coordinator_client.post(change_url(meeting), data)
    assert response.status_code == 200
    assert "Bram Jansen already brings the case of this meeting." in response.text
    assert "two need at least 120 minutes" in response.text
    assert list(meeting.roles.values_list("user__username", flat=True)) == ["bram"]
    # Nothing else typed on the page is lost.
    assert 'value="Kamer 2.14"' in response.text


def test_two_inbrengers_on_a_new_meeting_are_explained_not_a_server_error(
    coordinator_client, group, members
):
    add_url = reverse("admin:groups_meeting_add")
    data = admin_form_data(coordinator_client.get(add_url), "meeting_form")
    starts = timezone.localtime() + timedelta(days=10)
    data.update(
        {
            "group": str(group.pk),
            "starts_at_0": starts.strftime("%Y-%m-%d"),
            "starts_at_1": "14:00",
            "duration_minutes": "90",
            "status": Meeting.Status.PLANNED,
        }
    )
    data = with_roles(data, [(Role.INBRENGER, members[1], 1), (Role.INBRENGER, members[2], 1)])
    response = coordinator_client.post(add_url, data)
    assert response.status_code == 200
    assert "Bram Jansen already brings the case of this meeting." in response.text
    assert not Meeting.objects.exists()


def test_swapping_the_roles_of_two_rows_saves_the_swap(coordinator_client, meeting, members):
    anna, bram = members[0], members[1]
    RoleAssignment.objects.create(meeting=meeting, user=anna, role=Role.FACILITATOR)
    RoleAssignment.objects.create(meeting=meeting, user=bram, role=Role.INBRENGER)
    data = admin_form_data(coordinator_client.get(change_url(meeting)), "meeting_form")
    assert data["roles-0-role"] == Role.FACILITATOR
    data["roles-0-role"], data["roles-1-role"] = Role.INBRENGER, Role.FACILITATOR

    response = coordinator_client.post(change_url(meeting), data)

    assert response.status_code == 302
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert meeting.holder(Role.FACILITATOR) == bram
    assert meeting.holder(Role.INBRENGER) == anna
    assert meeting.roles.count() == 2


def test_swapping_the_people_of_two_rows_saves_the_swap(coordinator_client, meeting, members):
    anna, bram = members[0], members[1]
    RoleAssignment.objects.create(meeting=meeting, user=anna, role=Role.FACILITATOR)
    RoleAssignment.objects.create(meeting=meeting, user=bram, role=Role.INBRENGER)
    data = admin_form_data(coordinator_client.get(change_url(meeting)), "meeting_form")
    data["roles-0-user"], data["roles-1-user"] = str(bram.pk), str(anna.pk)

    assert coordinator_client.post(change_url(meeting), data).status_code == 302
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert (meeting.holder(Role.FACILITATOR), meeting.holder(Role.INBRENGER)) == (bram, anna)


def test_a_long_meeting_holds_two_case_rounds(coordinator_client, meeting, members):
    data = admin_form_data(coordinator_client.get(change_url(meeting)), "meeting_form")
    data["duration_minutes"] = "150"
    data = with_roles(
        data,
        [
            (Role.FACILITATOR, members[0], 1),
            (Role.INBRENGER, members[1], 1),
            (Role.INBRENGER, members[2], 2),
        ],
    )
    response = coordinator_client.post(change_url(meeting), data)
    assert response.status_code == 302, response.context["errors"]
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert meeting.inbrengers() == [members[1], members[2]]
    assert meeting.holder(Role.INBRENGER, round=2) == members[2]


def test_the_facilitator_cannot_bring_a_case_as_well(coordinator_client, meeting, members):
    data = admin_form_data(coordinator_client.get(change_url(meeting)), "meeting_form")
    data = with_roles(data, [(Role.FACILITATOR, members[0], 1), (Role.INBRENGER, members[0], 1)])
    response = coordinator_client.post(change_url(meeting), data)
    assert response.status_code == 200
    assert "Anna de Vries facilitates this meeting and cannot bring a case as well." in (
        response.text
    )
    assert not meeting.roles.exists()


def test_the_coordinator_reads_the_role_errors_in_dutch(admin_coordinator, meeting, members):
    client = english_client(admin_coordinator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    client.cookies["django_language"] = "nl"
    RoleAssignment.objects.create(meeting=meeting, user=members[1], role=Role.FACILITATOR)
    data = admin_form_data(client.get(change_url(meeting)), "meeting_form")
    data.update({"roles-TOTAL_FORMS": "2", "roles-1-role": Role.FACILITATOR, "roles-1-user": "1"})
    data["roles-1-user"] = str(members[2].pk)
    response = client.post(change_url(meeting), data)
    assert response.status_code == 200
    assert "Bram Jansen is al de facilitator van deze bijeenkomst" in response.text


def test_role_pickers_show_names_of_the_group_members_only(
    coordinator_client, meeting, members, outsider
):
    response = coordinator_client.get(change_url(meeting))
    assert ">Anna de Vries</option>" in response.text
    assert ">anna</option>" not in response.text
    assert "Olaf Buitenstaander" not in response.text


@pytest.mark.parametrize(
    "rows, minutes, expected",
    [
        ([RoleRow("observer", 1, "A", 2)], 150, {0: "Only an inbrenger belongs"}),
        ([RoleRow("inbrenger", 1, "A", 2)], 150, {0: "Fill in who brings the first case"}),
        ([RoleRow("inbrenger", 1, "A", 2)], 90, {0: "at least 120 minutes"}),
        ([RoleRow("observer", 1, "A"), RoleRow("observer", 1, "A")], 90, {1: "A already has"}),
        (
            [RoleRow("inbrenger", 1, "A"), RoleRow("inbrenger", 1, "A", 2)],
            150,
            {1: "A already brings a case"},
        ),
        ([RoleRow("observer", 1, "A"), RoleRow("observer", 2, "B")], 90, {}),
    ],
)
def test_role_rules(rows, minutes, expected):
    with translation.override("en"):
        problems = role_problems(rows, minutes)
    assert set(problems) == set(expected)
    for index, fragment in expected.items():
        assert fragment in problems[index]
