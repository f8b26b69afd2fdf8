from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SessionsAppConfig(AppConfig):
    name = "sessions_app"
    verbose_name = _("Session rooms")

    def ready(self) -> None:
        from groups.signals import membership_ended

        from .leaving import on_membership_ended

        membership_ended.connect(on_membership_ended, dispatch_uid="sessions_app.leaving")
