"""HTTP side of the room: pages, and the commands that arrive as CSRF-protected posts.

Views translate requests into calls on services.py and render the result; the rules live there.
"""

import time

import segno
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from common import availability
from groups.models import Meeting
from methods.planner import plan_meeting

from . import access, delivery, interactions, joining, live, services
from .forms import NotesForm, OpenRoomForm, StoringForm
from .models import Audience, Room, RoomMember, first_names_only
from .opening import (
    can_open,
    chosen_minutes,
    initial_for,
    minutes_for_round,
    next_case_round,
    plan_rows,
)
from .opening import open_room as open_room_service

MINE_AND_ROOM = frozenset({"mine", "interaction"})


def _member_or_refuse(request: HttpRequest, room: Room) -> RoomMember:
    member = access.find_member(room, request.user, request.session)
    if member is None:
        raise Http404
    return member


def _acting_member(request: HttpRequest, room_id) -> RoomMember:
    """Who posts from a phone: one light query in the common case (access.member_in_room), the
    full check for late joiners and guests; a stranger gets 404."""
    member = access.member_in_room(room_id, request.user)
    if member is None:
        member = _member_or_refuse(request, _get_room(room_id))
    return member


def _get_room(room_id) -> Room:
    return get_object_or_404(Room.objects.select_related("meeting__group", "case"), pk=room_id)


def _fragments_response(
    room_id, audience: str, parts, message: str = "", status: int = 200, member=None, pushed=None
) -> HttpResponse:
    """The answer to whoever acted: `parts` of the room, with a message. `pushed`: the push of
    their change (live.Pushed), whose state and fragments are reused rather than read and
    rendered again."""
    html = pushed.answer(audience, parts, member) if pushed is not None else None
    if html is None:
        state = pushed.state if pushed is not None else live.load_state(room_id)
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
    rooms = list(
        Room.objects.filter(meeting=meeting).select_related("facilitator").order_by("round")
    )
    case_round = next_case_round(meeting, rooms)
    if case_round is None:  # a room is open, or every case round was held
        current = next((r for r in rooms if r.is_open), rooms[-1])
        return redirect("rooms:room", current.pk)
    form = OpenRoomForm(
        request.POST or None,
        group=meeting.group,
        case_round=case_round,
        meeting=meeting,
        facilitator=rooms[0].facilitator if rooms else None,
        initial=initial_for(meeting, request.user, case_round),
    )
    if request.method == "POST" and form.is_valid():
        try:
            room = open_room_service(meeting, form.cleaned_data, case_round, by=request.user)
        except IntegrityError:  # someone opened this round a moment ago
            return redirect("rooms:open", meeting.pk)
        return redirect("rooms:room", room.pk)
    method = form["method"].value()
    plan = _plan_for(method, minutes_for_round(meeting, case_round), request.POST)
    return render(
        request,
        "rooms/open.html",
        {"meeting": meeting, "form": form, "plan": plan, "case_round": case_round},
    )


def _plan_for(method_id, minutes: int, data=None):
    """The plan table of the open-room form: the method's own minutes, or those the facilitator
    typed (`data`: the form's fields; invalid numbers fall back to the plan's own)."""
    from methods.models import Method

    try:
        method = (
            Method.objects.active().filter(pk=method_id).prefetch_related("steps").first()
            if method_id
            else None
        )
    except (TypeError, ValueError):
        method = None
    if method is None:
        return None
    steps = list(method.steps.all())
    chosen, _valid = chosen_minutes(data or {}, steps)
    result = plan_meeting(steps, minutes, chosen or None)
    return {"method": method, "rows": plan_rows(steps, result), "result": result}


@login_required
@require_GET
def plan_preview(request: HttpRequest, meeting_id) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("group"), pk=meeting_id)
    if not can_open(meeting, request.user):
        raise Http404
    rooms = Room.objects.filter(meeting=meeting).count()
    plan = _plan_for(request.GET.get("method"), minutes_for_round(meeting, rooms + 1), request.GET)
    # Typing a step's minutes refreshes only the totals, so the field keeps its focus.
    part = "plan_totals" if request.GET.get("part") == "totals" else "plan"
    return render(request, f"rooms/open.html#{part}", {"plan": plan, "meeting": meeting})


# ---- The room page ----------------------------------------------------------------------------


@never_cache
def room(request: HttpRequest, room_id) -> HttpResponse:
    room = _get_room(room_id)
    member = access.find_member(room, request.user, request.session)
    if member is None:
        if joining.was_removed(request.session, room):
            return render(request, "rooms/refused.html", {"reason": "removed"}, status=403)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return _refused(request, room)
    state = live.load_state(room.pk)
    member = next(m for m in state.members if m.pk == member.pk)
    with first_names_only(member.audience == Audience.GUEST):  # what guests see of the others
        return _room_page(request, room, state, member)


def _room_page(request: HttpRequest, room, state, member) -> HttpResponse:
    ctx = live.context(state, member.audience, member)
    if member.audience == Audience.FACILITATOR:
        join_url = request.build_absolute_uri(reverse("rooms:join_code", args=[room.join_code]))
        ctx["join_url"] = join_url
        ctx["code_works"] = joining.code_works(room)
        ctx["qr_svg"] = segno.make(join_url, error="m").svg_inline(
            scale=6, border=2, dark="#0a3641"
        )
        return render(request, "rooms/facilitator.html", ctx)
    # A private notepad on every phone ("Noteer vragen…"); the inbrenger's is saved to their case.
    member.room = room
    ctx["notes_on_case"] = services.notes_go_to_case(member)
    notes = room.case.private_notes if ctx["notes_on_case"] else member.notes
    ctx["notes_form"] = NotesForm(initial={"notes": notes})
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
    member = _acting_member(request, room_id)
    step_run = _posted_int(request, "step_run")
    try:
        with live.keeping_pushed_states() as pushed:
            services.set_ready(member, step_run, ready=request.POST.get("ready") != "0")
    except services.CommandRefused as refusal:
        return _fragments_response(
            member.room_id, member.audience, live.STEP_CHANGE, str(refusal), 409, member
        )
    return _fragments_response(
        member.room_id,
        member.audience,
        frozenset({"actions"}),
        member=member,
        pushed=pushed.get(str(member.room_id)),
    )


@require_POST
def storing(request: HttpRequest, room_id) -> HttpResponse:
    member = _acting_member(request, room_id)
    form = StoringForm(request.POST)
    if not form.is_valid():
        return _fragments_response(
            member.room_id,
            member.audience,
            frozenset({"actions"}),
            form.errors["text"][0],
            422,
            member,
        )
    try:
        with live.keeping_pushed_states() as pushed, transaction.atomic():
            services.raise_storing(member, form.cleaned_data["text"])
    except services.CommandRefused as refusal:
        return _fragments_response(
            member.room_id, member.audience, frozenset(), str(refusal), 409, member
        )
    return _fragments_response(
        member.room_id,
        member.audience,
        frozenset({"actions"}),
        _("The facilitator sees your disturbance."),
        member=member,
        pushed=pushed.get(str(member.room_id)),
    )


@require_POST
def act(request: HttpRequest, room_id, action: str) -> HttpResponse:
    """Someone acts inside the current step; the step's interaction decides what that means."""
    member = _acting_member(request, room_id)
    step_run = _posted_int(request, "step_run")
    try:
        with live.keeping_pushed_states() as pushed:
            result = services.interact(member, action, step_run, request.POST)
    except interactions.InteractionError as problem:
        # Only the message: re-rendering the forms would wipe what the person is still typing.
        return _fragments_response(
            member.room_id, member.audience, frozenset(), str(problem), problem.status, member
        )
    except services.CommandRefused as refusal:
        return _fragments_response(
            member.room_id, member.audience, live.STEP_CHANGE, str(refusal), refusal.status, member
        )
    if result.reload:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return _fragments_response(
        member.room_id,
        member.audience,
        result.actor_parts,
        result.message,
        member=member,
        pushed=pushed.get(str(member.room_id)),
    )


@require_GET
def mine(request: HttpRequest, room_id) -> HttpResponse:
    """A person's own parts of the room, fetched by a browser whose language differs from the
    one their pushes are rendered in (live.own_messages)."""
    room = _get_room(room_id)
    member = _member_or_refuse(request, room)
    return _fragments_response(room.pk, member.audience, live.OWN_PARTS, member=member)


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


def _refused(request: HttpRequest, room: Room) -> HttpResponse:
    reason = "left" if access.left_the_group(room, request.user) else "not_member"
    return render(request, "rooms/refused.html", {"reason": reason}, status=403)
