"""The "Coördinatoren" permission group: what a coordinator may use in the admin (groups/coordinators.py)."""

from django.db import migrations


def create_group(apps, schema_editor):
    from groups.coordinators import ensure_coordinators_group

    ensure_coordinators_group(apps)


def remove_group(apps, schema_editor):
    from groups.coordinators import COORDINATORS

    apps.get_model("auth", "Group").objects.filter(name=COORDINATORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("groups", "0004_i11_reading_consent"),
        ("cases", "0005_i11_case_read"),
        ("methods", "0003_method_steps_version"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
