"""A member's data rights: see what the app holds ("My data"), download it, erase the account."""

import logging

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .erase import ErasureRefused, blockers, erase_account
from .export import export_zip, filename
from .forms import ConfirmWithPasswordForm
from .registry import sections_for

log = logging.getLogger(__name__)

NOTHING_ERASED = _(
    "Nothing was erased: something went wrong on our side, and every change was undone. Try "
    "again later, or ask your coordinator."
)


@login_required
@never_cache
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/my_data.html", {"sections": sections_for(request.user)})


@login_required
@never_cache
@require_GET
def download(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    response = HttpResponse(export_zip(request.user, now), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename(request.user, now)}"'
    return response


@login_required
@never_cache
def erase(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ConfirmWithPasswordForm(request.POST or None, user=user)
    reasons = blockers(user)
    if request.method == "POST" and not reasons and form.is_valid():
        try:
            result = erase_account(user)
        except ErasureRefused as refused:
            reasons = refused.reasons
        except Exception:
            log.exception("erasing an account failed; rolled back")
            messages.error(request, str(NOTHING_ERASED))
            return redirect("privacy:erase")
        else:
            logout(request)
            return render(request, "privacy/erased.html", {"erasure": result})
    counts = [(s.title, s.count) for s in sections_for(user) if s.count]
    return render(
        request, "privacy/erase.html", {"form": form, "reasons": reasons, "counts": counts}
    )
