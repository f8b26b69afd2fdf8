"""The built-in methods as their hand-outs describe them (../shared/METHODS.md, seeds/).

Minutes: where a hand-out gives a time per step, the step's default and range stay inside it, and
the method as a whole takes what the hand-out says. Texts: what a screen says matches what the
step does (no turns where there are none, the inbrenger's text read only once the case is chosen).
And the changes reach databases created before them, through a data migration.
"""

import importlib
import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from methods.library import BUILTIN_LIBRARY_PATH, dump_library, read_library_file
from methods.models import InteractionKind, Method

pytestmark = pytest.mark.django_db

# Per method, the hand-out's minutes per step key as (least, most), and its total (least, most).
HANDOUT_MINUTES = {
    # seeds/002 "CREA-Model" and seeds/004 "Het CREA-Model in zeven stappen"
    "crea": (
        {
            "opening": (5, 5),
            "verkenning": (10, 15),
            "gezamenlijke-reflectie": (10, 15),
            "individueel-actieplan": (5, 10),
            "gezamenlijke-bewustwording": (10, 15),
            "evaluatie": (5, 5),
            "afronding": (5, 5),
        },
        (50, 70),
    ),
    # seeds/002 "Roddel model"
    "roddelmodel": (
        {
            "vraag-introductie": (5, 5),
            "probleemverkenning": (10, 10),
            "roddelen": (10, 15),
            "reactie": (5, 10),
            "evaluatie": (10, 10),
        },
        (40, 50),
    ),
    # seeds/001 "Intervisie light 2": "Hiervoor krijgen ze 15 tot 20 minuten."
    "balint": ({"adviseren": (15, 20)}, None),
    # seeds/002 "Speed sparren": rounds of 10 minutes, then 3 minutes of silence.
    "speed-sparren": (
        {
            **{f"ronde-{n}": (10, 10) for n in range(1, 7)},
            "stilte-1": (3, 3),
            "stilte-2": (3, 3),
        },
        None,
    ),
    # seeds/002 "Winst van Succes"
    "winst-van-succes": (
        {
            "succeservaring": (15, 15),
            "succesfactoren": (20, 20),
            "verdieping": (15, 15),
            "evaluatie": (10, 10),
        },
        (60, 60),
    ),
}


def steps_of(slug: str) -> list:
    return list(Method.objects.get(slug=slug, is_builtin=True).steps.order_by("order"))


@pytest.mark.parametrize("slug", sorted(HANDOUT_MINUTES))
def test_step_minutes_stay_within_what_the_handout_gives(slug):
    per_step, total = HANDOUT_MINUTES[slug]
    steps = {step.key: step for step in steps_of(slug)}
    for key, (least, most) in per_step.items():
        step = steps[key]
        minutes = (step.min_minutes, step.default_minutes, step.max_minutes)
        assert least <= step.min_minutes and step.max_minutes <= most, (key, minutes)
    if total:
        least, most = total
        assert least <= sum(s.default_minutes for s in steps.values()) <= most


@pytest.mark.parametrize(
    "slug", ["guns-and-roses", "incidentmethode", "balint", "roddelmodel", "crea", "speed-sparren"]
)
def test_the_named_methods_leave_time_to_open_and_close_a_90_minute_meeting(slug):
    """A method that fills all 90 minutes leaves none for the welcome and the closing round."""
    assert sum(s.default_minutes for s in steps_of(slug)) <= 80


def test_crea_takes_what_its_own_summary_promises():
    crea = Method.objects.get(slug="crea")
    assert "ruim een uur" in crea.summary_nl
    assert 60 < crea.default_minutes() <= 70


def test_the_incidentmethode_step_a_no_skips_is_optional_and_short_enough():
    from methods.planner import optional_keys

    steps = steps_of("incidentmethode")
    assert optional_keys(steps) == ["nieuwe-vragen"]
    without = sum(s.default_minutes for s in steps if s.key != "nieuwe-vragen")
    assert without == 70


def test_turn_rules_come_from_each_question_round_step():
    """CREA asks on ("vraag door"); the Incidentmethode and Balint keep follow-ups for the next
    turn: each question round says its own rule, not one shared text."""
    rules = {}
    for method in Method.objects.filter(is_builtin=True).prefetch_related("steps"):
        for step in method.steps.all():
            if step.kind == InteractionKind.QUESTION_ROUND:
                rules[(method.slug, step.key)] = (step.options or {}).get("turn_rule", {})
    assert "vraag gerust door" in rules[("crea", "verkenning")]["nl"]
    assert "wacht" not in rules[("crea", "verkenning")]["nl"]
    for key in (("incidentmethode", "rondjes-vragen"), ("balint", "rondjes-vragen")):
        assert "vervolgvraag wacht tot je volgende beurt" in rules[key]["nl"]
    for key, rule in rules.items():
        if rule:
            assert rule.get("nl") and rule.get("en"), key


def test_a_vote_steps_inbrenger_text_is_written_for_a_case_that_is_chosen():
    """The inbrenger exists only once the case is chosen (in the opening form or by the vote):
    their text never asks whether they have a case or says "if it is chosen"."""
    for method in Method.objects.filter(is_builtin=True).prefetch_related("steps"):
        for step in method.steps.all():
            if step.kind == InteractionKind.VOTE:
                text = step.inbrenger_nl
                assert "Wordt" not in text and "klaar?" not in text, (method.slug, text)
                assert "gekozen" in text, (method.slug, text)


def test_vote_steps_say_list_like_the_screen_does():
    for method in Method.objects.filter(is_builtin=True).prefetch_related("steps"):
        for step in method.steps.all():
            if step.kind == InteractionKind.VOTE:
                for role in ("facilitator", "inbrenger", "participant"):
                    assert "op het bord" not in getattr(step, f"{role}_nl"), (method.slug, role)


def test_incidentmethode_texts_follow_the_handout():
    steps = {step.key: step for step in steps_of("incidentmethode")}
    # Step 4 ends with the inbrenger's short reflection (seeds/001), not step 5.
    gossip = steps["roddelen"]
    assert "kort" in gossip.inbrenger_nl and "omdraai" in gossip.facilitator_nl
    assert "roddelen" not in steps["herbenoemen"].facilitator_nl
    # Step 7 has no turns in the app: it does not tell people to wait for theirs.
    assert "aan de beurt" not in steps["adviezen"].participant_nl
    # The step's name and the screen's word agree (the kind's label "Herformuleren").
    assert steps["herbenoemen"].name_nl == "Eventueel herformuleren"
    assert "herformuleerd" in steps["herbenoemen"].branch_question_nl


# ---- Existing databases ------------------------------------------------------------------------

MIGRATION = "0004_i20_handout_texts_and_minutes"


def historical_apps():
    return MigrationExecutor(connection).loader.project_state(("methods", MIGRATION)).apps


def test_the_data_migration_brings_an_older_database_to_the_library_file():
    migration = importlib.import_module(f"methods.migrations.{MIGRATION}")
    apps, editor = historical_apps(), SimpleNamespace(connection=connection)
    migration.backwards(apps, editor)  # the texts and minutes as they were before
    crea = {s.key: s for s in steps_of("crea")}
    assert crea["opening"].max_minutes == 10  # the old, wider range
    assert "Wordt hij gekozen" in crea["opening"].inbrenger_nl
    assert dump_library(Method.objects.filter(is_builtin=True).order_by("pk")) != (
        read_library_file(BUILTIN_LIBRARY_PATH)
    )

    migration.forwards(apps, editor)

    assert dump_library(Method.objects.filter(is_builtin=True).order_by("pk")) == (
        read_library_file(BUILTIN_LIBRARY_PATH)
    )


def test_the_data_migration_keeps_what_a_coordinator_changed_since():
    migration = importlib.import_module(f"methods.migrations.{MIGRATION}")
    apps, editor = historical_apps(), SimpleNamespace(connection=connection)
    migration.backwards(apps, editor)
    step = Method.objects.get(slug="crea").steps.get(key="opening")
    step.inbrenger_nl = "Onze eigen tekst."
    step.max_minutes = 12  # the minutes move together: these stay as the coordinator left them
    step.save()
    version = Method.objects.get(slug="crea").steps_version

    migration.forwards(apps, editor)

    step.refresh_from_db()
    assert step.inbrenger_nl == "Onze eigen tekst."
    assert (step.min_minutes, step.default_minutes, step.max_minutes) == (5, 5, 12)
    assert step.participant_nl == "Breng kort je eigen casus in en stem mee. Weeg urgentie, " + (
        "belang, emotie, aantrekkingskracht en toerbeurt. Neem daarna een rol op je."
    )
    # Running rooms read the new steps (methods/cache.py keys on this token).
    assert Method.objects.get(slug="crea").steps_version != version


def test_docs_methods_md_lists_every_step_with_the_minutes_the_library_plans():
    """docs/methods.md is the table people read: it must not drift from the library."""
    from django.conf import settings

    text = (settings.BASE_DIR / "docs" / "methods.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"^## (.+?)\n(.*?)(?=^## |\Z)", text, re.S | re.M))
    for method in Method.objects.filter(is_builtin=True).prefetch_related("steps"):
        rows = re.findall(
            r"^\| (\d+) \| (.+?) \| .+? \| (\d+) \| ([\d–]+) \|", sections[method.name_nl], re.M
        )
        expected = [
            (
                str(number),
                step.name_nl,
                str(step.default_minutes),
                str(step.default_minutes)
                if step.min_minutes == step.max_minutes
                else f"{step.min_minutes}–{step.max_minutes}",
            )
            for number, step in enumerate(method.steps.all(), start=1)
        ]
        assert rows == expected, method.slug
