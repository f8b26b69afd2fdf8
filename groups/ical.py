"""iCalendar export of a group's meetings: dates, place and roles, never case content."""

from collections.abc import Iterable
from datetime import UTC, datetime

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import Group, Meeting, Role, RoleAssignment, display_name

PRODID = "-//Intervisie//Intervisie//NL"


def calendar_title(group: Group) -> str:
    return group.title


def event_title(meeting: Meeting) -> str:
    """A cancelled meeting says so in its title: many calendar apps keep showing a cancelled
    event, and its status alone is easy to miss."""
    if meeting.status == Meeting.Status.CANCELLED:
        return _("Cancelled: %(title)s") % {"title": calendar_title(meeting.group)}
    return calendar_title(meeting.group)


def meeting_uid(meeting: Meeting) -> str:
    """Stable across exports, so calendar apps update an event instead of duplicating it."""
    return f"{meeting.id}@intervisie"


def meetings_for_calendar(meetings) -> Iterable[Meeting]:
    role_holders = RoleAssignment.objects.select_related("user").filter(
        role__in=[Role.FACILITATOR, Role.INBRENGER]
    )
    return meetings.select_related("group").prefetch_related(
        Prefetch("roles", queryset=role_holders)
    )


def meeting_event(meeting: Meeting, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", stamp)
    # SEQUENCE rises with every move or cancellation and LAST-MODIFIED says when: together with
    # the stable UID they make calendar apps replace the event they already hold.
    event.add("sequence", meeting.sequence)
    event.add("last-modified", meeting.updated_at.astimezone(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("summary", event_title(meeting))
    if meeting.location:
        event.add("location", meeting.location)
    if meeting.video_url:
        event.add("url", meeting.video_url)
    cancelled = meeting.status == Meeting.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("description", meeting_description(meeting))
    return event


def meeting_description(meeting: Meeting) -> str:
    """Who facilitates and who brings a case, and the video link. Deliberately nothing else:
    a calendar is synced to phones and mail servers, so case content must never reach it."""
    lines = []
    if meeting.status == Meeting.Status.CANCELLED:
        lines.append(_("This meeting has been cancelled."))
    facilitator = meeting.holder(Role.FACILITATOR)
    inbrenger = meeting.holder(Role.INBRENGER)
    if facilitator:
        lines.append(_("Facilitator: %(name)s") % {"name": display_name(facilitator)})
    if inbrenger:
        lines.append(_("Inbrenger: %(name)s") % {"name": display_name(inbrenger)})
    if meeting.video_url:
        lines.append(_("Video link: %(url)s") % {"url": meeting.video_url})
    return "\n".join(lines)


def new_calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def build_group_calendar(group: Group) -> bytes:
    """All meetings of the group; cancelled ones stay in as STATUS:CANCELLED so that
    subscribed calendars remove them instead of keeping a stale appointment."""
    calendar = new_calendar(calendar_title(group))
    calendar.add("x-published-ttl", "PT1H")
    stamp = timezone.now().astimezone(UTC)
    for meeting in meetings_for_calendar(group.meetings.order_by("starts_at")):
        calendar.add_component(meeting_event(meeting, stamp))
    return calendar.to_ical()


def build_meeting_calendar(meeting: Meeting) -> bytes:
    """One meeting as a downloadable .ics file."""
    calendar = new_calendar(calendar_title(meeting.group))
    meeting = meetings_for_calendar(Meeting.objects.filter(pk=meeting.pk)).get()
    calendar.add_component(meeting_event(meeting, timezone.now().astimezone(UTC)))
    return calendar.to_ical()
