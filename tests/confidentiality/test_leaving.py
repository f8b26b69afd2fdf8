"""Leaving the group ends access at once: the membership_ended signal, and every HTTP way into
the group's rooms and pages refusing a former member."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from groups.leaving import end_membership
from groups.models import Membership
from groups.signals import membership_ended

from .conftest import english_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended():
    calls = []

    def receiver(sender, membership, **kwargs):
        calls.append((sender, membership.group.name, membership.user.username))

    membership_ended.connect(receiver, dispatch_uid="test-ended")
    yield calls
    membership_ended.disconnect(dispatch_uid="test-ended")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


# The signal follows the commit (groups/signals.py): each change here commits on leaving the
# `committed()` block, as a request's transaction would.


def test_setting_a_membership_inactive_sends_membership_ended_once(world, ended, committed):
    membership = Membership.objects.get(group=world["group_a"], user=world["people"]["chantal"])
    with committed():
        membership.active = False
        membership.save()
    assert ended == [(Membership, "Zorgteam Noord", "chantal")]
    with committed():
        membership.save()  # saving it again: nothing new ended
    assert ended == [(Membership, "Zorgteam Noord", "chantal")]


def test_deleting_an_active_membership_sends_it(world, ended, committed):
    with committed():
        Membership.objects.get(group=world["group_a"], user=world["people"]["daan"]).delete()
        Membership.objects.create(
            group=world["group_b"], user=world["people"]["daan"], active=False
        )
        Membership.objects.get(group=world["group_b"], user=world["people"]["daan"]).delete()
    assert ended == [(Membership, "Zorgteam Noord", "daan")]


def test_deactivating_a_user_sends_it_for_each_active_membership(world, ended, committed):
    chantal = world["people"]["chantal"]
    Membership.objects.create(group=world["group_b"], user=chantal)
    with committed():
        chantal.last_login = None
        chantal.save(update_fields=["last_login"])  # logging in: no query, no signal
        chantal.is_active = False
        chantal.save()
    assert sorted(ended) == [
        (Membership, "Zorgteam Noord", "chantal"),
        (Membership, "Zorgteam Zuid", "chantal"),
    ]
    with committed():
        get_user_model().objects.get(pk=chantal.pk).save()  # still inactive: nothing new
    assert len(ended) == 2


def test_the_admin_inline_ends_a_membership_with_the_signal(world, karin, ended, committed):
    from ..groups.helpers import admin_form_data

    url = reverse("admin:groups_group_change", args=[world["group_a"].pk])
    data = admin_form_data(karin.get(url), "group_form")
    membership = Membership.objects.get(group=world["group_a"], user=world["people"]["chantal"])
    row = next(  # the inline's rows show names; each carries its membership's id
        key.removesuffix("-id")
        for key, value in data.items()
        if key.endswith("-id") and value == str(membership.pk)
    )
    data.pop(f"{row}-active")
    with committed():
        assert karin.post(url, data).status_code == 302
    assert ended == [(Membership, "Zorgteam Noord", "chantal")]


def test_a_former_member_is_refused_everywhere_in_the_group(world):
    room, chantal = world["room_a"], world["people"]["chantal"]
    client = english_client(chantal)
    assert client.get(reverse("rooms:room", args=[room.pk])).status_code == 200
    end_membership(Membership.objects.get(group=world["group_a"], user=chantal))

    page = client.get(reverse("rooms:room", args=[room.pk]))
    assert page.status_code == 403
    assert "You are no longer a member of this group" in page.text
    assert client.get(reverse("rooms:mine", args=[room.pk])).status_code == 404
    assert client.post(reverse("rooms:ready", args=[room.pk])).status_code == 404
    assert client.post(reverse("rooms:storing", args=[room.pk]), {"text": "x"}).status_code == 404
    command = client.post(reverse("rooms:command", args=[room.pk, "next"]), {"revision": 1})
    assert command.status_code == 404
    joined = client.get(reverse("rooms:join_code", args=[room.join_code]))
    assert "You are no longer a member of this group" in joined.text
    group_id = world["group_a"].pk
    for name in ("groups:detail", "groups:logbook", "groups:logbook_csv", "groups:logbook_md"):
        assert client.get(reverse(name, args=[group_id])).status_code == 404, name
    meeting_ics = reverse("groups:meeting_ics", args=[world["meeting_a"].pk])
    assert client.get(meeting_ics).status_code == 404
    assert client.get(reverse("cases:detail", args=[world["case_a"].pk])).status_code == 404


def test_a_former_member_keeps_their_own_case(world):
    bram = world["people"]["bram"]
    end_membership(Membership.objects.get(group=world["group_a"], user=bram))
    client = english_client(bram)
    assert client.get(reverse("cases:detail", args=[world["case_a"].pk])).status_code == 200


def test_an_outsider_is_told_they_are_no_member_not_that_they_left(world):
    page = english_client(world["people"]["eva"]).get(
        reverse("rooms:room", args=[world["room_a"].pk])
    )
    assert page.status_code == 403
    assert "No access to this room" in page.text
    assert "no longer a member" not in page.text


def test_a_facilitator_who_left_cannot_open_the_next_meeting(world):
    from datetime import timedelta

    from django.utils import timezone

    from groups.models import Meeting, Role, RoleAssignment

    anna = world["people"]["anna"]
    meeting = Meeting.objects.create(
        group=world["group_a"], starts_at=timezone.now() + timedelta(days=3)
    )
    RoleAssignment.objects.create(meeting=meeting, user=anna, role=Role.FACILITATOR)
    url = reverse("rooms:open", args=[meeting.pk])
    assert english_client(anna).get(url).status_code == 200
    end_membership(Membership.objects.get(group=world["group_a"], user=anna))
    assert english_client(anna).get(url).status_code == 403
