"""The coordinator's tools on a meeting's admin page, each previewed before it acts: accept a
member's proposed date (the meeting moves, everyone is told), apply the rotation's suggestion,
and mark everyone present after a meeting held without the session room."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..attendance import record_presence
from ..changes import accept_proposal
from ..models import Attendance, DateProposal, Meeting, display_name
from ..series_roles import apply_series_roles, plan_series_roles


class MeetingToolsMixin:
    def tool_urls(self) -> list:
        info = self.opts.app_label, self.opts.model_name
        views = [
            ("accept-date/<int:proposal_id>/", self.accept_date_view, "accept_date"),
            ("apply-rotation/", self.apply_rotation_view, "apply_rotation"),
            ("mark-present/", self.mark_present_view, "mark_present"),
        ]
        return [
            path(
                f"<path:object_id>/{route}",
                self.admin_site.admin_view(view),
                name="{}_{}_{}".format(*info, name),
            )
            for route, view, name in views
        ]

    def meeting_for_change(self, request: HttpRequest, object_id: str) -> Meeting:
        meeting = self.get_object(request, unquote(object_id))
        if meeting is None:
            raise Http404
        if not self.has_change_permission(request, meeting):
            raise PermissionDenied
        return meeting

    def _tool_page(self, request, meeting: Meeting, title: str, template: str, **context):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": str(meeting),
            "opts": self.opts,
            "original": meeting,
            "change_url": self._change_url(meeting),
            **context,
        }
        return TemplateResponse(request, f"admin/groups/meeting/{template}", context)

    @staticmethod
    def _change_url(meeting: Meeting) -> str:
        return reverse("admin:groups_meeting_change", args=[meeting.pk])

    def accept_date_view(self, request: HttpRequest, object_id: str, proposal_id: int):
        meeting = self.meeting_for_change(request, object_id)
        proposal = get_object_or_404(
            DateProposal.objects.select_related("proposed_by"), pk=proposal_id, meeting=meeting
        )
        if request.method == "POST":
            try:
                accept_proposal(proposal, by=request.user)
            except ValidationError as problem:
                messages.error(request, " ".join(problem.messages))
            else:
                self.log_change(request, meeting, _("Moved to a date a member proposed."))
                messages.success(
                    request,
                    _("The meeting moved to %(when)s; everyone gets the new date by mail.")
                    % {"when": date_format(timezone.localtime(proposal.starts_at), "l j F Y, H:i")},
                )
            return HttpResponseRedirect(self._change_url(meeting))
        return self._tool_page(
            request, meeting, _("Accept the proposed date"), "accept_date.html", proposal=proposal
        )

    def apply_rotation_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        meeting = self.meeting_for_change(request, object_id)
        plans = plan_series_roles(meeting.group, [meeting], two_cases=len(meeting.inbrengers()) > 1)
        if request.method == "POST":
            count = apply_series_roles(plans)
            self.log_change(request, meeting, _("Roles assigned by the rotation."))
            messages.success(
                request,
                ngettext(
                    "%(n)d role assigned following the rotation.",
                    "%(n)d roles assigned following the rotation.",
                    count,
                )
                % {"n": count},
            )
            return HttpResponseRedirect(self._change_url(meeting))
        return self._tool_page(
            request,
            meeting,
            _("Apply the rotation"),
            "apply_rotation.html",
            plan=plans[0] if plans else None,
        )

    def mark_present_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        meeting = self.meeting_for_change(request, object_id)
        if meeting.starts_at > timezone.now() or meeting.status == Meeting.Status.CANCELLED:
            messages.error(request, _("Presence is recorded once the meeting has taken place."))
            return HttpResponseRedirect(self._change_url(meeting))
        said_no = set(
            Attendance.objects.filter(
                meeting=meeting, response=Attendance.Response.NO, present__isnull=True
            ).values_list("user_id", flat=True)
        )
        members = list(meeting.group.active_members())
        coming = [u for u in members if u.pk not in said_no]
        if request.method == "POST":
            record_presence(
                meeting, [u.pk for u in coming], by=request.user, via=Attendance.Recorded.HAND
            )
            if meeting.status != Meeting.Status.DONE:
                meeting.status = Meeting.Status.DONE
                meeting.save(update_fields=["status", "updated_at"])
            self.log_change(request, meeting, _("Everyone marked present."))
            messages.success(
                request,
                ngettext(
                    "%(n)d member marked present. Untick anyone who was not there.",
                    "%(n)d members marked present. Untick anyone who was not there.",
                    len(coming),
                )
                % {"n": len(coming)},
            )
            return HttpResponseRedirect(self._change_url(meeting) + "#attendances-group")
        return self._tool_page(
            request,
            meeting,
            _("Mark everyone present"),
            "mark_present.html",
            coming=coming,
            cancelled=[display_name(u) for u in members if u.pk in said_no],
            own=request.user in coming,
        )
