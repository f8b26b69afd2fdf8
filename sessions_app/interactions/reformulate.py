"""Reformulate (Incidentmethode 5, CREA 2, Basismethode): the inbrenger restates the working
question. The original stays on the case; the facilitator's branch question follows."""

from django.utils.translation import gettext as _

from cases.formulation import check_formulation

from . import BOTH, ActionRequest, ActionResult, Interaction, InteractionError

MAX_LENGTH = 400


def load(state):
    return state.room.case


def room_context(state, case, audience: str) -> dict:
    return {
        "case": case,
        "original": case.working_question if case else "",
        "reformulated": case.reformulated_question if case else "",
    }


def _owns_case(member, case) -> bool:
    return case is not None and member.audience == "inbrenger" and case.owner_id == member.user_id


def my_context(state, case, member) -> dict:
    if not _owns_case(member, case):
        return {"can_edit": False}
    current = case.current_question
    return {"can_edit": True, "current": current, "hints": check_formulation(current)}


def save(request: ActionRequest) -> ActionResult:
    case = request.room.case
    if not _owns_case(request.member, case):
        raise InteractionError(_("Only the inbrenger restates their question."))
    text = " ".join(str(request.data.get("question", "")).split())
    if not text:
        raise InteractionError(_("Write your question, or leave it as it was."))
    if len(text) > MAX_LENGTH:
        raise InteractionError(
            _("Keep the question under %(n)d characters; it now has %(m)d.")
            % {"n": MAX_LENGTH, "m": len(text)}
        )
    case.reformulated_question = "" if text == case.working_question else text
    case.save(update_fields=["reformulated_question", "updated_at"])
    # The laptop's heading and every phone's question line show the case's current question.
    return ActionResult(
        parts=BOTH | {"head", "case"}, message=_("Saved: the group sees your question.")
    )


INTERACTION = Interaction(
    kind="reformulate",
    template="rooms/interactions/reformulate.html",
    load=load,
    room_context=room_context,
    my_context=my_context,
    actions={"save": save},
)
