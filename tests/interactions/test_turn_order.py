"""The order of a question round's turns, as plain rules (sessions_app/interactions/turns.py)."""

import pytest

from sessions_app.interactions.turns import Turns, turn_order

MEMBERS = [11, 12, 13, 14, 15]


def test_a_shuffled_round_is_the_same_on_every_screen_and_differs_between_rounds():
    first = turn_order(MEMBERS, "random", run_id=7, round_no=1)
    assert first == turn_order(MEMBERS, "random", run_id=7, round_no=1)
    assert sorted(first) == MEMBERS
    rounds = {tuple(turn_order(MEMBERS, "random", run_id=7, round_no=n)) for n in range(1, 6)}
    assert len(rounds) > 1


def test_around_the_table_keeps_the_order_people_joined_in():
    assert turn_order(MEMBERS, "table", run_id=7, round_no=3, last=11) == MEMBERS


@pytest.mark.parametrize("run_id", range(40))
def test_nobody_has_two_turns_in_a_row_when_a_shuffled_round_begins(run_id):
    for members in ([21, 22], [21, 22, 23], MEMBERS):
        turns = Turns(order=turn_order(members, "random", run_id, 1), mode="random")
        for _ in range(4 * len(members)):  # four rounds, everyone asks
            before = turns.current(set(members))
            turns.asked += 1
            turns.finish_turn(members, run_id)
            assert turns.current(set(members)) != before, (members, turns.round)
        assert turns.round == 5


def test_who_was_not_there_at_the_end_of_a_round_may_open_the_next():
    # 22 closed the round but has left; 21 is here and may be first.
    turns = Turns(order=[21, 22], mode="random", position=2, asked=1)
    turns.new_round([21, 22], run_id=1, present={21})
    assert turns.current({21}) == 21


def test_one_member_alone_keeps_the_turn_round_after_round():
    turns = Turns(order=[21], mode="random", asked=1)
    turns.finish_turn([21], run_id=3)
    assert turns.round == 2 and turns.current({21}) == 21
