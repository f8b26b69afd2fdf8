"""Chantal prepares a case on her phone in a real browser: hints appear as she types."""

import re

import pytest
from playwright.sync_api import expect

from cases.models import Case, CaseStatus
from groups.models import Attendance, DateProposal
from tests.browser import conftest as live

# The browser tests' fixtures: a real Daphne on the test database and Debian's Chromium.
browser = live.browser
daphne_server = live.daphne_server
live_server_url = live.live_server_url
new_person = live.new_person

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_chantal_prepares_and_proposes_a_case_on_her_phone(group, members, new_person):
    phone = new_person("chantal", device="phone")
    phone.goto("/cases/new/")
    expect(phone.locator("#self-test")).not_to_have_attribute("open", "")
    phone.fill("input[name=title]", "Extra diensten")
    phone.fill("textarea[name=situation]", "Elke maand worden er extra diensten verdeeld.")

    question = phone.locator("textarea[name=working_question]")
    question.fill("Mijn collega luistert nooit")
    expect(phone.locator('#question-hints [data-hint="not_own"]')).to_be_visible()
    question.fill("Hoe kan ik in het teamoverleg mijn grens aangeven bij extra diensten?")
    expect(phone.locator('#question-hints [data-hint="ok"]')).to_be_visible()

    phone.locator("label.depth-option").nth(3).click()
    # Phone first: nothing sticks out sideways on the 390 px screen.
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.locator('button[data-action="propose"]').click()
    expect(phone).to_have_url(re.compile(r"/cases/[0-9a-f-]{36}/$"))

    case = Case.objects.get(owner=members[2])
    assert case.status == CaseStatus.PROPOSED
    assert case.depth == 4
    assert case.situation.startswith("Elke maand")
    live.assert_no_console_errors(phone)


def test_the_second_to_cancel_sees_the_house_rule_on_her_phone(group, members, meeting, new_person):
    Attendance.objects.create(meeting=meeting, user=members[3], response="no")
    phone = new_person("eva", device="phone")
    phone.goto("/")
    phone.locator('[data-rsvp="no"]').click()
    expect(phone.locator("[data-house-rule] [data-propose-form]")).to_be_visible()
    phone.fill("input[name=starts_at]", "2031-05-06T14:00")
    phone.locator("[data-propose-form] button[type=submit]").click()
    expect(phone.locator("[data-proposal]")).to_be_visible()
    assert DateProposal.objects.get(meeting=meeting).proposed_by == members[4]
    phone.goto(f"/groups/{group.pk}/")  # the group page's SVG charts under the CSP
    expect(phone.locator("#give-and-take svg.chart")).to_be_visible()
    live.assert_no_console_errors(phone)
