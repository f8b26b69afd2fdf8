"""A member's decisions about their group's contract: read it, and agree (or not) that the
coordinator may read the group's cases. Only active members decide, each for themselves."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import consent
from .models import Group, Membership


def _membership(request: HttpRequest, group_id) -> Membership:
    """The user's active membership of the group, or 404 (nothing about other groups)."""
    return get_object_or_404(
        Membership.objects.select_related("group", "group__coordinator"),
        group_id=group_id,
        user=request.user,
        active=True,
    )


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("home")


@login_required
@require_POST
def contract_read(request: HttpRequest, group_id) -> HttpResponse:
    membership = _membership(request, group_id)
    if membership.contract_seen_at is None:
        membership.contract_seen_at = timezone.now()
        membership.save(update_fields=["contract_seen_at"])
    return _back(request)


@login_required
@require_POST
def agree(request: HttpRequest, group_id) -> HttpResponse:
    group: Group = _membership(request, group_id).group
    if consent.agree(group, request.user) is None:
        # The request was withdrawn (or the coordinator changed) while the page was open.
        messages.info(
            request, _("The coordinator no longer asks to read cases: nothing to agree to.")
        )
        return _back(request)
    if consent.coordinator_may_read(group):
        messages.success(
            request,
            _("Thank you. Every member agreed: the coordinator may now read the group's cases."),
        )
    else:
        messages.success(
            request,
            _("Thank you, your agreement is recorded. It takes effect once every member agrees."),
        )
    return _back(request)


@login_required
@require_POST
def withdraw(request: HttpRequest, group_id) -> HttpResponse:
    group: Group = _membership(request, group_id).group
    if not consent.withdraw(group, request.user):
        raise Http404
    messages.success(
        request,
        _("Withdrawn. From now on the coordinator cannot read the cases of %(group)s.")
        % {"group": group.name},
    )
    return _back(request)
