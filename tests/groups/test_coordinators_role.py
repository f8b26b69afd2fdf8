"""The "Coördinatoren" permission group is built by the migrations of the apps it covers: groups
grants its own permissions (and those of methods and auth, beneath it), cases adds its own in a
migration of its own, so that groups' migrations depend on no app above it (#15). A database that
ran groups' 0005 when it still granted the case permission must end up exactly the same."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group as AuthGroup

from groups.coordinators import COORDINATORS, codenames

groups_0005 = importlib.import_module("groups.migrations.0005_i11_coordinators_permission_group")
cases_0007 = importlib.import_module("cases.migrations.0007_i15_coordinators_view_cases")

pytestmark = pytest.mark.django_db


def held() -> set[tuple[str, str]]:
    group = AuthGroup.objects.get(name=COORDINATORS)
    return {
        (p.content_type.app_label, p.codename)
        for p in group.permissions.select_related("content_type")
    }


def test_a_fresh_database_grants_exactly_what_each_app_asks_for():
    AuthGroup.objects.filter(name=COORDINATORS).delete()
    groups_0005.create_group(apps, None)
    assert ("groups", "change_meeting") in held()
    assert not {label for label, _c in held()} & {"cases", "sessions_app"}

    cases_0007.grant(apps, None)
    assert held() == codenames()
    assert ("cases", "view_case") in held()
    assert ("cases", "change_case") not in held()


def test_an_existing_database_that_granted_cases_in_groups_0005_is_unchanged():
    AuthGroup.objects.filter(name=COORDINATORS).delete()
    from groups.coordinators import ensure_coordinators_group

    ensure_coordinators_group()  # what the old groups/0005 did: every permission at once
    before = held()
    cases_0007.grant(apps, None)
    assert held() == before == codenames()


def test_undoing_cases_migration_leaves_the_other_apps_grants():
    AuthGroup.objects.filter(name=COORDINATORS).delete()
    groups_0005.create_group(apps, None)
    cases_0007.grant(apps, None)
    cases_0007.revoke(apps, None)
    assert held() == codenames({"groups", "methods", "auth"})
