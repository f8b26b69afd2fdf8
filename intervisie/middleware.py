"""While the database is away, every page and htmx request answers "even geduld" (503 with
Retry-After) instead of an error page.

The middleware sits last, so the language, security headers and CSP are set as for any page; the
session and the user are lazy and not yet read when it turns a request away, just before its
view (views marked with availability.without_database, such as the clock, still answer). A view
that hits the outage is answered the same way (process_exception); an outage hit outside the
view, say while the session middleware saves, reaches server_error below (handler500).
"""

import logging
import sys
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

from common import availability

logger = logging.getLogger(__name__)


def outage_response(request: HttpRequest) -> HttpResponse:
    if request.headers.get("HX-Request"):
        # htmx: only the notice, out of band; room.js shows it and leaves the screen as it is.
        html = render_to_string("includes/outage_notice.html", {"action": True})
    else:
        html = render_to_string("503.html", {"retry_after": availability.RETRY_AFTER})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(availability.RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        if getattr(view, "needs_database", True) and not availability.available():
            return outage_response(request)
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not availability.is_outage(exception):
            return None
        availability.report(exception)
        if availability.available():  # a deadlock, a lock timeout: worth a look, worth a retry
            logger.warning("database error answered with 503", exc_info=exception)
        return outage_response(request)


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """handler500: an outage hit outside a view (a middleware saving the session) still answers
    "even geduld"; anything else is Django's own error page."""
    error = sys.exc_info()[1]
    if availability.is_outage(error):
        availability.report(error)
        return outage_response(request)
    return defaults.server_error(request, template_name)
