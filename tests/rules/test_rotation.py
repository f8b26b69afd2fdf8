"""Facilitator and inbrenger rotate fairly: whoever waited longest is proposed next."""

import itertools
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from groups.models import Attendance, Group, Meeting, Membership, Role, RoleAssignment
from groups.rotation import Candidate, pick_next, suggest_roles
from tests.conftest import make_user

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
FAC, INB = Role.FACILITATOR, Role.INBRENGER


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 19, 30, tzinfo=AMSTERDAM)


def past_meeting(group: Group, when: datetime, **roles) -> Meeting:
    """A meeting of `group` with roles given as facilitator=user, inbrenger=user."""
    status = roles.pop("status", Meeting.Status.DONE)
    meeting = Meeting.objects.create(group=group, starts_at=when, status=status)
    for role, user in roles.items():
        RoleAssignment.objects.create(meeting=meeting, user=user, role=role)
    return meeting


@pytest.fixture
def personas(members):
    return dict(zip(["anna", "bram", "chantal", "daan", "eva", "femke"], members, strict=True))


@pytest.fixture
def april(group):
    """The meeting we plan roles for: fixed in time, so history dates read the same every run."""
    return Meeting.objects.create(group=group, starts_at=at(2026, 4, 7))


# The pure core -----------------------------------------------------------------------------


def c(member_id: int, name: str, last_held: date | None = None, times_held: int = 0) -> Candidate:
    return Candidate(member_id, name, last_held, times_held)


def test_a_member_who_never_held_the_role_goes_first():
    veteran = c(1, "Anna", date(2025, 1, 1), 1)
    newcomer = c(2, "Zoë")

    assert pick_next([veteran, newcomer]) == newcomer


def test_among_those_who_held_it_the_least_recent_goes_first():
    long_ago = c(1, "Zoë", date(2025, 1, 6), times_held=5)
    recently = c(2, "Anna", date(2026, 2, 3), times_held=1)

    assert pick_next([recently, long_ago]) == long_ago


def test_on_the_same_last_date_the_one_who_held_it_least_often_goes_first():
    often = c(1, "Anna", date(2026, 2, 3), times_held=4)
    seldom = c(2, "Zoë", date(2026, 2, 3), times_held=2)

    assert pick_next([often, seldom]) == seldom


def test_a_full_tie_is_broken_by_name_ignoring_case():
    assert pick_next([c(1, "bram"), c(2, "Anna")]).name == "Anna"
    assert pick_next([c(1, "Émile"), c(2, "anna")]).name == "anna"


def test_the_pick_does_not_depend_on_the_order_of_the_candidates():
    candidates = [
        c(1, "Anna", date(2026, 1, 6), 2),
        c(2, "Bram", date(2026, 1, 6), 1),
        c(3, "Chantal", date(2026, 3, 3), 1),
        c(4, "Daan", date(2026, 1, 6), 1),
    ]

    picks = {pick_next(list(p)) for p in itertools.permutations(candidates)}

    assert picks == {candidates[1]}  # Bram: same date as Daan and as seldom, earlier name


def test_excluded_members_are_skipped():
    anna, bram = c(1, "Anna"), c(2, "Bram")

    assert pick_next([anna, bram], exclude={1}) == bram


def test_nobody_is_picked_when_everyone_is_excluded_or_there_is_no_one():
    assert pick_next([c(1, "Anna")], exclude=[1]) is None
    assert pick_next([]) is None


# Suggestions for a meeting -----------------------------------------------------------------


def test_a_new_group_starts_alphabetically_with_different_people(april, personas):
    suggestion = suggest_roles(april)

    assert suggestion.facilitator == personas["anna"]
    assert suggestion.inbrenger == personas["bram"]
    assert suggestion.reasons == {
        "facilitator": "Never facilitated yet",
        "inbrenger": "Never brought a case yet",
    }


def test_the_member_who_never_facilitated_is_proposed_before_those_who_did(group, april, personas):
    p = personas
    past_meeting(group, at(2026, 1, 6), facilitator=p["anna"], inbrenger=p["bram"])
    past_meeting(group, at(2026, 2, 3), facilitator=p["bram"], inbrenger=p["chantal"])
    past_meeting(group, at(2026, 3, 3), facilitator=p["chantal"], inbrenger=p["daan"])

    suggestion = suggest_roles(april)

    assert suggestion.facilitator == p["daan"]  # first by name of those who never facilitated
    assert suggestion.inbrenger == p["anna"]  # never brought a case, and Daan is taken
    assert suggestion.reasons["inbrenger"] == "Never brought a case yet"


def test_when_everyone_facilitated_the_least_recent_is_proposed_with_the_date(
    group, april, personas
):
    p = personas
    for month, name in enumerate(["chantal", "anna", "femke", "bram", "eva", "daan"], start=1):
        past_meeting(group, at(2025, month + 6, 3), facilitator=p[name])
    past_meeting(group, at(2026, 3, 3), facilitator=p["chantal"])

    suggestion = suggest_roles(april)

    assert suggestion.facilitator == p["anna"]
    assert suggestion.reasons["facilitator"] == "Last facilitated on 3 August 2025"


def test_the_member_who_brought_a_case_longest_ago_is_the_next_inbrenger(group, april, personas):
    dates = {
        "femke": at(2026, 3, 3),
        "anna": at(2026, 3, 10),
        "bram": at(2026, 3, 17),
        "chantal": at(2026, 3, 24),
        "daan": at(2026, 3, 31),
        "eva": at(2026, 2, 10),
    }
    for name, when in dates.items():
        past_meeting(group, when, inbrenger=personas[name])

    suggestion = suggest_roles(april)

    assert suggestion.inbrenger == personas["eva"]
    assert suggestion.reasons["inbrenger"] == "Last brought a case on 10 February 2026"


def test_the_reason_date_is_written_in_the_language_of_the_ui(group, april, personas):
    past_meeting(group, at(2026, 3, 3), facilitator=personas["anna"])
    for day, name in enumerate(["bram", "chantal", "daan", "eva", "femke"], start=10):
        past_meeting(group, at(2026, 3, day), facilitator=personas[name])

    with translation.override("nl"):
        suggestion = suggest_roles(april)

    assert suggestion.facilitator == personas["anna"]
    assert "3 maart 2026" in suggestion.reasons["facilitator"]


def test_a_member_who_cancelled_is_skipped_but_maybe_still_counts(april, personas):
    Attendance.objects.create(meeting=april, user=personas["anna"], response="no")
    Attendance.objects.create(meeting=april, user=personas["bram"], response="maybe")

    suggestion = suggest_roles(april)

    assert suggestion.facilitator == personas["bram"]
    assert suggestion.inbrenger == personas["chantal"]


def test_a_cancellation_for_another_meeting_does_not_matter(group, april, personas):
    other = Meeting.objects.create(group=group, starts_at=at(2026, 5, 5))
    Attendance.objects.create(meeting=other, user=personas["anna"], response="no")

    assert suggest_roles(april).facilitator == personas["anna"]


def test_inactive_members_and_outsiders_are_never_proposed(group, april, personas, outsider):
    Membership.objects.filter(user=personas["anna"]).update(active=False)
    other_group = Group.objects.create(name="Andere groep")
    Membership.objects.create(group=other_group, user=outsider)

    suggestion = suggest_roles(april)

    assert suggestion.facilitator == personas["bram"]
    assert suggestion.inbrenger == personas["chantal"]


def test_a_cancelled_meeting_does_not_count_as_a_turn(group, april, personas):
    past_meeting(group, at(2026, 3, 3), facilitator=personas["anna"], status="cancelled")

    suggestion = suggest_roles(april)

    assert suggestion.facilitator == personas["anna"]
    assert suggestion.reasons["facilitator"] == "Never facilitated yet"


def test_later_meetings_do_not_count_as_history(group, april, personas):
    past_meeting(group, at(2026, 6, 2), facilitator=personas["anna"], status="planned")

    assert suggest_roles(april).facilitator == personas["anna"]


def test_roles_in_another_group_do_not_count(april, personas):
    other_group = Group.objects.create(name="Andere groep")
    Membership.objects.create(group=other_group, user=personas["anna"])
    past_meeting(other_group, at(2026, 3, 3), facilitator=personas["anna"])

    assert suggest_roles(april).facilitator == personas["anna"]


def test_the_same_person_is_never_proposed_for_both_roles(group, april, personas):
    p = personas
    # Everyone except Chantal has done both roles; Chantal is first in line for both.
    for i, name in enumerate(["anna", "bram", "daan", "eva", "femke"]):
        past_meeting(group, at(2026, 1, 5 + i), facilitator=p[name])
        past_meeting(group, at(2026, 2, 5 + i), inbrenger=p[name])

    suggestion = suggest_roles(april)

    assert suggestion.facilitator == p["chantal"]
    assert suggestion.inbrenger == p["anna"]  # the least recent inbrenger of the rest
    assert suggestion.reasons["inbrenger"] == "Last brought a case on 5 February 2026"


def test_with_only_one_member_available_there_is_no_inbrenger(april, personas):
    for name in ["bram", "chantal", "daan", "eva", "femke"]:
        Attendance.objects.create(meeting=april, user=personas[name], response="no")

    suggestion = suggest_roles(april)

    assert suggestion.facilitator == personas["anna"]
    assert suggestion.inbrenger is None
    assert suggestion.reasons["inbrenger"] == "Nobody available"


def test_with_everyone_cancelled_there_is_no_suggestion(april, personas):
    for person in personas.values():
        Attendance.objects.create(meeting=april, user=person, response="no")

    suggestion = suggest_roles(april)

    assert suggestion.facilitator is None
    assert suggestion.inbrenger is None
    assert suggestion.reasons == {
        "facilitator": "Nobody available",
        "inbrenger": "Nobody available",
    }


def test_a_role_already_given_for_this_meeting_is_kept_and_not_doubled(april, personas):
    RoleAssignment.objects.create(meeting=april, user=personas["anna"], role=INB)

    suggestion = suggest_roles(april)

    assert suggestion.inbrenger == personas["anna"]
    assert suggestion.reasons["inbrenger"] == "Already assigned for this meeting"
    assert suggestion.facilitator == personas["bram"]


def test_a_role_given_to_someone_who_then_cancelled_is_proposed_afresh(april, personas):
    RoleAssignment.objects.create(meeting=april, user=personas["anna"], role=FAC)
    Attendance.objects.create(meeting=april, user=personas["anna"], response="no")

    suggestion = suggest_roles(april)

    assert suggestion.facilitator == personas["bram"]
    assert suggestion.reasons["facilitator"] == "Never facilitated yet"


def make_group(size: int) -> tuple[Group, Meeting]:
    group = Group.objects.create(name=f"Groep van {size}")
    users = [make_user(f"lid{size}-{i}", f"Lid {i}", "Test") for i in range(size)]
    for user in users:
        Membership.objects.create(group=group, user=user)
    for i, user in enumerate(users):
        past_meeting(group, at(2025, i + 1, 6), facilitator=user, inbrenger=users[i - 1])
    earlier = past_meeting(group, at(2026, 1, 6))
    Attendance.objects.create(meeting=earlier, user=users[0], response="no")
    target = Meeting.objects.create(group=group, starts_at=at(2026, 4, 7))
    Attendance.objects.create(meeting=target, user=users[1], response="no")
    return group, target


@pytest.mark.parametrize("size", [3, 8])
def test_suggesting_roles_takes_three_queries_whatever_the_group_size(
    db, size, django_assert_num_queries
):
    _, target = make_group(size)

    with django_assert_num_queries(3):
        suggestion = suggest_roles(target)
        reasons = dict(suggestion.reasons)  # reading the result costs nothing more
        names = (suggestion.facilitator.first_name, suggestion.inbrenger.first_name)

    assert names == ("Lid 0", f"Lid {size - 1}")
    assert reasons["facilitator"] == "Last facilitated on 6 January 2025"
