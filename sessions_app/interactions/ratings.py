"""Labelling questions warm / lauw / koud (Fresh Questioning): the labels a step asks for, the
counts, and the inbrenger's action. Shared by the question rounds (question_round.py) and the
`rate` step of its own (rate.py)."""

from django.utils.translation import gettext as _

from ..models import Question
from . import ROOM, ActionRequest, ActionResult, InteractionError


def rating_labels(values) -> list[tuple[str, str]]:
    """(value, label) for the labels a step asks for, in the step's order; unknown ones dropped."""
    known = dict(Question.Rating.choices)
    return [(v, str(known[v])) for v in values or () if v in known]


def rating_counts(questions: list[Question], labels: list[tuple[str, str]]) -> list[dict]:
    return [
        {"value": value, "label": label, "count": sum(1 for q in questions if q.rating == value)}
        for value, label in labels
    ]


def rate_question(request: ActionRequest, step_keys: list[str], labels) -> ActionResult:
    """The inbrenger labels one question; the same label again takes it back."""
    if not request.is_inbrenger:
        raise InteractionError(_("Only the inbrenger labels the questions."))
    value = str(request.data.get("rating", ""))
    if value not in {v for v, _label in labels}:
        raise InteractionError(_("Choose one of the labels."))
    try:
        question_id = int(request.data.get("question", ""))
    except ValueError:
        question_id = -1
    question = Question.objects.filter(
        room=request.room, step_key__in=step_keys, passed=False, pk=question_id
    ).first()
    if question is None:
        raise InteractionError(_("That question is not part of this step."))
    question.rating = "" if question.rating == value else value
    question.save(update_fields=["rating"])
    return ActionResult(parts=ROOM)
