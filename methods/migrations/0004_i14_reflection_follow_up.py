"""Guns&Roses 1 (Reflectie) shows last time's case and what was taken along (`follow_up`).

The built-in library is loaded once by 0002; this brings the new option to databases that
loaded it before (methods/library/methods.json has it for new ones). A coordinator's own copy
of the method keeps what they made of it.
"""

from django.db import migrations


def add_follow_up(apps, schema_editor):
    Step = apps.get_model("methods", "Step")
    for step in Step.objects.filter(
        method__slug="guns-and-roses", method__is_builtin=True, key="reflectie"
    ):
        options = dict(step.options or {})
        if not options.get("follow_up"):
            options["follow_up"] = True
            step.options = options
            step.save(update_fields=["options"])


class Migration(migrations.Migration):
    dependencies = [("methods", "0003_method_steps_version")]

    operations = [migrations.RunPython(add_follow_up, migrations.RunPython.noop)]
