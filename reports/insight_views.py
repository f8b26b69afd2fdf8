"""The group page (insight) and the logbook, for the group's members and its coordinator."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from common.documents import csv_response, markdown_response
from groups import consent
from groups.access import viewable_group
from groups.models import Meeting, Role
from groups.rsvp import rsvp_states

from .insight import build_insight, charts_for, short_date_format
from .logbook import build_logbook, csv_header, csv_rows, logbook_markdown


@login_required
@require_GET
def group_page(request: HttpRequest, group_id) -> HttpResponse:
    group = viewable_group(request.user, group_id)
    insight = build_insight(group)
    # Members answer for every planned meeting here, not only for the next one (home page).
    planned = list(
        group.meetings.filter(status=Meeting.Status.PLANNED, starts_at__gte=timezone.now())
        .prefetch_related("roles__user")
        .order_by("starts_at")
    )
    for meeting in planned:
        meeting.facilitator_user = meeting.holder(Role.FACILITATOR)
    is_member = group.is_member(request.user)
    states = rsvp_states(planned, request.user) if is_member else {}
    return render(
        request,
        "reports/group.html",
        {
            "group": group,
            "insight": insight,
            "charts": charts_for(insight, group),
            "is_coordinator": group.coordinator_id == request.user.pk,
            "consent": consent.state(group),
            "short_date": short_date_format(with_year=True),
            "is_member": is_member,
            "planned": [(meeting, states.get(meeting.pk)) for meeting in planned],
            "ical_url": request.build_absolute_uri(reverse("groups:ical", args=[group.ical_token])),
        },
    )


@login_required
@require_GET
def logbook(request: HttpRequest, group_id) -> HttpResponse:
    group = viewable_group(request.user, group_id)
    return render(
        request, "reports/logbook.html", {"group": group, "entries": _logbook(request, group)}
    )


def _logbook(request: HttpRequest, group) -> list:
    """Shared questions for the members only (logbook.py)."""
    return build_logbook(group, with_questions=group.is_member(request.user))


def _filename(extension: str) -> str:
    return f"intervisie-logbook-{timezone.localdate():%Y-%m-%d}.{extension}"


@login_required
@require_GET
def logbook_csv(request: HttpRequest, group_id) -> HttpResponse:
    group = viewable_group(request.user, group_id)
    return csv_response(csv_header(), csv_rows(_logbook(request, group)), _filename("csv"))


@login_required
@require_GET
def logbook_markdown_view(request: HttpRequest, group_id) -> HttpResponse:
    group = viewable_group(request.user, group_id)
    return markdown_response(logbook_markdown(group, _logbook(request, group)), _filename("md"))
