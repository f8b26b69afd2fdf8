"""The User admin, scoped (groups/admin_scope.py): a coordinator looks up the members of their
own groups, read-only; the site administrator manages every account."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .admin_scope import ScopedUserAdminMixin

User = get_user_model()

if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class MemberUserAdmin(ScopedUserAdminMixin, DjangoUserAdmin):
    pass
