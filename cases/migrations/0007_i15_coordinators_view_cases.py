"""Coordinators see which cases exist (titles; content only with the members' consent):
cases' own grant to the "Coördinatoren" permission group that groups defines.

It used to be part of groups/0005, which made groups depend on cases. On a database where that
ran already, this sets the same permission again (no change); on a fresh one it adds it."""

from django.db import migrations

APP_LABELS = {"cases"}


def grant(apps, schema_editor):
    from groups.coordinators import ensure_coordinators_group

    ensure_coordinators_group(apps, APP_LABELS)


def revoke(apps, schema_editor):
    from groups.coordinators import COORDINATORS

    group = apps.get_model("auth", "Group").objects.filter(name=COORDINATORS).first()
    if group is not None:
        group.permissions.remove(*group.permissions.filter(content_type__app_label="cases"))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_i17_admin_labels"),
        ("groups", "0005_i11_coordinators_permission_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
