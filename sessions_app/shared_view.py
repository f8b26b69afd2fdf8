"""The shared view: one screen for the projector and for sharing in a video call.

Large type, no controls, nothing that only one role may see: the step and its number, the big
timer, whose turn it is or who has the word, and the board once it is revealed (without authors).
It is its own audience: a push renders it once per language, only for rooms that have one open
(ScreenSocket rows, counted like the members' sockets, per server process), and sends it to the
group `room-<id>-screen-<language>`.

What it shows is built here, field by field, from the room's loaded state, never by filtering a
richer view: what is not named below cannot reach the screen (tests/online/test_shared_view.py).
"""

import uuid

from django.db import IntegrityError
from django.template.loader import render_to_string
from django.utils import translation

from . import live, online_context, presence
from .models import Room, ScreenSocket

TEMPLATE = "rooms/shared.html"
AUDIENCE = online_context.SHARED_VIEW
# What a push brings to the screen: the timer part for a timer change, the whole view else.
TIMER_PARTS = frozenset({"timer"})
VIEW_PARTS = frozenset({"step", "interaction", "floor", "head", "stepper"})


def group_name(room_id, language: str) -> str:
    return live.group_name(room_id, AUDIENCE, language)


# ---- What the screen shows -----------------------------------------------------------------


def _question_round(state) -> dict:
    data = state.interaction_data()
    by_id = {m.pk: m for m in data.participants}
    turns = data.turns
    latest = data.questions[-1] if data.questions else None
    return {
        "kind": "question_round",
        "round": turns.round,
        "ended": turns.ended,
        "current": by_id.get(turns.current(data.present)),
        "next": by_id.get(turns.upcoming(data.present)),
        "dropped": by_id.get(turns.notice),
        "latest": latest.text if latest is not None else "",
        "asked": len(data.questions),
    }


def _board(state) -> dict:
    data = state.interaction_data()
    options = data.options
    if data.hidden:
        # Before the reveal: how many items, never whose or what (not even per person).
        return {"kind": "board", "hidden": True, "total": len(data.items)}
    columns = {c.key: {"label": c.label, "items": []} for c in options.columns}
    for item in data.items:
        columns[options.column(item.column).key]["items"].append(item.text)
    return {
        "kind": "board",
        "hidden": False,
        "multi": options.multi,
        "columns": list(columns.values()),
        "total": len(data.items),
    }


def _pick(state) -> dict:
    data = state.interaction_data()
    return {
        "kind": "pick",
        "items": [{"text": i.text, "picked": i.picked} for i in data.items],
        "picked": sum(1 for i in data.items if i.picked),
    }


def _count(state) -> dict:
    """Voting and evaluating: only how many have done it."""
    data = state.interaction_data()
    if state.step.kind == "vote":
        return {"kind": "count", "done": data.voted, "of": data.eligible, "what": "vote"}
    return {"kind": "count", "done": data.responses, "of": data.people, "what": "evaluate"}


INTERACTION_VIEWS = {
    "question_round": _question_round,
    "collect": _board,
    "pick": _pick,
    "vote": _count,
    "evaluate": _count,
}


def screen_context(state) -> dict:
    room = state.room
    running = room.status == Room.Status.RUNNING and state.step is not None
    ix = {}
    if running and state.step.kind in INTERACTION_VIEWS and state.interaction.template:
        ix = INTERACTION_VIEWS[state.step.kind](state)
    return {
        "state": state,
        "room": room,
        "step": state.step if running else None,
        "audience": AUDIENCE,
        "seq": room.seq,
        "revision": room.revision,
        "screen": {
            "group": room.meeting.group.name,
            "method": room.method.name,
            "case": room.case.current_question if room.case else "",
            "number": (state.current_index or 0) + 1,
            "steps": len(state.steps),
            "listen_only": running and state.step.inbrenger_listens_only,
            "inbrenger": state.inbrenger,
        },
        "ix": ix,
        "floor": online_context.floor_view(state, AUDIENCE),
    }


def render(state, parts: frozenset[str] | None = None) -> str:
    """The screen's fragments for a change of `parts` (None: all, for a snapshot)."""
    ctx = screen_context(state)
    html = [render_to_string(f"{live.FRAGMENTS}#meta", ctx)]
    if parts is None or parts & (TIMER_PARTS | VIEW_PARTS):
        html.append(render_to_string(f"{live.FRAGMENTS}#timer", ctx))
    if parts is None or parts & VIEW_PARTS:
        html.append(render_to_string(f"{TEMPLATE}#screen", ctx))
    return "".join(html)


def push_messages(state, parts: frozenset[str]) -> list[tuple[str, dict]]:
    """The screen's share of a push: rendered once per language with a screen open."""
    if not parts & (TIMER_PARTS | VIEW_PARTS):
        return []
    languages = listening_languages(state.room.pk)
    messages = []
    for language in languages:
        with translation.override(language):
            html = render(state, parts)
        messages.append((group_name(state.room.pk, language), {"type": "room.push", "html": html}))
    return messages


# ---- Open screens, like open sockets (sessions_app/presence.py) -----------------------------


def listening_languages(room_id) -> list[str]:
    return sorted(
        set(ScreenSocket.objects.filter(room_id=room_id).values_list("language", flat=True))
    )


def screen_opened(room_id, language: str) -> uuid.UUID:
    if not presence._registered:
        with presence._first_registration:
            if not presence._registered:
                presence._changed_rooms.update(presence.register())
    socket_id = uuid.uuid4()
    try:
        ScreenSocket.objects.create(
            id=socket_id, process_id=presence.BOOT, room_id=room_id, language=language
        )
    except IntegrityError:
        # Our process row is gone: another process took us for dead while we stalled.
        presence._changed_rooms.update(presence.register())
        ScreenSocket.objects.create(
            id=socket_id, process_id=presence.BOOT, room_id=room_id, language=language
        )
    return socket_id


def screen_closed(socket_id: uuid.UUID) -> None:
    ScreenSocket.objects.filter(pk=socket_id).delete()


def may_open(member) -> bool:
    """The facilitator opens the shared view (on the projector, or to share in the call)."""
    return member is not None and member.audience == "facilitator"
