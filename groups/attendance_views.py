"""Answering for a meeting (htmx on the member's home); the record itself: record_views.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

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
