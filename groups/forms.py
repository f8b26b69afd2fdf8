from django import forms
from django.utils.translation import gettext_lazy as _

from .attendance import NOTE_MAX_LENGTH

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class ProposeDateForm(forms.Form):
    """The second to cancel proposes a new date (house rule)."""

    starts_at = forms.DateTimeField(
        label=_("New date and time"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    note = forms.CharField(
        label=_("Note for the group"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. same room, one week later")}),
    )
