"""HTTP side of online and hybrid meetings: hands and the word, the roll call, where people are,
and the shared view's page. Thin: the rules are in online.py, hands.py and roll.py."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import hands, live, online, shared_view
from .services import CommandRefused
from .views import _fragments_response, _get_room, _member_or_refuse, _posted_int


class HandForm(forms.Form):
    subject = forms.CharField(
        label=gettext_lazy("About (optional)"),
        max_length=hands.SUBJECT_LENGTH,
        required=False,
        error_messages={
            "max_length": gettext_lazy(
                "Keep it to one short line (at most %(limit_value)d characters)."
            )
        },
    )


def _refused(room, member, refusal: CommandRefused, parts=live.FLOOR_CHANGE) -> HttpResponse:
    if refusal.status == 403:
        return HttpResponse(str(refusal), status=403)
    return _fragments_response(
        room.pk, member.audience, parts, str(refusal), status=refusal.status, member=member
    )


# ---- Hands and the word -----------------------------------------------------------------------


@require_POST
def raise_hand(request: HttpRequest, room_id) -> HttpResponse:
    room = _get_room(room_id)
    member = _member_or_refuse(request, room)
    form = HandForm(request.POST)
    if not form.is_valid():
        return _fragments_response(
            room.pk, member.audience, frozenset(), form.errors["subject"][0], 422, member
        )
    try:
        place = online.raise_hand(member, form.cleaned_data["subject"])
    except CommandRefused as refusal:
        return _refused(room, member, refusal)
    message = _("Your hand is up: you are number %(n)d in line.") % {"n": place}
    return _fragments_response(room.pk, member.audience, live.FLOOR_CHANGE, message, member=member)


@require_POST
def lower_hand(request: HttpRequest, room_id) -> HttpResponse:
    room = _get_room(room_id)
    member = _member_or_refuse(request, room)
    try:
        online.lower_hand(member)
    except CommandRefused as refusal:
        return _refused(room, member, refusal)
    return _fragments_response(room.pk, member.audience, live.FLOOR_CHANGE, member=member)


@require_POST
def give_word(request: HttpRequest, room_id) -> HttpResponse:
    room = _get_room(room_id)
    member = _member_or_refuse(request, room)
    try:
        speaker = online.give_word(room.pk, request.user, _posted_int(request, "member"))
    except CommandRefused as refusal:
        return _refused(room, member, refusal)
    message = _("%(name)s has the word.") % {"name": speaker.name}
    return _fragments_response(room.pk, member.audience, live.FLOOR_CHANGE, message)


@require_POST
def take_back_word(request: HttpRequest, room_id) -> HttpResponse:
    room = _get_room(room_id)
    member = _member_or_refuse(request, room)
    try:
        online.take_back_word(room.pk, request.user)
    except CommandRefused as refusal:
        return _refused(room, member, refusal)
    return _fragments_response(room.pk, member.audience, live.FLOOR_CHANGE)


# ---- The roll call and where people are -------------------------------------------------------


@require_POST
def mark_present(request: HttpRequest, room_id) -> HttpResponse:
    room = _get_room(room_id)
    member = _member_or_refuse(request, room)
    present = request.POST.get("present") == "1"
    try:
        marked = online.mark_present(room.pk, request.user, _posted_int(request, "member"), present)
    except CommandRefused as refusal:
        return _refused(room, member, refusal, live.ROLL_CHANGE)
    if present:
        message = _("%(name)s counts as present and takes part in the turns.")
    else:
        message = _("%(name)s takes part while connected.")
    return _fragments_response(
        room.pk, member.audience, live.ROLL_CHANGE, message % {"name": marked.name}
    )


@require_POST
def set_place(request: HttpRequest, room_id) -> HttpResponse:
    """Someone says where they are (hybrid), or the facilitator says it for them."""
    room = _get_room(room_id)
    member = _member_or_refuse(request, room)
    place = request.POST.get("place", "")
    target = _posted_int(request, "member") if "member" in request.POST else member.pk
    try:
        online.set_place(room.pk, target, place, user=request.user, member=member)
    except CommandRefused as refusal:
        return _refused(room, member, refusal, live.ROLL_CHANGE)
    if target != member.pk:
        return _fragments_response(room.pk, member.audience, live.ROLL_CHANGE)
    member.place = place
    html = _fragments_response(room.pk, member.audience, frozenset(), member=member).content
    picker = render(
        request, "rooms/online.html#place", {"room": room, "member": member, "oob": True}
    )
    return HttpResponse(html + picker.content)


# ---- The shared view --------------------------------------------------------------------------


@never_cache
@require_GET
def shared(request: HttpRequest, room_id) -> HttpResponse:
    """The beamer / shared-screen view: the facilitator opens it from the room."""
    room = _get_room(room_id)
    member = _member_or_refuse(request, room)
    if not shared_view.may_open(member):
        return render(request, "rooms/refused.html", {"reason": "not_facilitator"}, status=403)
    state = live.load_state(room.pk)
    ctx = shared_view.screen_context(state)
    join_url = request.build_absolute_uri(reverse("rooms:join_code", args=[room.join_code]))
    ctx.update(join_url=join_url, qr_svg=_qr(join_url))
    return render(request, "rooms/shared.html", ctx)


def _qr(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_inline(scale=8, border=2, dark="#0a3641")
