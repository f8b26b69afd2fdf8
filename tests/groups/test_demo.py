from datetime import timedelta
from itertools import pairwise

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from cases.models import Case, CaseStatus
from groups.models import Attendance, Group, Meeting, Membership, Role, RoleAssignment
from methods.models import Method


def counts() -> dict[str, int]:
    models = [get_user_model(), Group, Membership, Meeting, RoleAssignment, Attendance, Case]
    return {model.__name__: model.objects.count() for model in models}


def run_demo() -> str:
    from io import StringIO

    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_twice_gives_the_same_data(db):
    run_demo()
    first = counts()
    run_demo()
    assert counts() == first
    assert first["User"] == 8  # six members, the coordinator, the site owner
    assert first["Meeting"] == 7
    assert first["Case"] == 5  # four prepared, one discussed at the last meeting


def test_demo_builds_a_group_with_history_and_upcoming_meetings(db):
    output = run_demo()
    group = Group.objects.get(name="Intervisiegroep Zorgteam Noord")
    assert group.coordinator.username == "coordinator"
    # A scoped coordinator, not a superuser; the site owner is a separate, labelled account.
    coordinator = group.coordinator
    assert coordinator.is_staff and not coordinator.is_superuser
    assert coordinator.groups.filter(name="Coördinatoren").exists()
    owner = get_user_model().objects.get(username="beheerder")
    assert owner.is_superuser and not group.memberships.filter(user=owner).exists()
    assert "beheerder" in output and "superuser" in output
    assert group.active_members().count() == 6
    assert group.meetings.past().filter(status=Meeting.Status.DONE).count() == 3
    upcoming = list(group.meetings.upcoming())
    assert len(upcoming) == 4
    starts = [timezone.localtime(m.starts_at) for m in upcoming]
    assert {(s.hour, s.minute) for s in starts} == {(14, 0)}
    assert {m.duration_minutes for m in upcoming} == {90}
    assert starts[0].date() == timezone.localdate() + timedelta(weeks=1)
    assert [(b.date() - a.date()).days for a, b in pairwise(starts)] == [28, 28, 28]
    for past in group.meetings.past():
        assert past.holder(Role.FACILITATOR) and past.holder(Role.INBRENGER)
        assert past.attendances.count() == 6
    next_meeting = upcoming[0]
    facilitator = next_meeting.holder(Role.FACILITATOR)
    inbrenger = next_meeting.holder(Role.INBRENGER)
    assert facilitator and inbrenger and facilitator != inbrenger
    assert "http://127.0.0.1:8000/" in output
    assert f"{facilitator.username} " in output


def test_demo_cases_are_prepared_by_different_members(db):
    run_demo()
    cases = Case.objects.filter(status=CaseStatus.PROPOSED)
    assert len({c.owner_id for c in cases}) == 4
    for case in cases:
        assert case.working_question.startswith(("Hoe kan ik", "Ik "))
        assert case.description


def test_demo_users_log_in_with_the_documented_password(client, db):
    output = run_demo()
    for username in ["coordinator", "beheerder", "anna", "bram", "chantal", "daan", "eva", "femke"]:
        user = get_user_model().objects.get(username=username)
        assert user.email == f"{username}@example.org"
        assert user.check_password("intervisie")
        assert username in output
    assert client.login(username="anna", password="intervisie")


def test_demo_meets_with_guns_and_roses_when_the_library_has_it(db):
    run_demo()
    group = Group.objects.get(name="Intervisiegroep Zorgteam Noord")
    guns_and_roses = Method.objects.filter(slug="guns-and-roses").first()
    assert group.default_method == guns_and_roses
    assert {m.method for m in group.meetings.all()} == {guns_and_roses}


def test_demo_runs_without_the_method_library(db):
    Method.objects.all().delete()
    run_demo()
    group = Group.objects.get(name="Intervisiegroep Zorgteam Noord")
    assert group.default_method is None
    assert group.meetings.count() == 7


def test_demo_last_meeting_ran_in_the_room_so_charts_and_follow_up_have_content(db):
    from sessions_app.models import Room

    run_demo()
    room = Room.objects.get()
    assert room.status == Room.Status.ENDED
    assert room.step_runs.filter(ended_at__isnull=False).count() == room.method.steps.count()
    assert room.questions.exists() and room.board_items.filter(picked=True).exists()
    assert room.evaluations.count() >= 3
    assert room.case.status == CaseStatus.DISCUSSED and room.case.action_plan.first_step
    assert room.meeting == Group.objects.get().meetings.past().first()
