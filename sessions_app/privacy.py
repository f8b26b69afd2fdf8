"""What the session rooms hold about a member, and how they forget the member's name.

Registered with privacy/registry.py. A member's questions, board items, votes, evaluations and
storingen are part of other people's cases and of the group's record: erasing an account keeps
them under "former member" (anonymous items and unsigned evaluations stay anonymous: the room
never showed a name for them). Rooms the member facilitated stay in the logbook.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from privacy.registry import (
    GROUP,
    Field,
    Section,
    iso,
    meeting_where,
    register_eraser,
    register_section,
)

from .models import BoardItem, Evaluation, Question, Room, RoomMember, Storing, Vote

MEETING = Field("meeting_starts_at", gettext_lazy("when the meeting of the session room began"))


def _where(member: RoomMember) -> dict:
    return meeting_where(member.room.meeting)


def _of(model, user) -> QuerySet:
    return model.objects.filter(**{_member_field(model) + "__user": user}).select_related(
        f"{_member_field(model)}__room__meeting__group"
    )


def _member_field(model) -> str:
    return {
        Question: "asker",
        BoardItem: "author",
        Evaluation: "member",
        Vote: "voter",
        Storing: "raised_by",
    }[model]


def rooms_section(user) -> Section:
    rows = RoomMember.objects.filter(user=user).select_related("room__meeting__group")
    return Section(
        key="rooms",
        title=gettext_lazy("Session rooms you were in"),
        description=gettext_lazy(
            "Each session room you joined, with the role your screen had. The group's logbook "
            "and charts count these."
        ),
        fields=[
            MEETING,
            GROUP,
            Field("role", gettext_lazy("your role in the room")),
            Field("joined_at", gettext_lazy("when you first joined the room")),
            Field("language", gettext_lazy("the language your screen showed")),
        ],
        records=[
            {
                **_where(m),
                "role": m.get_audience_display(),
                "joined_at": iso(m.joined_at),
                "language": m.language,
            }
            for m in rows.order_by("joined_at")
        ],
    )


def facilitated_section(user) -> Section:
    rows = Room.objects.filter(facilitator=user).select_related("meeting__group", "method")
    return Section(
        key="facilitated",
        title=gettext_lazy("Sessions you facilitated"),
        description=gettext_lazy(
            "The session rooms you led. After erasing your account they stay in the group's "
            "logbook with “former member” as facilitator."
        ),
        fields=[
            Field("meeting_starts_at", MEETING.description),
            GROUP,
            Field("method", gettext_lazy("the method of the session")),
            Field("status", gettext_lazy("waiting, running or ended")),
            Field("started_at", gettext_lazy("when the first step began")),
            Field("ended_at", gettext_lazy("when the session ended")),
        ],
        records=[
            {
                **meeting_where(room.meeting),
                "method": room.method.name,
                "status": room.get_status_display(),
                "started_at": iso(room.started_at),
                "ended_at": iso(room.ended_at),
            }
            for room in rows.order_by("opened_at")
        ],
    )


def questions_section(user) -> Section:
    return Section(
        key="questions",
        title=gettext_lazy("Your questions"),
        description=gettext_lazy(
            "Every turn you took in a question round: the question you typed, or that you asked "
            "it aloud or passed. They belong to the summary of the inbrenger's case."
        ),
        fields=[
            MEETING,
            GROUP,
            Field("step", gettext_lazy("the step of the method")),
            Field("round", gettext_lazy("the round of the question round")),
            Field("text", gettext_lazy("your question; empty when asked aloud or passed")),
            Field("asked_aloud", gettext_lazy("true when you asked it aloud")),
            Field("passed", gettext_lazy("true when you passed your turn")),
            Field("rating", gettext_lazy("warm, lauw or koud where the inbrenger labelled it")),
            Field("created_at", gettext_lazy("when you asked it")),
        ],
        records=[
            {
                **_where(q.asker),
                "step": q.step_key,
                "round": q.round_no,
                "text": q.text,
                "asked_aloud": q.aloud,
                "passed": q.passed,
                "rating": q.rating,
                "created_at": iso(q.created_at),
            }
            for q in _of(Question, user).order_by("created_at", "pk")
        ],
    )


def board_items_section(user) -> Section:
    return Section(
        key="board_items",
        title=gettext_lazy("Your board items"),
        description=gettext_lazy(
            "The tips, advice, perceptions and other items you wrote on a board, including those "
            "on anonymous boards (nobody else ever saw that they are yours)."
        ),
        fields=[
            MEETING,
            GROUP,
            Field("step", gettext_lazy("the step of the method")),
            Field("board", gettext_lazy("the board, e.g. tips or advice")),
            Field("column", gettext_lazy("the column, where the board has columns")),
            Field("text", gettext_lazy("what you wrote")),
            Field("picked", gettext_lazy("true when the inbrenger took it along")),
            Field("created_at", gettext_lazy("when you wrote it")),
            Field("updated_at", gettext_lazy("when you last changed it")),
        ],
        records=[
            {
                **_where(item.author),
                "step": item.step_key,
                "board": item.board,
                "column": item.column,
                "text": item.text,
                "picked": item.picked,
                "created_at": iso(item.created_at),
                "updated_at": iso(item.updated_at),
            }
            for item in _of(BoardItem, user).order_by("created_at", "pk")
        ],
    )


def evaluations_section(user) -> Section:
    return Section(
        key="evaluations",
        title=gettext_lazy("Your evaluations"),
        description=gettext_lazy(
            "How you rated each session. Unless you signed, nobody sees which scores and texts "
            "are yours: the facilitator sees totals and texts without names."
        ),
        fields=[
            MEETING,
            GROUP,
            Field("product", gettext_lazy("what the session gave you, 1 to 5")),
            Field("process", gettext_lazy("how the session went, 1 to 5")),
            Field("remark", gettext_lazy("your remark")),
            Field("takeaway", gettext_lazy("what you take along")),
            Field("facilitator_feedback", gettext_lazy("your feedback to the facilitator")),
            Field("signed", gettext_lazy("true when you signed it with your name")),
            Field("created_at", gettext_lazy("when you evaluated")),
        ],
        records=[
            {
                **_where(e.member),
                "product": e.product,
                "process": e.process,
                "remark": e.remark,
                "takeaway": e.takeaway,
                "facilitator_feedback": e.facilitator_feedback,
                "signed": e.signed,
                "created_at": iso(e.created_at),
            }
            for e in _of(Evaluation, user).order_by("created_at", "pk")
        ],
    )


def votes_section(user) -> Section:
    rows = _of(Vote, user).select_related("case")
    return Section(
        key="votes",
        title=gettext_lazy("Your votes"),
        description=gettext_lazy("The case you voted for, where the group chose its case by vote."),
        fields=[
            MEETING,
            GROUP,
            Field("case_title", gettext_lazy("the title of the case you voted for")),
            Field("created_at", gettext_lazy("when you voted")),
        ],
        records=[
            {**_where(v.voter), "case_title": v.case.title, "created_at": iso(v.created_at)}
            for v in rows.order_by("created_at", "pk")
        ],
    )


def storingen_section(user) -> Section:
    return Section(
        key="storingen",
        title=gettext_lazy("Your storingen"),
        description=gettext_lazy("The disturbances you raised during a session."),
        fields=[
            MEETING,
            GROUP,
            Field("text", gettext_lazy("what you wrote; may be empty")),
            Field("raised_at", gettext_lazy("when you raised it")),
            Field("acknowledged_at", gettext_lazy("when the facilitator acknowledged it")),
        ],
        records=[
            {
                **_where(s.raised_by),
                "text": s.text,
                "raised_at": iso(s.raised_at),
                "acknowledged_at": iso(s.acknowledged_at),
            }
            for s in _of(Storing, user).order_by("raised_at", "pk")
        ],
    )


# ---- Erasing ----------------------------------------------------------------------------------


def erase_blockers(user) -> list[str]:
    """An open room cannot lose its facilitator, nor the case it is about."""
    reasons = []
    open_rooms = Room.objects.exclude(status=Room.Status.ENDED).select_related("meeting")
    if open_rooms.filter(facilitator=user).exists():
        reasons.append(
            _(
                "You facilitate a session room that is still open. End the session (or hand it "
                "over) first."
            )
        )
    if open_rooms.filter(case__owner=user).exists():
        reasons.append(_("A session about your case is still open. End it first."))
    return reasons


def erase(user) -> dict[str, int]:
    """Keep every contribution to the rooms, under "former member"; forget the account."""
    members = RoomMember.objects.filter(user=user)
    kept = {
        _("questions kept under “former member”"): Question.objects.filter(
            asker__in=members
        ).count(),
        _("board items kept under “former member”"): BoardItem.objects.filter(
            author__in=members
        ).count(),
        _("evaluations kept under “former member”"): Evaluation.objects.filter(
            member__in=members
        ).count(),
    }
    kept[_("sessions you facilitated, now by “former member”")] = Room.objects.filter(
        facilitator=user
    ).update(facilitator=None)
    kept[_("session rooms you were in")] = members.update(
        user=None, former_member=True, guest_name="", guest_token=""
    )
    return kept


def register() -> None:
    for order, (key, collect) in enumerate(
        [
            ("rooms", rooms_section),
            ("facilitated", facilitated_section),
            ("questions", questions_section),
            ("board_items", board_items_section),
            ("evaluations", evaluations_section),
            ("votes", votes_section),
            ("storingen", storingen_section),
        ]
    ):
        register_section(key, collect, order=400 + order)
    register_eraser("sessions", erase, order=100, blockers=erase_blockers)
