"""Pieces of the group's admin page that guard the contract: who may assign the coordinator, and
the members' consent to let the coordinator read cases (shown, never set, here)."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import consent
from .models import Group, display_name

ONLY_SUPERUSERS_ASSIGN = gettext_lazy(
    "Only the site administrator (a superuser) assigns coordinators. Ask them to change this; "
    "your other changes are kept below."
)
COORDINATOR_HELP = gettext_lazy("Only the site administrator (a superuser) assigns coordinators.")


def group_form_for(base_form: type[forms.ModelForm], request: HttpRequest):
    """The admin's group form, with the coordinator guarded for whoever is not a superuser."""
    user = request.user

    class GuardedGroupForm(base_form):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            field = self.fields.get("coordinator")
            if field is not None and not user.is_superuser:
                field.help_text = COORDINATOR_HELP

        def clean_coordinator(self):
            chosen = self.cleaned_data.get("coordinator")
            current = self.instance.coordinator_id if self.instance.pk else None
            chosen_id = chosen.pk if chosen else None
            if not user.is_superuser:
                if chosen_id != current:
                    raise forms.ValidationError(ONLY_SUPERUSERS_ASSIGN, code="not_superuser")
                return chosen
            unfit = chosen is not None and not (
                chosen.is_active and (chosen.is_staff or chosen.is_superuser)
            )
            if unfit and chosen_id != current:
                raise forms.ValidationError(
                    _(
                        "%(name)s cannot use the administration. Give them staff access "
                        "and add them to the “Coördinatoren” group first."
                    )
                    % {"name": display_name(chosen)},
                    code="not_staff",
                )
            return chosen

    return GuardedGroupForm


def consent_overview(group: Group) -> str:
    """Who agreed that the coordinator may read cases, and whether reading is allowed now."""
    if not group.pk:
        return ""
    state = consent.state(group)
    if not state.requested:
        status = _("The coordinator does not ask to read cases. Nobody outside the group reads.")
    elif state.effective:
        status = _("Every member agreed: the coordinator may read cases. Each read is recorded.")
    else:
        status = _(
            "Not in effect: %(waiting)d of %(total)d members have not agreed (yet). Members "
            "decide on their home page; one withdrawal switches it off."
        ) % {"waiting": len(state.waiting), "total": len(state.members)}
    rows = format_html_join(
        "",
        "<li>{} — {}</li>",
        (
            (
                display_name(m.user),
                _("agreed on %(date)s") % {"date": date_format(m.agreed_at, "j F Y")}
                if m.agreed_at
                else _("not agreed"),
            )
            for m in state.members
        ),
    )
    return format_html('<p>{}</p><ul class="consent-list">{}</ul>', status, rows)
