"""A member leaves the group while their phone is in the room: the coordinator ends the
membership in the admin, and within seconds the phone says so and hears nothing more."""

import time

import pytest
from playwright.sync_api import expect

from .conftest import STEP_TITLE, SYNC, assert_no_console_errors, click_command, step_titles

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LEFT = "Je bent geen lid meer van deze groep"


def test_a_member_who_leaves_is_out_of_the_room_within_five_seconds(
    roddel_room, members, coordinator, new_person
):
    from groups.coordinators import make_coordinator

    make_coordinator(coordinator)
    room_url = f"/r/{roddel_room.pk}/"
    lobby, intro = step_titles(roddel_room)[:2]
    chantal = members[2]

    laptop = new_person("anna", device="laptop")
    phone = new_person("chantal")
    daan = new_person("daan")
    for page in (laptop, phone, daan):
        page.goto(room_url)
        expect(page.locator(STEP_TITLE)).to_have_text(lobby, timeout=SYNC)
    expect(laptop.locator("#room-presence .person.online")).to_have_count(3, timeout=SYNC)

    # The coordinator, in the admin: Chantal is no longer an active member.
    admin = new_person("coco", device="laptop")
    admin.goto(f"/admin/groups/group/{roddel_room.meeting.group_id}/change/")
    from groups.models import Membership

    membership = Membership.objects.get(group_id=roddel_room.meeting.group_id, user=chantal)
    prefix = admin.evaluate(  # the rows show names; each carries its membership's id
        """(pk) => {
            for (const s of document.querySelectorAll('input[name$="-id"]'))
                if (s.value === String(pk)) return s.name.slice(0, -"-id".length);
        }""",
        str(membership.pk),
    )
    assert prefix, "Chantal's row is not on the group's page"
    admin.uncheck(f"input[name='{prefix}-active']")
    started = time.monotonic()
    with admin.expect_navigation():
        admin.locator("input[name=_save]").click()
    expect(phone.locator("h1")).to_have_text(LEFT, timeout=5_000)
    print(f"membership ended → phone says so: {time.monotonic() - started:.2f} s")
    expect(admin.locator(".messagelist")).to_be_visible()
    expect(phone.locator(STEP_TITLE)).to_have_count(0)

    # The room goes on for the others; nothing reaches Chantal's phone any more.
    click_command(laptop, "start")
    expect(daan.locator(STEP_TITLE)).to_have_text(intro, timeout=SYNC)
    phone.wait_for_timeout(1_000)
    expect(phone.locator("h1")).to_have_text(LEFT)
    expect(phone.locator(STEP_TITLE)).to_have_count(0)
    assert intro not in phone.content()
    # Coming back by the link does not help.
    phone.goto(room_url)
    expect(phone.locator("h1")).to_have_text(LEFT)
    assert_no_console_errors(laptop, daan)
