"""The rules for a meeting's roles, as one check over all of its rows at once.

The database refuses a second facilitator or a second inbrenger in the same case round (a
constraint), but a refusal there is a server error. Every screen that edits roles checks the whole
set here first, so the coordinator reads which row is wrong and why, in their own language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import SINGLE_HOLDER_ROLES, Role

# Two cases, each with its own method run, fit in a meeting of two hours or more.
TWO_ROUNDS_MIN_MINUTES = 120


@dataclass(frozen=True)
class RoleRow:
    role: str
    user_id: int
    name: str
    round: int = 1


def max_case_rounds(minutes: int | None) -> int:
    return 2 if (minutes or 0) >= TWO_ROUNDS_MIN_MINUTES else 1


def role_problems(rows: Sequence[RoleRow], minutes: int | None) -> dict[int, str]:
    """A message per row index that breaks a rule; empty when the set of roles is sound.

    Rows are judged in order, so of two clashing rows the second one gets the message.
    """
    problems: dict[int, str] = {}
    holders: dict[tuple[str, int], RoleRow] = {}
    held: dict[tuple[int, str], RoleRow] = {}
    rounds = max_case_rounds(minutes)
    for index, row in enumerate(rows):
        message = _row_problem(row, holders, held, rounds, minutes)
        if message:
            problems[index] = message
            continue
        holders.setdefault((row.role, row.round), row)
        held.setdefault((row.user_id, row.role), row)

    facilitator = holders.get((Role.FACILITATOR, 1))
    first_case = holders.get((Role.INBRENGER, 1))
    for index, row in enumerate(rows):
        if index in problems or row.role != Role.INBRENGER:
            continue
        if facilitator and row.user_id == facilitator.user_id:
            problems[index] = _(
                "%(name)s facilitates this meeting and cannot bring a case as well."
            ) % {"name": row.name}
        elif row.round == 2 and first_case is None:
            problems[index] = _("Fill in who brings the first case before the second one.")
    return problems


def _row_problem(row: RoleRow, holders: dict, held: dict, rounds: int, minutes) -> str:
    if row.round != 1 and row.role != Role.INBRENGER:
        return _(
            "Only an inbrenger belongs to a case round; the other roles are for the whole "
            "meeting. Choose the first case for this row."
        )
    if row.round == 2 and rounds < 2:
        return _(
            "A second case needs a meeting of at least %(needed)d minutes; this one lasts "
            "%(minutes)d."
        ) % {"needed": TWO_ROUNDS_MIN_MINUTES, "minutes": minutes or 0}
    same = held.get((row.user_id, row.role))
    if same is not None:
        if row.role == Role.INBRENGER:
            return _("%(name)s already brings a case in this meeting.") % {"name": row.name}
        return _("%(name)s already has this role.") % {"name": row.name}
    if row.role not in SINGLE_HOLDER_ROLES:
        return ""
    other = holders.get((row.role, row.round))
    if other is None:
        return ""
    if row.role == Role.INBRENGER and row.round == 1:
        if rounds > 1 and (Role.INBRENGER, 2) not in holders:
            return _(
                "%(other)s already brings the first case. Put %(name)s in the second case "
                "round, or remove one of the two rows."
            ) % {"other": other.name, "name": row.name}
        return _(
            "%(other)s already brings the case of this meeting. A meeting of %(minutes)d "
            "minutes has room for one case (two need at least %(needed)d minutes)."
        ) % {"other": other.name, "minutes": minutes or 0, "needed": TWO_ROUNDS_MIN_MINUTES}
    if row.role == Role.INBRENGER:
        return _("%(other)s already brings the second case.") % {"other": other.name}
    return _("%(other)s is already the %(role)s of this meeting; a meeting has one.") % {
        "other": other.name,
        "role": Role(row.role).label,
    }
