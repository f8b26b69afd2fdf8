"""After a session: the inbrenger gets a link to their summary (never the content itself:
mail passes through servers the group does not control)."""

from __future__ import annotations

import logging

from django.urls import reverse

from common.mail import absolute_url, compose
from groups.models import display_name
from groups.preferences import preferred_language

log = logging.getLogger(__name__)


def send_summary_link(room) -> bool:
    """Mail the case owner of an ended room the link to their summary. True when sent."""
    case = room.case
    if case is None or room.started_at is None or not case.owner.email:
        return False
    context = {
        "name": case.owner.first_name or display_name(case.owner),
        "group": room.meeting.group.name,
        "title": case.title,
        "url": absolute_url(reverse("cases:summary", args=[case.pk])),
    }
    language = preferred_language(case.owner)
    compose("summary_link", context, [case.owner.email], language=language).send()
    return True


def on_session_ended(sender, room, **kwargs) -> None:
    """Receiver of sessions_app.signals.session_ended. It runs after the room's transaction
    committed, inside the facilitator's request: a mail problem must not break that request."""
    try:
        room = type(room).objects.select_related("case__owner", "meeting__group").get(pk=room.pk)
        send_summary_link(room)
    except Exception:
        log.exception("Could not send the summary link for room %s", room.pk)
