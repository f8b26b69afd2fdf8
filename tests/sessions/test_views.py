"""The room over HTTP: opening, joining, commands, and who may do what."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from groups.models import Membership
from methods import cache as step_cache
from methods.models import Method
from sessions_app import live
from sessions_app.models import Audience, Room, RoomMember
from tests.conftest import make_user

from .conftest import open_room_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_command(client, room, name, **data):
    room.refresh_from_db()
    data.setdefault("revision", room.revision)
    return client.post(reverse("rooms:command", args=[room.pk, name]), data)


# ---- Opening ----


def test_facilitator_opens_the_room_with_roles_case_and_method(
    meeting, members, case, method_library
):
    anna = client_for(members[0])
    page = anna.get(reverse("rooms:open", args=[meeting.pk]))
    assert page.status_code == 200
    assert "Roddelmodel" in page.content.decode()
    roddel = Method.objects.get(slug="roddelmodel")
    response = anna.post(
        reverse("rooms:open", args=[meeting.pk]),
        {
            "present": [m.pk for m in members],
            "method": roddel.pk,
            "case": case.pk,
            "facilitator": members[0].pk,
        },
    )
    room = Room.objects.get(meeting=meeting)
    assert response.url == reverse("rooms:room", args=[room.pk])
    assert room.members.get(user=members[1]).audience == Audience.INBRENGER  # the case owner
    page = anna.get(response.url).content.decode()
    assert room.join_code in page and "<svg" in page  # QR code and short code


def test_opening_errors_keep_what_was_filled_in(meeting, members, case, method_library):
    anna = client_for(members[0])
    roddel = Method.objects.get(slug="roddelmodel")
    response = anna.post(
        reverse("rooms:open", args=[meeting.pk]),
        {
            "present": [m.pk for m in members[2:]],  # Anna and Bram not ticked present
            "method": roddel.pk,
            "case": case.pk,
            "facilitator": members[0].pk,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "De facilitator moet aanwezig zijn." in html
    assert "De inbrenger moet aanwezig zijn." in html
    assert re.search(rf'value="{members[3].pk}"[^>]*checked', html)
    assert not Room.objects.exists()


def test_the_facilitator_cannot_bring_the_case_too(meeting, members, method_library):
    anna = client_for(members[0])
    response = anna.post(
        reverse("rooms:open", args=[meeting.pk]),
        {
            "present": [m.pk for m in members],
            "method": Method.objects.get(slug="balint").pk,
            "facilitator": members[0].pk,
            "inbrenger": members[0].pk,
        },
    )
    assert "De facilitator kan niet ook de casus inbrengen" in response.content.decode()


def test_only_the_facilitator_or_coordinator_opens_the_room(
    meeting, members, coordinator, outsider
):
    from groups.models import Role, RoleAssignment

    RoleAssignment.objects.create(meeting=meeting, user=members[0], role=Role.FACILITATOR)
    url = reverse("rooms:open", args=[meeting.pk])
    assert client_for(members[2]).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 403
    assert client_for(coordinator).get(url).status_code == 200
    assert client_for(members[0]).get(url).status_code == 200


def test_the_duration_planner_fits_the_method_into_the_meeting(meeting, members, method_library):
    anna = client_for(members[0])
    crea = Method.objects.get(slug="crea")
    html = anna.get(reverse("rooms:plan", args=[meeting.pk]), {"method": crea.pk}).content.decode()
    # CREA's own 65 minutes (the hand-out: 50–70), not stretched to fill the 90-minute meeting;
    # the rest is the opening and the closing.
    assert "Gezamenlijke reflectie" in html
    assert re.search(r'data-frame="method">65 min', html)
    assert re.search(r'data-frame="opening">15 min', html)
    assert re.search(r'data-frame="closing">10 min', html)


# ---- The room page and commands ----


def test_each_role_gets_its_own_screen(meeting, members, case):
    room = open_room_for(meeting, members, case=case)
    facilitator_page = (
        client_for(members[0]).get(reverse("rooms:room", args=[room.pk])).content.decode()
    )
    phone_page = client_for(members[2]).get(reverse("rooms:room", args=[room.pk])).content.decode()
    assert 'data-command="start"' in facilitator_page
    assert 'data-command="start"' not in phone_page
    assert "phone-body" in phone_page
    assert 'data-notes="member"' in phone_page  # a notepad of their own, not the case's
    inbrenger_page = (
        client_for(members[1]).get(reverse("rooms:room", args=[room.pk])).content.decode()
    )
    assert "Mijn notities" in inbrenger_page


def test_commands_need_a_csrf_token(meeting, members, case):
    room = open_room_for(meeting, members, case=case)
    client = Client(enforce_csrf_checks=True)
    client.force_login(members[0])
    response = client.post(reverse("rooms:command", args=[room.pk, "start"]), {"revision": 1})
    assert response.status_code == 403
    room.refresh_from_db()
    assert room.status == Room.Status.LOBBY


def test_a_stale_next_is_refused_with_a_clear_message_and_fresh_fragments(meeting, members, case):
    room = open_room_for(meeting, members, case=case)
    anna = client_for(members[0])
    assert post_command(anna, room, "start").status_code == 204  # the push brings the new state
    assert (
        anna.post(reverse("rooms:command", args=[room.pk, "next"]), {"revision": 2}).status_code
        == 204
    )
    response = anna.post(reverse("rooms:command", args=[room.pk, "next"]), {"revision": 2})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Je scherm liep achter" in body
    assert 'data-revision="3"' in body and 'id="room-step"' in body
    room.refresh_from_db()
    assert room.step.key == "probleemverkenning"


def test_a_participant_cannot_drive_the_room(meeting, members, case):
    room = open_room_for(meeting, members, case=case)
    response = post_command(client_for(members[2]), room, "start")
    assert response.status_code == 403
    room.refresh_from_db()
    assert room.status == Room.Status.LOBBY


def test_outsiders_see_nothing_of_the_room(meeting, members, case, outsider):
    room = open_room_for(meeting, members, case=case)
    client = client_for(outsider)
    page = client.get(reverse("rooms:room", args=[room.pk]))
    assert page.status_code == 403
    assert case.working_question not in page.content.decode()
    assert post_command(client, room, "start").status_code == 404
    assert client.post(reverse("rooms:storing", args=[room.pk]), {"text": "x"}).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(meeting, members, case):
    room = open_room_for(meeting, members, case=case)
    response = Client().get(reverse("rooms:room", args=[room.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_phone_raises_a_storing_and_the_facilitator_sees_it(meeting, members, case):
    room = open_room_for(meeting, members, case=case)
    response = client_for(members[3]).post(
        reverse("rooms:storing", args=[room.pk]), {"text": "<b>Ik moet om 15u weg</b>"}
    )
    assert "De facilitator ziet je storing" in response.content.decode()
    page = client_for(members[0]).get(reverse("rooms:room", args=[room.pk])).content.decode()
    assert "&lt;b&gt;Ik moet om 15u weg&lt;/b&gt;" in page  # escaped, never markup


def test_a_too_long_storing_gets_an_error_and_is_not_saved(meeting, members, case):
    room = open_room_for(meeting, members, case=case)
    response = client_for(members[3]).post(
        reverse("rooms:storing", args=[room.pk]), {"text": "x" * 201}
    )
    assert response.status_code == 422
    assert not room.storingen.exists()


def test_ready_count_shows_on_the_facilitators_next_button(meeting, members, case):
    room = open_room_for(meeting, members, method_slug="balint", case=case)
    anna = client_for(members[0])
    post_command(anna, room, "start")
    post_command(anna, room, "next")
    post_command(anna, room, "next")  # Balint 3: writing advice
    room.refresh_from_db()
    for user in members[2:5]:
        response = client_for(user).post(
            reverse("rooms:ready", args=[room.pk]), {"step_run": room.step_run_id}
        )
        assert response.status_code == 200
    html = anna.get(reverse("rooms:room", args=[room.pk])).content.decode()
    assert "3/4 klaar" in html


# ---- Joining ----


def test_a_member_joins_with_the_code_and_lands_in_the_room(meeting, members, case):
    room = open_room_for(meeting, members[:5], case=case)
    femke = client_for(members[5])  # not ticked present at the opening: came late
    response = femke.post(reverse("rooms:join"), {"code": room.join_code.lower()})
    assert response.url == reverse("rooms:join_code", args=[room.join_code])
    response = femke.get(response.url)
    assert response.url == reverse("rooms:room", args=[room.pk])
    assert RoomMember.objects.filter(
        room=room, user=members[5], audience=Audience.PARTICIPANT
    ).exists()


def test_scanning_the_qr_code_logged_out_comes_back_after_login(meeting, members, case):
    room = open_room_for(meeting, members, case=case)
    client = Client()
    response = client.get(reverse("rooms:join_code", args=[room.join_code]))
    assert response.url.startswith(reverse("login"))
    assert f"next=/j/{room.join_code}/" in response.url


def test_a_wrong_code_says_so(members):
    response = client_for(members[0]).post(reverse("rooms:join"), {"code": "AB1"})
    assert "6 tekens" in response.content.decode()
    response = client_for(members[0]).get(reverse("rooms:join_code", args=["ZZZZZZ"]))
    assert response.status_code == 404
    assert "Er is geen open sessie met deze code" in response.content.decode()


def test_a_non_member_with_the_code_is_refused(meeting, members, case, outsider):
    room = open_room_for(meeting, members, case=case)
    response = client_for(outsider).get(reverse("rooms:join_code", args=[room.join_code]))
    assert response.status_code == 403
    assert (
        "niet in deze groep" in response.content.decode() or "geen lid" in response.content.decode()
    )
    assert not RoomMember.objects.filter(room=room, user=outsider).exists()


def test_guests_join_only_where_the_contract_allows(meeting, members, case):
    room = open_room_for(meeting, members, case=case)
    guest = Client()
    assert guest.get(reverse("rooms:guest", args=[room.join_code])).status_code == 404
    meeting.group.allow_guests = True
    meeting.group.save()
    assert guest.get(reverse("rooms:join_code", args=[room.join_code])).url.endswith("/guest/")
    response = guest.post(reverse("rooms:guest", args=[room.join_code]), {"name": "  Gijs  Gast "})
    assert response.url == reverse("rooms:room", args=[room.pk])
    page = guest.get(response.url).content.decode()
    assert "Gijs Gast" in page
    assert RoomMember.objects.get(room=room, user__isnull=True).guest_name == "Gijs Gast"


def test_guessing_codes_is_rate_limited(members):
    client = client_for(members[0])
    statuses = [
        client.post(reverse("rooms:join"), {"code": f"AAAA{i:02d}"}).status_code for i in range(50)
    ]
    assert set(statuses) == {404}  # "no open session with this code", fifty times
    response = client.post(reverse("rooms:join"), {"code": "AAAAAA"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Te veel pogingen met een onjuiste code" in html
    assert re.search(r"over \d+ minuten", html)  # the real wait, not "a minute"
    assert 'value="AAAAAA"' in html  # what was typed stays in the field


# ---- Query counts: independent of the group's size ----


def _room_with(meeting, group, members, size):
    for i in range(size - len(members)):
        Membership.objects.create(group=group, user=make_user(f"extra{i}"))
    users = list(group.active_members())
    return open_room_for(
        meeting, [members[0], members[1], *[u for u in users if u not in members[:2]]]
    )


@pytest.mark.parametrize("size", [3, 8])
def test_room_page_queries_do_not_grow_with_the_group(
    meeting, group, members, size, django_assert_num_queries
):
    Membership.objects.filter(group=group, user__in=members[size:]).delete()
    room = _room_with(meeting, group, members[: min(size, 6)], size)
    assert room.members.count() == size
    client = client_for(members[2])
    client.get(reverse("rooms:room", args=[room.pk]))  # warm up session
    # The session comes from the cache, the method's steps from the step cache (methods/cache.py);
    # +1 in the lobby for last time's case (follow-up).
    with django_assert_num_queries(6):
        client.get(reverse("rooms:room", args=[room.pk]))


@pytest.mark.parametrize("size", [3, 8])
def test_rendering_a_push_does_not_grow_with_the_group(
    meeting, group, members, size, django_assert_num_queries
):
    Membership.objects.filter(group=group, user__in=members[size:]).delete()
    room = _room_with(meeting, group, members[: min(size, 6)], size)
    # Room, members, open storingen, trail of visited steps (EVERYTHING shows them all), + 1 in
    # the lobby: last time's case, looked up once per push (follow_up_tags). The steps come from
    # the step cache (methods/cache.py): one more query when the process has not read them yet.
    step_cache.clear()
    for expected in (6, 5):
        with django_assert_num_queries(expected):
            state = live.load_state(room.pk)
            for audience in Audience.values:
                live.render_parts(state, audience, live.EVERYTHING)


def test_a_guest_never_sees_the_groups_other_cases(meeting, members, case):
    from sessions_app import services

    room = open_room_for(meeting, members, method_slug="incidentmethode", case=None)
    meeting.group.allow_guests = True
    meeting.group.save()
    guest = Client()
    guest.post(reverse("rooms:guest", args=[room.join_code]), {"name": "Gijs Gast"})
    services.run_command(room.pk, members[0], "start", 1)  # Incidentmethode 1: case inventory
    html = guest.get(reverse("rooms:room", args=[room.pk])).content.decode()
    assert "Gijs Gast" in html
    assert case.working_question not in html and case.title not in html
    member_html = client_for(members[2]).get(reverse("rooms:room", args=[room.pk])).content.decode()
    assert case.title in member_html
