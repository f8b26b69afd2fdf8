"""The word: raised hands, the facilitator's queue and who has the word. Plain rules, no ORM.

Anyone in the room but the facilitator raises a hand, on any step, with an optional one-line
subject; the queue keeps the order in which hands went up. The facilitator gives the word to one
of them with one click: that hand leaves the queue and its owner has the word until they are
done, the facilitator takes it back, gives it to the next, or the step changes (the word belongs
to the step in which it was given). Someone who drops out of the meeting while they have the word
loses it, and the group is told.

In a question round the turn order goes first: a raised hand waits until the round is over
(`Floor.may_give`), so the turn order never changes under someone's feet.

The state is a small JSON document in `Room.floor` (sessions_app/online.py stores it, with the room
row locked); `Floor.of` reads it, `Floor.to_json` writes it.
"""

from dataclasses import asdict, dataclass, field

SUBJECT_LENGTH = 120


class HandError(Exception):
    """A hand action that does not fit the floor as it is now; the message is for the person."""


@dataclass
class Hand:
    member: int
    at: float  # seconds since the epoch: the queue's order
    subject: str = ""


@dataclass
class Floor:
    queue: list[Hand] = field(default_factory=list)
    speaker: int | None = None
    since: float | None = None
    subject: str = ""
    run: int | None = None  # the step visit in which the word was given
    left: int | None = None  # had the word and dropped out: the room says so until the next word

    @classmethod
    def of(cls, data: dict | None, current_run: int | None = None) -> "Floor":
        """The floor stored in the room; a word given in an earlier step visit is over."""
        data = data or {}
        floor = cls(
            queue=[
                Hand(member=int(h["member"]), at=float(h["at"]), subject=str(h.get("subject", "")))
                for h in data.get("queue", [])
            ],
            speaker=data.get("speaker"),
            since=data.get("since"),
            subject=data.get("subject", ""),
            run=data.get("run"),
            left=data.get("left"),
        )
        if floor.run != current_run:
            floor.speaker, floor.since, floor.subject, floor.left = None, None, "", None
        floor.queue.sort(key=lambda h: (h.at, h.member))
        return floor

    def to_json(self) -> dict:
        return asdict(self)

    # ---- Reading ----

    def hand_of(self, member: int) -> Hand | None:
        return next((h for h in self.queue if h.member == member), None)

    def place_of(self, member: int) -> int | None:
        """1 for the first in the queue; None for someone without a raised hand."""
        return next((i + 1 for i, h in enumerate(self.queue) if h.member == member), None)

    def next_hand(self, present: set[int]) -> Hand | None:
        """The hand the facilitator would give the word to now: the first of those still here."""
        return next((h for h in self.queue if h.member in present), None)

    # ---- Changing ----

    def raise_hand(self, member: int, subject: str, now: float) -> Hand:
        if self.speaker == member:
            raise HandError("speaking")
        if self.hand_of(member) is not None:
            raise HandError("raised")
        hand = Hand(member=member, at=now, subject=clean_subject(subject))
        self.queue.append(hand)
        return hand

    def withdraw(self, member: int) -> Hand:
        hand = self.hand_of(member)
        if hand is None:
            raise HandError("not_raised")
        self.queue.remove(hand)
        return hand

    def give(self, member: int, now: float, run: int | None) -> Hand:
        """The word to a raised hand; whoever had it is done."""
        hand = self.hand_of(member)
        if hand is None:
            raise HandError("not_raised")
        self.queue.remove(hand)
        self.speaker, self.since, self.subject, self.run = member, now, hand.subject, run
        self.left = None
        return hand

    def finish(self, member: int | None = None) -> int:
        """The word ends: the speaker is done (`member`), or the facilitator takes it back."""
        if self.speaker is None or (member is not None and member != self.speaker):
            raise HandError("not_speaking")
        speaker = self.speaker
        self.speaker, self.since, self.subject, self.left = None, None, "", None
        return speaker

    def drop_out(self, member: int) -> bool:
        """Someone left the meeting. If they had the word it ends, and the room says why; a raised
        hand stays in its place, in case they come back (the queue shows them as away)."""
        if self.speaker != member:
            return False
        self.speaker, self.since, self.subject, self.left = None, None, "", member
        return True


def clean_subject(text: str) -> str:
    """One line, at most SUBJECT_LENGTH characters."""
    return " ".join(str(text or "").split())[:SUBJECT_LENGTH]


def may_give(rounds_running: bool) -> bool:
    """The turn order of a question round goes first: while a round is under way (someone has
    asked or passed in it), the word waits until the round ends."""
    return not rounds_running
