"""The inbrenger's summary of their case after the session, as plain data.

One structure feeds the page, the PDF and the Markdown export, so the three always agree. It is
read in a fixed number of queries, however many questions, tips and evaluations there are.
Only the case's owner ever gets one (the views check); private notes go in only for the owner.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from statistics import mean

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from groups.models import display_name
from methods.boards import words_for
from methods.i18n import current_lang
from methods.models import InteractionKind

from .models import ActionPlan, Case

ACTION_PLAN_FIELDS = ["specific", "measurable", "acceptable", "realistic", "time_bound"]


@dataclass(frozen=True)
class AskedQuestion:
    text: str  # empty when asked aloud
    aloud: bool
    rating: str  # "warm" / "lauw" / "koud" or ""
    rating_label: str
    step: str


# The inbrenger's reaction as a tip was given (Guns&Roses 4); the values of BoardItem.reaction.
REACTION_LABELS = {"yes": _lazy("applicable"), "no": _lazy("not for me")}


@dataclass(frozen=True)
class Tip:
    text: str
    column: str
    picked: bool
    reason: str
    reaction: str = ""  # "yes" / "no" / ""

    @property
    def reaction_label(self) -> str:
        return str(REACTION_LABELS.get(self.reaction, ""))


@dataclass
class Board:
    """One step's board: the tips, advice, perceptions… written in that step."""

    title: str  # the step's name
    heading: str = ""  # what the step calls its items: "Tips", "Insights"…
    tips: list[Tip] = field(default_factory=list)


@dataclass(frozen=True)
class EvaluationFigures:
    count: int
    product_average: float | None
    process_average: float | None
    remarks: list[str]
    takeaways: list[str]


@dataclass
class CaseSummary:
    case_id: str
    title: str
    group: str
    inbrenger: str
    meeting_starts_at: datetime | None
    method: str
    facilitator: str
    question_as_brought: str
    question_reformulated: str
    questions: list[AskedQuestion]
    boards: list[Board]
    private_notes: str
    action_plan: list[tuple[str, str]]
    evaluation: EvaluationFigures | None
    follow_up: str
    has_session: bool
    # What the method that was run had, so the summary shows what it did and nothing else
    # (no "tips you took along" after CREA, which has no pick step).
    has_questions: bool = True
    has_pick: bool = True
    has_evaluation: bool = True
    none_picked: str = ""

    @property
    def picked(self) -> list[Tip]:
        return [tip for board in self.boards for tip in board.tips if tip.picked]

    @property
    def rated_count(self) -> int:
        return sum(1 for q in self.questions if q.rating)


def summary_case(case_id, owner) -> Case | None:
    """The case with what the summary reads alongside it, only if `owner` owns it."""
    return (
        Case.objects.select_related("owner", "group", "action_plan")
        .filter(pk=case_id, owner=owner)
        .first()
    )


def build_summary(case: Case, viewer) -> CaseSummary:
    """Everything the inbrenger takes home. `case` comes from `summary_case` (plan and owner
    joined); the latest room of the case supplies questions, boards and the evaluation."""
    room = (
        case.rooms.select_related("meeting", "method", "facilitator").order_by("-opened_at").first()
    )
    questions: list[AskedQuestion] = []
    boards: list[Board] = []
    evaluation = None
    kinds: set[str] = set()
    none_picked = ""
    if room is not None:
        steps = {s.key: s for s in room.method.steps.all()}
        kinds = {s.kind for s in steps.values()}
        questions = _questions(room, steps)
        boards = _boards(room, steps)
        evaluation = _evaluation(room)
        none_picked = _none_picked(steps)
    ran = room is not None
    return CaseSummary(
        case_id=str(case.pk),
        title=case.title,
        group=case.group.name,
        inbrenger=display_name(case.owner),
        meeting_starts_at=room.meeting.starts_at if room else None,
        method=room.method.name if room else "",
        facilitator=display_name(room.facilitator) if room else "",
        question_as_brought=case.working_question,
        question_reformulated=case.reformulated_question,
        questions=questions,
        boards=boards,
        private_notes=case.private_notes if viewer.pk == case.owner_id else "",
        action_plan=_action_plan(case),
        evaluation=evaluation,
        follow_up=case.follow_up,
        has_session=ran,
        has_questions=bool(questions) or InteractionKind.QUESTION_ROUND in kinds,
        has_pick=ran and InteractionKind.PICK in kinds,
        has_evaluation=evaluation is not None or InteractionKind.EVALUATE in kinds,
        none_picked=none_picked,
    )


def _step_name(steps: dict, key: str) -> str:
    step = steps.get(key)
    return step.name if step else key.replace("-", " ").capitalize()


def _questions(room, steps: dict) -> list[AskedQuestion]:
    rows = room.questions.filter(passed=False).order_by("created_at", "pk")
    return [
        AskedQuestion(
            text=q.text,
            aloud=q.aloud or not q.text,
            rating=q.rating,
            rating_label=q.get_rating_display() if q.rating else "",
            step=_step_name(steps, q.step_key),
        )
        for q in rows
    ]


def _column_labels(step) -> dict[str, str]:
    columns = ((step.options or {}).get("columns") or []) if step else []
    lang = current_lang()
    labels = {}
    for column in columns:
        label = column.get("label") or {}
        labels[column["key"]] = label.get(lang) or label.get("nl") or column["key"]
    return labels


def _board_name(step) -> str:
    return str((step.options or {}).get("board") or step.key) if step else ""


def _boards(room, steps: dict) -> list[Board]:
    """A board per collect step of the method, in step order (an empty one says so), titled with
    what the step calls its items; items of a step the method no longer has follow."""
    by_step: dict[str, Board] = {}
    columns: dict[str, dict[str, str]] = {}
    for key, step in steps.items():
        if step.kind == InteractionKind.COLLECT:
            by_step[key] = Board(title=step.name, heading=str(words_for(_board_name(step)).title))
            columns[key] = _column_labels(step)
    for item in room.board_items.order_by("created_at", "pk"):
        if item.step_key not in by_step:
            by_step[item.step_key] = Board(
                title=_step_name(steps, item.step_key), heading=str(words_for(item.board).title)
            )
            columns[item.step_key] = _column_labels(steps.get(item.step_key))
        by_step[item.step_key].tips.append(
            Tip(
                text=item.text,
                column=columns[item.step_key].get(item.column, item.column),
                picked=item.picked,
                reason=item.pick_reason,
                reaction=item.reaction,
            )
        )
    return list(by_step.values())


def _none_picked(steps: dict) -> str:
    """What the summary says when the inbrenger took nothing along, in the pick step's words."""
    pick = next((s for s in steps.values() if s.kind == InteractionKind.PICK), None)
    board = str((pick.options or {}).get("from_board") or "") if pick else ""
    return str(words_for(board).none_picked)


def _evaluation(room) -> EvaluationFigures | None:
    rows = list(room.evaluations.all().order_by("created_at", "pk"))
    if not rows:
        return None
    # Texts without names, and not in the order they were sent (the inbrenger saw who evaluated
    # when): the group evaluates freely.
    return EvaluationFigures(
        count=len(rows),
        product_average=round(mean(e.product for e in rows), 1),
        process_average=round(mean(e.process for e in rows), 1),
        remarks=sorted((e.remark for e in rows if e.remark), key=str.casefold),
        takeaways=sorted((e.takeaway for e in rows if e.takeaway), key=str.casefold),
    )


def _action_plan(case: Case) -> list[tuple[str, str]]:
    try:
        plan = case.action_plan
    except ActionPlan.DoesNotExist:
        return []
    return action_plan_rows(plan)


def action_plan_rows(plan: ActionPlan | None) -> list[tuple[str, str]]:
    """The filled-in parts of a SMART plan as (label, text)."""
    if plan is None:
        return []
    rows = [
        (str(ActionPlan._meta.get_field(name).verbose_name), getattr(plan, name))
        for name in ACTION_PLAN_FIELDS
    ]
    if plan.first_step:
        rows.append((str(ActionPlan._meta.get_field("first_step").verbose_name), plan.first_step))
    if plan.first_step_on:
        rows.append((_("first step on"), plan.first_step_on.strftime("%d-%m-%Y")))
    return [(capfirst(label), value) for label, value in rows if value]
