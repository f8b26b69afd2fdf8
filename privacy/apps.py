from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """A member's data rights: see, download and erase what the app holds about them.

    Sits beneath groups, cases and sessions_app (it imports Django only): each of those apps
    registers what it holds about a user and how it forgets them (privacy/registry.py)."""

    name = "privacy"
    verbose_name = _("Data rights")

    def ready(self) -> None:
        from . import profile  # noqa: F401  (registers the account's own section)
