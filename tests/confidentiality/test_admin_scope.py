"""A coordinator's admin holds their own groups only: every URL of another group answers 404.

Two groups, two coordinators (staff in "Coördinatoren", not superusers): Karin coordinates
group A, Joost group B.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from cases.models import CaseRead
from groups.models import Group, Meeting

from ..groups.helpers import admin_form_data

pytestmark = pytest.mark.django_db


def object_urls(name: str, pk) -> list[str]:
    return [
        reverse(f"admin:{name}_change", args=[pk]),
        reverse(f"admin:{name}_delete", args=[pk]),
        reverse(f"admin:{name}_history", args=[pk]),
    ]


def urls_of_group_a(world) -> list[str]:
    group, meeting, case = world["group_a"], world["meeting_a"], world["case_a"]
    bram = world["people"]["bram"]
    group_type = ContentType.objects.get_for_model(Group)
    return [
        *object_urls("groups_group", group.pk),
        *object_urls("groups_meeting", meeting.pk),
        *object_urls("cases_case", case.pk),
        *object_urls("auth_user", bram.pk),
        reverse("admin:groups_group_plan_series", args=[group.pk]),
        reverse("admin:groups_group_new_calendar_link", args=[group.pk]),
        # Changelists narrowed to group A by a filter, as links in the admin make them.
        reverse("admin:groups_group_changelist") + f"?id__exact={group.pk}",
        reverse("admin:groups_meeting_changelist") + f"?group__id__exact={group.pk}",
        reverse("admin:cases_case_changelist") + f"?group__id__exact={group.pk}",
        reverse("admin:cases_case_changelist") + f"?meeting__id__exact={meeting.pk}",
        reverse("admin:auth_user_changelist") + f"?intervision_groups__id__exact={group.pk}",
        reverse("admin:groups_meeting_add") + f"?group={group.pk}",
        f"/admin/r/{group_type.pk}/{group.pk}/",
    ]


def test_every_admin_url_of_group_a_answers_404_to_group_bs_coordinator(world, joost, karin):
    for url in urls_of_group_a(world):
        assert joost.get(url).status_code == 404, url


def test_group_as_own_coordinator_opens_the_same_urls(world, karin):
    meeting_delete = reverse("admin:groups_meeting_delete", args=[world["meeting_a"].pk])
    for url in urls_of_group_a(world):
        status = karin.get(url).status_code
        if url == meeting_delete:
            assert status == 403  # held in a session room: a coordinator cancels it instead
        elif "/delete/" in url:
            assert status == 403  # coordinators delete no groups, cases or accounts
        else:
            assert status in (200, 302), url


def test_lists_show_only_the_coordinators_own_groups(world, karin, joost):
    response = joost.get(reverse("admin:groups_group_changelist"))
    assert [g.name for g in response.context["cl"].result_list] == ["Zorgteam Zuid"]
    response = joost.get(reverse("admin:groups_meeting_changelist"))
    assert list(response.context["cl"].result_list) == [world["meeting_b"]]
    assert "Zorgteam Noord" not in response.text  # not even as a choice of the group filter
    assert "Overdracht" not in joost.get(reverse("admin:cases_case_changelist")).text
    users = joost.get(reverse("admin:auth_user_changelist")).context["cl"].result_list
    assert {u.username for u in users} == {"eva", "femke", "joost"}  # members, and himself
    assert "Zorgteam Zuid" not in karin.get(reverse("admin:groups_meeting_changelist")).text


def test_a_raw_id_lookup_pop_up_lists_only_the_coordinators_groups(world, joost):
    popup = reverse("admin:groups_group_changelist") + "?_to_field=id&_popup=1"
    response = joost.get(popup)
    assert [g.name for g in response.context["cl"].result_list] == ["Zorgteam Zuid"]
    meetings = joost.get(reverse("admin:groups_meeting_changelist") + "?_to_field=id&_popup=1")
    assert list(meetings.context["cl"].result_list) == [world["meeting_b"]]


def autocomplete(client, app_label: str, model_name: str, field_name: str, term: str) -> list:
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    return [r["text"] for r in response.json()["results"]]


def test_autocomplete_finds_nothing_of_another_group(world, karin, joost):
    assert autocomplete(joost, "groups", "meeting", "group", "Zorgteam") == ["Zorgteam Zuid"]
    assert autocomplete(karin, "groups", "meeting", "group", "Zorgteam") == ["Zorgteam Noord"]
    assert autocomplete(joost, "cases", "case", "meeting", "Noord") == []
    assert autocomplete(joost, "cases", "case", "group", "Noord") == []
    # Roles and attendance: among the coordinator's own members only.
    assert autocomplete(joost, "groups", "roleassignment", "user", "e") == ["eva", "femke"]
    assert autocomplete(joost, "groups", "roleassignment", "user", "bram") == []
    assert "bram" in autocomplete(karin, "groups", "roleassignment", "user", "bram")


def test_adding_a_member_finds_outsiders_only_by_exact_username_or_email(world, joost):
    assert autocomplete(joost, "groups", "membership", "user", "bra") == []
    assert autocomplete(joost, "groups", "membership", "user", "bram") == ["bram"]
    assert autocomplete(joost, "groups", "membership", "user", "BRAM@example.org") == ["bram"]
    assert autocomplete(joost, "groups", "membership", "user", "fem") == ["femke"]


def test_a_coordinator_cannot_plan_a_meeting_in_another_group(world, joost):
    url = reverse("admin:groups_meeting_change", args=[world["meeting_b"].pk])
    data = admin_form_data(joost.get(url), "meeting_form")
    data["group"] = str(world["group_a"].pk)
    response = joost.post(url, data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    world["meeting_b"].refresh_from_db()
    assert world["meeting_b"].group == world["group_b"]
    add = reverse("admin:groups_meeting_add")
    data |= {"starts_at_0": "2030-01-01", "starts_at_1": "10:00"}
    joost.post(add, data)
    assert not Meeting.objects.filter(group=world["group_a"], starts_at__year=2030).exists()


def test_only_a_superuser_assigns_coordinators_and_the_coordinator_sees_why(world, karin, root):
    group = world["group_a"]
    url = reverse("admin:groups_group_change", args=[group.pk])
    data = admin_form_data(karin.get(url), "group_form")
    data["description"] = "Nieuwe omschrijving"  # typed by Karin: must survive the refusal
    for candidate in (world["people"]["joost"], None):  # another coordinator, or nobody
        data["coordinator"] = str(candidate.pk) if candidate else ""
        response = karin.post(url, data)
        assert response.status_code == 200
        assert "Only the site administrator (a superuser) assigns coordinators" in response.text
        assert "Nieuwe omschrijving" in response.text
    group.refresh_from_db()
    assert group.coordinator.username == "karin" and group.description == ""
    # Karin cannot take group B either: it does not exist for her.
    assert (
        karin.get(reverse("admin:groups_group_change", args=[world["group_b"].pk])).status_code
        == 404
    )

    data = admin_form_data(root.get(url), "group_form")
    data["coordinator"] = str(world["people"]["joost"].pk)
    assert root.post(url, data).status_code == 302
    group.refresh_from_db()
    assert group.coordinator.username == "joost"


def test_the_coordinator_refusal_is_explained_in_dutch(world, people):
    from .conftest import Client

    client = Client(headers={"accept-language": "nl"})
    client.force_login(people["karin"])
    url = reverse("admin:groups_group_change", args=[world["group_a"].pk])
    data = admin_form_data(client.get(url), "group_form")
    data["coordinator"] = str(people["joost"].pk)
    text = client.post(url, data).content.decode()
    assert "Alleen de beheerder van de site (een superuser) wijst coördinatoren toe" in text


def test_a_superuser_cannot_make_someone_without_admin_access_coordinator(world, root):
    url = reverse("admin:groups_group_change", args=[world["group_a"].pk])
    data = admin_form_data(root.get(url), "group_form")
    data["coordinator"] = str(world["people"]["anna"].pk)
    response = root.post(url, data)
    assert "cannot use the administration" in response.text


def test_view_on_site_leads_the_own_coordinator_to_the_group_page(world, karin):
    group = world["group_a"]
    page = karin.get(reverse("admin:groups_group_change", args=[group.pk])).text
    assert "View on site" in page
    group_type = ContentType.objects.get_for_model(Group)
    response = karin.get(f"/admin/r/{group_type.pk}/{group.pk}/")
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("groups:detail", args=[group.pk]))
    assert karin.get(f"/admin/r/{group_type.pk}/not-a-uuid/").status_code == 404


def test_the_access_record_is_for_the_site_owner_and_cannot_be_changed(world, karin, root):
    from django.test import RequestFactory

    from cases import access

    request = RequestFactory().get("/cases/x/")
    request.user = world["people"]["root"]
    read = access.record_read(request, world["case_a"], access.Reader.MEMBER, "site")
    assert read is not None
    changelist = reverse("admin:cases_caseread_changelist")
    assert karin.get(changelist).status_code == 403
    assert root.get(changelist).status_code == 200
    assert root.get(reverse("admin:cases_caseread_change", args=[read.pk])).status_code == 200
    assert root.get(reverse("admin:cases_caseread_delete", args=[read.pk])).status_code == 403
    assert root.get(reverse("admin:cases_caseread_add")).status_code == 403
    response = root.post(reverse("admin:cases_caseread_change", args=[read.pk]), {"path": "/x"})
    assert response.status_code == 403
    assert CaseRead.objects.get(pk=read.pk).path == "/cases/x/"
