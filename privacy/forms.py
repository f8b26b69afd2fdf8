"""Confirming an erasure with a password: the member's own, or the superuser's in the admin."""

from django import forms
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

ATTEMPTS = 5  # wrong passwords per account …
WINDOW = 15 * 60  # … per quarter of an hour: a borrowed session cannot guess its way through


class ConfirmWithPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Type your password to confirm.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def _key(self) -> str:
        return f"privacy:erase-attempts:{self.user.pk}"

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if cache.get(self._key(), 0) >= ATTEMPTS:
            raise forms.ValidationError(
                _("Too many wrong passwords. Wait a quarter of an hour and try again.")
            )
        if not self.user.check_password(password):
            if not cache.add(self._key(), 1, timeout=WINDOW):
                cache.incr(self._key())
            raise forms.ValidationError(_("That password is not right."))
        cache.delete(self._key())
        return password
