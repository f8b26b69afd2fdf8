"""Members answer yes, no or maybe; the second to cancel proposes a new date (house rule)."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone, translation

from groups.attendance import propose_new_date, respond
from groups.models import Attendance, DateProposal, Meeting, Membership


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def anna(members):
    return members[0]


@pytest.fixture
def bram(members):
    return members[1]


@pytest.fixture
def chantal(members):
    return members[2]


@pytest.fixture
def daan(members):
    return members[3]


NOW = timezone.make_aware(datetime(2026, 11, 2, 9, 0))


def later(minutes: int) -> datetime:
    return NOW + timedelta(minutes=minutes)


def test_a_member_says_yes_and_it_is_recorded_with_the_time(meeting, anna):
    outcome = respond(meeting, anna, "yes", now=NOW)

    assert outcome.attendance.response == "yes"
    assert outcome.attendance.responded_at == NOW
    assert outcome.attendance.pk is not None
    assert not outcome.must_propose_date
    assert outcome.message == "Thanks, see you there."


def test_without_a_time_the_answer_is_stamped_now(meeting, anna):
    before = timezone.now()

    outcome = respond(meeting, anna, "maybe")

    assert before <= outcome.attendance.responded_at <= timezone.now()
    assert outcome.message.startswith("Noted as maybe")


def test_changing_an_answer_updates_the_same_attendance(meeting, anna):
    respond(meeting, anna, "yes", now=NOW)
    outcome = respond(meeting, anna, "maybe", now=later(5))

    assert Attendance.objects.filter(meeting=meeting, user=anna).count() == 1
    attendance = Attendance.objects.get(meeting=meeting, user=anna)
    assert attendance.pk == outcome.attendance.pk
    assert attendance.response == "maybe"
    assert attendance.responded_at == later(5)


def test_the_first_to_cancel_is_not_asked_for_a_new_date(meeting, anna):
    outcome = respond(meeting, anna, "no", now=NOW)

    assert not outcome.must_propose_date
    assert outcome.message == "Noted that you cannot come."


def test_the_second_to_cancel_is_asked_to_propose_a_new_date(meeting, anna, bram):
    respond(meeting, anna, "no", now=NOW)

    outcome = respond(meeting, bram, "no", now=later(10))

    assert outcome.must_propose_date
    assert outcome.message == (
        "You are the second to cancel. House rule: please propose a new date for the group."
    )


def test_the_third_to_cancel_is_not_asked_again(meeting, anna, bram, chantal):
    respond(meeting, anna, "no", now=NOW)
    respond(meeting, bram, "no", now=later(1))

    outcome = respond(meeting, chantal, "no", now=later(2))

    assert not outcome.must_propose_date


def test_a_member_going_back_and_forth_cancels_only_once(meeting, anna, bram):
    assert not respond(meeting, anna, "no", now=NOW).must_propose_date
    respond(meeting, anna, "yes", now=later(1))
    assert not respond(meeting, anna, "no", now=later(2)).must_propose_date
    assert not respond(meeting, anna, "no", now=later(3)).must_propose_date

    # Anna's repeated "no" is one cancellation: Bram is the second, not the third.
    assert respond(meeting, bram, "no", now=later(4)).must_propose_date


def test_the_second_canceller_confirming_again_is_still_the_one_to_propose(meeting, anna, bram):
    respond(meeting, anna, "no", now=NOW)
    respond(meeting, bram, "no", now=later(1))

    assert respond(meeting, bram, "no", now=later(2)).must_propose_date


def test_when_the_second_canceller_can_come_after_all_the_next_canceller_is_asked(
    meeting, anna, bram, chantal
):
    respond(meeting, anna, "no", now=NOW)
    respond(meeting, bram, "no", now=later(1))
    respond(meeting, bram, "yes", now=later(2))

    assert respond(meeting, chantal, "no", now=later(3)).must_propose_date


def test_maybe_and_yes_from_others_do_not_count_as_cancellations(meeting, anna, bram, chantal):
    respond(meeting, anna, "maybe", now=NOW)
    respond(meeting, bram, "yes", now=later(1))

    assert not respond(meeting, chantal, "no", now=later(2)).must_propose_date


def test_a_yes_or_maybe_after_one_cancellation_is_never_asked_for_a_date(meeting, anna, bram):
    respond(meeting, anna, "no", now=NOW)

    assert not respond(meeting, bram, "maybe", now=later(1)).must_propose_date
    assert not respond(meeting, bram, "yes", now=later(2)).must_propose_date


def test_cancellations_for_another_meeting_do_not_count(group, meeting, anna, bram):
    other = Meeting.objects.create(group=group, starts_at=meeting.starts_at + timedelta(weeks=4))
    respond(other, anna, "no", now=NOW)

    assert not respond(meeting, bram, "no", now=later(1)).must_propose_date


def test_an_outsider_cannot_answer(meeting, outsider):
    with pytest.raises(ValueError, match="Only members of this group"):
        respond(meeting, outsider, "yes", now=NOW)
    assert not Attendance.objects.exists()


def test_the_coordinator_is_not_a_member_and_cannot_answer(meeting, coordinator):
    with pytest.raises(ValueError, match="Only members of this group"):
        respond(meeting, coordinator, "no", now=NOW)


def test_a_member_who_left_the_group_cannot_answer(meeting, anna):
    Membership.objects.filter(user=anna).update(active=False)

    with pytest.raises(ValueError, match="Only members of this group"):
        respond(meeting, anna, "yes", now=NOW)


@pytest.mark.parametrize("answer", ["ja", "YES", "", "nee", "declined"])
def test_only_yes_no_or_maybe_is_accepted(meeting, anna, answer):
    with pytest.raises(ValueError, match="Answer yes, no or maybe"):
        respond(meeting, anna, answer, now=NOW)
    assert not Attendance.objects.exists()


def test_the_second_canceller_proposes_a_new_date(meeting, anna, bram):
    respond(meeting, anna, "no")
    assert respond(meeting, bram, "no").must_propose_date
    new_start = meeting.starts_at + timedelta(days=7)

    proposal = propose_new_date(meeting, bram, new_start, note="  Zelfde tijd, week later.  ")

    assert isinstance(proposal, DateProposal)
    assert proposal.pk is not None
    assert proposal.meeting == meeting
    assert proposal.proposed_by == bram
    assert proposal.starts_at == new_start
    assert proposal.note == "Zelfde tijd, week later."
    assert list(meeting.date_proposals.all()) == [proposal]


def test_any_member_may_propose_a_date_without_a_note(meeting, daan):
    proposal = propose_new_date(meeting, daan, meeting.starts_at + timedelta(days=1))

    assert proposal.note == ""


def test_a_new_date_in_the_past_is_refused_with_a_clear_message(meeting, bram):
    with pytest.raises(ValueError, match="The new date must be in the future."):
        propose_new_date(meeting, bram, timezone.now() - timedelta(days=1))
    assert not DateProposal.objects.exists()


def test_a_new_date_of_right_now_is_not_in_the_future(meeting, bram):
    with pytest.raises(ValueError, match="must be in the future"):
        propose_new_date(meeting, bram, NOW, now=NOW)


def test_a_new_date_is_judged_against_the_given_moment(meeting, bram):
    proposal = propose_new_date(meeting, bram, later(1), now=NOW)

    assert proposal.starts_at == later(1)


def test_a_new_date_without_a_time_zone_is_refused(meeting, bram):
    naive = datetime(2030, 1, 8, 19, 30)

    with pytest.raises(ValueError, match="time zone"):
        propose_new_date(meeting, bram, naive)


def test_an_outsider_cannot_propose_a_date(meeting, outsider):
    with pytest.raises(ValueError, match="Only members of this group"):
        propose_new_date(meeting, outsider, meeting.starts_at + timedelta(days=7))
    assert not DateProposal.objects.exists()


def test_an_overlong_note_is_refused(meeting, bram):
    with pytest.raises(ValueError, match="300 characters"):
        propose_new_date(meeting, bram, meeting.starts_at + timedelta(days=7), note="x" * 301)
