"""A guest sees today's case only: nothing of earlier meetings, the group by first names."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import ActionPlan, Case, CaseStatus
from groups.models import Meeting
from sessions_app import live
from sessions_app.models import Audience

from .conftest import open_room_for
from .test_views import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def guest_lobby(meeting, members, case):
    """Next week's room, with guests allowed; last month Chantal brought a case and made a plan."""
    group = meeting.group
    group.allow_guests = True
    group.save()
    earlier = Meeting.objects.create(group=group, starts_at=timezone.now() - timedelta(days=28))
    previous = Case.objects.create(
        group=group,
        owner=members[2],
        meeting=earlier,
        title="Vorige casus van Chantal",
        working_question="Hoe kan ik nee zeggen?",
        status=CaseStatus.DISCUSSED,
    )
    ActionPlan.objects.create(case=previous, specific="Nee zeggen oefenen")
    held = open_room_for(earlier, members, case=previous)  # last month's session ran
    held.started_at = earlier.starts_at
    held.save(update_fields=["started_at"])
    room = open_room_for(meeting, members, case=case)
    guest = Client()
    guest.post(reverse("rooms:guest", args=[room.join_code]), {"name": "Gijs Gast"})
    return room, guest


def test_a_guest_in_the_lobby_sees_nothing_of_last_time(guest_lobby, members):
    room, guest = guest_lobby
    member_page = client_for(members[3]).get(reverse("rooms:room", args=[room.pk])).content
    assert "Vorige casus van Chantal" in member_page.decode()  # the group follows up
    page = guest.get(reverse("rooms:room", args=[room.pk])).content.decode()
    assert "Vorige casus van Chantal" not in page and "data-follow-up-case" not in page
    assert "Gijs Gast" in page  # their own name in full
    pushed = live.render_parts(live.load_state(room.pk), Audience.GUEST, live.EVERYTHING)
    assert "Vorige casus van Chantal" not in pushed and "Nee zeggen" not in pushed


def test_a_guest_sees_todays_case(guest_lobby, case):
    room, guest = guest_lobby
    assert (
        case.working_question in guest.get(reverse("rooms:room", args=[room.pk])).content.decode()
    )


def test_a_guest_sees_the_group_by_first_names_only(guest_lobby, members):
    room, guest = guest_lobby
    page = guest.get(reverse("rooms:room", args=[room.pk])).content.decode()
    pushed = live.render_parts(live.load_state(room.pk), Audience.GUEST, live.EVERYTHING)
    for html in (page, pushed):
        assert "Chantal" in html and "Anna" in html
        for surname in ("de Vries", "Jansen", "Bakker", "Visser", "Smit", "Mulder"):
            assert surname not in html, surname
    member_push = live.render_parts(live.load_state(room.pk), Audience.PARTICIPANT, live.EVERYTHING)
    assert "Chantal Bakker" in member_push


def test_a_push_renders_the_guests_names_apart_from_the_members(guest_lobby):
    room, _guest = guest_lobby
    state = live.load_state(room.pk)
    shared: dict = {}
    participant = live.render_parts(state, Audience.PARTICIPANT, live.EVERYTHING, shared=shared)
    guest = live.render_parts(state, Audience.GUEST, live.EVERYTHING, shared=shared)
    assert "Bakker" in participant and "Bakker" not in guest
