"""The database away mid-meeting, in real browsers: every screen keeps its step with an "even
geduld" notice, a button pressed meanwhile says it was not saved, and when the database is back
every screen loses the notice and follows the next step, without anyone reloading."""

import pytest
from playwright.sync_api import expect

from .conftest import STEP_TITLE, SYNC, assert_no_console_errors, click_command, step_titles

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NOTICE = "#db-notice"
# What a browser logs while the server answers 503 and turns sockets away: expected here.
OUTAGE_CONSOLE = [
    r"status of 503",
    r"Response Status Error Code 503",
    r"WebSocket connection .* failed",
    r"\[object Event\]",  # htmx logs the socket's error event as it is
]


def test_a_database_outage_keeps_every_screen_and_all_catch_up(
    roddel_room, new_person, daphne_server, tmp_path
):
    room = roddel_room
    lobby, intro, verkenning, *_ = step_titles(room)
    laptop = new_person("anna", device="laptop")
    phone = new_person("chantal")
    everyone = [laptop, phone]
    for page in everyone:
        page.goto(f"/r/{room.pk}/")
    expect(laptop.locator("#room-presence .person.online")).to_have_count(2, timeout=SYNC)
    click_command(laptop, "start")
    for page in everyone:
        expect(page.locator(STEP_TITLE)).to_have_text(intro, timeout=SYNC)

    # The server comes back, but cannot reach its database (a file in a folder that is not there).
    healthy = dict(daphne_server.env)
    daphne_server.env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'gone' / 'db.sqlite3'}"
    daphne_server.restart()
    for page in everyone:
        expect(page.locator(NOTICE), page.person).to_contain_text("Even geduld", timeout=SYNC)
        expect(page.locator(STEP_TITLE), page.person).to_have_text(intro)  # the screen stays
        expect(page.locator("[data-conn-banner]")).to_be_hidden()  # the notice says it all

    click_command(laptop, "next")
    expect(laptop.locator(NOTICE)).to_contain_text("niet opgeslagen", timeout=SYNC)
    expect(laptop.locator(STEP_TITLE)).to_have_text(intro)

    # The database is back: the sockets come back by themselves with a snapshot.
    daphne_server.env = healthy
    daphne_server.restart()
    for page in everyone:
        expect(page.locator(NOTICE), page.person).to_be_hidden(timeout=15_000)
    click_command(laptop, "next")
    for page in everyone:
        expect(page.locator(STEP_TITLE), page.person).to_have_text(verkenning, timeout=SYNC)
    assert_no_console_errors(*everyone, known={"phone": OUTAGE_CONSOLE, "laptop": OUTAGE_CONSOLE})
