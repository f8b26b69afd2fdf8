"""Pick (Guns&Roses 5, Incidentmethode 8, Balint 5, the perceptions variant 6): the inbrenger
marks on their phone the items of the earlier board they take along, each with an optional
"why". Step options: `from_board` (the board of the collect steps of this method to pick from)
and `with_reason`. The board's writing phase is over, so everyone sees every item; an anonymous
board stays anonymous.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from methods.models import InteractionKind

from ..models import Audience, BoardItem, RoomMember
from . import ROOM, ActionRequest, ActionResult, Interaction, InteractionError
from .board import BoardOptions, clean_text, item_id

MAX_REASON = 300


@dataclass
class PickData:
    items: list[BoardItem]
    sources: dict[str, BoardOptions]  # step key -> that board step's options
    members: dict[int, RoomMember]
    with_reason: bool

    @property
    def anonymous(self) -> bool:
        return any(o.anonymous for o in self.sources.values())


def _sources(steps, options: dict) -> dict[str, BoardOptions]:
    """The collect steps of this method whose board this step picks from (all, if none given)."""
    board = options.get("from_board")
    found = {}
    for step in steps:
        if step.kind != InteractionKind.COLLECT:
            continue
        board_options = BoardOptions.of(step)
        if not board or board_options.board == board:
            found[step.key] = board_options
    return found


def load(state) -> PickData:
    """One query: the items of the source boards, in the order of the steps they were written in."""
    options = state.step.options or {}
    sources = _sources(state.steps, options)
    order = {key: i for i, key in enumerate(sources)}
    items = list(
        BoardItem.objects.filter(room=state.room, step_key__in=list(sources)).order_by(
            "created_at", "pk"
        )
    )
    items = [i for i in items if sources[i.step_key].board == i.board]
    items.sort(key=lambda i: order[i.step_key])  # stable: creation order within a step
    return PickData(
        items=items,
        sources=sources,
        members={m.pk: m for m in state.members},
        with_reason=bool(options.get("with_reason")),
    )


def _item_view(data: PickData, item: BoardItem) -> dict:
    board = data.sources[item.step_key]
    author = data.members.get(item.author_id)
    return {
        "id": item.pk,
        "text": item.text,
        "author": "" if data.anonymous else (author.name if author else "?"),
        "column_label": board.column_labels().get(board.column(item.column).key, ""),
        "picked": item.picked,
        "reason": item.pick_reason if item.picked else "",
    }


def room_context(state, data: PickData, audience: str) -> dict:
    items = [_item_view(data, item) for item in data.items]
    return {
        "items": items,
        "picked_count": sum(1 for i in items if i["picked"]),
        "total": len(items),
    }


def my_context(state, data: PickData, member: RoomMember) -> dict:
    if member.audience != Audience.INBRENGER:
        return {"can_pick": False}
    return {
        "can_pick": True,
        "with_reason": data.with_reason,
        "max_reason": MAX_REASON,
        "items": [_item_view(data, item) for item in data.items],
    }


def _pickable(request: ActionRequest) -> BoardItem:
    if not request.is_inbrenger:
        raise InteractionError(_("Only the inbrenger chooses what to take along."))
    sources = _sources(request.room.method.steps.all(), request.options)
    pk = item_id(request)
    item = next(
        (
            i
            for i in BoardItem.objects.filter(pk=pk, room=request.room, step_key__in=list(sources))
            if sources[i.step_key].board == i.board
        ),
        None,
    )
    if item is None:
        raise InteractionError(_("That item is not on this board."))
    return item


def pick(request: ActionRequest) -> ActionResult:
    item = _pickable(request)
    reason = ""
    if request.options.get("with_reason"):
        reason = clean_text(request.data.get("reason", "")).replace("\n", " ")
        if len(reason) > MAX_REASON:
            raise InteractionError(
                _("Keep the why under %(n)d characters; it now has %(m)d.")
                % {"n": MAX_REASON, "m": len(reason)}
            )
    message = _("Saved.") if item.picked else _("You take this along.")
    item.picked = True
    item.pick_reason = reason
    item.save(update_fields=["picked", "pick_reason", "updated_at"])
    # The inbrenger's own view comes back in the response; no one else has a personal view here.
    return ActionResult(parts=ROOM, message=message)


def unpick(request: ActionRequest) -> ActionResult:
    item = _pickable(request)
    item.picked = False
    item.pick_reason = ""
    item.save(update_fields=["picked", "pick_reason", "updated_at"])
    return ActionResult(parts=ROOM, message=_("Put back."))


INTERACTION = Interaction(
    kind="pick",
    template="rooms/interactions/pick.html",
    load=load,
    room_context=room_context,
    my_context=my_context,
    actions={"pick": pick, "unpick": unpick},
)
