"""Plan a meeting: the method's own minutes per step, with the opening and the closing around it.

A method keeps the durations its hand-out gives (each step's default) whenever the meeting has
the time: spare minutes are never spread over the steps — they are the opening (welcome,
storingen) and the closing, shown as such. Only when the meeting is too short for the method plus
a minimal opening and closing do the steps give up minutes, each in proportion to the room it has
(default − minimum), whole minutes rounded with the largest-remainder method. The facilitator
may set the minutes of any step; those are kept as they are.

A step that a branch can skip (Incidentmethode 6, only after a reformulated question) is planned,
and the plan says how much shorter the method is without it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

if TYPE_CHECKING:
    from .models import Method, Step

PlanStatus = Literal["exact", "shrunk", "too_short", "room", "chosen"]

# Minutes a meeting keeps at least for its opening and closing before steps are shortened.
FRAME_MINUTES = 10


@dataclass(frozen=True)
class StepRange:
    """How long one step may take, in minutes."""

    key: str
    default: int
    minimum: int
    maximum: int

    def __post_init__(self) -> None:
        if not 0 <= self.minimum <= self.default <= self.maximum:
            raise ValueError(
                f"Step {self.key!r}: minutes must satisfy 0 ≤ minimum ≤ default ≤ maximum, "
                f"got {self.minimum}, {self.default}, {self.maximum}."
            )

    @classmethod
    def from_step(cls, step: Step) -> StepRange:
        return cls(
            key=step.key,
            default=step.default_minutes,
            minimum=step.min_minutes,
            maximum=step.max_minutes,
        )


@dataclass(frozen=True)
class DurationPlan:
    minutes: dict[str, int]  # step key → planned minutes, in step order
    total: int
    available: int
    fits: bool
    status: PlanStatus
    message: str

    def planned_for(self, key: str) -> int:
        try:
            return self.minutes[key]
        except KeyError:
            raise KeyError(f"No step {key!r} in this plan.") from None


def plan_durations(steps: Sequence[StepRange], available_minutes: int) -> DurationPlan:
    """Planned minutes per step within `available_minutes`: the defaults when they fit (the rest
    is left over, never spread over the steps), else shortened toward the minimums."""
    if available_minutes <= 0:
        raise ValueError(f"Available minutes must be positive, got {available_minutes}.")
    if not steps:
        raise ValueError("A method needs at least one step to plan.")
    keys = [step.key for step in steps]
    if len(set(keys)) != len(keys):
        raise ValueError(f"Step keys must be unique, got {keys}.")

    least = sum(step.minimum for step in steps)
    usual = sum(step.default for step in steps)
    available = available_minutes

    if available < least:
        return _plan(
            steps,
            [step.minimum for step in steps],
            available,
            "too_short",
            _("This method needs at least %(needed)d minutes; you have %(available)d.")
            % {"needed": least, "available": available},
        )
    if available == usual:
        return _plan(
            steps,
            [step.default for step in steps],
            available,
            "exact",
            ngettext(
                "The method fits exactly in %(available)d minute.",
                "The method fits exactly in %(available)d minutes.",
                available,
            )
            % {"available": available},
        )
    if available < usual:
        cuts = _share(usual - available, [step.default - step.minimum for step in steps])
        return _plan(
            steps,
            [step.default - cut for step, cut in zip(steps, cuts, strict=True)],
            available,
            "shrunk",
            ngettext(
                "Steps are shortened by %(minutes)d minute in all to fit %(available)d minutes.",
                "Steps are shortened by %(minutes)d minutes in all to fit %(available)d minutes.",
                usual - available,
            )
            % {"minutes": usual - available, "available": available},
        )
    left = available - usual
    return _plan(
        steps,
        [step.default for step in steps],
        available,
        "room",
        ngettext(
            "%(left)d minute left for opening and closing.",
            "%(left)d minutes left for opening and closing.",
            left,
        )
        % {"left": left},
    )


def plan_method(method: Method, available_minutes: int) -> DurationPlan:
    """The plan for a method's steps (prefetch `steps` to plan many methods cheaply)."""
    return plan_durations([StepRange.from_step(s) for s in method.steps.all()], available_minutes)


def frame_split(rest: int) -> tuple[int, int]:
    """The minutes around the method as (opening, closing): the opening gets the larger half,
    the closing whole five minutes once there are ten or more."""
    rest = max(0, rest)
    closing = rest // 10 * 5 if rest >= 10 else rest // 2
    return rest - closing, closing


def optional_keys(steps: Sequence[Step]) -> list[str]:
    """Steps a branch skips on "no" (those after the branching step, before its target): they
    run only when the answer is yes."""
    keys = [step.key for step in steps]
    optional: list[str] = []
    for index, step in enumerate(steps):
        target = step.branch_if_no
        if target and target in keys and keys.index(target) > index:
            optional += keys[index + 1 : keys.index(target)]
    return optional


@dataclass(frozen=True)
class MeetingPlan:
    """A whole meeting: opening, the method's steps, closing."""

    steps: DurationPlan
    meeting: int  # minutes the meeting lasts
    opening: int
    closing: int
    optional: tuple[str, ...]  # step keys that may be skipped (a branch)
    chosen: bool  # the facilitator set the minutes

    @property
    def minutes(self) -> dict[str, int]:
        return self.steps.minutes

    @property
    def total(self) -> int:
        return self.steps.total

    @property
    def fits(self) -> bool:
        return self.steps.fits and self.total <= self.meeting

    @property
    def total_without_optional(self) -> int:
        return self.total - sum(self.minutes[key] for key in self.optional)

    @property
    def message(self) -> str:
        if not self.steps.fits:
            return self.steps.message
        if self.total > self.meeting:
            over = self.total - self.meeting
            return ngettext(
                "These steps take %(over)d minute more than the %(meeting)d-minute meeting.",
                "These steps take %(over)d minutes more than the %(meeting)d-minute meeting.",
                over,
            ) % {"over": over, "meeting": self.meeting}
        if self.opening + self.closing == 0:
            return _("The steps fill the whole meeting: no time is left to open and close.")
        parts = {"opening": self.opening, "closing": self.closing, "total": self.total}
        if self.steps.status == "shrunk":
            return (
                _(
                    "The meeting is short for this method: its steps are shortened to "
                    "%(total)d minutes, leaving %(opening)d minutes to open and %(closing)d "
                    "to close."
                )
                % parts
            )
        return (
            _(
                "The method takes %(total)d minutes as its steps describe; %(opening)d minutes "
                "remain to open the meeting and %(closing)d to close it."
            )
            % parts
        )


def plan_meeting(
    steps: Sequence[Step], meeting_minutes: int, chosen: dict[str, int] | None = None
) -> MeetingPlan:
    """The plan of a meeting of `meeting_minutes` with these method steps (in order).

    `chosen`: minutes the facilitator set per step key; they are kept whatever they are, and the
    other steps keep their defaults. Without them the method keeps its defaults, shortened only
    when the meeting cannot hold them plus FRAME_MINUTES to open and close."""
    ranges = [StepRange.from_step(step) for step in steps]
    optional = tuple(optional_keys(steps))
    if chosen:
        minutes = [max(1, int(chosen.get(r.key, r.default))) for r in ranges]
        total = sum(minutes)
        plan = DurationPlan(
            minutes={r.key: m for r, m in zip(ranges, minutes, strict=True)},
            total=total,
            available=meeting_minutes,
            fits=True,
            status="chosen",
            message="",
        )
    else:
        usual = sum(r.default for r in ranges)
        least = sum(r.minimum for r in ranges)
        room_for_method = meeting_minutes - FRAME_MINUTES
        if usual > room_for_method and least <= room_for_method:
            plan = plan_durations(ranges, room_for_method)
        else:
            plan = plan_durations(ranges, max(1, meeting_minutes))
    opening, closing = frame_split(meeting_minutes - plan.total)
    return MeetingPlan(
        steps=plan,
        meeting=meeting_minutes,
        opening=opening,
        closing=closing,
        optional=optional,
        chosen=bool(chosen),
    )


def _plan(
    steps: Sequence[StepRange], minutes: list[int], available: int, status: PlanStatus, message: str
) -> DurationPlan:
    return DurationPlan(
        minutes={step.key: m for step, m in zip(steps, minutes, strict=True)},
        total=sum(minutes),
        available=available,
        fits=status != "too_short",
        status=status,
        message=message,
    )


def _share(amount: int, rooms: list[int]) -> list[int]:
    """Split `amount` whole minutes over steps in proportion to their room (largest remainder).

    Callers guarantee 0 < amount ≤ sum(rooms), so no step gets more than its room: an exact share
    x ≤ room rounds up to at most room, and only shares with a fraction are rounded up.
    """
    total_room = sum(rooms)
    shares: list[int] = []
    remainders: list[int] = []
    for room in rooms:
        share, remainder = divmod(amount * room, total_room)  # integer maths: no float drift
        shares.append(share)
        remainders.append(remainder)
    # Ties go to the step with more room, then to the earlier step: deterministic.
    order = sorted(range(len(rooms)), key=lambda i: (-remainders[i], -rooms[i], i))
    for i in order[: amount - sum(shares)]:
        shares[i] += 1
    return shares
