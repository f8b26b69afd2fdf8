"""Two groups of one organisation, each with its own coordinator (staff in "Coördinatoren", not
superusers), and a site owner (superuser). Group A has a case and a held session whose every text
carries MARKER, so a test can look for it on any page.

- Group A "Zorgteam Noord": coordinator Karin; members Anna (facilitates), Bram (brings the
  case), Chantal, Daan.
- Group B "Zorgteam Zuid": coordinator Joost; members Eva, Femke.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cases.models import ActionPlan, Case, CaseStatus
from groups.coordinators import make_coordinator
from groups.models import Attendance, DateProposal, Group, Meeting, Membership, Role, RoleAssignment
from tests.conftest import ensure_method_library, make_user

MARKER = "ZZGEHEIM"


def marked(what: str) -> str:
    return f"{MARKER} {what}"


def english_client(user=None) -> Client:
    client = Client(headers={"accept-language": "en"})
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def people(db):
    names = {
        "karin": ("Karin", "Hoekstra"),
        "joost": ("Joost", "Dekker"),
        "anna": ("Anna", "de Vries"),
        "bram": ("Bram", "Jansen"),
        "chantal": ("Chantal", "Bakker"),
        "daan": ("Daan", "Visser"),
        "eva": ("Eva", "Smit"),
        "femke": ("Femke", "Mulder"),
    }
    users = {username: make_user(username, *name) for username, name in names.items()}
    users["root"] = make_user("root", "Rita", "Root", is_staff=True, is_superuser=True)
    for username in ("karin", "joost"):
        make_coordinator(users[username])
    return users


@pytest.fixture
def group_a(people):
    group = Group.objects.create(name="Zorgteam Noord", coordinator=people["karin"])
    for name in ("anna", "bram", "chantal", "daan"):
        Membership.objects.create(group=group, user=people[name])
    return group


@pytest.fixture
def group_b(people):
    group = Group.objects.create(name="Zorgteam Zuid", coordinator=people["joost"])
    for name in ("eva", "femke"):
        Membership.objects.create(group=group, user=people[name])
    return group


@pytest.fixture
def meeting_a(group_a, people):
    meeting = Meeting.objects.create(
        group=group_a, starts_at=timezone.now() - timedelta(days=2), status=Meeting.Status.DONE
    )
    RoleAssignment.objects.create(meeting=meeting, user=people["anna"], role=Role.FACILITATOR)
    RoleAssignment.objects.create(meeting=meeting, user=people["bram"], role=Role.INBRENGER)
    Attendance.objects.create(meeting=meeting, user=people["chantal"], response="yes")
    DateProposal.objects.create(
        meeting=meeting,
        proposed_by=people["daan"],
        starts_at=timezone.now() + timedelta(days=9),
        note="andere dag",
    )
    return meeting


@pytest.fixture
def meeting_b(group_b):
    return Meeting.objects.create(group=group_b, starts_at=timezone.now() + timedelta(days=5))


@pytest.fixture
def case_a(group_a, people, meeting_a):
    """Bram's case, discussed: every text field carries MARKER (the title does not: titles of
    proposed cases are what a coordinator may see)."""
    case = Case.objects.create(
        group=group_a,
        owner=people["bram"],
        meeting=meeting_a,
        title="Overdracht op de afdeling",
        status=CaseStatus.DISCUSSED,
        working_question=marked("Hoe kan ik de avonddienst bereiken?"),
        reformulated_question=marked("Hoe zorg ik dat mijn overdracht gelezen wordt?"),
        description=marked("beschrijving"),
        situation=marked("situatie"),
        core=marked("kern"),
        why_problem=marked("waarom"),
        tried=marked("geprobeerd"),
        tried_result=marked("resultaat"),
        ideal=marked("ideaal"),
        solution_idea=marked("oplossing"),
        private_notes=marked("privé"),
        follow_up=marked("wat ervan werd"),
    )
    ActionPlan.objects.create(
        case=case,
        specific=marked("specifiek"),
        measurable=marked("meetbaar"),
        first_step=marked("eerste stap"),
    )
    return case


@pytest.fixture
def draft_a(group_a, people):
    return Case.objects.create(
        group=group_a,
        owner=people["chantal"],
        title=marked("conceptitel"),  # a draft's very title is private
        status=CaseStatus.DRAFT,
        working_question=marked("concept"),
    )


@pytest.fixture
def room_a(case_a, meeting_a, people):
    """The held session of case A, with questions, board items, an evaluation and a storing."""
    from methods.models import Method
    from sessions_app.models import BoardItem, Evaluation, Question, RoomMember, Storing
    from sessions_app.opening import open_room

    ensure_method_library()
    members = [people[n] for n in ("anna", "bram", "chantal", "daan")]
    room = open_room(
        meeting_a,
        {
            "present": members,
            "method": Method.objects.get(slug="roddelmodel"),
            "case": case_a,
            "facilitator": people["anna"],
            "inbrenger": people["bram"],
            "note_taker": None,
            "timekeeper": None,
            "observers": [],
        },
    )
    chantal = RoomMember.objects.get(room=room, user=people["chantal"])
    daan = RoomMember.objects.get(room=room, user=people["daan"])
    Question.objects.create(room=room, step_key="vragen", asker=chantal, text=marked("vraag"))
    BoardItem.objects.create(
        room=room,
        step_key="tips",
        board="tips",
        author=daan,
        text=marked("anonieme tip"),
        picked=True,
        pick_reason=marked("reden"),
    )
    Evaluation.objects.create(
        room=room, member=chantal, product=4, process=5, remark=marked("opmerking"),
        takeaway=marked("meenemen"), facilitator_feedback=marked("feedback"),
    )  # fmt: skip
    Storing.objects.create(room=room, raised_by=daan, text=marked("storing"))
    return room


@pytest.fixture
def world(people, group_a, group_b, meeting_a, meeting_b, case_a, draft_a, room_a):
    """Everything above, for tests that look at all of it."""
    return {
        "people": people,
        "group_a": group_a,
        "group_b": group_b,
        "meeting_a": meeting_a,
        "meeting_b": meeting_b,
        "case_a": case_a,
        "draft_a": draft_a,
        "room_a": room_a,
    }


@pytest.fixture
def karin(people) -> Client:
    return english_client(people["karin"])


@pytest.fixture
def joost(people) -> Client:
    return english_client(people["joost"])


@pytest.fixture
def root(people) -> Client:
    return english_client(people["root"])
