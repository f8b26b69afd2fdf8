"""The live state of a meeting's session room. The database row is the one source of truth."""

import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import FORMER_MEMBER

from . import timing

# No 0/O, 1/I/L: a code read aloud from a projector must survive bad handwriting and accents.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


class Audience(models.TextChoices):
    """Who sees which view of the room; each has its own channel-layer group."""

    FACILITATOR = "facilitator", _("facilitator")
    INBRENGER = "inbrenger", _("inbrenger")
    PARTICIPANT = "participant", _("participant")
    OBSERVER = "observer", _("observer")
    # A guest (training groups whose contract allows it) sees what a participant sees of the
    # session, but nothing else of the group: not the inventory of other members' cases.
    GUEST = "guest", _("guest")


HELPING_AUDIENCES = (Audience.PARTICIPANT, Audience.GUEST)

# A guest sees the group's members by first name only (sessions_app/live.py renders their fragments
# inside `first_names_only`), whatever fragment shows a name.
_first_names_only: ContextVar[bool] = ContextVar("first_names_only", default=False)


def first_names_shown() -> bool:
    return _first_names_only.get()


@contextmanager
def first_names_only(active: bool = True) -> Iterator[None]:
    token = _first_names_only.set(active)
    try:
        yield
    finally:
        _first_names_only.reset(token)


class Room(models.Model):
    class Status(models.TextChoices):
        LOBBY = "lobby", _("waiting to start")
        RUNNING = "running", _("running")
        ENDED = "ended", _("ended")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # A meeting has a room per case round: one, or two in a long meeting (one after the other).
    meeting = models.ForeignKey("groups.Meeting", on_delete=models.CASCADE, related_name="rooms")
    round = models.PositiveSmallIntegerField(default=1)
    method = models.ForeignKey("methods.Method", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="rooms"
    )
    # Empty once the facilitator erased their account: the room stays in the group's logbook,
    # facilitated by "a former member" (privacy/erase.py).
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    join_code = models.CharField(max_length=JOIN_CODE_LENGTH, unique=True, default=new_join_code)
    # When the code was made (opening, or the facilitator renewing it): a lobby's code expires
    # settings.JOIN_CODE_LOBBY_HOURS after this (sessions_app/joining.py).
    code_issued_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.LOBBY)
    step = models.ForeignKey(
        "methods.Step", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    step_run = models.ForeignKey(
        "StepRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    deadline_at = models.DateTimeField(null=True, blank=True)
    paused_remaining = models.FloatField(null=True, blank=True)  # seconds; set while paused
    # `revision` guards commands (a stale Next is refused); `seq` orders pushes: it grows with every
    # change anyone makes, so a browser can drop a push older than what it shows.
    revision = models.PositiveIntegerField(default=1)
    seq = models.PositiveBigIntegerField(default=1)
    planned_minutes = models.JSONField(default=dict)  # step key -> minutes, from the planner
    # Raised hands and who has the word (sessions_app/hands.py): small, and read with the room.
    floor = models.JSONField(default=dict, blank=True)
    opened_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("session room")
        verbose_name_plural = _("session rooms")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "round"], name="one_room_per_case_round")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.join_code}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.ENDED

    @property
    def is_paused(self) -> bool:
        return self.paused_remaining is not None

    def clock(self) -> timing.Clock:
        return timing.Clock(deadline_at=self.deadline_at, paused_remaining=self.paused_remaining)

    def set_clock(self, clock: timing.Clock) -> None:
        self.deadline_at = clock.deadline_at
        self.paused_remaining = clock.paused_remaining

    def planned_seconds(self, step) -> int:
        return int(self.planned_minutes.get(step.key, step.default_minutes)) * 60


class RoomMember(models.Model):
    """A person in the room: a group member, or a guest where the contract allows guests."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="members")
    # SET_NULL: what someone wrote in other people's cases outlives their account.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    guest_name = models.CharField(_("name"), max_length=60, blank=True)
    guest_token = models.CharField(max_length=64, blank=True, db_index=True)
    # Set when the member erased their account: the row keeps their questions, items and
    # evaluation for the others' summaries, under "former member" (sessions_app/privacy.py).
    former_member = models.BooleanField(default=False)
    audience = models.CharField(
        max_length=12, choices=Audience.choices, default=Audience.PARTICIPANT
    )
    extra_role = models.CharField(max_length=12, blank=True)  # note_taker / timekeeper label
    # Open sockets, on any server process: the sum of this member's ServerSocket rows, kept in the
    # same transactions (sessions_app/presence.py), so that every push reads it with the member.
    connections = models.PositiveIntegerField(default=0)
    # The language this person's screen shows; pushes render once per audience and language.
    language = models.CharField(max_length=8, default="nl")
    ready_step_run = models.PositiveIntegerField(null=True, blank=True)
    # A participant's private notepad in this meeting: only they read it (the inbrenger's notes
    # go to their case instead).
    notes = models.TextField(_("my notes"), blank=True)
    # Online and hybrid meetings (sessions_app/roll.py): when the last socket closed, whether the
    # facilitator marked this person as on the call, and where they take part from.
    offline_since = models.DateTimeField(null=True, blank=True)
    marked_present = models.BooleanField(default=False)
    place = models.CharField(max_length=6, blank=True)  # "room" / "online" / "" (not said)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["room", "user"],
                condition=models.Q(user__isnull=False),
                name="one_member_per_user",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if self.user_id and _first_names_only.get():
            return self.first_name  # a guest's view of the group's members
        if self.user_id:
            return self.user.get_full_name() or self.user.get_username()
        if self.former_member:
            return str(FORMER_MEMBER)
        # A guest whose name went with the room's retention or a deleted case.
        return self.guest_name or str(_("guest"))

    @property
    def first_name(self) -> str:
        """What a guest may see of the others in the room: first names only."""
        if self.user_id:
            return self.user.first_name or self.user.get_username()
        if self.former_member or not self.guest_name:
            return str(FORMER_MEMBER) if self.former_member else str(_("guest"))
        return self.guest_name.split()[0]

    @property
    def initials(self) -> str:
        parts = self.name.split()
        return "".join(p[0] for p in parts[:2]).upper() or "?"

    @property
    def online(self) -> bool:
        return self.connections > 0

    @property
    def is_guest(self) -> bool:
        return self.user_id is None and not self.former_member

    @staticmethod
    def new_guest_token() -> str:
        return secrets.token_urlsafe(32)


class StepRun(models.Model):
    """One visit of a step: planned against actual time, for the logbook."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="step_runs")
    step = models.ForeignKey("methods.Step", on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    planned_seconds = models.PositiveIntegerField()
    branch_answer = models.CharField(max_length=3, blank=True)  # "yes"/"no" where the step branches
    # The interaction's own state for this visit (turn order, round, revealed, pairs…).
    state = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["started_at", "pk"]

    def __str__(self) -> str:
        return f"{self.step} @ {self.started_at:%H:%M}"

    @property
    def actual_seconds(self) -> int | None:
        if self.ended_at is None:
            return None
        return int((self.ended_at - self.started_at).total_seconds())


class Storing(models.Model):
    """A disturbance: it goes first, so it shows on the facilitator's screen at once."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="storingen")
    raised_by = models.ForeignKey(RoomMember, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(_("what is going on?"), max_length=200, blank=True)
    raised_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["raised_at"]

    def __str__(self) -> str:
        return self.text or str(self.raised_by)


# ---- What people contribute inside the steps (see sessions_app/interactions/) --------------------


class Question(models.Model):
    """A turn in a question round: a question (typed, or asked aloud) or a pass."""

    class Rating(models.TextChoices):
        WARM = "warm", _("warm")
        LAUW = "lauw", _("lukewarm")
        KOUD = "koud", _("cold")

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="questions")
    step_key = models.SlugField(max_length=60)
    round_no = models.PositiveSmallIntegerField(default=1)
    asker = models.ForeignKey(RoomMember, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=500, blank=True)
    aloud = models.BooleanField(default=False)  # asked aloud, not typed
    passed = models.BooleanField(default=False)
    rating = models.CharField(max_length=4, choices=Rating.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text or ("pass" if self.passed else "aloud")


class BoardItem(models.Model):
    """An item on a shared board: a tip, advice, perception, force, success factor, insight…"""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="board_items")
    step_key = models.SlugField(max_length=60)
    board = models.SlugField(max_length=30)
    column = models.SlugField(max_length=30, blank=True)
    author = models.ForeignKey(RoomMember, on_delete=models.CASCADE, related_name="board_items")
    text = models.CharField(_("text"), max_length=1000)
    # The inbrenger's reaction as the item is given (Guns&Roses 4): "yes" applicable, "no" not
    # for me. It belongs to the item, so it outlives the visit of the step and reaches the summary.
    reaction = models.CharField(max_length=3, blank=True)
    picked = models.BooleanField(default=False)  # the inbrenger takes it along
    pick_reason = models.CharField(_("why"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Vote(models.Model):
    """One vote per person for the case the group takes on."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(RoomMember, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "voter"], name="one_vote_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.voter} → {self.case}"


class Evaluation(models.Model):
    """Product and process, 1–5, with optional remarks; anonymous unless signed."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="evaluations")
    member = models.ForeignKey(RoomMember, on_delete=models.CASCADE, related_name="+")
    product = models.PositiveSmallIntegerField(_("what it gave (product)"))
    process = models.PositiveSmallIntegerField(_("how it went (process)"))
    remark = models.CharField(_("remark"), max_length=500, blank=True)
    facilitator_feedback = models.CharField(
        _("feedback to the facilitator"), max_length=500, blank=True
    )
    takeaway = models.CharField(_("what I take along"), max_length=500, blank=True)
    signed = models.BooleanField(_("sign with my name"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "member"], name="one_evaluation_per_person"),
            models.CheckConstraint(
                condition=models.Q(product__gte=1, product__lte=5, process__gte=1, process__lte=5),
                name="evaluation_scores_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product}/{self.process}"


class ServerProcess(models.Model):
    """A running server process that holds websockets, seen by its heartbeat.

    A process killed mid-session never counts its sockets out; the others (or its successor)
    find it by its stale heartbeat and count them out for it (sessions_app/presence.py)."""

    boot = models.CharField(max_length=32, primary_key=True)
    started_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.boot


class ServerSocket(models.Model):
    """One open websocket of a room member, on the process that holds it."""

    id = models.UUIDField(primary_key=True)
    process = models.ForeignKey(ServerProcess, on_delete=models.CASCADE, related_name="sockets")
    member = models.ForeignKey(RoomMember, on_delete=models.CASCADE, related_name="+")
    # A member's oldest sockets are closed first when they hold too many (consumers.py).
    opened_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.member_id} on {self.process_id}"


class ScreenSocket(models.Model):
    """An open shared view (the beamer / shared-screen view) of a room, on the process that holds
    it: a push renders the shared view only for rooms that have one open, in its language."""

    id = models.UUIDField(primary_key=True)
    process = models.ForeignKey(ServerProcess, on_delete=models.CASCADE, related_name="screens")
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=8, default="nl")

    def __str__(self) -> str:
        return f"screen of {self.room_id} on {self.process_id}"
