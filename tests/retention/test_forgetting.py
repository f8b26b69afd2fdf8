"""Nothing about a deleted or expired case stays findable: the tests put a marker in every kind
of text a case and its session room can hold, then search every column of every table."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cases.models import PREPARATION_FIELDS, ActionPlan, Case, CaseStatus
from groups.models import Meeting
from sessions_app.interactions import action_plan, evaluate
from sessions_app.models import (
    Audience,
    BoardItem,
    Evaluation,
    Question,
    Room,
    RoomMember,
    StepRun,
    Storing,
    Vote,
)
from tests.sessions.conftest import open_room_for

pytestmark = pytest.mark.django_db

NOW = timezone.now()
MARK = "QQMARK"


def tables_holding(text: str) -> dict[str, list[str]]:
    """Every table and column whose value, read as text, contains `text`."""
    found: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                name = connection.ops.quote_name(column.name)
                cursor.execute(
                    f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} "  # noqa: S608
                    f"WHERE CAST({name} AS TEXT) LIKE %s",
                    [f"%{text}%"],
                )
                if cursor.fetchone()[0]:
                    found.setdefault(table, []).append(column.name)
    return found


def fill_room(room: Room, mark: str) -> None:
    """Every kind of room content, each text carrying the mark."""
    member = room.members.filter(audience=Audience.PARTICIPANT).first()
    guest = RoomMember.objects.create(
        room=room, guest_name=f"Gast {mark}", guest_token=f"token-{mark}", audience="guest"
    )
    step = room.method.steps.first()
    StepRun.objects.create(
        room=room,
        step=step,
        started_at=NOW,
        planned_seconds=300,
        state={
            "revealed": True,
            evaluate.PARTIALS: {str(member.pk): {"product": 4, "remark": f"half {mark}"}},
            evaluate.RELEASED: {"remarks": [f"released {mark}"]},
            action_plan.REJECTED_DATE: f"31-02 {mark}",
        },
    )
    for who in (member, guest):
        Question.objects.create(room=room, step_key="q", asker=who, text=f"vraag {mark}")
        BoardItem.objects.create(
            room=room,
            step_key="t",
            board="tips",
            author=who,
            text=f"tip {mark}",
            picked=True,
            pick_reason=f"reden {mark}",
        )
        Storing.objects.create(room=room, raised_by=who, text=f"storing {mark}")
    Evaluation.objects.create(
        room=room,
        member=member,
        product=4,
        process=5,
        remark=f"opmerking {mark}",
        takeaway=f"meenemen {mark}",
        facilitator_feedback=f"feedback {mark}",
    )


@pytest.fixture
def expired(group, members):
    """Bram's case, discussed 40 days ago; the group keeps case contents 30 days. Its room and
    a room of another meeting (no case chosen) hold every kind of content."""
    group.case_retention_days = 30
    group.save()
    meeting = Meeting.objects.create(group=group, starts_at=NOW - timedelta(days=40))
    case = Case.objects.create(
        group=group,
        owner=members[1],
        meeting=meeting,
        status=CaseStatus.DISCUSSED,
        **{
            name: f"{name} {MARK}"
            for name in (
                "title",
                "working_question",
                "reformulated_question",
                "description",
                *PREPARATION_FIELDS,
                "private_notes",
                "follow_up",
            )
        },
    )
    ActionPlan.objects.create(
        case=case,
        **{
            name: f"{name} {MARK}"
            for name in (
                "specific",
                "measurable",
                "acceptable",
                "realistic",
                "time_bound",
                "first_step",
            )
        },
    )
    room = open_room_for(meeting, members, case=case)
    fill_room(room, MARK)
    Vote.objects.create(room=room, voter=room.members.first(), case=case)
    Room.objects.filter(pk=room.pk).update(status=Room.Status.ENDED)

    other = Meeting.objects.create(group=group, starts_at=NOW - timedelta(days=35))
    caseless = open_room_for(other, members)
    fill_room(caseless, "NOCASEMARK")
    Room.objects.filter(pk=caseless.pk).update(status=Room.Status.ENDED)
    return case


def purge(*args: str) -> str:
    out = StringIO()
    call_command("purge_expired_cases", *args, stdout=out)
    return out.getvalue()


def test_the_setup_puts_the_marker_everywhere(expired):
    where = tables_holding(MARK)
    for table in (
        "cases_case",
        "cases_actionplan",
        "sessions_app_question",
        "sessions_app_boarditem",
        "sessions_app_storing",
        "sessions_app_evaluation",
        "sessions_app_steprun",
        "sessions_app_roommember",
    ):
        assert table in where, table


def test_purging_an_expired_case_leaves_no_text_of_it_anywhere(expired):
    purge()
    assert tables_holding(MARK) == {}
    assert tables_holding("NOCASEMARK") == {}  # the caseless room expired with its meeting


def test_purging_keeps_the_figures_of_the_logbook(expired):
    room = expired.rooms.get()
    purge()
    assert room.step_runs.count() == 1 and room.step_runs.get().state == {"revealed": True}
    assert list(room.evaluations.values_list("product", "process")) == [(4, 5)]
    assert room.questions.count() == 2 and room.board_items.filter(picked=True).count() == 2
    assert room.members.count() == 7  # six members and the guest, nameless
    assert Vote.objects.filter(room=room).count() == 1


def test_dry_run_lists_per_kind_and_changes_nothing(expired):
    output = purge("--dry-run")
    assert "Would purge 1 case(s)" in output
    for line in (
        "1 cases",
        "1 action plans",
        "4 questions",
        "4 board items",
        "4 pick reasons",
        "4 storingen",
        "2 evaluation remarks",
        "2 step-state drafts",
        "2 guests",
    ):
        assert f"  {line}\n" in output, line
    assert MARK not in output
    assert "cases_case" in tables_holding(MARK) and "sessions_app_storing" in tables_holding(MARK)


def test_the_purge_reports_what_it_cleared(expired):
    output = purge()
    assert "Purged 1 case(s)." in output and "  4 storingen\n" in output
    again = purge("--dry-run")
    assert "Would purge 0 case(s)" in again and "Nothing to clear." in again


def test_an_unexpired_room_keeps_its_guests_and_storingen(group, members, meeting):
    group.case_retention_days = 30
    group.save()
    room = open_room_for(meeting, members)  # next week
    fill_room(room, "RECENTMARK")
    Room.objects.filter(pk=room.pk).update(status=Room.Status.ENDED)
    purge()
    assert "sessions_app_storing" in tables_holding("RECENTMARK")


# ---- Deleting a case ----------------------------------------------------------------------------


def test_deleting_a_case_leaves_nothing_of_it_findable(expired, members, client):
    expired.group.case_retention_days = None  # deletion, not retention
    expired.group.save()
    room = expired.rooms.get()
    client.force_login(members[1])
    response = client.post(reverse("cases:delete", args=[expired.pk]))
    assert response.status_code == 302
    assert tables_holding(MARK) == {}
    room.refresh_from_db()
    assert room.case_id is None  # the meeting stays in the logbook, without the case
    assert not room.questions.exists() and not room.board_items.exists()
    assert list(room.evaluations.values_list("product", "process", "remark")) == [(4, 5, "")]
    assert room.step_runs.count() == 1
    assert "sessions_app_storing" in tables_holding("NOCASEMARK")  # other rooms untouched


def test_deleting_a_case_in_the_admin_clears_its_room_too(expired, members):
    Case.objects.filter(pk=expired.pk).delete()  # the queryset path the admin takes
    assert tables_holding(MARK) == {}
