"""Planning a series of meetings for a group (the coordinator's "plan a series")."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Group, Meeting

COUNT_RANGE = range(1, 53)  # at most a year of weekly meetings at once
EVERY_WEEKS_RANGE = range(1, 27)  # at least twice a year
DURATION_RANGE = range(15, 481)  # a quarter of an hour up to a working day


@dataclass
class SeriesResult:
    created: list[Meeting] = field(default_factory=list)
    skipped: list[datetime] = field(default_factory=list)


def validate_series(
    first_start: datetime | None,
    every_weeks: int | None,
    count: int | None,
    duration_minutes: int | None,
) -> None:
    """Raise one ValidationError with a message per wrong field (keys match the plan form)."""
    errors: dict[str, str] = {}
    if count is None or count not in COUNT_RANGE:
        errors["count"] = _("Plan at least 1 and at most 52 meetings at a time.")
    if every_weeks is None or every_weeks not in EVERY_WEEKS_RANGE:
        errors["every_weeks"] = _("The interval must be between 1 and 26 weeks.")
    if duration_minutes is None or duration_minutes not in DURATION_RANGE:
        errors["duration_minutes"] = _("A meeting lasts between 15 and 480 minutes.")
    if first_start is None:
        errors["first_start"] = _("Give the date and time of the first meeting.")
    elif timezone.is_naive(first_start):
        errors["first_start"] = _("The first meeting needs a date and time with a time zone.")
    elif first_start <= timezone.now():
        errors["first_start"] = _("The first meeting must be in the future.")
    if errors:
        raise ValidationError(errors)


def series_starts(first_start: datetime, every_weeks: int, count: int) -> list[datetime]:
    """The start of every meeting, at the same local wall-clock time across DST changes."""
    local_first = timezone.localtime(first_start)
    # Arithmetic on a zoneinfo-aware datetime keeps the wall time; the offset follows the date.
    return [local_first + timedelta(weeks=every_weeks * n) for n in range(count)]


def plan_series(
    group: Group,
    first_start: datetime,
    every_weeks: int,
    count: int,
    duration_minutes: int,
    location: str = "",
    video_url: str = "",
) -> SeriesResult:
    """Create `count` meetings every `every_weeks` weeks, skipping days the group already meets.

    A cancelled meeting does not occupy its day: the date is free to plan again.
    All meetings are created in one transaction, so a failure leaves no half series behind.
    """
    validate_series(first_start, every_weeks, count, duration_minutes)
    starts = series_starts(first_start, every_weeks, count)
    result = SeriesResult()
    with transaction.atomic():
        busy_days = {
            timezone.localdate(starts_at)
            for starts_at in Meeting.objects.filter(
                group=group,
                starts_at__gte=starts[0] - timedelta(days=1),
                starts_at__lte=starts[-1] + timedelta(days=1),
            )
            .exclude(status=Meeting.Status.CANCELLED)
            .values_list("starts_at", flat=True)
        }
        to_create = []
        for starts_at in starts:
            if starts_at.date() in busy_days:
                result.skipped.append(starts_at)
                continue
            to_create.append(
                Meeting(
                    group=group,
                    starts_at=starts_at,
                    duration_minutes=duration_minutes,
                    location=location,
                    video_url=video_url,
                    method_id=group.default_method_id,
                )
            )
        result.created = Meeting.objects.bulk_create(to_create)
    return result
