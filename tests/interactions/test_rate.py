"""Rate: the inbrenger labels the questions of the earlier question rounds warm / lauw / koud in a
step of its own; the same labelling as in Fresh Questioning's rounds."""

import re

import pytest
from django.urls import reverse

from methods.models import InbrengerMode, InteractionKind, Method
from sessions_app import interactions, live
from sessions_app.models import Audience, Question, RoomMember
from tests.conftest import ensure_method_library
from tests.sessions.conftest import open_room_for

from .conftest import act, go_to_step

pytestmark = pytest.mark.django_db

AUDIENCES = (Audience.FACILITATOR, Audience.INBRENGER, Audience.PARTICIPANT, Audience.OBSERVER)


def method_with_rate_step(base: str, step_key: str, **options) -> Method:
    """A coordinator's variant of a library method where one step becomes a rate step."""
    ensure_method_library()
    method = Method.objects.get(slug=base).copy(slug=f"{base}-rated", name_nl=f"{base} gelabeld")
    method.steps.filter(key=step_key).update(
        kind=InteractionKind.RATE,
        inbrenger_mode=InbrengerMode.PRESENT,
        options={"target": "questions", **options},
    )
    return method


@pytest.fixture
def rated_room(meeting, members, case):
    """Incidentmethode where "roddelen" (step 4) rates the questions of step 3."""
    method = method_with_rate_step("incidentmethode", "roddelen")
    room = go_to_step(
        open_room_for(meeting, members, method_slug=method.slug, case=case), "rondjes-vragen"
    )
    act(room, members[2], "ask", question="Wat gebeurde er in dat overleg?")
    act(room, members[3], "aloud")
    act(room, members[4], "pass")
    return go_to_step(room, "roddelen")


def room_html(room, audience) -> str:
    return live.render_parts(live.load_state(room.pk), audience, interactions.ROOM)


def my_view(client, user, room) -> str:
    client.force_login(user)
    return client.get(reverse("rooms:mine", args=[room.pk])).content.decode()


def test_inbrenger_labels_the_questions_of_the_earlier_rounds(rated_room, members):
    typed, aloud = Question.objects.filter(passed=False).order_by("pk")
    result = act(rated_room, members[1], "rate", question=typed.pk, rating="warm")
    assert result.parts == interactions.ROOM
    act(rated_room, members[1], "rate", question=aloud.pk, rating="lauw")
    typed.refresh_from_db()
    assert typed.rating == "warm"
    for audience in AUDIENCES:
        html = room_html(rated_room, audience)
        assert "Wat gebeurde er in dat overleg?" in html and "data-aloud" in html
        assert f'data-question="{typed.pk}" data-rating="warm"' in html
        counts = dict(re.findall(r'data-count="(\w+)">[^<]*<b data-count-value>(\d+)', html))
        assert counts == {"warm": "1", "lauw": "1", "koud": "0"}


def test_the_same_label_again_takes_it_back(rated_room, members):
    typed = Question.objects.filter(passed=False).first()
    act(rated_room, members[1], "rate", question=typed.pk, rating="koud")
    act(rated_room, members[1], "rate", question=typed.pk, rating="koud")
    typed.refresh_from_db()
    assert typed.rating == ""


def test_the_rating_buttons_are_only_on_the_inbrengers_phone(rated_room, members, client):
    bram = my_view(client, members[1], rated_room)
    assert bram.count('data-rate="warm"') == 2  # the typed and the aloud question; not the pass
    for user in (members[0], *members[2:]):
        assert "data-rate=" not in my_view(client, user, rated_room)
    for audience in AUDIENCES:
        assert "data-rate=" not in room_html(rated_room, audience)


def test_only_the_inbrenger_labels(rated_room, members):
    typed = Question.objects.filter(passed=False).first()
    for user in (members[0], members[2]):
        with pytest.raises(interactions.InteractionError):
            act(rated_room, user, "rate", question=typed.pk, rating="warm")
    typed.refresh_from_db()
    assert typed.rating == ""


def test_questions_of_later_rounds_and_passes_are_not_labelled_here(rated_room, members):
    chantal = RoomMember.objects.get(room=rated_room, user=members[2])
    later = Question.objects.create(
        room=rated_room, step_key="nieuwe-vragen", asker=chantal, text="Wat nu?"
    )
    passed = Question.objects.get(passed=True)
    for question in (later, passed):
        with pytest.raises(interactions.InteractionError):
            act(rated_room, members[1], "rate", question=question.pk, rating="warm")
    assert "Wat nu?" not in room_html(rated_room, Audience.FACILITATOR)


def test_the_step_asks_only_for_its_own_labels(meeting, members, case, client):
    method = method_with_rate_step(
        "fresh-questioning", "reflectie-adviseurs", labels=["warm", "koud"]
    )
    room = go_to_step(open_room_for(meeting, members, method_slug=method.slug, case=case), "vragen")
    act(room, members[2], "ask", question="Wat raakt je het meest?")
    go_to_step(room, "reflectie-adviseurs")
    bram = my_view(client, members[1], room)
    assert 'data-rate="warm"' in bram and 'data-rate="koud"' in bram
    assert 'data-rate="lauw"' not in bram
    with pytest.raises(interactions.InteractionError):
        act(room, members[1], "rate", question=Question.objects.get().pk, rating="lauw")


def test_a_label_from_a_previous_step_is_refused(rated_room, members, client):
    old_run = rated_room.step_run_id
    go_to_step(rated_room, "herbenoemen")
    client.force_login(members[1])
    typed = Question.objects.filter(passed=False).first()
    response = client.post(
        reverse("rooms:act", args=[rated_room.pk, "rate"]),
        {"step_run": old_run, "question": typed.pk, "rating": "warm"},
    )
    assert response.status_code == 409
    typed.refresh_from_db()
    assert typed.rating == ""


@pytest.mark.parametrize("size", [3, 6])
def test_loading_the_labels_does_not_grow_with_the_group(
    meeting, members, case, size, django_assert_num_queries
):
    method = method_with_rate_step("incidentmethode", "roddelen")
    room = go_to_step(
        open_room_for(meeting, members[:size], method_slug=method.slug, case=case),
        "rondjes-vragen",
    )
    for member in room.members.filter(audience=Audience.PARTICIPANT).select_related("user"):
        act(room, member.user, "ask", question=f"Wat zie jij, {member.name}?")
    go_to_step(room, "roddelen")
    inbrenger = RoomMember.objects.get(room=room, audience=Audience.INBRENGER)
    with django_assert_num_queries(5):
        state = live.load_state(room.pk)
        for audience in AUDIENCES:
            live.render_parts(state, audience, live.EVERYTHING)
        live.render_parts(state, Audience.INBRENGER, interactions.MINE, member=inbrenger)


def test_a_target_other_than_questions_offers_nothing_to_label(meeting, members, case, client):
    method = method_with_rate_step("incidentmethode", "roddelen")
    method.steps.filter(key="roddelen").update(options={"target": "tips"})
    room = go_to_step(
        open_room_for(meeting, members, method_slug=method.slug, case=case), "rondjes-vragen"
    )
    act(room, members[2], "ask", question="Wat gebeurde er?")
    go_to_step(room, "roddelen")
    assert "data-rate=" not in my_view(client, members[1], room)
    assert "data-questions" not in room_html(room, Audience.FACILITATOR)
    with pytest.raises(interactions.InteractionError):
        act(room, members[1], "rate", question=Question.objects.get().pk, rating="warm")
