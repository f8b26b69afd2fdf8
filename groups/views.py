"""Calendar downloads: the group's private feed and a single meeting."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET

from .ical import build_group_calendar, build_meeting_calendar
from .models import Group, Meeting

ICAL_CONTENT_TYPE = "text/calendar; charset=utf-8"


def calendar_response(content: bytes, filename: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=ICAL_CONTENT_TYPE)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    # The URL is a secret: keep it out of shared caches and search engines.
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Subscribable feed; the unguessable token in the URL is the only key (calendar apps
    cannot log in). The coordinator can rotate it in the admin."""
    group = get_object_or_404(Group, ical_token=token)
    return calendar_response(build_group_calendar(group), "intervisie.ics", attachment=False)


@require_GET
@login_required
def meeting_ics(request: HttpRequest, meeting_id) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("group"), pk=meeting_id)
    if not meeting.group.is_member(request.user):
        raise Http404
    filename = f"intervisie-{timezone.localtime(meeting.starts_at):%Y-%m-%d}.ics"
    return calendar_response(build_meeting_calendar(meeting), filename, attachment=True)
