"""Join codes hold against guessing and never lock out a group on one office network.

Runs on whichever limiter this test run has: the database cache (embedded) or Redis."""

import re
import time
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groups.models import Group, Meeting, Membership
from sessions_app.models import Room, RoomMember
from tests.conftest import PASSWORD, make_user
from tests.sessions.conftest import open_room_for

from .conftest import client_for

pytestmark = pytest.mark.django_db

OFFICE = "192.0.2.10"  # one public address for a whole building
WRONG_PER_HOUR = settings.RATE_LIMITS["join.wrong.address"][0]


def wrong_code() -> str:
    """A well-formed code that opens nothing (the alphabet has no 0, O, 1, I or L)."""
    return "Z" + uuid.uuid4().hex[:5].upper().replace("0", "2").replace("1", "3")


def typo_of(code: str) -> str:
    return code[:-1] + ("Z" if code[-1] != "Z" else "Y")


def group_of_eight(name: str) -> tuple[Room, list]:
    users = [make_user(f"{name}{i}", name.title(), f"Lid {i}") for i in range(8)]
    group = Group.objects.create(name=f"Intervisie {name}")
    for user in users:
        Membership.objects.create(group=group, user=user)
    meeting = Meeting.objects.create(group=group, starts_at=timezone.now() + timedelta(minutes=5))
    # The facilitator opens the room with only themself and the inbrenger ticked present: the
    # other six come in on their phones.
    return open_room_for(meeting, users[:2]), users


def phone_joins_by_typing(phone: Client, user, code: str) -> str:
    """What a person does on a phone that is not signed in: types the code (with a typo first,
    then right), signs in, lands in the room. Returns the URL they end on."""
    assert phone.post(reverse("rooms:join"), {"code": typo_of(code)}).status_code == 404
    response = phone.post(reverse("rooms:join"), {"code": code})
    assert response.status_code == 302, response.content.decode()[:300]
    response = phone.get(response.url)  # the code's page: sign in first
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    login = phone.post(
        response.url, {"username": user.username, "password": PASSWORD, "next": f"/j/{code}/"}
    )
    assert login.status_code == 302, login.content.decode()[:300]
    response = phone.get(login.url)
    assert response.status_code == 302
    return response.url


def test_an_office_of_three_groups_joins_by_typed_code_with_a_typo_each():
    rooms = [group_of_eight(name) for name in ("noord", "zuid", "west")]
    started = time.monotonic()
    landed = []
    for room, users in rooms:
        for user in users:  # 24 phones, one address
            phone = Client(REMOTE_ADDR=OFFICE)
            landed.append(phone_joins_by_typing(phone, user, room.join_code))
            assert phone.get(landed[-1]).status_code == 200
    assert time.monotonic() - started < 120
    assert landed == [reverse("rooms:room", args=[room.pk]) for room, _ in rooms for _ in range(8)]
    for room, users in rooms:
        assert set(RoomMember.objects.filter(room=room).values_list("user", flat=True)) == {
            u.pk for u in users
        }


def test_sixty_wrong_codes_end_in_429_on_the_member_and_the_guest_endpoint(running_room, group):
    group.allow_guests = True
    group.save()
    guesser = Client(REMOTE_ADDR="203.0.113.7")
    statuses = []
    for i in range(60):
        endpoint = "rooms:join_code" if i % 2 else "rooms:guest"
        statuses.append(guesser.get(reverse(endpoint, args=[wrong_code()])).status_code)
    assert statuses[:WRONG_PER_HOUR] == [404] * WRONG_PER_HOUR
    assert statuses[WRONG_PER_HOUR:] == [429] * (60 - WRONG_PER_HOUR)
    for endpoint in ("rooms:join_code", "rooms:guest"):
        response = guesser.get(reverse(endpoint, args=[wrong_code()]))
        assert response.status_code == 429
        html = response.content.decode()
        # The real wait: the first of the fifty leaves the hour about an hour from now.
        minutes = int(re.search(r"Probeer het over (\d+) minuten opnieuw", html).group(1))
        assert 55 <= minutes <= 70
        assert abs(int(response["Retry-After"]) / 60 - minutes) <= 1
        assert "Lid van de groep? Log dan eerst in" in html  # members still have a way in
    # The typed form answers the same way.
    typed = guesser.post(reverse("rooms:join"), {"code": wrong_code()})
    assert typed.status_code == 429


def test_rotating_forwarded_for_from_an_untrusted_peer_is_counted_on_the_peer(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    statuses = [
        Client(REMOTE_ADDR="203.0.113.50", HTTP_X_FORWARDED_FOR=f"198.51.100.{i % 250}, 10.0.{i}.1")
        .get(reverse("rooms:join_code", args=[wrong_code()]))
        .status_code
        for i in range(WRONG_PER_HOUR + 5)
    ]  # fmt: skip
    assert statuses.count(404) == WRONG_PER_HOUR
    assert statuses[-5:] == [429] * 5


def test_behind_the_trusted_proxy_each_client_has_its_own_budget(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]

    def via_proxy(client_address: str) -> Client:
        # nginx appends what it saw; the client's own header comes first and is ignored.
        return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"6.6.6.6, {client_address}")

    for _ in range(WRONG_PER_HOUR):
        via_proxy("203.0.113.7").get(reverse("rooms:join_code", args=[wrong_code()]))
    blocked = via_proxy("203.0.113.7").get(reverse("rooms:join_code", args=[wrong_code()]))
    assert blocked.status_code == 429
    other = via_proxy("203.0.113.8").get(reverse("rooms:join_code", args=[wrong_code()]))
    assert other.status_code == 404


def _block(address: str) -> None:
    for _ in range(WRONG_PER_HOUR):
        Client(REMOTE_ADDR=address).get(reverse("rooms:join_code", args=[wrong_code()]))


def test_on_a_blocked_address_those_who_know_the_code_still_get_in(running_room, members):
    code = running_room.join_code
    earlier = Client(REMOTE_ADDR=OFFICE)  # scanned the QR before the address was blocked
    assert earlier.get(reverse("rooms:join_code", args=[code])).status_code == 302
    _block(OFFICE)
    stranger = Client(REMOTE_ADDR=OFFICE)
    assert stranger.get(reverse("rooms:join_code", args=[wrong_code()])).status_code == 429
    # The same address looked this code up correctly: it learns nothing new, so it passes…
    again = Client(REMOTE_ADDR=OFFICE).get(reverse("rooms:join_code", args=[code]))
    assert again.status_code == 302
    # …and so does a member of the room's group, signed in.
    femke = client_for(members[5])
    femke.defaults["REMOTE_ADDR"] = OFFICE
    response = femke.get(reverse("rooms:join_code", args=[code]))
    assert response.url == reverse("rooms:room", args=[running_room.pk])


def test_a_blocked_address_gets_the_same_answer_for_a_right_code(running_room, outsider):
    _block("203.0.113.9")
    guesser = client_for(outsider)  # signed in, but not in the group
    guesser.defaults["REMOTE_ADDR"] = "203.0.113.9"
    right = guesser.get(reverse("rooms:join_code", args=[running_room.join_code]))
    wrong = guesser.get(reverse("rooms:join_code", args=[wrong_code()]))
    assert right.status_code == wrong.status_code == 429


def _answer(response, code: str) -> tuple[int, str]:
    """The page without what differs per request anyway: the CSRF token and the typed code."""
    html = response.content.decode().replace(code, "CODE")
    html = re.sub(r"[A-Za-z0-9]{64}", "CSRF", html)
    return response.status_code, html


def test_a_wrong_code_and_an_expired_one_answer_alike_on_both_endpoints(
    running_room, meeting, group, members, settings
):
    group.allow_guests = True
    group.save()
    ended = running_room
    Room.objects.filter(pk=ended.pk).update(status=Room.Status.ENDED)
    other = Meeting.objects.create(group=group, starts_at=timezone.now() + timedelta(days=1))
    lobby = open_room_for(other, members)
    Room.objects.filter(pk=lobby.pk).update(
        code_issued_at=timezone.now() - timedelta(hours=settings.JOIN_CODE_LOBBY_HOURS, minutes=1)
    )
    for endpoint in ("rooms:join_code", "rooms:guest"):
        answers = {
            _answer(Client(REMOTE_ADDR=f"198.51.100.{i}").get(reverse(endpoint, args=[code])), code)
            for i, code in enumerate([wrong_code(), ended.join_code, lobby.join_code])
        }
        assert len(answers) == 1, endpoint
        assert next(iter(answers))[0] == 404


def test_the_global_alarm_slows_wrong_codes_for_everyone(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "join.wrong.alarm_level": (10, 600)}
    for i in range(10):  # many guessers, each far below their own limit
        Client(REMOTE_ADDR=f"198.51.100.{i}").get(reverse("rooms:join_code", args=[wrong_code()]))
    newcomer = Client(REMOTE_ADDR="203.0.113.77")
    assert newcomer.get(reverse("rooms:join_code", args=[wrong_code()])).status_code == 404
    slowed = newcomer.get(reverse("rooms:join_code", args=[wrong_code()]))
    assert slowed.status_code == 429
    assert 150 <= int(slowed["Retry-After"]) <= 210  # one wrong code per 3 minutes
    assert "Probeer het over" in slowed.content.decode()


def test_a_code_shared_far_beyond_its_room_is_refused_to_new_addresses(running_room, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "join.code.new_addresses": (3, 600)}
    url = reverse("rooms:join_code", args=[running_room.join_code])
    assert [Client(REMOTE_ADDR=f"198.51.100.{i}").get(url).status_code for i in range(4)] == [
        302,
        302,
        302,
        429,
    ]
    assert Client(REMOTE_ADDR="198.51.100.0").get(url).status_code == 302  # it knows the code
