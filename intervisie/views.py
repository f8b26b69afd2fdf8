"""The member's start page, phone first: my groups and next meetings (with my answer), my cases,
and what came after the meetings (summaries, action plans)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views import i18n
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from cases.models import Case, CaseStatus
from groups import consent, preferences
from groups.models import Group, Meeting
from groups.notifications import shown_notices
from groups.rsvp import rsvp_states
from sessions_app.models import Room
from sessions_app.opening import can_open, next_case_round

PREPARING = (CaseStatus.DRAFT, CaseStatus.PROPOSED, CaseStatus.CHOSEN)
RECENT_FOLLOW_UPS = 3


@login_required
def home(request: HttpRequest) -> HttpResponse:
    upcoming = Meeting.objects.upcoming().prefetch_related(
        "roles__user", Prefetch("rooms", queryset=Room.objects.order_by("round"))
    )
    groups = list(
        Group.objects.filter(memberships__user=request.user, memberships__active=True)
        .select_related("coordinator")
        .prefetch_related(Prefetch("meetings", queryset=upcoming, to_attr="upcoming"))
        .order_by("name")
    )
    next_meetings = [group.upcoming[0] for group in groups if group.upcoming]
    states = rsvp_states(
        [m for m in next_meetings if m.status == Meeting.Status.PLANNED], request.user
    )
    contracts = consent.for_home(request.user, groups)
    for group in groups:
        group.next_meeting = group.upcoming[0] if group.upcoming else None
        group.rsvp = states.get(group.next_meeting.pk) if group.next_meeting else None
        group.contract = contracts[group.pk]
        # Only who may open the room gets the button (everyone else would meet a 403).
        group.may_open = bool(group.next_meeting) and can_open(group.next_meeting, request.user)
        if group.next_meeting:
            rooms = list(group.next_meeting.rooms.all())
            # The open room of the current case round; none once every round has ended.
            group.next_meeting.open_room = next((r for r in rooms if r.is_open), None)
            group.next_meeting.rooms_held = len(rooms)
            group.next_meeting.next_round = next_case_round(group.next_meeting, rooms)
    coordinated = Group.objects.filter(coordinator=request.user).exclude(
        pk__in=[g.pk for g in groups]
    )
    cases = list(
        Case.objects.filter(owner=request.user)
        .select_related("group", "action_plan")
        .annotate(has_room=Exists(Room.objects.filter(case=OuterRef("pk"))))
        .order_by("-updated_at")
    )
    return render(
        request,
        "home.html",
        {
            "groups": groups,
            "contract_notices": [c for c in contracts.values() if c.needs_attention],
            "coordinated": coordinated,
            "preparing": [c for c in cases if c.status in PREPARING],
            "open_plans": [c for c in cases if c.status == CaseStatus.DISCUSSED],
            "followed_up": [c for c in cases if c.status == CaseStatus.FOLLOWED_UP][
                :RECENT_FOLLOW_UPS
            ],
            "has_cases": bool(cases),
            "notices": shown_notices(request.user),
        },
    )


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and tools ask for /favicon.ico whatever the page's <link rel=icon> says."""
    return redirect(static("img/icon.svg"))


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch; for a logged-in member the choice is also saved with them, so
    it holds after the next login and for every mail."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in preferences.LANGUAGE_CODES:
        preferences.save_language(request.user, language)
        request.session[preferences.SESSION_KEY] = language
    return response
