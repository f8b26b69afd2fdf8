"""The facilitator fits a method into the time the meeting has."""

import itertools

import pytest
from django.utils import translation

from methods.models import InteractionKind, Method, Step
from methods.planner import DurationPlan, StepRange, plan_durations, plan_method

# The CREA-model's seven steps (METHODS.md): default, minimum, maximum minutes.
CREA = [
    StepRange("opening", 5, 5, 5),
    StepRange("verkenning", 12, 10, 15),
    StepRange("reflectie", 12, 10, 15),
    StepRange("bewustwording", 8, 5, 10),
    StepRange("actieplan", 12, 10, 15),
    StepRange("evaluatie", 5, 5, 5),
    StepRange("afronding", 5, 5, 5),
]
CREA_MIN, CREA_DEFAULT, CREA_MAX = 50, 59, 70


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def assert_within_ranges(steps: list[StepRange], plan: DurationPlan) -> None:
    for step in steps:
        assert step.minimum <= plan.planned_for(step.key) <= step.maximum, step.key


def test_crea_sums_are_what_the_method_sheet_says():
    assert sum(s.minimum for s in CREA) == CREA_MIN
    assert sum(s.default for s in CREA) == CREA_DEFAULT
    assert sum(s.maximum for s in CREA) == CREA_MAX


def test_planner_keeps_the_defaults_when_the_time_matches_exactly():
    plan = plan_durations(CREA, CREA_DEFAULT)

    assert plan.status == "exact"
    assert plan.fits
    assert plan.minutes == {s.key: s.default for s in CREA}
    assert plan.total == plan.available == CREA_DEFAULT
    assert plan.message == "The method fits exactly in 59 minutes."


def test_planner_shrinks_steps_toward_their_minimum_when_time_is_short():
    steps = [StepRange("a", 10, 5, 10), StepRange("b", 20, 10, 20), StepRange("c", 5, 5, 5)]

    plan = plan_durations(steps, 30)

    # 5 minutes to cut over rooms 5 and 10: exact shares 1⅔ and 3⅓, rounded to 2 and 3.
    assert plan.status == "shrunk"
    assert plan.fits
    assert plan.minutes == {"a": 8, "b": 17, "c": 5}
    assert plan.total == 30
    assert plan.message == "Steps are shortened by 5 minutes in all to fit 30 minutes."


def test_planner_cuts_in_proportion_to_each_steps_room():
    steps = [StepRange("short_room", 10, 8, 12), StepRange("long_room", 30, 10, 40)]

    plan = plan_durations(steps, 29)  # 11 to cut over rooms 2 and 20: 1 and 10

    assert plan.minutes == {"short_room": 9, "long_room": 20}


def test_planner_stretches_steps_toward_their_maximum_when_there_is_time_to_spare():
    steps = [StepRange("a", 10, 5, 12), StepRange("b", 20, 10, 26), StepRange("c", 5, 5, 5)]

    plan = plan_durations(steps, 39)

    # 4 minutes to add over rooms 2 and 6: exactly 1 and 3.
    assert plan.status == "stretched"
    assert plan.fits
    assert plan.minutes == {"a": 11, "b": 23, "c": 5}
    assert plan.message == "Steps are lengthened by 4 minutes in all to fill 39 minutes."


def test_planner_gives_every_step_its_minimum_at_the_lower_bound():
    plan = plan_durations(CREA, CREA_MIN)

    assert plan.status == "shrunk"
    assert plan.minutes == {s.key: s.minimum for s in CREA}
    assert plan.total == CREA_MIN


def test_planner_gives_every_step_its_maximum_at_the_upper_bound():
    plan = plan_durations(CREA, CREA_MAX)

    assert plan.status == "stretched"
    assert plan.minutes == {s.key: s.maximum for s in CREA}


def test_planner_says_how_many_minutes_are_needed_when_the_meeting_is_too_short():
    steps = [StepRange("a", 30, 25, 40), StepRange("b", 40, 30, 50)]

    plan = plan_durations(steps, 45)

    assert plan.status == "too_short"
    assert not plan.fits
    assert plan.minutes == {"a": 25, "b": 30}
    assert plan.total == 55
    assert plan.available == 45
    assert plan.message == "This method needs at least 55 minutes; you have 45."


def test_planner_leaves_the_rest_for_opening_and_closing_when_steps_are_at_their_maximum():
    plan = plan_durations(CREA, 90)

    assert plan.status == "slack"
    assert plan.fits
    assert plan.minutes == {s.key: s.maximum for s in CREA}
    assert plan.total == CREA_MAX
    assert plan.available == 90
    assert plan.message == "20 minutes left for opening and closing."


def test_slack_of_one_minute_reads_in_the_singular():
    plan = plan_durations(CREA, CREA_MAX + 1)

    assert plan.message == "1 minute left for opening and closing."


def test_a_change_of_one_minute_reads_in_the_singular():
    assert plan_durations(CREA, CREA_DEFAULT - 1).message == (
        "Steps are shortened by 1 minute in all to fit 58 minutes."
    )
    assert plan_durations(CREA, CREA_DEFAULT + 1).message == (
        "Steps are lengthened by 1 minute in all to fill 60 minutes."
    )


def test_one_minute_short_is_already_too_short():
    plan = plan_durations(CREA, CREA_MIN - 1)

    assert plan.status == "too_short"
    assert plan.message == "This method needs at least 50 minutes; you have 49."


@pytest.mark.parametrize("available", range(CREA_MIN, CREA_MAX + 1))
def test_planned_minutes_always_add_up_to_the_time_available_and_respect_every_range(available):
    plan = plan_durations(CREA, available)

    assert plan.total == sum(plan.minutes.values()) == available
    assert_within_ranges(CREA, plan)


def test_rounding_never_loses_or_invents_a_minute_with_awkward_thirds():
    steps = [StepRange(f"s{i}", 10, 7, 13) for i in range(3)]

    for available in range(21, 40):
        plan = plan_durations(steps, available)
        assert plan.total == available
        assert_within_ranges(steps, plan)
        # Equal rooms: the planned minutes differ by at most one.
        assert max(plan.minutes.values()) - min(plan.minutes.values()) <= 1


def test_rounding_gives_the_leftover_minute_to_the_earlier_step_on_a_tie():
    steps = [StepRange("first", 10, 5, 15), StepRange("second", 10, 5, 15)]

    assert plan_durations(steps, 19).minutes == {"first": 9, "second": 10}
    assert plan_durations(steps, 21).minutes == {"first": 11, "second": 10}


def test_shrinking_does_not_depend_on_the_order_the_steps_are_listed_in():
    steps = [StepRange("a", 17, 3, 20), StepRange("b", 9, 2, 30), StepRange("c", 23, 11, 23)]

    for permutation in itertools.permutations(steps):
        plan = plan_durations(list(permutation), 40)
        assert list(plan.minutes) == [s.key for s in permutation]
        assert plan.minutes == {"a": 13, "b": 7, "c": 20}


def test_steps_without_room_keep_their_fixed_length_while_the_others_absorb_the_change():
    steps = [StepRange("fixed", 5, 5, 5), StepRange("flexible", 20, 10, 30)]

    assert plan_durations(steps, 15).minutes == {"fixed": 5, "flexible": 10}
    assert plan_durations(steps, 35).minutes == {"fixed": 5, "flexible": 30}


def test_a_method_where_no_step_can_move_is_either_exact_too_short_or_slack():
    steps = [StepRange("a", 5, 5, 5), StepRange("b", 10, 10, 10)]

    assert plan_durations(steps, 15).status == "exact"
    assert plan_durations(steps, 14).status == "too_short"
    assert plan_durations(steps, 16).status == "slack"


def test_stretching_only_grows_steps_that_have_room_above_their_default():
    steps = [StepRange("capped", 10, 5, 10), StepRange("open", 10, 5, 20)]

    plan = plan_durations(steps, 25)

    assert plan.minutes == {"capped": 10, "open": 15}


def test_a_single_step_method_simply_takes_the_available_time_within_its_range():
    step = [StepRange("gesprek", 30, 20, 45)]

    assert plan_durations(step, 37).minutes == {"gesprek": 37}
    assert plan_durations(step, 20).minutes == {"gesprek": 20}
    assert plan_durations(step, 19).status == "too_short"
    assert plan_durations(step, 60).minutes == {"gesprek": 45}


def test_the_plan_keeps_the_method_order_of_the_steps():
    plan = plan_durations(CREA, 64)

    assert list(plan.minutes) == [s.key for s in CREA]


def test_planned_for_reports_a_step_and_refuses_an_unknown_one():
    plan = plan_durations(CREA, CREA_DEFAULT)

    assert plan.planned_for("reflectie") == 12
    with pytest.raises(KeyError, match="rondje"):
        plan.planned_for("rondje")


@pytest.mark.parametrize("available", [0, -1, -90])
def test_planner_refuses_zero_or_negative_time_with_a_clear_error(available):
    with pytest.raises(ValueError, match="Available minutes must be positive"):
        plan_durations(CREA, available)


def test_planner_refuses_a_method_without_steps():
    with pytest.raises(ValueError, match="at least one step"):
        plan_durations([], 90)


def test_planner_refuses_duplicate_step_keys():
    with pytest.raises(ValueError, match="unique"):
        plan_durations([StepRange("a", 5, 5, 5), StepRange("a", 5, 5, 5)], 10)


@pytest.mark.parametrize(("default", "minimum", "maximum"), [(5, 6, 10), (11, 5, 10), (5, -1, 5)])
def test_a_step_range_must_be_ordered_minimum_default_maximum(default, minimum, maximum):
    with pytest.raises(ValueError, match="minimum ≤ default ≤ maximum"):
        StepRange("x", default, minimum, maximum)


def test_dutch_ui_without_a_catalogue_entry_still_gets_the_formatted_message():
    # No Dutch catalogue entry yet: the English msgid comes through, formatted.
    with translation.override("nl"):
        plan = plan_durations(CREA, 45)
    assert "50" in plan.message and "45" in plan.message


def make_method(slug: str, ranges: list[tuple[int, int, int]]) -> Method:
    method = Method.objects.create(slug=slug, name_nl=slug.title())
    for order, (default, minimum, maximum) in enumerate(ranges, start=1):
        Step.objects.create(
            method=method,
            order=order,
            key=f"stap-{order}",
            name_nl=f"Stap {order}",
            kind=InteractionKind.INFO,
            default_minutes=default,
            min_minutes=minimum,
            max_minutes=maximum,
        )
    return method


def test_step_range_reads_the_minutes_of_a_library_step(db):
    method = make_method("eigen-roddelmodel", [(5, 5, 5), (10, 8, 12)])

    assert StepRange.from_step(method.steps.get(order=2)) == StepRange("stap-2", 10, 8, 12)


def test_plan_method_plans_a_library_method_in_step_order(db):
    # Created out of order: the plan still follows the steps' order field.
    method = Method.objects.create(slug="eigen-roddelmodel", name_nl="Eigen roddelmodel")
    for order, key, default, minimum, maximum in [
        (3, "roddelen", 12, 10, 15),
        (1, "introductie", 5, 5, 5),
        (2, "verkenning", 10, 8, 12),
    ]:
        Step.objects.create(
            method=method,
            order=order,
            key=key,
            name_nl=key.title(),
            kind=InteractionKind.INFO,
            default_minutes=default,
            min_minutes=minimum,
            max_minutes=maximum,
        )

    plan = plan_method(method, 30)

    assert list(plan.minutes) == ["introductie", "verkenning", "roddelen"]
    assert plan.status == "stretched"
    assert plan.total == 30
    assert plan.minutes == {"introductie": 5, "verkenning": 11, "roddelen": 14}


def test_plan_method_uses_prefetched_steps_without_extra_queries(db, django_assert_num_queries):
    make_method("eigen-crea", [(5, 5, 5), (12, 10, 15), (12, 10, 15)])
    method = Method.objects.prefetch_related("steps").get(slug="eigen-crea")

    with django_assert_num_queries(0):
        plan = plan_method(method, 24)

    assert plan.status == "too_short"
    assert plan.message == "This method needs at least 25 minutes; you have 24."


@pytest.mark.parametrize("available", [45, 60, 90, 120])
def test_every_library_method_can_be_planned_for_a_usual_meeting_length(db, available):
    methods = list(Method.objects.prefetch_related("steps"))

    for method in methods:
        steps = [StepRange.from_step(step) for step in method.steps.all()]
        if not steps:
            continue
        plan = plan_method(method, available)
        assert plan.fits == (available >= sum(s.minimum for s in steps)), method.slug
        if plan.fits:
            assert plan.total == min(available, sum(s.maximum for s in steps)), method.slug
        assert_within_ranges(steps, plan)
        assert plan_method(method, method.default_minutes()).status == "exact", method.slug
