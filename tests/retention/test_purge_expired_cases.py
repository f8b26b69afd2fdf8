"""A group's retention period: after it, cron empties the case's texts; the figures stay."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.models import ActionPlan, Case
from cases.retention import REMOVED
from groups.models import Group, Meeting, Membership
from sessions_app.models import BoardItem, Evaluation, Question, StepRun
from tests.sessions.conftest import open_room_for

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def purge(*args: str) -> str:
    out = StringIO()
    call_command("purge_expired_cases", *args, stdout=out)
    return out.getvalue()


def make_case(group, owner, title: str, created_days_ago: int = 0, meeting=None) -> Case:
    case = Case.objects.create(
        group=group,
        owner=owner,
        title=title,
        working_question=f"Hoe kan ik {title.lower()}?",
        description="Vertrouwelijk verhaal",
        situation="Op de afdeling…",
        private_notes="Wat mij raakte",
        reformulated_question="Hoe blijf ik rustig?",
        follow_up="Het gesprek ging goed",
        meeting=meeting,
    )
    Case.objects.filter(pk=case.pk).update(created_at=NOW - timedelta(days=created_days_ago))
    return case


@pytest.fixture
def discussed(group, members):
    """Bram's case, discussed 40 days ago in a Roddelmodel room with questions, tips, a plan and
    an evaluation; the group keeps case contents for 30 days."""
    group.case_retention_days = 30
    group.save()
    meeting = Meeting.objects.create(group=group, starts_at=NOW - timedelta(days=40))
    case = make_case(group, members[1], "Teamleider aanspreken", 45, meeting)
    room = open_room_for(meeting, members, case=case)
    chantal = room.members.get(user=members[2])
    step = room.method.steps.first()
    StepRun.objects.create(room=room, step=step, started_at=NOW, planned_seconds=300)
    Question.objects.create(room=room, step_key="q", asker=chantal, text="Wat wil je bereiken?")
    Question.objects.create(room=room, step_key="q", asker=chantal, passed=True)
    BoardItem.objects.create(
        room=room, step_key="t", board="tips", author=chantal, text="Plan een gesprek",
        picked=True, pick_reason="Dat durf ik",
    )  # fmt: skip
    Evaluation.objects.create(room=room, member=chantal, product=4, process=5)
    ActionPlan.objects.create(case=case, specific="Gesprek plannen", first_step="Mail sturen")
    return case


def test_an_expired_case_loses_its_texts_and_keeps_its_figures(discussed):
    room = discussed.rooms.get()
    output = purge()
    assert "Purged 1 case(s)" in output
    case = Case.objects.get(pk=discussed.pk)
    assert case.contents_purged_at is not None
    assert case.title == case.working_question == REMOVED
    for name in ("description", "situation", "private_notes", "reformulated_question", "follow_up"):
        assert getattr(case, name) == "", name
    plan = ActionPlan.objects.get(case=case)
    assert plan.specific == plan.first_step == ""
    assert [q.text for q in room.questions.order_by("pk")] == [REMOVED, ""]
    item = room.board_items.get()
    assert item.text == REMOVED and item.pick_reason == "" and item.picked
    # The logbook's figures stay: the meeting, step timings, evaluation scores, who brought it.
    assert room.step_runs.count() == 1
    assert list(room.evaluations.values_list("product", "process")) == [(4, 5)]
    assert case.meeting_id and case.owner_id and case.status == discussed.status
    assert "Teamleider" not in output  # the cron log names no case


def test_dry_run_lists_but_changes_nothing(discussed):
    output = purge("--dry-run")
    assert str(discussed.pk) in output and "Would purge 1 case(s)" in output
    case = Case.objects.get(pk=discussed.pk)
    assert case.title == "Teamleider aanspreken" and case.contents_purged_at is None
    assert Question.objects.filter(text="Wat wil je bereiken?").exists()


def test_cases_within_the_period_or_without_a_period_stay(discussed, group, members):
    recent = make_case(group, members[2], "Nieuwe collega", created_days_ago=10)
    old_undiscussed = make_case(group, members[3], "Werkdruk", created_days_ago=31)
    other = Group.objects.create(name="Zonder bewaartermijn")
    Membership.objects.create(group=other, user=members[0])
    forever = make_case(other, members[0], "Oude zaak", created_days_ago=3000)
    last_week = Meeting.objects.create(group=group, starts_at=NOW - timedelta(days=5))
    long_prepared = make_case(group, members[4], "Lang voorbereid", 100, meeting=last_week)
    purge()
    assert Case.objects.get(pk=long_prepared.pk).title == "Lang voorbereid"  # met 5 days ago
    assert Case.objects.get(pk=recent.pk).title == "Nieuwe collega"
    assert Case.objects.get(pk=forever.pk).title == "Oude zaak"
    assert Case.objects.get(pk=old_undiscussed.pk).title == REMOVED  # by its creation date
    assert Case.objects.get(pk=discussed.pk).title == REMOVED  # by its meeting date


def test_purging_twice_changes_nothing_more(discussed):
    purge()
    first = Case.objects.get(pk=discussed.pk).contents_purged_at
    assert "Purged 0 case(s)" in purge()
    assert Case.objects.get(pk=discussed.pk).contents_purged_at == first
