"""The group's retention period: after it, a case's texts go; the logbook's figures stay.

A case expires `case_retention_days` after the meeting that discussed it (or after it was
written, when it never came to a meeting). Removing keeps the rows — so the logbook still counts
meetings, step timings, votes and evaluation scores — but empties every text the inbrenger or the
group wrote about the case: its questions, preparation answers, notes, action plan, and the
questions, board items and participants' private notes of the rooms that discussed it.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import PREPARATION_FIELDS, ActionPlan, Case

REMOVED = "[verwijderd]"

# Required texts get the marker, so a page still reads as "there was something here".
CASE_MARKED = ("title", "working_question")
CASE_EMPTIED = (
    "reformulated_question",
    "description",
    *PREPARATION_FIELDS,
    "private_notes",
    "follow_up",
)
PLAN_EMPTIED = ("specific", "measurable", "acceptable", "realistic", "time_bound", "first_step")


@dataclass
class Purge:
    cases: int = 0
    questions: int = 0
    board_items: int = 0


def expired_cases(now: datetime | None = None):
    """Cases of groups with a retention period whose period is over and whose texts remain."""
    now = now or timezone.now()
    candidates = (
        Case.objects.filter(
            group__case_retention_days__isnull=False, contents_purged_at__isnull=True
        )
        .select_related("group", "meeting")
        .order_by("created_at")
    )
    for case in candidates:
        since = case.meeting.starts_at if case.meeting_id else case.created_at
        if since + timedelta(days=case.group.case_retention_days) <= now:
            yield case


def purge_case(case: Case, now: datetime) -> Purge:
    from sessions_app.models import BoardItem, Question, RoomMember

    rooms = Q(room__case=case)
    with transaction.atomic():
        for name in CASE_MARKED:
            setattr(case, name, REMOVED)
        for name in CASE_EMPTIED:
            setattr(case, name, "")
        case.contents_purged_at = now
        case.save(update_fields=[*CASE_MARKED, *CASE_EMPTIED, "contents_purged_at", "updated_at"])
        ActionPlan.objects.filter(case=case).update(**dict.fromkeys(PLAN_EMPTIED, ""))
        questions = Question.objects.filter(rooms).exclude(text="").update(text=REMOVED)
        items = BoardItem.objects.filter(rooms).update(text=REMOVED, pick_reason="")
        RoomMember.objects.filter(rooms).exclude(notes="").update(notes="")
    return Purge(cases=1, questions=questions, board_items=items)


def purge_expired(now: datetime | None = None, dry_run: bool = False) -> tuple[list[Case], Purge]:
    now = now or timezone.now()
    cases = list(expired_cases(now))
    total = Purge()
    if not dry_run:
        for case in cases:
            done = purge_case(case, now)
            total.cases += done.cases
            total.questions += done.questions
            total.board_items += done.board_items
    return cases, total
