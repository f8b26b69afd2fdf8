"""Question rounds (Guns&Roses 3, Incidentmethode 3 and 6, Balint 2, CREA 2, Roddelmodel 2,
Fresh Questioning 2, Basismethode 3, …): the participants ask in turns, one question a turn,
answered at once; passing is fine. A round in which nobody asks ends the rounds, and so does the
facilitator. In Fresh Questioning the inbrenger does not answer but labels each question
warm / lauw / koud; that labelling is shared with the `rate` step (see rate.py).

Turn state lives in the step run (`StepRun.state`): the order of this round, the position in
it, the round number, who passed or was skipped, whether any question was asked this round,
and whether the rounds have ended. Until the first turn it is derived, not stored, unless someone
was away when the step began (`enter`).

Online and hybrid meetings: only those who take part now (sessions_app/roll.py) get a turn. The
turn never moves back: whoever is away when the turn reaches them is passed over for this round
(`absent`) and comes back in the next, or right after the current turn when the facilitator puts
them back. Whoever drops out while it is their turn is skipped after a grace period (`dropped`),
and the round tells the group.
"""

from django.utils.translation import gettext as _

from .. import roll
from ..models import Question, RoomMember
from . import BOTH, ROOM, ActionRequest, ActionResult, Interaction, InteractionError, reformulate
from .question_round_screens import MAX_LENGTH, _participants, load, my_context, room_context
from .ratings import rate_question, rating_labels
from .round_presence import enter, presence_changed
from .turns import ORDERS, Turns, turn_order

# A turn taken or the rounds ended can hold or free the word (hands.may_give): the floor too.
TURN_PARTS = BOTH | frozenset({"floor"})


# ---- Actions --------------------------------------------------------------------------------


def _room_participants(request: ActionRequest) -> list[RoomMember]:
    return _participants(
        RoomMember.objects.filter(room=request.room).select_related("user").order_by("joined_at")
    )


def _turns(request: ActionRequest) -> tuple[Turns, list[RoomMember]]:
    participants = _room_participants(request)
    return Turns.of(request.run, request.options, [m.pk for m in participants]), participants


def _present(request: ActionRequest, participants: list[RoomMember]) -> set[int]:
    from ..online import mode_of

    return roll.present_ids(participants, mode_of(request.room), request.now)


def _check_turn(
    request: ActionRequest, turns: Turns, participants: list[RoomMember], *, skipping=False
) -> None:
    """Only the one whose turn it is (or the facilitator, skipping) acts on this very turn."""
    if turns.ended:
        raise InteractionError(_("The question rounds have ended."))
    present = _present(request, participants)
    current = turns.current(present)
    if current is None:
        raise InteractionError(_("Nobody has a turn right now."))
    name = next(m.name for m in participants if m.pk == current)
    if not skipping and request.member.pk != current:
        raise InteractionError(
            _("It is not your turn: %(name)s has the turn now.") % {"name": name}
        )
    sent = request.data.get("turn")
    if sent and sent != turns.token(present):
        raise InteractionError(
            _("The turn has moved on since your screen was updated: %(name)s has the turn now.")
            % {"name": name}
        )


def _take_turn(request: ActionRequest, *, text: str = "", aloud=False, passed=False):
    turns, participants = _turns(request)
    _check_turn(request, turns, participants)
    Question.objects.create(
        room=request.room,
        step_key=request.step.key,
        round_no=turns.round,
        asker=request.member,
        text=text,
        aloud=aloud,
        passed=passed,
    )
    if passed:
        turns.passes.append(request.member.pk)
    else:
        turns.asked += 1
    return _next_turn(request, turns, participants)


def _next_turn(request: ActionRequest, turns: Turns, participants) -> ActionResult:
    present = _present(request, participants)
    turns.finish_turn([m.pk for m in participants], request.run.pk, present)
    turns.save(request.run)
    if turns.ended:
        return ActionResult(
            parts=TURN_PARTS,
            message=_("A round without questions: the question rounds have ended."),
        )
    current = turns.current(present)
    name = next((m.name for m in participants if m.pk == current), "")
    return ActionResult(parts=TURN_PARTS, message=_("%(name)s has the turn now.") % {"name": name})


def ask(request: ActionRequest) -> ActionResult:
    text = " ".join(str(request.data.get("question", "")).split())
    if not text:
        raise InteractionError(_("Type your question, or tap “I asked it aloud”."))
    if len(text) > MAX_LENGTH:
        raise InteractionError(
            _("Keep the question under %(n)d characters; it now has %(m)d.")
            % {"n": MAX_LENGTH, "m": len(text)}
        )
    return _take_turn(request, text=text)


def ask_aloud(request: ActionRequest) -> ActionResult:
    return _take_turn(request, aloud=True)


def pass_turn(request: ActionRequest) -> ActionResult:
    return _take_turn(request, passed=True)


def _require_facilitator(request: ActionRequest) -> None:
    if not request.is_facilitator:
        raise InteractionError(_("Only the facilitator can do this."))


def skip(request: ActionRequest) -> ActionResult:
    """The facilitator moves on past someone who is away or not responding."""
    _require_facilitator(request)
    turns, participants = _turns(request)
    _check_turn(request, turns, participants, skipping=True)
    turns.skipped.append(turns.current(_present(request, participants)))
    return _next_turn(request, turns, participants)


def aloud_for(request: ActionRequest) -> ActionResult:
    """The facilitator records that the one whose turn it is asked aloud: someone on the call
    without the app (marked present) cannot tap it themselves."""
    _require_facilitator(request)
    turns, participants = _turns(request)
    _check_turn(request, turns, participants, skipping=True)
    current = turns.current(_present(request, participants))
    Question.objects.create(
        room=request.room,
        step_key=request.step.key,
        round_no=turns.round,
        asker_id=current,
        aloud=True,
    )
    turns.asked += 1
    return _next_turn(request, turns, participants)


def put_back(request: ActionRequest) -> ActionResult:
    """The facilitator puts someone passed over (away, dropped out) back in the turn order: they
    count as present from now on (marked), and take the turn after the current one."""
    _require_facilitator(request)
    from ..online import mark_present_locked

    turns, participants = _turns(request)
    try:
        member_id = int(request.data.get("member", ""))
    except ValueError:
        member_id = -1
    member = next((m for m in participants if m.pk == member_id), None)
    if member is None:
        raise InteractionError(_("That person does not take turns in this step."))
    if member.pk not in _present(request, participants):
        mark_present_locked(member, True)
    turns.put_back(member.pk)
    turns.settle(_present(request, participants))
    turns.save(request.run)
    return ActionResult(
        parts=TURN_PARTS | frozenset({"roll", "presence"}),
        message=_("%(name)s is back in the turn order.") % {"name": member.name},
    )


def end_rounds(request: ActionRequest) -> ActionResult:
    _require_facilitator(request)
    turns, _members = _turns(request)
    if turns.ended:
        raise InteractionError(_("The question rounds have already ended."))
    turns.ended = True
    turns.save(request.run)
    return ActionResult(parts=TURN_PARTS, message=_("The question rounds have ended."))


def reopen_rounds(request: ActionRequest) -> ActionResult:
    _require_facilitator(request)
    turns, participants = _turns(request)
    if not turns.ended:
        raise InteractionError(_("The question rounds are still going."))
    turns.new_round([m.pk for m in participants], request.run.pk, _present(request, participants))
    turns.save(request.run)
    return ActionResult(parts=TURN_PARTS, message=_("A new round of questions starts."))


def switch_order(request: ActionRequest) -> ActionResult:
    """Random or around the table: from the next round, or now if nobody has had a turn yet."""
    _require_facilitator(request)
    mode = str(request.data.get("order", ""))
    if mode not in ORDERS:
        raise InteractionError(_("Choose random order or around the table."))
    turns, participants = _turns(request)
    turns.mode = mode
    now = turns.untouched() and not turns.ended
    if now:
        turns.order = turn_order([m.pk for m in participants], mode, request.run.pk, turns.round)
        turns.position, turns.absent = 0, []
        turns.settle(_present(request, participants))
    turns.save(request.run)
    if now:
        return ActionResult(parts=TURN_PARTS, message=_("The order of this round has changed."))
    return ActionResult(parts=ROOM, message=_("The new order applies from the next round."))


def restate(request: ActionRequest) -> ActionResult:
    """The inbrenger restates their question during the round, where the step asks for it."""
    if not request.options.get("reformulate"):
        raise InteractionError(_("In this step the question is not restated."))
    return reformulate.save(request)


def rate(request: ActionRequest) -> ActionResult:
    labels = rating_labels(request.options.get("rating"))
    if not labels:
        raise InteractionError(_("In this step the questions are not labelled."))
    return rate_question(request, [request.step.key], labels)


INTERACTION = Interaction(
    kind="question_round",
    template="rooms/interactions/question_round.html",
    load=load,
    room_context=room_context,
    my_context=my_context,
    enter=enter,
    presence_changed=presence_changed,
    actions={
        "ask": ask,
        "aloud": ask_aloud,
        "pass": pass_turn,
        "skip": skip,
        "aloud_for": aloud_for,
        "put_back": put_back,
        "end_rounds": end_rounds,
        "reopen_rounds": reopen_rounds,
        "switch_order": switch_order,
        "rate": rate,
        "reformulate": restate,
    },
)
