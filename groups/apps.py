from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = _("Intervision groups")

    def ready(self) -> None:
        # Importing registers: receivers (leaving, preferences), My data sections (privacy).
        from . import leaving, preferences, privacy  # noqa: F401
