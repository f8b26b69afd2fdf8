"""Pushing the room to every screen.

After a change commits, the fragments it touched are rendered once per audience (facilitator,
inbrenger, participant, observer) from the database and sent to that audience's channel-layer
group; each connected person's own parts (their view of the step's interaction, their action
bar) are rendered from the same state and sent to their own sockets only. Every push is a
complete replacement of its fragments, stamped with the room's revision, so a dropped or late
message is harmless: the next one, or a reconnect, brings the truth.
What the fragments show is read in room_state.py (RoomState, load_state).
"""

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import trans_real

from . import delivery, online_context, sockets
from .models import (
    Audience,
    RoomMember,
    first_names_only,
    first_names_shown,
)
from .room_state import RoomState, load_state

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


# A person's own parts: their own view of the step's interaction (their turn, their hidden items,
# their forms) and their action bar ("I am ready" as they pressed it). A push renders these per
# member, from the state it already read, and sends them to that member's sockets only
# (sockets.member_group): never to an audience's group.
OWN_PARTS = frozenset({"mine", "actions"})

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


def context(
    state: RoomState, audience: str, member: RoomMember | None = None, base: dict | None = None
) -> dict:
    """What the partials of one audience (and, with `member`, one person) read. `base`: this
    audience's context without a person, computed once for a push's own views."""
    interaction = state.interaction
    if base is not None:
        ctx = dict(base, member=member)
        if interaction.template and member is not None:
            ctx["my"] = interaction.my_context(state, state.interaction_data(), member)
        return ctx
    step = state.step
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
    base: dict | None = None,
) -> str:
    """The fragments of one audience, each a complete out-of-band replacement, after the meta
    fragment that stamps them with the room's seq (unless `meta` is false: the caller sends it).

    `shared` (a dict, per push) keeps the SHARED_PARTS rendered for the first audience, so a push
    renders them once instead of once per audience. Guests render their own: they see the
    group's members by first name only (RoomMember.name under `first_names_only`)."""
    if audience == Audience.GUEST and not first_names_shown():
        with first_names_only():
            return render_parts(state, audience, parts, member=member, shared=None, meta=meta)
    ctx = context(state, audience, member, base=base)
    html = []
    for part in [*(["meta"] if meta else []), *sorted(parts & SCREEN_PARTS[audience])]:
        if part == "mine" and member is None:
            part = "mine_refresh"  # own views go to each person's sockets (own_messages)
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


@dataclass
class Pushed:
    """What a push read and rendered, kept for the answer to the person who acted."""

    state: RoomState
    parts: frozenset[str]
    html: dict[tuple[str, str], str] = field(default_factory=dict)  # (audience, language)
    own: dict[int, tuple[str, str]] = field(default_factory=dict)  # member pk: (language, html)

    def answer(self, audience: str, parts: frozenset[str], member) -> str | None:
        """The fragments `parts` for `member`'s screen as this push sent them (in the active
        language), or None when it did not send them all."""
        language = translation.get_language()
        html = self.html.get((audience, language))
        if html is None or not parts <= self.parts:
            return None
        if parts & OWN_PARTS & SCREEN_PARTS[audience]:
            own = self.own.get(member.pk) if member is not None else None
            if own is None or own[0] != language:
                return None
            html += own[1]
        return html


# What this thread's pushes read, while a view that answers the person who acted keeps it
# (keeping_pushed_states): the answer then shows the state the push just read after the same
# commit, and the fragments it rendered, instead of reading and rendering the room again.
_kept = threading.local()


@contextmanager
def keeping_pushed_states():
    """Within this block, every push is kept in the dict it yields (by room id)."""
    kept: dict[str, Pushed] = {}
    _kept.states = kept
    try:
        yield kept
    finally:
        _kept.states = None


def push(room_id, parts: frozenset[str], reload: bool = False) -> bool:
    """Render once per audience and language, and send to that group. Returns whether the
    messages went out; a failed send is logged and resent by delivery.py, never raised."""
    layer = get_channel_layer()
    if layer is None:
        return True
    state = load_state(room_id)
    kept = getattr(_kept, "states", None)
    pushed = None
    if kept is not None and not reload:
        pushed = kept[str(room_id)] = Pushed(state, parts)
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
                html = render_parts(
                    state, audience, parts - OWN_PARTS, shared=shared.setdefault(language, {})
                )
            messages.append(
                (group_name(room_id, audience, language), {"type": "room.push", "html": html})
            )
            if pushed is not None:
                pushed.html[(audience, language)] = html
        messages += own_messages(state, parts, pushed)
        from . import shared_view  # imports this module

        messages += shared_view.push_messages(state, parts)
    room = state.room
    return delivery.send(layer, room_id, room.revision, room.seq, messages, reload=reload)


def own_messages(state: RoomState, parts: frozenset[str], kept=None) -> list[tuple[str, dict]]:
    """Each connected person's own parts of this push, rendered for them in their language and
    stamped with the room's seq (a phone drops it when it shows a newer one). A socket in another
    language than the member's last one gets the `refresh` instead: it fetches its own view
    (views.mine), as every phone did after every push before (bench/README.md, issue #16)."""
    own = parts & OWN_PARTS
    if not own:
        return []
    messages = []
    refresh = None
    bases: dict[tuple[str, str], dict] = {}  # what does not depend on the person, once
    for member in state.members:
        mine = own & SCREEN_PARTS[member.audience]
        if not member.online or not mine:
            continue
        if refresh is None:
            refresh = render_to_string(
                f"{FRAGMENTS}#mine_refresh",
                {"room": state.room, "interaction_template": state.interaction.template},
            )
        with translation.override(member.language):
            base = None
            if member.audience != Audience.GUEST:  # guests see first names: their own context
                key = (member.audience, member.language)
                if key not in bases:
                    bases[key] = context(state, member.audience)
                base = bases[key]
            html = render_parts(state, member.audience, mine, member=member, meta=False, base=base)
        if kept is not None:
            kept.own[member.pk] = (member.language, html)
        messages.append(
            (
                sockets.member_group(member.pk),
                {
                    "type": "room.own",
                    "html": html,
                    "language": member.language,
                    "refresh": refresh,
                },
            )
        )
    return messages


def push_on_commit(room_id, parts: frozenset[str], reload: bool = False) -> None:
    # The change is committed whatever happens to its push (delivery.py: logged, resent).
    transaction.on_commit(
        lambda: delivery.committed(room_id, reload, lambda: push(room_id, parts, reload=reload))
    )


delivery.resend_room = lambda room_id, reload: push(room_id, EVERYTHING, reload=reload)
