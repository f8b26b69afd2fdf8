"""The turns of a question round: whose turn it is, passes and skips, rounds, and who is passed
over because they are not there (see question_round.py and sessions_app/roll.py). Plain rules,
stored in the step run's state."""

import random
from dataclasses import asdict, dataclass, field

ORDERS = ("table", "random")


def turn_order(
    member_ids: list[int], mode: str, run_id: int, round_no: int, last: int | None = None
) -> list[int]:
    """This round's order: around the table (as joined), or shuffled — the same shuffle for the
    same step run and round, so every screen and every re-render agree. A shuffled round never
    opens with ``last``, who closed the round before: nobody has two turns in a row."""
    order = list(member_ids)
    if mode == "random":
        random.Random(f"{run_id}:{round_no}").shuffle(order)
        if len(order) > 1 and order[0] == last:
            order[0], order[1] = order[1], order[0]
    return order


@dataclass
class Turns:
    order: list[int]
    mode: str = "table"
    round: int = 1
    position: int = 0
    passes: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    asked: int = 0  # questions asked (typed or aloud) this round
    ended: bool = False
    absent: list[int] = field(default_factory=list)  # passed over this round: not there
    dropped: list[int] = field(default_factory=list)  # dropped out while it was their turn
    notice: int | None = None  # whose turn was skipped for dropping out: the round says so

    @classmethod
    def of(cls, run, options: dict, participant_ids: list[int]) -> "Turns":
        saved = run.state or {}
        if "order" in saved:
            return cls(**{k: saved[k] for k in cls.__dataclass_fields__ if k in saved})
        mode = options.get("order") if options.get("order") in ORDERS else "table"
        return cls(order=turn_order(participant_ids, mode, run.pk, 1), mode=mode)

    def save(self, run) -> None:
        run.state = asdict(self)
        run.save(update_fields=["state"])

    def current_index(self, present: set[int]) -> int | None:
        """Whose turn it is: the next in the order who still takes part (people may leave)."""
        if self.ended:
            return None
        return next(
            (i for i in range(self.position, len(self.order)) if self.order[i] in present), None
        )

    def current(self, present: set[int]) -> int | None:
        index = self.current_index(present)
        return None if index is None else self.order[index]

    def upcoming(self, present: set[int]) -> int | None:
        index = self.current_index(present)
        if index is None:
            return None
        return next((i for i in self.order[index + 1 :] if i in present), None)

    def token(self, present: set[int]) -> str:
        """Names one turn; a form from an earlier turn carries another token and is refused."""
        return f"{self.round}-{self.current_index(present)}-{self.current(present)}"

    def untouched(self) -> bool:
        """Nobody has taken a turn in this round yet (being passed over while away is none)."""
        return not (self.asked or self.passes or self.skipped or self.dropped)

    def finish_turn(
        self, participant_ids: list[int], run_id: int, present: set[int] | None = None
    ) -> None:
        present = set(participant_ids) if present is None else present
        self.notice = None
        index = self.current_index(present)
        self.position = len(self.order) if index is None else index + 1
        self._moved(participant_ids, run_id, present)

    def _moved(self, participant_ids: list[int], run_id: int, present: set[int]) -> None:
        if self.current_index(present) is None:
            if self.asked:
                self.new_round(participant_ids, run_id, present)
            else:
                self.ended = True  # a full round without a question: nothing new comes up
        else:
            self.settle(present)

    def new_round(
        self, participant_ids: list[int], run_id: int, present: set[int] | None = None
    ) -> None:
        here = set(participant_ids) if present is None else present
        had_a_turn = [i for i in self.order[: self.position] if i in here and i not in self.absent]
        last = had_a_turn[-1] if had_a_turn else None
        self.round += 1
        self.order = turn_order(participant_ids, self.mode, run_id, self.round, last)
        self.position, self.passes, self.skipped, self.asked = 0, [], [], 0
        self.absent, self.dropped = [], []
        self.ended = False
        self.settle(set(participant_ids) if present is None else present)

    def settle(self, present: set[int]) -> list[int]:
        """Fix the turn on the first one here: whoever is passed over on the way is absent for
        this round, so the turn cannot jump back when they return. Returns them."""
        index = self.current_index(present)
        if self.ended or index is None or index == self.position:
            return []
        passed = self.order[self.position : index]
        self.absent.extend(passed)
        self.position = index
        return passed

    def drop_out(self, participant_ids: list[int], run_id: int, present: set[int]) -> int | None:
        """Whoever had the turn is no longer here (after the grace period): skip them and tell
        the group. Returns them, or None when the turn holder is still here."""
        if self.ended or self.position >= len(self.order):
            return None
        holder = self.order[self.position]
        if holder in present:
            return None
        self.dropped.append(holder)
        self.notice = holder
        self.position += 1
        self._moved(participant_ids, run_id, present)
        return holder

    def put_back(self, member_id: int) -> bool:
        """The facilitator puts back someone passed over in this round: they have the turn right
        after the current one (or now, when nobody has it)."""
        if self.ended or member_id not in self.order[: self.position]:
            return False
        if member_id not in self.absent and member_id not in self.dropped:
            return False  # they had their turn in this round
        self.absent = [m for m in self.absent if m != member_id]
        self.dropped = [m for m in self.dropped if m != member_id]
        self.order.remove(member_id)
        self.position -= 1
        after_current = self.position + 1 if self.position < len(self.order) else self.position
        self.order.insert(after_current, member_id)
        return True
