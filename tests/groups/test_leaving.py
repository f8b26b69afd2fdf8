"""A member who leaves (issue 17.3): their roles in coming meetings come off the schedule, the
group page and the calendar, and the coordinator learns which roles to fill and whom the rotation
suggests. Leaving is `membership_ended` (groups/signals.py), sent once, after the commit."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from groups.models import Meeting, Membership, Notification, Role, RoleAssignment
from groups.signals import membership_ended

from .helpers import admin_form_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def schedule(group, members):
    """Daan facilitates on day 14 and brings a case on day 42; he facilitated last month."""
    daan = members[3]
    now = timezone.now()
    past = Meeting.objects.create(
        group=group, starts_at=now - timedelta(days=28), status=Meeting.Status.DONE
    )
    RoleAssignment.objects.create(meeting=past, user=daan, role=Role.FACILITATOR)
    march = Meeting.objects.create(group=group, starts_at=now + timedelta(days=14))
    RoleAssignment.objects.create(meeting=march, user=daan, role=Role.FACILITATOR)
    RoleAssignment.objects.create(meeting=march, user=members[0], role=Role.INBRENGER)
    april = Meeting.objects.create(group=group, starts_at=now + timedelta(days=42))
    RoleAssignment.objects.create(meeting=april, user=members[1], role=Role.FACILITATOR)
    RoleAssignment.objects.create(meeting=april, user=daan, role=Role.INBRENGER)
    return past, march, april


@pytest.fixture
def endings():
    sent = []

    def count(sender, membership, **kwargs):
        sent.append(membership.pk)

    membership_ended.connect(count, sender=Membership, dispatch_uid="test-count")
    yield sent
    membership_ended.disconnect(dispatch_uid="test-count", sender=Membership)


def assert_daan_dropped(schedule, members, coordinator) -> None:
    past, march, april = schedule
    daan = members[3]
    assert RoleAssignment.objects.filter(meeting=past, user=daan).exists()  # history stays
    assert not RoleAssignment.objects.filter(meeting__in=[march, april], user=daan).exists()
    assert RoleAssignment.objects.filter(meeting=march, user=members[0]).exists()

    (message,) = [m for m in mail.outbox if m.to == [coordinator.email]]
    assert "Daan Visser" in message.subject
    assert "Facilitator" in message.body or "facilitator" in message.body
    notice = Notification.objects.get(user=coordinator, kind=Notification.Kind.ROLES_DROPPED)
    roles = {(r["meeting"], r["role"]): r["suggestion"] for r in notice.data["roles"]}
    assert set(roles) == {(str(march.pk), Role.FACILITATOR), (str(april.pk), Role.INBRENGER)}
    # The rotation's suggestion: someone who can hold the role, never Daan.
    assert all(name and name != "Daan Visser" for name in roles.values())
    assert roles[(str(march.pk), Role.FACILITATOR)] != "Anna de Vries"  # she brings the case


def test_unticking_active_on_the_group_page_drops_future_roles_and_tells_the_coordinator(
    schedule, group, members, coordinator, endings
):
    coordinator.is_superuser = True
    coordinator.save()
    admin = Client(headers={"accept-language": "en"})
    admin.force_login(coordinator)
    url = reverse("admin:groups_group_change", args=[group.pk])
    data = admin_form_data(admin.get(url), "group_form")
    daan = Membership.objects.get(group=group, user=members[3])
    row = next(k for k, v in data.items() if k.endswith("-id") and v == str(daan.pk))
    del data[row.removesuffix("-id") + "-active"]

    assert admin.post(url, data).status_code == 302

    assert endings == [daan.pk]
    assert_daan_dropped(schedule, members, coordinator)
    home = admin.get(reverse("home"))
    assert 'data-notice="roles_dropped"' in home.text
    assert "Daan Visser left the group." in home.text
    # Not on the group page nor in the feed any more.
    page = admin.get(reverse("groups:detail", args=[group.pk]))
    coming = page.text.split('id="planned"')[1].split('class="instruction-label">Held')[0]
    assert "Bram Jansen" in coming and "Daan Visser" not in coming
    feed = Client().get(reverse("groups:ical", args=[group.ical_token]))
    assert b"Daan Visser" not in b"".join(
        e.to_ical()
        for e in Calendar.from_ical(feed.content).walk("VEVENT")
        if e["DTSTART"].dt > timezone.now()
    )


def test_a_deactivated_account_leaves_its_groups(schedule, members, coordinator, endings):
    daan = members[3]
    daan.is_active = False
    daan.save()
    assert len(endings) == 1
    assert_daan_dropped(schedule, members, coordinator)


def test_a_removed_membership_leaves_too(schedule, group, members, coordinator, endings):
    Membership.objects.get(group=group, user=members[3]).delete()
    assert len(endings) == 1
    assert_daan_dropped(schedule, members, coordinator)


def test_saving_an_inactive_membership_again_is_not_a_second_departure(
    schedule, group, members, coordinator, endings
):
    membership = Membership.objects.get(group=group, user=members[3])
    membership.active = False
    membership.save()
    membership.save()
    assert len(endings) == 1
    assert Notification.objects.filter(kind=Notification.Kind.ROLES_DROPPED).count() == 1


def test_a_member_without_future_roles_leaves_quietly(group, members, coordinator, endings):
    membership = Membership.objects.get(group=group, user=members[5])
    membership.active = False
    membership.save()
    assert len(endings) == 1
    assert mail.outbox == []
    assert not Notification.objects.exists()
