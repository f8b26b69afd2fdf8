import pytest

from cases.models import Case
from methods.models import Method
from sessions_app.opening import open_room
from tests.conftest import ensure_method_library


@pytest.fixture
def case(group, members):
    return Case.objects.create(
        group=group,
        owner=members[1],
        title="Teamleider aanspreken",
        working_question="Hoe kan ik mijn teamleider aanspreken op gemiste afspraken?",
    )


def open_room_for(meeting, members, method_slug="roddelmodel", case=None, observers=()):
    ensure_method_library()
    return open_room(
        meeting,
        {
            "present": list(members),
            "method": Method.objects.get(slug=method_slug),
            "case": case,
            "facilitator": members[0],
            "inbrenger": members[1],
            "note_taker": None,
            "timekeeper": None,
            "observers": list(observers),
        },
    )


@pytest.fixture
def room(meeting, members, case):
    """Roddelmodel, opened by Anna (facilitator) with Bram as inbrenger."""
    return open_room_for(meeting, members, case=case)
