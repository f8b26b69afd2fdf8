"""The rotation applied to a group's planned meetings at once, previewed before saving."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import Group, Meeting
from ..roles import max_case_rounds
from ..series_roles import apply_series_roles, plan_series_roles
from .shared import group_page


def planned_meetings(group: Group) -> list[Meeting]:
    return list(
        group.meetings.filter(status=Meeting.Status.PLANNED, starts_at__gt=timezone.now()).order_by(
            "starts_at"
        )
    )


class SeriesRolesMixin:
    """A view of GroupAdmin: "Roles for the series"."""

    def series_urls(self) -> list:
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/series-roles/",
                self.admin_site.admin_view(self.series_roles_view),
                name="{}_{}_series_roles".format(*info),
            )
        ]

    def series_roles_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        group = self.group_for_change(request, object_id)
        meetings = planned_meetings(group)
        two_cases = (request.POST if request.method == "POST" else request.GET).get(
            "two_cases"
        ) == "1"
        plans = plan_series_roles(group, meetings, two_cases=two_cases)
        if request.method == "POST":
            count = apply_series_roles(plans)
            self.log_change(request, group, _("Roles for the series assigned by the rotation."))
            messages.success(
                request,
                ngettext(
                    "%(n)d role assigned following the rotation.",
                    "%(n)d roles assigned following the rotation.",
                    count,
                )
                % {"n": count},
            )
            return HttpResponseRedirect(reverse("admin:groups_group_change", args=[group.pk]))
        return group_page(
            self,
            request,
            group,
            _("Roles for the series"),
            "series_roles.html",
            plans=plans,
            two_cases=two_cases,
            can_two_cases=any(max_case_rounds(m.duration_minutes) > 1 for m in meetings),
            changes=sum(len(p.changes) for p in plans),
        )
