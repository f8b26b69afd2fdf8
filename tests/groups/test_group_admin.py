from datetime import timedelta

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from groups.models import Group, Meeting, Membership

from .helpers import admin_form_data


def change_url(group: Group) -> str:
    return reverse("admin:groups_group_change", args=[group.pk])


def test_coordinator_sees_groups_with_member_count_and_next_meeting(coordinator_client, group):
    Meeting.objects.create(group=group, starts_at=timezone.now() + timedelta(days=3))
    response = coordinator_client.get(reverse("admin:groups_group_changelist"))
    assert response.status_code == 200
    row = response.context["cl"].result_list[0]
    assert row.member_count == 6
    assert row.next_meeting_at is not None
    assert "Intervisie Zorgteam Noord" in response.text


def test_coordinator_opens_change_page_but_only_the_site_owner_adds_groups(
    coordinator_client, superuser_client, group
):
    # A new group needs a coordinator, and only a superuser assigns coordinators.
    assert coordinator_client.get(reverse("admin:groups_group_add")).status_code == 403
    assert superuser_client.get(reverse("admin:groups_group_add")).status_code == 200
    response = coordinator_client.get(change_url(group))
    assert response.status_code == 200
    assert "Group contract" in response.text
    assert "Plan a series" in response.text


def test_group_of_six_has_no_size_warning(coordinator_client, group):
    response = coordinator_client.get(change_url(group))
    assert "6 active members: a good size" in response.text
    assert "works best with 5 to 8" not in response.text


def test_group_of_four_shows_size_warning_on_its_page(coordinator_client, group):
    Membership.objects.filter(group=group, user__username__in=["eva", "femke"]).update(active=False)
    response = coordinator_client.get(change_url(group))
    assert "This group has 4 members; intervision works best with 5 to 8." in response.text


def test_group_of_nine_shows_size_warning_on_its_page(coordinator_client, group, outsider):
    from tests.conftest import make_user

    for username in ["gijs", "hanna"]:
        Membership.objects.create(group=group, user=make_user(username))
    Membership.objects.create(group=group, user=outsider)
    response = coordinator_client.get(change_url(group))
    assert "This group has 9 members; more than 8" in response.text


def test_saving_a_group_that_shrinks_to_four_warns_the_coordinator(coordinator_client, group):
    data = admin_form_data(coordinator_client.get(change_url(group)), "group_form")
    # Member rows show names, not a user picker: find the rows by their membership id.
    leaving = {
        str(pk)
        for pk in Membership.objects.filter(
            group=group, user__username__in=["eva", "femke"]
        ).values_list("pk", flat=True)
    }
    for key, value in list(data.items()):
        if key.startswith("memberships-") and key.endswith("-id") and value in leaving:
            del data[key.removesuffix("-id") + "-active"]  # untick "active"

    response = coordinator_client.post(change_url(group), data, follow=True)

    assert response.status_code == 200
    assert Membership.objects.filter(group=group, active=True).count() == 4
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("4 members; intervision works best with 5 to 8" in m for m in messages)


def test_saving_a_group_of_six_does_not_warn(coordinator_client, group):
    data = admin_form_data(coordinator_client.get(change_url(group)), "group_form")
    response = coordinator_client.post(change_url(group), data, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert messages and not any("5 to 8" in m for m in messages)


def test_adding_a_group_without_members_warns(superuser_client):
    data = admin_form_data(superuser_client.get(reverse("admin:groups_group_add")), "group_form")
    data["name"] = "Nieuwe groep"
    response = superuser_client.post(reverse("admin:groups_group_add"), data, follow=True)
    assert Group.objects.filter(name="Nieuwe groep").exists()
    assert "This group has 0 members" in response.text


def test_group_page_shows_the_private_calendar_link_in_full(coordinator_client, group):
    response = coordinator_client.get(change_url(group))
    feed = f"http://testserver/groups/{group.ical_token}/calendar.ics"
    assert f'value="{feed}" readonly' in response.text


def test_new_calendar_link_asks_first_then_retires_the_old_link(coordinator_client, group):
    old_token = group.ical_token
    url = reverse("admin:groups_group_new_calendar_link", args=[group.pk])

    confirm = coordinator_client.get(url)
    assert confirm.status_code == 200
    group.refresh_from_db()
    assert group.ical_token == old_token

    response = coordinator_client.post(url)
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.ical_token != old_token
    assert coordinator_client.get(f"/groups/{old_token}/calendar.ics").status_code == 404
    assert coordinator_client.get(f"/groups/{group.ical_token}/calendar.ics").status_code == 200


def test_new_calendar_link_action_on_the_group_list(coordinator_client, group):
    old_token = group.ical_token
    coordinator_client.post(
        reverse("admin:groups_group_changelist"),
        {"action": "new_calendar_links", "_selected_action": [group.pk]},
    )
    group.refresh_from_db()
    assert group.ical_token != old_token


def test_member_without_admin_rights_cannot_rotate_the_link(client, group, members):
    client.force_login(members[0])
    url = reverse("admin:groups_group_new_calendar_link", args=[group.pk])
    response = client.post(url)
    assert response.status_code == 302  # to the admin login
    old = group.ical_token
    group.refresh_from_db()
    assert group.ical_token == old
