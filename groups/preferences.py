"""A member's language: saved with them, used for their screens after login and for every mail.

The choice lives in the database (Profile.language). After login it is also kept in the session,
so the page middleware needs no query per request, and in Django's language cookie, so the live
room's websocket (which reads that cookie) speaks the same language as the page.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import DatabaseError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from .models import Profile

SESSION_KEY = "intervisie_language"
LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


def preferred_language(user) -> str:
    """The language to write to `user` in: their saved choice, else the site's default."""
    if user is None or not getattr(user, "pk", None):
        return settings.LANGUAGE_CODE
    return preferred_languages([user]).get(user.pk, settings.LANGUAGE_CODE)


def preferred_languages(users: Iterable) -> dict[int, str]:
    """User id → language for many recipients in one query."""
    ids = [u.pk for u in users]
    saved = dict(Profile.objects.filter(user_id__in=ids).values_list("user_id", "language"))
    return {pk: saved.get(pk) or settings.LANGUAGE_CODE for pk in ids}


def save_language(user, language: str) -> None:
    if language in LANGUAGE_CODES:
        Profile.objects.update_or_create(user=user, defaults={"language": language})


@receiver(user_logged_in, dispatch_uid="intervisie_language_after_login")
def remember_language_at_login(sender, request, user, **kwargs) -> None:
    """A member who set English once sees English after every login, on any device."""
    if request is not None and hasattr(request, "session"):
        language = Profile.objects.filter(user=user).values_list("language", flat=True).first()
        if language:
            request.session[SESSION_KEY] = language


class PreferredLanguageMiddleware:
    """After AuthenticationMiddleware: the logged-in member's saved language wins over the
    browser's; the language cookie follows it so the room's websocket matches the page."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        try:
            preferred = session.get(SESSION_KEY) if session is not None else None
        except DatabaseError:
            # The database is away: the language cookie (set from the preference before) still
            # speaks; the view's own database access answers "even geduld" (503).
            preferred = None
        if preferred in LANGUAGE_CODES and preferred != request.LANGUAGE_CODE:
            translation.activate(preferred)
            request.LANGUAGE_CODE = preferred
        response = self.get_response(request)
        if preferred in LANGUAGE_CODES and (
            request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != preferred
        ):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                preferred,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
