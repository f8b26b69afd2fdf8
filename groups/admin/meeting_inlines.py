"""The rows on a meeting's admin page: roles, attendance and date proposals.

Member pickers list the group's members by name (never by username), and the roles are checked
as a whole (groups/roles.py) before anything is saved, so no combination a coordinator can enter
ends in a server error.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..admin_scope import GroupScopedInline
from ..models import Attendance, DateProposal, Membership, RoleAssignment, display_name
from ..roles import RoleRow, role_problems


class MemberChoiceField(forms.ModelChoiceField):
    """A member picker that shows names; two people of the same name get their e-mail too."""

    def label_from_instance(self, user) -> str:
        name = display_name(user)
        if user.email and name in getattr(self, "duplicate_names", ()):
            return f"{name} ({user.email})"
        return name


def member_field(**kwargs) -> MemberChoiceField:
    return MemberChoiceField(
        queryset=get_user_model().objects.filter(is_active=True), label=_("member"), **kwargs
    )


def staff_picker(**kwargs) -> MemberChoiceField:
    """Who may coordinate: staff accounts, by name."""
    return MemberChoiceField(
        queryset=get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .order_by("first_name", "last_name", "username"),
        **kwargs,
    )


class MembersOnlyFormSet(BaseInlineFormSet):
    """Roles and attendance belong to the group's members; rows left untouched stay valid
    even when their member has since left the group."""

    @cached_property
    def member_choices(self) -> tuple[list, set[str]]:
        """The group's active members (and whoever is already on a row), by name."""
        users = get_user_model().objects.order_by("first_name", "last_name", "username")
        group_id = self.instance.group_id
        if group_id:
            on_rows = [row.user_id for row in self.get_queryset()]
            users = users.filter(
                pk__in=Membership.objects.filter(group_id=group_id, active=True).values("user_id")
            ) | users.filter(pk__in=on_rows)
        users = list(users.distinct())
        names = [display_name(u) for u in users]
        return users, {n for n in names if names.count(n) > 1}

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        field = form.fields.get("user")
        if isinstance(field, MemberChoiceField):
            # The list offers the group's members (one query for every row of the page);
            # validation still knows everyone, so a stranger's id gets the clear message
            # of clean() below rather than "not a valid choice".
            users, field.duplicate_names = self.member_choices
            field.choices = [("", "---------")] + [
                (u.pk, field.label_from_instance(u)) for u in users
            ]

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


class RoleAssignmentFormSet(MembersOnlyFormSet):
    def clean(self) -> None:
        super().clean()
        kept = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("role")
            and form.cleaned_data.get("user")
        ]
        rows = [
            RoleRow(
                role=form.cleaned_data["role"],
                user_id=form.cleaned_data["user"].pk,
                name=display_name(form.cleaned_data["user"]),
                round=form.cleaned_data.get("round") or 1,
            )
            for form in kept
        ]
        for index, message in role_problems(rows, self.instance.duration_minutes).items():
            kept[index].add_error(None, message)

    def save_existing_objects(self, commit: bool = True) -> list:
        """Changed and removed rows leave the table first; a changed row then finds nothing to
        update and is inserted again with its own id. So swapping the roles of two rows never
        meets the one-holder rule half-way."""
        if commit:
            leaving = [
                form.instance.pk
                for form in self.initial_forms
                if form.instance.pk and (form.has_changed() or self._should_delete_form(form))
            ]
            RoleAssignment.objects.filter(pk__in=leaving).delete()
        return super().save_existing_objects(commit)


class NamedRowsOnly:
    """Rows of members who erased their account stay for the group's counts, but have no member
    to show or edit here (an unchanged row without a member would not validate)."""

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).filter(user__isnull=False)


class MemberPickerMixin:
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Without the admin's "+" beside it: a new member is added on the group's page, by
        # name and e-mail address, not through Django's user form.
        if db_field.name == "user":
            return member_field(required=True)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class RoleAssignmentInline(
    NamedRowsOnly, GroupScopedInline, MemberPickerMixin, admin.TabularInline
):
    model = RoleAssignment
    formset = RoleAssignmentFormSet
    fields = ["role", "user", "round"]
    extra = 0

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "round":
            # Optional in the post: a row without it is about the first (or only) case.
            return forms.TypedChoiceField(
                label=db_field.verbose_name,
                help_text=db_field.help_text,
                choices=db_field.choices,
                coerce=int,
                required=False,
                empty_value=1,
                initial=1,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    verbose_name = gettext_lazy("role")
    verbose_name_plural = gettext_lazy("roles")


class AttendanceInline(NamedRowsOnly, GroupScopedInline, MemberPickerMixin, admin.TabularInline):
    """Answers and presence. A presence ticked or unticked here is recorded as entered by hand,
    confirmed by the coordinator who saved it (MeetingAdmin.save_formset)."""

    model = Attendance
    formset = MembersOnlyFormSet
    fields = ["user", "response", "present", "confirmation", "responded_at"]
    readonly_fields = ["confirmation", "responded_at"]
    extra = 0

    @admin.display(description=gettext_lazy("confirmed by"))
    def confirmation(self, attendance: Attendance) -> str:
        if not attendance.pk or attendance.present is None:
            return ""
        if not attendance.confirmed_by_id:
            return _("awaiting confirmation")
        return f"{display_name(attendance.confirmed_by)} ({attendance.get_recorded_via_display()})"

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("user", "confirmed_by")


class DateProposalInline(GroupScopedInline, admin.TabularInline):
    """Proposals come from the members (house rule); the coordinator reads them here and can
    accept one, which moves the meeting."""

    model = DateProposal
    fields = ["proposer", "starts_at", "note", "status", "accept"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("proposed_by")

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=gettext_lazy("proposed by"))
    def proposer(self, proposal: DateProposal) -> str:
        return display_name(proposal.proposed_by)

    @admin.display(description="")
    def accept(self, proposal: DateProposal) -> str:
        if proposal.status != DateProposal.Status.OPEN:
            return ""
        url = reverse("admin:groups_meeting_accept_date", args=[proposal.meeting_id, proposal.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Accept this date"))
