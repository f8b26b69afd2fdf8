"""The site's roles in the admin: the "Coördinatoren" permission group.

A coordinator is a staff user (not a superuser) in this permission group and the coordinator of
one or more intervision groups (Group.coordinator). The permissions say *which* admin pages they
may use; groups/admin_scope.py narrows every one of those pages to their own groups. Only a
superuser makes someone a coordinator (assigns Group.coordinator, adds them to this group).
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

COORDINATORS = "Coördinatoren"

# (app label, model) → actions. Exactly what the coordinator's work needs, nothing more:
# - groups: edit the contract and members of their groups (not create or delete groups: only a
#   superuser assigns a group its coordinator), plan meetings, roles and attendance;
# - cases: see which cases exist (titles); content only with the members' consent, status only
#   by the owner (cases/admin.py);
# - methods: the organisation's shared library, copied and adapted by coordinators;
# - users: look up the members of their groups (never change accounts or passwords).
PERMISSIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("groups", "group"): ("view", "change"),
    ("groups", "membership"): ("view", "add", "change", "delete"),
    ("groups", "meeting"): ("view", "add", "change", "delete"),
    ("groups", "roleassignment"): ("view", "add", "change", "delete"),
    ("groups", "attendance"): ("view", "add", "change", "delete"),
    ("groups", "dateproposal"): ("view",),
    ("cases", "case"): ("view",),
    ("methods", "method"): ("view", "add", "change", "delete"),
    ("methods", "step"): ("view", "add", "change", "delete"),
    ("auth", "user"): ("view",),
}


def codenames() -> set[tuple[str, str]]:
    return {
        (app_label, f"{action}_{model}")
        for (app_label, model), actions in PERMISSIONS.items()
        for action in actions
    }


def ensure_coordinators_group(apps=global_apps):
    """Create the permission group, or set its permissions back to exactly PERMISSIONS.
    `apps`: the historical registry inside a migration."""
    auth_group = apps.get_model("auth", "Group")
    permission = apps.get_model("auth", "Permission")
    for app_label in {label for label, _model in PERMISSIONS}:
        # In a fresh database the permissions are only created after all migrations ran.
        config = apps.get_app_config(app_label)
        if getattr(config, "models_module", None) is None:
            config.models_module = True
            create_permissions(config, apps=apps, verbosity=0)
            config.models_module = None
        else:
            create_permissions(config, apps=apps, verbosity=0)
    wanted = codenames()
    perms = [
        p
        for p in permission.objects.filter(
            content_type__app_label__in={label for label, _c in wanted}
        ).select_related("content_type")
        if (p.content_type.app_label, p.codename) in wanted
    ]
    missing = wanted - {(p.content_type.app_label, p.codename) for p in perms}
    if missing:
        raise LookupError(f"Permissions missing for the coordinators: {sorted(missing)}")
    group, _created = auth_group.objects.get_or_create(name=COORDINATORS)
    group.permissions.set(perms)
    return group


def make_coordinator(user) -> None:
    """Staff without superuser rights, in the coordinators' permission group (demo, tests)."""
    from django.contrib.auth.models import Group as AuthGroup

    group = AuthGroup.objects.filter(name=COORDINATORS).first() or ensure_coordinators_group()
    user.is_staff = True
    user.is_superuser = False
    user.save(update_fields=["is_staff", "is_superuser"])
    user.groups.add(group)
