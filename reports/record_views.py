"""Attendance on record: a member's own, and the coordinator's copy for the register (PDF, CSV)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from common.documents import csv_response, pdf_response
from groups.access import coordinated_group
from groups.models import Membership

from .accreditation import (
    attendance_record_pdf,
    attended_meetings,
    group_attendance_rows,
    period_label,
    total_hours,
)
from .forms import PeriodForm


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
    return render(request, "reports/attendance_record.html", context)


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
    return render(request, "reports/attendance_record.html", context)


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
