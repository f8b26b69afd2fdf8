"""The coordinator's admin for groups: contract, members, series planning, calendar link."""

from datetime import datetime, timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..admin_contract import consent_overview, group_form_for
from ..admin_scope import GroupScopedAdmin
from ..models import Group, Meeting, display_name, video_link_validator
from ..planning import (
    COUNT_RANGE,
    DURATION_RANGE,
    EVERY_WEEKS_RANGE,
    plan_series,
    validate_series,
)
from .meeting_inlines import staff_picker
from .members import GroupMembersMixin, MembershipInline
from .series import SeriesRolesMixin
from .shared import (
    EMPTY,
    CapitalTitleMixin,
    ical_path,
    report_mail,
    report_series,
    rotate_ical_token,
)

# Groups ---------------------------------------------------------------------------------------


class PlanSeriesForm(forms.Form):
    first_start = forms.SplitDateTimeField(
        label=gettext_lazy("First meeting"),
        widget=forms.SplitDateTimeWidget(
            date_attrs={"type": "date"},
            time_attrs={"type": "time"},
            date_format="%Y-%m-%d",
            time_format="%H:%M",
        ),
    )
    every_weeks = forms.IntegerField(
        label=gettext_lazy("Every … weeks"),
        widget=forms.NumberInput(
            attrs={"min": EVERY_WEEKS_RANGE.start, "max": EVERY_WEEKS_RANGE.stop - 1}
        ),
    )
    count = forms.IntegerField(
        label=gettext_lazy("Number of meetings"),
        widget=forms.NumberInput(attrs={"min": COUNT_RANGE.start, "max": COUNT_RANGE.stop - 1}),
    )
    duration_minutes = forms.IntegerField(
        label=gettext_lazy("Length (minutes)"),
        widget=forms.NumberInput(
            attrs={"min": DURATION_RANGE.start, "max": DURATION_RANGE.stop - 1, "step": 5}
        ),
    )
    location = forms.CharField(
        label=gettext_lazy("Place"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "vTextField"}),
    )
    video_url = forms.URLField(
        label=gettext_lazy("Video link"),
        required=False,
        max_length=1000,
        validators=[video_link_validator],
        assume_scheme="https",
        widget=forms.URLInput(attrs={"class": "vURLField"}),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        try:
            validate_series(
                cleaned.get("first_start"),
                cleaned.get("every_weeks"),
                cleaned.get("count"),
                cleaned.get("duration_minutes"),
            )
        except ValidationError as error:
            # A field that already failed its own check keeps just that one message.
            for field, field_errors in error.error_dict.items():
                if field in cleaned:
                    self.add_error(field, field_errors)
        return cleaned


def suggested_first_start(group: Group) -> datetime:
    """One cadence after the last planned meeting, else next week at 14:00."""
    last = (
        group.meetings.filter(starts_at__gt=timezone.now())
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    if last:
        return timezone.localtime(last) + timedelta(weeks=group.cadence_weeks)
    next_week = timezone.localtime() + timedelta(weeks=1)
    return next_week.replace(hour=14, minute=0, second=0, microsecond=0)


@admin.register(Group)
class GroupAdmin(
    GroupScopedAdmin, CapitalTitleMixin, GroupMembersMixin, SeriesRolesMixin, admin.ModelAdmin
):
    scope_path = ""  # the group itself
    ordering = ["name"]  # explicit: the annotated queryset drops Meta.ordering (autocomplete)
    list_display = ["name", "coordinator_name", "member_count", "size_ok", "next_meeting"]
    list_select_related = ["coordinator"]
    list_filter = ["coordinator_may_read_cases", "allow_guests"]
    search_fields = ["name", "description"]
    inlines = [MembershipInline]
    readonly_fields = ["size_check", "ical_link", "reading_consent"]
    actions = ["plan_series_action", "new_calendar_links", "invite_new_members"]
    fieldsets = [
        (None, {"fields": ["name", "description", "coordinator", "size_check"]}),
        (
            gettext_lazy("Group contract"),
            {
                "fields": [
                    "confidentiality",
                    "house_rules",
                    "default_method",
                    ("cadence_weeks", "meeting_minutes"),
                    "case_retention_days",
                    "coordinator_may_read_cases",
                    "reading_consent",
                    "allow_guests",
                    "max_guests",
                    "meeting_mode",
                ]
            },
        ),
        (gettext_lazy("Calendar"), {"fields": ["ical_link"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        next_meeting = (
            Meeting.objects.filter(
                group=OuterRef("pk"),
                starts_at__gte=timezone.now(),
                status__in=[Meeting.Status.PLANNED, Meeting.Status.IN_PROGRESS],
            )
            .order_by("starts_at")
            .values("starts_at")[:1]
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                member_count=Count(
                    "memberships", filter=Q(memberships__active=True), distinct=True
                ),
                next_meeting_at=Subquery(next_meeting),
            )
        )

    def formfield_for_dbfield(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "coordinator":
            # People by name, without the admin's add/change/delete icons beside it. Only a
            # superuser assigns coordinators (admin_contract.py says why someone without admin
            # access cannot be one); a coordinator's own groups have them as coordinator, and
            # the names of other staff are none of their business.
            picker = staff_picker(required=False, label=capfirst(db_field.verbose_name))
            users = picker.queryset.model.objects.filter(is_active=True)
            if request.user.is_superuser:
                picker.queryset = users.order_by("first_name", "last_name", "username")
            else:
                picker.queryset = users.filter(pk=request.user.pk)
            return picker
        if db_field.name == "description":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        # Whoever creates a group usually coordinates it.
        return {"coordinator": request.user.pk, **super().get_changeform_initial_data(request)}

    def get_fieldsets(self, request: HttpRequest, obj: Group | None = None):
        if obj is not None:
            # An existing group's page is about its members and meetings: the contract, agreed
            # once, and the calendar link fold away (one click opens them).
            return [
                (name, {**options, "classes": ["collapse"]}) if name else (name, options)
                for name, options in self.fieldsets
            ]
        # Size and calendar link only mean something once the group exists.
        fieldsets = []
        for name, options in self.fieldsets:
            fields = [f for f in options["fields"] if f not in self.readonly_fields]
            if fields:
                fieldsets.append((name, {**options, "fields": fields}))
        return fieldsets

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        return group_form_for(super().get_form(request, obj, change, **kwargs), request)

    @admin.display(description=gettext_lazy("members' consent"))
    def reading_consent(self, group: Group) -> str:
        return consent_overview(group)

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        group = super().get_object(request, object_id, from_field)
        if group is not None:
            # Readonly fields only see the object; the copyable link needs the request's host.
            group.absolute_ical_url = request.build_absolute_uri(ical_path(group))
        return group

    @admin.display(description=gettext_lazy("coordinator"), ordering="coordinator__first_name")
    def coordinator_name(self, group: Group) -> str:
        return display_name(group.coordinator) if group.coordinator else EMPTY

    @admin.display(description=gettext_lazy("members"), ordering="member_count")
    def member_count(self, group: Group) -> int:
        return group.member_count

    @admin.display(description=gettext_lazy("5–8 members"), boolean=True)
    def size_ok(self, group: Group) -> bool:
        return not group.size_warning(group.member_count)

    @admin.display(description=gettext_lazy("next meeting"), ordering="next_meeting_at")
    def next_meeting(self, group: Group):
        return group.next_meeting_at or EMPTY

    @admin.display(description=gettext_lazy("group size"))
    def size_check(self, group: Group) -> str:
        count = group.memberships.filter(active=True).count()
        warning = group.size_warning(count)
        if warning:
            return format_html('<strong class="errornote">⚠ {}</strong>', warning)
        return _("%(n)d active members: a good size for intervision.") % {"n": count}

    @admin.display(description=gettext_lazy("private calendar link"))
    def ical_link(self, group: Group) -> str:
        url = getattr(group, "absolute_ical_url", None) or ical_path(group)
        return format_html(
            '<input type="text" value="{}" readonly size="80" aria-label="{}">'
            '<div class="help">{}</div>',
            url,
            _("private calendar link"),
            _(
                "Copy this link into a calendar app to subscribe to the group's meetings. "
                "It shows dates, place and roles, never cases. Anyone with the link can read "
                "it: use “New calendar link” if it has been shared too widely."
            ),
        )

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # After the inline memberships are saved, so the count is the one just entered.
        warning = form.instance.size_warning()
        if warning:
            messages.warning(request, warning)

    # Plan a series ------------------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        custom = [
            path(
                "<path:object_id>/plan-series/",
                self.admin_site.admin_view(self.plan_series_view),
                name="{}_{}_plan_series".format(*info),
            ),
            path(
                "<path:object_id>/new-calendar-link/",
                self.admin_site.admin_view(self.new_calendar_link_view),
                name="{}_{}_new_calendar_link".format(*info),
            ),
        ]
        return custom + self.member_urls() + self.series_urls() + super().get_urls()

    def group_for_change(self, request: HttpRequest, object_id: str) -> Group:
        group = self.get_object(request, unquote(object_id))
        if group is None:
            raise Http404
        if not self.has_change_permission(request, group):
            raise PermissionDenied
        return group

    def plan_series_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        group = self.group_for_change(request, object_id)
        if not self.admin_site.get_model_admin(Meeting).has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            form = PlanSeriesForm(request.POST)
            if form.is_valid():
                try:
                    result = plan_series(group, **form.cleaned_data)
                except ValidationError as error:  # e.g. the first start passed meanwhile
                    form.add_error(None, error.messages)
                else:
                    report_series(request, result)
                    # Next: who facilitates and who brings a case, for the whole series at once.
                    return HttpResponseRedirect(
                        reverse("admin:groups_group_series_roles", args=[group.pk])
                    )
        else:
            form = PlanSeriesForm(
                initial={
                    "first_start": suggested_first_start(group),
                    "every_weeks": group.cadence_weeks,
                    "count": 10,
                    "duration_minutes": group.meeting_minutes,
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Plan a series of meetings"),
            "subtitle": str(group),
            "opts": self.opts,
            "original": group,
            "form": form,
        }
        return TemplateResponse(request, "admin/groups/group/plan_series.html", context)

    def new_calendar_link_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        group = self.group_for_change(request, object_id)
        change_url = reverse("admin:groups_group_change", args=[group.pk])
        if request.method == "POST":
            rotate_ical_token(group)
            self.log_change(request, group, [{"changed": {"fields": ["ical_token"]}}])
            messages.success(
                request, _("The calendar has a new link; the old one no longer works.")
            )
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": _("New calendar link"),
            "subtitle": str(group),
            "opts": self.opts,
            "original": group,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/groups/group/new_calendar_link.html", context)

    @admin.action(description=gettext_lazy("Plan a series of meetings"), permissions=["change"])
    def plan_series_action(self, request: HttpRequest, queryset: QuerySet):
        groups = list(queryset[:2])
        if len(groups) != 1:
            messages.error(request, _("Choose exactly one group to plan a series for."))
            return None
        return HttpResponseRedirect(reverse("admin:groups_group_plan_series", args=[groups[0].pk]))

    @admin.action(description=gettext_lazy("New calendar link"), permissions=["change"])
    def new_calendar_links(self, request: HttpRequest, queryset: QuerySet) -> None:
        groups = list(queryset)
        for group in groups:
            rotate_ical_token(group)
            self.log_change(request, group, [{"changed": {"fields": ["ical_token"]}}])
        messages.success(
            request,
            ngettext(
                "%(n)d group has a new calendar link; the old link no longer works.",
                "%(n)d groups have a new calendar link; the old links no longer work.",
                len(groups),
            )
            % {"n": len(groups)},
        )

    @admin.action(
        description=gettext_lazy("Invite members who never logged in (e-mail)"),
        permissions=["change"],
    )
    def invite_new_members(self, request: HttpRequest, queryset: QuerySet) -> None:
        from ..mail import MailReport, invite_members

        total = MailReport()
        for group in queryset:
            report = invite_members(group.active_members().filter(last_login__isnull=True), group)
            total.sent += report.sent
            total.skipped += report.skipped
        report_mail(request, total)
