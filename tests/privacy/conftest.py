"""A group with a history: Bram facilitated the meeting about Anna's case and asked questions in
it; Anna facilitated the meeting about Bram's own case. Both rooms have ended."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import ActionPlan, Case, CaseStatus
from groups.models import Attendance, Meeting, Role, RoleAssignment
from methods.models import Method
from sessions_app.models import (
    Audience,
    BoardItem,
    Evaluation,
    Question,
    Room,
    RoomMember,
    StepRun,
    Storing,
)
from tests.conftest import ensure_method_library

NOW = timezone.now()


@dataclass
class History:
    anna_case: Case
    bram_case: Case
    bram_draft: Case
    anna_room: Room
    bram_room: Room
    next_meeting: Meeting


def held_meeting(group, days_ago: int, facilitator, inbrenger, members) -> Meeting:
    meeting = Meeting.objects.create(
        group=group, starts_at=NOW - timedelta(days=days_ago), status=Meeting.Status.DONE
    )
    RoleAssignment.objects.create(meeting=meeting, user=facilitator, role=Role.FACILITATOR)
    RoleAssignment.objects.create(meeting=meeting, user=inbrenger, role=Role.INBRENGER)
    for user in members:
        Attendance.objects.create(
            meeting=meeting, user=user, response=Attendance.Response.YES, present=True
        )
    return meeting


def ended_room(meeting, case, facilitator, members) -> tuple[Room, dict]:
    ensure_method_library()
    method = Method.objects.get(slug="guns-and-roses")
    room = Room.objects.create(
        meeting=meeting,
        method=method,
        case=case,
        facilitator=facilitator,
        status=Room.Status.ENDED,
        started_at=meeting.starts_at,
        ended_at=meeting.starts_at + timedelta(minutes=80),
    )
    audience = {facilitator.pk: Audience.FACILITATOR, case.owner_id: Audience.INBRENGER}
    people = {
        user.username: RoomMember.objects.create(
            room=room, user=user, audience=audience.get(user.pk, Audience.PARTICIPANT)
        )
        for user in members
    }
    for n, step in enumerate(method.steps.all()[:3]):
        StepRun.objects.create(
            room=room,
            step=step,
            started_at=meeting.starts_at + timedelta(minutes=10 * n),
            ended_at=meeting.starts_at + timedelta(minutes=10 * n + 9),
            planned_seconds=600,
        )
    return room, people


@pytest.fixture
def history(group, members) -> History:
    anna, bram, chantal, daan, eva, _femke = members
    anna_case = Case.objects.create(
        group=group,
        owner=anna,
        title="Overdracht die niet aankomt",
        working_question="Hoe kan ik mijn overdracht laten aankomen?",
        private_notes="ANNA-PRIVATE-NOTE",
        status=CaseStatus.DISCUSSED,
    )
    meeting = held_meeting(group, 20, bram, anna, members)
    anna_case.meeting = meeting
    anna_case.save()
    anna_room, people = ended_room(meeting, anna_case, bram, members)
    for who, text in [
        ("bram", "BRAM-Q1 Wat wil je bereiken?"),
        ("chantal", "Wie zit er bij de overdracht?"),
        ("bram", "BRAM-Q2 Wat heb je al geprobeerd?"),
        ("eva", ""),
    ]:
        Question.objects.create(
            room=anna_room, step_key="verduidelijking", asker=people[who], text=text, aloud=not text
        )
    for who, text, picked in [
        ("bram", "BRAM-TIP Maak een checklist", True),
        ("daan", "Vraag de teamleider", False),
        ("chantal", "Doe het samen", True),
    ]:
        BoardItem.objects.create(
            room=anna_room,
            step_key="hulp",
            board="tips",
            author=people[who],
            text=text,
            picked=picked,
            pick_reason="Dat past bij mij" if picked else "",
        )
    Evaluation.objects.create(
        room=anna_room, member=people["bram"], product=5, process=4, remark="BRAM-REMARK"
    )
    Evaluation.objects.create(
        room=anna_room, member=people["chantal"], product=4, process=4, signed=True, remark="Fijn"
    )
    Evaluation.objects.create(room=anna_room, member=people["anna"], product=4, process=3)
    Storing.objects.create(room=anna_room, raised_by=people["bram"], text="BRAM-STORING")

    bram_case = Case.objects.create(
        group=group,
        owner=bram,
        title="BRAM-CASE-TITLE",
        working_question="Hoe kan ik BRAM-CASE-QUESTION?",
        private_notes="BRAM-PRIVATE-NOTE",
        status=CaseStatus.DISCUSSED,
    )
    ActionPlan.objects.create(case=bram_case, specific="BRAM-PLAN")
    bram_meeting = held_meeting(group, 10, anna, bram, members)
    bram_case.meeting = bram_meeting
    bram_case.save()
    bram_room, people2 = ended_room(bram_meeting, bram_case, anna, members)
    Question.objects.create(
        room=bram_room, step_key="verduidelijking", asker=people2["chantal"], text="ABOUT-BRAM-Q"
    )
    BoardItem.objects.create(
        room=bram_room,
        step_key="hulp",
        board="tips",
        author=people2["eva"],
        text="ABOUT-BRAM-TIP",
        picked=True,
        pick_reason="ABOUT-BRAM-REASON",
    )
    Evaluation.objects.create(
        room=bram_room, member=people2["daan"], product=3, process=3, remark="ABOUT-BRAM-REMARK"
    )
    bram_draft = Case.objects.create(
        group=group,
        owner=bram,
        title="BRAM-DRAFT",
        working_question="Hoe kan ik BRAM-DRAFT?",
        status=CaseStatus.DRAFT,
    )

    next_meeting = Meeting.objects.create(group=group, starts_at=NOW + timedelta(days=10))
    RoleAssignment.objects.create(meeting=next_meeting, user=bram, role=Role.FACILITATOR)
    Attendance.objects.create(meeting=next_meeting, user=bram, response=Attendance.Response.YES)
    return History(anna_case, bram_case, bram_draft, anna_room, bram_room, next_meeting)
