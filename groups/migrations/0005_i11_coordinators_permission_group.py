"""The "Coördinatoren" permission group: what a coordinator may use in the admin (groups/coordinators.py).

Sets the permissions of groups, methods and auth only. Until #15 this migration also depended
on a cases migration and granted the case permission; that grant moved to cases (0007_i15_...),
so that groups depends on no app above it. A database that already ran this migration keeps its
record; cases' migration then sets the same case permission again, which changes nothing."""

from django.db import migrations

APP_LABELS = {"groups", "methods", "auth"}


def create_group(apps, schema_editor):
    from groups.coordinators import ensure_coordinators_group

    ensure_coordinators_group(apps, APP_LABELS)


def remove_group(apps, schema_editor):
    from groups.coordinators import COORDINATORS

    apps.get_model("auth", "Group").objects.filter(name=COORDINATORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("groups", "0004_i11_reading_consent"),
        ("methods", "0003_method_steps_version"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
