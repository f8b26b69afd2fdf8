"""Evaluation: everyone rates product and process; the laptop sums up, nobody learns who said
what unless they signed."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groups.models import Meeting
from sessions_app import interactions, live
from sessions_app.interactions import anonymity, evaluate
from sessions_app.models import Audience, Evaluation
from tests.sessions.conftest import open_room_for

from .conftest import act, go_to_step

pytestmark = pytest.mark.django_db


def room_html(room, audience: str) -> str:
    return live.render_parts(live.load_state(room.pk), audience, interactions.ROOM)


def summary(html: str, score: str) -> str:
    match = re.search(rf'<section data-summary="{score}".*?</section>', html, re.S)
    assert match, f"no {score} summary"
    return match.group(0)


def bar_count(section: str, score: int) -> int:
    return int(re.search(rf'data-bar="{score}" data-bar-count="(\d+)"', section).group(1))


def mine_html(client, user, room) -> str:
    client.force_login(user)
    return client.get(reverse("rooms:mine", args=[room.pk])).content.decode()


@pytest.fixture
def evaluating(room_for):
    """Roddelmodel's evaluation: product, process and what you take along."""
    return go_to_step(room_for("roddelmodel"), "evaluatie")


def test_the_laptop_shows_averages_distribution_and_how_many_evaluated(evaluating, members):
    act(evaluating, members[1], "submit", product="5", process="4")
    act(evaluating, members[2], "submit", product="4", process="4")
    act(evaluating, members[3], "submit", product="4", process="2")
    html = room_html(evaluating, Audience.FACILITATOR)
    assert 'data-responses="3" data-people="6"' in html
    product, process = summary(html, "product"), summary(html, "process")
    assert 'data-count="3" data-average="4.3"' in product
    assert [bar_count(product, s) for s in (5, 4, 3, 2, 1)] == [1, 2, 0, 0, 0]
    assert 'data-average="3.3"' in process
    assert [bar_count(process, s) for s in (5, 4, 3, 2, 1)] == [0, 2, 0, 1, 0]


def test_a_summary_counts_each_score_and_rounds_the_average():
    entries = [evaluate.Entry(member_id=i, name="", product=p) for i, p in enumerate([1, 2, 2, 5])]
    result = evaluate.summarise(entries, "product")
    assert result.count == 4 and result.average == 2.5
    assert {b.score: (b.count, b.percent) for b in result.bars} == {
        5: (1, 25),
        4: (0, 0),
        3: (0, 0),
        2: (2, 50),
        1: (1, 25),
    }
    assert evaluate.summarise([], "process").average is None


def test_before_anyone_evaluated_the_laptop_shows_empty_figures(evaluating):
    html = room_html(evaluating, Audience.FACILITATOR)
    assert 'data-responses="0" data-people="6"' in html
    assert 'data-count="0" data-average=""' in summary(html, "product")


def test_unsigned_authors_are_never_in_any_screens_fragment(evaluating, members, client):
    act(evaluating, members[2], "submit", product="2", process="3", remark="Te weinig tijd")
    act(
        evaluating,
        members[3],
        "submit",
        product="5",
        process="5",
        remark="Goede vragen",
        signed="1",
    )
    act(evaluating, members[1], "submit", product="4", process="4", takeaway="Eerst luisteren")
    for audience in Audience.values:
        html = room_html(evaluating, audience)
        assert "Chantal" not in html and "Bakker" not in html
        assert "Bram" not in html and "Jansen" not in html
    laptop = room_html(evaluating, Audience.FACILITATOR)
    assert "Te weinig tijd" in laptop and "Eerst luisteren" in laptop
    assert re.search(r"Goede vragen\s*<span[^>]*data-signed-by>— Daan Visser</span>", laptop)
    eva = mine_html(client, members[4], evaluating)
    assert (
        "Te weinig tijd" not in eva and "Goede vragen" not in eva and "Eerst luisteren" not in eva
    )


def test_other_phones_only_see_how_many_have_evaluated(evaluating, members):
    act(evaluating, members[2], "submit", product="2", process="3", remark="Te weinig tijd")
    act(evaluating, members[3], "submit", product="5", process="5", remark="Top", signed="1")
    for audience in (Audience.INBRENGER, Audience.PARTICIPANT, Audience.OBSERVER):
        html = room_html(evaluating, audience)
        assert 'data-responses="2" data-people="6"' in html
        assert "data-summary" not in html and "data-texts" not in html
        assert "Te weinig tijd" not in html and "Top" not in html and "Daan" not in html


def test_texts_show_once_three_are_in_in_random_order_not_by_time_or_member(
    evaluating, members, monkeypatch
):
    # A shuffle we can see: reverse the alphabetical order evaluate.texts() gives.
    monkeypatch.setattr(anonymity._random, "shuffle", lambda values: values.reverse())
    act(evaluating, members[5], "submit", product="3", process="3", remark="zonnig en open")
    act(evaluating, members[2], "submit", product="3", process="3", remark="Middelmatig")
    html = room_html(evaluating, Audience.FACILITATOR)
    assert "zonnig en open" not in html and "Middelmatig" not in html
    act(evaluating, members[4], "submit", product="3", process="3", remark="Aardig", signed="1")
    html = room_html(evaluating, Audience.FACILITATOR)
    positions = [html.index(t) for t in ("zonnig en open", "Middelmatig", "Aardig")]
    assert positions == sorted(positions)


def test_sending_again_updates_the_one_evaluation(evaluating, members, client):
    act(evaluating, members[2], "submit", product="2", process="2", remark="Eerst zo")
    act(evaluating, members[2], "submit", product="4", process="5", remark="Toch beter")
    row = Evaluation.objects.get(room=evaluating)
    assert (row.product, row.process, row.remark) == (4, 5, "Toch beter")
    assert 'data-responses="1"' in room_html(evaluating, Audience.FACILITATOR)
    phone = mine_html(client, members[2], evaluating)
    assert 'data-my-evaluation="done"' in phone and "Toch beter" in phone
    assert re.search(r'name="product" value="4" required checked', phone)


@pytest.mark.parametrize(
    "data",
    [
        {"process": "3"},
        {"product": "3"},
        {"product": "0", "process": "3"},
        {"product": "6", "process": "3"},
        {"product": "drie", "process": "3"},
        {"product": "3", "process": "3", "remark": "x" * 501},
        {"product": "3", "process": "3", "takeaway": "x" * 501},
    ],
)
def test_scores_from_1_to_5_are_required_and_texts_are_limited(evaluating, members, data):
    with pytest.raises(interactions.InteractionError):
        act(evaluating, members[2], "submit", **data)
    assert not Evaluation.objects.exists()


def test_a_refused_evaluation_answers_with_a_clear_error(evaluating, members, client):
    client.force_login(members[2])
    response = client.post(
        reverse("rooms:act", args=[evaluating.pk, "submit"]),
        {"step_run": evaluating.step_run_id, "process": "4"},
    )
    assert response.status_code == 422
    assert 'id="toast"' in response.content.decode()
    assert not Evaluation.objects.exists()


def test_a_phone_evaluates_through_the_act_view(evaluating, members, client):
    client.force_login(members[2])
    response = client.post(
        reverse("rooms:act", args=[evaluating.pk, "submit"]),
        {"step_run": evaluating.step_run_id, "product": "4", "process": "3", "signed": "1"},
    )
    assert response.status_code == 200
    assert Evaluation.objects.get(member__user=members[2]).signed is True
    assert 'data-my-evaluation="done"' in response.content.decode()


def test_facilitator_feedback_is_kept_only_where_the_step_asks_for_it(evaluating, members, client):
    act(evaluating, members[2], "submit", product="3", process="3", facilitator_feedback="Strak")
    assert Evaluation.objects.get().facilitator_feedback == ""
    assert 'name="facilitator_feedback"' not in mine_html(client, members[2], evaluating)


def test_in_crea_everyone_but_the_facilitator_gives_feedback_to_the_facilitator(
    room_for, members, client
):
    room = go_to_step(room_for("crea"), "evaluatie")
    assert 'name="facilitator_feedback"' in mine_html(client, members[2], room)
    act(room, members[2], "submit", product="4", process="4", facilitator_feedback="Goed getimed")
    act(room, members[0], "submit", product="4", process="4", facilitator_feedback="Zelf top")
    act(room, members[3], "submit", product="3", process="4")  # the third: figures show
    laptop = room_html(room, Audience.FACILITATOR)
    assert "Goed getimed" in laptop and "Zelf top" not in laptop
    assert 'data-texts="facilitator_feedback"' in laptop
    assert Evaluation.objects.get(member__user=members[0]).facilitator_feedback == ""


def test_takeaways_are_kept_only_where_the_step_asks_for_them(room_for, members, client):
    room = go_to_step(room_for("crea"), "evaluatie")
    assert 'name="takeaway"' not in mine_html(client, members[2], room)
    act(room, members[2], "submit", product="4", process="4", takeaway="Iets")
    assert Evaluation.objects.get().takeaway == ""


def test_the_facilitator_rates_product_and_process_on_the_laptop(evaluating, members):
    laptop = room_html(evaluating, Audience.FACILITATOR)
    assert 'data-own-done="0"' in laptop and 'name="product"' in laptop
    assert 'name="facilitator_feedback"' not in laptop
    act(evaluating, members[0], "submit", product="5", process="4")
    laptop = room_html(evaluating, Audience.FACILITATOR)
    assert 'data-own-done="1"' in laptop and 'data-responses="1"' in laptop
    assert "Anna" not in laptop
    # The projected form is never filled in with the facilitator's own scores.
    assert "checked" not in laptop


def test_a_step_that_asks_one_score_keeps_it_until_the_other_is_given(room_for, members):
    room = go_to_step(room_for("incidentmethode-percepties"), "inhoud-meenemen")
    act(room, members[2], "submit", product="4", takeaway="Luisteren loont")
    assert not Evaluation.objects.exists()
    laptop = room_html(room, Audience.FACILITATOR)
    # One evaluation in: the laptop counts it but shows no figure or text that would be hers.
    assert 'data-responses="1"' in laptop and 'data-count="0"' in summary(laptop, "product")
    assert 'data-summary="process"' not in laptop and "Luisteren loont" not in laptop
    room = go_to_step(room, "proces")
    assert 'data-responses="0"' in room_html(room, Audience.FACILITATOR)
    act(room, members[2], "submit", process="2", facilitator_feedback="Meer pauze")
    row = Evaluation.objects.get()
    assert (row.product, row.process, row.takeaway, row.facilitator_feedback) == (
        4,
        2,
        "Luisteren loont",
        "Meer pauze",
    )
    assert 'data-responses="1"' in room_html(room, Audience.FACILITATOR)


@pytest.mark.parametrize("size", [3, 6])
def test_loading_the_evaluation_does_not_grow_with_the_group(
    size, members, group, case, django_assert_num_queries
):
    meeting = Meeting.objects.create(group=group, starts_at="2030-01-01T10:00Z", location="x")
    room = go_to_step(open_room_for(meeting, members[:size], "roddelmodel", case=case), "evaluatie")
    for user in members[:size]:
        act(room, user, "submit", product="4", process="3", remark=f"Opmerking {user}", signed="1")
    state = live.load_state(room.pk)
    with django_assert_num_queries(2):
        state.interaction_data()
    with CaptureQueriesContext(connection) as rendering:
        for audience in Audience.values:
            live.render_parts(state, audience, interactions.ROOM)
    assert len(rendering) == 0
