"""Groups, their members and contract, meetings, roles per meeting and attendance."""

import secrets
import uuid
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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
    created_at = models.DateTimeField(auto_now_add=True)

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
    coordinator_may_read_cases = models.BooleanField(_("coordinator may read cases"), default=False)
    allow_guests = models.BooleanField(
        _("guests may join with the code"),
        default=False,
        help_text=_("For training groups: a guest joins one meeting with the code and a name."),
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
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    joined_on = models.DateField(_("member since"), default=timezone.localdate)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{display_name(self.user)} · {self.group}"


def display_name(user) -> str:
    return user.get_full_name() or user.get_username()


class MeetingQuerySet(models.QuerySet):
    def upcoming(self) -> "MeetingQuerySet":
        return self.filter(
            starts_at__gte=timezone.now() - timedelta(hours=4),
            status__in=[Meeting.Status.PLANNED, Meeting.Status.IN_PROGRESS],
        ).order_by("starts_at")

    def past(self) -> "MeetingQuerySet":
        return self.filter(starts_at__lt=timezone.now()).order_by("-starts_at")


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=90)
    location = models.CharField(_("place"), max_length=200, blank=True)
    video_url = models.URLField(
        _("video link"), max_length=1000, blank=True, validators=[video_link_validator]
    )
    mode = models.CharField(
        _("meets"),
        max_length=10,
        choices=MeetingMode.choices,
        blank=True,
        help_text=_("Empty: as the group usually meets."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    method = models.ForeignKey(
        "methods.Method", verbose_name=_("method"), on_delete=models.SET_NULL, null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    # Set when `manage.py send_reminders` mailed the members, so that a rerun sends nothing twice.
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["group", "starts_at"])]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.group} · {local:%d-%m-%Y %H:%M}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def effective_mode(self) -> str:
        """This meeting's mode, else the group's usual one."""
        return self.mode or self.group.meeting_mode

    @property
    def effective_mode_label(self) -> str:
        return str(MeetingMode(self.effective_mode).label)

    @property
    def is_online(self) -> bool:
        """Online or hybrid: at least part of the group is on a video call."""
        return self.effective_mode in (MeetingMode.ONLINE, MeetingMode.HYBRID)

    @property
    def video_host(self) -> str:
        """The host of the video link (teams.microsoft.com, zoom.us…), shown beside its button so
        members see where it leads before they click."""
        return (urlsplit(self.video_url).hostname or "") if self.video_url else ""

    def holder(self, role: str):
        """The user holding a single-person role in this meeting, or None."""
        assignment = next((a for a in self.roles.all() if a.role == role), None)
        return assignment.user if assignment else None


class Role(models.TextChoices):
    FACILITATOR = "facilitator", _("facilitator")
    INBRENGER = "inbrenger", _("inbrenger")
    NOTE_TAKER = "note_taker", _("note-taker")
    OBSERVER = "observer", _("observer")
    TIMEKEEPER = "timekeeper", _("timekeeper")


SINGLE_HOLDER_ROLES = [Role.FACILITATOR, Role.INBRENGER, Role.NOTE_TAKER, Role.TIMEKEEPER]


class RoleAssignment(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "role"],
                condition=models.Q(role__in=SINGLE_HOLDER_ROLES),
                name="one_holder_per_role",
                violation_error_message=_("This role already has someone in this meeting."),
            ),
            models.UniqueConstraint(fields=["meeting", "user", "role"], name="role_once_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {display_name(self.user)}"


class Attendance(models.Model):
    class Response(models.TextChoices):
        YES = "yes", _("yes")
        NO = "no", _("no")
        MAYBE = "maybe", _("maybe")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    response = models.CharField(_("response"), max_length=5, choices=Response.choices)
    responded_at = models.DateTimeField(_("responded at"), default=timezone.now)
    present = models.BooleanField(_("present"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="attendance_unique")
        ]

    def __str__(self) -> str:
        return f"{display_name(self.user)}: {self.get_response_display()}"


class DateProposal(models.Model):
    """A new date proposed by the second member to cancel (house rule)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="date_proposals")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    starts_at = models.DateTimeField(_("new date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("date proposal")
        verbose_name_plural = _("date proposals")

    def __str__(self) -> str:
        return f"{self.meeting}: {timezone.localtime(self.starts_at):%d-%m-%Y %H:%M}"
