"""The period of an attendance record."""

from django import forms
from django.utils.translation import gettext_lazy as _


class PeriodForm(forms.Form):
    """A period for the attendance record; both ends optional, both days included."""

    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period lies before its start."))
        return data

    def period(self) -> tuple:
        """(start, end) when valid, else the whole record."""
        if self.is_valid():
            return self.cleaned_data.get("start"), self.cleaned_data.get("end")
        return None, None
