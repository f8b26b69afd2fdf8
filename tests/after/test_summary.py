"""Bram's summary after the session: page, PDF and Markdown, and only for Bram."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from cases.summary import build_summary, summary_case
from cases.summary_export import summary_markdown
from common.documents import pdf_safe
from sessions_app.models import BoardItem, Evaluation, Question, RoomMember

from .conftest import (
    EN,
    QUESTIONS,
    TIPS,
    add_contributions,
    client_for,
    open_and_hold,
    pdf_pages,
    pdf_text,
)

pytestmark = pytest.mark.django_db


def summary_of(held, viewer):
    with translation.override("en"):
        return build_summary(summary_case(held.case.pk, viewer), viewer)


def test_summary_holds_the_question_as_brought_and_as_reformulated(held_session, members):
    summary = summary_of(held_session, members[1])
    assert summary.question_as_brought == held_session.case.working_question
    assert summary.question_reformulated.startswith("Hoe kan ik in het overleg ruimte")
    assert summary.facilitator == "Anna de Vries"
    assert summary.method == "Guns&Roses"


def test_summary_lists_every_question_with_its_rating_and_asked_aloud(held_session, members):
    summary = summary_of(held_session, members[1])
    assert [(q.text, q.rating) for q in summary.questions] == QUESTIONS  # the pass is left out
    aloud = summary.questions[2]
    assert aloud.aloud and aloud.rating_label == "cold"
    assert summary.rated_count == 3


def test_summary_has_all_tips_and_the_ones_picked_with_why(held_session, members):
    summary = summary_of(held_session, members[1])
    assert [t.text for board in summary.boards for t in board.tips] == TIPS
    assert summary.boards[0].title == "Help"  # the step's name (English here)
    assert [(t.text, t.reason) for t in summary.picked] == [
        (TIPS[0], "Dat kan ik morgen al doen"),
        (TIPS[1], ""),
    ]


def test_summary_has_plan_notes_and_evaluation_figures(held_session, members):
    summary = summary_of(held_session, members[1])
    assert summary.private_notes.startswith("Het raakt me")
    labels = [label for label, _ in summary.action_plan]
    assert labels[0].startswith("Specific")
    assert ("My first step", "Agenda aanpassen") in summary.action_plan
    evaluation = summary.evaluation
    assert evaluation.count == 4
    assert evaluation.product_average == 4.5
    assert evaluation.process_average == pytest.approx(3.8, abs=0.05)
    assert evaluation.remarks == ["Fijne sfeer, goed getimed"]
    assert evaluation.takeaways == ["Ik neem de whiteboard-tip mee"]


def test_private_notes_never_go_into_someone_elses_summary(held_session, members):
    # Defence in depth: even when built for another viewer, the notes stay out.
    summary = build_summary(held_session.case, members[2])
    assert summary.private_notes == ""


def test_summary_reads_a_fixed_number_of_queries(held_session, members, django_assert_num_queries):
    def count_queries() -> int:
        with django_assert_num_queries(6) as captured:
            build_summary(summary_case(held_session.case.pk, members[1]), members[1])
        return len(captured)

    before = count_queries()
    Evaluation.objects.filter(room=held_session.room).delete()  # one per person
    add_contributions(held_session.room, members)  # twice the questions and tips
    assert Question.objects.filter(room=held_session.room).count() == 10
    assert count_queries() == before


def test_the_inbrenger_reads_the_summary_page(held_session, members):
    response = client_for(members[1]).get(
        reverse("cases:summary", args=[held_session.case.pk]), **EN
    )
    assert response.status_code == 200
    html = response.content.decode()
    for text, _rating in QUESTIONS:
        if text:
            assert text in html
    assert "(asked aloud)" in html
    assert 'class="badge rating rating-warm"' in html
    assert html.count('data-picked="1"') == 2
    assert "Dat kan ik morgen al doen" in html
    assert "Het raakt me dat ze mijn voorzitterschap zo zien." in html
    assert "Agenda aanpassen" in html
    assert 'data-evaluations="4"' in html
    assert "Strak geleid" not in html  # feedback is for the facilitator, not the inbrenger


@pytest.mark.parametrize("who", ["member", "facilitator", "coordinator", "outsider"])
def test_nobody_but_the_inbrenger_opens_the_summary(
    held_session, members, coordinator, outsider, who
):
    user = {
        "member": members[2],
        "facilitator": members[0],
        "coordinator": coordinator,
        "outsider": outsider,
    }[who]
    held_session.case.group.coordinator_may_read_cases = True
    held_session.case.group.save()
    client = client_for(user)
    for name in ("cases:summary", "cases:summary_pdf", "cases:summary_md"):
        assert client.get(reverse(name, args=[held_session.case.pk])).status_code == 404


def test_no_summary_before_a_session(bram_case, members):
    client = client_for(members[1])
    assert client.get(reverse("cases:summary", args=[bram_case.pk])).status_code == 404


def _visible_text(html: str) -> str:
    html = re.sub(r"(?s)<(script|style|title)\b.*?</\1>", " ", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_markdown_export_matches_the_page(held_session, members):
    client = client_for(members[1])
    page = client.get(reverse("cases:summary", args=[held_session.case.pk]), **EN)
    response = client.get(reverse("cases:summary_md", args=[held_session.case.pk]), **EN)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/markdown")
    assert "attachment" in response["Content-Disposition"]
    markdown = response.content.decode()
    unescaped = re.sub(r"\\(.)", r"\1", markdown)
    summary = summary_of(held_session, members[1])
    # Every piece of data on the page is in the Markdown, and the other way round.
    data = [
        summary.title,
        summary.question_as_brought,
        summary.question_reformulated,
        *(q.text for q in summary.questions if q.text),
        *(t.text for b in summary.boards for t in b.tips),
        *(t.reason for t in summary.picked if t.reason),
        summary.private_notes,
        *(value for _, value in summary.action_plan),
        *summary.evaluation.remarks,
        *summary.evaluation.takeaways,
    ]
    from django.utils.html import escape

    page_html = page.content.decode()
    for item in data:
        assert item in unescaped, item
        assert escape(item) in page_html, item
    # The same sections, in the same order.
    headings = re.findall(r"^## (.+?)(?: \(\d+\))?$", markdown, re.M)
    page_headings = re.findall(r"<h2[^>]*>(.*?)(?: \(\d+\))?</h2>", page_html)
    assert headings == page_headings
    assert "- [x] " in markdown and "- [ ] " in markdown
    assert "4.5 / 5" in markdown and "4.5 / 5" in page_html  # the same notation


def test_the_pdf_opens_and_contains_the_tips(held_session, members):
    response = client_for(members[1]).get(
        reverse("cases:summary_pdf", args=[held_session.case.pk]), **EN
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF-")
    assert content.rstrip().endswith(b"%%EOF")
    assert pdf_pages(content) >= 1
    text = pdf_text(content)
    flat = " ".join(text.split())
    assert "Overleg op vrijdag" in flat
    assert "Schrijf de afspraken op het whiteboard" in flat
    assert "Joëlle" in flat and "café" in flat and "“werkdruk”" in flat  # Dutch as is
    assert "Het raakt me" in flat


def test_a_long_summary_flows_onto_more_pages(held_session, members):
    author = RoomMember.objects.filter(room=held_session.room).first()
    BoardItem.objects.bulk_create(
        BoardItem(room=held_session.room, step_key="hulp", board="tips", author=author,
                  text=f"Tip nummer {i}: " + "probeer het eens anders " * 8)
        for i in range(80)
    )  # fmt: skip
    Question.objects.create(room=held_session.room, step_key="verduidelijking", asker=author)
    response = client_for(members[1]).get(reverse("cases:summary_pdf", args=[held_session.case.pk]))
    assert pdf_pages(response.content) > 2
    assert "Tip nummer 79" in " ".join(pdf_text(response.content).split())


def test_pdf_text_keeps_dutch_and_simplifies_what_the_fonts_lack():
    assert pdf_safe("Joëlle’s “café” – één … →") == "Joëlle’s “café” – één … →"
    assert pdf_safe("ĳsbeer ✓ ⚠") == "ijsbeer v !"
    assert pdf_safe("日本") == "??"


def test_markdown_escapes_what_people_typed(held_session, members):
    held_session.case.title = "# Niet *vet* [link](x)"
    held_session.case.save()
    markdown = summary_markdown(summary_of(held_session, members[1]))
    assert "\\# Niet \\*vet\\* \\[link\\](x)" in markdown


# ---- A summary follows the method that was run (issue 20.6) -----------------------------------

CREA_INSIGHTS = [
    "Ik ga zelf ook vaker vragen wat de ander nodig heeft.",
    "Eye-opener: minder schrijven, meer bellen.",
]


@pytest.fixture
def held_crea(past_meeting, members, bram_case):
    room = open_and_hold(past_meeting, members, bram_case, "crea")
    by_user = {m.user_id: m for m in RoomMember.objects.filter(room=room)}
    for user, text in zip(members[2:4], CREA_INSIGHTS, strict=True):
        BoardItem.objects.create(
            room=room,
            step_key="gezamenlijke-bewustwording",
            board="insights",
            author=by_user[user.pk],
            text=text,
        )
    return room


def test_after_crea_the_insights_are_insights_and_there_is_no_pick(held_crea, members):
    summary = build_summary(summary_case(held_crea.case.pk, members[1]), members[1])
    assert [(b.heading, b.title) for b in summary.boards] == [
        ("Inzichten", "Gezamenlijke bewustwording en actieplan")
    ]
    assert [t.text for t in summary.boards[0].tips] == CREA_INSIGHTS
    assert not summary.has_pick  # CREA has no step in which the inbrenger picks

    html = client_for(members[1]).get(reverse("cases:summary", args=[held_crea.case.pk]))
    html = html.content.decode()
    assert "Inzichten · Gezamenlijke bewustwording en actieplan" in html
    assert "Tips en adviezen" not in html
    assert "Je hebt geen tips gekozen" not in html and 'id="summary-picked"' not in html
    for text in CREA_INSIGHTS:
        assert text in html

    markdown = client_for(members[1]).get(reverse("cases:summary_md", args=[held_crea.case.pk]))
    markdown = markdown.content.decode()
    assert "## Inzichten · Gezamenlijke bewustwording en actieplan" in markdown
    assert "Tips en adviezen" not in markdown and "Wat je meeneemt" not in markdown


def test_the_take_along_section_speaks_of_the_boards_own_items(past_meeting, members, bram_case):
    """Balint: nothing picked reads "no advice", in a summary with an advice section."""
    room = open_and_hold(past_meeting, members, bram_case, "balint")
    summary = build_summary(summary_case(room.case.pk, members[1]), members[1])
    assert summary.has_pick
    assert summary.none_picked == "Je hebt geen adviezen gekozen om mee te nemen."
    assert [(b.heading, b.tips) for b in summary.boards] == [("Adviezen", [])]
    html = client_for(members[1]).get(reverse("cases:summary", args=[room.case.pk]))
    assert "Je hebt geen adviezen gekozen om mee te nemen." in html.content.decode()
    assert "Er is niets op het bord gezet." in html.content.decode()
