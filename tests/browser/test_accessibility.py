"""axe-core reports no serious or critical violation on the pages a group uses: login, home, the
case form, the group page, and the room as the facilitator, the inbrenger and a participant see
it, in the lobby and during a question round — on the reference phone (390×844) and a laptop
(1440×900)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Case, CaseStatus
from groups.models import Meeting

from .axe import blocking_violations
from .conftest import DEVICES, STEP_TITLE, SYNC, click_command
from .flows import open_room_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SIZES = {"phone": (390, 844), "laptop": (1440, 900)}


def check(page, label: str, problems: list[str]) -> None:
    """Both sizes: the same page on the phone and on the laptop."""
    original = page.viewport_size
    for device, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(100)
        problems += [f"{label} @ {device}: {line}" for line in blocking_violations(page)]
    page.set_viewport_size(original)


@pytest.fixture
def history(group, members):
    """A held meeting (charts and timeline have data) and Bram's proposed case."""
    from tests.after.conftest import add_contributions, open_and_hold

    past = Meeting.objects.create(
        group=group, starts_at=timezone.now() - timedelta(days=28), location="Kamer 2.14"
    )
    held = Case.objects.create(
        group=group, owner=members[1], title="Overleg op vrijdag",
        working_question="Hoe kan ik het vrijdagoverleg zo leiden dat iedereen aan het woord komt?",
    )  # fmt: skip
    room = open_and_hold(past, members, held)
    add_contributions(room, members)
    return Case.objects.create(
        group=group, owner=members[1], title="Teamleider aanspreken",
        working_question="Hoe kan ik mijn teamleider aanspreken op gemiste afspraken?",
        status=CaseStatus.PROPOSED,
    )  # fmt: skip


def test_no_serious_or_critical_violations_on_the_pages_a_group_uses(
    members, group, meeting, history, new_person, live_server_url
):
    problems: list[str] = []
    visitor = new_person("bram", login=False)
    visitor.goto("/accounts/login/")
    check(visitor, "login", problems)

    bram = new_person("bram")
    for label, path in (
        ("home", "/"),
        ("case form", "/cases/new/"),
        ("case page", f"/cases/{history.pk}/"),
        ("group page", f"/groups/{group.pk}/"),
    ):
        bram.goto(path)
        check(bram, label, problems)
        wide = bram.evaluate("document.documentElement.scrollWidth")
        if wide > SIZES["phone"][0]:
            problems.append(f"{label} @ phone: the page is {wide} px wide")
    # The members table scrolls within its region, which the keyboard reaches.
    region = bram.locator("#give-and-take .table-scroll")
    assert region.get_attribute("tabindex") == "0" and region.get_attribute("role") == "region"

    room = open_room_for(meeting, members, "guns-and-roses", case=history, inbrenger=members[1])
    laptop = new_person("anna", device="laptop")
    laptop.on("dialog", lambda dialog: dialog.accept())
    chantal = new_person("chantal")
    for page in (laptop, bram, chantal):
        page.goto(f"/r/{room.pk}/")
    for page, label in ((laptop, "facilitator"), (bram, "inbrenger"), (chantal, "participant")):
        check(page, f"{label} room, lobby", problems)

    # To Verduidelijking, a question round: each press waits for the step it brings.
    for command, title in (
        ("start", "Reflectie"),
        ("next", "Probleemstelling"),
        ("next", "Verduidelijking"),
    ):
        click_command(laptop, command)
        for page in (laptop, bram, chantal):
            page.locator(STEP_TITLE).filter(has_text=title).wait_for(timeout=SYNC)
    laptop.locator("#room-interaction [data-turn-current]").wait_for(timeout=SYNC)
    for page, label in ((laptop, "facilitator"), (bram, "inbrenger"), (chantal, "participant")):
        check(page, f"{label} room, question round", problems)
    assert not problems, "axe found:\n" + "\n".join(problems)
    assert DEVICES["phone"]["viewport"]["width"] == SIZES["phone"][0]
