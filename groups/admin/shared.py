"""Helpers shared by the group and meeting admins."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.mail import site_url

from ..mail import MailReport
from ..models import (
    Group,
    new_token,
)
from ..planning import (
    SeriesResult,
)

EMPTY = "—"


def report_mail(request: HttpRequest, report: MailReport) -> None:
    """Say how many mails went out and who could not be mailed, by name."""
    sent = len(report.sent)
    messages.success(
        request,
        ngettext("%(n)d e-mail sent.", "%(n)d e-mails sent.", sent) % {"n": sent},
    )
    if report.skipped:
        messages.warning(
            request,
            ngettext(
                "No e-mail address for %(names)s: add one on the group's page and invite again.",
                "No e-mail address for %(names)s: add them on the group's page and invite again.",
                len(report.skipped),
            )
            % {"names": report.skipped_names},
        )
    warn_if_links_elsewhere(request)


def warn_if_links_elsewhere(request: HttpRequest) -> None:
    """Mails link to SITE_URL, from the admin as from cron: say so when this page runs at
    another address, so a wrong setting shows up before members get dead links."""
    here = request.get_host()
    there = urlsplit(site_url()).netloc
    if there and here and here != there:
        messages.warning(
            request,
            _(
                "Links in the mails point to %(site)s (the SITE_URL setting), but this page "
                "runs at %(here)s. Ask the site's administrator to correct SITE_URL if "
                "members cannot open them."
            )
            % {"site": site_url(), "here": here},
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


def group_page(model_admin, request: HttpRequest, group, title: str, template: str, **context):
    """A page of the group's own admin tools, with the group's breadcrumbs."""
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "subtitle": str(group),
        "opts": model_admin.opts,
        "original": group,
        "change_url": reverse("admin:groups_group_change", args=[group.pk]),
        **context,
    }
    return TemplateResponse(request, f"admin/groups/group/{template}", context)


class CapitalTitleMixin:
    """ "Intervisiegroep wijzigen", not Django's "intervisiegroep wijzigen": Dutch puts the
    (lower-case) name of the thing first, so the title needs its capital back."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is None:
            title = _("Add %s")
        elif self.has_change_permission(request):
            title = _("Change %s")
        else:
            title = _("View %s")
        extra_context = {"title": capfirst(title % self.opts.verbose_name), **(extra_context or {})}
        return super().changeform_view(request, object_id, form_url, extra_context)
