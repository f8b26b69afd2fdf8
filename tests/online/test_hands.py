"""The word, as plain rules (sessions_app/hands.py): the queue keeps the order in which hands
went up; the facilitator gives the word to a raised hand; it ends when the speaker is done, the
facilitator takes it back, the step changes or the speaker drops out."""

import pytest

from sessions_app import hands
from sessions_app.hands import Floor, HandError

CHANTAL, DAAN, EVA = 3, 4, 5


def raised(*people) -> Floor:
    floor = Floor()
    for i, person in enumerate(people):
        floor.raise_hand(person, "", 100.0 + i)
    return floor


def test_the_queue_keeps_the_order_in_which_hands_went_up():
    floor = raised(DAAN, CHANTAL, EVA)
    assert [h.member for h in floor.queue] == [DAAN, CHANTAL, EVA]
    assert (floor.place_of(DAAN), floor.place_of(EVA), floor.place_of(99)) == (1, 3, None)


def test_the_order_survives_a_trip_through_the_database_json():
    floor = Floor()
    floor.raise_hand(EVA, "", 300.0)
    floor.raise_hand(CHANTAL, "Over de planning", 100.0)  # clocks of two processes may differ
    again = Floor.of(floor.to_json(), current_run=None)
    assert [h.member for h in again.queue] == [CHANTAL, EVA]
    assert again.hand_of(CHANTAL).subject == "Over de planning"


def test_a_subject_is_one_short_line():
    floor = Floor()
    hand = floor.raise_hand(CHANTAL, "  Over\nde   planning\t van  morgen ", 1.0)
    assert hand.subject == "Over de planning van morgen"
    long = Floor().raise_hand(DAAN, "x" * 500, 1.0)
    assert len(long.subject) == hands.SUBJECT_LENGTH


def test_one_hand_per_person_and_none_while_speaking():
    floor = raised(CHANTAL)
    with pytest.raises(HandError, match="raised"):
        floor.raise_hand(CHANTAL, "", 2.0)
    floor.give(CHANTAL, 3.0, run=7)
    with pytest.raises(HandError, match="speaking"):
        floor.raise_hand(CHANTAL, "", 4.0)


def test_giving_the_word_takes_the_hand_out_of_the_queue_and_ends_the_previous_word():
    floor = raised(CHANTAL, DAAN)
    floor.give(CHANTAL, 10.0, run=7)
    assert floor.speaker == CHANTAL and [h.member for h in floor.queue] == [DAAN]
    floor.give(DAAN, 20.0, run=7)
    assert floor.speaker == DAAN and floor.queue == [] and floor.since == 20.0


def test_only_a_raised_hand_gets_the_word():
    with pytest.raises(HandError, match="not_raised"):
        Floor().give(EVA, 1.0, run=7)


def test_withdrawing_a_hand_keeps_the_others_in_their_order():
    floor = raised(CHANTAL, DAAN, EVA)
    floor.withdraw(DAAN)
    assert [h.member for h in floor.queue] == [CHANTAL, EVA]
    with pytest.raises(HandError, match="not_raised"):
        floor.withdraw(DAAN)


def test_the_speaker_is_done_or_the_facilitator_takes_the_word_back():
    floor = raised(CHANTAL)
    floor.give(CHANTAL, 1.0, run=7)
    with pytest.raises(HandError):
        floor.finish(DAAN)  # only the speaker says they are done
    assert floor.finish(CHANTAL) == CHANTAL and floor.speaker is None
    with pytest.raises(HandError, match="not_speaking"):
        floor.finish()


def test_the_word_ends_with_the_step_in_which_it_was_given():
    floor = raised(CHANTAL, DAAN)
    floor.give(CHANTAL, 1.0, run=7)
    same_step = Floor.of(floor.to_json(), current_run=7)
    next_step = Floor.of(floor.to_json(), current_run=8)
    assert same_step.speaker == CHANTAL
    assert next_step.speaker is None
    assert [h.member for h in next_step.queue] == [DAAN]  # hands stay up across steps


def test_someone_who_drops_out_while_speaking_loses_the_word_and_the_room_is_told():
    floor = raised(CHANTAL, DAAN)
    floor.give(CHANTAL, 1.0, run=7)
    assert not floor.drop_out(DAAN)  # a raised hand stays, in case they come back
    assert floor.drop_out(CHANTAL)
    assert floor.speaker is None and floor.left == CHANTAL
    assert floor.hand_of(DAAN) is not None
    floor.give(DAAN, 2.0, run=7)
    assert floor.left is None  # the next word clears the notice


def test_the_next_hand_is_the_first_of_those_still_here():
    floor = raised(CHANTAL, DAAN, EVA)
    assert floor.next_hand({DAAN, EVA}).member == DAAN
    assert floor.next_hand(set()) is None


def test_a_question_round_under_way_holds_the_word():
    assert hands.may_give(rounds_running=False)
    assert not hands.may_give(rounds_running=True)
