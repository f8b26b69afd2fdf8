"""Step timer arithmetic. The server keeps an absolute deadline, or the remaining seconds while
paused; it never ticks. Clients count down from the deadline themselves."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

EXTRA_SECONDS = 60  # what "+1 min" adds


@dataclass(frozen=True)
class Clock:
    deadline_at: datetime | None = None
    paused_remaining: float | None = None

    @property
    def paused(self) -> bool:
        return self.paused_remaining is not None

    @property
    def running(self) -> bool:
        return self.deadline_at is not None


def start(now: datetime, seconds: float) -> Clock:
    return Clock(deadline_at=now + timedelta(seconds=seconds))


def remaining(clock: Clock, now: datetime) -> float | None:
    """Seconds left; negative once time is up (the step does not end by itself)."""
    if clock.paused:
        return clock.paused_remaining
    if clock.deadline_at is None:
        return None
    return (clock.deadline_at - now).total_seconds()


def pause(clock: Clock, now: datetime) -> Clock:
    if clock.paused or clock.deadline_at is None:
        return clock
    return Clock(deadline_at=None, paused_remaining=remaining(clock, now))


def resume(clock: Clock, now: datetime) -> Clock:
    if not clock.paused:
        return clock
    return Clock(deadline_at=now + timedelta(seconds=clock.paused_remaining or 0))


def extend(clock: Clock, now: datetime, seconds: float = EXTRA_SECONDS) -> Clock:
    """+1 min. When time was already up, the extra minute counts from now, not from the past
    deadline: a facilitator who gives "one more minute" means one more minute."""
    if clock.paused:
        return replace(clock, paused_remaining=max(clock.paused_remaining or 0, 0) + seconds)
    if clock.deadline_at is None:
        return clock
    base = max(clock.deadline_at, now)
    return Clock(deadline_at=base + timedelta(seconds=seconds))
