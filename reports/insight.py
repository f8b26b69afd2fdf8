"""The group page's figures: the timeline, who gives and who takes, attendance, the evaluation
trend and step durations planned against actual. Built on the logbook (no case content)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from statistics import mean

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from groups.models import Attendance, Group, Meeting, Role, RoleAssignment, display_name

from . import charts
from .logbook import LogbookEntry, all_rounds, build_logbook, held_meetings


@dataclass
class MemberTally:
    name: str
    facilitated: int = 0
    brought: int = 0
    attended: int = 0

    @property
    def only_takes(self) -> bool:
        """Came several times but never gave: no facilitation, no case (source 002, pitfall 9)."""
        return self.attended >= 3 and self.facilitated == 0 and self.brought == 0


@dataclass(frozen=True)
class UpcomingMeeting:
    meeting_id: str
    starts_at: datetime
    facilitator: str
    inbrenger: str
    yes: int
    no: int


@dataclass(frozen=True)
class StepAverage:
    name: str
    planned: float
    actual: float | None
    runs: int


@dataclass
class GroupInsight:
    held: list[LogbookEntry]  # newest first
    upcoming: list[UpcomingMeeting]
    cancelled: int
    members: list[MemberTally]
    step_averages: dict[str, list[StepAverage]] = field(default_factory=dict)  # method → steps

    @property
    def chronological(self) -> list[LogbookEntry]:
        return list(reversed(self.held))

    @property
    def evaluated(self) -> list[LogbookEntry]:
        return [e for e in self.chronological if e.evaluations]


def short_date_format(with_year: bool = False) -> str:
    """Day and short month as the language writes them: "11 dec" in Dutch (months are not
    capitalised there), "11 Dec" in English. A translatable format string, as Django's own."""
    if with_year:
        return pgettext("short date with year", "j M Y")
    return pgettext("short date", "j M")


def short_date(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), short_date_format())


def build_insight(group: Group) -> GroupInsight:
    held = build_logbook(group)
    held_ids = [e.meeting_id for e in held]
    members = {u.pk: MemberTally(display_name(u)) for u in group.active_members()}
    for a in RoleAssignment.objects.filter(
        meeting_id__in=held_ids, role__in=[Role.FACILITATOR, Role.INBRENGER]
    ):
        tally = members.get(a.user_id)
        if tally is not None:
            if a.role == Role.FACILITATOR:
                tally.facilitated += 1
            else:
                tally.brought += 1
    for user_id, n in (
        Attendance.objects.filter(meeting_id__in=held_ids, present=True)
        .values("user_id")
        .annotate(n=Count("pk"))
        .values_list("user_id", "n")
    ):
        if user_id in members:
            members[user_id].attended = n

    roles = RoleAssignment.objects.filter(role__in=[Role.FACILITATOR, Role.INBRENGER])
    upcoming = [
        UpcomingMeeting(
            meeting_id=str(m.pk),
            starts_at=m.starts_at,
            facilitator=display_name(m.holder(Role.FACILITATOR))
            if m.holder(Role.FACILITATOR)
            else "",
            inbrenger=", ".join(display_name(u) for u in m.inbrengers()),
            yes=m.yes,
            no=m.no,
        )
        for m in group.meetings.filter(status=Meeting.Status.PLANNED, starts_at__gte=timezone.now())
        .exclude(pk__in=held_meetings(group).values("pk"))
        .annotate(
            yes=Count("attendances", filter=Q(attendances__response=Attendance.Response.YES)),
            no=Count("attendances", filter=Q(attendances__response=Attendance.Response.NO)),
        )
        .prefetch_related(Prefetch("roles", queryset=roles.select_related("user")))
        .order_by("starts_at")
    ]
    cancelled = group.meetings.filter(status=Meeting.Status.CANCELLED).count()
    return GroupInsight(
        held=held,
        upcoming=upcoming,
        cancelled=cancelled,
        members=sorted(members.values(), key=lambda t: t.name.lower()),
        step_averages=_step_averages(held),
    )


def _step_averages(held: list[LogbookEntry]) -> dict[str, list[StepAverage]]:
    """Per method, each step's average planned and actual minutes over the case rounds held."""
    planned: dict = defaultdict(lambda: defaultdict(list))
    actual: dict = defaultdict(lambda: defaultdict(list))
    names: dict = defaultdict(dict)
    for entry in all_rounds(held):
        for step in entry.steps:
            names[entry.method][step.key] = step.name
            planned[entry.method][step.key].append(step.planned_minutes)
            if step.actual_minutes is not None:
                actual[entry.method][step.key].append(step.actual_minutes)
    return {
        method: [
            StepAverage(
                name=names[method][key],
                planned=round(mean(planned[method][key]), 1),
                actual=round(mean(actual[method][key]), 1) if actual[method][key] else None,
                runs=len(planned[method][key]),
            )
            for key in steps
        ]
        for method, steps in names.items()
    }


# ---- Charts -----------------------------------------------------------------------------------


def charts_for(insight: GroupInsight, group: Group) -> dict:
    series = [
        charts.Series(_("facilitated"), "series-0"),
        charts.Series(_("brought a case"), "series-1"),
        charts.Series(_("attended"), "series-2"),
    ]
    result = {
        "members": charts.bar_chart(
            _("Who facilitated, who brought a case, who attended"),
            [(m.name, [m.facilitated, m.brought, m.attended]) for m in insight.members],
            series,
        )
        if insight.members
        else "",
    }
    chronological = insight.chronological
    size = len(insight.members) or 1
    result["attendance"] = (
        charts.column_chart(
            _("Present per meeting"),
            [(short_date(e.starts_at), e.present, max(size, e.present)) for e in chronological],
            charts.Series(_("present"), "series-0"),
        )
        if chronological
        else ""
    )
    evaluated = insight.evaluated
    result["evaluation"] = (
        charts.line_chart(
            _("Evaluation per meeting (1–5)"),
            [short_date(e.starts_at) for e in evaluated],
            [[e.product_average for e in evaluated], [e.process_average for e in evaluated]],
            [
                charts.Series(_("what it gave (product)"), "series-0"),
                charts.Series(_("how it went (process)"), "series-1"),
            ],
        )
        if evaluated
        else ""
    )
    step_series = [
        charts.Series(_("planned"), "series-3"),
        charts.Series(_("actual"), "series-1"),
    ]
    result["steps"] = [
        (
            method,
            steps,
            charts.bar_chart(
                _("%(method)s: minutes per step, planned and actual") % {"method": method},
                [(s.name, [s.planned, s.actual]) for s in steps],
                step_series,
                unit=" min",
            ),
        )
        for method, steps in insight.step_averages.items()
    ]
    return result
