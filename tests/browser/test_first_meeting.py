"""A group's first real meeting, as it happens: the laptop on a 1280×720 projector, the inbrenger
and two participants on 360×640 phones, through each of the five named methods and Speed sparren.

At every step the screens a group sees first must work without scrolling: in the lobby the QR
code and the code; during a step its title, the timer and Next on the laptop, and in a question
round whose turn it is with the controls for it; on a phone the new step from its top (however
far down the last one was scrolled), and, when it is your turn, your actions. No console errors.
The run ends on the closing screen, with nothing left to join.

Screenshots of the Guns&Roses run (laptop lobby, laptop in a question round, phone at your turn)
go to docs/screenshots/ with UPDATE_SCREENSHOTS=1, otherwise to test-artifacts/.
"""

import os

import pytest
from playwright.sync_api import expect

from cases.models import Case, CaseStatus
from methods.models import Method
from sessions_app.models import RoomMember
from sessions_app.opening import open_room
from tests.conftest import ensure_method_library

from .conftest import BASE_DIR, STEP_TITLE, SYNC, TIMER, assert_no_console_errors, step_titles
from .flows import add_item, track_socket, wait_for_socket

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

METHODS = ["guns-and-roses", "incidentmethode", "balint", "roddelmodel", "crea", "speed-sparren"]
SHOTS = (
    BASE_DIR / "docs" / "screenshots"
    if os.environ.get("UPDATE_SCREENSHOTS")
    else BASE_DIR / "test-artifacts" / "screenshots" / "first-meeting"
)
ADVICE = {
    "chantal": "Ik zou eerst met de teamleider gaan lunchen, zonder agenda.",
    "daan": "Ik zou de afspraken op papier zetten en samen ondertekenen.",
}


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(400)  # a timer tick and the swap's settle
    page.screenshot(path=str(SHOTS / f"{name}.png"), animations="disabled", caret="hide")


def in_view(page, selector: str, what: str) -> None:
    """Wholly on screen, and on a phone not hidden behind the fixed action bar at the bottom."""
    element = page.locator(selector).first
    expect(element, f"{page.person}: {what}").to_be_in_viewport(ratio=1, timeout=SYNC)
    bar = page.locator("#room-actions")
    if page.device == "small-phone" and bar.count() and bar.is_visible():
        bottom = element.bounding_box()
        top_of_bar = bar.bounding_box()["y"]
        assert bottom["y"] + bottom["height"] <= top_of_bar + 1, (
            f"{page.person}: {what} is behind the action bar"
        )


def open_first_meeting(slug: str, meeting, members):
    """Anna facilitates; Bram brings his case; Chantal and Daan take part. Nobody else is there,
    so every turn falls on a phone of this test."""
    ensure_method_library()
    anna, bram, chantal, daan = members[:4]
    case = Case.objects.create(
        group=meeting.group,
        owner=bram,
        title="Teamleider aanspreken",
        working_question="Hoe kan ik mijn teamleider aanspreken op gemiste afspraken?",
        status=CaseStatus.PROPOSED,
    )
    return open_room(
        meeting,
        {
            "present": [anna, bram, chantal, daan],
            "method": Method.objects.get(slug=slug, is_builtin=True),
            "case": case,
            "facilitator": anna,
            "inbrenger": bram,
            "note_taker": None,
            "timekeeper": None,
            "observers": [],
        },
    )


def scroll_phones_down(phones) -> None:
    """People read on: the bottom of the step, far from where the next one starts."""
    for phone in phones:
        phone.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")


def press_next(laptop) -> None:
    """Next, or Yes at a branch, or Finish at the last step (the dialog is confirmed)."""
    controls = laptop.locator("#room-controls")
    for command in ("next", "next-yes", "end"):
        button = controls.locator(f"button[data-command={command}]")
        if button.count():
            in_view(laptop, f"#room-controls button[data-command={command}]", "Next")
            button.click()
            return
    raise AssertionError("no way on from this step")


def check_step(laptop, phones, title: str) -> None:
    """Every screen shows the new step from its title; the projector its timer too (a phone
    shows what the person does first, the timer after it)."""
    for page in (laptop, *phones):
        expect(page.locator(STEP_TITLE), page.person).to_have_text(title, timeout=SYNC)
        in_view(page, STEP_TITLE, "the new step's title")
    in_view(laptop, TIMER, "the timer")


def turn_holder(laptop, phones):
    """The phone of the member the laptop says has the turn. (A phone that just gave its turn
    away may still show its buttons for a moment; the laptop's word is the server's.)"""
    current = laptop.locator("#room-interaction [data-turn-current]").get_attribute(
        "data-turn-current"
    )
    username = RoomMember.objects.get(pk=current).user.username
    return next((phone for phone in phones if phone.person == username), None)


def question_turns(laptop, phones, shots: bool) -> None:
    """Two turns: each time the laptop shows whose turn it is with its controls, and the phone
    whose turn it is has its three actions on screen."""
    for turn in range(2):
        in_view(laptop, "#room-interaction [data-turn-current]", "whose turn it is")
        in_view(laptop, "#room-interaction [data-turn-controls] button", "the turn's controls")
        expect(laptop.locator("#room-interaction [data-turn-current]")).to_have_count(1)
        phone = turn_holder(laptop, phones)
        assert phone is not None, "the turn is with a member who has no phone in this test"
        expect(phone.locator("#my-interaction [data-my-turn]"), phone.person).to_have_count(
            1, timeout=SYNC
        )
        for action in ("ask", "aloud", "pass"):
            in_view(phone, f"#my-interaction button[data-action={action}]", f"'{action}'")
        if shots and turn == 0:
            shoot(laptop, "projector-question-round")
            shoot(phone, "phone-your-turn")
        before = laptop.locator("#room-interaction [data-turn-current]").get_attribute(
            "data-turn-current"
        )
        phone.locator("#my-interaction button[data-action=aloud]").click()
        expect(laptop.locator("#room-interaction [data-turn-current]")).not_to_have_attribute(
            "data-turn-current", before, timeout=SYNC
        )


def share_turns(laptop, phones) -> None:
    """Balint 4: the phone whose turn it is shows its own advice and the button to hand it over."""
    for _ in ADVICE:
        in_view(laptop, "#room-interaction [data-share-current]", "whose turn it is")
        in_view(laptop, "#room-interaction button[data-action=hand-over]", "hand over")
        turn = None
        for _ in range(20):
            turn = next((p for p in phones if p.locator("[data-my-share=turn]").count()), None)
            if turn is not None:
                break
            laptop.wait_for_timeout(250)
        assert turn is not None, "no phone has the turn to share"
        in_view(turn, "#my-interaction button[data-action=hand-over]", "hand over")
        expect(turn.locator("#my-interaction .share-texts")).to_contain_text(ADVICE[turn.person])
        turn.locator("#my-interaction button[data-action=hand-over]").click()
        expect(turn.locator("[data-my-share]")).to_have_attribute(
            "data-my-share", "handed", timeout=SYNC
        )


@pytest.mark.parametrize("slug", METHODS)
def test_the_first_meeting_on_a_projector_and_small_phones(slug, members, meeting, new_person):
    room = open_first_meeting(slug, meeting, members)
    titles = step_titles(room)
    steps = list(room.method.steps.order_by("order"))
    laptop = track_socket(new_person("anna", device="projector"))
    laptop.on("dialog", lambda dialog: dialog.accept())
    phones = [
        track_socket(new_person(name, device="small-phone")) for name in ("bram", "chantal", "daan")
    ]
    by_name = {phone.person: phone for phone in phones}
    for page in (laptop, *phones):
        page.goto(f"/r/{room.pk}/")
        wait_for_socket(page)
        expect(page.locator(STEP_TITLE)).to_have_text(titles[0])
    expect(laptop.locator("#room-presence .person.online")).to_have_count(4, timeout=SYNC)

    # The lobby: the way in, on the projector.
    in_view(laptop, ".join-card .qr svg", "the QR code")
    in_view(laptop, "[data-join-code]", "the room code")
    in_view(laptop, "#room-controls button[data-command=start]", "Start")
    shots = slug == "guns-and-roses"
    if shots:
        shoot(laptop, "projector-lobby")
    laptop.locator("#room-controls button[data-command=start]").click()

    for index, step in enumerate(steps):
        check_step(laptop, phones, step.name)  # Yes at the branch: every step is visited
        for phone in phones:  # a message about the last step ("Daan has the turn") is gone
            expect(phone.locator("#toast"), f"{phone.person}'s toast").to_be_hidden()
        if step.kind == "question_round":
            question_turns(laptop, phones, shots and index < 3)
        elif step.kind == "collect" and step.key == "adviseren":
            for name, text in ADVICE.items():
                add_item(by_name[name], text)
        elif step.kind == "share":
            share_turns(laptop, phones)
        scroll_phones_down(phones)
        press_next(laptop)

    # The end: thanks, and nothing left to join.
    for page in (laptop, *phones):
        expect(page.locator(STEP_TITLE)).to_have_text(titles[-1], timeout=SYNC)
        in_view(page, "[data-closing]", "the closing screen")
    expect(laptop.locator(".join-card")).to_be_hidden()
    expect(laptop.locator("[data-join-badge]")).to_be_hidden()
    assert_no_console_errors(laptop, *phones)
