"""Anonymity that holds on a projected laptop: anonymous board items and unsigned evaluations
reach the shared screens in batches, never right after one person's submission."""

import re

import pytest

from sessions_app import interactions
from sessions_app.interactions import evaluate
from sessions_app.models import Audience, BoardItem, StepRun

from .conftest import act, go_to_step
from .test_board import my_view, set_options, shared_views
from .test_evaluate import room_html, summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous_board(room_for):
    """Perceptions on an open board (not hidden) that names nobody."""
    room = room_for("incidentmethode-percepties")
    set_options(room, "percepties", anonymous=True, hidden_until_reveal=False)
    return go_to_step(room, "percepties")


def shown_texts(room) -> dict[str, set[str]]:
    return {
        audience: set(re.findall(r'<p class="board-text">([^<]*)</p>', html))
        for audience, html in shared_views(room).items()
    }


def test_anonymous_items_wait_until_three_people_have_written(anonymous_board, members):
    room = anonymous_board
    for n in range(3):
        act(room, members[2], "add", text=f"Chantal {n}")
    act(room, members[3], "add", text="Daan 1")
    views = shared_views(room)
    assert all('data-total="4"' in html for html in views.values())  # the count may show
    assert all(texts == set() for texts in shown_texts(room).values())
    assert 'data-waiting="4"' in views[Audience.FACILITATOR]
    act(room, members[4], "add", text="Eva 1")  # the third person: the batch goes up
    expected = {"Chantal 0", "Chantal 1", "Chantal 2", "Daan 1", "Eva 1"}
    assert all(texts == expected for texts in shown_texts(room).values())
    act(room, members[5], "add", text="Femke 1")  # a new batch starts waiting
    assert all("Femke 1" not in texts for texts in shown_texts(room).values())


def test_a_batch_shows_in_random_order(anonymous_board, members, monkeypatch):
    from sessions_app.interactions import anonymity

    monkeypatch.setattr(anonymity._random, "shuffle", lambda values: values.reverse())
    for user, text in ((members[2], "Eerste"), (members[3], "Tweede"), (members[4], "Derde")):
        act(anonymous_board, user, "add", text=text)
    html = shared_views(anonymous_board)[Audience.PARTICIPANT]
    assert html.index("Derde") < html.index("Tweede") < html.index("Eerste")


def test_the_facilitator_shows_the_waiting_items_when_they_choose(anonymous_board, members):
    act(anonymous_board, members[2], "add", text="Alleen ik tot nu toe")
    assert 'data-action="release"' in shared_views(anonymous_board)[Audience.FACILITATOR]
    with pytest.raises(interactions.InteractionError):
        act(anonymous_board, members[3], "reveal")
    act(anonymous_board, members[0], "reveal")
    assert all("Alleen ik tot nu toe" in t for t in shown_texts(anonymous_board).values())


def test_a_shown_anonymous_item_stays_as_it_is(anonymous_board, members, client):
    act(anonymous_board, members[2], "add", text="Wacht nog")
    waiting = BoardItem.objects.get(text="Wacht nog")
    act(anonymous_board, members[2], "edit", item=str(waiting.pk), text="Wacht nog even")
    act(anonymous_board, members[0], "reveal")
    shown = BoardItem.objects.get(pk=waiting.pk)
    with pytest.raises(interactions.InteractionError):
        act(anonymous_board, members[2], "edit", item=str(shown.pk), text="Nu anders")
    with pytest.raises(interactions.InteractionError):
        act(anonymous_board, members[2], "delete", item=str(shown.pk))
    assert BoardItem.objects.get(pk=shown.pk).text == "Wacht nog even"
    assert "Wacht nog even" in my_view(client, members[2], anonymous_board)


def test_a_named_board_still_shows_each_item_at_once(room_for, members):
    room = go_to_step(room_for("crea"), "gezamenlijke-bewustwording")
    act(room, members[2], "add", text="Meteen zichtbaar")
    assert all("Meteen zichtbaar" in t for t in shown_texts(room).values())


# ---- Evaluations --------------------------------------------------------------------------------


@pytest.fixture
def evaluating(room_for):
    return go_to_step(room_for("roddelmodel"), "evaluatie")


def figures(room) -> tuple[str, str, str]:
    laptop = room_html(room, Audience.FACILITATOR)
    texts = re.findall(r"<li data-text>([^<]*)", laptop)
    return summary(laptop, "product"), summary(laptop, "process"), "|".join(sorted(texts))


def test_the_fourth_evaluation_waits_for_two_more(evaluating, members):
    for user, score in zip(members[1:4], "543", strict=True):
        act(evaluating, user, "submit", product=score, process=score, remark=f"r{score}")
    after_three = figures(evaluating)
    assert 'data-count="3" data-average="4.0"' in after_three[0]
    act(evaluating, members[4], "submit", product="1", process="1", remark="r1")
    assert figures(evaluating) == after_three
    assert 'data-responses="4"' in room_html(evaluating, Audience.FACILITATOR)
    act(evaluating, members[5], "submit", product="1", process="1")
    assert figures(evaluating) == after_three
    act(evaluating, members[0], "submit", product="2", process="2")  # three new: catch up
    assert 'data-count="6"' in figures(evaluating)[0] and "r1" in figures(evaluating)[2]


def test_changing_ones_evaluation_after_the_snapshot_waits_too(evaluating, members):
    for user in members[1:4]:
        act(evaluating, user, "submit", product="4", process="4")
    before = figures(evaluating)
    act(evaluating, members[1], "submit", product="1", process="1", remark="toch niet")
    act(evaluating, members[1], "submit", product="2", process="1", remark="toch niet")
    assert figures(evaluating) == before  # one person changing twice is still one person


def test_the_snapshot_holds_figures_and_texts_never_who(evaluating, members):
    for user in members[1:4]:
        act(evaluating, user, "submit", product="4", process="3", remark=f"van {user.first_name}")
    state = StepRun.objects.get(pk=evaluating.step_run_id).state
    released = state[evaluate.RELEASED]
    assert released["values"] == {"product": [4, 4, 4], "process": [3, 3, 3]}
    assert sorted(t for t, _by in released["remark"]) == ["van Bram", "van Chantal", "van Daan"]
    assert all(by == "" for _t, by in released["remark"])  # unsigned: no names
    assert state[evaluate.PENDING] == []
