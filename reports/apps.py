from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """What reads across meetings: the group page and its charts, the logbook, attendance on
    record, and the demo. The layer above sessions_app and cases: it may read rooms and cases,
    and nothing beneath it imports it (ARCHITECTURE.md, layers)."""

    name = "reports"
    verbose_name = _("Reports")
