"""The facilitator plans a meeting: the method's own minutes, an opening and a closing.

A method keeps its steps' minutes (the hand-outs') when the meeting has the time; spare minutes
are the opening and the closing, never spread over the steps. Only a meeting too short for them
shortens the steps, toward their minimums.
"""

import itertools

import pytest
from django.utils import translation

from methods.models import InteractionKind, Method, Step
from methods.planner import (
    DurationPlan,
    StepRange,
    frame_split,
    plan_durations,
    plan_meeting,
    plan_method,
)

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


def test_planner_keeps_the_defaults_when_there_is_time_to_spare():
    steps = [StepRange("a", 10, 5, 12), StepRange("b", 20, 10, 26), StepRange("c", 5, 5, 5)]

    plan = plan_durations(steps, 39)

    # Room to grow (2 and 6 minutes) is not used: the method's own minutes stay.
    assert plan.status == "room"
    assert plan.fits
    assert plan.minutes == {"a": 10, "b": 20, "c": 5}
    assert plan.total == 35
    assert plan.message == "4 minutes left for opening and closing."


def test_planner_gives_every_step_its_minimum_at_the_lower_bound():
    plan = plan_durations(CREA, CREA_MIN)

    assert plan.status == "shrunk"
    assert plan.minutes == {s.key: s.minimum for s in CREA}
    assert plan.total == CREA_MIN


def test_planner_never_lengthens_a_step_beyond_its_default():
    for available in (CREA_DEFAULT + 1, CREA_MAX, 90, 180):
        plan = plan_durations(CREA, available)
        assert plan.minutes == {s.key: s.default for s in CREA}, available


def test_planner_says_how_many_minutes_are_needed_when_the_meeting_is_too_short():
    steps = [StepRange("a", 30, 25, 40), StepRange("b", 40, 30, 50)]

    plan = plan_durations(steps, 45)

    assert plan.status == "too_short"
    assert not plan.fits
    assert plan.minutes == {"a": 25, "b": 30}
    assert plan.total == 55
    assert plan.available == 45
    assert plan.message == "This method needs at least 55 minutes; you have 45."


def test_planner_leaves_the_rest_for_opening_and_closing():
    plan = plan_durations(CREA, 90)

    assert plan.status == "room"
    assert plan.fits
    assert plan.minutes == {s.key: s.default for s in CREA}
    assert plan.total == CREA_DEFAULT
    assert plan.available == 90
    assert plan.message == "31 minutes left for opening and closing."


def test_a_change_of_one_minute_reads_in_the_singular():
    assert plan_durations(CREA, CREA_DEFAULT - 1).message == (
        "Steps are shortened by 1 minute in all to fit 58 minutes."
    )
    assert plan_durations(CREA, CREA_DEFAULT + 1).message == (
        "1 minute left for opening and closing."
    )


def test_one_minute_short_is_already_too_short():
    plan = plan_durations(CREA, CREA_MIN - 1)

    assert plan.status == "too_short"
    assert plan.message == "This method needs at least 50 minutes; you have 49."


@pytest.mark.parametrize("available", range(CREA_MIN, CREA_MAX + 1))
def test_planned_minutes_fill_a_short_meeting_and_keep_the_defaults_in_a_long_one(available):
    plan = plan_durations(CREA, available)

    assert plan.total == sum(plan.minutes.values()) == min(available, CREA_DEFAULT)
    assert_within_ranges(CREA, plan)


def test_rounding_never_loses_or_invents_a_minute_with_awkward_thirds():
    steps = [StepRange(f"s{i}", 10, 7, 13) for i in range(3)]

    for available in range(21, 31):
        plan = plan_durations(steps, available)
        assert plan.total == available
        assert_within_ranges(steps, plan)
        # Equal rooms: the planned minutes differ by at most one.
        assert max(plan.minutes.values()) - min(plan.minutes.values()) <= 1


def test_rounding_gives_the_leftover_minute_to_the_earlier_step_on_a_tie():
    steps = [StepRange("first", 10, 5, 15), StepRange("second", 10, 5, 15)]

    assert plan_durations(steps, 19).minutes == {"first": 9, "second": 10}
    assert plan_durations(steps, 17).minutes == {"first": 8, "second": 9}


def test_shrinking_does_not_depend_on_the_order_the_steps_are_listed_in():
    steps = [StepRange("a", 17, 3, 20), StepRange("b", 9, 2, 30), StepRange("c", 23, 11, 23)]

    for permutation in itertools.permutations(steps):
        plan = plan_durations(list(permutation), 40)
        assert list(plan.minutes) == [s.key for s in permutation]
        assert plan.minutes == {"a": 13, "b": 7, "c": 20}


def test_steps_without_room_keep_their_fixed_length_while_the_others_absorb_the_change():
    steps = [StepRange("fixed", 5, 5, 5), StepRange("flexible", 20, 10, 30)]

    assert plan_durations(steps, 15).minutes == {"fixed": 5, "flexible": 10}
    assert plan_durations(steps, 20).minutes == {"fixed": 5, "flexible": 15}


def test_a_method_where_no_step_can_move_is_either_exact_too_short_or_has_room():
    steps = [StepRange("a", 5, 5, 5), StepRange("b", 10, 10, 10)]

    assert plan_durations(steps, 15).status == "exact"
    assert plan_durations(steps, 14).status == "too_short"
    assert plan_durations(steps, 16).status == "room"


def test_a_single_step_method_takes_its_own_time_or_less_within_its_range():
    step = [StepRange("gesprek", 30, 20, 45)]

    assert plan_durations(step, 27).minutes == {"gesprek": 27}
    assert plan_durations(step, 20).minutes == {"gesprek": 20}
    assert plan_durations(step, 19).status == "too_short"
    assert plan_durations(step, 60).minutes == {"gesprek": 30}


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
    assert plan.status == "room"
    assert plan.total == 27
    assert plan.minutes == {"introductie": 5, "verkenning": 10, "roddelen": 12}


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
            assert plan.total == min(available, sum(s.default for s in steps)), method.slug
        assert_within_ranges(steps, plan)
        assert plan_method(method, method.default_minutes()).status == "exact", method.slug


# ---- The whole meeting: opening, the method, closing ------------------------------------------


def test_opening_and_closing_share_what_the_method_leaves():
    assert frame_split(25) == (15, 10)
    assert frame_split(20) == (10, 10)
    assert frame_split(10) == (5, 5)
    assert frame_split(5) == (3, 2)
    assert frame_split(0) == (0, 0)
    assert frame_split(-3) == (0, 0)


@pytest.mark.parametrize(
    ("slug", "total", "opening", "closing"),
    [
        ("crea", 65, 15, 10),
        ("roddelmodel", 45, 25, 20),
        ("balint", 70, 10, 10),
        ("incidentmethode", 80, 5, 5),
        ("guns-and-roses", 80, 5, 5),
    ],
)
def test_a_90_minute_meeting_keeps_the_methods_own_minutes(
    method_library, slug, total, opening, closing
):
    steps = list(Method.objects.get(slug=slug).steps.all())

    plan = plan_meeting(steps, 90)

    assert plan.minutes == {s.key: s.default_minutes for s in steps}
    assert (plan.total, plan.opening, plan.closing) == (total, opening, closing)
    assert plan.fits
    assert plan.message == (
        f"The method takes {total} minutes as its steps describe; {opening} minutes remain to "
        f"open the meeting and {closing} to close it."
    )


def test_a_short_meeting_shortens_the_steps_and_keeps_ten_minutes_to_open_and_close(
    method_library,
):
    steps = list(Method.objects.get(slug="incidentmethode").steps.all())

    plan = plan_meeting(steps, 75)

    assert plan.total == 65 and (plan.opening, plan.closing) == (5, 5)
    assert plan.steps.status == "shrunk"
    for step in steps:
        assert step.min_minutes <= plan.minutes[step.key] <= step.default_minutes
    assert "shortened to 65 minutes" in plan.message


def test_a_meeting_that_only_holds_the_shortest_steps_has_no_frame_left(method_library):
    steps = list(Method.objects.get(slug="roddelmodel").steps.all())  # at least 40 minutes

    plan = plan_meeting(steps, 42)

    assert plan.total == 42 and (plan.opening, plan.closing) == (0, 0)
    assert plan.message == "The steps fill the whole meeting: no time is left to open and close."
    assert not plan_meeting(steps, 39).fits


def test_the_plan_says_what_the_method_takes_without_a_step_a_branch_skips(method_library):
    steps = list(Method.objects.get(slug="incidentmethode").steps.all())

    plan = plan_meeting(steps, 90)

    assert plan.optional == ("nieuwe-vragen",)
    assert plan.total_without_optional == plan.total - plan.minutes["nieuwe-vragen"] == 70


def test_the_facilitators_own_minutes_are_kept_as_they_are(method_library):
    steps = list(Method.objects.get(slug="crea").steps.all())

    plan = plan_meeting(steps, 90, {"verkenning": 25, "gezamenlijke-reflectie": 20})

    assert plan.minutes["verkenning"] == 25 and plan.minutes["gezamenlijke-reflectie"] == 20
    assert plan.minutes["opening"] == 5  # the others keep the method's minutes
    assert plan.total == 80 and (plan.opening, plan.closing) == (5, 5)

    too_much = plan_meeting(steps, 90, {"verkenning": 60})
    assert not too_much.fits
    assert too_much.message == "These steps take 20 minutes more than the 90-minute meeting."
