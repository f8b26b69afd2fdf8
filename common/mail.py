"""Sending mail: plain-text templates in the recipient's language, links that work outside the app.

Mail goes through Django's backend (the console in development; EMAIL_BACKEND in production).
Links need the site's address, which a management command or a signal does not know from a
request: settings.SITE_URL (the SITE_URL environment variable). Mails sent from the admin use it
too, so a link in a mail never depends on where it was sent from.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

log = logging.getLogger(__name__)

DEFAULT_SITE_URL = "http://localhost:8000"


def site_url() -> str:
    return (getattr(settings, "SITE_URL", "") or DEFAULT_SITE_URL).rstrip("/")


def absolute_url(path: str, base_url: str | None = None) -> str:
    return f"{(base_url or site_url()).rstrip('/')}{path}"


def compose(
    template: str,
    context: dict,
    to: Sequence[str],
    *,
    language: str | None = None,
    attachments: Sequence[tuple[str, bytes | str, str]] = (),
) -> EmailMessage:
    """`template` names a pair: emails/<template>_subject.txt and emails/<template>.txt."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        body = render_to_string(f"emails/{template}.txt", context)
    message = EmailMessage(subject=subject, body=body, to=list(to))
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    return message
