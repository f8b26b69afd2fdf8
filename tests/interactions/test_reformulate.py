"""Incidentmethode 5: the inbrenger may restate the question; the original is kept."""

import re

import pytest
from django.urls import reverse

from sessions_app import interactions, live, services
from sessions_app.models import Audience

from .conftest import act, go_to_step

pytestmark = pytest.mark.django_db


def test_inbrenger_restates_the_question_and_the_original_is_kept(room_for, members, case):
    room = go_to_step(room_for("incidentmethode"), "herbenoemen")
    act(room, members[1], "save", question="Hoe kan ik in het teamoverleg zelf het gesprek openen?")
    case.refresh_from_db()
    assert case.working_question.startswith("Hoe kan ik mijn teamleider")
    assert case.reformulated_question == "Hoe kan ik in het teamoverleg zelf het gesprek openen?"
    html = live.render_parts(live.load_state(room.pk), Audience.PARTICIPANT, interactions.ROOM)
    assert "zelf het gesprek openen" in html and "mijn teamleider" in html


def test_only_the_inbrenger_may_restate(room_for, members):
    room = go_to_step(room_for("incidentmethode"), "herbenoemen")
    with pytest.raises(interactions.InteractionError):
        act(room, members[2], "save", question="Hoe kan ik iets anders?")


def test_an_empty_question_is_refused_and_nothing_is_lost(room_for, members, case):
    room = go_to_step(room_for("incidentmethode"), "herbenoemen")
    with pytest.raises(interactions.InteractionError):
        act(room, members[1], "save", question="   ")
    case.refresh_from_db()
    assert case.reformulated_question == ""


def test_the_inbrengers_phone_offers_the_form_with_formulation_hints(room_for, members, client):
    room = go_to_step(room_for("incidentmethode"), "herbenoemen")
    client.force_login(members[1])
    html = client.get(reverse("rooms:mine", args=[room.pk])).content.decode()
    assert 'name="question"' in html
    client.force_login(members[2])
    assert (
        'name="question"' not in client.get(reverse("rooms:mine", args=[room.pk])).content.decode()
    )


def test_a_form_from_a_previous_step_is_refused(room_for, members, client):
    room = go_to_step(room_for("incidentmethode"), "herbenoemen")
    client.force_login(members[1])
    old_run = room.step_run_id
    go_to_step(room, "adviezen", branch="no")
    response = client.post(
        reverse("rooms:act", args=[room.pk, "save"]), {"step_run": old_run, "question": "x"}
    )
    assert response.status_code == 409


# CREA 2 (verkenning): a question round in which the inbrenger restates the HKI as it sharpens.


def test_in_crea_exploration_the_inbrenger_restates_the_question_during_the_round(
    room_for, members, case, client
):
    room = go_to_step(room_for("crea"), "verkenning")
    client.force_login(members[1])
    mine = client.get(reverse("rooms:mine", args=[room.pk])).content.decode()
    assert 'id="reformulate-question"' in mine
    assert reverse("rooms:act", args=[room.pk, "reformulate"]) in mine
    response = client.post(
        reverse("rooms:act", args=[room.pk, "reformulate"]),
        {"step_run": room.step_run_id, "question": "Hoe kan ik zelf het overleg openen?"},
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.reformulated_question == "Hoe kan ik zelf het overleg openen?"
    assert case.working_question.startswith("Hoe kan ik mijn teamleider")
    # The participants go on asking: their turn form is still theirs, without the inbrenger's.
    client.force_login(members[2])
    mine = client.get(reverse("rooms:mine", args=[room.pk])).content.decode()
    assert 'id="reformulate-question"' not in mine


def test_a_participant_cannot_restate_in_the_crea_round(room_for, members, case):
    room = go_to_step(room_for("crea"), "verkenning")
    with pytest.raises(interactions.InteractionError):
        act(room, members[2], "reformulate", question="Hoe kan ik iets anders?")
    case.refresh_from_db()
    assert case.reformulated_question == ""


def test_a_question_round_without_restating_refuses_it(room_for, members, case, client):
    room = go_to_step(room_for("roddelmodel"), "probleemverkenning")
    client.force_login(members[1])
    mine = client.get(reverse("rooms:mine", args=[room.pk])).content.decode()
    assert 'id="reformulate-question"' not in mine
    with pytest.raises(interactions.InteractionError):
        act(room, members[1], "reformulate", question="Hoe kan ik iets anders?")


# ---- The question as it stands, on every phone (issue 20.5) ---------------------------------

RESTATED = "Hoe kan ik in het teamoverleg zelf het gesprek openen?"
PHONES = (Audience.INBRENGER, Audience.PARTICIPANT, Audience.OBSERVER, Audience.GUEST)


def case_line(room, audience, parts=live.STEP_CHANGE) -> str:
    html = live.render_parts(live.load_state(room.pk), audience, parts)
    match = re.search(r'<p id="room-case"[^>]*>(.*?)</p>', html, re.S)
    assert match, f"no question line for the {audience}"
    assert " hidden" not in match.group(0).split(">")[0], f"question line hidden for {audience}"
    return match.group(1)


def test_incidentmethode_step_6_asks_about_the_new_wording_and_every_phone_shows_it(
    room_for, members
):
    room = go_to_step(room_for("incidentmethode"), "herbenoemen")
    act(room, members[1], "save", question=RESTATED)
    services.run_command(room.pk, room.facilitator, "next", room.revision, branch_answer="yes")
    room.refresh_from_db()
    assert room.step.key == "nieuwe-vragen"
    for audience in PHONES:
        line = case_line(room, audience)
        assert RESTATED in line and "opnieuw geformuleerd" in line
        assert "mijn teamleider" not in line


def test_a_question_restated_during_crea_step_2_reaches_every_phone_at_once(room_for, members):
    room = go_to_step(room_for("crea"), "verkenning")
    assert "mijn teamleider" in case_line(room, Audience.PARTICIPANT)

    result = act(room, members[1], "reformulate", question=RESTATED)

    assert {"head", "case"} <= result.parts  # the push carries the laptop's and the phones' line
    for audience in PHONES:
        assert RESTATED in case_line(room, audience, result.parts)
    head = live.render_parts(live.load_state(room.pk), Audience.FACILITATOR, result.parts)
    assert RESTATED in head


def test_the_lobby_and_the_end_show_no_question_line(room_for):
    room = room_for("roddelmodel")
    html = live.render_parts(live.load_state(room.pk), Audience.PARTICIPANT, live.STEP_CHANGE)
    assert re.search(r'<p id="room-case"[^>]* hidden', html)
