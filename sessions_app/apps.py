from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SessionsAppConfig(AppConfig):
    name = "sessions_app"
    verbose_name = _("Session rooms")

    def ready(self) -> None:
        from cases.mail import on_session_ended
        from groups.signals import membership_ended

        from . import privacy, retention
        from .leaving import on_membership_ended
        from .signals import session_ended

        membership_ended.connect(on_membership_ended, dispatch_uid="sessions_app.leaving")
        retention.connect()  # the rooms forget what a deleted or expired case left in them
        privacy.register()
        # The inbrenger's summary link goes out when a session ends. Connected here, in the app
        # above: cases must not import sessions_app (ARCHITECTURE.md, layers).
        session_ended.connect(on_session_ended, dispatch_uid="cases.summary_link")
