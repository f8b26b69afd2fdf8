"""Presence that means presence (sessions_app/roll.py) and what it does to a question round's
turns (sessions_app/interactions/turns.py): plain rules, no database."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from sessions_app import roll
from sessions_app.interactions.turns import Turns

NOW = datetime(2026, 3, 9, 14, 0, tzinfo=UTC)
GRACE = timedelta(seconds=15)


@dataclass
class Person:
    pk: int
    connections: int = 0
    marked_present: bool = False
    place: str = ""
    offline_since: datetime | None = None


def present(people, mode="online"):
    return roll.present_ids(people, mode, NOW, GRACE)


@pytest.fixture(autouse=True)
def grace_setting(settings):
    settings.ROOM_DROPOUT_GRACE = GRACE.total_seconds()


# ---- Who takes part ---------------------------------------------------------------------------


def test_online_only_the_connected_and_the_marked_take_part():
    connected, marked, never, gone = (
        Person(1, connections=1),
        Person(2, marked_present=True),
        Person(3),
        Person(4, offline_since=NOW - timedelta(minutes=5)),
    )
    assert present([connected, marked, never, gone]) == {1, 2}


def test_a_dropped_connection_gets_a_grace_period():
    just_now = Person(1, offline_since=NOW - timedelta(seconds=5))
    long_ago = Person(2, offline_since=NOW - timedelta(seconds=16))
    assert present([just_now, long_ago]) == {1}
    assert roll.status_of(just_now, "online", NOW) == "reconnecting"
    assert roll.status_of(long_ago, "online", NOW) == "away"
    assert roll.next_expiry([just_now, long_ago], NOW) == pytest.approx(10.0)


def test_in_person_everyone_in_the_room_takes_part_whatever_their_phone_does():
    locked_phone = Person(1, offline_since=NOW - timedelta(minutes=20))
    never_connected = Person(2)
    assert present([locked_phone, never_connected], mode="in_person") == {1, 2}
    assert roll.status_of(locked_phone, "in_person", NOW) == "in_room"


def test_hybrid_the_room_counts_as_here_the_call_needs_a_connection():
    in_room = Person(1, place="room")
    on_call = Person(2, place="online")
    unknown = Person(3)  # has not said where: the stricter rule
    marked = Person(4, place="online", marked_present=True)
    assert present([in_room, on_call, unknown, marked], mode="hybrid") == {1, 4}
    assert [roll.place_of("hybrid", p.place) for p in (in_room, on_call, unknown)] == [
        "room",
        "online",
        "",
    ]
    assert roll.place_of("online", "room") == "online"  # a fully online meeting has no room
    assert roll.place_of("in_person", "") == "room"


# ---- Turns that skip whoever is not there -----------------------------------------------------

CHANTAL, DAAN, EVA, FEMKE = 3, 4, 5, 6
ORDER = [CHANTAL, DAAN, EVA, FEMKE]


def turns() -> Turns:
    return Turns(order=list(ORDER))


def test_the_turn_skips_whoever_is_away_and_never_jumps_back():
    t = turns()
    here = {DAAN, EVA, FEMKE}
    assert t.current(here) == DAAN
    assert t.settle(here) == [CHANTAL]
    # Chantal connects: the turn stays with Daan; Chantal was passed over for this round.
    assert t.current(here | {CHANTAL}) == DAAN
    assert t.absent == [CHANTAL]


def test_a_finished_turn_passes_over_whoever_is_away_further_on():
    t = turns()
    here = {CHANTAL, EVA, FEMKE}  # Daan left before his turn came
    t.asked += 1
    t.finish_turn(ORDER, run_id=1, present=here)
    assert t.current(here) == EVA and t.absent == [DAAN]
    assert t.current(here | {DAAN}) == EVA  # back too late for this round


def test_the_one_whose_turn_it_is_drops_out_and_is_skipped_with_a_notice():
    t = turns()
    here = {DAAN, EVA, FEMKE}  # Chantal's grace period is over
    assert t.drop_out(ORDER, run_id=1, present=here) == CHANTAL
    assert t.dropped == [CHANTAL] and t.notice == CHANTAL and t.current(here) == DAAN
    assert t.drop_out(ORDER, run_id=1, present=here) is None  # Daan is here: nothing to do
    assert not t.untouched()  # a turn was used up: the round is under way


def test_the_last_one_dropping_out_starts_the_next_round_when_questions_were_asked():
    t = turns()
    t.position, t.asked = 3, 2  # Femke's turn, the last of round 1
    here = {CHANTAL, DAAN, EVA}
    assert t.drop_out(ORDER, run_id=1, present=here) == FEMKE
    assert t.round == 2 and t.current(here) in here
    assert t.notice == FEMKE  # the new round still tells the group why Femke had no turn
    t.finish_turn(ORDER, run_id=1, present=here)
    assert t.notice is None  # until the next turn is taken


def test_the_facilitator_puts_someone_back_right_after_the_current_turn():
    t = turns()
    t.drop_out(ORDER, run_id=1, present={DAAN, EVA, FEMKE})  # Chantal dropped out
    assert t.put_back(CHANTAL)
    here = {CHANTAL, DAAN, EVA, FEMKE}
    assert t.current(here) == DAAN and t.upcoming(here) == CHANTAL
    assert t.dropped == [] and t.absent == []
    assert not t.put_back(DAAN)  # nobody passed Daan over


def test_nobody_here_leaves_the_turn_where_it_is_instead_of_ending_the_rounds():
    t = turns()
    assert t.settle(set()) == [] and t.position == 0 and not t.ended
    assert t.current({EVA}) == EVA  # the first one to arrive has the turn
