"""The site's roles in the admin: the "Coördinatoren" permission group.

A coordinator is a staff user (not a superuser) in this permission group and the coordinator of
one or more intervision groups (Group.coordinator). The permissions say *which* admin pages they
may use; groups/admin_scope.py narrows every one of those pages to their own groups. Only a
superuser makes someone a coordinator (assigns Group.coordinator, adds them to this group).

groups defines the role and grants what it knows (its own models, the methods library beneath
it, looking up users). An app above groups adds what a coordinator may do with *its* models by
calling `grant()` from its AppConfig.ready(), and sets those permissions on the existing group in
a data migration of its own (cases/migrations/0007_i15_coordinators_view_cases.py): groups never
names an app above it (ARCHITECTURE.md, layers).
"""

from collections.abc import Iterable

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

COORDINATORS = "Coördinatoren"

# (app label, model) → actions. Exactly what the coordinator's work needs, nothing more:
# - groups: edit the contract and members of their groups (not create or delete groups: only a
#   superuser assigns a group its coordinator), plan meetings, roles and attendance;
# - methods: the organisation's shared library, copied and adapted by coordinators;
# - users: look up the members of their groups (never change accounts or passwords);
# - apps above groups add theirs with grant() (cases: see which cases exist, by title).
PERMISSIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("groups", "group"): ("view", "change"),
    ("groups", "membership"): ("view", "add", "change", "delete"),
    ("groups", "meeting"): ("view", "add", "change", "delete"),
    ("groups", "roleassignment"): ("view", "add", "change", "delete"),
    ("groups", "attendance"): ("view", "add", "change", "delete"),
    ("groups", "dateproposal"): ("view",),
    ("methods", "method"): ("view", "add", "change", "delete"),
    ("methods", "step"): ("view", "add", "change", "delete"),
    ("auth", "user"): ("view",),
}


def grant(app_label: str, model: str, actions: Iterable[str]) -> None:
    """Let coordinators use `actions` on `app_label.model` (called from an AppConfig.ready())."""
    PERMISSIONS[(app_label, model)] = tuple(actions)


def codenames(app_labels: Iterable[str] | None = None) -> set[tuple[str, str]]:
    """(app label, codename) of every permission the role holds, or only those of `app_labels`."""
    labels = None if app_labels is None else set(app_labels)
    return {
        (app_label, f"{action}_{model}")
        for (app_label, model), actions in PERMISSIONS.items()
        if labels is None or app_label in labels
        for action in actions
    }


def ensure_coordinators_group(apps=global_apps, app_labels: Iterable[str] | None = None):
    """Create the permission group, or set its permissions back to exactly PERMISSIONS.

    `apps`: the historical registry inside a migration. `app_labels`: set only the permissions
    of these apps and keep the others: a data migration sets those of the apps it depends on,
    so that each app's migration grants its own."""
    auth_group = apps.get_model("auth", "Group")
    permission = apps.get_model("auth", "Permission")
    wanted = codenames(app_labels)
    labels = {label for label, _codename in wanted}
    for app_label in labels:
        # In a fresh database the permissions are only created after all migrations ran.
        config = apps.get_app_config(app_label)
        if getattr(config, "models_module", None) is None:
            config.models_module = True
            create_permissions(config, apps=apps, verbosity=0)
            config.models_module = None
        else:
            create_permissions(config, apps=apps, verbosity=0)
    perms = [
        p
        for p in permission.objects.filter(content_type__app_label__in=labels).select_related(
            "content_type"
        )
        if (p.content_type.app_label, p.codename) in wanted
    ]
    missing = wanted - {(p.content_type.app_label, p.codename) for p in perms}
    if missing:
        raise LookupError(f"Permissions missing for the coordinators: {sorted(missing)}")
    group, _created = auth_group.objects.get_or_create(name=COORDINATORS)
    if app_labels is not None:
        # The other apps' permissions stay as their own migrations set them.
        perms += list(group.permissions.exclude(content_type__app_label__in=labels))
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
