"""A question round when people come and go (online and hybrid meetings, sessions_app/roll.py):
the first turn of a step falls on the first one here, whoever had the turn and dropped out is
skipped and the group told, people the facilitator marks present are put back, and a round under
way holds the raised hands (sessions_app/hands.py)."""

from django.utils.translation import gettext as _

from .. import roll
from ..models import HELPING_AUDIENCES, RoomMember
from .turns import Turns


def _participants(members) -> list[RoomMember]:
    return [m for m in members if m.audience in HELPING_AUDIENCES]


def enter(room, run, now) -> None:
    """The step begins: store its first turn, on the first one here (see Turns.settle)."""
    from ..online import mode_of

    participants = _participants(
        RoomMember.objects.filter(room=room).select_related("user").order_by("joined_at")
    )
    turns = Turns.of(run, run.step.options or {}, [m.pk for m in participants])
    if turns.settle(roll.present_ids(participants, mode_of(room), now)):
        turns.save(run)  # else it stays derived, as in a room where everyone is there


def presence_changed(room, run, members, present: set[int]) -> str:
    """Someone's grace period ended or the facilitator changed a mark: skip whoever had the turn
    and is gone. Returns what the group is told ("" when nothing changed)."""
    participants = _participants(members)
    turns = Turns.of(run, run.step.options or {}, [m.pk for m in participants])
    holder = turns.drop_out([m.pk for m in participants], run.pk, present)
    if holder is None:
        return ""
    turns.save(run)
    name = next((m.name for m in participants if m.pk == holder), "")
    return _("%(name)s is no longer connected: their turn is skipped.") % {"name": name}


def put_back_members(run, members, present: set[int], returned: set[int]) -> None:
    """The facilitator marked people present: whoever was passed over in this round gets the
    turn after the current one."""
    participants = _participants(members)
    turns = Turns.of(run, run.step.options or {}, [m.pk for m in participants])
    if any([turns.put_back(m) for m in returned]):
        turns.settle(present)
        turns.save(run)


def rounds_running(run) -> bool:
    """Whether a round is under way: a raised hand waits until it ends (sessions_app/hands.py)."""
    saved = run.state or {}
    if "order" not in saved:
        return False
    turns = Turns(**{k: saved[k] for k in Turns.__dataclass_fields__ if k in saved})
    return not turns.ended and not turns.untouched()
