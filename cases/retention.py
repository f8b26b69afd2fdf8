"""The group's retention period: after it, a case's texts go; the logbook's figures stay.

A case expires `case_retention_days` after the meeting that discussed it (or after it was
written, when it never came to a meeting). Removing keeps the rows — so the logbook still counts
meetings, step timings, votes and evaluation scores — but empties every text the inbrenger or the
group wrote about the case: its questions, preparation answers, notes and action plan here, and,
through the `case_purged` signal, what the rooms that discussed it hold (questions, board items,
pick reasons, storingen, evaluation remarks, drafts in a step's state, guests' names: see
sessions_app/retention.py). The `retention_due` signal lets the rooms forget the same for
meetings where no case was chosen.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import PREPARATION_FIELDS, ActionPlan, Case
from .signals import case_purged, retention_due

REMOVED = "[verwijderd]"

# Required texts get the marker, so a page still reads as "there was something here".
CASE_MARKED = ("title", "working_question")
CASE_EMPTIED = (
    "reformulated_question",
    "description",
    *PREPARATION_FIELDS,
    "private_notes",
    "follow_up",
)
PLAN_EMPTIED = ("specific", "measurable", "acceptable", "realistic", "time_bound", "first_step")

CASES = _("cases")
ACTION_PLANS = _("action plans")


@dataclass
class Purge:
    """What a retention run cleared (or, in a dry run, would clear), counted per kind."""

    counts: Counter = field(default_factory=Counter)

    def add(self, counts: dict) -> None:
        for kind, n in counts.items():
            self.counts[str(kind)] += n

    @property
    def cases(self) -> int:
        return self.counts[str(CASES)]

    def lines(self) -> list[str]:
        """'12 questions', one line per kind that has anything, in a stable order."""
        return [f"{n} {kind}" for kind, n in self.counts.items() if n]


def expired_cases(now: datetime | None = None):
    """Cases of groups with a retention period whose period is over and whose texts remain."""
    now = now or timezone.now()
    candidates = (
        Case.objects.filter(
            group__case_retention_days__isnull=False, contents_purged_at__isnull=True
        )
        .select_related("group", "meeting")
        .order_by("created_at")
    )
    for case in candidates:
        since = case.meeting.starts_at if case.meeting_id else case.created_at
        if since + timedelta(days=case.group.case_retention_days) <= now:
            yield case


def _receivers_counts(responses) -> Counter:
    counts: Counter = Counter()
    for _receiver, counted in responses:
        for kind, n in (counted or {}).items():
            counts[str(kind)] += n
    return counts


def purge_case(case: Case, now: datetime, dry_run: bool = False) -> Counter:
    """Empty one case's texts and, through `case_purged`, its rooms'. One transaction."""
    plans = ActionPlan.objects.filter(case=case)
    counts: Counter = Counter({str(CASES): 1, str(ACTION_PLANS): plans.count()})
    if dry_run:
        counts += _receivers_counts(case_purged.send(sender=Case, case=case, now=now, dry_run=True))
        return counts
    with transaction.atomic():
        for name in CASE_MARKED:
            setattr(case, name, REMOVED)
        for name in CASE_EMPTIED:
            setattr(case, name, "")
        case.contents_purged_at = now
        case.save(update_fields=[*CASE_MARKED, *CASE_EMPTIED, "contents_purged_at", "updated_at"])
        plans.update(**dict.fromkeys(PLAN_EMPTIED, ""), first_step_on=None)
        counts += _receivers_counts(
            case_purged.send(sender=Case, case=case, now=now, dry_run=False)
        )
    return counts


def purge_expired(now: datetime | None = None, dry_run: bool = False) -> tuple[list[Case], Purge]:
    """Every expired case, then whatever else the group's retention lets go. With `dry_run`,
    only counts what would go."""
    now = now or timezone.now()
    cases = list(expired_cases(now))
    total = Purge()
    for case in cases:
        total.add(purge_case(case, now, dry_run=dry_run))
    with transaction.atomic():
        total.add(_receivers_counts(retention_due.send(sender=Case, now=now, dry_run=dry_run)))
    return cases, total
