"""Codes expire and are renewed with one click; guests are capped by the contract, counted by the
limiter, and can be removed by the facilitator."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sessions_app import joining, services
from sessions_app.models import Room, RoomMember

from .test_views import client_for

pytestmark = pytest.mark.django_db


def test_a_lobby_code_works_for_twelve_hours_a_running_one_until_the_end(room, settings):
    assert settings.JOIN_CODE_LOBBY_HOURS == 12
    issued = room.code_issued_at
    assert joining.code_works(room, issued + timedelta(hours=11, minutes=59))
    assert not joining.code_works(room, issued + timedelta(hours=12))
    room.status = Room.Status.RUNNING
    assert joining.code_works(room, issued + timedelta(days=2))
    room.status = Room.Status.ENDED
    assert not joining.code_works(room, issued)


def test_the_lobby_lifetime_is_configurable(room, settings):
    settings.JOIN_CODE_LOBBY_HOURS = 1
    assert not joining.code_works(room, room.code_issued_at + timedelta(minutes=61))


def test_a_code_stops_working_when_the_session_ends(room, members):
    code = room.join_code
    services.run_command(room.pk, members[0], "start", 1)
    assert client_for(members[5]).get(reverse("rooms:join_code", args=[code])).status_code == 302
    services.run_command(room.pk, members[0], "end", 2)
    response = client_for(members[5]).get(reverse("rooms:join_code", args=[code]))
    assert response.status_code == 404


def test_the_facilitator_renews_the_code_and_the_old_qr_stops_working(room, members):
    old = room.join_code
    anna = client_for(members[0])
    page = anna.get(reverse("rooms:room", args=[room.pk])).content.decode()
    assert "Nieuwe code" in page
    response = anna.post(reverse("rooms:renew_code", args=[room.pk]))
    assert response.url == reverse("rooms:room", args=[room.pk])
    room.refresh_from_db()
    assert room.join_code != old
    page = anna.get(response.url).content.decode()
    assert room.join_code in page and old not in page
    femke = client_for(members[5])
    assert femke.get(reverse("rooms:join_code", args=[old])).status_code == 404
    assert femke.get(reverse("rooms:join_code", args=[room.join_code])).status_code == 302


def test_an_expired_lobby_says_so_to_the_facilitator_and_a_new_code_revives_it(room, members):
    Room.objects.filter(pk=room.pk).update(code_issued_at=timezone.now() - timedelta(hours=13))
    femke = client_for(members[5])
    assert femke.get(reverse("rooms:join_code", args=[room.join_code])).status_code == 404
    anna = client_for(members[0])
    assert (
        "Deze code is verlopen" in anna.get(reverse("rooms:room", args=[room.pk])).content.decode()
    )
    anna.post(reverse("rooms:renew_code", args=[room.pk]))
    room.refresh_from_db()
    assert femke.get(reverse("rooms:join_code", args=[room.join_code])).status_code == 302
    assert (
        "Deze code is verlopen"
        not in anna.get(reverse("rooms:room", args=[room.pk])).content.decode()
    )


def test_only_the_facilitator_renews_the_code(room, members, outsider):
    old = room.join_code
    assert (
        client_for(members[1]).post(reverse("rooms:renew_code", args=[room.pk])).status_code == 403
    )
    assert client_for(outsider).post(reverse("rooms:renew_code", args=[room.pk])).status_code == 404
    room.refresh_from_db()
    assert room.join_code == old


# ---- Guests ----


@pytest.fixture
def guest_room(room, group):
    group.allow_guests = True
    group.max_guests = 2
    group.save()
    return room


def sign_up(room, name: str, address: str = "198.51.100.20") -> tuple[Client, object]:
    guest = Client(REMOTE_ADDR=address)
    return guest, guest.post(reverse("rooms:guest", args=[room.join_code]), {"name": name})


def test_a_new_group_takes_four_guests_by_default(group):
    assert group.max_guests == 4


def test_no_more_guests_than_the_contract_allows(guest_room):
    for name in ("Gijs", "Greet"):
        _client, response = sign_up(guest_room, name)
        assert response.status_code == 302
    _client, response = sign_up(guest_room, "Gerrit")
    assert response.status_code == 409
    html = response.content.decode()
    assert "al 2 gasten" in html
    assert 'value="Gerrit"' in html  # what they typed stays
    assert guest_room.members.filter(user__isnull=True).count() == 2


def test_guest_sign_ups_are_counted_by_the_limiter(guest_room, group, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "guest.signup.address": (1, 3600)}
    group.max_guests = 10
    group.save()
    assert sign_up(guest_room, "Gijs")[1].status_code == 302
    _client, response = sign_up(guest_room, "Greet")
    assert response.status_code == 429
    assert "Probeer het over" in response.content.decode()
    # Another address is not affected.
    assert sign_up(guest_room, "Greet", address="198.51.100.21")[1].status_code == 302


def test_the_facilitator_removes_a_guest_who_cannot_come_back(guest_room, members):
    guest, response = sign_up(guest_room, "Gijs Gast")
    gijs = RoomMember.objects.get(room=guest_room, guest_name="Gijs Gast")
    anna = client_for(members[0])
    page = anna.get(reverse("rooms:room", args=[guest_room.pk])).content.decode()
    assert f'data-remove-guest="{gijs.pk}"' in page and "1/2" in page
    removed = anna.post(reverse("rooms:remove_guest", args=[guest_room.pk, gijs.pk]))
    assert removed.status_code == 204
    assert not RoomMember.objects.filter(pk=gijs.pk).exists()
    page = guest.get(reverse("rooms:room", args=[guest_room.pk]))
    assert page.status_code == 403
    assert "De facilitator heeft je uit deze sessie verwijderd" in page.content.decode()
    again = guest.post(reverse("rooms:guest", args=[guest_room.join_code]), {"name": "Gijs 2"})
    assert again.status_code == 403
    assert not RoomMember.objects.filter(room=guest_room, user__isnull=True).exists()


def test_only_the_facilitator_removes_guests_and_only_guests(guest_room, members):
    sign_up(guest_room, "Gijs")
    gijs = RoomMember.objects.get(room=guest_room, guest_name="Gijs")
    bram = client_for(members[1])
    assert (
        bram.post(reverse("rooms:remove_guest", args=[guest_room.pk, gijs.pk])).status_code == 403
    )
    member = RoomMember.objects.get(room=guest_room, user=members[2])
    anna = client_for(members[0])
    response = anna.post(reverse("rooms:remove_guest", args=[guest_room.pk, member.pk]))
    assert response.status_code == 409
    assert RoomMember.objects.filter(pk__in=[gijs.pk, member.pk]).count() == 2
