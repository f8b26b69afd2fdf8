"""Who may be in a room. Checked on every HTTP view and on every websocket connect."""

from django.contrib.auth.models import AnonymousUser

from groups.models import Membership, Role

from .models import Audience, Room, RoomMember

GUEST_SESSION_KEY = "room_guests"  # {room id: guest token}


def audience_for(meeting, user, case_round: int = 1) -> str:
    """A member's view of the room follows their role in the meeting; who brings the case of
    the other round is an ordinary participant here."""
    roles = {
        a.role
        for a in meeting.roles.all()
        if a.user_id == user.pk and (a.role != Role.INBRENGER or a.round == case_round)
    }
    if Role.FACILITATOR in roles:
        return Audience.FACILITATOR
    if Role.INBRENGER in roles:
        return Audience.INBRENGER
    if Role.OBSERVER in roles:
        return Audience.OBSERVER
    return Audience.PARTICIPANT


def is_group_member(room: Room, user) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False))
        and Membership.objects.filter(
            group_id=room.meeting.group_id, user=user, active=True
        ).exists()
    )


def still_member(user) -> dict:
    """The lookups that keep a room member only while their membership of the group is active
    (one query with the member's own, not a second one)."""
    return {
        "room__meeting__group__memberships__user": user,
        "room__meeting__group__memberships__active": True,
    }


def left_the_group(room: Room, user) -> bool:
    """A former member of the room's group (for a page that says so)."""
    return (
        bool(getattr(user, "is_authenticated", False))
        and Membership.objects.filter(
            group_id=room.meeting.group_id, user=user, active=False
        ).exists()
    )


def member_in_room(room_id, user) -> RoomMember | None:
    """The common case in one light query: someone signed in who is in the room already and
    still in its group (with their user). Late joiners and guests take find_member."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        RoomMember.objects.select_related("user")
        .filter(room_id=room_id, user=user, **still_member(user))
        .first()
    )


def find_member(room: Room, user, session) -> RoomMember | None:
    """The room member behind a request or socket: a logged-in group member, or a guest whose
    token sits in their session. Members of the group who were not ticked present at the opening
    are let in (they came late); everyone else gets None."""
    if user is not None and getattr(user, "is_authenticated", False):
        # Only while they are an active member: whoever left the group is out of its rooms.
        member = (
            RoomMember.objects.select_related("user")
            .filter(room=room, user=user, **still_member(user))
            .first()
        )
        if member is not None:
            return member
        if room.is_open and is_group_member(room, user):
            member, _ = RoomMember.objects.get_or_create(
                room=room,
                user=user,
                defaults={"audience": audience_for(room.meeting, user, room.round)},
            )
            return member
        return None
    token = (session or {}).get(GUEST_SESSION_KEY, {}).get(str(room.pk))
    if token and room.meeting.group.allow_guests:
        return RoomMember.objects.filter(room=room, user__isnull=True, guest_token=token).first()
    return None


def member_for_scope(room_id, user, session) -> RoomMember | None:
    room = Room.objects.select_related("meeting__group").filter(pk=room_id).first()
    if room is None:
        return None
    return find_member(room, user if user is not None else AnonymousUser(), session)
