"""Method-library fixtures: a small two-method document and people who use the admin."""

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from methods.library import load_library, read_library_file
from methods.models import Method
from tests.conftest import make_user

TWO_METHODS = Path(__file__).parent / "two_methods.json"


@pytest.fixture
def client() -> Client:
    """English pages: the assertions read the source texts, whatever the compiled Dutch says."""
    return Client(headers={"accept-language": "en"})


@pytest.fixture
def two_methods() -> dict:
    """A fresh copy of the document for every test, free to mutate."""
    return read_library_file(TWO_METHODS)


@pytest.fixture
def loaded(db, two_methods) -> dict[str, Method]:
    return {method.slug: method for method in load_library(two_methods)}


@pytest.fixture
def superuser(db):
    return make_user("sietske", "Sietske", "Beheer", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_as_superuser(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def library_coordinator(coordinator):
    """Coco may manage methods in the admin, nothing else."""
    coordinator.user_permissions.set(Permission.objects.filter(content_type__app_label="methods"))
    return coordinator


def change_form_data(method: Method) -> dict:
    """What the admin's change form for this method posts when nothing is edited."""
    data = {
        field: getattr(method, field)
        for field in ("name_nl", "name_en", "slug", "summary_nl", "summary_en", "source")
    }
    data |= {field: "on" for field in ("is_active", "is_builtin") if getattr(method, field)}
    steps = list(method.steps.order_by("order"))
    data |= {
        "steps-TOTAL_FORMS": len(steps),
        "steps-INITIAL_FORMS": len(steps),
        "steps-MIN_NUM_FORMS": 0,
        "steps-MAX_NUM_FORMS": 1000,
    }
    for number, step in enumerate(steps):
        data |= {f"steps-{number}-{name}": value for name, value in step_form_values(step).items()}
        data |= {f"steps-{number}-id": step.pk, f"steps-{number}-method": method.pk}
    return data


def step_form_values(step) -> dict:
    names = [
        "order", "key", "name_nl", "name_en", "kind", "inbrenger_mode", "default_minutes",
        "min_minutes", "max_minutes", "branch_question_nl", "branch_question_en", "branch_if_no",
    ]  # fmt: skip
    names += [f"{role}_{lang}" for role in ("facilitator", "inbrenger", "participant", "observer")
              for lang in ("nl", "en")]  # fmt: skip
    return {name: getattr(step, name) for name in names} | {"options": json.dumps(step.options)}
