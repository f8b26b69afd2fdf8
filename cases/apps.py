from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from groups import coordinators

        from . import privacy, signals  # noqa: F401  (receivers and data-rights registrations)

        # Coordinators see which cases exist (titles); content only with the members' consent,
        # status only by the owner (cases/admin.py). Set on the database by migration 0007.
        coordinators.grant("cases", "case", ("view",))
