"""The coordinator's admin for meetings: roles, attendance and date proposals."""

import uuid

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..admin_scope import GroupScopedAdmin
from ..changes import after_cancel, after_move, cancel_meeting
from ..models import (
    Attendance,
    Group,
    Meeting,
    Role,
    RoleAssignment,
    display_name,
)
from .group import suggested_first_start
from .meeting_inlines import AttendanceInline, DateProposalInline, RoleAssignmentInline
from .meeting_tools import MeetingToolsMixin
from .shared import EMPTY, CapitalTitleMixin, report_mail


def _https_urls(db_field, **kwargs):
    if isinstance(db_field, models.URLField):
        kwargs["assume_scheme"] = "https"  # Django 6's default
    return db_field.formfield(**kwargs)


class MeetingForm(forms.ModelForm):
    """A single meeting takes the group's usual length and method unless told otherwise."""

    class Meta:
        model = Meeting
        formfield_callback = _https_urls
        fields = [
            "group",
            "starts_at",
            "duration_minutes",
            "status",
            "method",
            "location",
            "mode",
            "video_url",
            "notes",
        ]
        help_texts = {
            "starts_at": gettext_lazy(
                "Moving the meeting mails every member the new date with a calendar file and "
                "asks them to answer again."
            ),
            "status": gettext_lazy(
                "Cancelling mails every member; their calendars drop the meeting."
            ),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "duration_minutes" in self.fields:
            field = self.fields["duration_minutes"]
            field.required = False
            field.help_text = _("Empty: the group's usual length.")
            if not self.instance.pk and "duration_minutes" not in self.initial:
                field.initial = None
        if "method" in self.fields:
            self.fields["method"].help_text = _("Empty: the group's default method.")


def held_in_a_room(meeting: Meeting) -> bool:
    # By the reverse name of sessions_app's Room.meeting: groups does not import sessions_app.
    return Meeting.objects.filter(pk=meeting.pk, rooms__isnull=False).exists()


@admin.register(Meeting)
class MeetingAdmin(GroupScopedAdmin, CapitalTitleMixin, MeetingToolsMixin, admin.ModelAdmin):
    form = MeetingForm
    list_display = ["starts_at", "group", "status", "method", "facilitator", "inbrenger"]
    list_select_related = ["group", "method"]
    list_filter = ["status", "group", "method"]
    date_hierarchy = "starts_at"
    search_fields = ["group__name", "location"]
    autocomplete_fields = ["group"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # Django 6 default
    readonly_fields = ["rotation_suggestion"]
    inlines = [RoleAssignmentInline, AttendanceInline, DateProposalInline]
    actions = ["send_invitations", "cancel_meetings"]
    # Compact, so the roles and attendance below are in sight on a laptop.
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "group",
                    ("starts_at", "duration_minutes"),
                    ("status", "method"),
                    ("location", "mode"),
                    "video_url",
                ]
            },
        ),
        (gettext_lazy("Rotation"), {"fields": ["rotation_suggestion"]}),
        (gettext_lazy("Notes"), {"fields": ["notes"], "classes": ["collapse"]}),
    ]

    def get_urls(self):
        return self.tool_urls() + super().get_urls()

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        """ "Add a meeting" from a group's page: the group's defaults, one cadence later."""
        initial = super().get_changeform_initial_data(request)
        group = Group.objects.filter(pk=_uuid(request.GET.get("group"))).first()
        if group is not None:
            starts = suggested_first_start(group)
            initial.update(
                group=group.pk,
                duration_minutes=group.meeting_minutes,
                method=group.default_method_id,
                starts_at=starts,
            )
        return initial

    def save_model(self, request: HttpRequest, obj: Meeting, form, change: bool) -> None:
        before = (
            Meeting.objects.filter(pk=obj.pk).values("starts_at", "status").first()
            if change
            else None
        )
        if obj.duration_minutes is None:
            obj.duration_minutes = obj.group.meeting_minutes
        if not change and obj.method_id is None:
            obj.method_id = obj.group.default_method_id
        super().save_model(request, obj, form, change)
        if before is None or before["status"] != Meeting.Status.PLANNED:
            return
        if obj.status == Meeting.Status.CANCELLED:
            after_cancel(obj, by=request.user)
            messages.info(request, _("Everyone gets a mail that the meeting is cancelled."))
        elif obj.status == Meeting.Status.PLANNED and obj.starts_at != before["starts_at"]:
            after_move(obj, before["starts_at"], by=request.user)
            messages.info(
                request, _("Everyone gets a mail with the new date and an updated calendar file.")
            )

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        if formset.model is not Attendance:
            return super().save_formset(request, form, formset, change)
        # Presence entered here is evidence: by hand, confirmed by whoever saved it.
        rows = formset.save(commit=False)
        for attendance in formset.deleted_objects:
            attendance.delete()
        changed = {obj.pk for obj, fields in formset.changed_objects if "present" in fields}
        now = timezone.now()
        for attendance in rows:
            if attendance.pk in changed or (
                attendance.pk is None and attendance.present is not None
            ):
                attendance.recorded_via = Attendance.Recorded.HAND
                attendance.recorded_at = now
                own = attendance.user_id == request.user.pk
                attendance.confirmed_by = None if own else request.user
            attendance.save()
        formset.save_m2m()
        return None

    @admin.action(
        description=gettext_lazy("Cancel the meetings and tell the members"),
        permissions=["change"],
    )
    def cancel_meetings(self, request: HttpRequest, queryset: QuerySet) -> None:
        planned = list(queryset.filter(status=Meeting.Status.PLANNED))
        for meeting in planned:
            cancel_meeting(meeting, by=request.user)
            self.log_change(request, meeting, _("Cancelled; the members were told."))
        messages.success(
            request,
            ngettext(
                "%(n)d meeting cancelled; everyone gets a mail.",
                "%(n)d meetings cancelled; everyone gets a mail.",
                len(planned),
            )
            % {"n": len(planned)},
        )

    def has_delete_permission(self, request: HttpRequest, obj: Meeting | None = None) -> bool:
        # A meeting that had a session room holds its members' questions, tips and summaries:
        # a coordinator cancels it instead; only a superuser removes it with all that.
        if obj is not None and not request.user.is_superuser and held_in_a_room(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # All roles (not only the two listed): the change view shares this queryset.
        roles = RoleAssignment.objects.select_related("user")
        return super().get_queryset(request).prefetch_related(Prefetch("roles", queryset=roles))

    def get_fieldsets(self, request: HttpRequest, obj: Meeting | None = None):
        # A suggestion needs an existing, planned meeting to rotate towards, and only says
        # something while a facilitator or inbrenger is missing or can no longer come.
        if obj is None or obj.status != Meeting.Status.PLANNED or not self._suggest(obj).open:
            return [fs for fs in self.fieldsets if "rotation_suggestion" not in fs[1]["fields"]]
        return self.fieldsets

    @staticmethod
    def _suggest(meeting: Meeting):
        if not hasattr(meeting, "_rotation"):
            from ..rotation import suggest_roles

            meeting._rotation = suggest_roles(meeting)
        return meeting._rotation

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
        return ", ".join(display_name(u) for u in meeting.inbrengers()) or EMPTY

    @admin.display(description=gettext_lazy("rotation suggestion"))
    def rotation_suggestion(self, meeting: Meeting) -> str:
        suggestion = self._suggest(meeting)
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
        warnings = format_html_join(
            "", '<p class="errornote">{}</p>', ((w,) for w in suggestion.warnings)
        )
        return format_html(
            '{}<ul class="rotation-suggestion">{}</ul>'
            '<div class="help">{} <a href="{}">{}</a></div>',
            warnings,
            items,
            _("Whoever waited longest goes next; members who cancelled are skipped."),
            reverse("admin:groups_meeting_apply_rotation", args=[meeting.pk]),
            _("Apply the rotation"),
        )


def _uuid(value: str | None):
    try:
        return uuid.UUID(value or "")
    except ValueError:
        return None
