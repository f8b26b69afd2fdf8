"""Signing in and resetting a password, held against guessing and mail floods.

Sign-in failures are counted by django-axes per account AND client address together
(settings.AXES_LOCKOUT_PARAMETERS): a guesser elsewhere locks only themself out, never the member.
Password-reset mails are limited per email address and per client address (common/ratelimit.py);
the page that follows is the same whether a mail went out or not.
"""

import logging
import math
from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import PasswordResetView
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from common import ratelimit
from common.addresses import client_ip, client_key

logger = logging.getLogger(__name__)


class ThrottledBackend(AxesStandaloneBackend):
    """django-axes' check before the password is tried. Sign-ins from a web request only: our own
    code calling authenticate() without a request (tests, shell) has no client to count."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def username_of(request: HttpRequest, credentials: dict | None) -> str | None:
    """The account a sign-in is counted on: 'Anna' and 'ANNA' are one account to count, or a
    guesser would get a fresh allowance per spelling."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username")
    return username.strip().lower() if isinstance(username, str) else None


def seconds_left(request: HttpRequest, username: str | None) -> int:
    """How long this account stays locked from this address: the cool-off runs from the last
    counted failure (failures while locked are not counted, see settings)."""
    cool_off = get_cool_off(request) or timedelta(0)
    last = AccessAttempt.objects.filter(username=username, ip_address=client_ip(request)).aggregate(
        last=Max("attempt_time")
    )["last"]
    if last is None:
        return int(cool_off.total_seconds())
    return max(1, math.ceil((last + cool_off - timezone.now()).total_seconds()))


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in: the sign-in page again, with the real wait."""
    if credentials is None and isinstance(original_response, dict):  # axes' async call order
        credentials = original_response
    username = get_client_username(request, credentials)
    wait = ratelimit.wait_text(seconds_left(request, username))
    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
    response = render(
        request,
        "registration/login.html",
        {
            "form": form,
            "next": request.POST.get("next", ""),
            "lockout": _(
                "Too many failed attempts for this account from your network. "
                "Try again in %(wait)s, or reset your password."
            )
            % {"wait": wait},
        },
        status=429,
    )
    response["Retry-After"] = str(seconds_left(request, username))
    return response


class ThrottledPasswordResetView(PasswordResetView):
    """At most a few reset mails per email address and per client address an hour; beyond that
    the same 'check your email' page, without a mail."""

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        by_address = ratelimit.reserve(
            "password_reset.address",
            client_key(self.request),
            ratelimit.rate("password_reset.address"),
        )
        by_email = by_address and ratelimit.reserve(
            "password_reset.email", email, ratelimit.rate("password_reset.email")
        )
        if not (by_address and by_email):
            logger.info("password reset mail withheld: rate limit")
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
