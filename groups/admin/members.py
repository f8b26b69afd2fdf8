"""Members on the group's admin page, without Django knowledge: add someone by name and e-mail
address (the invitation goes out at once), fill in a missing address in the member's row, and
invite everyone who never logged in with one button."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..admin_scope import GroupScopedInline
from ..mail import MailReport, invite_members
from ..members import add_member
from ..models import Group, Membership, display_name
from .shared import group_page, report_mail


class MembershipForm(forms.ModelForm):
    """A member's row: their e-mail address can be filled in (or corrected) right here."""

    email = forms.EmailField(
        label=gettext_lazy("e-mail address"),
        required=False,
        widget=forms.EmailInput(attrs={"class": "vTextField"}),
    )

    class Meta:
        model = Membership
        fields = ["joined_on", "active"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            user = self.instance.user
            self.fields["email"].initial = user.email
            if user.email and user.last_login is not None:
                # Whoever controls the address can reset the password: once a member has logged
                # in, the address is theirs to change, not the coordinator's.
                self.fields["email"].disabled = True
                self.fields["email"].help_text = _("The member changes it themselves.")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if not self.instance.pk or email.lower() == self.instance.user.email.lower():
            return email
        taken = (
            get_user_model().objects.filter(email__iexact=email).exclude(pk=self.instance.user_id)
        )
        if email and taken.exists():
            raise ValidationError(_("Another account already uses this e-mail address."))
        return email

    def save(self, commit: bool = True):
        membership = super().save(commit)
        if "email" in self.changed_data and membership.pk:
            user = membership.user
            user.email = self.cleaned_data["email"]
            user.save(update_fields=["email"])
        return membership


class MembershipInline(GroupScopedInline, admin.TabularInline):
    model = Membership
    form = MembershipForm
    fields = ["member", "email", "joined_on", "active", "record"]
    readonly_fields = ["member", "record"]
    extra = 0
    can_delete = False  # leaving is "active" switched off: the member's history stays
    verbose_name = gettext_lazy("member")
    verbose_name_plural = gettext_lazy("members")

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("user").order_by("user__first_name")

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # "Add member" above the form: a name and an e-mail address

    @admin.display(description=gettext_lazy("name"))
    def member(self, membership: Membership) -> str:
        return display_name(membership.user)

    @admin.display(description=gettext_lazy("attendance record"))
    def record(self, membership: Membership) -> str:
        if not membership.pk:
            return ""
        url = reverse("groups:member_record", args=[membership.group_id, membership.user_id])
        return format_html('<a href="{}">{}</a>', url, _("view and print"))


class AddMemberForm(forms.Form):
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=150, required=False)
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        help_text=gettext_lazy("The invitation with a link to choose a password goes here."),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of screens and mail"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
    )


class GroupMembersMixin:
    """Views of GroupAdmin: add a member, invite those who never logged in."""

    def member_urls(self) -> list:
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/add-member/",
                self.admin_site.admin_view(self.add_member_view),
                name="{}_{}_add_member".format(*info),
            ),
            path(
                "<path:object_id>/invite/",
                self.admin_site.admin_view(self.invite_view),
                name="{}_{}_invite".format(*info),
            ),
        ]

    def add_member_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        group = self.group_for_change(request, object_id)
        form = AddMemberForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                added = add_member(
                    group, data["first_name"], data["last_name"], data["email"], data["language"]
                )
            except ValidationError as problem:
                form.add_error("email", problem)
            else:
                self._report_added(request, group, added)
                if "_addanother" in request.POST:
                    url = reverse("admin:groups_group_add_member", args=[group.pk])
                else:
                    url = reverse("admin:groups_group_change", args=[group.pk])
                return HttpResponseRedirect(url)
        return group_page(self, request, group, _("Add a member"), "add_member.html", form=form)

    def _report_added(self, request: HttpRequest, group: Group, added) -> None:
        user = added.user
        self.log_change(request, group, [{"added": {"name": "member", "object": str(user)}}])
        if user.last_login is None:
            report = invite_members([user], group)
            messages.success(
                request,
                _("%(name)s is a member now; the invitation went to %(email)s.")
                % {"name": display_name(user), "email": user.email},
            )
            if report.skipped:
                report_mail(request, report)
        else:
            messages.success(
                request,
                _("%(name)s is a member now and logs in as before.") % {"name": display_name(user)},
            )
        warning = group.size_warning()
        if warning:
            messages.warning(request, warning)

    def invite_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        group = self.group_for_change(request, object_id)
        new = list(group.active_members().filter(last_login__isnull=True))
        if request.method == "POST":
            report = invite_members(new, group) if new else MailReport()
            report_mail(request, report)
            return HttpResponseRedirect(reverse("admin:groups_group_change", args=[group.pk]))
        return group_page(
            self,
            request,
            group,
            _("Invite members who never logged in"),
            "invite.html",
            with_email=[u for u in new if u.email],
            without_email=[u for u in new if not u.email],
        )
