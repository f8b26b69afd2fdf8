"""The coordinator's admin for meetings: roles, attendance and date proposals."""

from django.contrib import admin
from django.db import models
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import (
    Meeting,
    Role,
    RoleAssignment,
    display_name,
)
from .meeting_inlines import AttendanceInline, DateProposalInline, RoleAssignmentInline
from .shared import EMPTY, report_mail


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["starts_at", "group", "status", "method", "facilitator", "inbrenger"]
    list_select_related = ["group", "method"]
    list_filter = ["status", "group", "method"]
    date_hierarchy = "starts_at"
    search_fields = ["group__name", "location"]
    autocomplete_fields = ["group"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # Django 6 default
    readonly_fields = ["rotation_suggestion"]
    inlines = [RoleAssignmentInline, AttendanceInline, DateProposalInline]
    actions = ["send_invitations"]
    fieldsets = [
        (None, {"fields": ["group", "starts_at", "duration_minutes", "status", "method"]}),
        (gettext_lazy("Place"), {"fields": ["location", "video_url"]}),
        (gettext_lazy("Rotation"), {"fields": ["rotation_suggestion"]}),
        (gettext_lazy("Notes"), {"fields": ["notes"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # All roles (not only the two listed): the change view shares this queryset.
        roles = RoleAssignment.objects.select_related("user")
        return super().get_queryset(request).prefetch_related(Prefetch("roles", queryset=roles))

    def get_fieldsets(self, request: HttpRequest, obj: Meeting | None = None):
        if obj is None:  # a suggestion needs an existing meeting to rotate towards
            return [fs for fs in self.fieldsets if "rotation_suggestion" not in fs[1]["fields"]]
        return self.fieldsets

    @admin.action(
        description=gettext_lazy("E-mail the invitation with a calendar file"),
        permissions=["change"],
    )
    def send_invitations(self, request: HttpRequest, queryset: QuerySet) -> None:
        from ..mail import MailReport, send_meeting_invitation

        total = MailReport()
        for meeting in queryset.exclude(status=Meeting.Status.CANCELLED):
            report = send_meeting_invitation(meeting)
            total.sent += report.sent
            total.skipped += [u for u in report.skipped if u not in total.skipped]
        report_mail(request, total)

    @admin.display(description=gettext_lazy("facilitator"))
    def facilitator(self, meeting: Meeting) -> str:
        user = meeting.holder(Role.FACILITATOR)
        return display_name(user) if user else EMPTY

    @admin.display(description=gettext_lazy("inbrenger"))
    def inbrenger(self, meeting: Meeting) -> str:
        user = meeting.holder(Role.INBRENGER)
        return display_name(user) if user else EMPTY

    @admin.display(description=gettext_lazy("rotation suggestion"))
    def rotation_suggestion(self, meeting: Meeting) -> str:
        from ..rotation import suggest_roles  # rotation builds on these models; import late

        suggestion = suggest_roles(meeting)
        rows = [
            (_("Facilitator"), suggestion.facilitator, suggestion.reasons.get(Role.FACILITATOR)),
            (_("Inbrenger"), suggestion.inbrenger, suggestion.reasons.get(Role.INBRENGER)),
        ]
        items = format_html_join(
            "",
            '<li><strong>{}:</strong> {} <span class="help">({})</span></li>',
            (
                (label, display_name(user) if user else EMPTY, reason or EMPTY)
                for label, user, reason in rows
            ),
        )
        return format_html(
            '<ul class="rotation-suggestion">{}</ul><div class="help">{}</div>',
            items,
            _(
                "Whoever waited longest goes next; members who cancelled are skipped. "
                "Assign the roles below."
            ),
        )
