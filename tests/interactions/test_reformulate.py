"""Incidentmethode 5: the inbrenger may restate the question; the original is kept."""

import pytest
from django.urls import reverse

from sessions_app import interactions, live
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
