"""The group's logbook: per meeting held, what the group may keep on record.

Date, method, facilitator, inbrenger, the case's title (its question and outcome only where the
inbrenger shares them: Case.share_in_logbook), step timings planned against actual, and the
evaluation figures. Read in a fixed number of queries, whatever the number of meetings.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Avg, Count, Prefetch, Q
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from cases.models import Case, CaseStatus
from common.documents import md_escape, md_table
from groups.models import Attendance, Group, Meeting, Role, RoleAssignment, display_name
from sessions_app.models import Evaluation, Room, StepRun


@dataclass(frozen=True)
class StepTiming:
    key: str
    name: str
    planned_minutes: float
    actual_minutes: float | None  # None while the step never ended

    @property
    def difference(self) -> float | None:
        if self.actual_minutes is None:
            return None
        return round(self.actual_minutes - self.planned_minutes, 1)


@dataclass
class LogbookEntry:
    meeting_id: str
    starts_at: datetime
    method: str
    method_slug: str
    facilitator: str
    inbrenger: str
    case_title: str
    case_question: str  # only where the inbrenger shares it
    case_follow_up: str  # idem
    present: int
    steps: list[StepTiming] = field(default_factory=list)
    evaluations: int = 0
    product_average: float | None = None
    process_average: float | None = None
    round: int = 1
    # A long meeting can discuss a second case, in a room of its own: its entry sits here, with
    # the same meeting date, facilitator and presence.
    more_rounds: list[LogbookEntry] = field(default_factory=list)

    @property
    def inbrengers(self) -> str:
        return ", ".join(e.inbrenger for e in [self, *self.more_rounds] if e.inbrenger)

    @property
    def planned_total(self) -> float:
        return round(sum(s.planned_minutes for s in self.steps), 1)

    @property
    def actual_total(self) -> float | None:
        done = [s.actual_minutes for s in self.steps if s.actual_minutes is not None]
        return round(sum(done), 1) if done else None


def held_meetings(group: Group):
    """Meetings that took place: marked done, or whose session room has ended."""
    return group.meetings.filter(
        Q(status=Meeting.Status.DONE) | Q(rooms__status=Room.Status.ENDED)
    ).distinct()


def _minutes(seconds: int | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def _step_timings(runs: list[StepRun]) -> list[StepTiming]:
    """One line per step, in the order first visited; a step visited twice (Back) adds up."""
    order: list[str] = []
    planned: dict[str, int] = {}
    actual: dict[str, int | None] = {}
    names: dict[str, str] = {}
    for run in runs:
        key = run.step.key
        if key not in planned:
            order.append(key)
            planned[key] = run.planned_seconds
            actual[key] = None
            names[key] = run.step.name
        seconds = run.actual_seconds
        if seconds is not None:
            actual[key] = (actual[key] or 0) + seconds
    return [
        StepTiming(k, names[k], _minutes(planned[k]) or 0.0, _minutes(actual[k])) for k in order
    ]


def build_logbook(group: Group, *, with_questions: bool = True) -> list[LogbookEntry]:
    """`with_questions`: for the group's members; the inbrenger shares their question with the
    group, not with the coordinator, who reads cases only with everyone's consent (and then on
    the case's page, where the read is recorded)."""
    roles = RoleAssignment.objects.filter(role__in=[Role.FACILITATOR, Role.INBRENGER])
    meetings = list(
        held_meetings(group)
        .select_related("method")
        .prefetch_related(
            Prefetch("roles", queryset=roles.select_related("user")),
            Prefetch(
                "rooms",
                queryset=Room.objects.select_related("method", "case", "facilitator").order_by(
                    "round"
                ),
            ),
        )
        .order_by("-starts_at")
    )
    ids = [m.pk for m in meetings]
    runs: dict = defaultdict(list)
    for run in (
        StepRun.objects.filter(room__meeting_id__in=ids)
        .select_related("step")
        .order_by("started_at", "pk")
    ):
        runs[run.room_id].append(run)
    evaluations = {
        row["room_id"]: row
        for row in Evaluation.objects.filter(room__meeting_id__in=ids)
        .values("room_id")
        .annotate(n=Count("pk"), product=Avg("product"), process=Avg("process"))
    }
    present = dict(
        Attendance.objects.filter(meeting_id__in=ids, present=True)
        .values("meeting_id")
        .annotate(n=Count("pk"))
        .values_list("meeting_id", "n")
    )
    # A meeting without a session room may still have its case on record.
    loose_cases: dict = {}
    for case in Case.objects.filter(
        meeting_id__in=ids, status__in=[CaseStatus.DISCUSSED, CaseStatus.FOLLOWED_UP]
    ).select_related("owner"):
        loose_cases.setdefault(case.meeting_id, case)

    entries = []
    for meeting in meetings:
        rooms = list(meeting.rooms.all()) or [None]
        facilitator = meeting.holder(Role.FACILITATOR) or (
            rooms[0].facilitator if rooms[0] else None
        )
        rounds = []
        for number, room in enumerate(rooms, start=1):
            case = room.case if room else None
            if number == 1:
                case = case or loose_cases.get(meeting.pk)
            inbrenger = meeting.holder(Role.INBRENGER, round=number)
            method = room.method if room else meeting.method
            figures = evaluations.get(room.pk) if room else None
            shared = with_questions and case is not None and case.share_in_logbook
            rounds.append(
                LogbookEntry(
                    meeting_id=str(meeting.pk),
                    starts_at=meeting.starts_at,
                    method=method.name if method else "",
                    method_slug=method.slug if method else "",
                    facilitator=display_name(facilitator) if facilitator else "",
                    inbrenger=display_name(inbrenger) if inbrenger else "",
                    case_title=case.title if case else "",
                    case_question=case.current_question if shared else "",
                    case_follow_up=case.follow_up if shared else "",
                    present=present.get(meeting.pk, 0),
                    steps=_step_timings(runs.get(room.pk, [])) if room else [],
                    evaluations=figures["n"] if figures else 0,
                    product_average=round(figures["product"], 1) if figures else None,
                    process_average=round(figures["process"], 1) if figures else None,
                    round=number,
                )
            )
        rounds[0].more_rounds = rounds[1:]
        entries.append(rounds[0])
    return entries


# ---- Exports ----------------------------------------------------------------------------------


def when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")


def number(value: float | None) -> str:
    """For Markdown: plain digits with a decimal point, whatever the language."""
    return "" if value is None else f"{value:g}"


def spreadsheet_number(value: float | None) -> str:
    """For CSV: empty when unknown, else with the active language's decimal sign, no grouping."""
    return "" if value is None else number_format(value, use_l10n=True, force_grouping=False)


def shown(value: float | None, digits: int = -1) -> str:
    """As the page shows it, in the active language's notation (4,5 or 4.5)."""
    return "–" if value is None else floatformat(value, digits)


def csv_header() -> list[str]:
    """The logbook's columns, in the active language (the reader's)."""
    return [
        _("Date"),
        _("Case round"),
        _("Method"),
        _("Facilitator"),
        _("Inbrenger"),
        _("Case"),
        _("Question"),
        _("What became of it"),
        _("Present"),
        _("Evaluations"),
        _("Product (average)"),
        _("Process (average)"),
        _("Planned minutes"),
        _("Actual minutes"),
        _("Steps (planned/actual minutes)"),
    ]


def all_rounds(entries: list[LogbookEntry]):
    """Every case round, a long meeting's second case right after its first."""
    for entry in entries:
        yield entry
        yield from entry.more_rounds


def csv_rows(entries: list[LogbookEntry]):
    """One row per case round; numbers as the reader's spreadsheet expects them (4,5 in Dutch)."""
    for e in all_rounds(entries):
        steps = "; ".join(
            f"{s.name}: {shown(s.planned_minutes)}/{shown(s.actual_minutes)}" for s in e.steps
        )
        yield [
            timezone.localtime(e.starts_at).strftime("%Y-%m-%d %H:%M"),
            e.round,
            e.method,
            e.facilitator,
            e.inbrenger,
            e.case_title,
            e.case_question,
            e.case_follow_up,
            e.present,
            e.evaluations,
            spreadsheet_number(e.product_average),
            spreadsheet_number(e.process_average),
            spreadsheet_number(e.planned_total),
            spreadsheet_number(e.actual_total),
            steps,
        ]


def logbook_markdown(group: Group, entries: list[LogbookEntry]) -> str:
    out = [f"# {_('Logbook')}: {md_escape(group.name)}", ""]
    if not entries:
        out.append(_("No meetings have been held yet."))
    for e in all_rounds(entries):
        heading = when(e.starts_at)
        if e.round > 1:
            heading = _("%(when)s, second case") % {"when": heading}
        out += [f"## {md_escape(heading)}", ""]
        rows = [
            (_("Method"), e.method),
            (_("Facilitator"), e.facilitator),
            (_("Inbrenger"), e.inbrenger),
            (_("Case"), e.case_title),
        ]
        if e.case_question:
            rows.append((_("Question"), e.case_question))
        if e.case_follow_up:
            rows.append((_("What became of it"), e.case_follow_up))
        rows.append((_("Present"), str(e.present)))
        if e.evaluations:
            rows.append(
                (
                    _("Evaluation"),
                    _("%(n)d evaluations, product %(product)s, process %(process)s")
                    % {
                        "n": e.evaluations,
                        "product": shown(e.product_average, 1),
                        "process": shown(e.process_average, 1),
                    },
                )
            )
        out += [f"- **{md_escape(k)}:** {md_escape(v)}" for k, v in rows if v]
        if e.steps:
            out += ["", f"### {_('Steps: planned and actual minutes')}", ""]
            out.append(
                md_table(
                    [_("Step"), _("Planned"), _("Actual")],
                    [[s.name, number(s.planned_minutes), number(s.actual_minutes)] for s in e.steps]
                    + [[_("Total"), number(e.planned_total), number(e.actual_total)]],
                )
            )
        out.append("")
    return "\n".join(out).rstrip() + "\n"
