"""The live room in real browsers: a facilitator's laptop and three phones run Roddelmodel.

Every screen is its own Chromium context, talking to a real Daphne over HTTP and the websocket.
"""

import pytest
from playwright.sync_api import expect

from sessions_app.models import Room, Storing

from .conftest import (
    KNOWN_CONSOLE_ERRORS,
    PAUSED,
    STEP_TITLE,
    SYNC,
    TIMER,
    assert_no_console_errors,
    click_command,
    read_timers,
    step_titles,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def expect_everyone_on(pages, title: str) -> None:
    for page in pages:
        expect(page.locator(STEP_TITLE), f"{page.person}'s screen").to_have_text(
            title, timeout=SYNC
        )


def assert_timers_agree(pages, planned: int | None = None) -> dict[str, int]:
    # The countdown ticks every 250 ms on each screen; after a push give it a moment to run.
    pages[0].wait_for_timeout(400)
    timers = read_timers(pages)
    assert max(timers.values()) - min(timers.values()) <= 1, f"the screens disagree: {timers}"
    if planned is not None:
        assert all(planned - 5 <= t <= planned for t in timers.values()), (planned, timers)
    return timers


def test_roddelmodel_from_start_to_end_on_a_laptop_and_three_phones(roddel_room, new_person):
    room = roddel_room
    titles = step_titles(room)
    lobby, intro, verkenning, roddelen, reactie, evaluatie, ended = titles
    room_url = f"/r/{room.pk}/"
    planned = {key: minutes * 60 for key, minutes in room.planned_minutes.items()}
    keys = list(room.method.steps.order_by("order").values_list("key", flat=True))

    laptop = new_person("anna", device="laptop")
    laptop.on("dialog", lambda dialog: dialog.accept())
    bram, chantal, daan = (new_person(name) for name in ("bram", "chantal", "daan"))
    phones = [bram, chantal, daan]
    everyone = [laptop, *phones]

    for page in everyone:
        page.goto(room_url)
    expect_everyone_on(everyone, lobby)
    # All four sockets are connected once the facilitator sees four people online.
    expect(laptop.locator("#room-presence .person.online")).to_have_count(4, timeout=SYNC)
    for phone in phones:
        expect(phone.locator("[data-command]")).to_have_count(0)  # phones never get the controls

    # Step 1: the start sets every screen on the first step with one deadline.
    click_command(laptop, "start")
    expect_everyone_on(everyone, intro)
    deadlines = {
        page.person: page.locator("#room-timer").get_attribute("data-deadline") for page in everyone
    }
    assert len(set(deadlines.values())) == 1 and all(deadlines.values()), deadlines
    assert_timers_agree(everyone, planned[keys[0]])

    # Step 2: pause stops every clock at the same value, resume and +1 min move them together.
    click_command(laptop, "next")
    expect_everyone_on(everyone, verkenning)
    assert_timers_agree(everyone, planned[keys[1]])
    click_command(laptop, "pause")
    for page in everyone:
        expect(page.locator(TIMER), f"{page.person}'s timer").to_have_class(PAUSED, timeout=SYNC)
    frozen = assert_timers_agree(everyone)
    laptop.wait_for_timeout(1_500)
    assert read_timers(everyone) == frozen, "a paused timer kept counting"
    click_command(laptop, "resume")
    expect(laptop.locator("#room-controls button[data-command=pause]")).to_be_visible()
    resumed = laptop.locator("#room-timer").get_attribute("data-deadline")
    click_command(laptop, "add_minute")
    expect(laptop.locator("#room-timer")).not_to_have_attribute("data-deadline", resumed)
    deadline = laptop.locator("#room-timer").get_attribute("data-deadline")
    assert int(deadline) - int(resumed) == 60_000
    for page in phones:
        expect(page.locator(TIMER), f"{page.person}'s timer").not_to_have_class(
            PAUSED, timeout=SYNC
        )
        expect(page.locator("#room-timer")).to_have_attribute(
            "data-deadline", deadline, timeout=SYNC
        )
    timers = assert_timers_agree(everyone)
    assert 55 <= timers["anna"] - frozen["anna"] <= 61, (frozen, timers)

    # Step 3, Roddelen: the inbrenger only listens; the others just get their instruction.
    click_command(laptop, "next")
    expect_everyone_on(everyone, roddelen)
    assert_timers_agree(everyone, planned[keys[2]])
    expect(bram.locator("#room-step .you-do.listen-only")).to_be_visible()
    for page in (chantal, daan, laptop):
        expect(page.locator("#room-step .you-do.listen-only")).to_have_count(0)
    expect(bram.locator("#notes-title")).to_be_visible()  # the inbrenger's private notepad
    expect(bram.locator(".notepad")).to_have_attribute("data-notes", "case")
    # Chantal has her own notepad, which never reaches Bram's case.
    expect(chantal.locator(".notepad")).to_have_attribute("data-notes", "member")

    # A phone that reloads mid-step comes back on the same step and the same time.
    laptop.wait_for_timeout(1_200)
    daan.reload()
    expect(daan.locator(STEP_TITLE)).to_have_text(roddelen)
    expect(laptop.locator("#room-presence .person.online")).to_have_count(4, timeout=SYNC)
    assert_timers_agree(everyone)

    # A storing from a phone goes first: it shows on the facilitator's screen at once.
    storing_text = "Mijn dochter belt zo, ik moet misschien even weg"
    chantal.locator("button[data-open-dialog=storing-dialog]").click()
    expect(chantal.locator("#storing-dialog")).to_be_visible()
    chantal.locator("#storing-dialog [name=text]").fill(storing_text)
    chantal.locator("#storing-dialog button[type=submit]").click()
    expect(chantal.locator("#storing-dialog")).to_be_hidden(timeout=SYNC)
    expect(chantal.locator("#toast")).to_be_visible()
    storingen = laptop.locator("#room-storingen")
    expect(storingen).to_be_visible(timeout=SYNC)
    expect(storingen).to_contain_text(storing_text)
    expect(storingen).to_contain_text("Chantal")
    for phone in phones:
        expect(phone.locator("#room-storingen")).to_have_count(0)  # only the facilitator sees it
    storingen.locator("form button").click()
    expect(storingen).to_be_hidden(timeout=SYNC)
    assert Storing.objects.get(room=room).acknowledged_at is not None
    expect_everyone_on(everyone, roddelen)  # a storing does not move the step

    # Steps 4 and 5, then the end, confirmed in the browser's dialog.
    click_command(laptop, "next")
    expect_everyone_on(everyone, reactie)
    expect(bram.locator("#room-step .you-do.listen-only")).to_have_count(0)
    assert_timers_agree(everyone, planned[keys[3]])
    click_command(laptop, "next")
    expect_everyone_on(everyone, evaluatie)
    assert_timers_agree(everyone, planned[keys[4]])
    expect(laptop.locator("#room-controls button[data-command=next]")).to_have_count(0)
    click_command(laptop, "end")
    expect_everyone_on(everyone, ended)
    for page in everyone:
        expect(page.locator(TIMER)).to_have_text("0:00")
    for phone in phones:
        expect(phone.locator("button[data-open-dialog=storing-dialog]")).to_have_count(0)
    expect(laptop.locator("#room-controls button")).to_have_count(0)
    expect(laptop.locator(".card:has(> #room-controls)")).to_be_hidden()  # no empty card

    room.refresh_from_db()
    assert room.status == Room.Status.ENDED
    assert list(room.step_runs.order_by("started_at").values_list("step__key", flat=True)) == keys
    assert_no_console_errors(*everyone, known=KNOWN_CONSOLE_ERRORS)


def test_facilitator_opens_the_room_through_the_form(members, group, meeting, new_person):
    from cases.models import Case
    from methods.models import Method

    bram = members[1]
    method = Method.objects.get(slug="roddelmodel", is_builtin=True)
    case = Case.objects.create(
        group=group,
        owner=bram,
        title="Overdracht",
        working_question="Hoe krijg ik de avonddienst mee?",
    )

    laptop = new_person("anna", device="laptop")
    laptop.goto(f"/meetings/{meeting.pk}/open/")
    form = laptop.locator("main form[method=post]")
    for (
        member
    ) in members:  # everyone is ticked present; untick and tick again as a facilitator would
        box = form.locator(f"input[name=present][value='{member.pk}']")
        expect(box).to_be_checked()
    form.locator(f"input[name=present][value='{members[5].pk}']").uncheck()
    form.locator("select[name=method]").select_option(str(method.pk))
    expect(laptop.locator("#plan h2")).to_have_text(method.name_nl, timeout=SYNC)
    form.locator("select[name=case]").select_option(str(case.pk))
    form.locator("button[type=submit]").click()

    laptop.wait_for_url("**/r/*/")
    room = Room.objects.get(meeting=meeting)
    assert laptop.url.endswith(f"/r/{room.pk}/")
    expect(laptop.locator("[data-join-code]")).to_have_text(room.join_code)
    expect(laptop.locator(STEP_TITLE)).to_have_text(step_titles(room)[0])
    assert room.method == method and room.case == case and room.facilitator == members[0]
    assert set(room.members.values_list("user__username", "audience")) == {
        ("anna", "facilitator"),
        ("bram", "inbrenger"),
        ("chantal", "participant"),
        ("daan", "participant"),
        ("eva", "participant"),
    }

    # A phone that follows the join code lands in the same room, waiting for the start.
    phone = new_person("bram")
    phone.goto(f"/j/{room.join_code}/")
    expect(phone.locator(STEP_TITLE)).to_have_text(step_titles(room)[0])
    assert phone.url.endswith(f"/r/{room.pk}/")
    expect(laptop.locator("#room-presence .person.online")).to_have_count(2, timeout=SYNC)
    assert_no_console_errors(laptop, phone, known=KNOWN_CONSOLE_ERRORS)
