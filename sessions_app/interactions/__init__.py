"""Step interactions: what people do inside a step, one module per interaction kind.

An interaction kind (methods.models.InteractionKind) has
- a template `rooms/interactions/<kind>.html` with two partials: `room`, the shared view, rendered
  once per audience and pushed to everyone, and `mine`, one person's own view (their turn, their
  hidden items, their form), rendered only for that person (in the answer to their own request,
  and by a push to their own sockets, live.own_messages), never broadcast;
- `load(state)`: the data both views need, read once per render with a fixed number of queries;
- `room_context(state, data, audience)` and `my_context(state, data, member)`: what each view
  may show — content hidden from an audience is filtered here, on the server;
- `actions`: what people can do, each a function of an ActionRequest, run by
  services.interact inside the transaction that locks the room.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from importlib import import_module
from typing import Any

from django.http import QueryDict

from ..models import Room, RoomMember, StepRun

# Live parts an action can touch: the shared view, everyone's own view, or more of the room.
ROOM = frozenset({"interaction"})
MINE = frozenset({"mine"})
BOTH = ROOM | MINE


class InteractionError(Exception):
    """A user error inside a step; the message is shown to the person (HTTP 422)."""

    status = 422


@dataclass
class ActionRequest:
    room: Room
    run: StepRun
    member: RoomMember
    data: QueryDict | dict
    now: datetime

    @property
    def step(self):
        return self.run.step

    @property
    def options(self) -> dict:
        return self.run.step.options or {}

    @property
    def is_facilitator(self) -> bool:
        return self.member.audience == "facilitator"

    @property
    def is_inbrenger(self) -> bool:
        return self.member.audience == "inbrenger"


@dataclass
class ActionResult:
    parts: frozenset[str] = BOTH  # pushed to everyone
    message: str = ""
    reload: bool = False  # roles changed (e.g. a chosen case made someone the inbrenger)
    # What the actor's own response re-renders; an autosaving form leaves out MINE so the reply
    # never replaces the form being typed in.
    actor_parts: frozenset[str] = BOTH


@dataclass
class Interaction:
    kind: str
    template: str | None = None
    load: Callable[[Any], Any] = lambda state: None
    room_context: Callable[[Any, Any, str], dict] = lambda state, data, audience: {}
    my_context: Callable[[Any, Any, RoomMember], dict] = lambda state, data, member: {}
    actions: dict[str, Callable[[ActionRequest], ActionResult]] = field(default_factory=dict)
    # Online meetings (sessions_app/online.py): the step begins (room, run, now), and who takes
    # part changed (room, run, members, present ids) -> what the group is told, "" for nothing.
    enter: Callable[[Room, StepRun, datetime], None] = lambda room, run, now: None
    presence_changed: Callable[..., str] = lambda room, run, members, present: ""


# kind -> module in this package that defines `INTERACTION`
MODULES = {
    "question_round": "question_round",
    "collect": "board",
    "rate": "rate",
    "pick": "pick",
    "vote": "vote",
    "reformulate": "reformulate",
    "action_plan": "action_plan",
    "evaluate": "evaluate",
    "pairs": "pairs",
    "share": "share",
}

_PLAIN = Interaction(kind="plain")
_cache: dict[str, Interaction] = {}


def for_kind(kind: str | None) -> Interaction:
    """The interaction of a step kind; info, think and listen-only steps have none of their own."""
    if not kind or kind not in MODULES:
        return _PLAIN
    if kind not in _cache:
        name = f"{__name__}.{MODULES[kind]}"
        try:
            module = import_module(name)
        except ModuleNotFoundError as missing:
            if missing.name != name:
                raise
            return _PLAIN
        _cache[kind] = module.INTERACTION
    return _cache[kind]
