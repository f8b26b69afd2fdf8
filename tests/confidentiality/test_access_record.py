"""Every read of case content by a coordinator or a superuser is recorded, append-only, and the
case's owner sees those records on their case page."""

import pytest
from django.urls import reverse

from cases.models import CaseRead
from tests.conftest import everyone_agrees

from .conftest import english_client

pytestmark = pytest.mark.django_db


def case_page(case) -> str:
    return reverse("cases:detail", args=[case.pk])


def test_a_coordinators_read_on_the_site_is_recorded_and_shown_to_the_owner(world, karin):
    case, people = world["case_a"], world["people"]
    everyone_agrees(world["group_a"])
    page = karin.get(case_page(case), REMOTE_ADDR="10.1.2.3").text
    assert "You read this case as the group's coordinator" in page
    read = CaseRead.objects.get(case=case)
    assert (read.reader, read.reader_name, read.reader_role) == (
        people["karin"],
        "Karin Hoekstra",
        CaseRead.Role.COORDINATOR,
    )
    assert read.channel == CaseRead.Channel.SITE
    assert read.path == case_page(case) and read.address == "10.1.2.3"

    owner_page = english_client(people["bram"]).get(case_page(case)).text
    reads = owner_page.split("data-case-reads", 1)[1].split("</ul>", 1)[0]
    assert "Who has read your case" in owner_page
    assert "Karin Hoekstra" in reads and "coordinator" in reads and "in the app" in reads


def test_a_read_in_the_admin_is_recorded_as_such(world, karin):
    case = world["case_a"]
    everyone_agrees(world["group_a"])
    karin.get(reverse("admin:cases_case_change", args=[case.pk]))
    assert CaseRead.objects.get(case=case).channel == CaseRead.Channel.ADMIN
    # Pages that show no content (the list, history) record nothing.
    karin.get(reverse("admin:cases_case_changelist"))
    karin.get(reverse("admin:cases_case_history", args=[case.pk]))
    assert CaseRead.objects.filter(case=case).count() == 1


def test_nothing_is_recorded_where_nothing_was_read(world, karin, root):
    case, people = world["case_a"], world["people"]
    karin.get(case_page(case))  # 404: no consent
    root.get(reverse("admin:cases_case_change", args=[case.pk]))  # title only
    english_client(people["chantal"]).get(case_page(case))  # a member reads as the group does
    english_client(people["bram"]).get(case_page(case))  # the owner
    assert not CaseRead.objects.exists()
    page = english_client(people["bram"]).get(case_page(case)).text
    assert "Nobody outside your group has read your case." in page


def test_a_superuser_who_is_also_a_member_is_recorded(world):
    from groups.models import Membership

    root = world["people"]["root"]
    Membership.objects.create(group=world["group_a"], user=root)
    english_client(root).get(case_page(world["case_a"]))
    read = CaseRead.objects.get()
    assert read.reader_role == CaseRead.Role.SUPERUSER


def test_other_members_do_not_see_the_record(world, karin):
    everyone_agrees(world["group_a"])
    karin.get(case_page(world["case_a"]))
    page = english_client(world["people"]["chantal"]).get(case_page(world["case_a"])).text
    assert "Who has read your case" not in page and "Karin Hoekstra" not in page


def test_records_are_append_only(world, karin):
    everyone_agrees(world["group_a"])
    karin.get(case_page(world["case_a"]))
    read = CaseRead.objects.get()
    read.path = "/elsewhere/"
    with pytest.raises(PermissionError):
        read.save()
    with pytest.raises(PermissionError):
        read.delete()
    with pytest.raises(PermissionError):
        CaseRead.objects.update(path="/x/")
    with pytest.raises(PermissionError):
        CaseRead.objects.all().delete()
    assert CaseRead.objects.get().path == case_page(world["case_a"])


def test_the_record_goes_with_the_case_when_its_owner_deletes_it(world, karin):
    everyone_agrees(world["group_a"])
    karin.get(case_page(world["case_a"]))
    english_client(world["people"]["bram"]).post(reverse("cases:delete", args=[world["case_a"].pk]))
    assert not CaseRead.objects.exists()
