"""Speed sparren rounds: everyone but the facilitator sits in a pair (or the one trio); the
laptop shows every chair of the round, each phone shows who you are with and whether you ask.

Pairs follow from the room's join order (sessions_app.pairing), so nothing is stored: every
screen computes the same chairs from the same members."""

from dataclasses import dataclass

from ..models import Audience
from ..pairing import ROUNDS_PER_HALF, Pair, pair_of, pairs_for
from . import Interaction


@dataclass
class Chair:
    number: int
    askers: list[str]
    partners: list[str]
    is_trio: bool


@dataclass
class Round:
    number: int
    swapped: bool
    askers_move: bool
    pairs: list[Pair]
    names: dict[int, str]

    def chairs(self) -> list[Chair]:
        return [
            Chair(
                number=i,
                askers=[self.names[m] for m in p.askers],
                partners=[self.names[m] for m in p.partners],
                is_trio=p.is_trio,
            )
            for i, p in enumerate(self.pairs, start=1)
        ]


def paired_members(members) -> list:
    """Everyone in join order but the facilitator, who runs the clock."""
    return [m for m in members if m.audience != Audience.FACILITATOR]


def _rounds_before_swap(state) -> int:
    """How many rounds the first askers moved before the swap (the method's steps say)."""
    rounds = [
        int((s.options or {}).get("round") or 1)
        for s in state.steps
        if s.kind == "pairs" and not (s.options or {}).get("swapped")
    ]
    return max(rounds, default=ROUNDS_PER_HALF)


def load(state) -> Round:
    options = state.step.options or {}
    people = paired_members(state.members)  # loaded with the room: no queries of our own
    number = int(options.get("round") or 1)
    swapped = bool(options.get("swapped"))
    return Round(
        number=number,
        swapped=swapped,
        askers_move=bool(options.get("askers_move", True)),
        pairs=pairs_for([m.pk for m in people], number, swapped, _rounds_before_swap(state)),
        names={m.pk: m.name for m in people},
    )


def room_context(state, data: Round, audience: str) -> dict:
    ctx = {"round": data.number, "swapped": data.swapped, "people": len(data.names)}
    if audience == Audience.FACILITATOR:
        ctx["chairs"] = data.chairs()
        ctx["moves"] = data.askers_move and data.number > 1
    return ctx


def my_context(state, data: Round, member) -> dict:
    pair = pair_of(data.pairs, member.pk)
    if pair is None:
        return {"paired": False, "facilitates": member.audience == Audience.FACILITATOR}
    return {
        "paired": True,
        "chair": data.pairs.index(pair) + 1,
        "asks": pair.asks(member.pk),
        "with": [data.names[m] for m in pair.others(member.pk)],
        "partners": [data.names[m] for m in pair.partners if m != member.pk],
        "askers": [data.names[m] for m in pair.askers if m != member.pk],
        "is_trio": pair.is_trio,
        "moves": data.askers_move and data.number > 1 and pair.asks(member.pk),
        "round": data.number,
        "swapped": data.swapped,
    }


INTERACTION = Interaction(
    kind="pairs",
    template="rooms/interactions/pairs.html",
    load=load,
    room_context=room_context,
    my_context=my_context,
)
