"""The privacy statement: general, and per group from the group's own settings."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .models import Group
from .statement import group_privacy, groups_of


def render_statement(request: HttpRequest, groups: list[Group]) -> HttpResponse:
    return render(
        request,
        "privacy/statement.html",
        {"groups": [group_privacy(g) for g in groups]},
    )


@require_GET
def privacy_statement(request: HttpRequest) -> HttpResponse:
    """Open to everyone (the join page links here); a member reads their own groups' terms."""
    return render_statement(request, groups_of(request.user))
