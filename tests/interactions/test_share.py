"""Balint 4, "Adviezen delen": each writer reads their own advice from their phone, the laptop
shows whose turn it is, and the inbrenger receives each advice on their phone as it is shared."""

import pytest
from django.urls import reverse

from sessions_app import interactions, live, services
from sessions_app.models import Audience, RoomMember

from .conftest import act, go_to_step

CHANTAL = "Ik zou eerst met de teamleider gaan lunchen, zonder agenda."
DAAN = "Ik zou de afspraken op papier zetten en die samen ondertekenen."


def shared(room, audience) -> str:
    return live.render_parts(live.load_state(room.pk), audience, interactions.ROOM)


def mine(client, user, room) -> str:
    client.force_login(user)
    return client.get(reverse("rooms:mine", args=[room.pk])).content.decode()


@pytest.fixture
def sharing(room_for, members):
    room = go_to_step(room_for("balint"), "adviseren")
    act(room, members[2], "add", text=CHANTAL)  # Chantal joined before Daan: she goes first
    act(room, members[3], "add", text=DAAN)
    return go_to_step(room, "adviezen-delen")


def test_each_writer_reads_their_own_advice_and_the_laptop_shows_whose_turn(
    sharing, members, client
):
    chantal = mine(client, members[2], sharing)
    assert CHANTAL in chantal and DAAN not in chantal
    assert 'data-my-share="turn"' in chantal and 'data-action="hand-over"' in chantal
    daan = mine(client, members[3], sharing)
    assert DAAN in daan and CHANTAL not in daan
    assert 'data-my-share="waiting"' in daan and 'data-action="hand-over"' not in daan

    laptop = shared(sharing, Audience.FACILITATOR)
    chantal_id = RoomMember.objects.get(room=sharing, user=members[2]).pk
    assert f'data-share-current="{chantal_id}"' in laptop
    assert "Chantal Bakker" in laptop and 'data-action="hand-over"' in laptop
    assert CHANTAL not in laptop and DAAN not in laptop  # names on the projector, not texts


def test_the_inbrenger_receives_each_advice_when_it_is_shared(sharing, members):
    assert CHANTAL not in shared(sharing, Audience.INBRENGER)
    act(sharing, members[2], "hand_over")
    inbrenger = shared(sharing, Audience.INBRENGER)
    assert CHANTAL in inbrenger and DAAN not in inbrenger
    for audience in (Audience.PARTICIPANT, Audience.FACILITATOR, Audience.OBSERVER):
        assert CHANTAL not in shared(sharing, audience)

    act(sharing, members[0], "hand_over")  # the facilitator hands Daan's over for him
    inbrenger = shared(sharing, Audience.INBRENGER)
    assert CHANTAL in inbrenger and DAAN in inbrenger
    assert "data-share-current" not in shared(sharing, Audience.FACILITATOR)


def test_only_the_one_whose_turn_it_is_hands_over(sharing, members):
    with pytest.raises(interactions.InteractionError):
        act(sharing, members[3], "hand_over")  # Daan, before his turn
    with pytest.raises(interactions.InteractionError):
        act(sharing, members[1], "hand_over")  # the inbrenger receives, never hands over
    chantal_id = RoomMember.objects.get(room=sharing, user=members[2]).pk
    daan_id = RoomMember.objects.get(room=sharing, user=members[3]).pk
    with pytest.raises(interactions.InteractionError):
        act(sharing, members[0], "hand_over", member=str(daan_id))  # a stale laptop
    act(sharing, members[0], "hand_over", member=str(chantal_id))
    act(sharing, members[3], "hand_over")
    with pytest.raises(interactions.InteractionError):
        act(sharing, members[0], "hand_over")  # everyone has shared


def test_what_was_handed_over_stays_handed_after_next_and_back(sharing, members):
    act(sharing, members[2], "hand_over")
    for command in ("next", "back"):
        sharing.refresh_from_db()
        services.run_command(sharing.pk, sharing.facilitator, command, sharing.revision)
    sharing.refresh_from_db()
    assert sharing.step.key == "adviezen-delen"
    assert CHANTAL in shared(sharing, Audience.INBRENGER)


def test_the_silent_writing_step_is_not_called_collecting_on_a_flip_chart(room_for):
    from django.utils import translation

    room = go_to_step(room_for("balint"), "adviseren")
    with translation.override("nl"):
        state = live.load_state(room.pk)
        html = live.render_parts(state, Audience.PARTICIPANT, frozenset({"step"}))
    assert "flap" not in html
    assert "In stilte schrijven" in html  # the step kicker: writing alone, not on a flip chart
