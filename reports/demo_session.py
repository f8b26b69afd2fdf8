"""A finished session for the demo: the last past meeting as if it ran in the room.

So that a new user sees filled charts, a logbook with planned-vs-actual timings, an inbrenger's
summary, and — at the next meeting's opening — last time's action plan to follow up.
"""

from datetime import timedelta

from cases.models import ActionPlan, Case, CaseStatus, Depth
from methods.models import Method
from sessions_app.models import (
    Audience,
    BoardItem,
    Evaluation,
    Question,
    Room,
    RoomMember,
    StepRun,
)

# step key -> minutes actually taken, against the plan (people run over in the middle steps)
ACTUAL_MINUTES = {
    "reflectie": 8,
    "probleemstelling": 12,
    "verduidelijking": 28,
    "hulp": 22,
    "round-up": 9,
    "evaluatie": 7,
}

QUESTIONS = [
    ("eva", "Wat gebeurt er precies op het moment dat je de overdracht begint?", "warm"),
    ("anna", "", "lauw"),  # asked aloud
    ("bram", "Wie bepaalt nu welke informatie in de overdracht komt?", "warm"),
    ("eva", "Hoe reageert de avonddienst als je ze erop aanspreekt?", "koud"),
    ("anna", "Wat heb je zelf nodig om het gesprek aan te gaan?", "warm"),
]
TIPS = [
    (
        "anna",
        "Heb je er wel eens aan gedacht om samen met de avonddienst een vaste checklist te maken?",
        True,
        "Dan is het niet mijn lijst maar die van ons allebei.",
    ),
    (
        "bram",
        "Heb je er wel eens aan gedacht om de overdracht een week lang aan het bed te doen?",
        False,
        "",
    ),
    (
        "eva",
        "Heb je er wel eens aan gedacht om het in het teamoverleg als vast agendapunt te zetten?",
        True,
        "Zo wordt het een teamafspraak en geen verwijt.",
    ),
]
EVALUATIONS = [("anna", 4, 4), ("bram", 5, 4), ("daan", 5, 5), ("eva", 4, 3)]


def replay_last_session(group, members: dict) -> None:
    """Idempotent: does nothing when the last past meeting already has a room."""
    meeting = group.meetings.past().filter(status="done").first()
    method = Method.objects.filter(slug="guns-and-roses").prefetch_related("steps").first()
    if meeting is None or method is None or Room.objects.filter(meeting=meeting).exists():
        return
    roles = {a.role: a.user for a in meeting.roles.all()}
    facilitator, inbrenger = roles.get("facilitator"), roles.get("inbrenger")
    if facilitator is None or inbrenger is None:
        return
    case = Case.objects.create(
        group=group,
        owner=inbrenger,
        meeting=meeting,
        title="Overdracht die niet aankomt",
        working_question=(
            "Hoe kan ik ervoor zorgen dat mijn overdracht aan de avonddienst echt aankomt?"
        ),
        reformulated_question=(
            "Hoe kan ik samen met de avonddienst afspreken wat een goede overdracht is?"
        ),
        description="Belangrijke signalen over cliënten raken tussen de diensten kwijt.",
        depth=Depth.WORKING,
        status=CaseStatus.DISCUSSED,
    )
    ActionPlan.objects.create(
        case=case,
        specific="Met twee collega's van de avonddienst een overdrachtschecklist opstellen.",
        measurable=(
            "Na vier weken ontbreekt er bij geen enkele overdracht nog medicatie-informatie."
        ),
        acceptable="Ik wil dat cliënten 's avonds dezelfde zorg krijgen als overdag.",
        realistic="De teamleider geeft ons een uur in het volgende teamoverleg.",
        time_bound="Voor de volgende intervisiebijeenkomst.",
        first_step="Marloes en Kees van de avonddienst uitnodigen voor een kop koffie.",
        first_step_on=meeting.starts_at.date() + timedelta(days=3),
    )
    steps = list(method.steps.all())
    start = meeting.starts_at + timedelta(minutes=5)
    room = Room.objects.create(
        meeting=meeting,
        method=method,
        case=case,
        facilitator=facilitator,
        status=Room.Status.ENDED,
        planned_minutes={s.key: s.default_minutes for s in steps},
        started_at=start,
    )
    present = [a.user for a in meeting.attendances.filter(present=True).select_related("user")]
    audience = {facilitator.pk: Audience.FACILITATOR, inbrenger.pk: Audience.INBRENGER}
    in_room = {
        user.username: RoomMember.objects.create(
            room=room,
            user=user,
            audience=audience.get(user.pk, Audience.PARTICIPANT),
            language="nl",
        )
        for user in present
    }
    at = start
    for step in steps:
        minutes = ACTUAL_MINUTES.get(step.key, step.default_minutes)
        StepRun.objects.create(
            room=room,
            step=step,
            started_at=at,
            ended_at=at + timedelta(minutes=minutes),
            planned_seconds=step.default_minutes * 60,
        )
        at += timedelta(minutes=minutes)
    room.ended_at = at
    room.save(update_fields=["ended_at"])
    for n, (who, text, rating) in enumerate(QUESTIONS):
        if who in in_room:
            Question.objects.create(
                room=room,
                step_key="verduidelijking",
                round_no=1 + n // 3,
                asker=in_room[who],
                text=text,
                aloud=not text,
                rating=rating,
            )
    for who, text, picked, why in TIPS:
        if who in in_room:
            BoardItem.objects.create(
                room=room,
                step_key="hulp",
                board="tips",
                author=in_room[who],
                text=text,
                picked=picked,
                pick_reason=why,
            )
    for who, product, process in EVALUATIONS:
        if who in in_room:
            Evaluation.objects.create(
                room=room, member=in_room[who], product=product, process=process
            )
