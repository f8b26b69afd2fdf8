"""Action plan (CREA 4, Krachtenveldanalyse 5, Basismethode 5): the inbrenger writes a SMART plan
on their phone, one guiding question per letter, plus a first step and its date (the fields and
rules in cases/action_plan.py; the case page writes the same plan after any method). Each save shows
at once on the laptop and the other phones, so the group can help make it concrete.

The form saves on every change and with its button. A save updates only the shared view (ROOM):
the inbrenger's own form comes back with the response, and no push makes their phone re-fetch the
form while they type. A first-step date in the past is refused on its own: the rest of the save
is kept, and the refused value stays in the form with its error (StepRun.state of this visit)
until a valid date or none replaces it.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.action_plan import FIRST_STEP_MAX, LETTERS, TEXT_MAX, date_error
from cases.models import ActionPlan, Case

from ..models import Audience, RoomMember
from . import BOTH, ROOM, ActionRequest, ActionResult, Interaction, InteractionError

REJECTED_DATE = "rejected_first_step_on"  # key in StepRun.state

# CREA 4: the facilitator helps the inbrenger get from insight to action.
PROMPTS = (
    gettext_lazy("What touches you most?"),
    gettext_lazy("Which insight or idea do you adopt?"),
    gettext_lazy("What will you do with it, and with what intended effect?"),
)


@dataclass
class PlanData:
    case: Case | None
    plan: ActionPlan | None


def load(state) -> PlanData:
    """At most one query: the plan of the room's case (the case comes with the room)."""
    case = state.room.case
    plan = ActionPlan.objects.filter(case=case).first() if case else None
    return PlanData(case=case, plan=plan)


def _letters(plan: ActionPlan | None) -> list[dict]:
    return [
        {
            "key": key,
            "letter": letter,
            "name": name,
            "question": question,
            "value": getattr(plan, key, "") if plan else "",
        }
        for key, letter, name, question in LETTERS
    ]


def room_context(state, data: PlanData, audience: str) -> dict:
    plan = data.plan
    letters = _letters(plan)
    return {
        "case": data.case,
        "letters": letters,
        "first_step": plan.first_step if plan else "",
        "first_step_on": plan.first_step_on if plan else None,
        "started": bool(plan and (plan.first_step or any(item["value"] for item in letters))),
        "prompts": PROMPTS if audience == Audience.FACILITATOR else (),
    }


def owns_case(member: RoomMember, case: Case | None) -> bool:
    """Only the inbrenger writes the plan, and only for their own case."""
    return (
        case is not None
        and member.audience == Audience.INBRENGER
        and case.owner_id == member.user_id
    )


def my_context(state, data: PlanData, member: RoomMember, action: str = "save") -> dict:
    """The inbrenger's form; `action` is the step's action that saves it (see `save`)."""
    if not owns_case(member, data.case):
        return {"can_edit": False, "no_case": data.case is None}
    plan = data.plan
    rejected = (state.run.state or {}).get(REJECTED_DATE, "") if state.run else ""
    saved_date = plan.first_step_on.isoformat() if plan and plan.first_step_on else ""
    return {
        "can_edit": True,
        "action": action,
        "letters": _letters(plan),
        "first_step": plan.first_step if plan else "",
        "date_value": rejected or saved_date,
        "date_error": date_error() if rejected else "",
        "text_max": TEXT_MAX,
        "first_step_max": FIRST_STEP_MAX,
    }


def _text(value, limit: int, label) -> str:
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > limit:
        raise InteractionError(
            _("Keep “%(field)s” under %(n)d characters; it now has %(m)d.")
            % {"field": label, "n": limit, "m": len(text)}
        )
    return text


def _parse_date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def save(request: ActionRequest) -> ActionResult:
    """Create or update the plan from the fields the form sends; fields it leaves out stay."""
    case = request.room.case
    if case is None:
        raise InteractionError(
            _("There is no case in this room yet. Choose the case first, then write the plan.")
        )
    if not owns_case(request.member, case):
        raise InteractionError(_("Only the inbrenger writes the action plan for their case."))
    data = request.data
    plan = ActionPlan.objects.filter(case=case).first() or ActionPlan(case=case)
    for key, _letter, name, _question in LETTERS:
        if key in data:
            setattr(plan, key, _text(data.get(key), TEXT_MAX, name))
    if "first_step" in data:
        plan.first_step = " ".join(
            _text(data.get("first_step"), FIRST_STEP_MAX, _("first step")).split()
        )

    run = request.run
    state = dict(run.state or {})
    had_refused_date = REJECTED_DATE in state
    date_refused = False
    if "first_step_on" in data:
        raw = str(data.get("first_step_on") or "").strip()
        day = _parse_date(raw) if raw else None
        if raw and (day is None or day < timezone.localdate(request.now)):
            date_refused = True
            state[REJECTED_DATE] = raw[:20]
        else:
            plan.first_step_on = day
            state.pop(REJECTED_DATE, None)
    plan.save()
    if state != (run.state or {}):
        run.state = state
        run.save(update_fields=["state"])
    if date_refused:
        return ActionResult(
            parts=ROOM,
            message=_("Saved, except the date: the first step needs a date from today on."),
        )
    # The inbrenger's own view carries the date's error line: re-render it when an earlier
    # refusal is cleared, or the error would stay under a date that is now accepted.
    return ActionResult(
        parts=ROOM,
        actor_parts=BOTH if had_refused_date else ROOM,
        message=_("Saved: the group sees your plan."),
    )


INTERACTION = Interaction(
    kind="action_plan",
    template="rooms/interactions/action_plan.html",
    load=load,
    room_context=room_context,
    my_context=my_context,
    actions={"save": save},
)
