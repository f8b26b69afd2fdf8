"""The built-in library as the data migration leaves it in every fresh database."""

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from methods.library import BUILTIN_LIBRARY_PATH, dump_library, read_library_file
from methods.models import InbrengerMode, Method

from .conftest import TWO_METHODS

pytestmark = pytest.mark.django_db
migration = importlib.import_module("methods.migrations.0002_load_builtin_library")

NAMED_METHODS = {
    "guns-and-roses": 6,
    "incidentmethode": 9,
    "balint": 5,
    "roddelmodel": 5,
    "crea": 7,
}


def steps_of(slug: str) -> list:
    return list(Method.objects.get(slug=slug).steps.order_by("order"))


def test_the_migrated_library_is_the_file_exactly():
    builtin = Method.objects.filter(is_builtin=True).order_by("pk")
    assert dump_library(builtin) == read_library_file(BUILTIN_LIBRARY_PATH)


def test_every_method_has_steps_that_fit_their_time_range():
    methods = Method.objects.filter(is_builtin=True).prefetch_related("steps")
    assert methods
    for method in methods:
        steps = method.steps.all()
        assert steps, method.slug
        assert [step.order for step in steps] == list(range(1, len(steps) + 1))
        for step in steps:
            assert 1 <= step.min_minutes <= step.default_minutes <= step.max_minutes, step.key
            assert step.name_nl and step.facilitator_nl, f"{method.slug} / {step.key}"


def test_the_five_named_methods_have_their_steps():
    counts = {
        slug: Method.objects.get(slug=slug, is_builtin=True).steps.count() for slug in NAMED_METHODS
    }
    assert counts == NAMED_METHODS


def test_incidentmethode_skips_new_questions_when_the_question_is_not_redefined():
    steps = steps_of("incidentmethode")
    herbenoemen = steps[4]
    assert herbenoemen.has_branch
    assert herbenoemen.branch_question_nl
    assert herbenoemen.branch_if_no == steps[6].key


@pytest.mark.parametrize("slug", ["roddelmodel", "crea"])
def test_inbrenger_only_listens_in_step_three(slug):
    assert steps_of(slug)[2].inbrenger_mode == InbrengerMode.LISTEN_ONLY


def test_balint_advice_takes_fifteen_to_twenty_minutes():
    adviseren = steps_of("balint")[2]
    assert (adviseren.min_minutes, adviseren.max_minutes) == (15, 20)


def test_migration_runs_on_historical_models_both_ways(monkeypatch, two_methods):
    """The migration's own functions, with the models as they were at 0002."""
    apps = (
        MigrationExecutor(connection)
        .loader.project_state(("methods", "0002_load_builtin_library"))
        .apps
    )
    schema_editor = SimpleNamespace(connection=connection)
    monkeypatch.setattr(migration, "BUILTIN_LIBRARY_PATH", TWO_METHODS)
    own = Method.objects.create(slug="eigen", name_nl="Eigen methode")

    migration.delete_builtin_methods(apps, schema_editor)
    assert list(Method.objects.all()) == [own]

    migration.load_builtin_library(apps, schema_editor)
    assert set(Method.objects.filter(is_builtin=True).values_list("slug", flat=True)) == {
        "proef-incident",
        "proef-roddel",
    }
    assert dump_library(Method.objects.filter(is_builtin=True).order_by("pk")) == two_methods
