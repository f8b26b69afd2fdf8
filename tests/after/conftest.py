"""Personas and a finished session for "before and after the meeting".

`held_session` builds what a real Guns&Roses session leaves behind, straight in the database:
Anna facilitated, Bram brought his case; questions (rated and one asked aloud), tips on the board
(two taken along, with a reason), Bram's private notes and action plan, four evaluations, and
step runs with known planned and actual minutes.
"""

import re
import zlib
from base64 import a85decode
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from cases.models import ActionPlan, Case, CaseStatus
from groups.models import Meeting
from methods.models import Method
from sessions_app.models import BoardItem, Evaluation, Question, Room, RoomMember, StepRun
from sessions_app.opening import open_room
from tests.conftest import ensure_method_library

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
HTMX = {"HTTP_HX_REQUEST": "true"}

TIPS = [
    "Heb je er wel eens aan gedacht om het overleg te verplaatsen naar maandag?",
    "Vraag Joëlle om een café-gesprek over de “werkdruk” → samen",
    "Schrijf de afspraken op het whiteboard",
]
QUESTIONS = [
    ("Wat gebeurde er precies in het laatste overleg?", "warm"),
    ("Hoe reageerde je teamleider toen?", "lauw"),
    ("", "koud"),  # asked aloud
    ("Wie heeft er nog meer last van?", ""),
]


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@dataclass
class HeldSession:
    meeting: Meeting
    room: Room
    case: Case
    plan: ActionPlan


def open_and_hold(
    meeting,
    members,
    case,
    method_slug: str = "guns-and-roses",
    *,
    facilitator=None,
    inbrenger=None,
    present=None,
) -> Room:
    """Open the room as the facilitator would, then record a finished session."""
    ensure_method_library()
    facilitator = facilitator or members[0]
    inbrenger = inbrenger or members[1]
    room = open_room(
        meeting,
        {
            "present": list(present if present is not None else members[:5]),
            "method": Method.objects.get(slug=method_slug),
            "case": case,
            "facilitator": facilitator,
            "inbrenger": inbrenger,
            "note_taker": None,
            "timekeeper": None,
            "observers": [],
        },
    )
    start = meeting.starts_at
    at = start
    for i, step in enumerate(room.method.steps.all()):
        planned = room.planned_seconds(step)
        actual = planned + (120 if i == 1 else -60 if i == 2 else 0)
        StepRun.objects.create(
            room=room,
            step=step,
            started_at=at,
            ended_at=at + timedelta(seconds=actual),
            planned_seconds=planned,
        )
        at += timedelta(seconds=actual)
    Room.objects.filter(pk=room.pk).update(status=Room.Status.ENDED, started_at=start, ended_at=at)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.DONE)
    if case is not None:
        Case.objects.filter(pk=case.pk).update(status=CaseStatus.DISCUSSED)
        case.refresh_from_db()
    room.refresh_from_db()
    return room


@pytest.fixture
def past_meeting(group):
    return Meeting.objects.create(
        group=group,
        starts_at=timezone.now() - timedelta(days=21),
        duration_minutes=90,
        location="Kamer 2.14",
    )


@pytest.fixture
def bram_case(group, members):
    return Case.objects.create(
        group=group,
        owner=members[1],
        title="Overleg op vrijdag",
        working_question="Hoe kan ik het vrijdagoverleg zo leiden dat iedereen aan het woord komt?",
        situation="Het overleg loopt elke week uit.",
        status=CaseStatus.PROPOSED,
    )


def add_contributions(room: Room, members) -> None:
    by_user = {m.user_id: m for m in RoomMember.objects.filter(room=room)}
    askers = [by_user[u.pk] for u in members[2:5]]
    for i, (text, rating) in enumerate(QUESTIONS):
        Question.objects.create(
            room=room,
            step_key="verduidelijking",
            asker=askers[i % len(askers)],
            text=text,
            aloud=not text,
            rating=rating,
        )
    Question.objects.create(room=room, step_key="verduidelijking", asker=askers[0], passed=True)
    for i, text in enumerate(TIPS):
        BoardItem.objects.create(
            room=room,
            step_key="hulp",
            board="tips",
            author=askers[i % len(askers)],
            text=text,
            picked=i < 2,
            pick_reason="Dat kan ik morgen al doen" if i == 0 else "",
        )
    for i, member in enumerate(askers + [by_user[members[0].pk]]):
        Evaluation.objects.create(
            room=room,
            member=member,
            product=4 if i % 2 else 5,
            process=3 + (i % 3),
            remark="Fijne sfeer, goed getimed" if i == 0 else "",
            takeaway="Ik neem de whiteboard-tip mee" if i == 1 else "",
            facilitator_feedback="Strak geleid" if i == 2 else "",
        )


@pytest.fixture
def held_session(past_meeting, members, bram_case) -> HeldSession:
    room = open_and_hold(past_meeting, members, bram_case)
    add_contributions(room, members)
    case = bram_case
    case.refresh_from_db()
    case.reformulated_question = "Hoe kan ik in het overleg ruimte maken voor de stille collega's?"
    case.private_notes = "Het raakt me dat ze mijn voorzitterschap zo zien."
    case.save()
    plan = ActionPlan.objects.create(
        case=case,
        specific="Ik start het overleg met een rondje waarin iedereen kort iets zegt.",
        measurable="Iedereen heeft in de eerste tien minuten gesproken.",
        time_bound="De komende vier vrijdagen",
        first_step="Agenda aanpassen",
    )
    return HeldSession(past_meeting, room, case, plan)


# ---- Reading a PDF without a PDF library ------------------------------------------------------

_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)
_TOKEN = re.compile(rb"\((.*?)(?<!\\)\)\s*Tj|T\*|\bET\b")
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)


def _unescape(raw: bytes) -> str:
    def one(match):
        code = match.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8)])
        return {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(code, code)

    return _ESCAPE.sub(one, raw).decode("cp1252", errors="replace")


def pdf_pages(content: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", content))


def pdf_text(content: bytes) -> str:
    """The text ReportLab drew with its standard fonts (ASCII85 + Flate streams), per line."""
    lines = []
    for match in _STREAM.finditer(content):
        data = match.group(1).strip()
        try:
            if data.endswith(b"~>"):
                data = a85decode(data, adobe=True)
            data = zlib.decompress(data)
        except (ValueError, zlib.error):
            continue
        current: list[str] = []
        for token in _TOKEN.finditer(data):
            if token.group(1) is not None:
                current.append(_unescape(token.group(1)))
            elif current:  # T* (next line) or ET (end of text)
                lines.append("".join(current))
                current = []
        if current:
            lines.append("".join(current))
    return "\n".join(lines)
