"""Answering for a meeting (htmx on the member's home) and attendance on record."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from intervisie.documents import csv_response, pdf_response

from .access import coordinated_group
from .accreditation import (
    ATTENDANCE_CSV_HEADER,
    attendance_record_pdf,
    attended_meetings,
    group_attendance_rows,
    total_hours,
)
from .attendance import propose_new_date, respond
from .forms import ProposeDateForm
from .models import Meeting, Membership
from .rsvp import rsvp_states

RSVP_TEMPLATE = "groups/rsvp.html"


def _member_meeting(request: HttpRequest, meeting_id) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("group"), pk=meeting_id)
    is_member = Membership.objects.filter(
        group_id=meeting.group_id, user=request.user, active=True
    ).exists()
    if not is_member:
        raise Http404
    return meeting


def _rsvp_response(request: HttpRequest, meeting: Meeting, status: int = 200, **changes):
    state = rsvp_states([meeting], request.user)[meeting.pk]
    for key, value in changes.items():
        setattr(state, key, value)
    return render(request, RSVP_TEMPLATE, {"rsvp": state}, status=status)


@login_required
@require_POST
def rsvp(request: HttpRequest, meeting_id) -> HttpResponse:
    meeting = _member_meeting(request, meeting_id)
    if meeting.status != Meeting.Status.PLANNED:
        message = _("This meeting no longer takes answers.")
        if request.htmx:
            return _rsvp_response(request, meeting, message=message)
        messages.error(request, message)
        return redirect("home")
    try:
        outcome = respond(meeting, request.user, request.POST.get("response", ""))
    except ValueError as problem:
        if request.htmx:
            return _rsvp_response(request, meeting, status=200, message=str(problem))
        messages.error(request, str(problem))
        return redirect("home")
    if not request.htmx:
        (messages.warning if outcome.must_propose_date else messages.success)(
            request, outcome.message
        )
        return redirect("home")
    changes = {"message": outcome.message}
    if outcome.must_propose_date:
        changes["must_propose"] = True
    return _rsvp_response(request, meeting, **changes)


@login_required
@require_POST
def propose_date(request: HttpRequest, meeting_id) -> HttpResponse:
    meeting = _member_meeting(request, meeting_id)
    form = ProposeDateForm(request.POST)
    if form.is_valid():
        try:
            propose_new_date(
                meeting, request.user, form.cleaned_data["starts_at"], form.cleaned_data["note"]
            )
        except ValueError as problem:
            form.add_error("starts_at", str(problem))
    if form.is_valid():
        message = _("Thank you: the group sees your proposal.")
        if not request.htmx:
            messages.success(request, message)
            return redirect("home")
        return _rsvp_response(request, meeting, message=message, proposed=True)
    if not request.htmx:
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect("home")
    return _rsvp_response(request, meeting, form=form)


# ---- Attendance on record ---------------------------------------------------------------------


@login_required
@require_GET
def attendance_record(request: HttpRequest) -> HttpResponse:
    meetings = attended_meetings(request.user)
    return render(
        request,
        "groups/attendance_record.html",
        {"meetings": meetings, "total": total_hours(meetings)},
    )


@login_required
@require_GET
def attendance_record_download(request: HttpRequest) -> HttpResponse:
    meetings = attended_meetings(request.user)
    filename = f"intervisie-attendance-{request.user.get_username()}.pdf"
    return pdf_response(attendance_record_pdf(request.user, meetings), filename)


@login_required
@require_GET
def group_attendance_csv(request: HttpRequest, group_id) -> HttpResponse:
    group = coordinated_group(request.user, group_id)
    filename = f"intervisie-attendance-{timezone.localdate():%Y-%m-%d}.csv"
    return csv_response(ATTENDANCE_CSV_HEADER, group_attendance_rows(group), filename)
