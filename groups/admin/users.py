"""People in the admin without Django knowledge.

Adding a person asks for a name and an e-mail address — never for someone else's password: the
account gets no usable password and the invitation mail lets its owner choose one. Pickers and
lists show names. Django's permission groups are for the site owner only.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.models import Group as PermissionGroup
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from privacy.admin import ErasingUserAdmin

from ..admin_scope import ScopedUserAdminMixin
from ..mail import invite_members
from ..members import username_for
from ..models import display_name
from ..preferences import save_language

User = get_user_model()


class NewPersonForm(forms.ModelForm):
    language = forms.ChoiceField(
        label=gettext_lazy("Language of screens and mail"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
    )
    send_invitation = forms.BooleanField(
        label=gettext_lazy("Send the invitation now"),
        required=False,
        initial=True,
        help_text=gettext_lazy("A mail with a one-time link to choose a password."),
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["email"].required = True

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(_("Another account already uses this e-mail address."))
        return email

    def save(self, commit: bool = True):
        user = super().save(commit=False)
        user.username = username_for(user.email)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


admin.site.unregister(User)


@admin.register(User)
class PersonAdmin(ScopedUserAdminMixin, ErasingUserAdmin):
    """Scoped for coordinators (groups/admin_scope.py); erasing replaces deleting
    (privacy/admin.py)."""

    add_form = NewPersonForm
    add_form_template = "admin/auth/user/add_person.html"
    add_fieldsets = (
        (None, {"fields": ("first_name", "last_name", "email", "language", "send_invitation")}),
    )
    list_display = ["full_name", "email", "username", "is_active", "last_login"]
    search_fields = ["first_name", "last_name", "email", "username"]
    ordering = ["first_name", "last_name", "username"]

    @admin.display(description=gettext_lazy("name"), ordering="first_name")
    def full_name(self, user) -> str:
        return display_name(user)

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change:
            return
        save_language(obj, form.cleaned_data.get("language", ""))
        if form.cleaned_data.get("send_invitation"):
            invite_members([obj])
            messages.success(
                request,
                _("The invitation went to %(email)s.") % {"email": obj.email},
            )


admin.site.unregister(PermissionGroup)


@admin.register(PermissionGroup)
class PermissionGroupAdmin(DjangoGroupAdmin):
    """Sets of admin permissions: the site owner's business, out of the coordinator's way."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser
