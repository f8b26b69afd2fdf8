"""Speed sparren: each phone says who you are with and whether you ask; the laptop lists every
chair of the round. Anna facilitates and is not paired; Bram and Chantal ask first, Daan, Eva and
Femke spar (Femke, the last to join, makes the trio)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groups.models import Meeting
from sessions_app import interactions, live
from sessions_app.models import Audience
from tests.sessions.conftest import open_room_for

from .conftest import go_to_step

pytestmark = pytest.mark.django_db


def room_html(room, audience: str) -> str:
    return live.render_parts(live.load_state(room.pk), audience, interactions.ROOM)


def phone(client, user, room) -> str:
    client.force_login(user)
    return client.get(reverse("rooms:mine", args=[room.pk])).content.decode()


def partner_line(html: str) -> str:
    match = re.search(r"data-pair-with>(.*?)</p>", html, re.S)
    assert match, "no partner shown"
    return " ".join(match.group(1).split())


def chairs(html: str) -> list[tuple[str, str]]:
    rows = re.findall(r"data-askers>(.*?)</td>\s*<td[^>]*data-partners>(.*?)</td>", html, re.S)
    return [(a.strip(), re.sub(r"\s*<span.*", "", p, flags=re.S).strip()) for a, p in rows]


@pytest.fixture
def sparring(room_for):
    return room_for("speed-sparren")


def test_in_round_one_each_phone_shows_the_partner_and_the_role(sparring, members, client):
    room = go_to_step(sparring, "ronde-1")
    bram = phone(client, members[1], room)
    assert "Daan Visser" in partner_line(bram) and 'data-role="asker"' in bram
    daan = phone(client, members[3], room)
    assert "Bram Jansen" in partner_line(daan) and 'data-role="partner"' in daan
    femke = phone(client, members[5], room)
    line = partner_line(femke)
    assert "Chantal Bakker" in line and "Eva Smit" in line and 'data-role="partner"' in femke
    chantal = phone(client, members[2], room)
    assert "Eva Smit" in partner_line(chantal) and "Femke Mulder" in partner_line(chantal)


def test_askers_move_one_chair_in_the_next_round(sparring, members, client):
    room = go_to_step(sparring, "ronde-2")
    bram = phone(client, members[1], room)
    line = partner_line(bram)
    assert "Eva Smit" in line and "Femke Mulder" in line and "Daan" not in line
    assert "Chantal Bakker" in partner_line(phone(client, members[3], room))


def test_the_laptop_lists_every_chair_of_the_round(sparring, members):
    room = go_to_step(sparring, "ronde-1")
    html = room_html(room, Audience.FACILITATOR)
    assert 'data-pairs-round="1" data-swapped="0"' in html
    assert chairs(html) == [
        ("Bram Jansen", "Daan Visser"),
        ("Chantal Bakker", "Eva Smit & Femke Mulder"),
    ]
    assert html.count("data-trio") == 1


def test_the_facilitator_runs_the_clock_and_is_not_paired(sparring, members, client):
    room = go_to_step(sparring, "ronde-1")
    assert "Anna" not in room_html(room, Audience.FACILITATOR)
    for user in members[1:]:
        assert "Anna" not in partner_line(phone(client, user, room))


def test_after_the_silence_the_roles_are_swapped(sparring, members, client):
    room = go_to_step(sparring, "ronde-4")
    html = room_html(room, Audience.FACILITATOR)
    assert 'data-pairs-round="1" data-swapped="1"' in html and "data-roles-swapped" in html
    assert chairs(html) == [
        ("Daan Visser", "Bram Jansen"),
        ("Eva Smit & Femke Mulder", "Chantal Bakker"),
    ]
    daan = phone(client, members[3], room)
    assert 'data-role="asker"' in daan and "Bram Jansen" in partner_line(daan)
    bram = phone(client, members[1], room)
    assert 'data-role="partner"' in bram
    femke = phone(client, members[5], room)
    assert 'data-role="asker"' in femke and "Chantal Bakker" in partner_line(femke)


def test_phones_see_the_round_but_not_the_whole_table(sparring, members):
    room = go_to_step(sparring, "ronde-5")
    for audience in (Audience.INBRENGER, Audience.PARTICIPANT, Audience.OBSERVER):
        html = room_html(room, audience)
        assert 'data-pairs-round="2" data-swapped="1"' in html
        assert "data-chair" not in html


def test_observers_are_paired_too(room_for, members, client):
    room = go_to_step(room_for("speed-sparren", observers=[members[4]]), "ronde-1")
    eva = phone(client, members[4], room)
    assert "Chantal Bakker" in partner_line(eva)


def test_a_group_of_three_makes_one_pair_without_the_facilitator(members, group, case, client):
    meeting = Meeting.objects.create(group=group, starts_at="2030-01-01T10:00Z", location="x")
    room = go_to_step(open_room_for(meeting, members[:3], "speed-sparren", case=case), "ronde-1")
    assert chairs(room_html(room, Audience.FACILITATOR)) == [("Bram Jansen", "Chantal Bakker")]
    assert "Bram Jansen" in partner_line(phone(client, members[2], room))


def test_one_person_besides_the_facilitator_has_no_partner(members, group, case, client):
    meeting = Meeting.objects.create(group=group, starts_at="2030-01-01T10:00Z", location="x")
    room = go_to_step(open_room_for(meeting, members[:2], "speed-sparren", case=case), "ronde-1")
    assert "data-no-pairs" in room_html(room, Audience.FACILITATOR)
    assert 'data-my-pair="none"' in phone(client, members[1], room)


@pytest.mark.parametrize("size", [3, 6])
def test_loading_the_pairs_does_not_grow_with_the_group(
    size, members, group, case, django_assert_num_queries
):
    meeting = Meeting.objects.create(group=group, starts_at="2030-01-01T10:00Z", location="x")
    room = go_to_step(open_room_for(meeting, members[:size], "speed-sparren", case=case), "ronde-2")
    state = live.load_state(room.pk)
    with django_assert_num_queries(0):
        state.interaction_data()  # the members come with the room
    with CaptureQueriesContext(connection) as rendering:
        for audience in Audience.values:
            live.render_parts(state, audience, interactions.ROOM)
    assert len(rendering) == 0
