"""cases/access.py: the one rule for who reads a case's content, on plain facts and on data."""

import pytest

from cases.access import (
    COORDINATOR_FIELDS,
    GROUP_FIELDS,
    Reader,
    decide,
    may_read,
    readable_by,
    reader,
    visible_fields,
)
from cases.models import Case, CaseStatus
from groups import consent
from groups.leaving import end_membership
from groups.models import Membership
from tests.conftest import everyone_agrees

FACTS = dict(
    authenticated=True,
    owner=False,
    draft=False,
    active_member=False,
    group_coordinator=False,
    group_consents=False,
    owner_consents=False,
)


def test_nobody_reads_without_logging_in():
    assert decide(**FACTS | {"authenticated": False, "owner": True}) == Reader.NOBODY


def test_the_owner_reads_their_own_case_always_even_a_draft():
    assert decide(**FACTS | {"owner": True, "draft": True}) == Reader.OWNER


def test_a_draft_is_the_owners_alone():
    everyone = FACTS | {
        "draft": True,
        "active_member": True,
        "group_coordinator": True,
        "group_consents": True,
        "owner_consents": True,
    }
    assert decide(**everyone) == Reader.NOBODY


def test_an_active_member_reads_what_the_group_sees():
    assert decide(**FACTS | {"active_member": True}) == Reader.MEMBER
    assert visible_fields(Reader.MEMBER) == GROUP_FIELDS


def test_the_coordinator_needs_the_group_and_the_owner():
    coordinator = FACTS | {"group_coordinator": True}
    assert decide(**coordinator) == Reader.NOBODY
    assert decide(**coordinator | {"group_consents": True}) == Reader.NOBODY
    assert decide(**coordinator | {"owner_consents": True}) == Reader.NOBODY
    both = coordinator | {"group_consents": True, "owner_consents": True}
    assert decide(**both) == Reader.COORDINATOR
    assert "situation" not in visible_fields(Reader.COORDINATOR)
    assert "private_notes" not in visible_fields(Reader.COORDINATOR)
    assert set(GROUP_FIELDS) < set(COORDINATOR_FIELDS)


def test_consent_without_being_the_groups_coordinator_gives_nothing():
    assert decide(**FACTS | {"group_consents": True, "owner_consents": True}) == Reader.NOBODY


# ---- On data: two groups, two coordinators ----------------------------------------------------


@pytest.mark.django_db
def test_who_reads_case_a(world):
    people, case = world["people"], world["case_a"]
    assert reader(people["bram"], case) == Reader.OWNER
    assert reader(people["chantal"], case) == Reader.MEMBER
    for name in ("karin", "joost", "eva", "root"):
        assert reader(people[name], case) == Reader.NOBODY, name
    everyone_agrees(world["group_a"])
    assert reader(people["karin"], case) == Reader.COORDINATOR
    for name in ("joost", "eva", "root"):
        assert reader(people[name], case) == Reader.NOBODY, name


@pytest.mark.django_db
def test_a_former_member_reads_nothing_but_their_own(world):
    people, case = world["people"], world["case_a"]
    for name in ("chantal", "bram"):
        end_membership(Membership.objects.get(group=world["group_a"], user=people[name]))
    assert reader(people["chantal"], case) == Reader.NOBODY
    assert reader(people["bram"], case) == Reader.OWNER


@pytest.mark.django_db
def test_a_former_members_case_stays_closed_unless_they_had_agreed(world):
    people, group, case = world["people"], world["group_a"], world["case_a"]
    end_membership(Membership.objects.get(group=group, user=people["bram"]))
    everyone_agrees(group)  # the remaining members; Bram was no longer asked
    assert reader(people["karin"], case) == Reader.NOBODY
    # Had he agreed while a member, his agreement stands after he left.
    Membership.objects.filter(group=group, user=people["bram"]).update(active=True)
    consent.agree(group, people["bram"])
    end_membership(Membership.objects.get(group=group, user=people["bram"]))
    assert reader(people["karin"], case) == Reader.COORDINATOR


@pytest.mark.django_db
def test_the_filter_agrees_with_the_rule_for_everyone(world):
    people = world["people"]
    cases = list(Case.objects.select_related("group"))
    Case.objects.create(
        group=world["group_b"], owner=people["eva"], title="Zuid", working_question="Hoe?"
    )
    for consented in (False, True):
        if consented:
            everyone_agrees(world["group_a"])
        cases = list(Case.objects.select_related("group"))
        for user in people.values():
            by_rule = {c.pk for c in cases if may_read(user, c)}
            by_filter = set(Case.objects.filter(readable_by(user)).values_list("pk", flat=True))
            assert by_rule == by_filter, (user.username, consented)


@pytest.mark.django_db
def test_drafts_follow_the_rule(world):
    people, draft = world["people"], world["draft_a"]
    everyone_agrees(world["group_a"])
    assert draft.status == CaseStatus.DRAFT
    assert reader(people["chantal"], draft) == Reader.OWNER
    for name in ("anna", "karin", "root"):
        assert reader(people[name], draft) == Reader.NOBODY
