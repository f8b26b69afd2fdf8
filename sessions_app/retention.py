"""What the rooms forget when a case is deleted, when its retention period is over, and when a
room's meeting passes its group's retention period without a case.

The cases app announces these (cases/signals.py); this module does the rooms' part:

- a deleted case's rooms lose its content: questions, board items with the inbrenger's picks and
  reasons, drafts kept in a step's state, storingen and evaluation texts, participants' private
  notes, and guests' names. What
  the group's logbook and charts count stays anonymous: the rooms, their step timings, who was
  in the room (as rows), and the evaluation scores;
- on expiry the same texts are emptied rather than deleted (questions and items keep a
  "[verwijderd]" marker so a count still reads right).
"""

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cases.retention import REMOVED
from cases.signals import case_deleting, case_purged, retention_due

from .interactions import action_plan, evaluate
from .models import BoardItem, Evaluation, Question, Room, RoomMember, StepRun, Storing

QUESTIONS = _("questions")
BOARD_ITEMS = _("board items")
PICK_REASONS = _("pick reasons")
STORINGEN = _("storingen")
EVALUATION_TEXTS = _("evaluation remarks")
DRAFTS = _("step-state drafts")
GUESTS = _("guests")
NOTES = _("private notes")
HANDS = _("raised hands and their subjects")

EVALUATION_TEXT_FIELDS = ("remark", "takeaway", "facilitator_feedback")
# Keys of StepRun.state that hold what people typed (or figures of it) rather than structure
# such as turn order or whether a board is revealed.
DRAFT_KEYS = (
    evaluate.PARTIALS,
    evaluate.RELEASED,
    evaluate.PENDING,
    action_plan.REJECTED_DATE,
)


def _texts(rooms: QuerySet) -> dict[str, QuerySet]:
    """Per kind, the rows of these rooms that still hold text."""
    in_rooms = Q(room__in=rooms)
    return {
        QUESTIONS: Question.objects.filter(in_rooms).exclude(text__in=["", REMOVED]),
        BOARD_ITEMS: BoardItem.objects.filter(in_rooms).exclude(text=REMOVED),
        PICK_REASONS: BoardItem.objects.filter(in_rooms).exclude(pick_reason=""),
        STORINGEN: Storing.objects.filter(in_rooms).exclude(text=""),
        EVALUATION_TEXTS: Evaluation.objects.filter(in_rooms).exclude(
            remark="", takeaway="", facilitator_feedback=""
        ),
        GUESTS: RoomMember.objects.filter(in_rooms, user__isnull=True, former_member=False).exclude(
            guest_name="", guest_token=""
        ),
        NOTES: RoomMember.objects.filter(in_rooms).exclude(notes=""),
    }


def _draft_runs(rooms: QuerySet) -> list[StepRun]:
    runs = StepRun.objects.filter(room__in=rooms).exclude(state={}).only("pk", "state")
    return [run for run in runs if any(key in (run.state or {}) for key in DRAFT_KEYS)]


def _forget_drafts(runs: list[StepRun]) -> None:
    for run in runs:
        run.state = {k: v for k, v in run.state.items() if k not in DRAFT_KEYS}
        run.save(update_fields=["state"])


def count_content(rooms: QuerySet) -> dict[str, int]:
    counts = {str(kind): rows.count() for kind, rows in _texts(rooms).items()}
    counts[str(HANDS)] = rooms.exclude(floor={}).count()
    counts[str(DRAFTS)] = len(_draft_runs(rooms))
    return counts


def empty_content(rooms: QuerySet) -> dict[str, int]:
    """Retention: empty every text of these rooms; rows (and so counts and scores) stay."""
    rows = _texts(rooms)
    counts = {
        str(QUESTIONS): rows[QUESTIONS].update(text=REMOVED),
        str(BOARD_ITEMS): rows[BOARD_ITEMS].update(text=REMOVED),
        str(PICK_REASONS): rows[PICK_REASONS].update(pick_reason=""),
        str(STORINGEN): rows[STORINGEN].update(text=""),
        str(EVALUATION_TEXTS): rows[EVALUATION_TEXTS].update(
            **dict.fromkeys(EVALUATION_TEXT_FIELDS, "")
        ),
        str(GUESTS): rows[GUESTS].update(guest_name="", guest_token=""),
        str(NOTES): rows[NOTES].update(notes=""),
        # Online meetings keep the queue of raised hands (with their subjects) on the room row.
        str(HANDS): rooms.exclude(floor={}).update(floor={}),
    }
    runs = _draft_runs(rooms)
    _forget_drafts(runs)
    counts[str(DRAFTS)] = len(runs)
    return counts


def delete_content(rooms: QuerySet) -> dict[str, int]:
    """A deleted case: its questions and board items go; what the group keeps is anonymous."""
    questions = Question.objects.filter(room__in=rooms).delete()[0]
    items = BoardItem.objects.filter(room__in=rooms).delete()[0]
    counts = empty_content(rooms)
    counts.update({str(QUESTIONS): questions, str(BOARD_ITEMS): items})
    return counts


def expired_rooms_without_case(now: datetime) -> QuerySet:
    """Ended rooms where no case was chosen (or it was deleted), whose meeting is older than
    the group's retention period."""
    candidates = Room.objects.filter(
        status=Room.Status.ENDED,
        case__isnull=True,
        meeting__group__case_retention_days__isnull=False,
    ).values_list("pk", "meeting__starts_at", "meeting__group__case_retention_days")
    expired = [pk for pk, starts, days in candidates if starts + timedelta(days=days) <= now]
    return Room.objects.filter(pk__in=expired)


# ---- Receivers of the cases app's signals ------------------------------------------------------


def on_case_deleting(sender, case, **kwargs) -> None:
    delete_content(Room.objects.filter(case=case))


def on_case_purged(sender, case, now, dry_run: bool = False, **kwargs) -> dict[str, int]:
    rooms = Room.objects.filter(case=case)
    return count_content(rooms) if dry_run else empty_content(rooms)


def on_retention_due(sender, now, dry_run: bool = False, **kwargs) -> dict[str, int]:
    rooms = expired_rooms_without_case(now)
    return count_content(rooms) if dry_run else empty_content(rooms)


def connect() -> None:
    case_deleting.connect(on_case_deleting, dispatch_uid="sessions_app.case_deleting")
    case_purged.connect(on_case_purged, dispatch_uid="sessions_app.case_purged")
    retention_due.connect(on_retention_due, dispatch_uid="sessions_app.retention_due")
