"""Question rounds: participants ask in turns, one question a turn, or pass; a round without a
question ends the rounds. Fresh Questioning: the inbrenger labels each question warm/lauw/koud.
Anna facilitates, Bram brings the case, Chantal, Daan, Eva and Femke take part."""

import re

import pytest
from django.urls import reverse

from sessions_app import interactions, live, services
from sessions_app.interactions import question_round
from sessions_app.models import Audience, Question, RoomMember, StepRun
from tests.sessions.conftest import open_room_for

from .conftest import act, go_to_step

pytestmark = pytest.mark.django_db

AUDIENCES = (Audience.FACILITATOR, Audience.INBRENGER, Audience.PARTICIPANT, Audience.OBSERVER)


def room_html(room, audience=Audience.PARTICIPANT) -> str:
    return live.render_parts(live.load_state(room.pk), audience, interactions.ROOM)


def whose_turn(room) -> str | None:
    """The first name on every phone under "has the turn"."""
    match = re.search(r'data-turn-current="(\d+)"', room_html(room))
    if not match:
        return None
    return RoomMember.objects.get(pk=match.group(1)).user.first_name


def turn_order(room) -> list[str]:
    """The order on the facilitator's laptop, by first name."""
    ids = re.findall(r'data-turn-member="(\d+)"', room_html(room, Audience.FACILITATOR))
    names = {str(m.pk): m.user.first_name for m in room.members.select_related("user")}
    return [names[i] for i in ids]


def my_view(client, user, room) -> str:
    client.force_login(user)
    return client.get(reverse("rooms:mine", args=[room.pk])).content.decode()


def by_name(members, name):
    return next(u for u in members if u.first_name == name)


def take(room, members, name, action="pass", **data):
    return act(room, by_name(members, name), action, **data)


def run_state(room) -> dict:
    room.refresh_from_db()
    return StepRun.objects.get(pk=room.step_run_id).state


# ---- Turns --------------------------------------------------------------------------------


def test_only_participants_take_turns_around_the_table(room_for, members):
    room = go_to_step(room_for("incidentmethode", observers=[members[5]]), "rondjes-vragen")
    assert turn_order(room) == ["Chantal", "Daan", "Eva"]  # not Anna, Bram or observer Femke
    assert whose_turn(room) == "Chantal"
    html = room_html(room)
    assert re.search(r'data-turn-next="\d+"', html) and "Daan" in html


def test_a_typed_question_is_kept_with_step_and_round_and_the_turn_moves_on(room_for, members):
    room = go_to_step(room_for("incidentmethode"), "rondjes-vragen")
    result = take(room, members, "Chantal", "ask", question="  Wat gebeurde er   precies? ")
    question = Question.objects.get()
    assert (question.text, question.step_key, question.round_no) == (
        "Wat gebeurde er precies?",
        "rondjes-vragen",
        1,
    )
    assert question.asker.user.first_name == "Chantal" and not question.aloud
    assert whose_turn(room) == "Daan"
    # The phone whose turn it now is must fetch its view again, so both parts are pushed; and
    # the word, which a round under way holds (sessions_app/hands.py).
    assert result.parts == interactions.BOTH | {"floor"}
    for audience in AUDIENCES:
        assert "Wat gebeurde er precies?" in room_html(room, audience)


def test_asking_aloud_takes_one_tap_and_shows_as_asked_aloud(room_for, members):
    room = go_to_step(room_for("incidentmethode"), "rondjes-vragen")
    take(room, members, "Chantal", "aloud")
    question = Question.objects.get()
    assert question.aloud and question.text == "" and not question.passed
    html = room_html(room, Audience.FACILITATOR)
    assert f'data-question="{question.pk}"' in html and "data-aloud" in html
    assert whose_turn(room) == "Daan"


def test_a_pass_moves_the_turn_on_and_is_shown_on_the_laptop(room_for, members):
    room = go_to_step(room_for("incidentmethode"), "rondjes-vragen")
    take(room, members, "Chantal", "pass")
    assert Question.objects.get().passed
    assert whose_turn(room) == "Daan"
    chantal = RoomMember.objects.get(room=room, user__first_name="Chantal")
    html = room_html(room, Audience.FACILITATOR)
    assert f'data-turn-member="{chantal.pk}" data-turn-status="passed"' in html
    assert "data-questions" not in html  # a pass is not a question


def test_after_a_round_with_a_question_the_next_round_starts(room_for, members):
    room = go_to_step(room_for("incidentmethode"), "rondjes-vragen")
    take(room, members, "Chantal", "ask", question="Wat voelde je toen?")
    for name in ("Daan", "Eva", "Femke"):
        take(room, members, name, "pass")
    assert run_state(room)["round"] == 2 and run_state(room)["passes"] == []
    assert 'data-round="2"' in room_html(room)
    assert whose_turn(room) == "Chantal"
    take(room, members, "Chantal", "ask", question="Hoe reageerde je team?")
    assert Question.objects.filter(passed=False).latest("pk").round_no == 2


def test_a_full_round_of_passes_ends_the_question_rounds_for_everyone(room_for, members, client):
    room = go_to_step(room_for("incidentmethode"), "rondjes-vragen")
    for name in ("Chantal", "Daan", "Eva", "Femke"):
        take(room, members, name, "pass")
    assert run_state(room)["ended"] is True
    for audience in AUDIENCES:
        html = room_html(room, audience)
        assert "data-rounds-ended" in html and "data-turn-current" not in html
    assert "data-my-turn" not in my_view(client, by_name(members, "Chantal"), room)
    with pytest.raises(interactions.InteractionError):
        take(room, members, "Chantal", "ask", question="Nog eentje?")
    # The facilitator just presses Next step.
    services.run_command(room.pk, room.facilitator, "next", room.revision)


def test_guns_and_roses_draws_a_fresh_random_order_every_round(room_for, members):
    room = go_to_step(room_for("guns-and-roses"), "verduidelijking")
    participants = list(
        room.members.filter(audience=Audience.PARTICIPANT).values_list("pk", flat=True)
    )
    first = question_round.turn_order(participants, "random", room.step_run_id, 1)
    assert sorted(first) == sorted(participants)
    ids = [int(i) for i in re.findall(r'data-turn-member="(\d+)"', room_html(room, "facilitator"))]
    assert ids == first  # the same on every render, before anyone had a turn
    names = {m.pk: m.user.first_name for m in room.members.select_related("user")}
    act(room, RoomMember.objects.get(pk=first[0]).user, "ask", question="Wat is er gebeurd?")
    for member_id in first[1:]:
        take(room, members, names[member_id], "pass")
    assert run_state(room)["order"] == question_round.turn_order(
        participants, "random", room.step_run_id, 2
    )
    # Deterministic per step run and round; different step runs shuffle differently.
    orders = {
        tuple(question_round.turn_order(list(range(1, 7)), "random", run, 1)) for run in range(20)
    }
    assert len(orders) > 1


# ---- Who may act, and when -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["Daan", "Bram", "Anna"])
def test_only_the_person_whose_turn_it_is_can_ask_or_pass(room_for, members, name):
    room = go_to_step(room_for("incidentmethode"), "rondjes-vragen")
    for action in ("ask", "aloud", "pass"):
        with pytest.raises(interactions.InteractionError, match="Chantal"):
            take(room, members, name, action, question="Wat deed je?")
    assert not Question.objects.exists()
    assert whose_turn(room) == "Chantal"


def test_an_observer_watches_and_cannot_take_a_turn(room_for, members):
    room = go_to_step(room_for("incidentmethode", observers=[members[5]]), "rondjes-vragen")
    with pytest.raises(interactions.InteractionError):
        take(room, members, "Femke", "ask", question="Wat deed je?")


def test_a_second_click_after_the_turn_moved_on_is_refused(room_for, members, client):
    room = go_to_step(room_for("incidentmethode"), "rondjes-vragen")
    chantal = by_name(members, "Chantal")
    token = re.search(r'name="turn" value="([^"]+)"', my_view(client, chantal, room)).group(1)
    url = reverse("rooms:act", args=[room.pk, "ask"])
    data = {"step_run": room.step_run_id, "turn": token, "question": "Wat gebeurde er?"}
    assert client.post(url, data).status_code == 200
    second = client.post(url, data)
    assert second.status_code == 422 and "Daan" in second.content.decode()  # whose turn it is
    assert Question.objects.count() == 1


def test_a_click_from_an_earlier_turn_of_the_same_person_is_refused(room_for, members, client):
    room = go_to_step(room_for("incidentmethode"), "rondjes-vragen")
    chantal = by_name(members, "Chantal")
    old = re.search(r'name="turn" value="([^"]+)"', my_view(client, chantal, room)).group(1)
    take(room, members, "Chantal", "ask", question="Wat gebeurde er?")
    for name in ("Daan", "Eva", "Femke"):
        take(room, members, name, "pass")
    assert whose_turn(room) == "Chantal"  # her turn again, in round 2
    response = client.post(
        reverse("rooms:act", args=[room.pk, "pass"]), {"step_run": room.step_run_id, "turn": old}
    )
    assert response.status_code == 422
    assert whose_turn(room) == "Chantal"


def test_a_form_from_a_previous_step_is_refused(room_for, members, client):
    room = go_to_step(room_for("incidentmethode"), "rondjes-vragen")
    old_run = room.step_run_id
    go_to_step(room, "roddelen")
    client.force_login(by_name(members, "Chantal"))
    response = client.post(
        reverse("rooms:act", args=[room.pk, "ask"]), {"step_run": old_run, "question": "Wat?"}
    )
    assert response.status_code == 409
    assert not Question.objects.exists()


def test_an_empty_or_overlong_question_is_refused_and_the_turn_stays(room_for, members):
    room = go_to_step(room_for("incidentmethode"), "rondjes-vragen")
    with pytest.raises(interactions.InteractionError):
        take(room, members, "Chantal", "ask", question="   ")
    with pytest.raises(interactions.InteractionError):
        take(room, members, "Chantal", "ask", question="Wat " * 200)
    assert not Question.objects.exists() and whose_turn(room) == "Chantal"


# ---- The facilitator steers --------------------------------------------------------------


def test_facilitator_skips_someone_who_is_away(room_for, members, client):
    room = go_to_step(room_for("incidentmethode"), "rondjes-vragen")
    laptop = room_html(room, Audience.FACILITATOR)
    token = re.search(r'name="turn" value="([^"]+)"', laptop).group(1)
    take(room, members, "Anna", "skip", turn=token)
    assert whose_turn(room) == "Daan" and not Question.objects.exists()
    chantal = RoomMember.objects.get(room=room, user__first_name="Chantal")
    assert f'data-turn-member="{chantal.pk}" data-turn-status="skipped"' in room_html(
        room, Audience.FACILITATOR
    )
    # The same skip clicked twice must not skip Daan as well.
    with pytest.raises(interactions.InteractionError):
        take(room, members, "Anna", "skip", turn=token)
    assert whose_turn(room) == "Daan"


def test_only_the_facilitator_skips_ends_or_switches(room_for, members):
    room = go_to_step(room_for("incidentmethode"), "rondjes-vragen")
    for name in ("Chantal", "Bram"):
        for action, data in (
            ("skip", {}),
            ("end_rounds", {}),
            ("switch_order", {"order": "random"}),
        ):
            with pytest.raises(interactions.InteractionError):
                take(room, members, name, action, **data)
    assert whose_turn(room) == "Chantal" and not run_state(room)


def test_facilitator_ends_the_rounds_and_everyone_sees_it(room_for, members, client):
    room = go_to_step(room_for("incidentmethode"), "rondjes-vragen")
    take(room, members, "Chantal", "ask", question="Wat gebeurde er?")
    result = take(room, members, "Anna", "end_rounds")
    assert result.parts == interactions.BOTH | {"floor"}  # raised hands may have the word now
    for audience in AUDIENCES:
        assert "data-rounds-ended" in room_html(room, audience)
    assert "data-my-turn" not in my_view(client, by_name(members, "Daan"), room)
    laptop = room_html(room, Audience.FACILITATOR)
    assert 'data-action="end_rounds"' not in laptop and 'data-action="skip"' not in laptop
    # Ended too soon? Another round starts on request.
    take(room, members, "Anna", "reopen_rounds")
    assert whose_turn(room) is not None and run_state(room)["round"] == 2


def test_facilitator_switches_to_random_order_from_the_next_round(room_for, members):
    room = go_to_step(room_for("incidentmethode"), "rondjes-vragen")
    take(room, members, "Chantal", "ask", question="Wat gebeurde er?")
    result = take(room, members, "Anna", "switch_order", order="random")
    assert result.parts == interactions.ROOM
    assert turn_order(room) == ["Chantal", "Daan", "Eva", "Femke"]  # this round stays
    for name in ("Daan", "Eva", "Femke"):
        take(room, members, name, "pass")
    participants = list(
        room.members.filter(audience=Audience.PARTICIPANT).values_list("pk", flat=True)
    )
    expected = question_round.turn_order(participants, "random", room.step_run_id, 2)
    assert run_state(room)["order"] == expected and run_state(room)["mode"] == "random"


def test_switching_before_anyone_had_a_turn_changes_this_round_at_once(room_for, members):
    room = go_to_step(room_for("guns-and-roses"), "verduidelijking")
    result = take(room, members, "Anna", "switch_order", order="table")
    assert result.parts == interactions.BOTH | {"floor"}
    assert turn_order(room) == ["Chantal", "Daan", "Eva", "Femke"]
    assert whose_turn(room) == "Chantal"


# ---- What each screen shows ----------------------------------------------------------------


def test_the_phone_whose_turn_it_is_offers_ask_aloud_and_pass(room_for, members, client):
    room = go_to_step(room_for("incidentmethode"), "rondjes-vragen")
    mine = my_view(client, by_name(members, "Chantal"), room)
    assert "data-my-turn" in mine and 'name="question"' in mine
    for action in ("ask", "aloud", "pass"):
        assert f'data-action="{action}"' in mine
    daan = my_view(client, by_name(members, "Daan"), room)
    assert "data-my-turn" not in daan and "data-up-next" in daan
    for user in (by_name(members, "Eva"), by_name(members, "Bram")):
        assert "data-action=" not in my_view(client, user, room)
    # After Chantal's turn, Daan's phone (re-fetching) shows the form.
    take(room, members, "Chantal", "pass")
    assert "data-my-turn" in my_view(client, by_name(members, "Daan"), room)
    assert "data-my-turn" not in my_view(client, by_name(members, "Chantal"), room)


def test_the_laptop_shows_order_round_and_newest_questions_first(room_for, members):
    room = go_to_step(room_for("incidentmethode"), "rondjes-vragen")
    take(room, members, "Chantal", "ask", question="Wat gebeurde er eerst?")
    take(room, members, "Daan", "ask", question="Wie was er nog meer bij?")
    laptop = room_html(room, Audience.FACILITATOR)
    assert laptop.index("Wie was er nog meer bij?") < laptop.index("Wat gebeurde er eerst?")
    eva = RoomMember.objects.get(room=room, user__first_name="Eva")
    assert f'data-turn-member="{eva.pk}" data-turn-status="current"' in laptop
    assert 'data-round="1"' in laptop
    for action in ("skip", "switch_order", "end_rounds"):
        assert f'data-action="{action}"' in laptop
    for audience in (Audience.INBRENGER, Audience.PARTICIPANT, Audience.OBSERVER):
        assert "data-action=" not in room_html(room, audience)


def test_user_text_is_escaped(room_for, members):
    room = go_to_step(room_for("incidentmethode"), "rondjes-vragen")
    take(room, members, "Chantal", "ask", question="Wat <script>alert(1)</script> deed je?")
    html = room_html(room, Audience.FACILITATOR)
    assert "<script>alert" not in html and "&lt;script&gt;" in html


# ---- Guarding hints: the facilitator's laptop only -------------------------------------------


def test_hints_show_next_to_typed_questions_on_the_facilitators_laptop_only(
    room_for, members, client
):
    room = go_to_step(room_for("incidentmethode"), "rondjes-vragen")
    take(room, members, "Chantal", "ask", question="Heb je er al aan gedacht om het te melden?")
    take(room, members, "Daan", "ask", question="Ben je boos geworden?")
    take(room, members, "Eva", "ask", question="Wat voelde je op dat moment?")
    laptop = room_html(room, Audience.FACILITATOR)
    assert 'data-hint="tip"' in laptop and 'data-hint="closed"' in laptop
    good = Question.objects.get(text__startswith="Wat voelde")
    item = laptop.split(f'data-question="{good.pk}"')[1].split("</li>")[0]
    assert "data-hint" not in item
    for audience in (Audience.INBRENGER, Audience.PARTICIPANT, Audience.OBSERVER):
        html = room_html(room, audience)
        assert "Heb je er al aan gedacht" in html and "data-hint" not in html
    for user in members[1:]:
        assert "data-hint" not in my_view(client, user, room)


def test_closed_questions_get_no_hint_where_the_method_allows_them(room_for, members):
    room = go_to_step(room_for("balint"), "rondjes-vragen")
    take(room, members, "Chantal", "ask", question="Ben je boos geworden?")
    assert "data-hint" not in room_html(room, Audience.FACILITATOR)


def test_the_facilitator_sees_when_one_person_dominates(room_for, members):
    room = go_to_step(room_for("incidentmethode"), "rondjes-vragen")
    for round_no in range(3):
        take(room, members, "Chantal", "ask", question=f"Wat gebeurde er daarna ({round_no})?")
        for name in ("Daan", "Eva", "Femke"):
            take(room, members, name, "pass")
    laptop = room_html(room, Audience.FACILITATOR)
    assert 'data-hint="dominance"' in laptop and "Chantal" in laptop
    assert 'data-hint="dominance"' not in room_html(room, Audience.PARTICIPANT)


# ---- Fresh Questioning: warm, lauw, koud -----------------------------------------------------


def test_fresh_questioning_inbrenger_labels_and_everyone_sees_labels_and_counts(room_for, members):
    room = go_to_step(room_for("fresh-questioning"), "vragen")
    take(room, members, "Chantal", "ask", question="Wat raakt je het meest hieraan?")
    take(room, members, "Daan", "aloud")
    take(room, members, "Eva", "ask", question="Wie zou jij willen zijn in dit verhaal?")
    typed, aloud, other = Question.objects.order_by("pk")
    result = act(room, members[1], "rate", question=typed.pk, rating="warm")
    assert result.parts == interactions.ROOM
    act(room, members[1], "rate", question=aloud.pk, rating="warm")
    act(room, members[1], "rate", question=other.pk, rating="koud")
    for audience in AUDIENCES:
        html = room_html(room, audience)
        assert f'data-question="{typed.pk}" data-rating="warm"' in html
        assert f'data-question="{other.pk}" data-rating="koud"' in html
        counts = dict(re.findall(r'data-count="(\w+)">[^<]*<b data-count-value>(\d+)', html))
        assert counts == {"warm": "2", "lauw": "0", "koud": "1"}
    # The same label again takes it back.
    act(room, members[1], "rate", question=other.pk, rating="koud")
    other.refresh_from_db()
    assert other.rating == ""


def test_fresh_questioning_rating_buttons_are_only_on_the_inbrengers_phone(
    room_for, members, client
):
    room = go_to_step(room_for("fresh-questioning"), "vragen")
    take(room, members, "Chantal", "ask", question="Wat raakt je het meest hieraan?")
    take(room, members, "Daan", "aloud")
    bram = my_view(client, members[1], room)
    assert bram.count('data-rate="warm"') == 2 and "data-rating-list" in bram
    for user in (members[0], *members[2:]):
        assert "data-rate=" not in my_view(client, user, room)
    for audience in AUDIENCES:
        assert "data-rate=" not in room_html(room, audience)


def test_only_the_inbrenger_labels_and_only_questions_of_this_step(room_for, members):
    room = go_to_step(room_for("fresh-questioning"), "vragen")
    take(room, members, "Chantal", "ask", question="Wat raakt je het meest hieraan?")
    question = Question.objects.get()
    for user in (members[0], members[2]):
        with pytest.raises(interactions.InteractionError):
            act(room, user, "rate", question=question.pk, rating="warm")
    with pytest.raises(interactions.InteractionError):
        act(room, members[1], "rate", question=question.pk, rating="heet")
    take(room, members, "Daan", "pass")
    with pytest.raises(interactions.InteractionError):  # a pass is not a question
        act(room, members[1], "rate", question=Question.objects.get(passed=True).pk, rating="warm")
    question.refresh_from_db()
    assert question.rating == ""


def test_labels_are_not_given_where_the_inbrenger_answers(room_for, members):
    room = go_to_step(room_for("incidentmethode"), "rondjes-vragen")
    take(room, members, "Chantal", "ask", question="Wat gebeurde er?")
    with pytest.raises(interactions.InteractionError):
        act(room, members[1], "rate", question=Question.objects.get().pk, rating="warm")


# ---- Queries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [3, 6])
def test_loading_the_rounds_does_not_grow_with_the_group(
    meeting, members, case, size, django_assert_num_queries
):
    room = go_to_step(
        open_room_for(meeting, members[:size], method_slug="fresh-questioning", case=case),
        "vragen",
    )
    participants = list(room.members.filter(audience=Audience.PARTICIPANT).select_related("user"))
    for member in participants:
        act(room, member.user, "ask", question=f"Wat zie jij, {member.name}?")
    inbrenger = RoomMember.objects.get(room=room, audience=Audience.INBRENGER)
    with django_assert_num_queries(5):
        state = live.load_state(room.pk)
        for audience in AUDIENCES:
            live.render_parts(state, audience, live.EVERYTHING)
        live.render_parts(state, Audience.INBRENGER, interactions.MINE, member=inbrenger)
