"""Helpers shared by the group and meeting admins."""

from django.contrib import messages
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import (
    Group,
    new_token,
)
from ..planning import (
    SeriesResult,
)

EMPTY = "—"


def report_mail(request: HttpRequest, sent: int, skipped: int) -> None:
    messages.success(
        request,
        ngettext("%(n)d e-mail sent.", "%(n)d e-mails sent.", sent) % {"n": sent},
    )
    if skipped:
        messages.warning(
            request,
            ngettext(
                "%(n)d member has no e-mail address.",
                "%(n)d members have no e-mail address.",
                skipped,
            )
            % {"n": skipped},
        )


def ical_path(group: Group) -> str:
    return reverse("groups:ical", args=[group.ical_token])


def rotate_ical_token(group: Group) -> None:
    group.ical_token = new_token()
    group.save(update_fields=["ical_token"])


def report_series(request: HttpRequest, result: SeriesResult) -> None:
    if result.created:
        messages.success(
            request,
            ngettext(
                "Planned %(n)d meeting, on %(first)s.",
                "Planned %(n)d meetings, from %(first)s to %(last)s.",
                len(result.created),
            )
            % {
                "n": len(result.created),
                "first": date_format(timezone.localtime(result.created[0].starts_at)),
                "last": date_format(timezone.localtime(result.created[-1].starts_at)),
            },
        )
    else:
        messages.warning(request, _("No meetings were planned."))
    if result.skipped:
        messages.warning(
            request,
            ngettext(
                "Skipped %(dates)s: the group already has a meeting that day.",
                "Skipped %(dates)s: the group already has a meeting on those days.",
                len(result.skipped),
            )
            % {"dates": ", ".join(date_format(timezone.localtime(d)) for d in result.skipped)},
        )
