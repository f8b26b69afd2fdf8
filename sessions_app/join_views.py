"""Getting into the room over HTTP: the code form, the QR code's link, guests, and the
facilitator's buttons for renewing the code and removing a guest. The rules are in joining.py."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, joining, live, services
from .forms import GuestForm, JoinForm
from .models import Room
from .views import _fragments_response, _get_room, _member_or_refuse, _refused

# ---- Joining ----------------------------------------------------------------------------------
# Every endpoint that takes a code asks joining.look_up: the same limits, and the same answer for
# a wrong code and an expired one.


def _not_joined(request: HttpRequest, code: str, found: joining.Lookup, form=None) -> HttpResponse:
    if form is None:
        form = JoinForm(initial={"code": code})
    if found.limited:
        response = render(
            request, "rooms/join.html", {"form": form, "limited": found.message()}, status=429
        )
        response["Retry-After"] = str(found.wait)
        return response
    return render(request, "rooms/join.html", {"form": form, "unknown": True}, status=404)


def join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        found = joining.look_up(request, form.cleaned_data["code"])
        if found.room is not None:
            return redirect("rooms:join_code", found.room.join_code)
        return _not_joined(request, form.cleaned_data["code"], found, form)
    return render(request, "rooms/join.html", {"form": form})


def join_code(request: HttpRequest, code: str) -> HttpResponse:
    """Where the QR code points: straight into the room, after logging in if needed."""
    found = joining.look_up(request, code)
    room = found.room
    if room is None:
        return _not_joined(request, code, found)
    if access.find_member(room, request.user, request.session):
        return redirect("rooms:room", room.pk)
    if room.meeting.group.allow_guests and not request.user.is_authenticated:
        return redirect("rooms:guest", code=room.join_code)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return _refused(request, room)


def guest(request: HttpRequest, code: str) -> HttpResponse:
    found = joining.look_up(request, code)
    room = found.room
    if room is None or not room.meeting.group.allow_guests:
        return _not_joined(request, code, joining.Lookup(None, found.wait))
    if access.find_member(room, request.user, request.session):
        return redirect("rooms:room", room.pk)
    form = GuestForm(request.POST or None)
    error, status = "", 200
    if joining.was_removed(request.session, room):
        error, status = _("The facilitator has removed you from this session."), 403
    elif request.method == "POST" and form.is_valid():
        try:
            joining.admit_guest(request, room, form.cleaned_data["name"])
        except joining.GuestRefused as refusal:
            error, status = str(refusal), refusal.status
        else:
            return redirect("rooms:room", room.pk)
    context = {"form": form, "room": room, "error": error, "removed": status == 403}
    return render(request, "rooms/guest.html", context, status=status)


@require_POST
def renew_code(request: HttpRequest, room_id) -> HttpResponse:
    """One click on the facilitator's screen: a new code, and the old one and its QR stop."""
    try:
        joining.renew_code(room_id, request.user)
    except Room.DoesNotExist:
        raise Http404 from None
    except services.CommandRefused as refusal:
        _member_or_refuse(request, _get_room(room_id))  # strangers learn nothing about the room
        return HttpResponse(str(refusal), status=refusal.status)
    return redirect("rooms:room", room_id)


@require_POST
def remove_guest(request: HttpRequest, room_id, member_id: int) -> HttpResponse:
    room = _get_room(room_id)
    member = _member_or_refuse(request, room)
    try:
        joining.remove_guest(room.pk, request.user, member_id)
    except services.CommandRefused as refusal:
        if refusal.status == 403:
            return HttpResponse(str(refusal), status=403)
        return _fragments_response(
            room.pk, member.audience, live.EVERYTHING, str(refusal), status=refusal.status
        )
    return HttpResponse(status=204)  # the push brings the room without the guest
