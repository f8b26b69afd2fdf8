"""The pure rules of the room: which step comes next, and the timer arithmetic."""

from datetime import UTC, datetime, timedelta

import pytest

from sessions_app import flow, timing
from sessions_app.flow import StepRef

T0 = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)

INCIDENT = [
    StepRef("inventariseren"),
    StepRef("benoemen"),
    StepRef("rondjes-vragen"),
    StepRef("roddelen"),
    StepRef("herbenoemen", branch_if_no="adviezen"),
    StepRef("nieuwe-vragen"),
    StepRef("adviezen"),
    StepRef("reactie"),
    StepRef("afsluiting"),
]


def test_the_session_starts_at_the_first_step():
    assert flow.next_index(INCIDENT, None) == 0


def test_next_moves_one_step_and_ends_after_the_last():
    assert flow.next_index(INCIDENT, 0) == 1
    assert flow.next_index(INCIDENT, 8) is None


def test_reformulated_question_continues_with_new_question_rounds():
    assert flow.next_index(INCIDENT, 4, "yes") == 5


def test_no_reformulation_skips_to_the_advice():
    assert flow.next_index(INCIDENT, 4, "no") == 6


def test_a_branching_step_needs_an_answer():
    with pytest.raises(flow.FlowError):
        flow.next_index(INCIDENT, 4)


def test_back_after_the_branch_returns_to_the_branching_step_not_the_skipped_one():
    visited = [
        "inventariseren",
        "benoemen",
        "rondjes-vragen",
        "roddelen",
        "herbenoemen",
        "adviezen",
    ]
    assert INCIDENT[flow.previous_index(INCIDENT, visited)].key == "herbenoemen"


def test_repeated_back_keeps_walking_backwards():
    visited = ["inventariseren", "benoemen", "rondjes-vragen", "benoemen"]
    assert flow.path(visited) == ["inventariseren", "benoemen"]
    assert INCIDENT[flow.previous_index(INCIDENT, visited)].key == "inventariseren"


def test_back_on_the_first_step_is_not_possible():
    assert flow.previous_index(INCIDENT, ["inventariseren"]) is None


def test_skipped_steps_are_those_jumped_over():
    visited = [
        "inventariseren",
        "benoemen",
        "rondjes-vragen",
        "roddelen",
        "herbenoemen",
        "adviezen",
    ]
    assert flow.skipped_keys(INCIDENT, visited, 6) == {"nieuwe-vragen"}


def test_a_method_without_steps_cannot_start():
    with pytest.raises(flow.FlowError):
        flow.next_index([], None)


def test_the_timer_counts_down_from_an_absolute_deadline():
    clock = timing.start(T0, 600)
    assert timing.remaining(clock, T0 + timedelta(seconds=90)) == 510


def test_time_up_goes_negative_and_does_not_stop_the_step():
    clock = timing.start(T0, 60)
    assert timing.remaining(clock, T0 + timedelta(seconds=75)) == -15


def test_pause_freezes_the_remaining_time_and_resume_continues_from_it():
    clock = timing.pause(timing.start(T0, 600), T0 + timedelta(seconds=100))
    assert clock.paused and clock.paused_remaining == 500
    assert timing.remaining(clock, T0 + timedelta(hours=1)) == 500
    resumed = timing.resume(clock, T0 + timedelta(seconds=400))
    assert timing.remaining(resumed, T0 + timedelta(seconds=400)) == 500
    assert resumed.deadline_at == T0 + timedelta(seconds=900)


def test_pausing_twice_or_resuming_a_running_timer_changes_nothing():
    running = timing.start(T0, 600)
    assert timing.resume(running, T0) == running
    paused = timing.pause(running, T0 + timedelta(seconds=10))
    assert timing.pause(paused, T0 + timedelta(seconds=20)) == paused


def test_one_more_minute_adds_sixty_seconds():
    clock = timing.extend(timing.start(T0, 600), T0)
    assert timing.remaining(clock, T0) == 660


def test_one_more_minute_after_time_is_up_counts_from_now():
    clock = timing.start(T0, 60)
    later = T0 + timedelta(seconds=200)
    assert timing.remaining(timing.extend(clock, later), later) == 60


def test_one_more_minute_while_paused_adds_to_the_frozen_time():
    clock = timing.pause(timing.start(T0, 600), T0 + timedelta(seconds=580))
    assert timing.extend(clock, T0).paused_remaining == 80
