"""Evaluation (the last step of every method): everyone in the room rates what the session gave
(product) and how it went (process), 1–5, with optional remarks, what they take along and
feedback to the facilitator. Anonymous unless signed.

Only the facilitator's laptop shows the aggregate, and it never says who gave what unless the
person signed: scores are only shown summed up, and names appear only next to signed texts.
Other screens see how many have evaluated. The laptop is often projected while people submit,
so its figures change only in batches (interactions/anonymity.py): until at least three people
have evaluated it shows only the count; after that the figures and texts are a snapshot taken
whenever three more people have sent or changed theirs, with the texts in random order. A
change on the screen never follows one person's submission.

One Evaluation per person per room; sending again updates it. A step may ask for one score only
(Incidentmethode with perceptions asks product and process in two steps); as the model needs both
scores, such a half evaluation waits in the step run's state until the other half arrives.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Audience, Evaluation, RoomMember, StepRun
from . import ROOM, ActionRequest, ActionResult, Interaction, InteractionError, anonymity

MAX_LENGTH = 500  # the model's limit for every text
SCORES = ("product", "process")
TEXTS = ("remark", "takeaway", "facilitator_feedback")
PARTIALS = "evaluation_partials"  # key in StepRun.state: member pk -> half an evaluation
RELEASED = "evaluation_released"  # key in StepRun.state: the figures the laptop shows
PENDING = "evaluation_pending"  # key in StepRun.state: who changed theirs since the release

SCALE = (
    (1, gettext_lazy("poor")),
    (2, gettext_lazy("meagre")),
    (3, gettext_lazy("fair")),
    (4, gettext_lazy("good")),
    (5, gettext_lazy("very good")),
)


@dataclass
class Entry:
    """One person's evaluation as far as given: a saved row, or half of one."""

    member_id: int
    name: str
    product: int | None = None
    process: int | None = None
    remark: str = ""
    takeaway: str = ""
    facilitator_feedback: str = ""
    signed: bool = False

    def as_dict(self) -> dict:
        return {key: getattr(self, key) for key in (*SCORES, *TEXTS, "signed")}


@dataclass
class Asks:
    """What the step asks for, from its options."""

    product: bool = True
    process: bool = True
    takeaways: bool = False
    facilitator_feedback: bool = False

    @classmethod
    def of(cls, options: dict | None) -> "Asks":
        options = options or {}
        return cls(
            product=bool(options.get("product", True)),
            process=bool(options.get("process", True)),
            takeaways=bool(options.get("takeaways", False)),
            facilitator_feedback=bool(options.get("facilitator_feedback", False)),
        )

    @property
    def scores(self) -> tuple[str, ...]:
        return tuple(s for s in SCORES if getattr(self, s))

    def feedback_from(self, member) -> bool:
        """The facilitator gives no feedback to themselves."""
        return self.facilitator_feedback and member.audience != Audience.FACILITATOR

    def answered(self, entry: Entry | None) -> bool:
        if entry is None:
            return False
        return all(getattr(entry, s) is not None for s in self.scores)


@dataclass
class Bar:
    score: int
    label: str
    count: int
    percent: int


@dataclass
class Summary:
    """The figures of one score: how many, the average and how the scores spread."""

    score: str
    count: int
    average: float | None
    bars: list[Bar] = field(default_factory=list)


@dataclass
class Text:
    text: str
    signed_by: str = ""  # the name, only when the author signed


@dataclass
class Evaluations:
    asks: Asks
    entries: dict[int, Entry]
    people: int
    released: dict = field(default_factory=dict)  # the laptop's snapshot (see `snapshot`)
    pending: list[int] = field(default_factory=list)  # who changed theirs since the snapshot

    @property
    def responses(self) -> int:
        return sum(1 for e in self.entries.values() if self.asks.answered(e))


def _entry_from_row(row: Evaluation, names: dict[int, str]) -> Entry:
    return Entry(
        member_id=row.member_id,
        name=names.get(row.member_id, ""),
        **{key: getattr(row, key) for key in (*SCORES, *TEXTS, "signed")},
    )


def _entry_from_partial(member_id: int, partial: dict, names: dict[int, str]) -> Entry:
    known = {key: partial[key] for key in (*SCORES, *TEXTS, "signed") if key in partial}
    return Entry(member_id=member_id, name=names.get(member_id, ""), **known)


def _partials(states) -> dict[int, dict]:
    """Half evaluations of earlier and current visits, the latest winning."""
    merged: dict[int, dict] = {}
    for state in states:
        for member_id, partial in ((state or {}).get(PARTIALS) or {}).items():
            merged[int(member_id)] = partial
    return merged


def _evaluate_run_states(room):
    return (
        StepRun.objects.filter(room=room, step__kind="evaluate")
        .order_by("started_at", "pk")
        .values_list("state", flat=True)
    )


def _entries(room, states, names: dict[int, str]) -> dict[int, Entry]:
    entries = {
        member_id: _entry_from_partial(member_id, partial, names)
        for member_id, partial in _partials(states).items()
    }
    for row in Evaluation.objects.filter(room=room):
        entries[row.member_id] = _entry_from_row(row, names)
    return entries


def _latest_release(states) -> dict:
    """The newest snapshot of this or an earlier visit of an evaluation step."""
    found = {}
    for state in states:
        found = (state or {}).get(RELEASED) or found
    return found


def load(state) -> Evaluations:
    names = {m.pk: m.name for m in state.members}
    states = list(_evaluate_run_states(state.room))
    current = (state.run.state if state.run else None) or {}
    return Evaluations(
        asks=Asks.of(state.step.options),
        entries=_entries(state.room, states, names),
        people=len(names),
        released=_latest_release(states),
        pending=list(current.get(PENDING) or []),
    )


def summarise(entries, score: str) -> Summary:
    return summarise_values(score, [getattr(e, score) for e in entries])


def summarise_values(score: str, values: list) -> Summary:
    values = [v for v in values if v is not None]
    count = len(values)
    bars = [
        Bar(
            score=value,
            label=str(label),
            count=values.count(value),
            percent=round(100 * values.count(value) / count) if count else 0,
        )
        for value, label in reversed(SCALE)
    ]
    average = round(sum(values) / count, 1) if count else None
    return Summary(score=score, count=count, average=average, bars=bars)


def texts(entries, key: str) -> list[Text]:
    """Non-empty texts, sorted by their words so their order says nothing about who wrote them."""
    found = [
        Text(text=getattr(e, key), signed_by=e.name if e.signed else "")
        for e in entries
        if getattr(e, key)
    ]
    return sorted(found, key=lambda t: (t.text.casefold(), t.text, t.signed_by))


def _facilitator(state):
    return next((m for m in state.members if m.audience == Audience.FACILITATOR), None)


def snapshot(entries) -> dict:
    """What the laptop may show of these entries: per score the sorted values, and the texts
    in random order (signed ones with their name). JSON, for StepRun.state."""
    return {
        "people": sum(1 for e in entries if any(getattr(e, s) is not None for s in SCORES)),
        "values": {
            s: sorted(getattr(e, s) for e in entries if getattr(e, s) is not None) for s in SCORES
        },  # fmt: skip
        **{
            key: anonymity.shuffled([[t.text, t.signed_by] for t in texts(entries, key)])
            for key in TEXTS
        },
    }


def room_context(state, data: Evaluations, audience: str) -> dict:
    ctx = {"responses": data.responses, "people": data.people, "asks": data.asks}
    if audience != Audience.FACILITATOR:
        return ctx  # other screens only see how many have evaluated
    shown = data.released
    values = shown.get("values") or {}

    def shown_texts(key: str) -> list[Text]:
        return [Text(text=t, signed_by=by) for t, by in shown.get(key) or []]

    facilitator = _facilitator(state)
    ctx.update(
        summaries=[summarise_values(s, values.get(s) or []) for s in data.asks.scores],
        remarks=shown_texts("remark"),
        takeaways=shown_texts("takeaway") if data.asks.takeaways else [],
        feedback=shown_texts("facilitator_feedback") if data.asks.facilitator_feedback else [],
        shown=shown.get("people", 0),
        waiting=len(data.pending),
        batch=anonymity.BATCH,
        scale=SCALE,
        # The laptop is often projected: it says only *that* the facilitator evaluated.
        own_done=facilitator is not None and data.asks.answered(data.entries.get(facilitator.pk)),
    )
    return ctx


def my_context(state, data: Evaluations, member) -> dict:
    entry = data.entries.get(member.pk)
    return {
        "asks": data.asks,
        "entry": entry or Entry(member_id=member.pk, name=member.name),
        "done": data.asks.answered(entry),
        "feedback": data.asks.feedback_from(member),
        "scale": SCALE,
    }


# ---- Sending an evaluation -----------------------------------------------------------------------

SCORE_ERRORS = {
    "product": gettext_lazy("Choose 1 to 5 for what the session gave you."),
    "process": gettext_lazy("Choose 1 to 5 for how the session went."),
}
TEXT_NAMES = {
    "remark": gettext_lazy("your remark"),
    "takeaway": gettext_lazy("what you take along"),
    "facilitator_feedback": gettext_lazy("your feedback to the facilitator"),
}


def _score(value) -> int | None:
    try:
        score = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return score if 1 <= score <= 5 else None


def _text(value, key: str) -> str:
    text = str(value or "").strip()
    if len(text) > MAX_LENGTH:
        raise InteractionError(
            _("Keep %(what)s under %(n)d characters; it now has %(m)d.")
            % {"what": TEXT_NAMES[key], "n": MAX_LENGTH, "m": len(text)}
        )
    return text


def _allowed_texts(asks: Asks, member) -> list[str]:
    allowed = ["remark"]
    if asks.takeaways:
        allowed.append("takeaway")
    if asks.feedback_from(member):
        allowed.append("facilitator_feedback")
    return allowed


def submit(request: ActionRequest) -> ActionResult:
    asks = Asks.of(request.options)
    member, data = request.member, request.data
    scores = {s: _score(data.get(s)) for s in asks.scores}
    missing = [str(SCORE_ERRORS[s]) for s, value in scores.items() if value is None]
    if missing:
        raise InteractionError(" ".join(missing))
    # A text the form did not send (not asked, or the laptop's short form) keeps what it was.
    posted = {key: _text(data.get(key), key) for key in _allowed_texts(asks, member) if key in data}

    row = Evaluation.objects.filter(room=request.room, member=member).first()
    if row is not None:
        current = _entry_from_row(row, {}).as_dict()
    else:
        partial = _partials(_evaluate_run_states(request.room)).get(member.pk, {})
        current = _entry_from_partial(member.pk, partial, {}).as_dict()
    current.update(scores, **posted, signed=str(data.get("signed", "")) in ("1", "on", "true"))

    run = request.run
    run.state = {**(run.state or {})}
    if current["product"] is not None and current["process"] is not None:
        Evaluation.objects.update_or_create(room=request.room, member=member, defaults=current)
    else:
        run.state[PARTIALS] = {**run.state.get(PARTIALS, {}), str(member.pk): current}
        run.save(update_fields=["state"])
    _release_when_due(request)
    # Only the shared count and the laptop's figures change: other phones keep their forms.
    return ActionResult(parts=ROOM, message=_("Thank you: your evaluation is saved."))


def _release_when_due(request: ActionRequest) -> None:
    """Count this person among those waiting; once enough wait, take a new snapshot."""
    run = request.run
    pending = set(run.state.get(PENDING) or []) | {request.member.pk}
    if anonymity.batch_due(pending):
        names = {
            m.pk: m.name
            for m in RoomMember.objects.filter(room=request.room).select_related("user")
        }
        entries = _entries(request.room, _evaluate_run_states(request.room), names)
        run.state[RELEASED] = snapshot(list(entries.values()))
        pending = set()
    run.state[PENDING] = sorted(pending)
    run.save(update_fields=["state"])


INTERACTION = Interaction(
    kind="evaluate",
    template="rooms/interactions/evaluate.html",
    load=load,
    room_context=room_context,
    my_context=my_context,
    actions={"submit": submit},
)
