from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SessionsAppConfig(AppConfig):
    name = "sessions_app"
    verbose_name = _("Session rooms")

    def ready(self) -> None:
        from . import privacy, retention

        retention.connect()  # the rooms forget what a deleted or expired case left in them
        privacy.register()
