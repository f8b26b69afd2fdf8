"""Sharing written advice in turns (Balint 4, "Adviezen delen"): each participant reads out the
essence of the advice they wrote in the earlier board step, then hands it to the inbrenger.

- every writer's phone shows their own advice to read from, and a button to hand it over when it
  is their turn;
- the laptop shows whose turn it is, who has shared and who comes next (names only: the texts
  were said aloud, the projector need not repeat them);
- the inbrenger's phone receives each advice the moment it is handed over (the source: the
  written advice is handed to the inbrenger), and keeps it in the summary (the board items).

Step options: `from_board` (the board whose items are shared; "advice"). The turn state lives in
the step run (`StepRun.state["shared"]`: the members who shared, in order), which a later visit
of the step takes over (services._enter_step). The order is that of the room: join order.
"""

from dataclasses import dataclass, field
from types import SimpleNamespace

from django.utils.translation import gettext as _

from methods.models import InteractionKind

from ..models import Audience, BoardItem, RoomMember
from . import BOTH, ActionRequest, ActionResult, Interaction, InteractionError
from .board import BoardOptions

SHARED = "shared"  # key in StepRun.state


@dataclass
class ShareData:
    board: str
    anonymous: bool
    writers: list[RoomMember]  # people with advice on the board, in room order
    items: dict[int, list[BoardItem]]  # member pk -> their items
    shared: list[int] = field(default_factory=list)

    @property
    def current(self) -> RoomMember | None:
        return next((m for m in self.writers if m.pk not in self.shared), None)

    @property
    def upcoming(self) -> RoomMember | None:
        current = self.current
        rest = [m for m in self.writers if m.pk not in self.shared and m is not current]
        return rest[0] if rest else None


def _source_keys(steps, board: str) -> list[str]:
    return [
        s.key
        for s in steps
        if s.kind == InteractionKind.COLLECT and BoardOptions.of(s).board == board
    ]


def _anonymous(steps, keys: list[str]) -> bool:
    return any(BoardOptions.of(s).anonymous for s in steps if s.key in keys)


def load(state) -> ShareData:
    """One query: the items of the board being shared; the writers come with the room."""
    board = str((state.step.options or {}).get("from_board") or "advice")
    keys = _source_keys(state.steps, board)
    items: dict[int, list[BoardItem]] = {}
    for item in BoardItem.objects.filter(room=state.room, step_key__in=keys, board=board):
        items.setdefault(item.author_id, []).append(item)
    run_state = (state.run.state if state.run else None) or {}
    return ShareData(
        board=board,
        anonymous=_anonymous(state.steps, keys),
        writers=[m for m in state.members if m.pk in items],
        items=items,
        shared=[int(pk) for pk in run_state.get(SHARED) or []],
    )


def _texts(data: ShareData, member_id: int) -> list[str]:
    return [item.text for item in data.items.get(member_id, [])]


def room_context(state, data: ShareData, audience: str) -> dict:
    current = data.current
    ctx = {
        "people": [
            {
                "id": m.pk,
                "name": m.name,
                "status": "shared"
                if m.pk in data.shared
                else ("now" if current is not None and m.pk == current.pk else "waiting"),
            }
            for m in data.writers
        ],
        "current": current,
        "upcoming": data.upcoming,
        "done": current is None and bool(data.writers),
        "empty": not data.writers,
        "shared_count": len(data.shared),
        "can_hand_over": audience == Audience.FACILITATOR and current is not None,
    }
    if audience == Audience.INBRENGER:
        # Handed over, so theirs to read: in the order they were shared.
        writers = {m.pk: m for m in data.writers}
        ctx["received"] = [
            {
                "member_id": pk,
                "name": "" if data.anonymous else writers[pk].name,
                "texts": _texts(data, pk),
            }
            for pk in data.shared
            if pk in writers
        ]
    return ctx


def my_context(state, data: ShareData, member: RoomMember) -> dict:
    """A writer's own advice, to read from; whether it is their turn and whether it is handed."""
    current = data.current
    return {
        "texts": _texts(data, member.pk),
        "is_writer": member.pk in data.items,
        "my_turn": current is not None and current.pk == member.pk,
        "handed": member.pk in data.shared,
        "current": current,
        "inbrenger": state.inbrenger,
    }


def hand_over(request: ActionRequest) -> ActionResult:
    """The one whose turn it is hands their advice over (or the facilitator does it for them)."""
    if request.is_inbrenger:
        raise InteractionError(_("The others hand their advice to you."))
    state = SimpleNamespace(
        room=request.room,
        run=request.run,
        step=request.step,
        steps=list(request.step.method.steps.all()),
        members=list(RoomMember.objects.filter(room=request.room).order_by("joined_at", "pk")),
    )
    data = load(state)
    current = data.current
    if current is None:
        raise InteractionError(_("Everyone has shared their advice."))
    sent = str(request.data.get("member", ""))
    if sent and sent != str(current.pk):
        raise InteractionError(
            _("%(name)s has the turn now; your screen was behind.") % {"name": current.name}
        )
    if not request.is_facilitator and request.member.pk != current.pk:
        raise InteractionError(
            _("It is not your turn: %(name)s shares now.") % {"name": current.name}
        )
    request.run.state = {**(request.run.state or {}), SHARED: [*data.shared, current.pk]}
    request.run.save(update_fields=["state"])
    return ActionResult(
        parts=BOTH,
        message=_("%(name)s's advice is with the inbrenger now.") % {"name": current.name},
    )


INTERACTION = Interaction(
    kind="share",
    template="rooms/interactions/share.html",
    load=load,
    room_context=room_context,
    my_context=my_context,
    actions={"hand_over": hand_over},
)
