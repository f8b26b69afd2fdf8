"""Fit a method into the time a meeting has: each step stays within its own minimum–maximum.

Short on time, every step gives up minutes in proportion to the room it has (default − minimum);
with time to spare, every step grows in proportion to (maximum − default). Whole minutes only,
rounded with the largest-remainder method so the steps add up to exactly the minutes available.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

if TYPE_CHECKING:
    from .models import Method, Step

PlanStatus = Literal["exact", "shrunk", "stretched", "too_short", "slack"]


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
    """Planned minutes per step for a meeting part of `available_minutes`."""
    if available_minutes <= 0:
        raise ValueError(f"Available minutes must be positive, got {available_minutes}.")
    if not steps:
        raise ValueError("A method needs at least one step to plan.")
    keys = [step.key for step in steps]
    if len(set(keys)) != len(keys):
        raise ValueError(f"Step keys must be unique, got {keys}.")

    least = sum(step.minimum for step in steps)
    usual = sum(step.default for step in steps)
    most = sum(step.maximum for step in steps)
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
    if available > most:
        left = available - most
        return _plan(
            steps,
            [step.maximum for step in steps],
            available,
            "slack",
            ngettext(
                "%(left)d minute left for opening and closing.",
                "%(left)d minutes left for opening and closing.",
                left,
            )
            % {"left": left},
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
    extras = _share(available - usual, [step.maximum - step.default for step in steps])
    return _plan(
        steps,
        [step.default + extra for step, extra in zip(steps, extras, strict=True)],
        available,
        "stretched",
        ngettext(
            "Steps are lengthened by %(minutes)d minute in all to fill %(available)d minutes.",
            "Steps are lengthened by %(minutes)d minutes in all to fill %(available)d minutes.",
            available - usual,
        )
        % {"minutes": available - usual, "available": available},
    )


def plan_method(method: Method, available_minutes: int) -> DurationPlan:
    """The plan for a method's steps (prefetch `steps` to plan many methods cheaply)."""
    return plan_durations([StepRange.from_step(s) for s in method.steps.all()], available_minutes)


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
