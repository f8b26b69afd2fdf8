"""A group, its members and their contract (house rules, standing reading consent)."""

import secrets
import uuid

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .names import display_name

RECOMMENDED_GROUP_SIZE = range(5, 9)  # 5–8 members: "certainly not more" (source 001)

DEFAULT_HOUSE_RULES = _(
    "Signing up means taking part. An appointment is an appointment: the second person to cancel "
    "arranges a new date. A case we start, we finish. What is said stays in the group. Everyone "
    "must feel safe; disturbances go first; boundaries are respected. There is always a "
    "facilitator who guards the rules, the procedure and the time."
)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class MeetingMode(models.TextChoices):
    """Where the group meets. Online and hybrid change the room: presence means being on the
    call, every screen chimes, and the video link is a button on the home page and in the room."""

    IN_PERSON = "in_person", _("in person")
    ONLINE = "online", _("online, beside a video call")
    HYBRID = "hybrid", _("hybrid: some in the room, some on the call")


# Video-call links are long (a Teams link runs to 300-400 characters) and are opened by a click
# from the app, so only https links are taken: never javascript:, data: or plain http.
video_link_validator = URLValidator(
    schemes=["https"],
    message=_("Paste the https link of the video call (it starts with https://)."),
)


class Group(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_groups",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="intervision_groups"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # The group's contract: what the members agreed on.
    confidentiality = models.TextField(
        _("confidentiality"),
        default=_("What is brought in stays within the group. Cases are not shared outside it."),
    )
    house_rules = models.TextField(_("house rules"), default=DEFAULT_HOUSE_RULES)
    default_method = models.ForeignKey(
        "methods.Method",
        verbose_name=_("default method"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cadence_weeks = models.PositiveSmallIntegerField(_("meets every … weeks"), default=4)
    meeting_minutes = models.PositiveSmallIntegerField(_("meeting length (minutes)"), default=90)
    case_retention_days = models.PositiveIntegerField(
        _("keep case contents (days)"),
        null=True,
        blank=True,
        help_text=_("Empty: keep until the inbrenger deletes the case."),
    )
    # A request, not a permission: it takes effect only once every current member agreed in
    # the app (groups/consent.py), and one withdrawal switches it off again.
    coordinator_may_read_cases = models.BooleanField(
        _("coordinator asks to read cases"),
        default=False,
        help_text=_(
            "Takes effect only when every current member has agreed in the app; any member can "
            "withdraw at any time. Drafts, preparation and private notes are never shown."
        ),
    )
    allow_guests = models.BooleanField(
        _("guests may join with the code"),
        default=False,
        help_text=_("For training groups: a guest joins one meeting with the code and a name."),
    )
    max_guests = models.PositiveSmallIntegerField(
        _("guests per meeting at most"),
        default=4,
        help_text=_("Only where guests may join: a meeting takes no more guests than this."),
    )
    ical_token = models.CharField(max_length=64, default=new_token, unique=True, editable=False)
    meeting_mode = models.CharField(
        _("usually meets"),
        max_length=10,
        choices=MeetingMode.choices,
        default=MeetingMode.IN_PERSON,
        help_text=_("The default for every meeting; a meeting can differ."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("intervision group")
        verbose_name_plural = _("intervision groups")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        # The admin's "view on site" (scoped: groups/admin_scope.py); the page checks access.
        return reverse("groups:detail", args=[self.pk])

    @property
    def title(self) -> str:
        """The group as mails and calendars name it: "Intervisie Zorgteam", but a group called
        "Intervisie Jeugdzorg Zuid" is not made "Intervisie Intervisie Jeugdzorg Zuid"."""
        if "intervis" in self.name.casefold():
            return self.name
        return _("Intervision %(group)s") % {"group": self.name}

    def active_members(self) -> models.QuerySet:
        return self.members.filter(memberships__active=True, memberships__group=self).order_by(
            "first_name", "username"
        )

    def size_warning(self, size: int | None = None) -> str:
        """A gentle warning outside 5–8 members; empty when the size is fine."""
        size = self.memberships.filter(active=True).count() if size is None else size
        if size < RECOMMENDED_GROUP_SIZE.start:
            return ngettext(
                "This group has %(n)d member; intervision works best with 5 to 8.",
                "This group has %(n)d members; intervision works best with 5 to 8.",
                size,
            ) % {"n": size}
        if size > RECOMMENDED_GROUP_SIZE.stop - 1:
            return _(
                "This group has %(n)d members; more than 8 leaves too little room for each."
            ) % {"n": size}
        return ""

    def is_member(self, user) -> bool:
        return (
            bool(user.is_authenticated) and self.memberships.filter(user=user, active=True).exists()
        )


class Membership(models.Model):
    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    joined_on = models.DateField(_("member since"), default=timezone.localdate)
    active = models.BooleanField(_("active"), default=True)
    # When the member confirmed they read the group's contract (home page); empty: not yet.
    contract_seen_at = models.DateTimeField(_("contract read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{display_name(self.user)} · {self.group}"


class ReadingConsent(models.Model):
    """A member's agreement that the group's coordinator may read the group's cases.

    Given to one coordinator: when the group gets another, nobody has agreed yet. Withdrawing
    keeps the row (with its time) and a new agreement adds a row, so the history stays."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="reading_consents")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    given_at = models.DateTimeField(_("agreed at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("consent to read cases")
        verbose_name_plural = _("consents to read cases")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "member"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_standing_consent_per_member",
            )
        ]

    def __str__(self) -> str:
        return f"{display_name(self.member)} · {self.group}"
