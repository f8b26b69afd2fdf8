"""Speed sparren: who sits with whom in which round. Pure functions, no database.

The group is split by join order into two halves: the first half asks, the second half spars,
each pair on its own chair. Sparring partners keep their chairs; askers move one chair along
each round, so with three or more chairs every asker meets a new partner in each round.
After the first half's rounds the roles swap where everyone sits ("put your question to the
person opposite you"): the first half now stays seated, the second half asks and moves along.

With an odd number the second half is one bigger and its last person makes the one trio:
- while the first half asks, the extra person is a second sparring partner on the last chair,
  so a different asker joins that trio each round;
- once the roles are swapped the extra person asks too (everyone brings a question) and moves
  along with the last asker, the two sharing one sparring partner.
"""

from collections.abc import Sequence
from dataclasses import dataclass

ROUNDS_PER_HALF = 3  # speed sparren: three rounds, a silence, three rounds with roles swapped


@dataclass(frozen=True)
class Pair:
    """One chair of the round: its askers (one, two in a swapped trio) and sparring partners."""

    askers: tuple[int, ...]
    partners: tuple[int, ...]

    @property
    def members(self) -> tuple[int, ...]:
        return self.askers + self.partners

    @property
    def is_trio(self) -> bool:
        return len(self.members) == 3

    def asks(self, member_id: int) -> bool:
        return member_id in self.askers

    def others(self, member_id: int) -> tuple[int, ...]:
        """Who `member_id` is with this round, sparring partners before fellow askers."""
        order = self.partners + self.askers if member_id in self.askers else self.members
        return tuple(m for m in order if m != member_id)


def halves(member_ids: Sequence[int]) -> tuple[list[int], list[int]]:
    """The first half (askers in the first rounds) and the second half, one bigger if odd."""
    ids = list(member_ids)
    middle = len(ids) // 2
    return ids[:middle], ids[middle:]


def pairs_for(
    member_ids: Sequence[int],
    round_no: int,
    swapped: bool,
    rounds_before_swap: int = ROUNDS_PER_HALF,
) -> list[Pair]:
    """The pairs (and at most one trio) of a round, in chair order.

    `member_ids` in room join order, the facilitator left out; `round_no` counts from 1 within
    a half of the method; `rounds_before_swap` tells where the first askers ended up, since the
    swapped rounds start from that seating. Fewer than two people make no pair.
    """
    first, second = halves(member_ids)
    chairs = len(first)
    if chairs == 0:
        return []
    seated, extra = second[:chairs], second[chairs:]  # extra: at most one person

    def chair(start: int, moves: int) -> int:
        return (start + moves) % chairs

    askers: list[list[int]] = [[] for _ in range(chairs)]
    partners: list[list[int]] = [[] for _ in range(chairs)]
    if not swapped:
        for i, person in enumerate(seated):
            partners[i].append(person)
        partners[-1].extend(extra)  # the extra sparring partner stays on the last chair
        for i, person in enumerate(first):
            askers[chair(i, round_no - 1)].append(person)
    else:
        for i, person in enumerate(first):  # they stay where the last unswapped round left them
            partners[chair(i, rounds_before_swap - 1)].append(person)
        for i, person in enumerate(seated):
            askers[chair(i, round_no - 1)].append(person)
        askers[chair(chairs - 1, round_no - 1)].extend(extra)  # moves with the last asker
    return [Pair(askers=tuple(a), partners=tuple(p)) for a, p in zip(askers, partners, strict=True)]


def pair_of(pairs: Sequence[Pair], member_id: int) -> Pair | None:
    return next((p for p in pairs if member_id in p.members), None)
