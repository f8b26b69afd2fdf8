"""What a question round shows: the turn order, the questions and their hints on the shared
screen, and on each phone whose turn it is and what a turn allows. The turns themselves and the
actions are in question_round.py."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from methods.i18n import localized_value

from .. import roll
from ..guarding import dominance_hint, question_hints
from ..models import HELPING_AUDIENCES, Audience, Question, RoomMember
from . import reformulate
from .ratings import rating_counts, rating_labels
from .turns import Turns

MAX_LENGTH = 500  # of a question


@dataclass
class RoundData:
    turns: Turns
    participants: list[RoomMember]
    questions: list[Question]  # oldest first; passes are not questions
    options: dict
    present: set[int]  # who takes part in the turns now (sessions_app/roll.py)

    @property
    def labels(self) -> list[tuple[str, str]]:
        return rating_labels(self.options.get("rating"))


def _participants(members) -> list[RoomMember]:
    return [m for m in members if m.audience in HELPING_AUDIENCES]


def load(state) -> RoundData:
    options = state.step.options or {}
    participants = _participants(state.members)
    questions = list(
        Question.objects.filter(room=state.room, step_key=state.step.key, passed=False)
        .select_related("asker__user")
        .order_by("created_at", "pk")
    )
    turns = Turns.of(state.run, options, [m.pk for m in participants])
    present = roll.present_ids(participants, state.room.meeting.effective_mode, state.now)
    return RoundData(
        turns=turns,
        participants=participants,
        questions=questions,
        options=options,
        present=present,
    )


def _order_rows(data: RoundData, current: int | None) -> list[dict]:
    by_id = {m.pk: m for m in data.participants}
    turns = data.turns
    rows = []
    for index, member_id in enumerate(turns.order):
        if member_id not in by_id:
            continue
        if member_id == current:
            status = "current"
        elif member_id in turns.passes:
            status = "passed"
        elif member_id in turns.skipped:
            status = "skipped"
        elif member_id in turns.dropped:
            status = "dropped"
        elif member_id in turns.absent:
            status = "absent"
        elif index < turns.position:
            status = "asked"
        elif member_id not in data.present:
            status = "away"  # passed over when the turn reaches them, unless they are back
        else:
            status = "waiting"
        rows.append(
            {
                "member": by_id[member_id],
                "status": status,
                "can_put_back": status in ("dropped", "absent", "away"),
            }
        )
    return rows


def room_context(state, data: RoundData, audience: str) -> dict:
    present = data.present
    current = data.turns.current(present)
    by_id = {m.pk: m for m in data.participants}
    open_only = bool(data.options.get("open_questions_only"))
    facilitator = audience == Audience.FACILITATOR
    rows = [
        {
            "question": q,
            "hints": question_hints(q.text, open_questions_only=open_only)
            if facilitator and q.text
            else [],
        }
        for q in reversed(data.questions)
    ]
    context = {
        "turns": data.turns,
        "round": data.turns.round,
        "ended": data.turns.ended,
        "random": data.turns.mode == "random",
        "order": _order_rows(data, current),
        "current": by_id.get(current),
        "next": by_id.get(data.turns.upcoming(present)),
        "turn": data.turns.token(present),
        "questions": rows,
        "latest": data.questions[-1] if data.questions else None,
        "inbrenger_answers": data.options.get("inbrenger_answers", True) is not False,
        "labels": data.labels,
        "counts": rating_counts(data.questions, data.labels),
        "no_participants": not data.participants,
        # The round tells the group whose turn was skipped because they dropped out.
        "dropped": by_id.get(data.turns.notice),
        "nobody_here": bool(data.participants) and not data.present,
    }
    if facilitator:
        asked = {m.pk: 0 for m in data.participants}
        names = {m.pk: m.name for m in data.participants}
        for q in data.questions:
            asked[q.asker_id] = asked.get(q.asker_id, 0) + 1
            names.setdefault(q.asker_id, q.asker.name)
        context["dominance"] = dominance_hint(asked, names)
    return context


def turn_rule(options: dict) -> str:
    """What a turn allows, as the method's step says it (`turn_rule`): one question and
    follow-ups waiting (Incidentmethode), or asking on (CREA). Without one, only what every
    question round shares."""
    return localized_value(options.get("turn_rule")) or _("Ask your question, or pass.")


def my_context(state, data: RoundData, member) -> dict:
    present = data.present
    if member.audience == Audience.INBRENGER:
        mine = {}
        if data.labels:
            mine["rate"] = {"items": list(reversed(data.questions)), "labels": data.labels}
        if data.options.get("reformulate"):  # CREA 2: restate the question as it sharpens
            mine["reformulate"] = reformulate.my_context(state, state.room.case, member)
        return mine
    if member.audience not in HELPING_AUDIENCES or data.turns.ended:
        return {}
    if data.turns.current(present) == member.pk:
        return {
            "my_turn": True,
            "turn": data.turns.token(present),
            "max_length": MAX_LENGTH,
            "rule": turn_rule(data.options),
        }
    return {"up_next": data.turns.upcoming(present) == member.pk}
