"""Getting in: which room a join code opens, the limits that keep codes from being guessed,
guests, and renewing a code.

A code is six characters of a 31-letter alphabet: 887 million codes, a few dozen open rooms.
Guessing is stopped by counting wrong codes (settings.RATE_LIMITS, common/ratelimit.py):

- Per client address, about 50 wrong codes an hour. An office behind one public address that
  types codes with a typo now and then stays far below: 3 groups of 8 phones with one typo each
  is 24 (tests/hardening/test_join_limits.py). Right codes are not counted.
- Globally: beyond an alarm level of wrong codes (many guessers at once), every address is slowed
  to one wrong code per 3 minutes.
- Per code: a valid code looked up from more than 60 new addresses in 10 minutes (a code shared
  far beyond the room) is refused to further new addresses for a while.

The decision to refuse is made before the code is looked at and is the same for every code:
a refusal must not tell a guesser whether the code was right. Exempt are codes the asker already
knows to be right — this address looked the code up correctly in the last 12 hours, or the asker
is in the room's group or already in the room — so a group whose office address is blocked still
gets in, and a guesser learns nothing from it. A wrong code and an expired one are the same
answer on every endpoint.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from common import ratelimit
from common.addresses import client_key

from . import access, live, sockets
from .models import JOIN_CODE_LENGTH, Audience, Room, RoomMember, new_join_code
from .services import CommandRefused, NotAllowed

KNOWN = "join.known"  # (client, code) pairs that were looked up correctly
KNOWN_SECONDS = 12 * 3600


def normalize(code: str) -> str:
    return (code or "").strip().upper()


def code_works(room: Room, now: datetime | None = None) -> bool:
    """A code opens its room while the room runs; in the lobby for JOIN_CODE_LOBBY_HOURS after it
    was issued; never once the room ended."""
    if room.status == Room.Status.ENDED:
        return False
    if room.status == Room.Status.LOBBY:
        lifetime = timedelta(hours=settings.JOIN_CODE_LOBBY_HOURS)
        return (now or timezone.now()) < room.code_issued_at + lifetime
    return True


def room_for_code(code: str) -> Room | None:
    """The room a code opens now; None for a wrong code and an expired one alike."""
    code = normalize(code)
    if len(code) != JOIN_CODE_LENGTH:
        return None
    room = Room.objects.select_related("meeting__group").filter(join_code=code).first()
    return room if room is not None and code_works(room) else None


@dataclass
class Lookup:
    room: Room | None  # the room the code opens; None for a wrong or expired code
    wait: int = 0  # > 0: refused for now, whatever the code (seconds until a try is counted)

    @property
    def limited(self) -> bool:
        return self.wait > 0

    def message(self) -> str:
        return _("Too many wrong codes were tried from your network. Try again in %(wait)s.") % {
            "wait": ratelimit.wait_text(self.wait)
        }


def _already_knows(request: HttpRequest, room: Room, who: str) -> bool:
    if ratelimit.remembers(KNOWN, f"{who}|{room.join_code}"):
        return True
    guests = request.session.get(access.GUEST_SESSION_KEY, {})
    return str(room.pk) in guests or access.is_group_member(room, request.user)


def _alarm() -> bool:
    level = ratelimit.rate("join.wrong.alarm_level")
    return ratelimit.count("join.wrong.alarm_level", "all", level) >= level.limit


def look_up(request: HttpRequest, code: str) -> Lookup:
    """Every endpoint that takes a code asks here (see the module's docstring)."""
    room = room_for_code(code)
    who = client_key(request)
    if room is not None and _already_knows(request, room, who):
        return Lookup(room)
    counted = []
    names = ["join.wrong.address", *(["join.wrong.address_in_alarm"] if _alarm() else [])]
    for name in names:
        verdict = ratelimit.reserve(name, who, ratelimit.rate(name))
        if not verdict:
            for earlier in counted:
                ratelimit.refund(earlier)
            return Lookup(None, verdict.wait)
        counted.append(verdict)
    if room is None:  # the reservations stand: they count this wrong code
        ratelimit.hit("join.wrong.alarm_level", "all", ratelimit.rate("join.wrong.alarm_level"))
        return Lookup(None)
    for verdict in counted:
        ratelimit.refund(verdict)
    fresh = ratelimit.reserve(
        "join.code.new_addresses", room.join_code, ratelimit.rate("join.code.new_addresses")
    )
    if not fresh:
        return Lookup(None, fresh.wait)
    ratelimit.remember(KNOWN, f"{who}|{room.join_code}", KNOWN_SECONDS)
    return Lookup(room)


# ---- Guests -------------------------------------------------------------------------------------


class GuestRefused(Exception):
    def __init__(self, message: str, status: int = 409, wait: int = 0):
        super().__init__(message)
        self.status, self.wait = status, wait


def guest_count(room: Room) -> int:
    return RoomMember.objects.filter(room=room, user__isnull=True).count()


def was_removed(session, room: Room) -> bool:
    """This browser signed up as a guest of the room, and that guest is gone: the facilitator
    removed them."""
    token = session.get(access.GUEST_SESSION_KEY, {}).get(str(room.pk))
    return bool(token) and not RoomMember.objects.filter(room=room, guest_token=token).exists()


def admit_guest(request: HttpRequest, room: Room, name: str) -> RoomMember:
    """A guest joins with a name, within the contract's number of guests and the sign-up limits.
    Their token goes into their session (access.find_member)."""
    group = room.meeting.group
    if was_removed(request.session, room):
        raise GuestRefused(_("The facilitator has removed you from this session."), status=403)
    counted = []
    for limit, who in (
        ("guest.signup.address", client_key(request)),
        ("guest.signup.code", room.join_code),
    ):
        verdict = ratelimit.reserve(limit, who, ratelimit.rate(limit))
        if not verdict:
            for earlier in counted:
                ratelimit.refund(earlier)
            raise GuestRefused(
                _("Too many guests signed up here just now. Try again in %(wait)s.")
                % {"wait": ratelimit.wait_text(verdict.wait)},
                status=429,
                wait=verdict.wait,
            )
        counted.append(verdict)
    with transaction.atomic():
        # The room row is the lock: two guests taking the last place cannot both get it.
        Room.objects.select_for_update().filter(pk=room.pk).first()
        if guest_count(room) >= group.max_guests:
            full = True
        else:
            full = False
            member = RoomMember.objects.create(
                room=room,
                guest_name=name,
                guest_token=RoomMember.new_guest_token(),
                audience=Audience.GUEST,
            )
    if full:
        for verdict in counted:
            ratelimit.refund(verdict)
        raise GuestRefused(
            _("This meeting already has its %(count)d guests: the group agreed on no more.")
            % {"count": group.max_guests}
        )
    guests = request.session.get(access.GUEST_SESSION_KEY, {})
    guests[str(room.pk)] = member.guest_token
    request.session[access.GUEST_SESSION_KEY] = guests
    return member


def remove_guest(room_id, user, member_id: int) -> None:
    """The facilitator removes a guest: their place, their contributions to this session and their
    open sockets go. Their browser keeps the token of the guest who is gone, so it cannot sign up
    into this room again (was_removed)."""
    with transaction.atomic():
        room = Room.objects.select_for_update().get(pk=room_id)
        if room.facilitator_id != user.pk:
            raise NotAllowed(_("Only the facilitator removes guests."))
        deleted, _rows = RoomMember.objects.filter(
            pk=member_id, room=room, user__isnull=True
        ).delete()
        if not deleted:
            raise CommandRefused(_("This guest is no longer in the room."))
        Room.objects.filter(pk=room.pk).update(seq=F("seq") + 1)
        transaction.on_commit(lambda: sockets.close_sockets(member_id))
        live.push_on_commit(room.pk, live.STEP_CHANGE)


# ---- Renewing the code --------------------------------------------------------------------------


def renew_code(room_id, user) -> Room:
    """A new code for the room, valid from now: the old code and its QR stop working."""
    with transaction.atomic():
        room = Room.objects.select_for_update().get(pk=room_id)
        if room.facilitator_id != user.pk:
            raise NotAllowed(_("Only the facilitator renews the code."))
        if room.status == Room.Status.ENDED:
            raise CommandRefused(_("The session has ended: it takes no code any more."))
        code = new_join_code()
        while Room.objects.filter(join_code=code).exists():
            code = new_join_code()
        room.join_code = code
        room.code_issued_at = timezone.now()
        room.save(update_fields=["join_code", "code_issued_at"])
        transaction.on_commit(lambda: _reload_facilitator_screens(room.pk))
    return room


def _reload_facilitator_screens(room_id) -> None:
    """The laptop and a projector show the code: both load the page again, with the new one.
    Phones never show it, so they are left alone."""
    layer = get_channel_layer()
    if layer is None:
        return
    html = live.render_reload(live.load_state(room_id))

    async def send() -> None:
        for language, _name in settings.LANGUAGES:
            group = live.group_name(room_id, Audience.FACILITATOR, language)
            await layer.group_send(group, {"type": "room.push", "html": html})

    async_to_sync(send)()
