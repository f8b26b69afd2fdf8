"""The member's home on a phone: next meeting and my answer, my cases, my action plans."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import ActionPlan, Case, CaseStatus
from groups.models import Attendance, DateProposal, Meeting

from .conftest import EN, HTMX, client_for, open_and_hold

pytestmark = pytest.mark.django_db


def rsvp(client, meeting, response, **headers):
    return client.post(reverse("groups:rsvp", args=[meeting.pk]), {"response": response}, **headers)


def test_home_shows_the_next_meeting_with_answer_buttons_and_room_link(meeting, members):
    response = client_for(members[3]).get(reverse("home"), **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Intervisie Zorgteam Noord" in html
    assert f'id="rsvp-{meeting.pk}"' in html
    for answer in ("yes", "maybe", "no"):
        assert f'data-rsvp="{answer}"' in html
    assert f'hx-post="{reverse("groups:rsvp", args=[meeting.pk])}"' in html
    assert reverse("rooms:open", args=[meeting.pk]) in html
    assert reverse("groups:meeting_ics", args=[meeting.pk]) in html
    assert reverse("groups:detail", args=[meeting.group_id]) in html
    assert "htmx" in html  # served from the package, no CDN
    assert "<script>" not in html


def test_answering_yes_through_the_home_page(meeting, members):
    client = client_for(members[3])
    response = rsvp(client, meeting, "yes", **HTMX, **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith(f'<div id="rsvp-{meeting.pk}"')
    assert 'data-response="yes"' in html
    assert 'aria-pressed="true" data-rsvp="yes"' in html
    assert 'aria-pressed="false" data-rsvp="no"' in html
    assert "Thanks, see you there." in html
    assert Attendance.objects.get(meeting=meeting, user=members[3]).response == "yes"
    # The page shows the answer after a reload, too.
    home = client.get(reverse("home")).content.decode()
    assert 'data-response="yes"' in home


def test_the_second_to_cancel_is_asked_to_propose_a_new_date(meeting, members):
    first = rsvp(client_for(members[2]), meeting, "no", **HTMX, **EN).content.decode()
    assert "data-house-rule" not in first
    client = client_for(members[4])
    second = rsvp(client, meeting, "no", **HTMX, **EN).content.decode()
    assert "You are the second to cancel" in second
    assert "data-house-rule" in second and "data-propose-form" in second
    # Still asked after a reload, until a date is proposed.
    assert "data-house-rule" in client.get(reverse("home")).content.decode()
    # A third "no" is not the second.
    third = rsvp(client_for(members[5]), meeting, "no", **HTMX, **EN).content.decode()
    assert "data-house-rule" not in third


def test_proposing_a_new_date(meeting, members):
    rsvp(client_for(members[2]), meeting, "no")
    client = client_for(members[4])
    rsvp(client, meeting, "no")
    new_date = timezone.localtime(meeting.starts_at + timedelta(days=7))
    response = client.post(
        reverse("groups:propose_date", args=[meeting.pk]),
        {"starts_at": new_date.strftime("%Y-%m-%dT%H:%M"), "note": "Zelfde kamer"},
        **HTMX,
        **EN,
    )
    assert response.status_code == 200
    html = response.content.decode()
    proposal = DateProposal.objects.get(meeting=meeting)
    assert proposal.proposed_by == members[4] and proposal.note == "Zelfde kamer"
    assert abs(proposal.starts_at - new_date) < timedelta(minutes=1)
    assert "the group sees your proposal" in html
    assert "data-house-rule" not in html and "data-proposal" in html
    # The rest of the group sees the proposal on their home page.
    assert "Zelfde kamer" in client_for(members[0]).get(reverse("home")).content.decode()
    assert "data-house-rule" not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    "starts_at, error",
    [
        ("", "This field is required."),
        ("morgen", "Enter a valid date/time."),
        ("2001-01-01T10:00", "The new date must be in the future."),
    ],
)
def test_a_wrong_date_gets_a_clear_error(meeting, members, starts_at, error):
    rsvp(client_for(members[2]), meeting, "no")
    client = client_for(members[4])
    rsvp(client, meeting, "no")
    response = client.post(
        reverse("groups:propose_date", args=[meeting.pk]), {"starts_at": starts_at}, **HTMX, **EN
    )
    html = response.content.decode()
    assert error in html
    assert 'class="field-error"' in html
    assert "data-house-rule" in html  # the form stays, with what was typed
    assert not DateProposal.objects.exists()


def test_answering_without_htmx_still_works(meeting, members):
    client = client_for(members[3])
    response = rsvp(client, meeting, "maybe")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert Attendance.objects.get(meeting=meeting, user=members[3]).response == "maybe"


def test_a_nonsense_answer_is_refused(meeting, members):
    html = rsvp(client_for(members[3]), meeting, "perhaps", **HTMX, **EN).content.decode()
    assert "Answer yes, no or maybe" in html
    assert not Attendance.objects.exists()


def test_outsiders_cannot_answer_for_a_meeting(meeting, outsider):
    assert rsvp(client_for(outsider), meeting, "yes").status_code == 404
    assert not Attendance.objects.exists()


def test_a_cancelled_meeting_takes_no_answers(meeting, members):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    rsvp(client_for(members[3]), meeting, "yes")
    assert not Attendance.objects.exists()


def test_home_lists_my_drafts_and_proposed_cases_with_their_status(group, members):
    owner = members[2]
    draft = Case.objects.create(
        group=group,
        owner=owner,
        title="Mijn concept",
        working_question="Hoe kan ik…",
        status=CaseStatus.DRAFT,
    )
    proposed = Case.objects.create(
        group=group,
        owner=owner,
        title="Mijn voorstel",
        working_question="Hoe kan ik…",
        status=CaseStatus.PROPOSED,
    )
    Case.objects.create(group=group, owner=members[3], title="Van een ander",
                        working_question="Hoe kan ik…", status=CaseStatus.PROPOSED)  # fmt: skip
    html = client_for(owner).get(reverse("home"), **EN).content.decode()
    assert re.search(rf'data-case="{draft.pk}".*?data-status="draft"', html, re.S)
    assert re.search(rf'data-case="{proposed.pk}".*?data-status="proposed"', html, re.S)
    assert "Van een ander" not in html
    assert reverse("cases:new") in html


def test_a_member_without_cases_is_offered_the_self_test(group, members):
    html = client_for(members[5]).get(reverse("home"), **EN).content.decode()
    assert 'id="self-test"' in html


def test_after_the_session_home_links_to_the_summary_and_the_open_action_plan(
    held_session, members, meeting
):
    client = client_for(members[1])
    html = client.get(reverse("home"), **EN).content.decode()
    case = held_session.case
    assert reverse("cases:summary", args=[case.pk]) in html
    assert "data-open-plan" in html and "Agenda aanpassen" in html
    # Others do not get Bram's summary link or plan.
    other = client_for(members[2]).get(reverse("home")).content.decode()
    assert reverse("cases:summary", args=[case.pk]) not in other
    assert "Agenda aanpassen" not in other


def test_a_followed_up_plan_shows_what_became_of_it(held_session, members):
    case = held_session.case
    case.follow_up = "Het rondje werkt: iedereen zegt nu iets."
    case.status = CaseStatus.FOLLOWED_UP
    case.save()
    html = client_for(members[1]).get(reverse("home"), **EN).content.decode()
    assert "Het rondje werkt" in html
    assert "data-open-plan" not in html


def test_the_room_link_is_kept_once_the_room_is_open(meeting, members, bram_case):
    room = open_and_hold(meeting, members, bram_case)
    from sessions_app.models import Room

    Room.objects.filter(pk=room.pk).update(status=Room.Status.LOBBY)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.PLANNED)
    html = client_for(members[3]).get(reverse("home")).content.decode()
    assert reverse("rooms:room", args=[room.pk]) in html


def test_home_runs_a_bounded_number_of_queries(
    group, members, meeting, django_assert_max_num_queries
):
    client = client_for(members[1])
    client.get(reverse("home"))
    for i in range(5):
        case = Case.objects.create(
            group=group,
            owner=members[1],
            title=f"Casus {i}",
            working_question="Hoe kan ik…",
            status=CaseStatus.DISCUSSED,
        )
        ActionPlan.objects.create(case=case, first_step="Iets doen")  # fmt: skip
    with django_assert_max_num_queries(14):
        client.get(reverse("home"))
