"""Meetings, roles per meeting, attendance and the date proposals of a meeting."""

import uuid
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .group import Group, MeetingMode, video_link_validator
from .names import FormerMember, display_name


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
    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.CASCADE, related_name="meetings"
    )
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
    # iCalendar's SEQUENCE: raised when the meeting moves or is cancelled, so calendar apps
    # replace the event they hold (same UID) instead of ignoring the update.
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0, editable=False)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

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

    def holder(self, role: str, round: int = 1):
        """The user holding a single-person role in this meeting (for the inbrenger: in that
        case round), or None; a FormerMember where the holder has since erased their account.
        Reads `roles.all()`, so a prefetch serves every call."""
        assignment = next(
            (a for a in self.roles.all() if a.role == role and a.round == round), None
        )
        if assignment is None:
            return None
        return assignment.user if assignment.user_id else FormerMember()

    def inbrengers(self) -> list:
        """Who brings a case, in the order of the case rounds (one or two people)."""
        rows = sorted((a for a in self.roles.all() if a.role == Role.INBRENGER), key=_by_round)
        return [a.user for a in rows]


class Role(models.TextChoices):
    FACILITATOR = "facilitator", _("facilitator")
    INBRENGER = "inbrenger", _("inbrenger")
    NOTE_TAKER = "note_taker", _("note-taker")
    OBSERVER = "observer", _("observer")
    TIMEKEEPER = "timekeeper", _("timekeeper")


SINGLE_HOLDER_ROLES = [Role.FACILITATOR, Role.INBRENGER, Role.NOTE_TAKER, Role.TIMEKEEPER]
# Many groups discuss two cases in a meeting of two to three hours: one after the other, each in
# its own session room. Only the inbrenger differs per round; the other roles are the meeting's.
CASE_ROUNDS = (1, 2)


def _by_round(assignment) -> int:
    return assignment.round


class RoleAssignment(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="roles"
    )
    # Empty where the member erased their account: the meeting keeps "a former member
    # facilitated" for the logbook (privacy/erase.py).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    round = models.PositiveSmallIntegerField(
        _("case round"),
        choices=[(1, _("first case")), (2, _("second case"))],
        default=1,
        help_text=_("Only for an inbrenger: a long meeting can discuss a second case."),
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "role", "round"],
                condition=models.Q(role__in=SINGLE_HOLDER_ROLES),
                name="one_holder_per_role",
                violation_error_message=_("This role already has someone in this meeting."),
            ),
            models.UniqueConstraint(fields=["meeting", "user", "role"], name="role_once_per_user"),
            models.CheckConstraint(
                condition=models.Q(round=1) | models.Q(role=Role.INBRENGER),
                name="second_round_only_for_inbrenger",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {display_name(self.user)}"


class Attendance(models.Model):
    class Response(models.TextChoices):
        YES = "yes", _("yes")
        NO = "no", _("no")
        MAYBE = "maybe", _("maybe")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    # Empty where the member erased their account: the group's statistics keep the count.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Recorded(models.TextChoices):
        ROOM = "room", _("in the session room")
        HAND = "hand", _("entered by hand")

    response = models.CharField(_("response"), max_length=5, choices=Response.choices)
    responded_at = models.DateTimeField(_("responded at"), default=timezone.now)
    present = models.BooleanField(_("present"), null=True, blank=True)
    # Evidence for professional registers: who confirmed the presence (never the member
    # themselves, so a facilitator's own presence waits for someone else), how and when.
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_via = models.CharField(
        _("recorded"), max_length=4, choices=Recorded.choices, blank=True
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

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

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="date_proposals",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ACCEPTED = "accepted", _("accepted")
        CLOSED = "closed", _("no longer current")

    starts_at = models.DateTimeField(_("new date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    # Moving or cancelling the meeting settles every proposal: one accepted, the rest closed.
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("date proposal")
        verbose_name_plural = _("date proposals")

    def __str__(self) -> str:
        return f"{self.meeting}: {timezone.localtime(self.starts_at):%d-%m-%Y %H:%M}"
