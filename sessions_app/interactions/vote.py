"""Vote (Incidentmethode 1, CREA 1, Basismethode 2, Incidentmethode with perceptions 1): the
group's case inventory, one vote each, and the facilitator's choice of today's case.

The inventory is every proposed case of the group whose owner is in the room, plus the case the
room already has. Anyone present adds a case on the spot from their phone. The tally shows counts
only: who voted for what is never rendered, not even on the facilitator's laptop, which is on the
projector. Voting sits in the shared view (the same buttons for everyone), so a vote or a new case
never re-renders the other phones' own views and loses a case they are typing. Choosing
a case makes its owner the inbrenger; roles change, so every screen reloads into its new role.
"""

import uuid
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.formulation import check_formulation
from cases.models import Case, CaseStatus
from groups.models import Role, RoleAssignment, display_name

from ..models import Audience, RoomMember, Vote
from . import BOTH, ROOM, ActionRequest, ActionResult, Interaction, InteractionError

TITLE_MAX = Case._meta.get_field("title").max_length
QUESTION_MAX = Case._meta.get_field("working_question").max_length

# CREA 1 weighs the cases on these criteria (step option `criteria`); one line each to guide.
CRITERIA = {
    "urgentie": (gettext_lazy("Urgency"), gettext_lazy("Which case cannot wait?")),
    "belang": (
        gettext_lazy("Importance"),
        gettext_lazy("Which case matters most, for the bringer and for the work?"),
    ),
    "emotie": (
        gettext_lazy("Emotion"),
        gettext_lazy("Which case carries the most feeling right now?"),
    ),
    "aantrekkingskracht": (
        gettext_lazy("Appeal"),
        gettext_lazy("Which case draws the group, so that everyone learns from it?"),
    ),
    "toerbeurt": (
        gettext_lazy("Turn"),
        gettext_lazy("Whose turn is it? Everyone brings a case in turn."),
    ),
}


@dataclass
class Entry:
    """A case on the inventory, with its count of votes (never who cast them)."""

    case: Case
    owner_name: str
    votes: int = 0
    chosen: bool = False  # the room's case already
    owner_facilitates: bool = False


@dataclass
class Inventory:
    entries: list[Entry]
    votes: dict[int, uuid.UUID]  # RoomMember pk -> case pk; only ever read for that one person
    eligible: int  # members of the group in the room: each has one vote

    @property
    def voted(self) -> int:
        listed = {e.case.pk for e in self.entries}
        return sum(1 for case_id in self.votes.values() if case_id in listed)

    def entry(self, case_id) -> Entry | None:
        return next((e for e in self.entries if e.case.pk == case_id), None)


def load(state) -> Inventory:
    """Two queries, whatever the size of the group: the proposed cases and the votes."""
    room = state.room
    present = {m.user_id: m for m in state.members if m.user_id}
    proposed = (
        Case.objects.filter(
            group_id=room.meeting.group_id, status=CaseStatus.PROPOSED, owner_id__in=list(present)
        )
        .exclude(pk=room.case_id)
        .order_by("created_at", "pk")
    )
    cases = ([room.case] if room.case else []) + list(proposed)
    votes = dict(Vote.objects.filter(room=room).values_list("voter_id", "case_id"))
    tally = Counter(votes.values())
    entries = [
        Entry(
            case=case,
            owner_name=present[case.owner_id].name
            if case.owner_id in present
            else display_name(case.owner),
            votes=tally[case.pk],
            chosen=case.pk == room.case_id,
            owner_facilitates=case.owner_id == room.facilitator_id,
        )
        for case in cases
    ]
    return Inventory(entries=entries, votes=votes, eligible=len(present))


def criteria(options: dict) -> list[dict]:
    """The step's choice criteria with a one-line explanation each (unknown keys shown as is)."""
    shown = []
    for key in options.get("criteria") or []:
        label, help_text = CRITERIA.get(key, (key, ""))
        shown.append({"key": key, "label": label, "help": help_text})
    return shown


def room_context(state, inventory: Inventory, audience: str) -> dict:
    if audience == Audience.GUEST:
        # Members' prepared cases are for the group only; a guest sees the choice once made.
        return {"guest": True, "chosen": state.room.case, "entries": [], "criteria": [], "voted": 0}
    ctx = {
        "entries": inventory.entries,
        "chosen": state.room.case,
        "criteria": criteria(state.step.options or {}),
        "voted": inventory.voted,
        "eligible": inventory.eligible,
    }
    if audience == Audience.FACILITATOR:
        # Whether, never for what: the laptop is on the projector.
        ctx["facilitator_voted"] = any(
            m.pk in inventory.votes for m in state.members if m.audience == Audience.FACILITATOR
        )
    return ctx


def my_context(state, inventory: Inventory, member: RoomMember) -> dict:
    if member.user_id is None:
        return {"can_take_part": False}
    voted_for = inventory.entry(inventory.votes.get(member.pk))
    my_cases = [
        {"entry": e, "hints": check_formulation(e.case.working_question)}
        for e in inventory.entries
        if e.case.owner_id == member.user_id
    ]
    return {
        "can_take_part": True,
        "voted_for": voted_for,
        "my_cases": my_cases,
        "title_max": TITLE_MAX,
        "question_max": QUESTION_MAX,
    }


def _clean(value) -> str:
    return " ".join(str(value or "").split())


def _listed_case(request: ActionRequest) -> Case:
    """The case the form names, if it is on this room's inventory."""
    room = request.room
    try:
        case_id = uuid.UUID(str(request.data.get("case", "")))
    except ValueError:
        raise InteractionError(_("Choose one of the cases on the list.")) from None
    case = Case.objects.filter(pk=case_id, group_id=room.meeting.group_id).first()
    if case is None:
        raise InteractionError(_("Choose one of the cases on the list."))
    if case.pk == room.case_id:
        return case
    if case.status != CaseStatus.PROPOSED:
        raise InteractionError(_("That case is no longer on the list."))
    if not RoomMember.objects.filter(room=room, user_id=case.owner_id).exists():
        raise InteractionError(
            _("Whoever brought that case is not in the room; choose a case of someone who is here.")
        )
    return case


def vote(request: ActionRequest) -> ActionResult:
    """One vote each; voting again replaces it."""
    if request.member.user_id is None:
        raise InteractionError(_("Only members of the group vote on the cases."))
    case = _listed_case(request)
    Vote.objects.update_or_create(room=request.room, voter=request.member, defaults={"case": case})
    # Only the counts change for the others; the voter's own view comes with the response.
    return ActionResult(parts=ROOM, message=_("Your vote is in. You can still change it."))


def add_case(request: ActionRequest) -> ActionResult:
    """A member puts a case on the list on the spot; the formulation hints follow on their phone."""
    member = request.member
    if member.user_id is None:
        raise InteractionError(_("Only members of the group bring in a case."))
    title = _clean(request.data.get("title"))
    question = _clean(request.data.get("working_question"))
    if not title or not question:
        raise InteractionError(_("Give your case a title and a working question."))
    for text, limit in ((title, TITLE_MAX), (question, QUESTION_MAX)):
        if len(text) > limit:
            raise InteractionError(
                _("Keep it under %(n)d characters; it now has %(m)d.")
                % {"n": limit, "m": len(text)}
            )
    group_id = request.room.meeting.group_id
    # A double tap must not put the same case on the list twice.
    fields = {
        "group_id": group_id,
        "owner_id": member.user_id,
        "title": title,
        "working_question": question,
        "status": CaseStatus.PROPOSED,
    }
    if not Case.objects.filter(**fields).exists():
        Case.objects.create(**fields)
    message = _("Your case is on the list.")
    if check_formulation(question):
        message += " " + _("See the tips below on how it is put.")
    return ActionResult(parts=ROOM, message=message)


def choose(request: ActionRequest) -> ActionResult:
    """The facilitator takes a case, by the vote or directly; its owner becomes the inbrenger."""
    if not request.is_facilitator:
        raise InteractionError(_("Only the facilitator chooses the case."))
    room = request.room
    case = _listed_case(request)
    if case.pk == room.case_id:
        raise InteractionError(_("This case is already chosen."))
    if case.owner_id == room.facilitator_id:
        raise InteractionError(
            _(
                "You facilitate this meeting, so you cannot bring the case as well. "
                "Hand over the facilitation first, then choose your case."
            )
        )
    owner = RoomMember.objects.select_related("user").get(room=room, user_id=case.owner_id)

    if room.case_id:  # the case chosen before goes back on the list for another time
        previous = Case.objects.get(pk=room.case_id)
        if previous.can_move_to(CaseStatus.PROPOSED):
            previous.move_to(CaseStatus.PROPOSED)
            previous.meeting = None
            previous.save(update_fields=["status", "meeting", "updated_at"])
    case.move_to(CaseStatus.CHOSEN)
    case.meeting_id = room.meeting_id
    case.save(update_fields=["status", "meeting", "updated_at"])
    room.case = case  # saved by services.interact with the room

    RoomMember.objects.filter(room=room, audience=Audience.INBRENGER).exclude(pk=owner.pk).update(
        audience=Audience.PARTICIPANT
    )
    RoomMember.objects.filter(pk=owner.pk).update(audience=Audience.INBRENGER)
    meeting_roles = RoleAssignment.objects.filter(meeting_id=room.meeting_id)
    meeting_roles.filter(role=Role.INBRENGER).delete()
    # The inbrenger takes part in the whole method: they no longer observe it.
    meeting_roles.filter(role=Role.OBSERVER, user_id=case.owner_id).delete()
    RoleAssignment.objects.create(
        meeting_id=room.meeting_id, user_id=case.owner_id, role=Role.INBRENGER
    )
    return ActionResult(
        parts=BOTH,
        reload=True,
        message=_("%(name)s brings today's case.") % {"name": owner.name},
    )


INTERACTION = Interaction(
    kind="vote",
    template="rooms/interactions/vote.html",
    load=load,
    room_context=room_context,
    my_context=my_context,
    actions={"vote": vote, "add_case": add_case, "choose": choose},
)
