"""The room's state machine, through the service every view calls."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import CaseStatus
from groups.models import Meeting, Role
from sessions_app import services
from sessions_app.models import Audience, Room, StepRun, Storing

from .conftest import open_room_for

pytestmark = pytest.mark.django_db


def command(room, user, name, branch=None, now=None):
    room.refresh_from_db()
    return services.run_command(room.pk, user, name, room.revision, branch_answer=branch, now=now)


def test_opening_records_roles_and_members_and_waits_in_the_lobby(room, members, meeting):
    assert room.status == Room.Status.LOBBY
    assert meeting.roles.get(role=Role.FACILITATOR).user == members[0]
    assert meeting.roles.get(role=Role.INBRENGER).user == members[1]
    audiences = dict(room.members.values_list("user__username", "audience"))
    assert audiences["anna"] == Audience.FACILITATOR
    assert audiences["bram"] == Audience.INBRENGER
    assert audiences["chantal"] == Audience.PARTICIPANT
    assert room.case.status == CaseStatus.CHOSEN


def test_start_enters_the_first_step_with_its_planned_time(room, members):
    now = timezone.now()
    command(room, members[0], "start", now=now)
    room.refresh_from_db()
    assert room.status == Room.Status.RUNNING
    assert room.step.key == "vraag-introductie"
    assert room.deadline_at == now + timedelta(minutes=room.planned_minutes["vraag-introductie"])
    assert Meeting.objects.get(pk=room.meeting_id).status == Meeting.Status.IN_PROGRESS


def test_next_and_back_walk_through_the_steps_and_record_history(room, members):
    anna = members[0]
    command(room, anna, "start")
    command(room, anna, "next")
    command(room, anna, "next")
    room.refresh_from_db()
    assert room.step.key == "roddelen"
    command(room, anna, "back")
    room.refresh_from_db()
    assert room.step.key == "probleemverkenning"
    runs = list(StepRun.objects.filter(room=room).values_list("step__key", "ended_at"))
    assert [key for key, _ in runs] == [
        "vraag-introductie",
        "probleemverkenning",
        "roddelen",
        "probleemverkenning",
    ]
    assert all(ended for _, ended in runs[:-1]) and runs[-1][1] is None


def test_two_next_clicks_from_the_same_screen_advance_only_once(room, members):
    anna = members[0]
    command(room, anna, "start")
    room.refresh_from_db()
    seen = room.revision
    services.run_command(room.pk, anna, "next", seen)
    with pytest.raises(services.StaleCommand):
        services.run_command(room.pk, anna, "next", seen)
    room.refresh_from_db()
    assert room.step.key == "probleemverkenning"


def test_only_the_facilitator_drives_the_room(room, members):
    room.refresh_from_db()
    with pytest.raises(services.NotAllowed):
        services.run_command(room.pk, members[2], "start", room.revision)
    room.refresh_from_db()
    assert room.status == Room.Status.LOBBY


def test_an_unknown_command_is_refused(room, members):
    with pytest.raises(services.CommandRefused):
        services.run_command(room.pk, members[0], "skip_to_end", room.revision)


def test_next_on_the_last_step_asks_to_end_instead(room, members):
    anna = members[0]
    command(room, anna, "start")
    for _ in range(4):
        command(room, anna, "next")
    with pytest.raises(services.CommandRefused):
        command(room, anna, "next")


def test_pause_resume_and_one_more_minute(room, members):
    anna = members[0]
    t0 = timezone.now()
    command(room, anna, "start", now=t0)
    command(room, anna, "pause", now=t0 + timedelta(seconds=60))
    room.refresh_from_db()
    planned = room.planned_minutes["vraag-introductie"] * 60
    assert room.paused_remaining == pytest.approx(planned - 60)
    assert room.deadline_at is None
    with pytest.raises(services.StaleCommand):
        command(room, anna, "pause")
    command(room, anna, "add_minute", now=t0 + timedelta(seconds=70))
    command(room, anna, "resume", now=t0 + timedelta(seconds=300))
    room.refresh_from_db()
    assert room.deadline_at == t0 + timedelta(seconds=300 + planned - 60 + 60)


def test_end_closes_the_session_and_marks_the_case_discussed(room, members):
    anna = members[0]
    command(room, anna, "start")
    command(room, anna, "end")
    room.refresh_from_db()
    assert room.status == Room.Status.ENDED
    assert room.case.status == CaseStatus.DISCUSSED
    assert Meeting.objects.get(pk=room.meeting_id).status == Meeting.Status.DONE
    assert not StepRun.objects.filter(room=room, ended_at__isnull=True).exists()
    with pytest.raises(services.StaleCommand):
        command(room, anna, "end")


def test_incidentmethode_branch_follows_the_inbrengers_answer(meeting, members, case):
    room = open_room_for(meeting, members, method_slug="incidentmethode", case=case)
    anna = members[0]
    command(room, anna, "start")
    for _ in range(4):
        command(room, anna, "next")
    room.refresh_from_db()
    assert room.step.key == "herbenoemen"
    with pytest.raises(services.CommandRefused):
        command(room, anna, "next")  # no answer to "reformulated?"
    command(room, anna, "next", branch="no")
    room.refresh_from_db()
    assert room.step.key == "adviezen"
    command(room, anna, "back")
    command(room, anna, "next", branch="yes")
    room.refresh_from_db()
    assert room.step.key == "nieuwe-vragen"


def test_ready_counts_only_for_the_current_step(room, members):
    anna, chantal = members[0], members[2]
    command(room, anna, "start")
    for _step in range(4):  # to the evaluation, where people fill in a form alone
        command(room, anna, "next")
    room.refresh_from_db()
    member = room.members.get(user=chantal)
    services.set_ready(member, room.step_run_id)
    member.refresh_from_db()
    assert member.ready_step_run == room.step_run_id
    old_run = room.step_run_id
    command(room, anna, "back")
    with pytest.raises(services.StaleCommand):
        services.set_ready(member, old_run)


def test_a_step_where_nobody_writes_alone_takes_no_ready_sign(room, members):
    """Roddelmodel 1 is talk: the phones have no "ready" button, and a crafted one is refused."""
    command(room, members[0], "start")
    room.refresh_from_db()
    member = room.members.get(user=members[2])
    with pytest.raises(services.CommandRefused):
        services.set_ready(member, room.step_run_id)
    member.refresh_from_db()
    assert member.ready_step_run is None


def test_a_storing_waits_for_the_facilitator_to_acknowledge_it(room, members):
    member = room.members.get(user=members[3])
    storing = services.raise_storing(member, "  Mijn telefoon gaat zo, spoeddienst  ")
    assert storing.text == "Mijn telefoon gaat zo, spoeddienst"
    with pytest.raises(services.NotAllowed):
        services.acknowledge_storing(room, members[3], storing.pk)
    services.acknowledge_storing(room, members[0], storing.pk)
    assert Storing.objects.get(pk=storing.pk).acknowledged_at is not None


def test_handover_leaves_exactly_one_facilitator(room, members):
    anna, chantal = members[0], members[2]
    room.refresh_from_db()
    target = room.members.get(user=chantal)
    services.hand_over(room.pk, anna, target.pk, room.revision)
    room.refresh_from_db()
    assert room.facilitator == chantal
    assert list(
        room.members.filter(audience=Audience.FACILITATOR).values_list("user__username", flat=True)
    ) == ["chantal"]
    assert room.meeting.roles.get(role=Role.FACILITATOR).user == chantal
    with pytest.raises(services.NotAllowed):
        services.run_command(room.pk, anna, "start", room.revision)


def test_the_inbrenger_cannot_take_over_facilitation(room, members):
    room.refresh_from_db()
    bram = room.members.get(user=members[1])
    with pytest.raises(services.CommandRefused):
        services.hand_over(room.pk, members[0], bram.pk, room.revision)


def test_private_notes_are_saved_to_the_inbrengers_case_only(room, members):
    bram = room.members.get(user=members[1])
    services.save_private_notes(bram, "Het woord 'vermijden' raakte me.")
    room.case.refresh_from_db()
    assert room.case.private_notes == "Het woord 'vermijden' raakte me."
    # A participant's notepad is their own: it never reaches the case.
    chantal = room.members.get(user=members[2])
    services.save_private_notes(chantal, "Vragen: wat heb je al geprobeerd?")
    chantal.refresh_from_db()
    room.case.refresh_from_db()
    assert chantal.notes == "Vragen: wat heb je al geprobeerd?"
    assert room.case.private_notes == "Het woord 'vermijden' raakte me."
    with pytest.raises(services.NotAllowed):
        services.save_private_notes(room.members.get(user=members[0]), "op de beamer")
