"""Chantal prepares a case on her phone: a private draft first, then proposed to the group."""

import re

import pytest
from django.urls import reverse

from cases.guidance import SELF_TEST_QUESTIONS
from cases.models import Case, CaseStatus, Depth
from groups.models import Group, Membership

from .conftest import EN, HTMX, client_for

pytestmark = pytest.mark.django_db

QUESTION = (
    "Hoe kan ik in het teamoverleg mijn grens aangeven als er extra diensten worden verdeeld?"
)


def case_data(group, **extra):
    return {
        "group": str(group.pk),
        "title": "Extra diensten",
        "situation": "Elke maand worden er extra diensten verdeeld.",
        "core": "Ik zeg te snel ja.",
        "why_problem": "Ik raak uitgeput.",
        "tried": "",
        "tried_result": "",
        "ideal": "",
        "solution_idea": "",
        "working_question": QUESTION,
        "depth": str(Depth.INTERPERSONAL),
        **extra,
    }


@pytest.fixture
def chantal(members):
    return members[2]


def test_the_form_guides_with_preparation_questions_depths_and_the_self_test(group, chantal):
    response = client_for(chantal).get(reverse("cases:new"), **EN)
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("situation", "core", "why_problem", "tried", "tried_result", "ideal",
                 "solution_idea", "title", "working_question"):  # fmt: skip
        assert f'name="{name}"' in html
    assert html.count('name="depth"') == 5
    assert "Feelings and how others perceive me" in html
    assert "how do I stay calm when a colleague interrupts me" in html  # plain explanation
    # The self-test is there, collapsed, with its eleven questions.
    self_test = re.search(
        r'<details class="card self-test" id="self-test">(.*?)</details>', html, re.S
    )  # noqa: E501
    assert self_test
    questions = self_test.group(1).split("</ol>")[0]
    assert len(re.findall(r"<li>", questions)) == len(SELF_TEST_QUESTIONS) == 11
    # The working question is checked live as the member types.
    field = re.search(r"<textarea[^>]*name=\"working_question\"[^>]*>", html).group(0)
    assert f'hx-post="{reverse("cases:hints")}"' in field
    assert 'hx-trigger="input changed delay:500ms"' in field
    assert 'hx-target="#question-hints"' in field
    assert "<script>" not in html and " onclick=" not in html


def test_the_formulation_hints_come_back_as_she_types(group, chantal):
    client = client_for(chantal)
    url = reverse("cases:hints")
    vague = client.post(url, {"working_question": "Mijn collega luistert nooit"}, **HTMX)
    assert vague.status_code == 200
    codes = re.findall(r'data-hint="([a-z_]+)"', vague.content.decode())
    assert "not_own" in codes and "vague" in codes
    good = client.post(url, {"working_question": QUESTION}, **HTMX)
    assert re.findall(r'data-hint="([a-z_]+)"', good.content.decode()) == ["ok"]
    assert 'id="question-hints"' in good.content.decode()


def test_hints_need_a_login(client):
    response = client.post(reverse("cases:hints"), {"working_question": "x"})
    assert response.status_code == 302


def test_a_draft_stays_private(group, members, chantal, coordinator):
    group.coordinator_may_read_cases = True
    group.save()
    response = client_for(chantal).post(reverse("cases:new"), case_data(group, intent="draft"))
    case = Case.objects.get(owner=chantal)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.status == CaseStatus.DRAFT
    assert case.group == group and case.depth == Depth.INTERPERSONAL
    for other in (members[0], members[3], coordinator):
        assert client_for(other).get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_proposing_shows_title_and_question_to_the_group_but_not_the_preparation(
    group, members, chantal, outsider
):
    client = client_for(chantal)
    client.post(reverse("cases:new"), case_data(group, intent="draft"))
    case = Case.objects.get(owner=chantal)
    client.post(reverse("cases:propose", args=[case.pk]))
    case.refresh_from_db()
    assert case.status == CaseStatus.PROPOSED
    page = client_for(members[3]).get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Extra diensten" in html and QUESTION in html
    assert "Ik zeg te snel ja." not in html and "uitgeput" not in html
    assert reverse("cases:edit", args=[case.pk]) not in html
    assert client_for(outsider).get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_propose_straight_from_the_form(group, chantal):
    client_for(chantal).post(reverse("cases:new"), case_data(group, intent="propose"))
    assert Case.objects.get(owner=chantal).status == CaseStatus.PROPOSED


def test_the_owner_sees_her_preparation_and_can_take_the_case_back(group, chantal):
    client = client_for(chantal)
    client.post(reverse("cases:new"), case_data(group, intent="propose"))
    case = Case.objects.get(owner=chantal)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Ik zeg te snel ja." in html
    client.post(reverse("cases:withdraw", args=[case.pk]))
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT


def test_only_the_owner_edits(group, members, chantal):
    case = Case.objects.create(group=group, owner=chantal, title="Mijn casus",
                               working_question=QUESTION, status=CaseStatus.PROPOSED)  # fmt: skip
    url = reverse("cases:edit", args=[case.pk])
    other = client_for(members[3])
    assert other.get(url).status_code == 404
    assert other.post(url, case_data(group, title="Overgenomen")).status_code == 404
    response = client_for(chantal).post(url, case_data(group, title="Nieuwe titel", intent="save"))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.title == "Nieuwe titel" and case.status == CaseStatus.PROPOSED


def test_a_case_cannot_be_moved_to_another_group(group, members, chantal):
    other_group = Group.objects.create(name="Andere groep")
    Membership.objects.create(group=other_group, user=chantal)
    case = Case.objects.create(group=group, owner=chantal, title="Mijn casus",
                               working_question=QUESTION, status=CaseStatus.DRAFT)  # fmt: skip
    client_for(chantal).post(
        reverse("cases:edit", args=[case.pk]), case_data(other_group, intent="draft")
    )
    case.refresh_from_db()
    assert case.group == group


def test_a_member_only_brings_cases_to_her_own_groups(group, chantal):
    foreign = Group.objects.create(name="Vreemde groep")
    response = client_for(chantal).post(reverse("cases:new"), case_data(foreign, intent="draft"))
    assert response.status_code == 200
    assert not Case.objects.filter(owner=chantal).exists()


def test_form_errors_keep_what_she_wrote(group, chantal):
    response = client_for(chantal).post(
        reverse("cases:new"), case_data(group, title="", intent="draft"), **EN
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ik zeg te snel ja." in html
    assert "field-error" in html


def test_a_discussed_case_keeps_its_question_as_brought(group, chantal):
    case = Case.objects.create(group=group, owner=chantal, title="Mijn casus",
                               working_question=QUESTION, status=CaseStatus.DISCUSSED)  # fmt: skip
    response = client_for(chantal).get(reverse("cases:edit", args=[case.pk]))
    assert response.status_code == 302


def test_the_inbrenger_deletes_her_case_after_confirming(group, members, chantal):
    case = Case.objects.create(group=group, owner=chantal, title="Weg ermee",
                               working_question=QUESTION, status=CaseStatus.DISCUSSED)  # fmt: skip
    url = reverse("cases:delete", args=[case.pk])
    assert client_for(members[0]).post(url).status_code == 404
    assert Case.objects.filter(pk=case.pk).exists()
    client = client_for(chantal)
    confirm = client.get(url, **EN)
    assert confirm.status_code == 200
    assert 'data-action="confirm-delete"' in confirm.content.decode()
    assert Case.objects.filter(pk=case.pk).exists()  # asking is not deleting
    response = client.post(url)
    assert response.status_code == 302
    assert not Case.objects.filter(pk=case.pk).exists()


def test_sharing_in_the_logbook_is_off_until_she_turns_it_on(group, chantal):
    client_for(chantal).post(reverse("cases:new"), case_data(group, intent="draft"))
    case = Case.objects.get(owner=chantal)
    assert case.share_in_logbook is False
    client_for(chantal).post(reverse("cases:share", args=[case.pk]), {"share": "1"})
    case.refresh_from_db()
    assert case.share_in_logbook is True


def test_someone_without_a_group_is_told_so(outsider):
    response = client_for(outsider).get(reverse("cases:new"), **EN)
    assert response.status_code == 200
    assert "No group yet" in response.content.decode()
