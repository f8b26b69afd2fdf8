"""The next meeting's lobby asks what became of Bram's action plan; Bram records it."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse

from cases.follow_up import follow_ups_for
from cases.models import ActionPlan, Case, CaseStatus
from groups.models import Meeting
from methods.models import Method
from sessions_app import live, services
from sessions_app.models import Audience
from sessions_app.opening import open_room

from .conftest import EN, HTMX, TIPS, client_for, open_and_hold

pytestmark = pytest.mark.django_db

PLAN_TEXT = "Ik start het overleg met een rondje"


@pytest.fixture
def lobby(held_session, meeting, members):
    """This week's meeting: Daan facilitates, Eva brings a case; Bram is a participant."""
    return open_room(
        meeting,
        {
            "present": members,
            "method": Method.objects.get(slug="guns-and-roses"),
            "case": None,
            "facilitator": members[3],
            "inbrenger": members[4],
            "note_taker": None,
            "timekeeper": None,
            "observers": [],
        },
    )


def previous_cases(room) -> list:
    return [f.case for f in follow_ups_for(room.meeting, room.case_id)]


def test_the_lobby_follows_up_last_times_discussed_case(held_session, lobby):
    assert previous_cases(lobby) == [held_session.case]
    assert previous_cases(held_session.room) == []  # nothing before the first meeting


def test_a_case_without_an_action_plan_is_followed_up_with_what_was_taken_along(
    held_session, lobby
):
    """Guns&Roses and Balint make no action plan: the follow-up is about the tips taken along."""
    ActionPlan.objects.filter(case=held_session.case).delete()
    (follow_up,) = follow_ups_for(lobby.meeting, lobby.case_id)
    assert follow_up.case == held_session.case
    assert not follow_up.has_plan
    assert follow_up.taken_along == TIPS[:2]
    html = live.render_parts(live.load_state(lobby.pk), Audience.FACILITATOR, live.EVERYTHING)
    assert f'data-follow-up-case="{held_session.case.pk}"' in html
    assert all(tip in html for tip in TIPS[:2]) and TIPS[2] not in html


def test_last_meetings_case_wins_over_an_older_one_with_a_plan(held_session, lobby, group, members):
    """The bug a full run found: the lobby asked about an older case of the facilitator."""
    older_meeting = Meeting.objects.create(
        group=group, starts_at=held_session.meeting.starts_at - timedelta(days=28)
    )
    daans = Case.objects.create(
        group=group, owner=members[3], title="Oude casus", working_question="Hoe kan ik…"
    )
    open_and_hold(older_meeting, members, daans, "crea", inbrenger=members[3])
    ActionPlan.objects.create(case=daans, specific="Iets doen")
    ActionPlan.objects.filter(case=held_session.case).delete()
    assert previous_cases(lobby) == [held_session.case]


def test_no_follow_up_once_it_is_recorded(held_session, lobby):
    held_session.case.status = CaseStatus.FOLLOWED_UP
    held_session.case.save()
    assert previous_cases(lobby) == []


def test_the_lookup_runs_once_per_rendered_room(held_session, lobby, django_assert_num_queries):
    template = Template(
        "{% load follow_up_tags %}{% follow_ups room as f %}{% for x in f %}{{ x.case.title }}"
        "{% endfor %}"
    )
    with django_assert_num_queries(3):  # the meeting, its case(s), what was taken along
        for _ in range(4):
            assert template.render(Context({"room": lobby})) == held_session.case.title


def test_guns_and_roses_reflection_shows_last_times_tips(held_session, lobby, members):
    ActionPlan.objects.filter(case=held_session.case).delete()
    services.run_command(lobby.pk, lobby.facilitator, "start", lobby.revision)
    state = live.load_state(lobby.pk)
    assert state.step.key == "reflectie"
    for audience in Audience.values:
        html = live.render_parts(state, audience, frozenset({"step"}))
        if audience == Audience.GUEST:  # a guest sees nothing of earlier meetings (#12)
            assert "data-follow-up-case" not in html and TIPS[0] not in html
            continue
        assert f'data-follow-up-case="{held_session.case.pk}"' in html, audience
        assert TIPS[0] in html and TIPS[1] in html
    # Bram (a participant today) records what became of it on his phone.
    page = client_for(members[1]).get(reverse("rooms:room", args=[lobby.pk]), **EN)
    assert f'hx-post="{reverse("cases:follow_up", args=[held_session.case.pk])}"' in (
        page.content.decode()
    )
    # The next step no longer shows it.
    lobby.refresh_from_db()
    services.run_command(lobby.pk, lobby.facilitator, "next", lobby.revision)
    html = live.render_parts(live.load_state(lobby.pk), Audience.FACILITATOR, live.EVERYTHING)
    assert "data-follow-up-case" not in html


def test_a_facilitator_who_brought_last_times_case_is_not_told_to_ask_himself(
    held_session, meeting, members
):
    room = open_room(
        meeting,
        {
            "present": members,
            "method": Method.objects.get(slug="guns-and-roses"),
            "case": None,
            "facilitator": members[1],
            "inbrenger": members[4],
            "note_taker": None,
            "timekeeper": None,
            "observers": [],
        },
    )
    html = client_for(members[1]).get(reverse("rooms:room", args=[room.pk]), **EN)
    html = html.content.decode()
    assert "That was your case" in html
    assert "ask Bram" not in html


def test_bram_sees_his_action_plan_and_the_outcome_form_on_his_phone(held_session, lobby, members):
    html = client_for(members[1]).get(reverse("rooms:room", args=[lobby.pk]), **EN)
    html = html.content.decode()
    assert f'data-follow-up-case="{held_session.case.pk}"' in html
    assert PLAN_TEXT in html and "Agenda aanpassen" in html
    assert f'hx-post="{reverse("cases:follow_up", args=[held_session.case.pk])}"' in html


def test_the_group_gets_the_question_but_not_the_plan(held_session, lobby, members):
    for user in (members[2], members[4], members[3]):  # participant, inbrenger, facilitator
        html = client_for(user).get(reverse("rooms:room", args=[lobby.pk]), **EN)
        html = html.content.decode()
        assert "What became of it?" in html
        assert "Overleg op vrijdag" in html
        assert PLAN_TEXT not in html


def test_pushed_fragments_never_carry_the_plan(held_session, lobby):
    state = live.load_state(lobby.pk)
    for audience in Audience.values:
        html = live.render_parts(state, audience, live.EVERYTHING)
        assert PLAN_TEXT not in html
        # The group follows up last time's case; a guest sees nothing of earlier meetings.
        shown = f'data-follow-up-case="{held_session.case.pk}"' in html
        assert shown is (audience != Audience.GUEST), audience
    phone = live.render_parts(state, Audience.PARTICIPANT, live.EVERYTHING)
    panel = reverse("cases:follow_up_panel", args=[held_session.case.pk])
    assert f'hx-get="{panel}"' in phone  # each phone asks for its own view


def test_the_panel_is_only_for_bram(held_session, lobby, members, client):
    url = reverse("cases:follow_up_panel", args=[held_session.case.pk])
    guest = client.get(url, **HTMX)  # a guest's phone (no account) asks too
    assert guest.status_code == 204 and guest.content == b""
    mine = client_for(members[1]).get(url, **HTMX)
    assert PLAN_TEXT in mine.content.decode()
    for user in (members[2], members[0]):
        response = client_for(user).get(url, **HTMX)
        assert response.status_code == 204 and response.content == b""


def test_recording_the_outcome_moves_the_case_to_followed_up(held_session, lobby, members):
    response = client_for(members[1]).post(
        reverse("cases:follow_up", args=[held_session.case.pk]),
        {"follow_up": "Het rondje werkt: iedereen zegt nu iets."},
        **HTMX,
        **EN,
    )
    assert response.status_code == 200
    assert 'data-follow-up="recorded"' in response.content.decode()
    case = held_session.case
    case.refresh_from_db()
    assert case.status == CaseStatus.FOLLOWED_UP
    assert case.follow_up == "Het rondje werkt: iedereen zegt nu iets."
    # The lobby stops asking.
    html = client_for(members[2]).get(reverse("rooms:room", args=[lobby.pk])).content.decode()
    assert "data-follow-up-case" not in html


def test_an_empty_outcome_gets_an_error(held_session, lobby, members):
    response = client_for(members[1]).post(
        reverse("cases:follow_up", args=[held_session.case.pk]), {"follow_up": "  "}, **HTMX
    )
    assert 'class="field-error"' in response.content.decode()
    held_session.case.refresh_from_db()
    assert held_session.case.status == CaseStatus.DISCUSSED


def test_only_bram_records_what_became_of_his_case(held_session, lobby, members):
    response = client_for(members[2]).post(
        reverse("cases:follow_up", args=[held_session.case.pk]), {"follow_up": "Niets"}
    )
    assert response.status_code == 404
    held_session.case.refresh_from_db()
    assert held_session.case.status == CaseStatus.DISCUSSED and held_session.case.follow_up == ""


def test_bram_can_also_record_it_from_his_case_page(held_session, members):
    client = client_for(members[1])
    detail = reverse("cases:detail", args=[held_session.case.pk])
    assert 'id="follow-up"' in client.get(detail).content.decode()
    response = client.post(
        reverse("cases:follow_up", args=[held_session.case.pk]), {"follow_up": "Gelukt."}
    )
    assert response.status_code == 302 and response["Location"] == detail
    held_session.case.refresh_from_db()
    assert held_session.case.status == CaseStatus.FOLLOWED_UP


def test_when_bram_facilitates_the_projected_laptop_keeps_his_plan_private(
    held_session, meeting, members
):
    room = open_room(
        meeting,
        {
            "present": members,
            "method": Method.objects.get(slug="guns-and-roses"),
            "case": None,
            "facilitator": members[1],
            "inbrenger": members[4],
            "note_taker": None,
            "timekeeper": None,
            "observers": [],
        },
    )
    html = client_for(members[1]).get(reverse("rooms:room", args=[room.pk])).content.decode()
    assert "data-follow-up-case" in html
    assert PLAN_TEXT not in html
