"""Small words a first real meeting tripped over (Dutch, as the group reads them)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from groups.models import Meeting
from sessions_app import interactions, live
from sessions_app.models import Audience
from tests.interactions.conftest import go_to_step
from tests.sessions.conftest import case, open_room_for  # noqa: F401  (fixture)

from .conftest import client_for

pytestmark = pytest.mark.django_db
NL = {"HTTP_ACCEPT_LANGUAGE": "nl"}


def test_the_tip_hint_does_not_end_in_question_mark_quote_full_stop(meeting, members, case):  # noqa: F811
    room = go_to_step(open_room_for(meeting, members, "guns-and-roses", case=case), "hulp")
    html = client_for(members[2]).get(reverse("rooms:mine", args=[room.pk]), **NL)
    html = html.content.decode()
    assert "Begin met “Heb je er wel eens aan gedacht om…?”" in html
    assert "?”." not in html


def test_the_laptop_tells_the_facilitator_that_they_reveal_the_board(meeting, members, case):  # noqa: F811
    room = go_to_step(open_room_for(meeting, members, "balint", case=case), "adviseren")
    state = live.load_state(room.pk)
    with translation.override("nl"):
        laptop = live.render_parts(state, Audience.FACILITATOR, interactions.ROOM)
        phone = live.render_parts(state, Audience.PARTICIPANT, interactions.ROOM)
    assert "verborgen tot jij ze onthult" in laptop
    assert "tot de facilitator" not in laptop
    assert "verborgen tot de facilitator ze onthult" in phone


def test_short_dates_on_the_group_page_are_not_capitalised(group, members):
    for days in (30, 90):
        Meeting.objects.create(group=group, starts_at=timezone.now() + timedelta(days=days))
    html = client_for(members[1]).get(reverse("groups:detail", args=[group.pk]), **NL)
    dates = re.findall(r'class="timeline-date">([^<]+)<', html.content.decode())
    assert dates
    assert all(re.fullmatch(r"\d{1,2} [a-z]{3} \d{4}", d) for d in dates), dates


def test_upcoming_meetings_without_answers_do_not_read_zero_yes_zero_no(group, members):
    Meeting.objects.create(group=group, starts_at=timezone.now() + timedelta(days=14))
    html = client_for(members[1]).get(reverse("groups:detail", args=[group.pk]), **NL)
    html = html.content.decode()
    assert "0 ja, 0 nee" not in html
    assert "nog niemand heeft gereageerd" in html
