"""Script in a name, a case, a storing or a guest name is shown as text — on the room pages and
in every pushed fragment."""

import pytest
from django.urls import reverse

from groups.models import Membership
from sessions_app import live, services
from sessions_app.models import Audience, RoomMember
from tests.conftest import make_user
from tests.sessions.conftest import open_room_for

from .conftest import client_for

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('xss')</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
RAW = (SCRIPT, "<img src=x onerror")


@pytest.fixture
def hostile_room(meeting, group, members, case):
    """Everything a member can type carries a payload."""
    mallory = make_user("mallory", SCRIPT, ATTRIBUTE)
    Membership.objects.create(group=group, user=mallory)
    case.title = SCRIPT
    case.working_question = f"Hoe kan ik {SCRIPT} {ATTRIBUTE}?"
    case.save()
    group.allow_guests = True
    group.save()
    room = open_room_for(meeting, [*members, mallory], case=case)
    guest = RoomMember.objects.create(
        room=room, guest_name=f"Gast {SCRIPT}", guest_token=RoomMember.new_guest_token()
    )
    mallory_member = room.members.get(user=mallory)
    services.raise_storing(mallory_member, f"storing {SCRIPT} {ATTRIBUTE}")
    services.raise_storing(guest, ATTRIBUTE)
    return room


def assert_escaped(html: str) -> None:
    for raw in RAW:
        assert raw not in html
    assert "&lt;script&gt;" in html


def test_the_lobby_pages_show_payloads_as_text(hostile_room, members):
    laptop = client_for(members[0]).get(reverse("rooms:room", args=[hostile_room.pk]))
    phone = client_for(members[2]).get(reverse("rooms:room", args=[hostile_room.pk]))
    assert laptop.status_code == phone.status_code == 200
    assert_escaped(laptop.content.decode())
    assert_escaped(phone.content.decode())


def test_running_room_pages_and_every_push_show_payloads_as_text(hostile_room, members):
    services.run_command(hostile_room.pk, members[0], "start", 1)
    for user in (members[0], members[1], members[2]):
        page = client_for(user).get(reverse("rooms:room", args=[hostile_room.pk]))
        assert_escaped(page.content.decode())
    state = live.load_state(hostile_room.pk)
    for audience in Audience.values:
        assert_escaped(live.render_parts(state, audience, live.EVERYTHING))
    for member in state.members:
        html = live.render_parts(state, member.audience, live.EVERYTHING, member=member)
        for raw in RAW:
            assert raw not in html


def test_pushed_fragments_stay_escaped_through_every_step(hostile_room, members):
    services.run_command(hostile_room.pk, members[0], "start", 1)
    revision = 2
    while True:
        state = live.load_state(hostile_room.pk)
        for audience in Audience.values:
            html = live.render_parts(state, audience, live.EVERYTHING)
            for raw in RAW:
                assert raw not in html, (state.step.key, audience)
        if state.is_last_step:
            break
        services.run_command(hostile_room.pk, members[0], "next", revision)
        revision += 1
