"""Consent, not a switch: the coordinator reads a group's cases only while every member agrees."""

import pytest
from django.urls import reverse

from groups import consent
from groups.models import Group, Membership, ReadingConsent
from tests.conftest import everyone_agrees

from .conftest import english_client

pytestmark = pytest.mark.django_db


def case_page(case) -> str:
    return reverse("cases:detail", args=[case.pk])


def ask(group: Group) -> None:
    group.coordinator_may_read_cases = True
    group.save(update_fields=["coordinator_may_read_cases"])


def test_the_coordinators_request_alone_opens_nothing(world, karin):
    ask(world["group_a"])
    assert not consent.coordinator_may_read(world["group_a"])
    assert karin.get(case_page(world["case_a"])).status_code == 404


def test_it_takes_effect_when_the_last_member_agrees_in_the_app(world, karin):
    group, people = world["group_a"], world["people"]
    ask(group)
    for name in ("anna", "bram", "chantal"):
        english_client(people[name]).post(reverse("groups:consent_agree", args=[group.pk]))
        assert karin.get(case_page(world["case_a"])).status_code == 404
    response = english_client(people["daan"]).post(
        reverse("groups:consent_agree", args=[group.pk]), follow=True
    )
    assert "Every member agreed" in response.text
    assert karin.get(case_page(world["case_a"])).status_code == 200
    agreements = ReadingConsent.objects.filter(group=group, withdrawn_at__isnull=True)
    assert agreements.count() == 4
    assert all(a.given_at and a.coordinator == people["karin"] for a in agreements)


def test_withdrawing_closes_the_case_page_to_the_coordinator_at_once(world, karin):
    group, people = world["group_a"], world["people"]
    everyone_agrees(group)
    assert karin.get(case_page(world["case_a"])).status_code == 200
    response = english_client(people["chantal"]).post(
        reverse("groups:consent_withdraw", args=[group.pk]), follow=True
    )
    assert "Withdrawn" in response.text
    assert karin.get(case_page(world["case_a"])).status_code == 404
    withdrawn = ReadingConsent.objects.get(group=group, member=people["chantal"])
    assert withdrawn.withdrawn_at is not None  # the history stays, with its times


def test_agreeing_twice_records_one_agreement(world):
    group, anna = world["group_a"], world["people"]["anna"]
    ask(group)
    client = english_client(anna)
    for _ in range(2):
        client.post(reverse("groups:consent_agree", args=[group.pk]))
    assert ReadingConsent.objects.filter(group=group, member=anna).count() == 1


def test_only_members_decide_and_only_by_post(world):
    group, people = world["group_a"], world["people"]
    ask(group)
    url = reverse("groups:consent_agree", args=[group.pk])
    for name in ("eva", "karin", "root"):
        assert english_client(people[name]).post(url).status_code == 404
    assert english_client(people["anna"]).get(url).status_code == 405
    assert not ReadingConsent.objects.exists()


def test_a_new_member_switches_it_off_until_they_agree(world, karin):
    group, people = world["group_a"], world["people"]
    everyone_agrees(group)
    assert consent.coordinator_may_read(group)
    Membership.objects.create(group=group, user=people["eva"])
    assert not consent.coordinator_may_read(group)
    assert karin.get(case_page(world["case_a"])).status_code == 404
    consent.agree(group, people["eva"])
    assert consent.coordinator_may_read(group)


def test_a_new_coordinator_needs_new_agreements(world):
    group, people = world["group_a"], world["people"]
    everyone_agrees(group)
    group.coordinator = people["joost"]
    group.save(update_fields=["coordinator"])
    assert not consent.coordinator_may_read(group)
    assert english_client(people["joost"]).get(case_page(world["case_a"])).status_code == 404


def test_a_group_without_members_is_not_open_to_its_coordinator(world):
    group = world["group_b"]
    ask(group)
    group.memberships.update(active=False)
    assert not consent.coordinator_may_read(group)


def test_the_home_page_asks_explains_and_records(world):
    group, people = world["group_a"], world["people"]
    ask(group)
    anna = english_client(people["anna"])
    home = anna.get(reverse("home")).text
    assert "data-consent-ask" in home
    assert "Karin Hoekstra, the group's coordinator, asks to read" in home
    assert "Never drafts, your preparation or your private notes" in home
    assert "You can withdraw at any time" in home
    anna.post(reverse("groups:consent_agree", args=[group.pk]))
    home = anna.get(reverse("home")).text
    assert "data-consent-ask" not in home
    assert f'data-consent-given="{group.pk}"' in home
    assert "Withdraw my agreement" in home
    # Eva, in group B, is asked nothing.
    assert "data-consent-ask" not in english_client(people["eva"]).get(reverse("home")).text


def test_a_new_member_sees_the_contract_and_the_consent_state(world):
    group, people = world["group_a"], world["people"]
    group.confidentiality = "Alles blijft binnen de groep."
    group.save()
    ask(group)
    consent.agree(group, people["anna"])
    Membership.objects.create(group=group, user=people["eva"])
    eva = english_client(people["eva"])
    home = eva.get(reverse("home")).text
    assert f'data-contract="{group.pk}"' in home
    assert "Alles blijft binnen de groep." in home
    assert "1 of 5 members agreed so far" in home
    eva.post(reverse("groups:contract_read", args=[group.pk]))
    home = eva.get(reverse("home")).text
    assert "Alles blijft binnen de groep." not in home
    assert "data-consent-ask" in home  # the decision is still hers to make


def test_the_group_page_shows_who_agreed(world):
    group, people = world["group_a"], world["people"]
    ask(group)
    consent.agree(group, people["anna"])
    consent.agree(group, people["bram"])
    for viewer in ("chantal", "karin"):
        page = english_client(people[viewer]).get(reverse("groups:detail", args=[group.pk])).text
        assert 'data-consent-status="waiting"' in page
        members = page.split("data-consent-members", 1)[1].split("</ul>", 1)[0]
        assert members.count("agreed ") == 2 and members.count("not agreed") == 2
        assert "Anna de Vries" in members and "Daan Visser" in members
    everyone_agrees(group)
    page = english_client(people["chantal"]).get(reverse("groups:detail", args=[group.pk])).text
    assert 'data-consent-status="on"' in page


def test_the_admin_shows_the_consent_but_cannot_set_it(world, karin):
    group, people = world["group_a"], world["people"]
    ask(group)
    consent.agree(group, people["anna"])
    page = karin.get(reverse("admin:groups_group_change", args=[group.pk])).text
    assert "Not in effect: 3 of 4 members have not agreed" in page
    assert "Anna de Vries — agreed on" in page
