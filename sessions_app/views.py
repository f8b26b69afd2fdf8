"""HTTP side of the room: pages, and the commands that arrive as CSRF-protected posts.

Views translate requests into calls on services.py and render the result; the rules live there.
"""

import time

import segno
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from groups.models import Meeting
from intervisie import availability
from methods.planner import plan_method

from . import access, delivery, interactions, live, ratelimit, services
from .forms import GuestForm, JoinForm, NotesForm, OpenRoomForm, StoringForm
from .models import Audience, Room, RoomMember
from .opening import can_open, initial_for
from .opening import open_room as open_room_service

MINE_AND_ROOM = frozenset({"mine", "interaction"})


def _member_or_refuse(request: HttpRequest, room: Room) -> RoomMember:
    member = access.find_member(room, request.user, request.session)
    if member is None:
        raise Http404
    return member


def _get_room(room_id) -> Room:
    return get_object_or_404(Room.objects.select_related("meeting__group", "case"), pk=room_id)


def _fragments_response(
    room_id, audience: str, parts, message: str = "", status: int = 200, member=None
) -> HttpResponse:
    state = live.load_state(room_id)
    html = live.render_parts(state, audience, parts, member=member)
    html += render_to_string(
        f"{live.FRAGMENTS}#toast", {"message": message, "error": status >= 400}
    )
    if delivery.failing():
        # This screen is current (the response); the others follow when the layer is back.
        html += render_to_string(f"{live.FRAGMENTS}#push_notice", {"audience": audience})
    return HttpResponse(html, status=status)


# ---- Opening the room -------------------------------------------------------------------------


@login_required
def open_room(request: HttpRequest, meeting_id) -> HttpResponse:
    meeting = get_object_or_404(
        Meeting.objects.select_related("group", "method", "group__default_method").prefetch_related(
            "roles"
        ),
        pk=meeting_id,
    )
    if not can_open(meeting, request.user):
        return render(request, "rooms/refused.html", {"reason": "not_facilitator"}, status=403)
    existing = Room.objects.filter(meeting=meeting).first()
    if existing and existing.is_open:
        return redirect("rooms:room", existing.pk)
    form = OpenRoomForm(
        request.POST or None, group=meeting.group, initial=initial_for(meeting, request.user)
    )
    if request.method == "POST" and form.is_valid():
        room = open_room_service(meeting, form.cleaned_data)
        return redirect("rooms:room", room.pk)
    method = form["method"].value()
    plan = _plan_for(method, meeting.duration_minutes)
    return render(request, "rooms/open.html", {"meeting": meeting, "form": form, "plan": plan})


def _plan_for(method_id, minutes: int):
    from methods.models import Method

    method = (
        Method.objects.filter(pk=method_id).prefetch_related("steps").first() if method_id else None
    )
    if method is None:
        return None
    return {
        "method": method,
        "steps": list(method.steps.all()),
        "result": plan_method(method, minutes),
    }


@login_required
@require_GET
def plan_preview(request: HttpRequest, meeting_id) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("group"), pk=meeting_id)
    if not can_open(meeting, request.user):
        raise Http404
    plan = _plan_for(request.GET.get("method"), meeting.duration_minutes)
    return render(request, "rooms/open.html#plan", {"plan": plan, "meeting": meeting})


# ---- The room page ----------------------------------------------------------------------------


@never_cache
def room(request: HttpRequest, room_id) -> HttpResponse:
    room = _get_room(room_id)
    member = access.find_member(room, request.user, request.session)
    if member is None:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return render(request, "rooms/refused.html", {"reason": "not_member"}, status=403)
    state = live.load_state(room.pk)
    member = next(m for m in state.members if m.pk == member.pk)
    ctx = live.context(state, member.audience, member)
    if member.audience == Audience.FACILITATOR:
        join_url = request.build_absolute_uri(reverse("rooms:join_code", args=[room.join_code]))
        ctx["join_url"] = join_url
        ctx["qr_svg"] = segno.make(join_url, error="m").svg_inline(
            scale=6, border=2, dark="#0a3641"
        )
        return render(request, "rooms/facilitator.html", ctx)
    if member.audience == Audience.INBRENGER and room.case and room.case.owner_id == member.user_id:
        ctx["notes_form"] = NotesForm(initial={"notes": room.case.private_notes})
    ctx["storing_form"] = StoringForm()
    return render(request, "rooms/phone.html", ctx)


@availability.without_database  # phones keep their clock right through an outage
@require_GET
def server_time(request: HttpRequest) -> JsonResponse:
    """Clients measure their clock offset against this, keeping the fastest round trip."""
    response = JsonResponse({"now": time.time() * 1000})
    response["Cache-Control"] = "no-store"
    return response


# ---- Facilitator commands ---------------------------------------------------------------------


def _posted_int(request: HttpRequest, name: str) -> int:
    """A whole number from the form; -1 (matches nothing) when missing or malformed."""
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        return -1


def _revision(request: HttpRequest) -> int:
    return _posted_int(request, "revision")


@require_POST
def command(request: HttpRequest, room_id, name: str) -> HttpResponse:
    # The facilitator's hot path (bench/README.md): run_command checks on the locked room row that
    # the sender is its facilitator, so who is asking is only looked up when it refuses.
    try:
        services.run_command(
            room_id,
            request.user,
            name,
            _revision(request),
            branch_answer=request.POST.get("branch") or None,
        )
    except Room.DoesNotExist:
        raise Http404 from None
    except services.CommandRefused as refusal:
        room = _get_room(room_id)
        member = _member_or_refuse(request, room)  # strangers learn nothing about the room
        if refusal.status == 403:
            return HttpResponse(str(refusal), status=403)
        return _fragments_response(
            room.pk, member.audience, live.EVERYTHING, str(refusal), status=refusal.status
        )
    # The push that follows the commit brings the new state to every screen, this one included;
    # answering with fragments too would load and render the room a second time (bench/README.md).
    # Unless that push failed (the channel layer away): then this answer brings them.
    if delivery.failing():
        return _fragments_response(room_id, Audience.FACILITATOR, live.EVERYTHING)
    return HttpResponse(status=204)


@require_POST
def hand_over(request: HttpRequest, room_id) -> HttpResponse:
    room = _get_room(room_id)
    member = _member_or_refuse(request, room)
    member_id = _posted_int(request, "member")
    try:
        services.hand_over(room.pk, request.user, member_id, _revision(request))
    except services.CommandRefused as refusal:
        if refusal.status == 403:
            return HttpResponse(str(refusal), status=403)
        return _fragments_response(
            room.pk, member.audience, live.EVERYTHING, str(refusal), status=refusal.status
        )
    response = HttpResponse(status=204)
    response["HX-Redirect"] = reverse("rooms:room", args=[room.pk])
    return response


# ---- What phones send -------------------------------------------------------------------------


@require_POST
def ready(request: HttpRequest, room_id) -> HttpResponse:
    room = _get_room(room_id)
    member = _member_or_refuse(request, room)
    step_run = _posted_int(request, "step_run")
    try:
        services.set_ready(member, step_run, ready=request.POST.get("ready") != "0")
    except services.CommandRefused as refusal:
        return _fragments_response(
            room.pk, member.audience, live.STEP_CHANGE, str(refusal), 409, member
        )
    return _fragments_response(room.pk, member.audience, frozenset({"actions"}), member=member)


@require_POST
def storing(request: HttpRequest, room_id) -> HttpResponse:
    room = _get_room(room_id)
    member = _member_or_refuse(request, room)
    form = StoringForm(request.POST)
    if not form.is_valid():
        return _fragments_response(
            room.pk, member.audience, frozenset({"actions"}), form.errors["text"][0], 422, member
        )
    try:
        with transaction.atomic():
            services.raise_storing(member, form.cleaned_data["text"])
    except services.CommandRefused as refusal:
        return _fragments_response(room.pk, member.audience, frozenset(), str(refusal), 409, member)
    return _fragments_response(
        room.pk,
        member.audience,
        frozenset({"actions"}),
        _("The facilitator sees your disturbance."),
        member=member,
    )


@require_POST
def act(request: HttpRequest, room_id, action: str) -> HttpResponse:
    """Someone acts inside the current step; the step's interaction decides what that means."""
    room = _get_room(room_id)
    member = _member_or_refuse(request, room)
    step_run = _posted_int(request, "step_run")
    try:
        result = services.interact(member, action, step_run, request.POST)
    except interactions.InteractionError as problem:
        # Only the message: re-rendering the forms would wipe what the person is still typing.
        return _fragments_response(
            room.pk, member.audience, frozenset(), str(problem), problem.status, member
        )
    except services.CommandRefused as refusal:
        return _fragments_response(
            room.pk, member.audience, live.STEP_CHANGE, str(refusal), refusal.status, member
        )
    if result.reload:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return _fragments_response(
        room.pk, member.audience, result.actor_parts, result.message, member=member
    )


@require_GET
def mine(request: HttpRequest, room_id) -> HttpResponse:
    """A person's own view of the current step, fetched by their browser after a push."""
    room = _get_room(room_id)
    member = _member_or_refuse(request, room)
    return _fragments_response(room.pk, member.audience, frozenset({"mine"}), member=member)


@require_POST
def acknowledge_storing(request: HttpRequest, room_id, storing_id: int) -> HttpResponse:
    room = _get_room(room_id)
    _member_or_refuse(request, room)
    try:
        with transaction.atomic():
            services.acknowledge_storing(room, request.user, storing_id)
    except services.NotAllowed as refusal:
        return HttpResponse(str(refusal), status=403)
    return _fragments_response(room.pk, Audience.FACILITATOR, live.STORING_CHANGE)


@require_POST
def notes(request: HttpRequest, room_id) -> HttpResponse:
    room = _get_room(room_id)
    member = _member_or_refuse(request, room)
    form = NotesForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "rooms/fragments.html#notes_status",
            {"error": form.errors["notes"][0]},
            status=422,
        )
    try:
        services.save_private_notes(member, form.cleaned_data["notes"])
    except services.NotAllowed as refusal:
        return HttpResponse(str(refusal), status=403)
    return render(request, "rooms/fragments.html#notes_status", {"saved": True})


# ---- Joining ----------------------------------------------------------------------------------


def join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or None)
    if request.method == "POST":
        if ratelimit.exceeded(request, "join"):
            form.add_error("code", _("Too many attempts. Wait a minute and try again."))
        elif form.is_valid():
            return redirect("rooms:join_code", form.cleaned_data["code"])
    return render(request, "rooms/join.html", {"form": form})


def join_code(request: HttpRequest, code: str) -> HttpResponse:
    """Where the QR code points: straight into the room, after logging in if needed."""
    if ratelimit.exceeded(request, "join"):
        return render(request, "rooms/join.html", {"form": JoinForm(), "limited": True}, status=429)
    room = Room.objects.select_related("meeting__group").filter(join_code=code.upper()).first()
    if room is None or not room.is_open:
        form = JoinForm(initial={"code": code})
        form.is_bound = False
        return render(request, "rooms/join.html", {"form": form, "unknown": True}, status=404)
    if access.find_member(room, request.user, request.session):
        return redirect("rooms:room", room.pk)
    if room.meeting.group.allow_guests and not request.user.is_authenticated:
        return redirect("rooms:guest", code=room.join_code)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, "rooms/refused.html", {"reason": "not_member"}, status=403)


def guest(request: HttpRequest, code: str) -> HttpResponse:
    room = Room.objects.select_related("meeting__group").filter(join_code=code.upper()).first()
    if room is None or not room.is_open or not room.meeting.group.allow_guests:
        raise Http404
    form = GuestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member = RoomMember.objects.create(
            room=room,
            guest_name=form.cleaned_data["name"],
            guest_token=RoomMember.new_guest_token(),
            audience=Audience.GUEST,
        )
        guests = request.session.get(access.GUEST_SESSION_KEY, {})
        guests[str(room.pk)] = member.guest_token
        request.session[access.GUEST_SESSION_KEY] = guests
        return redirect("rooms:room", room.pk)
    return render(request, "rooms/guest.html", {"form": form, "room": room})
