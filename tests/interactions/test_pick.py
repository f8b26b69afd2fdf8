"""Pick: the inbrenger chooses which tips or advice they take along, and says why."""

import pytest
from django.urls import reverse

from methods.models import Step
from sessions_app import interactions, live
from sessions_app.interactions import pick
from sessions_app.models import Audience, BoardItem, RoomMember
from tests.sessions.conftest import open_room_for

from .conftest import act, go_to_step

pytestmark = pytest.mark.django_db

TIP_CHANTAL = "Heb je er wel eens aan gedacht om het te mailen?"
TIP_DAAN = "Heb je er wel eens aan gedacht om samen te lunchen?"


def shared_views(room) -> dict[str, str]:
    state = live.load_state(room.pk)
    return {a: live.render_parts(state, a, interactions.ROOM) for a in Audience.values}


def tips_round_up(room_for, members):
    """Guns&Roses: Chantal and Daan give a tip each, then the round-up starts."""
    room = go_to_step(room_for("guns-and-roses"), "hulp")
    act(room, members[2], "add", text=TIP_CHANTAL)
    act(room, members[3], "add", text=TIP_DAAN)
    room = go_to_step(room, "round-up")
    return room, BoardItem.objects.get(text=TIP_CHANTAL), BoardItem.objects.get(text=TIP_DAAN)


def test_the_inbrenger_takes_a_tip_along_and_says_why(room_for, members):
    room, chantals, daans = tips_round_up(room_for, members)
    act(room, members[1], "pick", item=str(chantals.pk), reason="Mailen  past bij   mij")
    chantals.refresh_from_db()
    assert chantals.picked and chantals.pick_reason == "Mailen past bij mij"
    views = shared_views(room)
    for audience, html in views.items():
        assert 'data-picked-count="1" data-total="2"' in html, audience
        if audience == Audience.INBRENGER:
            continue  # their own view lists the items, with the buttons
        assert f'data-item="{chantals.pk}" data-picked="1"' in html, audience
        assert f'data-item="{daans.pk}" data-picked="0"' in html, audience
        assert "Mailen past bij mij" in html and TIP_DAAN in html, audience


def test_the_why_can_be_changed_and_a_tip_put_back(room_for, members):
    room, chantals, _ = tips_round_up(room_for, members)
    act(room, members[1], "pick", item=str(chantals.pk), reason="Eerst")
    act(room, members[1], "pick", item=str(chantals.pk), reason="Toch anders")
    chantals.refresh_from_db()
    assert chantals.picked and chantals.pick_reason == "Toch anders"
    act(room, members[1], "unpick", item=str(chantals.pk))
    chantals.refresh_from_db()
    assert not chantals.picked and chantals.pick_reason == ""
    html = shared_views(room)[Audience.FACILITATOR]
    assert f'data-item="{chantals.pk}" data-picked="0"' in html and "Toch anders" not in html


def test_only_the_inbrenger_picks(room_for, members):
    room, chantals, _ = tips_round_up(room_for, members)
    for user in (members[0], members[2], members[3]):
        with pytest.raises(interactions.InteractionError):
            act(room, user, "pick", item=str(chantals.pk), reason="Ik kies voor jou")
    act(room, members[1], "pick", item=str(chantals.pk))
    with pytest.raises(interactions.InteractionError):
        act(room, members[2], "unpick", item=str(chantals.pk))
    chantals.refresh_from_db()
    assert chantals.picked


def test_a_why_longer_than_the_limit_is_refused(room_for, members):
    room, chantals, _ = tips_round_up(room_for, members)
    with pytest.raises(interactions.InteractionError):
        act(room, members[1], "pick", item=str(chantals.pk), reason="x" * (pick.MAX_REASON + 1))
    chantals.refresh_from_db()
    assert not chantals.picked
    act(room, members[1], "pick", item=str(chantals.pk), reason="x" * pick.MAX_REASON)
    chantals.refresh_from_db()
    assert chantals.picked


def test_only_items_of_the_steps_board_can_be_picked(room_for, members):
    room, chantals, _ = tips_round_up(room_for, members)
    chantal = RoomMember.objects.get(room=room, user=members[2])
    elsewhere = BoardItem.objects.create(
        room=room, step_key="hulp", board="insights", author=chantal, text="Ander bord"
    )
    for item in (str(elsewhere.pk), "99999", "x", ""):
        with pytest.raises(interactions.InteractionError):
            act(room, members[1], "pick", item=item)
    assert "Ander bord" not in shared_views(room)[Audience.PARTICIPANT]


def test_only_the_inbrengers_phone_offers_the_choice(room_for, members, client):
    room, chantals, _ = tips_round_up(room_for, members)
    client.force_login(members[1])
    html = client.get(reverse("rooms:mine", args=[room.pk])).content.decode()
    assert f'data-pick="{chantals.pk}"' in html and 'name="reason"' in html
    assert TIP_CHANTAL in html and "Chantal Bakker" in html
    client.force_login(members[2])
    html = client.get(reverse("rooms:mine", args=[room.pk])).content.decode()
    assert "data-pick=" not in html

    client.force_login(members[1])
    response = client.post(
        reverse("rooms:act", args=[room.pk, "pick"]),
        {"step_run": room.step_run_id, "item": chantals.pk, "reason": "Direct"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-unpick="{chantals.pk}"' in html and 'value="Direct"' in html


def test_advice_written_in_silence_is_on_the_table_when_the_inbrenger_picks(room_for, members):
    room = go_to_step(room_for("balint"), "adviseren")
    act(room, members[2], "add", text="Plan een vast overleg")
    room = go_to_step(room, "reactie")
    for audience, html in shared_views(room).items():
        name = "Chantal" if audience == Audience.GUEST else "Chantal Bakker"  # guests: first names
        if audience != Audience.INBRENGER:
            assert "Plan een vast overleg" in html and name in html, audience


def test_an_anonymous_board_stays_anonymous_while_picking(room_for, members, client):
    room = room_for("incidentmethode-percepties")
    step = Step.objects.get(method=room.method, key="percepties")
    step.options = {**step.options, "anonymous": True}
    step.save()
    room = go_to_step(room, "percepties")
    act(room, members[2], "add", text="Het gaat om vertrouwen")
    act(room, members[0], "reveal")
    room = go_to_step(room, "percepties-onderzoeken")
    item = BoardItem.objects.get(text="Het gaat om vertrouwen")
    act(room, members[1], "pick", item=str(item.pk), reason="Dit raakt me")
    for audience, html in shared_views(room).items():
        if audience != Audience.INBRENGER:
            assert "Het gaat om vertrouwen" in html and "Dit raakt me" in html, audience
        assert "Chantal" not in html and "Bakker" not in html, audience
    client.force_login(members[1])
    html = client.get(reverse("rooms:mine", args=[room.pk])).content.decode()
    assert "Het gaat om vertrouwen" in html and "Chantal" not in html


@pytest.mark.parametrize("size", [3, 6])
def test_the_pick_loads_in_one_query_whatever_the_group_size(
    meeting, members, case, size, django_assert_num_queries
):
    room = go_to_step(
        open_room_for(meeting, members[:size], method_slug="guns-and-roses", case=case), "hulp"
    )
    # Everyone but Bram, the inbrenger: the tips are for him.
    for user in [members[0], *members[2:size]]:
        act(room, user, "add", text=f"Heb je er wel eens aan gedacht om {user.username} te bellen?")
    room = go_to_step(room, "round-up")
    act(room, members[1], "pick", item=str(BoardItem.objects.first().pk), reason="Ja")
    state = live.load_state(room.pk)
    with django_assert_num_queries(1):
        for audience in Audience.values:
            live.render_parts(state, audience, interactions.ROOM)
        inbrenger = next(m for m in state.members if m.audience == Audience.INBRENGER)
        live.render_parts(state, Audience.INBRENGER, interactions.MINE, member=inbrenger)
