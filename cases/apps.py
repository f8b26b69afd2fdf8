from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from sessions_app.signals import session_ended

        from . import privacy, signals  # noqa: F401  (receivers and data-rights registrations)
        from .mail import on_session_ended

        session_ended.connect(on_session_ended, dispatch_uid="cases.summary_link")
