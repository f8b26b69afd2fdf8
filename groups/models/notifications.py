"""What a member chose for themselves (language) and what they should know (notifications)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .group import Group
from .meeting import DateProposal, Meeting
from .names import display_name


class Profile(models.Model):
    """What a member chose for themselves: the language of their screens and their mail."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intervisie_profile"
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("preferences")
        verbose_name_plural = _("preferences")

    def __str__(self) -> str:
        return display_name(self.user)


class Notification(models.Model):
    """Something a member or coordinator should know, shown on their home page (and mailed).

    Stores facts, not sentences: the text is written when it is shown, in the reader's language.
    """

    class Kind(models.TextChoices):
        DATE_PROPOSED = "date_proposed", _("new date proposed")
        MEETING_MOVED = "meeting_moved", _("meeting moved")
        MEETING_CANCELLED = "cancelled", _("meeting cancelled")
        ROLES_DROPPED = "roles_dropped", _("roles to fill")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intervisie_notifications"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    proposal = models.ForeignKey(
        DateProposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.group}"
