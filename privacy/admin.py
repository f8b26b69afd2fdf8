"""The admin's User pages: "erase account" replaces the plain delete.

Registered by groups/admin/users.py, which adds the coordinator's scope on top (this app sits
below the others and knows nothing of groups).

A plain delete cascaded into other members' summaries (questions, tips and evaluations went with
the user) and failed on a protected foreign key for anyone who ever facilitated. The superuser
now erases an account the way a member erases their own (privacy/erase.py), after confirming
with their own password; the confirmation shows counts, never content.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from .erase import ErasureRefused, blockers, erase_account
from .forms import ConfirmWithPasswordForm
from .registry import sections_for
from .views import NOTHING_ERASED, log

User = get_user_model()


class ErasingUserAdmin(UserAdmin):
    change_form_template = "admin/privacy/user_change_form.html"

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # erase instead (also removes the "delete selected" action)

    def get_urls(self):
        erase = self.admin_site.admin_view(self.erase_view)
        return [
            path("<path:object_id>/erase/", erase, name="auth_user_erase"),
            *super().get_urls(),
        ]

    def erase_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if not request.user.is_superuser:
            raise PermissionDenied
        target = self.get_object(request, object_id)
        if target is None:
            raise Http404
        form = ConfirmWithPasswordForm(request.POST or None, user=request.user)
        reasons = blockers(target)
        if target.pk == request.user.pk:
            reasons.append(_("Erase your own account from “My data”, not here."))
        if request.method == "POST" and not reasons and form.is_valid():
            try:
                result = erase_account(target)
            except ErasureRefused as refused:
                reasons = refused.reasons
            except Exception:
                log.exception("erasing an account in the admin failed; rolled back")
                messages.error(request, str(NOTHING_ERASED))
                return redirect(reverse("admin:auth_user_erase", args=[target.pk]))
            else:
                done = "; ".join(f"{label}: {n}" for label, n in result.lines())
                messages.success(
                    request,
                    _("The account %(name)s is erased. %(done)s")
                    % {"name": result.username, "done": done},
                )
                return redirect("admin:auth_user_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Erase the account %(name)s") % {"name": target.get_username()},
            "opts": self.opts,
            "original": target,
            "form": form,
            "reasons": reasons,
            "counts": [(s.title, s.count) for s in sections_for(target) if s.count],
        }
        return TemplateResponse(request, "admin/privacy/erase_user.html", context)
