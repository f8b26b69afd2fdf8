"""The room as its screens show it, read from the database in a fixed number of queries:
RoomState and load_state. live.py renders it per audience and pushes it."""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.utils import timezone

from groups.models import Meeting
from methods.cache import steps_of
from methods.models import Step
from methods.planner import frame_split, optional_keys

from . import flow, interactions, roll, timing
from .models import (
    HELPING_AUDIENCES,
    Audience,
    Room,
    RoomMember,
    StepRun,
    Storing,
)


@dataclass
class RoomState:
    """Everything the room's fragments show, loaded in a fixed number of queries.

    What only some fragments show (open storingen, the trail of visited steps) is read on first
    use: a step change's push never renders the storingen, a timer change never the stepper."""

    room: Room
    steps: list
    members: list[RoomMember]
    now: datetime
    current_index: int | None = None
    _ix_data: object = None
    _ix_loaded: bool = False
    _storingen: list[Storing] | None = None
    _trail: list[str] | None = None
    # Fragments rendered from this state for an audience and language (consumers' snapshots).
    rendered: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def open_storingen(self) -> list[Storing]:
        if self._storingen is None:
            self._storingen = list(
                self.room.storingen.filter(acknowledged_at__isnull=True).select_related(
                    "raised_by__user"
                )
            )
        return self._storingen

    @property
    def trail(self) -> list[str]:
        """The keys of the steps the room walked through, in order (flow.path: a step visited
        again after going back cuts the trail there)."""
        if self._trail is None:
            self._trail = flow.path(visited_keys(self.room.pk, self.steps))
        return self._trail

    @cached_property
    def next_meeting(self):
        """The group's next planned meeting, for the closing screen (read only once ended)."""
        if self.room.status != Room.Status.ENDED:
            return None
        meeting = self.room.meeting
        return (
            Meeting.objects.filter(
                group_id=meeting.group_id,
                starts_at__gt=meeting.starts_at,
                status=Meeting.Status.PLANNED,
            )
            .order_by("starts_at")
            .first()
        )

    @cached_property
    def skipped(self) -> set[str]:
        refs = [flow.StepRef(s.key, s.branch_if_no) for s in self.steps]
        return flow.skipped_keys(refs, self.trail, self.current_index)

    @cached_property
    def next_round_room(self) -> Room | None:
        """Once this case has ended: the room of the meeting's next case, when it is open."""
        if self.room.status != Room.Status.ENDED:
            return None
        return (
            Room.objects.filter(meeting_id=self.room.meeting_id, round=self.room.round + 1)
            .exclude(status=Room.Status.ENDED)
            .first()
        )

    @cached_property
    def can_open_next_round(self) -> bool:
        """Whether a long meeting has time for another case after this one (facilitator)."""
        if self.room.status != Room.Status.ENDED or self.next_round_room is not None:
            return False
        from .opening import next_case_round

        rooms = list(Room.objects.filter(meeting_id=self.room.meeting_id).only("status", "round"))
        return next_case_round(self.room.meeting, rooms) is not None

    @property
    def interaction(self) -> interactions.Interaction:
        running = self.room.status == Room.Status.RUNNING and self.step is not None
        return interactions.for_kind(self.step.kind if running else None)

    @property
    def run(self) -> StepRun | None:
        return self.room.step_run

    def interaction_data(self):
        """What the step's interaction shows, loaded once however many audiences render it."""
        if not self._ix_loaded:
            self._ix_data = self.interaction.load(self)
            self._ix_loaded = True
        return self._ix_data

    @property
    def step(self):
        return self.room.step

    @property
    def mode(self) -> str:
        """In person, online or hybrid (groups.MeetingMode)."""
        return self.room.meeting.effective_mode

    @cached_property
    def present_ids(self) -> set[int]:
        """Who takes part in turns now (sessions_app/roll.py)."""
        return roll.present_ids(self.members, self.mode, self.now)

    @property
    def remaining(self) -> float | None:
        return timing.remaining(self.room.clock(), self.now)

    @property
    def ready_pool(self) -> list[RoomMember]:
        """Those who think and write along: everyone but the facilitator and the inbrenger."""
        return [m for m in self.members if m.audience in (*HELPING_AUDIENCES, Audience.OBSERVER)]

    @property
    def ready_count(self) -> int:
        run = self.room.step_run_id
        return sum(1 for m in self.ready_pool if run and m.ready_step_run == run)

    @property
    def has_observers(self) -> bool:
        return any(m.audience == Audience.OBSERVER for m in self.members)

    @property
    def guests(self) -> list[RoomMember]:
        return [m for m in self.members if m.is_guest]

    @property
    def handover_candidates(self) -> list[RoomMember]:
        """Members who may take over: not guests, not the inbrenger (their own case)."""
        skip = (Audience.FACILITATOR, Audience.INBRENGER, Audience.GUEST)
        return [m for m in self.members if m.user_id and m.audience not in skip]

    @property
    def is_last_step(self) -> bool:
        return self.current_index is not None and self.current_index == len(self.steps) - 1

    @property
    def inbrenger(self) -> RoomMember | None:
        return next((m for m in self.members if m.audience == Audience.INBRENGER), None)

    def planned_minutes(self, step) -> int:
        return int(self.room.planned_minutes.get(step.key, step.default_minutes))

    @property
    def total_planned_minutes(self) -> int:
        return sum(self.planned_minutes(s) for s in self.steps)

    @cached_property
    def optional_keys(self) -> list[str]:
        """Steps a branch may skip (they run only after "yes")."""
        return optional_keys(self.steps)

    @property
    def frame(self) -> tuple[int, int]:
        """Minutes of the meeting around the method: (opening, closing)."""
        return frame_split(self.room.meeting.duration_minutes - self.total_planned_minutes)


def room_steps(room: Room) -> tuple[Step, ...]:
    """The room's method's steps, from the per-process step cache (methods/cache.py), with
    room.step taken from them instead of another query."""
    steps = steps_of(room.method)
    current = next((s for s in steps if s.pk == room.step_id), None)
    if current is not None:
        room.step = current
    return steps


def visited_keys(room_id, steps) -> list[str]:
    """The keys of the steps a room entered, in order: one query over its step runs."""
    keys = {s.pk: s.key for s in steps}
    visited = list(
        StepRun.objects.filter(room_id=room_id)
        .order_by("started_at", "pk")
        .values_list("step_id", flat=True)
    )
    if not all(v in keys for v in visited):  # a step moved to another method meanwhile
        keys |= dict(Step.objects.filter(pk__in=visited).values_list("pk", "key"))
    return [keys[v] for v in visited]


def load_state(room_id, now: datetime | None = None) -> RoomState:
    room = Room.objects.select_related("meeting__group", "method", "case__owner", "step_run").get(
        pk=room_id
    )
    steps = list(room_steps(room))
    members = list(room.members.select_related("user").order_by("joined_at", "pk"))
    # The facilitator is one of the members: no join for them.
    facilitator = next((m.user for m in members if m.user_id == room.facilitator_id), None)
    if facilitator is not None:
        room.facilitator = facilitator
    keys = [s.key for s in steps]
    current = keys.index(room.step.key) if room.step_id and room.step.key in keys else None
    return RoomState(
        room=room,
        steps=steps,
        members=members,
        now=now or timezone.now(),
        current_index=current,
    )
