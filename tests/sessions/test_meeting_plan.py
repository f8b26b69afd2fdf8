"""Planning the meeting when the room opens: the method's own minutes, unless the facilitator
changes them, with the opening and the closing shown as what they are."""

import re

import pytest
from django.urls import reverse

from methods.models import Method
from sessions_app import live
from sessions_app.models import Room

from .conftest import open_room_for
from .test_views import client_for

pytestmark = pytest.mark.django_db


def open_form(members, method, **extra) -> dict:
    return {
        "present": [m.pk for m in members],
        "method": method.pk,
        "facilitator": members[0].pk,
        **extra,
    }


@pytest.mark.parametrize("slug", ["balint", "crea", "roddelmodel", "guns-and-roses"])
def test_a_room_keeps_the_methods_own_minutes(meeting, members, method_library, slug):
    """Balint's 70 minutes stay 70 in a 90-minute meeting (they used to become 90)."""
    method = Method.objects.get(slug=slug)
    room = open_room_for(meeting, members, method_slug=slug)
    assert room.planned_minutes == {s.key: s.default_minutes for s in method.steps.all()}


def test_the_facilitator_sets_a_steps_minutes_when_opening_the_room(
    meeting, members, method_library
):
    anna = client_for(members[0])
    balint = Method.objects.get(slug="balint")
    page = anna.get(reverse("rooms:open", args=[meeting.pk]), {"method": balint.pk})
    response = anna.post(
        reverse("rooms:open", args=[meeting.pk]),
        open_form(members, balint, **{"minutes-adviseren": "20", "minutes-reactie": "5"}),
    )
    assert response.status_code == 302, page
    room = Room.objects.get(meeting=meeting)
    assert room.planned_minutes["adviseren"] == 20
    assert room.planned_minutes["reactie"] == 5
    assert room.planned_minutes["benoemen"] == 10  # not sent: the method's own


def test_minutes_that_are_no_whole_number_are_refused_and_nothing_is_lost(
    meeting, members, method_library
):
    anna = client_for(members[0])
    balint = Method.objects.get(slug="balint")
    response = anna.post(
        reverse("rooms:open", args=[meeting.pk]),
        open_form(members, balint, **{"minutes-adviseren": "twintig", "minutes-reactie": "7"}),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Geef elke stap een heel aantal minuten, van 1 tot 180." in html
    assert re.search(r'name="minutes-reactie" value="7"', html)  # what was typed stays
    assert not Room.objects.exists()
    response = anna.post(
        reverse("rooms:open", args=[meeting.pk]),
        open_form(members, balint, **{"minutes-adviseren": "0"}),
    )
    assert "Geef elke stap een heel aantal minuten" in response.content.decode()


def test_the_plan_preview_recounts_opening_and_closing_as_minutes_change(
    meeting, members, method_library
):
    anna = client_for(members[0])
    crea = Method.objects.get(slug="crea")
    html = anna.get(
        reverse("rooms:plan", args=[meeting.pk]),
        {"method": crea.pk, "part": "totals", "minutes-verkenning": "25"},
    ).content.decode()
    assert 'id="plan-totals"' in html and "<table" not in html  # the fields keep their focus
    assert re.search(r'data-frame="method">75 min', html)
    assert re.search(r'data-frame="opening">10 min', html)
    assert re.search(r'data-frame="closing">5 min', html)


def test_the_open_form_marks_the_step_a_branch_may_skip(meeting, members, method_library):
    anna = client_for(members[0])
    incident = Method.objects.get(slug="incidentmethode")
    html = anna.get(
        reverse("rooms:plan", args=[meeting.pk]), {"method": incident.pk}
    ).content.decode()
    row = re.search(r'<tr data-plan-step="nieuwe-vragen">.*?</tr>', html, re.S).group(0)
    assert "data-optional" in row
    assert "70 min zonder de stap die kan vervallen" in html


def test_the_lobby_shows_the_opening_and_the_closing(meeting, members, method_library):
    room = open_room_for(meeting, members, method_slug="crea")
    html = live.render_parts(live.load_state(room.pk), "facilitator", frozenset({"step"}))
    plan = re.search(r"<table class=\"plan-table\" data-lobby-plan>.*?</table>", html, re.S)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", plan.group(0), re.S)
    cells = [re.sub(r"<[^>]+>", " ", row).split() for row in rows]
    assert cells[0][0] == "Opening" and cells[0][-2:] == ["15", "min"]
    assert cells[-2][0] == "Afsluiting" and cells[-2][-2:] == ["10", "min"]
    assert cells[-1][0] == "Bijeenkomst" and cells[-1][-2:] == ["90", "min"]
    assert "de rest is voor de opening en de afsluiting" not in html
