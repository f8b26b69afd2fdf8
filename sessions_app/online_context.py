"""What the room's online parts show, per audience: the word (raised hands), the roll call and
the video link. Built from a loaded RoomState, without queries; what only the facilitator may
see (the subject of a raised hand) never enters another audience's context."""

from dataclasses import dataclass

from django.urls import reverse

from . import hands, roll
from .models import Audience, RoomMember

SHARED_VIEW = "screen"  # the beamer / shared-screen view's audience (sessions_app/shared_view.py)


# Reversed once per render, not once per row and button: these parts go out with every push.
FLOOR_URLS = {"give": "rooms:word_give", "back": "rooms:word_back", "lower": "rooms:hand_lower"}
ROLL_URLS = {"mark": "rooms:roll_mark", "place": "rooms:place"}


def _urls(state, names: dict[str, str]) -> dict[str, str]:
    return {key: reverse(name, args=[state.room.pk]) for key, name in names.items()}


@dataclass
class HandRow:
    member: RoomMember
    place: int
    here: bool
    subject: str = ""  # the facilitator's screen only


def floor_of(state) -> hands.Floor:
    return hands.Floor.of(state.room.floor, state.room.step_run_id)


def rounds_running(state) -> bool:
    """A question round under way holds the word (hands.may_give)."""
    from .interactions import round_presence

    if state.room.status != "running" or state.step is None or state.run is None:
        return False
    return state.step.kind == "question_round" and round_presence.rounds_running(state.run)


def may_raise(state, audience: str) -> bool:
    """Everyone but the facilitator may raise a hand, on every step; not the inbrenger while
    the group talks about them and they only listen; not the shared view (no controls)."""
    if state.room.status == "ended" or audience in (Audience.FACILITATOR, SHARED_VIEW):
        return False
    listening = state.room.status == "running" and state.step and state.step.inbrenger_listens_only
    return not (audience == Audience.INBRENGER and listening)


def floor_view(state, audience: str) -> dict:
    floor = floor_of(state)
    by_id = {m.pk: m for m in state.members}
    present = state.present_ids
    facilitator = audience == Audience.FACILITATOR
    queue = [
        HandRow(
            member=by_id[hand.member],
            place=index + 1,
            here=hand.member in present,
            subject=hand.subject if facilitator else "",
        )
        for index, hand in enumerate(floor.queue)
        if hand.member in by_id
    ]
    held = rounds_running(state)
    return {
        "online": state.mode in roll.ONLINE_MODES,
        "speaker": by_id.get(floor.speaker),
        "since": floor.since,
        "subject": floor.subject if facilitator else "",
        "left": by_id.get(floor.left),
        "queue": queue,
        "queue_ids": " ".join(str(row.member.pk) for row in queue),
        "held": held,
        "may_give": hands.may_give(held),
        "next": next((row for row in queue if row.here), None),
        "may_raise": may_raise(state, audience),
        "subject_length": hands.SUBJECT_LENGTH,
        "urls": _urls(state, FLOOR_URLS),
    }


@dataclass
class RollRow:
    member: RoomMember
    status: str  # roll.status_of
    place: str  # roll.place_of: "room", "online", "" (not said)
    takes_part: bool


def roll_view(state) -> dict:
    """The facilitator's roll call: who is connected, marked, in the room or away, and where."""
    mode = state.mode
    rows = [
        RollRow(
            member=m,
            status=roll.status_of(m, mode, state.now),
            place=roll.place_of(mode, m.place),
            takes_part=m.pk in state.present_ids,
        )
        for m in state.members
        if m.audience != Audience.FACILITATOR
    ]
    return {
        "rows": rows,
        "online": mode in roll.ONLINE_MODES,
        "hybrid": mode == roll.HYBRID,
        "in_room": sum(1 for r in rows if r.place == roll.ROOM),
        "remote": sum(1 for r in rows if r.place == roll.REMOTE),
        "unknown": sum(1 for r in rows if not r.place),
        "taking_part": sum(1 for r in rows if r.takes_part),
        "urls": _urls(state, ROLL_URLS),
    }
