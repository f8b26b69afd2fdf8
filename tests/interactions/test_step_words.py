"""What the room's screens say comes from the step that runs: its turn rule, what its board's
items are called, what kind of activity it is, who has something to finish. Anna facilitates,
Bram brings the case, Chantal, Daan, Eva and Femke take part (Dutch screens)."""

import re

import pytest
from django.urls import reverse

from sessions_app import interactions, live
from sessions_app.models import Audience, RoomMember

from .conftest import act, go_to_step

pytestmark = pytest.mark.django_db

WAITS = "Een vervolgvraag wacht tot je volgende beurt."
OLD_SHARED_RULE = "Vervolgvragen wachten tot je volgende beurt"


def my_view(client, user, room) -> str:
    client.force_login(user)
    return client.get(reverse("rooms:mine", args=[room.pk])).content.decode()


def whose_turn(room):
    html = live.render_parts(live.load_state(room.pk), Audience.PARTICIPANT, interactions.ROOM)
    member_id = re.search(r'data-turn-current="(\d+)"', html).group(1)
    return RoomMember.objects.get(pk=member_id).user


def turn_box(client, room) -> str:
    html = my_view(client, whose_turn(room), room)
    return re.search(r"<p data-turn-rule>(.*?)</p>", html, re.S).group(1)


def screens(room, parts=frozenset({"step", "actions", "controls", "interaction"})) -> dict:
    state = live.load_state(room.pk)
    return {a: live.render_parts(state, a, parts) for a in Audience.values}


# ---- Turn rules (issue 20.9) ---------------------------------------------------------------


def test_crea_asks_on_instead_of_keeping_follow_ups_for_the_next_turn(room_for, client):
    room = go_to_step(room_for("crea"), "verkenning")
    rule = turn_box(client, room)
    assert "vraag gerust door" in rule
    assert OLD_SHARED_RULE not in rule and "wacht" not in rule


def test_the_incidentmethode_keeps_follow_ups_for_the_next_turn(room_for, client):
    room = go_to_step(room_for("incidentmethode"), "rondjes-vragen")
    assert turn_box(client, room) == f"Stel één open vraag, of pas. {WAITS}"


def test_a_question_round_without_a_rule_of_its_own_says_only_what_all_share(room_for, client):
    room = go_to_step(room_for("in-andermans-schoenen"), "vragen")
    assert turn_box(client, room) == "Stel je vraag, of pas."


# ---- What a board's items are called (issue 20.11, 14.13) ---------------------------------------


def test_guns_and_roses_tips_are_counted_and_added_as_tips(room_for, members, client):
    room = go_to_step(room_for("guns-and-roses"), "hulp")
    for html in screens(room).values():
        assert "0 tips" in html
        assert "punt" not in html
    act(room, members[2], "add", text="het gewoon te vragen?")
    assert re.search(r'data-total="1">\s*1 tip\s*<', screens(room)[Audience.FACILITATOR])
    mine = my_view(client, members[3], room)
    assert ">Jouw tip</label>" in mine and ">Tip toevoegen</button>" in mine
    assert "Jouw punt" not in mine and "Op het bord zetten" not in mine


def test_crea_insights_are_counted_and_added_as_insights(room_for, members, client):
    room = go_to_step(room_for("crea"), "gezamenlijke-bewustwording")
    act(room, members[2], "add", text="Ik vraag vaker wat de ander nodig heeft.")
    act(room, members[3], "add", text="Minder schrijven, meer bellen.")
    assert "2 inzichten" in screens(room)[Audience.PARTICIPANT]
    assert ">Inzicht toevoegen</button>" in my_view(client, members[4], room)


def test_incidentmethode_advice_is_counted_and_written_as_advice(room_for, members, client):
    room = go_to_step(room_for("incidentmethode"), "adviezen", branch="no")
    assert "0 adviezen" in screens(room)[Audience.INBRENGER]
    assert ">Jouw advies</label>" in my_view(client, members[2], room)


def test_balints_silent_writing_is_writing_alone_not_collecting_on_a_flip_chart(
    room_for, members, client
):
    room = go_to_step(room_for("balint"), "adviseren")
    act(room, members[2], "add", text="Plan een vast overleg.")
    views = screens(room)
    for html in views.values():
        assert "In stilte schrijven" in html
        assert "flap" not in html
    # The laptop counts per person, in the step's own word.
    assert re.search(r'data-count="1">.*?1 advies<', views[Audience.FACILITATOR], re.S)
    mine = my_view(client, members[3], room)
    assert ">Opslaan</button>" in mine  # kept hidden until the reveal: not put "on the board"


def test_the_step_name_and_its_label_use_the_same_word(room_for):
    room = go_to_step(room_for("incidentmethode"), "herbenoemen")
    html = screens(room, frozenset({"step"}))[Audience.FACILITATOR]
    assert "Eventueel herformuleren" in html and "Herformuleren" in html
    assert "herbenoemen" not in html.lower()


# ---- Who has something to finish (issue 20.7) -----------------------------------------------


def test_in_crea_step_4_only_the_inbrenger_writes_so_nobody_is_asked_to_be_ready(room_for):
    room = go_to_step(room_for("crea"), "individueel-actieplan")
    views = screens(room)
    for audience in (Audience.PARTICIPANT, Audience.OBSERVER):
        assert 'data-action="ready"' not in views[audience]
    assert "data-ready-count" not in views[Audience.FACILITATOR]


def test_steps_where_helpers_write_alone_still_ask_who_is_ready(room_for):
    room = go_to_step(room_for("crea"), "gezamenlijke-bewustwording")
    views = screens(room)
    assert 'data-action="ready"' in views[Audience.PARTICIPANT]
    assert "0/4 klaar" in views[Audience.FACILITATOR]


# ---- Wording of the action plan (issue 20.11) ----------------------------------------------


def test_the_first_steps_date_is_labelled_as_a_date(room_for, members, client):
    room = go_to_step(room_for("crea"), "individueel-actieplan")
    html = my_view(client, members[1], room)
    assert '<label for="plan-first-step-on">Datum eerste stap</label>' in html
    assert "Ik begin eraan op" not in html
