"""Two built-in steps change (methods/library/methods.json has them for new databases):

- Guns&Roses 1 (Reflectie) shows last time's case and what was taken along (`follow_up`);
- Balint 4 (Adviezen delen) becomes a `share` step: each writer reads their advice from their
  phone, the laptop shows whose turn it is, and the inbrenger receives each advice as it is shared.

The library is loaded once by 0002; this brings the changes to databases loaded before. The texts
are those of this migration, not of the library file as it may read later. A coordinator's own
copy of a method keeps what they made of it.
"""

from django.db import migrations, models

SHARE_TEXTS = {
    "facilitator_nl": (
        "Laat ieder om de beurt heel kort de kern van zijn advies vertellen; wie aan de beurt is, "
        "zie je hier. Daarna gaat het uitgeschreven advies naar de telefoon van de inbrenger. "
        "Geen discussie over de adviezen."
    ),
    "facilitator_en": (
        "Let each person in turn tell the core of their advice very briefly; you see here whose "
        "turn it is. Then the written advice goes to the case bringer's phone. No discussion of "
        "the advice."
    ),
    "inbrenger_nl": (
        "Luister naar de kern van elk advies. Je hoeft nog niet te reageren: elk advies komt op je "
        "telefoon zodra het gedeeld is, en in je samenvatting."
    ),
    "inbrenger_en": (
        "Listen to the core of each piece of advice. You don't need to respond yet: each piece of "
        "advice arrives on your phone as it is shared, and in your summary."
    ),
    "participant_nl": (
        "Je advies staat op je telefoon. Vertel als je aan de beurt bent in een paar zinnen de "
        "essentie ervan en geef het dan aan de inbrenger. Reageer niet op de adviezen van anderen."
    ),
    "participant_en": (
        "Your advice is on your phone. When it's your turn, tell its essence in a few sentences, "
        "then hand it to the case bringer. Don't respond to others' advice."
    ),
}


def update_builtin_steps(apps, schema_editor):
    Step = apps.get_model("methods", "Step")
    Method = apps.get_model("methods", "Method")
    changed = set()
    for step in Step.objects.filter(
        method__slug="guns-and-roses", method__is_builtin=True, key="reflectie"
    ):
        step.options = {**(step.options or {}), "follow_up": True}
        step.save(update_fields=["options"])
        changed.add(step.method_id)
    for step in Step.objects.filter(
        method__slug="balint", method__is_builtin=True, key="adviezen-delen", kind="info"
    ):
        step.kind = "share"
        step.options = {**(step.options or {}), "from_board": "advice"}
        for field, text in SHARE_TEXTS.items():
            setattr(step, field, text)
        step.save()
        changed.add(step.method_id)
    # The per-process step cache (methods/cache.py) keys on this version.
    for pk in changed:
        Method.objects.filter(pk=pk).update(steps_version=models.F("steps_version") + 1)


class Migration(migrations.Migration):
    dependencies = [("methods", "0004_i20_handout_texts_and_minutes")]

    operations = [
        migrations.AlterField(
            model_name="step",
            name="kind",
            field=models.CharField(
                choices=[
                    ("info", "Read and talk"),
                    ("think", "Think and write alone"),
                    ("question_round", "Question rounds"),
                    ("collect", "Collect on a board"),
                    ("rate", "Rate"),
                    ("pick", "Pick"),
                    ("vote", "Vote"),
                    ("reformulate", "Reformulate"),
                    ("action_plan", "Action plan"),
                    ("evaluate", "Evaluate"),
                    ("listen_only", "Inbrenger listens only"),
                    ("pairs", "Pair rounds"),
                    ("share", "Share in turns"),
                ],
                max_length=20,
                verbose_name="interaction",
            ),
        ),
        migrations.RunPython(update_builtin_steps, migrations.RunPython.noop),
    ]
