"""Pushing the room to every screen.

After a change commits, the fragments it touched are rendered once per audience (facilitator,
inbrenger, participant, observer) from the database and sent to that audience's channel-layer
group. Every push is a complete replacement of its fragments, stamped with the room's revision,
so a dropped or late message is harmless: the next one, or a reconnect, brings the truth.
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import trans_real

from groups.models import Meeting
from methods.cache import steps_of
from methods.models import Step
from methods.planner import frame_split, optional_keys

from . import delivery, flow, interactions, online_context, roll, timing
from .models import (
    HELPING_AUDIENCES,
    Audience,
    Room,
    RoomMember,
    StepRun,
    Storing,
    first_names_only,
    first_names_shown,
)

FRAGMENTS = "rooms/fragments.html"

STEP_CHANGE = frozenset(
    {
        "stepper",
        "step",
        "timer",
        "controls",
        "presence",
        "actions",
        "interaction",
        "mine",
        "head",
        "case",
        "handover",
        "guests",
        "floor",
    }
)
TIMER_CHANGE = frozenset({"timer", "controls"})
READY_CHANGE = frozenset({"controls", "presence"})
PRESENCE_CHANGE = frozenset({"controls", "presence", "guests", "roll"})
STORING_CHANGE = frozenset({"storingen"})
# Online meetings (sessions_app/online.py): raised hands and the word; marks on the roll call,
# which may change whose turn it is.
FLOOR_CHANGE = frozenset({"floor"})
ROLL_CHANGE = PRESENCE_CHANGE | FLOOR_CHANGE | frozenset({"interaction", "mine"})
EVERYTHING = STEP_CHANGE | STORING_CHANGE | frozenset({"roll"})
# Parts whose HTML depends on neither the audience nor the person (their partials never read
# `audience`, `member` or `my`): a push renders them once for all audiences. Presence, a list of
# everyone in the room, is the priciest partial. tests/hardening/test_shared_parts.py checks it.
SHARED_PARTS = frozenset({"meta", "stepper", "timer", "presence", "storingen", "case"})

# Which fragments each screen has: the laptop has the controls, phones the action bar. The case's
# current question is the laptop's heading ("head") and a line above the step on the phones
# ("case"); a restated question (interactions/reformulate.py) pushes both.
_PHONE = frozenset(
    {"meta", "case", "step", "timer", "presence", "actions", "interaction", "mine", "floor"}
)
SCREEN_PARTS = {
    Audience.FACILITATOR: frozenset(
        {
            "meta",
            "stepper",
            "step",
            "timer",
            "controls",
            "presence",
            "storingen",
            "interaction",
            "head",
            "handover",
            "guests",  # the facilitator removes guests here (joining.remove_guest)
            "floor",
            "roll",
        }
    ),
    Audience.INBRENGER: _PHONE,
    Audience.PARTICIPANT: _PHONE,
    Audience.OBSERVER: _PHONE,
    Audience.GUEST: _PHONE,
}


# Parts kept in a template of their own (the rest are in FRAGMENTS).
PART_TEMPLATES = {"floor": "rooms/online.html", "roll": "rooms/online.html"}


def group_name(room_id, audience: str, language: str) -> str:
    return f"room-{room_id}-{audience}-{language}"


def language_from_scope(scope: dict) -> str:
    """A socket's language, as LocaleMiddleware would choose it: the language cookie, else the
    browser's Accept-Language, else the default."""
    cookie = (scope.get("cookies") or {}).get(settings.LANGUAGE_COOKIE_NAME)
    if cookie:
        return supported_language(cookie)
    headers = dict(scope.get("headers") or [])
    accept = headers.get(b"accept-language", b"").decode("latin-1")
    for code, _quality in trans_real.parse_accept_lang_header(accept):
        if code != "*":
            try:
                return translation.get_supported_language_variant(code.lower())
            except LookupError:
                continue
    return settings.LANGUAGE_CODE


def supported_language(code: str | None) -> str:
    """One of settings.LANGUAGES for a cookie or header value; the default when unknown."""
    try:
        return translation.get_supported_language_variant((code or "").strip().lower())
    except LookupError:
        return settings.LANGUAGE_CODE


@dataclass
class RoomState:
    """Everything the room's fragments show, loaded in a fixed number of queries.

    What only some fragments show (open storingen, the trail of visited steps) is read on first
    use: a step change's push never renders the storingen, a timer change never the stepper."""

    room: Room
    steps: list
    members: list[RoomMember]
    now: datetime
    current_index: int | None = None
    _ix_data: object = None
    _ix_loaded: bool = False
    _storingen: list[Storing] | None = None
    _trail: list[str] | None = None
    # Fragments rendered from this state for an audience and language (consumers' snapshots).
    rendered: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def open_storingen(self) -> list[Storing]:
        if self._storingen is None:
            self._storingen = list(
                self.room.storingen.filter(acknowledged_at__isnull=True).select_related(
                    "raised_by__user"
                )
            )
        return self._storingen

    @property
    def trail(self) -> list[str]:
        """The keys of the steps the room walked through, in order (flow.path: a step visited
        again after going back cuts the trail there)."""
        if self._trail is None:
            self._trail = flow.path(visited_keys(self.room.pk, self.steps))
        return self._trail

    @cached_property
    def next_meeting(self):
        """The group's next planned meeting, for the closing screen (read only once ended)."""
        if self.room.status != Room.Status.ENDED:
            return None
        meeting = self.room.meeting
        return (
            Meeting.objects.filter(
                group_id=meeting.group_id,
                starts_at__gt=meeting.starts_at,
                status=Meeting.Status.PLANNED,
            )
            .order_by("starts_at")
            .first()
        )

    @cached_property
    def skipped(self) -> set[str]:
        refs = [flow.StepRef(s.key, s.branch_if_no) for s in self.steps]
        return flow.skipped_keys(refs, self.trail, self.current_index)

    @cached_property
    def next_round_room(self) -> Room | None:
        """Once this case has ended: the room of the meeting's next case, when it is open."""
        if self.room.status != Room.Status.ENDED:
            return None
        return (
            Room.objects.filter(meeting_id=self.room.meeting_id, round=self.room.round + 1)
            .exclude(status=Room.Status.ENDED)
            .first()
        )

    @cached_property
    def can_open_next_round(self) -> bool:
        """Whether a long meeting has time for another case after this one (facilitator)."""
        if self.room.status != Room.Status.ENDED or self.next_round_room is not None:
            return False
        from .opening import next_case_round

        rooms = list(Room.objects.filter(meeting_id=self.room.meeting_id).only("status", "round"))
        return next_case_round(self.room.meeting, rooms) is not None

    @property
    def interaction(self) -> interactions.Interaction:
        running = self.room.status == Room.Status.RUNNING and self.step is not None
        return interactions.for_kind(self.step.kind if running else None)

    @property
    def run(self) -> StepRun | None:
        return self.room.step_run

    def interaction_data(self):
        """What the step's interaction shows, loaded once however many audiences render it."""
        if not self._ix_loaded:
            self._ix_data = self.interaction.load(self)
            self._ix_loaded = True
        return self._ix_data

    @property
    def step(self):
        return self.room.step

    @property
    def mode(self) -> str:
        """In person, online or hybrid (groups.MeetingMode)."""
        return self.room.meeting.effective_mode

    @cached_property
    def present_ids(self) -> set[int]:
        """Who takes part in turns now (sessions_app/roll.py)."""
        return roll.present_ids(self.members, self.mode, self.now)

    @property
    def remaining(self) -> float | None:
        return timing.remaining(self.room.clock(), self.now)

    @property
    def ready_pool(self) -> list[RoomMember]:
        """Those who think and write along: everyone but the facilitator and the inbrenger."""
        return [m for m in self.members if m.audience in (*HELPING_AUDIENCES, Audience.OBSERVER)]

    @property
    def ready_count(self) -> int:
        run = self.room.step_run_id
        return sum(1 for m in self.ready_pool if run and m.ready_step_run == run)

    @property
    def has_observers(self) -> bool:
        return any(m.audience == Audience.OBSERVER for m in self.members)

    @property
    def guests(self) -> list[RoomMember]:
        return [m for m in self.members if m.is_guest]

    @property
    def handover_candidates(self) -> list[RoomMember]:
        """Members who may take over: not guests, not the inbrenger (their own case)."""
        skip = (Audience.FACILITATOR, Audience.INBRENGER, Audience.GUEST)
        return [m for m in self.members if m.user_id and m.audience not in skip]

    @property
    def is_last_step(self) -> bool:
        return self.current_index is not None and self.current_index == len(self.steps) - 1

    @property
    def inbrenger(self) -> RoomMember | None:
        return next((m for m in self.members if m.audience == Audience.INBRENGER), None)

    def planned_minutes(self, step) -> int:
        return int(self.room.planned_minutes.get(step.key, step.default_minutes))

    @property
    def total_planned_minutes(self) -> int:
        return sum(self.planned_minutes(s) for s in self.steps)

    @cached_property
    def optional_keys(self) -> list[str]:
        """Steps a branch may skip (they run only after "yes")."""
        return optional_keys(self.steps)

    @property
    def frame(self) -> tuple[int, int]:
        """Minutes of the meeting around the method: (opening, closing)."""
        return frame_split(self.room.meeting.duration_minutes - self.total_planned_minutes)


def room_steps(room: Room) -> tuple[Step, ...]:
    """The room's method's steps, from the per-process step cache (methods/cache.py), with
    room.step taken from them instead of another query."""
    steps = steps_of(room.method)
    current = next((s for s in steps if s.pk == room.step_id), None)
    if current is not None:
        room.step = current
    return steps


def visited_keys(room_id, steps) -> list[str]:
    """The keys of the steps a room entered, in order: one query over its step runs."""
    keys = {s.pk: s.key for s in steps}
    visited = list(
        StepRun.objects.filter(room_id=room_id)
        .order_by("started_at", "pk")
        .values_list("step_id", flat=True)
    )
    if not all(v in keys for v in visited):  # a step moved to another method meanwhile
        keys |= dict(Step.objects.filter(pk__in=visited).values_list("pk", "key"))
    return [keys[v] for v in visited]


def load_state(room_id, now: datetime | None = None) -> RoomState:
    room = Room.objects.select_related("meeting__group", "method", "case__owner", "step_run").get(
        pk=room_id
    )
    steps = list(room_steps(room))
    members = list(room.members.select_related("user").order_by("joined_at", "pk"))
    # The facilitator is one of the members: no join for them.
    facilitator = next((m.user for m in members if m.user_id == room.facilitator_id), None)
    if facilitator is not None:
        room.facilitator = facilitator
    keys = [s.key for s in steps]
    current = keys.index(room.step.key) if room.step_id and room.step.key in keys else None
    return RoomState(
        room=room,
        steps=steps,
        members=members,
        now=now or timezone.now(),
        current_index=current,
    )


def context(state: RoomState, audience: str, member: RoomMember | None = None) -> dict:
    step = state.step
    interaction = state.interaction
    ctx = {
        "state": state,
        "room": state.room,
        "audience": audience,
        "member": member,
        "step": step,
        # Guests do what participants do.
        "instruction": step.instructions_for(
            Audience.PARTICIPANT if audience == Audience.GUEST else audience
        )
        if step
        else "",
        "revision": state.room.revision,
        "seq": state.room.seq,
        "run": state.run,
        "interaction_template": interaction.template,
        "floor": online_context.floor_view(state, audience),
    }
    if audience == Audience.FACILITATOR:
        ctx["roll"] = online_context.roll_view(state)
    if interaction.template:
        data = state.interaction_data()
        ctx["ix"] = interaction.room_context(state, data, audience)
        if member is not None:
            ctx["my"] = interaction.my_context(state, data, member)
    return ctx


def render_parts(
    state: RoomState,
    audience: str,
    parts: frozenset[str],
    member=None,
    shared=None,
    meta: bool = True,
) -> str:
    """The fragments of one audience, each a complete out-of-band replacement, after the meta
    fragment that stamps them with the room's seq (unless `meta` is false: the caller sends it).

    `shared` (a dict, per push) keeps the SHARED_PARTS rendered for the first audience, so a push
    renders them once instead of once per audience. Guests render their own: they see the
    group's members by first name only (RoomMember.name under `first_names_only`)."""
    if audience == Audience.GUEST and not first_names_shown():
        with first_names_only():
            return render_parts(state, audience, parts, member=member, shared=None, meta=meta)
    ctx = context(state, audience, member)
    html = []
    for part in [*(["meta"] if meta else []), *sorted(parts & SCREEN_PARTS[audience])]:
        if part == "mine" and member is None:
            part = "mine_refresh"  # personal views are fetched by each person, never broadcast
        template = f"{PART_TEMPLATES.get(part, FRAGMENTS)}#{part}"
        if shared is not None and member is None and part in SHARED_PARTS:
            if part not in shared:
                shared[part] = render_to_string(template, ctx)
            html.append(shared[part])
        else:
            html.append(render_to_string(template, ctx))
    return "".join(html)


def render_reload(state: RoomState) -> str:
    return render_to_string(f"{FRAGMENTS}#reload", {"seq": state.room.seq})


def push(room_id, parts: frozenset[str], reload: bool = False) -> bool:
    """Render once per audience and language, and send to that group. Returns whether the
    messages went out; a failed send is logged and resent by delivery.py, never raised."""
    layer = get_channel_layer()
    if layer is None:
        return True
    state = load_state(room_id)
    messages = []
    if reload:
        # Every group: after a hand-over a socket still sits in its old audience's group.
        html = render_reload(state)
        for audience in Audience.values:
            for language, _name in settings.LANGUAGES:
                messages.append(
                    (group_name(room_id, audience, language), {"type": "room.push", "html": html})
                )
    else:
        # Hot path (bench/room_load.py): only audiences and languages somebody is connected with
        # (the counts live in the database), and the audience-independent parts rendered once a
        # language.
        listening = sorted({(m.audience, m.language) for m in state.members if m.online})
        shared: dict[str, dict[str, str]] = {}
        for audience, language in listening:
            with translation.override(language):
                html = render_parts(state, audience, parts, shared=shared.setdefault(language, {}))
            messages.append(
                (group_name(room_id, audience, language), {"type": "room.push", "html": html})
            )
        from . import shared_view  # imports this module

        messages += shared_view.push_messages(state, parts)
    room = state.room
    return delivery.send(layer, room_id, room.revision, room.seq, messages, reload=reload)


def push_on_commit(room_id, parts: frozenset[str], reload: bool = False) -> None:
    # The change is committed whatever happens to its push (delivery.py: logged, resent).
    transaction.on_commit(
        lambda: delivery.committed(room_id, reload, lambda: push(room_id, parts, reload=reload))
    )


delivery.resend_room = lambda room_id, reload: push(room_id, EVERYTHING, reload=reload)
