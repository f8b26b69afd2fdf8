"""The Round-up promises "Een actieplan kun je later in de app uitwerken": after any method the
inbrenger writes (or changes) a SMART plan on the case page, and the summary and the next
meeting's follow-up show it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.follow_up import follow_ups_for
from cases.models import ActionPlan, CaseStatus

from .conftest import client_for

pytestmark = pytest.mark.django_db

NL = {"HTTP_ACCEPT_LANGUAGE": "nl"}
PLAN = {
    "specific": "Ik open het vrijdagoverleg met een rondje.",
    "measurable": "Iedereen heeft in de eerste tien minuten gesproken.",
    "acceptable": "De stille collega's hebben goede ideeën.",
    "realistic": "Het kost vijf minuten.",
    "time_bound": "Vier vrijdagen lang.",
    "first_step": "Agenda aanpassen",
    "first_step_on": "",
}


@pytest.fixture
def discussed(held_session):
    """Bram's case after a Guns&Roses session: no action plan was written in the room."""
    ActionPlan.objects.filter(case=held_session.case).delete()
    return held_session.case


def test_after_guns_and_roses_bram_writes_his_plan_on_the_case_page(discussed, members):
    bram = client_for(members[1])
    page = bram.get(reverse("cases:detail", args=[discussed.pk]), **NL).content.decode()
    assert "data-case-plan-form" in page
    for key in ("specific", "measurable", "acceptable", "realistic", "time_bound"):
        assert f'name="{key}"' in page
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = bram.post(
        reverse("cases:action_plan", args=[discussed.pk]), {**PLAN, "first_step_on": tomorrow}
    )
    assert response.status_code == 302
    plan = ActionPlan.objects.get(case=discussed)
    assert plan.specific == PLAN["specific"] and plan.first_step_on.isoformat() == tomorrow

    summary = bram.get(reverse("cases:summary", args=[discussed.pk]), **NL).content.decode()
    assert PLAN["specific"] in summary and "Agenda aanpassen" in summary


def test_the_next_meeting_follows_up_the_plan_written_afterwards(discussed, members, meeting):
    bram = client_for(members[1])
    bram.post(reverse("cases:action_plan", args=[discussed.pk]), PLAN)
    (follow_up,) = follow_ups_for(meeting)
    assert follow_up.case == discussed and follow_up.has_plan
    panel = bram.get(reverse("cases:follow_up_panel", args=[discussed.pk]), HTTP_HX_REQUEST="true")
    assert PLAN["specific"] in panel.content.decode()


def test_a_first_step_in_the_past_is_refused_and_nothing_typed_is_lost(discussed, members):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client_for(members[1]).post(
        reverse("cases:action_plan", args=[discussed.pk]),
        {**PLAN, "first_step_on": yesterday},
        **NL,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "De eerste stap heeft een datum vanaf vandaag nodig" in html
    assert PLAN["specific"] in html and PLAN["time_bound"] in html and yesterday in html
    assert not ActionPlan.objects.filter(case=discussed).exists()


def test_a_saved_date_that_has_passed_may_stay(discussed, members):
    past = timezone.localdate() - timedelta(days=10)
    ActionPlan.objects.create(case=discussed, specific="Oud", first_step_on=past)
    response = client_for(members[1]).post(
        reverse("cases:action_plan", args=[discussed.pk]),
        {**PLAN, "first_step_on": past.isoformat()},
    )
    assert response.status_code == 302
    assert ActionPlan.objects.get(case=discussed).specific == PLAN["specific"]


def test_only_the_inbrenger_writes_the_plan_and_only_after_the_session(
    discussed, members, bram_case, group
):
    url = reverse("cases:action_plan", args=[discussed.pk])
    assert client_for(members[2]).post(url, PLAN).status_code == 404
    page = client_for(members[2]).get(reverse("cases:detail", args=[discussed.pk]))
    assert "data-case-plan-form" not in page.content.decode()
    assert not ActionPlan.objects.filter(case=discussed).exists()

    discussed.status = CaseStatus.PROPOSED
    discussed.save()
    assert client_for(members[1]).post(url, PLAN).status_code == 404
