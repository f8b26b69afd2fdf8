"""Rate (kind `rate`): the inbrenger labels items warm / lauw / koud in a step of its own.

With target "questions" (the only target so far) the items are the questions of the method's
earlier question-round steps. The labelling itself is the one of Fresh Questioning's rounds:
ratings.rate_question, and the same template partials.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from methods.models import InteractionKind

from ..models import Audience, Question
from . import ActionRequest, ActionResult, Interaction, InteractionError
from .ratings import rate_question, rating_counts, rating_labels

DEFAULT_LABELS = ("warm", "lauw", "koud")
TARGETS = ("questions",)


@dataclass
class RateData:
    supported: bool
    questions: list[Question]  # in the order they were asked
    labels: list[tuple[str, str]]


def _labels(options: dict) -> list[tuple[str, str]]:
    return rating_labels(options.get("labels") or DEFAULT_LABELS)


def _supported(options: dict) -> bool:
    return options.get("target", "questions") in TARGETS


def _question_steps(steps, current) -> list[str]:
    """The question rounds that come before this step in the method."""
    return [
        s.key for s in steps if s.kind == InteractionKind.QUESTION_ROUND and s.order < current.order
    ]


def load(state) -> RateData:
    options = state.step.options or {}
    if not _supported(options):
        return RateData(supported=False, questions=[], labels=[])
    questions = list(
        Question.objects.filter(
            room=state.room, step_key__in=_question_steps(state.steps, state.step), passed=False
        )
        .select_related("asker__user")
        .order_by("created_at", "pk")
    )
    return RateData(supported=True, questions=questions, labels=_labels(options))


def room_context(state, data: RateData, audience: str) -> dict:
    return {
        "supported": data.supported,
        "chronological": True,
        "questions": [{"question": q, "hints": []} for q in data.questions],
        "labels": data.labels,
        "counts": rating_counts(data.questions, data.labels),
    }


def my_context(state, data: RateData, member) -> dict:
    if member.audience != Audience.INBRENGER or not data.supported:
        return {}
    return {"rate": {"items": data.questions, "labels": data.labels}}


def rate(request: ActionRequest) -> ActionResult:
    if not _supported(request.options):
        raise InteractionError(_("There is nothing to label in this step."))
    steps = request.run.step.method.steps.only("key", "kind", "order")
    return rate_question(request, _question_steps(steps, request.step), _labels(request.options))


INTERACTION = Interaction(
    kind="rate",
    template="rooms/interactions/rate.html",
    load=load,
    room_context=room_context,
    my_context=my_context,
    actions={"rate": rate},
)
