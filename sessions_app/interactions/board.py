"""Boards (kind `collect`): everyone puts items on a shared board — tips, advice, perceptions,
forces, success factors, insights. Step options (methods/library/methods.json):

- `board`: the board's name; a later pick step takes its items (`from_board`);
- `columns`: [{key, label}], e.g. driving/restraining forces; the writer chooses the column;
- `hidden_until_reveal`: before the facilitator reveals, everyone (the facilitator included)
  sees only how many items each person wrote; the texts reach no one but their author;
- `anonymous`: no fragment ever names the author of an item; only the author's own view knows.
  Items reach the shared screens in batches (interactions/anonymity.py), so that a card appearing
  right after one phone sent it does not give the author away; the facilitator may show the
  waiting items earlier, and shown items can no longer be changed;
- `item_prefix`: the opening every item starts with ("Als ik in jouw schoenen stond, dan…");
- `inbrenger_reacts`: the inbrenger marks each item "applicable" or "not for me".

Items live in BoardItem, with the inbrenger's reaction; the reveal is in StepRun.state, which a
later visit of the same step takes over (services._enter_step).
The options, the loaded board and the rules for an item's text are in board_options.py.
"""

from django.utils.translation import gettext as _

from methods.boards import BoardWords

from ..models import Audience, BoardItem, RoomMember
from . import ROOM, ActionRequest, ActionResult, Interaction, InteractionError, anonymity
from .board_options import (
    MAX_ITEMS_PER_PERSON,
    MAX_LENGTH,
    REACTIONS,
    RELEASED,
    BoardData,
    BoardOptions,
    apply_prefix,
    clean_text,
    localize,
    prefill,
)

# ---- Reading --------------------------------------------------------------------------------


def load(state) -> BoardData:
    """One query: the items of this step's board; authors come from the room's members."""
    options = BoardOptions.of(state.step)
    run_state = (state.run.state if state.run else None) or {}
    items = list(
        BoardItem.objects.filter(room=state.room, step_key=state.step.key, board=options.board)
    )
    return BoardData(
        options=options,
        items=items,
        members={m.pk: m for m in state.members},
        revealed=bool(run_state.get("revealed")),
        released=list(run_state.get(RELEASED) or []),
    )


def _facilitator(state) -> RoomMember | None:
    return next((m for m in state.members if m.audience == Audience.FACILITATOR), None)


def _counts(state, data: BoardData, words: BoardWords) -> list[dict]:
    """Per person, how many items they wrote: the writers, and anyone else who wrote something."""
    counts: dict[int, int] = {}
    for item in data.items:
        counts[item.author_id] = counts.get(item.author_id, 0) + 1
    writers = {m.pk for m in state.ready_pool}
    return [
        {
            "member_id": m.pk,
            "name": m.name,
            "count": counts.get(m.pk, 0),
            "label": words.count(counts.get(m.pk, 0)),
        }
        for m in state.members
        if m.pk in writers or counts.get(m.pk)
    ]


def room_context(state, data: BoardData, audience: str) -> dict:
    options = data.options
    ctx = {
        "board": options.board,
        "multi": options.multi,
        "hidden": data.hidden,
        "anonymous": options.anonymous,
        "total": len(data.items),
        "total_label": options.words.count(len(data.items)),
        "can_reveal": audience == Audience.FACILITATOR and data.hidden,
        "revealed": options.hidden and data.revealed,
    }
    if data.hidden:
        # Before the reveal no item text leaves the server for anyone but its author (`mine`).
        ctx["counts"] = [] if options.anonymous else _counts(state, data, options.words)
        ctx["columns"] = []
    else:
        # The laptop may delete the facilitator's own items, except on an anonymous board,
        # where a delete button on the projector would tell the room who wrote it.
        own = (
            _facilitator(state)
            if audience == Audience.FACILITATOR and not options.anonymous
            else None
        )
        columns = {c.key: {"key": c.key, "label": c.label, "items": []} for c in options.columns}
        shown = data.shown
        ctx["waiting"] = len(data.items) - len(shown)
        ctx["can_release"] = audience == Audience.FACILITATOR and ctx["waiting"] > 0
        for item in shown:
            columns[options.column(item.column).key]["items"].append(
                {
                    "id": item.pk,
                    "text": item.text,
                    "author": "" if options.anonymous else data.author_name(item),
                    "reaction": item.reaction if options.reacts else "",
                    "own": own is not None and item.author_id == own.pk,
                }
            )
        ctx["columns"] = list(columns.values())
        ctx["can_react"] = options.reacts and audience == Audience.INBRENGER
        ctx["reacts"] = options.reacts
    if audience == Audience.FACILITATOR:
        ctx["add"] = _add_form(options, last_column=None)
        ctx["speakers"] = (
            []
            if options.anonymous
            else [
                {"id": m.pk, "name": m.name}
                for m in state.members
                if m.audience != Audience.FACILITATOR
            ]
        )
    return ctx


def _add_form(options: BoardOptions, last_column: str | None) -> dict:
    return {
        "columns": [{"key": c.key, "label": c.label} for c in options.columns]
        if options.multi
        else [],
        "column": last_column,
        "placeholder": localize(options.prefix).strip(),
        "yours": options.words.yours,
        # A hidden board is a sheet only its writer reads until the reveal: it is saved, not
        # put on the board for all to see.
        "button": _("Save") if options.hidden else options.words.add,
        "prefill": prefill(options.prefix),
        "max_length": MAX_LENGTH,
    }


def my_context(state, data: BoardData, member: RoomMember) -> dict:
    """The person's own items, with their texts even while the board is hidden."""
    options = data.options
    labels = options.column_labels()
    mine = [item for item in data.items if item.author_id == member.pk]
    return {
        # The laptop adds in the room view; tips and advice are given *to* the inbrenger.
        "can_add": member.audience != Audience.FACILITATOR
        and not inbrenger_receives(member, BoardOptions.of(state.step)),
        "hidden": data.hidden,
        "anonymous": options.anonymous,
        "multi": options.multi,
        "add": _add_form(options, last_column=mine[-1].column if mine else None),
        "items": [
            {
                "id": item.pk,
                "text": item.text,
                "column": options.column(item.column).key,
                "column_label": labels.get(options.column(item.column).key, ""),
            }
            for item in mine
        ],
    }


# ---- Acting -----------------------------------------------------------------------------------


def _text(request: ActionRequest, options: BoardOptions) -> str:
    text = clean_text(request.data.get("text", ""))
    if not text:
        raise InteractionError(_("Write something first."))
    if options.prefix:
        text = apply_prefix(text, options.prefix)
    if len(text) > MAX_LENGTH:
        raise InteractionError(
            _("Keep it under %(n)d characters; it now has %(m)d.")
            % {"n": MAX_LENGTH, "m": len(text)}
        )
    return text


def _column(request: ActionRequest, options: BoardOptions) -> str:
    if not options.multi:
        return ""
    key = str(request.data.get("column", ""))
    if key not in {c.key for c in options.columns}:
        raise InteractionError(_("Choose the column your item belongs in."))
    return key


def item_id(request: ActionRequest) -> int:
    try:
        return int(request.data.get("item", ""))
    except (TypeError, ValueError):
        raise InteractionError(_("That item is not on this board.")) from None


def _board_item(request: ActionRequest, options: BoardOptions) -> BoardItem:
    item = BoardItem.objects.filter(
        pk=item_id(request), room=request.room, step_key=request.step.key, board=options.board
    ).first()
    if item is None:
        raise InteractionError(_("That item is not on this board (any more)."))
    return item


def _own_item(request: ActionRequest, options: BoardOptions) -> BoardItem:
    item = _board_item(request, options)
    if item.author_id != request.member.pk:
        raise InteractionError(_("You can only change your own items."))
    if options.anonymous and item.pk in (request.run.state.get(RELEASED) or []):
        raise InteractionError(
            _(
                "This item is on the board already. On an anonymous board it stays as it is: a "
                "change now would show the room that it is yours."
            )
        )
    return item


def _release(request: ActionRequest, options: BoardOptions, everything: bool = False) -> int:
    """Show an anonymous board's waiting items once enough people wait (or all of them, at the
    facilitator's word). Returns how many were released."""
    state = request.run.state
    released = list(state.get(RELEASED) or [])
    waiting = [
        (pk, author)
        for pk, author in BoardItem.objects.filter(
            room=request.room, step_key=request.step.key, board=options.board
        ).values_list("pk", "author_id")
        if pk not in released
    ]
    if not waiting or not (everything or anonymity.batch_due({a for _pk, a in waiting})):
        return 0
    state[RELEASED] = released + anonymity.shuffled([pk for pk, _author in waiting])
    request.run.save(update_fields=["state"])
    return len(waiting)


def _author(request: ActionRequest, options: BoardOptions) -> RoomMember:
    """The facilitator may write down what someone says, in that person's name."""
    speaker = request.data.get("speaker", "")
    if not speaker or not request.is_facilitator or options.anonymous:
        return request.member
    try:
        return RoomMember.objects.get(pk=int(speaker), room=request.room)
    except (ValueError, RoomMember.DoesNotExist):
        raise InteractionError(_("That person is not in this room.")) from None


# Boards the group writes *for* the inbrenger: they listen, then pick what they take along.
GIVEN_TO_INBRENGER = frozenset({"tips", "advice"})


def inbrenger_receives(member, options: "BoardOptions") -> bool:
    return member.audience == Audience.INBRENGER and options.board in GIVEN_TO_INBRENGER


def add(request: ActionRequest) -> ActionResult:
    options = BoardOptions.of(request.step)
    if inbrenger_receives(request.member, options):
        raise InteractionError(_("The group writes these for you; you pick what you take along."))
    text = _text(request, options)
    column = _column(request, options)
    author = _author(request, options)
    written = BoardItem.objects.filter(
        room=request.room, step_key=request.step.key, board=options.board, author=author
    ).count()
    if written >= MAX_ITEMS_PER_PERSON:
        raise InteractionError(
            _("That makes more than %(n)d items; combine a few.") % {"n": MAX_ITEMS_PER_PERSON}
        )
    BoardItem.objects.create(
        room=request.room,
        step_key=request.step.key,
        board=options.board,
        column=column,
        author=author,
        text=text,
    )
    hidden = options.hidden and not request.run.state.get("revealed")
    if options.anonymous and not hidden and not _release(request, options):
        message = _("Added. It shows on the board together with others' items.")
    elif hidden:
        message = _("Added. The others see it after the reveal.")
    else:
        message = _("Added.")
    # Only the shared board changes for the others; the writer's own view comes back in the
    # response. Not pushing `mine` keeps half-written items on other phones intact.
    return ActionResult(parts=ROOM, message=message)


def edit(request: ActionRequest) -> ActionResult:
    options = BoardOptions.of(request.step)
    item = _own_item(request, options)
    item.text = _text(request, options)
    item.column = _column(request, options) if options.multi else item.column
    item.save(update_fields=["text", "column", "updated_at"])
    return ActionResult(parts=ROOM, message=_("Saved."))


def delete(request: ActionRequest) -> ActionResult:
    options = BoardOptions.of(request.step)
    item = _own_item(request, options)
    item.delete()
    return ActionResult(parts=ROOM, message=_("Deleted."))


def reveal(request: ActionRequest) -> ActionResult:
    if not request.is_facilitator:
        raise InteractionError(_("Only the facilitator reveals the board."))
    options = BoardOptions.of(request.step)
    if not options.hidden and not options.anonymous:
        raise InteractionError(_("This board is not hidden."))
    if options.hidden:
        request.run.state["revealed"] = True
    if options.anonymous:
        _release(request, options, everything=True)
    request.run.save(update_fields=["state"])
    return ActionResult(parts=ROOM, message=_("Everyone sees the board now."))


def react(request: ActionRequest) -> ActionResult:
    """The inbrenger says after each tip whether it is applicable (Guns&Roses 4)."""
    options = BoardOptions.of(request.step)
    if not options.reacts:
        raise InteractionError(_("This board asks no reactions."))
    if not request.is_inbrenger:
        raise InteractionError(_("Only the inbrenger reacts to the items."))
    if options.hidden and not request.run.state.get("revealed"):
        raise InteractionError(_("The board has not been revealed yet."))
    reaction = str(request.data.get("reaction", ""))
    if reaction not in (*REACTIONS, ""):
        raise InteractionError(_("Choose applicable or not for me."))
    item = _board_item(request, options)
    item.reaction = reaction
    item.save(update_fields=["reaction", "updated_at"])
    return ActionResult(parts=ROOM)


INTERACTION = Interaction(
    kind="collect",
    template="rooms/interactions/board.html",
    load=load,
    room_context=room_context,
    my_context=my_context,
    actions={"add": add, "edit": edit, "delete": delete, "reveal": reveal, "react": react},
)
