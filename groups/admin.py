"""The coordinator's admin: groups with their contract and members, meetings with their roles."""

from datetime import datetime, timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .models import (
    Attendance,
    DateProposal,
    Group,
    Meeting,
    Membership,
    Role,
    RoleAssignment,
    display_name,
    new_token,
    video_link_validator,
)
from .planning import (
    COUNT_RANGE,
    DURATION_RANGE,
    EVERY_WEEKS_RANGE,
    SeriesResult,
    plan_series,
    validate_series,
)

EMPTY = "—"


# Groups ---------------------------------------------------------------------------------------


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", "joined_on", "active"]
    autocomplete_fields = ["user"]
    extra = 1


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
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "coordinator", "member_count", "size_ok", "next_meeting"]
    list_select_related = ["coordinator"]
    list_filter = ["coordinator_may_read_cases", "allow_guests"]
    search_fields = ["name", "description"]
    autocomplete_fields = ["coordinator"]
    inlines = [MembershipInline]
    readonly_fields = ["size_check", "ical_link"]
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
                    "allow_guests",
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

    def get_fieldsets(self, request: HttpRequest, obj: Group | None = None):
        if obj is not None:
            return self.fieldsets
        # Size and calendar link only mean something once the group exists.
        fieldsets = []
        for name, options in self.fieldsets:
            fields = [f for f in options["fields"] if f not in self.readonly_fields]
            if fields:
                fieldsets.append((name, {**options, "fields": fields}))
        return fieldsets

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        group = super().get_object(request, object_id, from_field)
        if group is not None:
            # Readonly fields only see the object; the copyable link needs the request's host.
            group.absolute_ical_url = request.build_absolute_uri(ical_path(group))
        return group

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
        return custom + super().get_urls()

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
                    changelist = reverse("admin:groups_meeting_changelist")
                    return HttpResponseRedirect(f"{changelist}?group__id__exact={group.pk}")
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
        from .mail import invite_members

        sent = skipped = 0
        for group in queryset:
            new = group.active_members().filter(last_login__isnull=True)
            report = invite_members(new, group=group, base_url=request.build_absolute_uri("/"))
            sent += len(report.sent)
            skipped += len(report.skipped)
        report_mail(request, sent, skipped)


def report_mail(request: HttpRequest, sent: int, skipped: int) -> None:
    messages.success(
        request,
        ngettext("%(n)d e-mail sent.", "%(n)d e-mails sent.", sent) % {"n": sent},
    )
    if skipped:
        messages.warning(
            request,
            ngettext(
                "%(n)d member has no e-mail address.",
                "%(n)d members have no e-mail address.",
                skipped,
            )
            % {"n": skipped},
        )


def ical_path(group: Group) -> str:
    return reverse("groups:ical", args=[group.ical_token])


def rotate_ical_token(group: Group) -> None:
    group.ical_token = new_token()
    group.save(update_fields=["ical_token"])


def report_series(request: HttpRequest, result: SeriesResult) -> None:
    if result.created:
        messages.success(
            request,
            ngettext(
                "Planned %(n)d meeting, on %(first)s.",
                "Planned %(n)d meetings, from %(first)s to %(last)s.",
                len(result.created),
            )
            % {
                "n": len(result.created),
                "first": date_format(timezone.localtime(result.created[0].starts_at)),
                "last": date_format(timezone.localtime(result.created[-1].starts_at)),
            },
        )
    else:
        messages.warning(request, _("No meetings were planned."))
    if result.skipped:
        messages.warning(
            request,
            ngettext(
                "Skipped %(dates)s: the group already has a meeting that day.",
                "Skipped %(dates)s: the group already has a meeting on those days.",
                len(result.skipped),
            )
            % {"dates": ", ".join(date_format(timezone.localtime(d)) for d in result.skipped)},
        )


# Meetings -------------------------------------------------------------------------------------


class MembersOnlyFormSet(BaseInlineFormSet):
    """Roles and attendance belong to the group's members; rows left untouched stay valid
    even when their member has since left the group."""

    def clean(self) -> None:
        super().clean()
        group_id = self.instance.group_id
        if not group_id:
            return
        memberships = Membership.objects.filter(group_id=group_id, active=True)
        member_ids = set(memberships.values_list("user_id", flat=True))
        for form in self.forms:
            user = getattr(form, "cleaned_data", {}).get("user")
            if not user or not form.has_changed() or form.cleaned_data.get("DELETE"):
                continue
            if user.pk not in member_ids:
                form.add_error(
                    "user",
                    _("%(name)s is not a member of this group.") % {"name": display_name(user)},
                )


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    formset = MembersOnlyFormSet
    fields = ["role", "user"]
    autocomplete_fields = ["user"]
    extra = 0


class AttendanceInline(admin.TabularInline):
    model = Attendance
    formset = MembersOnlyFormSet
    fields = ["user", "response", "present", "responded_at"]
    autocomplete_fields = ["user"]
    extra = 0


class DateProposalInline(admin.TabularInline):
    """Proposals come from the members (house rule); the coordinator reads them here."""

    model = DateProposal
    fields = ["proposed_by", "starts_at", "note", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


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
        (gettext_lazy("Place"), {"fields": ["location", "mode", "video_url"]}),
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
        from .mail import send_meeting_invitation

        sent = skipped = 0
        for meeting in queryset.exclude(status=Meeting.Status.CANCELLED):
            report = send_meeting_invitation(meeting, base_url=request.build_absolute_uri("/"))
            sent += len(report.sent)
            skipped += len(report.skipped)
        report_mail(request, sent, skipped)

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
        from .rotation import suggest_roles  # rotation builds on these models; import late

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
