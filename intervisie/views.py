"""The member's start page: my groups and what comes next."""

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from groups.models import Group, Meeting


@login_required
def home(request: HttpRequest) -> HttpResponse:
    upcoming = Meeting.objects.upcoming().prefetch_related("roles__user").select_related("room")
    groups = (
        Group.objects.filter(memberships__user=request.user, memberships__active=True)
        .prefetch_related(Prefetch("meetings", queryset=upcoming, to_attr="upcoming"))
        .order_by("name")
    )
    coordinated = Group.objects.filter(coordinator=request.user).exclude(pk__in=groups)
    return render(request, "home.html", {"groups": groups, "coordinated": coordinated})
