"""Screenshots of the room during a Roddelmodel run, as a facilitator and the phones see them.

The laptop at 1440×900, phones at 390×844 with device scale 2. With UPDATE_SCREENSHOTS=1 they
replace the committed ones in docs/screenshots/ (shown in the README); otherwise they go to
test-artifacts/screenshots/ (not committed), like the full-page versions.
"""

import os
import re

import pytest
from playwright.sync_api import expect

from .conftest import (
    BASE_DIR,
    KNOWN_CONSOLE_ERRORS,
    STEP_TITLE,
    SYNC,
    TIMER,
    assert_no_console_errors,
    click_command,
    step_titles,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The committed copies change only when asked (UPDATE_SCREENSHOTS=1), so a test run leaves the
# work tree as it was; otherwise they go next to the full-page ones.
SHOTS = (
    BASE_DIR / "docs" / "screenshots"
    if os.environ.get("UPDATE_SCREENSHOTS")
    else BASE_DIR / "test-artifacts" / "screenshots" / "viewport"
)
TIMER_TEXT = re.compile(r"^\d+:\d\d$")
FULL_PAGE = BASE_DIR / "test-artifacts" / "screenshots"


def shoot(page, name: str) -> None:
    page.wait_for_timeout(600)  # a timer tick and the swap's settle
    page.evaluate("document.fonts.ready")
    options = {"animations": "disabled", "caret": "hide"}
    page.screenshot(path=str(SHOTS / f"{name}.png"), **options)
    page.screenshot(path=str(FULL_PAGE / f"{name}.png"), full_page=True, **options)


def test_screenshots_of_a_roddelmodel_run(roddel_room, new_person):
    SHOTS.mkdir(parents=True, exist_ok=True)
    FULL_PAGE.mkdir(parents=True, exist_ok=True)
    lobby, intro, verkenning, roddelen, *_ = step_titles(roddel_room)
    room_url = f"/r/{roddel_room.pk}/"

    laptop = new_person("anna", device="laptop")
    inbrenger = new_person("bram")
    participant = new_person("chantal")
    everyone = [laptop, inbrenger, participant]
    for page in everyone:
        page.goto(room_url)
        expect(page.locator(STEP_TITLE)).to_have_text(lobby)
    expect(laptop.locator("#room-presence .person.online")).to_have_count(3, timeout=SYNC)
    shoot(laptop, "facilitator-lobby")

    click_command(laptop, "start")
    for page in everyone:
        expect(page.locator(STEP_TITLE)).to_have_text(intro, timeout=SYNC)
    click_command(laptop, "next")
    for page in everyone:
        expect(page.locator(STEP_TITLE)).to_have_text(verkenning, timeout=SYNC)
        expect(page.locator(TIMER)).to_have_text(TIMER_TEXT)
    shoot(laptop, "facilitator-step2")
    shoot(participant, "participant-step2")

    click_command(laptop, "next")
    for page in everyone:
        expect(page.locator(STEP_TITLE)).to_have_text(roddelen, timeout=SYNC)
    expect(inbrenger.locator("#room-step .you-do.listen-only")).to_be_visible()
    shoot(laptop, "facilitator-step3")
    shoot(inbrenger, "inbrenger-step3")

    participant.locator("button[data-open-dialog=storing-dialog]").click()
    participant.locator("#storing-dialog [name=text]").fill("Ik moet zo even de telefoon opnemen")
    shoot(participant, "participant-storing-dialog")
    participant.locator("#storing-dialog button[type=submit]").click()
    expect(laptop.locator("#room-storingen")).to_be_visible(timeout=SYNC)
    shoot(laptop, "facilitator-storing")

    assert_no_console_errors(*everyone, known=KNOWN_CONSOLE_ERRORS)
