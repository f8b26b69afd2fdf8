"""The SMART action plan (CREA 4, Krachtenveldanalyse 5, Basismethode 5): the inbrenger writes it
on their phone; the laptop and the other phones show it as it is saved."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import ActionPlan
from sessions_app import interactions, live
from sessions_app.models import Audience, RoomMember, StepRun
from tests.sessions.conftest import open_room_for

from .conftest import act, go_to_step

pytestmark = pytest.mark.django_db

PLAN = {
    "specific": "Ik spreek mijn teamleider aan in ons eerstvolgende 1-op-1.",
    "measurable": "Afspraken staan binnen een week in de planning.",
    "acceptable": "Ik wil niet langer achter de feiten aan lopen.",
    "realistic": "Ons 1-op-1 staat al gepland.",
    "time_bound": "Voor eind van de maand.",
    "first_step": "Agendapunt insturen",
}


def today() -> str:
    return timezone.localdate().isoformat()


def plan_room(room_for, slug="crea", key="individueel-actieplan"):
    return go_to_step(room_for(slug), key)


def shared_view(room, audience) -> str:
    return live.render_parts(live.load_state(room.pk), audience, interactions.ROOM)


def my_view(client, room, user) -> str:
    client.force_login(user)
    return client.get(reverse("rooms:mine", args=[room.pk])).content.decode()


def test_the_inbrenger_writes_a_smart_plan_and_the_group_sees_it(room_for, members, case):
    room = plan_room(room_for)
    result = act(room, members[1], "save", **PLAN, first_step_on=today())
    assert result.parts == interactions.ROOM  # the inbrenger's own form is not re-fetched
    plan = ActionPlan.objects.get(case=case)
    assert plan.specific == PLAN["specific"] and plan.time_bound == PLAN["time_bound"]
    assert plan.first_step == "Agendapunt insturen"
    assert plan.first_step_on == timezone.localdate()
    for audience in (Audience.FACILITATOR, Audience.PARTICIPANT, Audience.OBSERVER):
        html = shared_view(room, audience)
        assert "eerstvolgende 1-op-1" in html and "Agendapunt insturen" in html
        assert f'data-first-step-on="{today()}"' in html


def test_saving_again_updates_the_same_plan(room_for, members, case):
    room = plan_room(room_for, "krachtenveldanalyse", "actieplan")
    act(room, members[1], "save", **PLAN)
    act(room, members[1], "save", specific="Ik plan het gesprek zelf in.")
    assert ActionPlan.objects.filter(case=case).count() == 1
    plan = ActionPlan.objects.get(case=case)
    assert plan.specific == "Ik plan het gesprek zelf in."
    assert plan.measurable == PLAN["measurable"]  # a field the form did not send stays


def test_only_the_inbrenger_who_owns_the_case_writes_the_plan(room_for, members, case):
    room = plan_room(room_for)
    for user in (members[0], members[2]):  # the facilitator, a participant
        with pytest.raises(interactions.InteractionError):
            act(room, user, "save", specific="Zo moet het.")
    assert not ActionPlan.objects.filter(case=case).exists()


def test_the_form_is_only_on_the_inbrengers_phone(room_for, members, client):
    room = plan_room(room_for, "basismethode", "actieplan")
    html = my_view(client, room, members[1])
    for name in ("specific", "measurable", "acceptable", "realistic", "time_bound"):
        assert f'name="{name}"' in html
    assert 'name="first_step"' in html and 'type="date"' in html
    assert 'hx-trigger="change, submit"' in html and 'type="submit"' in html
    assert "data-plan-form" not in my_view(client, room, members[2])


def test_a_first_step_in_the_past_is_refused_and_nothing_else_is_lost(
    room_for, members, case, client
):
    room = plan_room(room_for)
    act(room, members[1], "save", first_step_on=today())
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    result = act(room, members[1], "save", **PLAN, first_step_on=yesterday)
    assert result.message
    plan = ActionPlan.objects.get(case=case)
    assert plan.specific == PLAN["specific"] and plan.first_step == PLAN["first_step"]
    assert plan.first_step_on == timezone.localdate()  # the earlier date stands
    html = my_view(client, room, members[1])
    assert "data-date-error" in html and f'value="{yesterday}"' in html
    assert "data-date-error" not in shared_view(room, Audience.PARTICIPANT)
    # A good date clears the error.
    act(room, members[1], "save", first_step_on=today())
    assert "data-date-error" not in my_view(client, room, members[1])
    room.refresh_from_db()
    assert StepRun.objects.get(pk=room.step_run_id).state == {}


def test_a_date_that_is_no_date_is_refused_too(room_for, members, case, client):
    room = plan_room(room_for)
    act(room, members[1], "save", specific="Iets", first_step_on="morgen")
    plan = ActionPlan.objects.get(case=case)
    assert plan.specific == "Iets" and plan.first_step_on is None
    assert "data-date-error" in my_view(client, room, members[1])


def test_the_date_may_be_cleared(room_for, members, case):
    room = plan_room(room_for)
    act(room, members[1], "save", first_step_on=today())
    act(room, members[1], "save", first_step_on="")
    assert ActionPlan.objects.get(case=case).first_step_on is None


def test_too_long_text_is_refused_and_nothing_is_saved(room_for, members, case):
    room = plan_room(room_for)
    with pytest.raises(interactions.InteractionError):
        act(room, members[1], "save", specific="x" * 1001)
    with pytest.raises(interactions.InteractionError):
        act(room, members[1], "save", first_step="x" * 301)
    assert not ActionPlan.objects.filter(case=case).exists()


def test_without_a_case_there_is_a_clear_message_and_no_plan(meeting, members, client):
    room = go_to_step(open_room_for(meeting, members, method_slug="crea"), "individueel-actieplan")
    with pytest.raises(interactions.InteractionError):
        act(room, members[1], "save", **PLAN)
    assert not ActionPlan.objects.exists()
    for audience in Audience.values:
        assert "data-no-case" in shared_view(room, audience)
    assert "data-no-case" in my_view(client, room, members[1])


def test_the_facilitator_gets_prompts_and_the_others_do_not(room_for, members):
    room = plan_room(room_for)
    assert "data-prompts" in shared_view(room, Audience.FACILITATOR)
    assert "data-prompts" not in shared_view(room, Audience.PARTICIPANT)


def test_plan_text_is_escaped(room_for, members):
    room = plan_room(room_for)
    act(room, members[1], "save", specific="<script>alert(1)</script>")
    html = shared_view(room, Audience.FACILITATOR)
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_saving_over_http_keeps_the_form_being_typed_in(room_for, members, client, case):
    room = plan_room(room_for)
    client.force_login(members[1])
    response = client.post(
        reverse("rooms:act", args=[room.pk, "save"]),
        {"step_run": room.step_run_id, **PLAN, "first_step_on": today()},
    )
    assert response.status_code == 200
    assert 'id="my-interaction"' not in response.content.decode()  # autosave never replaces it
    case.refresh_from_db()
    assert case.action_plan.first_step == PLAN["first_step"]


@pytest.mark.parametrize("size", [3, 6])
def test_rendering_the_plan_does_not_grow_with_the_group(meeting, members, case, size):
    room = go_to_step(
        open_room_for(meeting, members[:size], method_slug="crea", case=case),
        "individueel-actieplan",
    )
    act(room, members[1], "save", **PLAN)
    member = RoomMember.objects.get(room=room, user=members[1])
    with CaptureQueriesContext(connection) as queries:
        state = live.load_state(room.pk)
        for audience in Audience.values:
            live.render_parts(state, audience, live.EVERYTHING)
        live.render_parts(state, member.audience, interactions.MINE, member=member)
    assert len(queries) == 5  # room, members, storingen, trail + the plan


def test_a_date_error_goes_away_once_a_valid_date_is_saved(room_for, members, client):
    """Issue 20.2: 06-01-2020, the field left: the error shows; a date a week ahead: the plan
    takes it and the error line goes, on leaving the field and with "Save my plan" alike."""
    room = plan_room(room_for)
    client.force_login(members[1])
    url = reverse("rooms:act", args=[room.pk, "save"])

    def error_line(response) -> str:
        html = response.content.decode()
        match = re.search(r'<p class="field-error" id="plan-date-error"[^>]*>(.*?)</p>', html, re.S)
        assert match, "the response does not update the date's error line"
        return match.group(0)

    refused = client.post(url, {"step_run": room.step_run_id, "first_step_on": "2020-01-06"})
    assert "data-date-error" in error_line(refused) and " hidden" not in error_line(refused)

    week_ahead = (timezone.localdate() + timedelta(days=7)).isoformat()
    accepted = client.post(url, {"step_run": room.step_run_id, "first_step_on": week_ahead})
    assert " hidden" in error_line(accepted) and "data-date-error" not in error_line(accepted)
    assert str(ActionPlan.objects.get(case=room.case).first_step_on) == week_ahead

    # The whole form again ("Save my plan"), now without a refusal to clear: the inbrenger's own
    # view is left alone, so nothing they type is replaced.
    again = client.post(url, {"step_run": room.step_run_id, **PLAN, "first_step_on": week_ahead})
    assert 'id="my-interaction"' not in again.content.decode()
    assert "data-date-error" not in my_view(client, room, members[1])
