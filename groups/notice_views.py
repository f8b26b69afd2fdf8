"""The notices on the home page: read them away, and the coordinator's "accept this date"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .changes import accept_proposal, may_settle
from .models import DateProposal
from .notifications import mark_read


@login_required
@require_POST
def accept_date(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = get_object_or_404(
        DateProposal.objects.select_related("meeting__group"), pk=proposal_id
    )
    if not may_settle(request.user, proposal.meeting):
        raise Http404  # strangers learn nothing about the group's meetings
    try:
        meeting = accept_proposal(proposal, by=request.user)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        messages.success(
            request,
            _("The meeting moved to %(when)s; everyone gets the new date by mail.")
            % {"when": date_format(timezone.localtime(meeting.starts_at), "l j F Y, H:i")},
        )
    return redirect("home")


@login_required
@require_POST
def read_notice(request: HttpRequest, notice_id: int | None = None) -> HttpResponse:
    mark_read(request.user, notice_id)
    return redirect("home")
