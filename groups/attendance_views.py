"""Answering for a meeting (htmx on the member's home) and attendance on record."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from common.documents import csv_response, pdf_response

from .access import coordinated_group
from .accreditation import (
    attendance_record_pdf,
    attended_meetings,
    group_attendance_rows,
    period_label,
    total_hours,
)
from .attendance import propose_new_date, respond
from .forms import PeriodForm, ProposeDateForm
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


def _record_context(request: HttpRequest, user, pdf_url: str) -> dict:
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    meetings = attended_meetings(user, start, end)
    query = request.GET.urlencode() if form.is_bound and form.is_valid() else ""
    return {
        "member": user,
        "form": form,
        "meetings": meetings,
        "total": total_hours(meetings),
        "confirmed_total": total_hours(meetings, confirmed_only=True),
        "period": period_label(start, end),
        "pdf_url": f"{pdf_url}?{query}" if query else pdf_url,
    }


def _record_pdf(request: HttpRequest, user) -> HttpResponse:
    start, end = PeriodForm(request.GET or None).period()
    meetings = attended_meetings(user, start, end)
    filename = f"intervisie-attendance-{user.get_username()}.pdf"
    return pdf_response(attendance_record_pdf(user, meetings, start, end), filename)


@login_required
@require_GET
def attendance_record(request: HttpRequest) -> HttpResponse:
    context = _record_context(request, request.user, reverse("groups:attendance_record_pdf"))
    return render(request, "groups/attendance_record.html", context)


@login_required
@require_GET
def attendance_record_download(request: HttpRequest) -> HttpResponse:
    return _record_pdf(request, request.user)


def _coordinated_member(request: HttpRequest, group_id, user_id):
    """The coordinator prints a member's record for the register, as the member would."""
    group = coordinated_group(request.user, group_id)
    membership = get_object_or_404(
        Membership.objects.select_related("user"), group=group, user_id=user_id
    )
    return group, membership.user


@login_required
@require_GET
def member_record(request: HttpRequest, group_id, user_id) -> HttpResponse:
    group, user = _coordinated_member(request, group_id, user_id)
    pdf_url = reverse("groups:member_record_pdf", args=[group.pk, user.pk])
    context = {**_record_context(request, user, pdf_url), "group": group}
    return render(request, "groups/attendance_record.html", context)


@login_required
@require_GET
def member_record_download(request: HttpRequest, group_id, user_id) -> HttpResponse:
    _group, user = _coordinated_member(request, group_id, user_id)
    return _record_pdf(request, user)


@login_required
@require_GET
def group_attendance_csv(request: HttpRequest, group_id) -> HttpResponse:
    group = coordinated_group(request.user, group_id)
    filename = f"intervisie-attendance-{timezone.localdate():%Y-%m-%d}.csv"
    header, rows = group_attendance_rows(group)
    return csv_response(header, rows, filename)
