"""Load the built-in method library (methods/library/methods.json) on the historical models."""

from django.db import migrations

from methods.library import BUILTIN_LIBRARY_PATH, load_library, read_library_file


def load_builtin_library(apps, schema_editor):
    data = read_library_file(BUILTIN_LIBRARY_PATH)
    load_library(data, builtin=True, apps=apps, using=schema_editor.connection.alias)


def delete_builtin_methods(apps, schema_editor):
    Method = apps.get_model("methods", "Method")
    Method.objects.using(schema_editor.connection.alias).filter(is_builtin=True).delete()


class Migration(migrations.Migration):
    dependencies = [("methods", "0001_initial")]

    operations = [migrations.RunPython(load_builtin_library, delete_builtin_methods)]
