"""A guest's data: the privacy statement of the group they join, and what this meeting holds
about them. A guest has no account: their name and contributions hang on the guest token in
their browser session, and go with the room's retention (sessions_app/retention.py) — or at
once, when they ask."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from groups.statement import group_privacy

from . import access
from .models import BoardItem, Evaluation, Question, Room, RoomMember, Storing


def _guest_room(code: str) -> Room:
    room = Room.objects.select_related("meeting__group").filter(join_code=code.upper()).first()
    if room is None or not room.meeting.group.allow_guests:
        raise Http404
    return room


def _guest(request: HttpRequest, room: Room) -> RoomMember | None:
    token = request.session.get(access.GUEST_SESSION_KEY, {}).get(str(room.pk))
    if not token:
        return None
    return RoomMember.objects.filter(room=room, user__isnull=True, guest_token=token).first()


@require_GET
def guest_statement(request: HttpRequest, code: str) -> HttpResponse:
    """The statement of the group whose meeting the code opens; for a guest who joined, also
    what the meeting holds about them and how to remove their name now."""
    room = _guest_room(code)
    guest = _guest(request, room)
    if not room.is_open and guest is None:
        raise Http404
    context = {"groups": [group_privacy(room.meeting.group)], "guest_room": room}
    if guest is not None:
        held = {
            _("questions"): Question.objects.filter(asker=guest).exclude(text="").count(),
            _("board items"): BoardItem.objects.filter(author=guest).count(),
            _("evaluations"): Evaluation.objects.filter(member=guest).count(),
            _("storingen"): Storing.objects.filter(raised_by=guest).count(),
        }
        context.update(guest=guest, guest_held=list(held.items()))
    return render(request, "privacy/statement.html", context)


@require_POST
def forget_guest(request: HttpRequest, code: str) -> HttpResponse:
    """The guest's name goes now; what they wrote stays in the session's record, nameless."""
    room = _guest_room(code)
    guest = _guest(request, room)
    if guest is None:
        raise Http404
    RoomMember.objects.filter(pk=guest.pk).update(guest_name="", guest_token="")
    guests = dict(request.session.get(access.GUEST_SESSION_KEY, {}))
    guests.pop(str(room.pk), None)
    request.session[access.GUEST_SESSION_KEY] = guests
    messages.success(request, _("Your name is removed from this meeting, and you have left it."))
    return redirect("rooms:join")
