"""Groups, their members and contract, meetings, roles per meeting and attendance."""

import secrets
import uuid
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.urls import reverse
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


# What the group's records say where a member erased their account (privacy/erase.py): their
# contributions to others' cases, attendance and roles stay, without their name.
FORMER_MEMBER = _("former member")


class FormerMember:
    """Stands in for the user of a role or attendance row whose member erased their account.

    Truthy, so that `holder(...) or fallback` and `if facilitator:` treat the role as held; it
    has no pk, so that nothing can link the row to a person again."""

    pk = id = None
    is_authenticated = False
    first_name = last_name = ""

    def get_full_name(self) -> str:
        return str(FORMER_MEMBER)

    def get_username(self) -> str:
        return str(FORMER_MEMBER)

    def __str__(self) -> str:
        return str(FORMER_MEMBER)


def display_name(user) -> str:
    """A member's name; "former member" for the row of an erased account (user None)."""
    if user is None:
        return str(FORMER_MEMBER)
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
