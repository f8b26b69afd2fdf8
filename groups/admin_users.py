"""The User admin, scoped (groups/admin_scope.py): a coordinator looks up the members of their
own groups, read-only; the site administrator manages every account and erases one instead of
deleting it (privacy/admin.py)."""

from django.contrib import admin
from django.contrib.auth import get_user_model

from privacy.admin import ErasingUserAdmin

from .admin_scope import ScopedUserAdminMixin

User = get_user_model()

if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class MemberUserAdmin(ScopedUserAdminMixin, ErasingUserAdmin):
    pass
