"""An online Roddelmodel: hands and the word, presence-based turns, dropping out, hybrid places.
Anna facilitates, Bram brings the case, Chantal, Daan, Eva and Femke take part."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from groups.models import MeetingMode
from sessions_app import live, online, services
from sessions_app.models import Audience, Room, RoomMember

from .conftest import client_for, connect, connect_users, go_to_step, member_of, open_room_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(online_meeting, members, case):
    return open_room_for(online_meeting, members, case=case)


def screen(room, audience=Audience.PARTICIPANT, parts=live.FLOOR_CHANGE, member=None) -> str:
    with translation.override("nl"):
        return live.render_parts(live.load_state(room.pk), audience, parts, member=member)


def whose_turn(room) -> str | None:
    match = re.search(r'data-turn-current="(\d+)"', screen(room, parts=frozenset({"interaction"})))
    return RoomMember.objects.get(pk=match.group(1)).user.first_name if match else None


def everyone_connected(room, members) -> None:
    connect_users(room, *members)


# ---- The word ---------------------------------------------------------------------------------


def test_a_raised_hand_and_its_subject_reach_the_facilitator_and_the_queue_its_name_everyone(
    room, members
):
    everyone_connected(room, members)
    chantal, daan = member_of(room, members[2]), member_of(room, members[3])
    assert online.raise_hand(daan, "Over de avonddienst") == 1
    assert online.raise_hand(chantal) == 2
    laptop = screen(room, Audience.FACILITATOR)
    assert laptop.index("Daan Visser") < laptop.index("Chantal Bakker")
    assert "Over de avonddienst" in laptop
    for audience in (Audience.PARTICIPANT, Audience.INBRENGER, Audience.OBSERVER):
        phone = screen(room, audience)
        assert "Over de avonddienst" not in phone  # the subject is for the facilitator
        assert f'data-queue="{daan.pk} {chantal.pk}"' in phone
        assert "2 handen opgestoken" in phone


def test_the_facilitator_gives_the_word_with_one_click_and_every_screen_shows_it(
    room, members, client
):
    everyone_connected(room, members)
    daan = member_of(room, members[3])
    online.raise_hand(daan, "Over de avonddienst")
    response = client_for(members[0]).post(
        reverse("rooms:word_give", args=[room.pk]), {"member": daan.pk}
    )
    assert response.status_code == 200
    for audience in (Audience.FACILITATOR, Audience.PARTICIPANT, Audience.INBRENGER):
        html = screen(room, audience)
        assert f'data-speaker="{daan.pk}"' in html and "Daan Visser" in html
    assert 'data-queue=""' in screen(room)
    # Daan is done: nobody has the word.
    client_for(members[3]).post(reverse("rooms:hand_lower", args=[room.pk]))
    assert 'data-speaker=""' in screen(room)


def test_only_the_facilitator_gives_or_takes_back_the_word(room, members, outsider):
    everyone_connected(room, members)
    daan = member_of(room, members[3])
    online.raise_hand(daan)
    chantal = client_for(members[2])
    give = reverse("rooms:word_give", args=[room.pk])
    assert chantal.post(give, {"member": daan.pk}).status_code == 403
    with pytest.raises(services.NotAllowed):
        online.take_back_word(room.pk, members[2])
    assert (
        client_for(members[2])
        .post(reverse("rooms:roll_mark", args=[room.pk]), {"member": daan.pk, "present": "1"})
        .status_code
        == 403
    )
    # Someone outside the group learns nothing and changes nothing.
    stranger = client_for(outsider)
    assert stranger.post(reverse("rooms:hand_raise", args=[room.pk])).status_code == 404
    assert stranger.post(give, {"member": daan.pk}).status_code == 404
    room.refresh_from_db()
    assert [h["member"] for h in room.floor["queue"]] == [daan.pk]
    assert room.floor.get("speaker") is None
    assert not RoomMember.objects.get(pk=daan.pk).marked_present


def test_withdrawing_a_hand_or_raising_it_twice(room, members):
    chantal = member_of(room, members[2])
    online.raise_hand(chantal)
    with pytest.raises(services.CommandRefused, match="al opgestoken"):
        online.raise_hand(chantal)
    online.lower_hand(chantal)
    room.refresh_from_db()
    assert room.floor["queue"] == []
    with pytest.raises(services.CommandRefused):
        online.lower_hand(chantal)


def test_the_facilitator_gives_the_word_and_needs_no_hand(room, members):
    with pytest.raises(services.CommandRefused):
        online.raise_hand(member_of(room, members[0]))


def test_a_long_subject_is_refused_with_a_clear_message_and_no_hand_goes_up(room, members):
    response = client_for(members[2]).post(
        reverse("rooms:hand_raise", args=[room.pk]), {"subject": "x" * 200}
    )
    assert response.status_code == 422
    assert "120" in response.content.decode()
    room.refresh_from_db()
    assert not room.floor.get("queue")


def test_the_inbrenger_only_listens_while_the_group_talks_about_them(room, members):
    room = go_to_step(room, "roddelen")
    bram = member_of(room, members[1])
    with pytest.raises(services.CommandRefused):
        online.raise_hand(bram)
    assert 'data-open-dialog="hand-dialog"' not in screen(room, Audience.INBRENGER)
    assert 'data-open-dialog="hand-dialog"' in screen(room, Audience.PARTICIPANT)
    online.raise_hand(member_of(room, members[2]))  # the others may


def test_in_a_question_round_a_raised_hand_waits_until_the_round_ends(room, members):
    everyone_connected(room, members)
    room = go_to_step(room, "probleemverkenning")
    eva = member_of(room, members[4])
    online.raise_hand(eva, "Iets anders")
    chantal = member_of(room, members[2])
    services.interact(chantal, "pass", room.step_run_id, {})  # the round is under way
    assert "data-floor-held" in screen(room, Audience.FACILITATOR)
    with pytest.raises(services.CommandRefused, match="vragenronde|question round"):
        online.give_word(room.pk, members[0], eva.pk)
    assert whose_turn(room) == "Daan"  # the turn order stays as it is
    room.refresh_from_db()
    services.interact(member_of(room, members[0]), "end_rounds", room.step_run_id, {})
    online.give_word(room.pk, members[0], eva.pk)
    assert f'data-speaker="{eva.pk}"' in screen(room)


def test_the_word_ends_with_the_step_but_raised_hands_stay(room, members):
    everyone_connected(room, members)
    room = go_to_step(room, "vraag-introductie")
    daan, eva = member_of(room, members[3]), member_of(room, members[4])
    online.raise_hand(daan)
    online.raise_hand(eva)
    online.give_word(room.pk, members[0], daan.pk)
    room = go_to_step(room, "probleemverkenning")
    html = screen(room)
    assert 'data-speaker=""' in html and f'data-queue="{eva.pk}"' in html


# ---- Presence that means presence -------------------------------------------------------------


def test_online_turns_skip_whoever_is_neither_connected_nor_marked_present(room, members):
    connect_users(room, members[0], members[1], members[3], members[4])  # not Chantal, not Femke
    room = go_to_step(room, "probleemverkenning")
    assert whose_turn(room) == "Daan"
    laptop = screen(room, Audience.FACILITATOR, frozenset({"interaction", "roll"}))
    chantal = member_of(room, members[2])
    assert f'data-turn-member="{chantal.pk}" data-turn-status="absent"' in laptop
    assert f'data-roll-member="{chantal.pk}" data-roll-status="away"' in laptop
    # Chantal connects late: Daan keeps the turn; she comes in the next round.
    connect(chantal)
    assert whose_turn(room) == "Daan"


def test_marking_someone_present_puts_them_back_right_after_the_current_turn(room, members):
    connect_users(room, members[0], members[1], members[3], members[4])
    room = go_to_step(room, "probleemverkenning")
    chantal = member_of(room, members[2])
    client_for(members[0]).post(
        reverse("rooms:roll_mark", args=[room.pk]), {"member": chantal.pk, "present": "1"}
    )
    assert whose_turn(room) == "Daan"
    services.interact(member_of(room, members[3]), "aloud", room.step_run_id, {})
    room.refresh_from_db()
    assert whose_turn(room) == "Chantal"  # on the call without the app: marked present
    # The facilitator records her question asked aloud; the turn moves on to Eva.
    services.interact(member_of(room, members[0]), "aloud_for", room.step_run_id, {})
    room.refresh_from_db()
    assert whose_turn(room) == "Eva"


def test_a_participant_who_drops_out_mid_round_is_skipped_after_the_grace_period(
    room, members, settings
):
    settings.ROOM_DROPOUT_GRACE = 15
    everyone_connected(room, members)
    room = go_to_step(room, "probleemverkenning")
    chantal = member_of(room, members[2])
    now = timezone.now()
    RoomMember.objects.filter(pk=chantal.pk).update(
        connections=0, offline_since=now - timedelta(seconds=5)
    )
    assert online.settle(room.pk, now=now) == pytest.approx(10, abs=1)  # still within grace
    assert whose_turn(room) == "Chantal"
    seq = Room.objects.get(pk=room.pk).seq
    assert online.settle(room.pk, now=now + timedelta(seconds=11)) is None
    assert whose_turn(room) == "Daan"
    assert Room.objects.get(pk=room.pk).seq == seq + 1  # every screen gets the news
    told = "Chantal Bakker is niet meer verbonden"
    for audience in (Audience.PARTICIPANT, Audience.INBRENGER, Audience.FACILITATOR):
        html = screen(room, audience, frozenset({"interaction"}))
        assert f'data-turn-dropped="{chantal.pk}"' in html
        assert told in html or "Chantal Bakker is no longer connected" in html


def test_someone_leaving_while_they_have_the_word_loses_it_and_the_room_is_told(
    room, members, settings
):
    settings.ROOM_DROPOUT_GRACE = 15
    everyone_connected(room, members)
    room = go_to_step(room, "vraag-introductie")
    eva = member_of(room, members[4])
    online.raise_hand(eva)
    online.give_word(room.pk, members[0], eva.pk)
    later = timezone.now() + timedelta(seconds=20)
    RoomMember.objects.filter(pk=eva.pk).update(connections=0, offline_since=timezone.now())
    online.settle(room.pk, now=later)
    html = screen(room)
    assert 'data-speaker=""' in html
    assert "Eva Smit" in html and ("niet meer verbonden" in html or "no longer connected" in html)


def test_in_person_meetings_keep_everyone_in_the_turns(meeting, members, case):
    room = open_room_for(meeting, members, case=case)
    assert meeting.effective_mode == MeetingMode.IN_PERSON
    room = go_to_step(room, "probleemverkenning")  # nobody's phone is connected
    assert whose_turn(room) == "Chantal"
    assert online.settle(room.pk) is None
    assert 'id="room-roll"' in screen(room, Audience.FACILITATOR, frozenset({"roll"}))
    assert "hidden" in re.search(
        r'<section id="room-roll"[^>]*>', screen(room, Audience.FACILITATOR, frozenset({"roll"}))
    ).group(0)


# ---- Hybrid: who is where ---------------------------------------------------------------------


def test_hybrid_the_facilitator_sees_who_is_where_and_the_room_counts_as_present(
    online_meeting, members, case
):
    online_meeting.mode = MeetingMode.HYBRID
    online_meeting.save()
    room = open_room_for(online_meeting, members, case=case)
    connect_users(room, members[0], members[3])
    chantal, eva = member_of(room, members[2]), member_of(room, members[4])
    # Chantal says she is in the room (her phone then locks); the facilitator puts Eva online.
    assert (
        client_for(members[2])
        .post(reverse("rooms:place", args=[room.pk]), {"place": "room"})
        .status_code
        == 200
    )
    online.set_place(room.pk, eva.pk, "online", user=members[0])
    with pytest.raises(services.NotAllowed):
        online.set_place(
            room.pk, eva.pk, "room", user=members[3], member=member_of(room, members[3])
        )
    laptop = screen(room, Audience.FACILITATOR, frozenset({"roll"}))
    assert f'data-roll-member="{chantal.pk}" data-roll-status="in_room" data-place="room"' in laptop
    assert f'data-roll-member="{eva.pk}" data-roll-status="away" data-place="online"' in laptop
    assert "1 in de zaal" in laptop or "1 in the room" in laptop
    room = go_to_step(room, "probleemverkenning")
    assert whose_turn(room) == "Chantal"  # in the room: present without a connection


def test_the_roll_call_and_the_hands_cost_no_extra_queries(
    room, members, django_assert_num_queries
):
    everyone_connected(room, members)
    live.load_state(room.pk)  # warm the step cache

    def render_everything() -> None:
        state = live.load_state(room.pk)
        for audience in Audience.values:
            live.render_parts(state, audience, live.EVERYTHING)

    with django_assert_num_queries(5) as plain:  # as in tests/sessions/test_views.py
        render_everything()
    for user in members[2:5]:
        online.raise_hand(member_of(room, user), "onderwerp")
    online.give_word(room.pk, members[0], member_of(room, members[2]).pk)
    with django_assert_num_queries(len(plain.captured_queries)):
        render_everything()


def test_a_hand_subject_is_escaped_wherever_it_is_shown(room, members):
    online.raise_hand(member_of(room, members[2]), '<img src=x onerror="alert(1)">')
    laptop = screen(room, Audience.FACILITATOR)
    assert "<img src=x" not in laptop
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in laptop
