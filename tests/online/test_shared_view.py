"""The shared view (beamer / shared screen) never shows what only one role may see: no role's
instructions, no controls, no hidden board items before the reveal, no authors of an anonymous
board, no hand subjects, no guarding hints, no evaluation remarks, no case inventory, no notes.
It is rendered from its own context, field by field (sessions_app/shared_view.py)."""

import pytest
from django.urls import reverse
from django.utils import translation

from cases.models import Case, CaseStatus
from methods.models import Step
from sessions_app import guarding, live, online, services, shared_view
from sessions_app.models import Room

from .conftest import act, client_for, connect_users, go_to_step, member_of, open_room_for

pytestmark = pytest.mark.django_db

ROLES = ("facilitator", "inbrenger", "participant", "observer")
CONTROLS = ("<form", "<button", "hx-post", "data-command", "<input", "<textarea")


def shared(room) -> str:
    with translation.override("nl"):
        return shared_view.render(live.load_state(room.pk))


def instructions(step) -> list[str]:
    with translation.override("nl"):
        texts = [str(step.instructions_for(role) or "") for role in ROLES]
    return [t for t in texts if len(t) > 25]


def next_step(room, members) -> Room:
    room.refresh_from_db()
    services.run_command(room.pk, members[0], "next", room.revision)
    room.refresh_from_db()
    return room


def assert_nothing_private(html: str, forbidden: list[str], where: str) -> None:
    for text in forbidden:
        assert text not in html, f"{where}: {text!r} is on the shared view"
    for control in CONTROLS:
        assert control not in html, f"{where}: {control} on the shared view"


def test_a_balint_meeting_on_the_shared_view_shows_nothing_role_private(
    online_meeting, members, case
):
    case.private_notes = "Mijn teamleider maakt me eigenlijk bang"
    case.save()
    room = open_room_for(online_meeting, members, method_slug="balint", case=case)
    connect_users(room, *members)
    daan = member_of(room, members[3])
    online.raise_hand(daan, "Over het rooster van morgen")
    forbidden = [case.private_notes, "Over het rooster van morgen"]
    lobby = shared(room)
    assert "Wachten op de start" in lobby and room.join_code not in lobby  # code: page only
    assert_nothing_private(lobby, forbidden, "lobby")

    room = go_to_step(room, "rondjes-vragen")
    tip = "Heb je er al aan gedacht om het te escaleren?"
    act(room, members[2], "ask", question=tip)
    with translation.override("nl"):
        hints = [h.message for h in guarding.question_hints(tip, open_questions_only=False)]
    assert hints  # the facilitator's laptop is warned; the shared view must not be
    html = shared(room)
    assert "Daan Visser is aan de beurt" in html and tip in html
    assert_nothing_private(html, forbidden + hints + instructions(room.step), "question round")

    room = next_step(room, members)  # adviseren: written in silence, hidden until the reveal
    advice = ["Vraag je teamleider om een vast wekelijks overleg", "Schrijf eerst voor jezelf op"]
    act(room, members[2], "add", text=advice[0])
    act(room, members[3], "add", text=advice[1])
    html = shared(room)
    assert "2 dingen geschreven" in html or 'data-screen-board="hidden"' in html
    assert_nothing_private(html, forbidden + advice + instructions(room.step), "before the reveal")
    act(room, members[0], "reveal")
    html = shared(room)
    assert all(a in html for a in advice)
    assert_nothing_private(html, forbidden + instructions(room.step), "after the reveal")

    while not live.load_state(room.pk).is_last_step:
        room = next_step(room, members)
        assert_nothing_private(shared(room), forbidden + instructions(room.step), room.step.key)


def test_an_anonymous_board_votes_and_evaluations_stay_off_the_shared_view(
    online_meeting, members, case, group
):
    room = open_room_for(online_meeting, members, method_slug="incidentmethode-percepties")
    step = Step.objects.get(method=room.method, key="percepties")
    step.options = {**step.options, "anonymous": True}
    step.save()
    other = Case.objects.create(
        group=group,
        owner=members[4],
        title="Een collega die steeds te laat komt",
        working_question="Hoe kan ik mijn collega aanspreken op te laat komen?",
        status=CaseStatus.PROPOSED,
    )
    room = go_to_step(room, "keuze-incident")
    html = shared(room)
    assert "stemmen" in html or "gestemd" in html  # only how many have voted
    assert_nothing_private(html, [other.title, other.working_question, case.title], "vote")

    room = go_to_step(room, "percepties")
    act(room, members[2], "add", text="Het gaat eigenlijk om vertrouwen")
    act(room, members[3], "add", text="Het gaat om grenzen stellen")
    act(room, members[0], "reveal")
    html = shared(room)
    assert "Het gaat eigenlijk om vertrouwen" in html and "Het gaat om grenzen stellen" in html
    authors = ["Chantal", "Bakker", "Daan", "Visser"]
    assert_nothing_private(html, authors + instructions(room.step), "anonymous board")

    room = go_to_step(room, "inhoud-meenemen")
    act(room, members[2], "submit", product="4", process="5", remark="De facilitator was te snel")
    html = shared(room)
    assert "1 van" in html  # how many have filled it in
    assert_nothing_private(html, ["De facilitator was te snel", "Chantal"], "evaluation")


def test_only_the_facilitator_opens_the_shared_view(online_meeting, members, case, outsider):
    room = open_room_for(online_meeting, members, case=case)
    url = reverse("rooms:shared", args=[room.pk])
    page = client_for(members[0]).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert room.join_code in html and 'ws-connect="/ws/rooms/' in html
    assert "<form" not in html.split('id="screen-view"')[1]
    assert client_for(members[2]).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404


def test_the_facilitators_room_links_to_the_shared_view_with_its_key(online_meeting, members, case):
    room = open_room_for(online_meeting, members, case=case)
    html = client_for(members[0]).get(reverse("rooms:room", args=[room.pk])).content.decode()
    assert reverse("rooms:shared", args=[room.pk]) in html
    assert 'aria-keyshortcuts="B"' in html
