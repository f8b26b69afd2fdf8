"""A long meeting discusses two cases, one after the other, each in a room of its own; both show
in the logbook and in their inbrenger's summary."""

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import Case, CaseStatus
from groups.models import Meeting, Role, RoleAssignment
from methods.models import Method
from reports.logbook import build_logbook, csv_rows, logbook_markdown
from sessions_app import access, live, services
from sessions_app.models import Audience, Room

from .conftest import open_room_for

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


@pytest.fixture
def long_meeting(meeting, members):
    meeting.duration_minutes = 150
    meeting.save(update_fields=["duration_minutes"])
    RoleAssignment.objects.create(meeting=meeting, user=members[0], role=Role.FACILITATOR)
    RoleAssignment.objects.create(meeting=meeting, user=members[1], role=Role.INBRENGER)
    RoleAssignment.objects.create(meeting=meeting, user=members[2], role=Role.INBRENGER, round=2)
    return meeting


@pytest.fixture
def second_case(group, members):
    return Case.objects.create(
        group=group,
        owner=members[2],
        title="Overdracht in de nachtdienst",
        working_question="Hoe kan ik de overdracht aan de nachtdienst korter maken?",
        status=CaseStatus.PROPOSED,
    )


def run_to_the_end(room, facilitator) -> None:
    for command in ("start", "end"):
        room.refresh_from_db()
        services.run_command(room.pk, facilitator, command, room.revision)


def test_the_second_case_gets_a_room_of_its_own(
    long_meeting, members, case, second_case, method_library
):
    anna = members[0]
    first = open_room_for(long_meeting, members, case=case)
    assert first.round == 1
    # Each case has half of the meeting.
    assert sum(first.planned_minutes.values()) <= 75
    run_to_the_end(first, anna)
    long_meeting.refresh_from_db()
    assert long_meeting.status == Meeting.Status.IN_PROGRESS  # the second case is still to come

    client = client_for(anna)
    page = client.get(reverse("rooms:open", args=[long_meeting.pk]))
    assert page.status_code == 200
    assert "Open the room for the second case" in page.text
    assert page.context["form"].initial["inbrenger"] == members[2].pk
    assert 'name="facilitator"' not in page.text  # the meeting's facilitator stays

    response = client.post(
        reverse("rooms:open", args=[long_meeting.pk]),
        {
            "present": [m.pk for m in members if m != members[1]],
            "method": Method.objects.get(slug="roddelmodel").pk,
            "case": second_case.pk,
        },
    )
    second = Room.objects.get(meeting=long_meeting, round=2)
    assert response.url == reverse("rooms:room", args=[second.pk])
    assert second.facilitator == anna
    assert second.case == second_case
    assert second.members.get(user=members[2]).audience == Audience.INBRENGER
    assert sum(second.planned_minutes.values()) <= 75
    # Bram, who brought the first case, comes in late: here he is a participant.
    late = access.find_member(second, members[1], {})
    assert late.audience == Audience.PARTICIPANT

    run_to_the_end(second, anna)
    long_meeting.refresh_from_db()
    assert long_meeting.status == Meeting.Status.DONE
    # Every round held: opening again leads to the last room.
    again = client.get(reverse("rooms:open", args=[long_meeting.pk]))
    assert again.url == reverse("rooms:room", args=[second.pk])


def test_the_first_rooms_end_screen_leads_to_the_second_case(
    long_meeting, members, case, second_case, method_library
):
    first = open_room_for(long_meeting, members, case=case)
    run_to_the_end(first, members[0])
    state = live.load_state(first.pk)
    assert state.can_open_next_round
    facilitator_html = live.render_parts(state, Audience.FACILITATOR, frozenset({"step"}))
    assert reverse("rooms:open", args=[long_meeting.pk]) in facilitator_html

    client_for(members[0]).post(
        reverse("rooms:open", args=[long_meeting.pk]),
        {
            "present": [m.pk for m in members],
            "method": Method.objects.get(slug="roddelmodel").pk,
            "case": second_case.pk,
        },
    )
    second = Room.objects.get(meeting=long_meeting, round=2)
    state = live.load_state(first.pk)
    phone_html = live.render_parts(state, Audience.PARTICIPANT, frozenset({"step"}))
    assert reverse("rooms:room", args=[second.pk]) in phone_html


def test_the_first_inbrenger_cannot_bring_the_second_case(
    long_meeting, members, case, method_library
):
    first = open_room_for(long_meeting, members, case=case)
    run_to_the_end(first, members[0])
    response = client_for(members[0]).post(
        reverse("rooms:open", args=[long_meeting.pk]),
        {
            "present": [m.pk for m in members],
            "method": Method.objects.get(slug="roddelmodel").pk,
            "inbrenger": members[1].pk,
        },
    )
    assert response.status_code == 200
    assert "This person brought the first case" in response.text
    assert not Room.objects.filter(meeting=long_meeting, round=2).exists()


def test_a_meeting_of_ninety_minutes_holds_one_case(meeting, members, case, method_library):
    first = open_room_for(meeting, members, case=case)
    run_to_the_end(first, members[0])
    assert not live.load_state(first.pk).can_open_next_round
    response = client_for(members[0]).get(reverse("rooms:open", args=[meeting.pk]))
    assert response.url == reverse("rooms:room", args=[first.pk])


def test_both_cases_are_in_the_logbook_and_each_in_its_summary(
    long_meeting, group, members, case, second_case, method_library
):
    first = open_room_for(long_meeting, members, case=case)
    run_to_the_end(first, members[0])
    client_for(members[0]).post(
        reverse("rooms:open", args=[long_meeting.pk]),
        {
            "present": [m.pk for m in members],
            "method": Method.objects.get(slug="roddelmodel").pk,
            "case": second_case.pk,
        },
    )
    second = Room.objects.get(meeting=long_meeting, round=2)
    run_to_the_end(second, members[0])

    (entry,) = build_logbook(group)
    assert (entry.inbrenger, entry.case_title) == ("Bram Jansen", case.title)
    (later,) = entry.more_rounds
    assert (later.inbrenger, later.case_title) == ("Chantal Bakker", second_case.title)
    assert entry.inbrengers == "Bram Jansen, Chantal Bakker"
    assert len(list(csv_rows([entry]))) == 2
    assert second_case.title in logbook_markdown(group, [entry])

    page = client_for(members[3]).get(reverse("groups:logbook", args=[group.pk]))
    assert case.title in page.text and second_case.title in page.text

    summary = client_for(members[2]).get(reverse("cases:summary", args=[second_case.pk]))
    assert summary.status_code == 200
    assert second_case.working_question in summary.text
