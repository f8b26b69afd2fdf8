"""Driving a whole method in real browsers: one laptop (the facilitator) and a few phones.

The helpers act the way people do — through the forms and buttons of the room, selected by their
data-attributes, ids and names — and check what each role's screen shows. They are shared by
tests/browser/test_methods_e2e.py; test_room_live.py shows the harness on its own.
"""

import os
import re
from dataclasses import dataclass, field

from playwright.sync_api import Page, expect

from .conftest import STEP_TITLE, SYNC, click_command, step_titles

PHONE_NAMES = ("bram", "chantal", "daan", "eva")
ACTION_TIMEOUT = 10_000

# Runs before any script of the page, on every load and reload of a context's pages, and marks on
# <html> whether the room's websocket is open right now. After a reload (a chosen case) a test
# waits for it, so no push can fall between the page render and the socket. (An attribute, not a
# window variable polled with wait_for_function: the room's Content-Security-Policy forbids the
# eval that polling needs.)
WS_TRACKER = """
document.addEventListener("htmx:wsOpen", function () {
  document.documentElement.setAttribute("data-e2e-ws", "open");
});
document.addEventListener("htmx:wsClose", function () {
  document.documentElement.setAttribute("data-e2e-ws", "closed");
});
"""


# Also before any script: how long the room's message (#toast) is on screen. Every message that
# appears (a new #toast element, or one that is shown) starts its own clock; when it goes away
# its lifetime is kept if it is the longest so far. On <html>: data-e2e-toast-since (ms, while
# one shows) and data-e2e-toast-longest (ms).
TOAST_TRACKER = """
(function () {
  var shown = null, since = 0, longest = 0;
  function sync() {
    var toast = document.getElementById("toast");
    var visible = toast && !toast.hidden && toast.textContent.trim() ? toast : null;
    if (visible === shown) return;
    var now = Date.now(), html = document.documentElement;
    if (shown) {
      longest = Math.max(longest, now - since);
      html.setAttribute("data-e2e-toast-longest", String(longest));
      html.removeAttribute("data-e2e-toast-since");
    }
    shown = visible;
    if (shown) { since = now; html.setAttribute("data-e2e-toast-since", String(now)); }
  }
  document.addEventListener("DOMContentLoaded", function () {
    new MutationObserver(sync).observe(document.body, {
      subtree: true, childList: true, attributes: true, attributeFilter: ["hidden"]
    });
    sync();
  });
})();
"""
MESSAGE_LIFETIME = 6_000  # ms a message stays on the laptop (static/js/room.js)
# Checking takes a moment: a message may be seen this much later than it went away.
MESSAGE_SLACK = 700


def track_socket(page: Page) -> Page:
    page.context.add_init_script(WS_TRACKER)
    page.context.add_init_script(TOAST_TRACKER)
    return page


# Elements sticking out on the right of the screen, for the failure message.
WIDER_THAN_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 0.5 && !el.closest("[hidden], .visually-hidden")) {
      const classes = typeof el.className === "string" ? el.className.trim() : "";
      out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
        (classes ? "." + classes.split(/\\s+/).join(".") : "") + " right=" + Math.round(box.right));
    }
  }
  return {scroll: document.documentElement.scrollWidth, width: width, out: out.slice(-6)};
}"""


def expect_fits_the_screen(page: Page, where: str = "") -> None:
    """No part of the page sticks out on the right: nothing to scroll sideways to."""
    found = page.evaluate(WIDER_THAN_SCREEN)
    assert found["scroll"] <= found["width"], (
        f"{page.person}'s page is {found['scroll']} px wide on a {found['width']} px screen "
        f"{where}: {found['out']}"
    )


def expect_no_old_message(page: Page, where: str = "") -> None:
    """No message stayed, or stays, on screen longer than its own lifetime."""
    ages = page.evaluate(
        """() => {
          const html = document.documentElement;
          const since = parseInt(html.getAttribute("data-e2e-toast-since") || "0", 10);
          return {
            now: since ? Date.now() - since : 0,
            longest: parseInt(html.getAttribute("data-e2e-toast-longest") || "0", 10),
            text: (document.getElementById("toast") || {}).textContent || "",
          };
        }"""
    )
    limit = MESSAGE_LIFETIME + MESSAGE_SLACK
    assert ages["now"] <= limit and ages["longest"] <= limit, (
        f"{page.person}: a message stayed {max(ages['now'], ages['longest'])} ms {where} "
        f"(now: {ages['text']!r})"
    )


def expect_current_formulation(session: "Session") -> None:
    """Where a step asks about the case, every phone shows its question as it stands now."""
    room = session.room
    room.refresh_from_db()
    if room.status != "running" or room.case_id is None:
        return
    case = type(room.case).objects.get(pk=room.case_id)
    if room.step.kind == "reformulate":  # the step itself shows both versions
        for phone in session.phones.values():
            shown = phone.locator("#room-interaction .quote").last
            expect(shown, f"{phone.person}'s question").to_have_text(
                case.current_question, timeout=SYNC
            )
        return
    for phone in session.phones.values():
        expect(
            phone.locator("#room-case [data-case-question]"), f"{phone.person}'s question"
        ).to_have_text(case.current_question, timeout=SYNC)


def check_screens(session: "Session", where: str = "") -> None:
    """What the issue asks after every step, on every screen: nothing wider than the screen,
    no message on the laptop older than its lifetime, the current question on every phone."""
    for page in session.everyone:
        expect_fits_the_screen(page, where)
    expect_no_old_message(session.laptop, where)
    expect_current_formulation(session)


def wait_for_socket(page: Page) -> None:
    expect(page.locator("html"), f"{page.person}'s websocket").to_have_attribute(
        "data-e2e-ws", "open", timeout=ACTION_TIMEOUT
    )


@dataclass
class Session:
    """A room and the screens around it: Anna's laptop, and a phone per other person."""

    room: object
    laptop: Page
    phones: dict[str, Page]  # username -> page
    titles: list[str] = field(default_factory=list)
    member_ids: dict[str, int] = field(default_factory=dict)  # username -> RoomMember pk
    steps_seen: int = 0

    @property
    def everyone(self) -> list[Page]:
        return [self.laptop, *self.phones.values()]

    def phone_of(self, member_id: int) -> Page:
        name = next(n for n, pk in self.member_ids.items() if pk == member_id)
        return self.phones[name]

    def title(self, key: str) -> str:
        """A step's Dutch title by its key in the method library."""
        steps = list(self.room.method.steps.order_by("order"))
        index = next(i for i, s in enumerate(steps) if s.key == key)
        return self.titles[index + 1]

    def others(self, *names: str) -> list[Page]:
        """Every screen (laptop included) except these people's phones."""
        return [self.laptop, *(p for n, p in self.phones.items() if n not in names)]

    def reload_ids(self) -> None:
        from sessions_app.models import RoomMember

        self.member_ids = dict(
            RoomMember.objects.filter(room=self.room).values_list("user__username", "pk")
        )


def open_room_for(meeting, members, slug: str, case=None, inbrenger=None):
    """The room of `meeting` for Anna (facilitator) and Bram, Chantal, Daan and Eva (not Femke),
    waiting for the start; without a case (and inbrenger) when the method chooses one itself."""
    from methods.models import Method
    from sessions_app.opening import open_room
    from tests.conftest import ensure_method_library

    ensure_method_library()
    anna = members[0]
    return open_room(
        meeting,
        {
            "present": list(members[:5]),
            "method": Method.objects.get(slug=slug, is_builtin=True),
            "case": case,
            "facilitator": anna,
            "inbrenger": inbrenger,
            "note_taker": None,
            "timekeeper": None,
            "observers": [],
        },
    )


def enter(
    new_person,
    room,
    names=PHONE_NAMES,
    laptop: Page | None = None,
    join=(),
    devices: tuple[str, str] = ("projector", "small-phone"),
) -> Session:
    """Everyone opens the room (the `join` people through the join code, like the QR code) and
    waits in the lobby with an open websocket. `devices`: the laptop's and the phones' screens
    (by default a 1280×720 projector and 360×640 phones)."""
    laptop_device, phone_device = devices
    if laptop is None:
        laptop = track_socket(new_person("anna", device=laptop_device))
        laptop.goto(f"/r/{room.pk}/")
    laptop.on("dialog", lambda dialog: dialog.accept())  # hx-confirm: end, reveal, choose…
    phones = {name: track_socket(new_person(name, device=phone_device)) for name in names}
    for name, phone in phones.items():
        phone.goto(f"/j/{room.join_code}/" if name in join else f"/r/{room.pk}/")
    session = Session(room=room, laptop=laptop, phones=phones, titles=step_titles(room))
    session.reload_ids()
    for page in session.everyone:
        assert page.url.endswith(f"/r/{room.pk}/"), (page.person, page.url)
        wait_for_socket(page)
    expect_everyone_on(session.everyone, session.titles[0])
    expect(laptop.locator("#room-presence .person.online")).to_have_count(
        len(session.everyone), timeout=SYNC
    )
    for phone in phones.values():
        expect(phone.locator("[data-command]")).to_have_count(0)  # only the laptop has controls
    return session


def expect_roles(session: Session, inbrenger: str | None) -> None:
    """Each screen's role: the laptop facilitates, one phone brings the case, the rest take part."""
    expect(session.laptop.locator("#room-root")).to_have_attribute("data-role", "facilitator")
    for name, phone in session.phones.items():
        role = "inbrenger" if name == inbrenger else "participant"
        expect(phone.locator("#room-root"), f"{name}'s role").to_have_attribute("data-role", role)
        # Everyone has a private notepad; the inbrenger's is saved to their case.
        expect(phone.locator("#notes-title")).to_be_visible()
        where = "case" if name == inbrenger else "member"
        expect(phone.locator(".notepad")).to_have_attribute("data-notes", where)


def expect_everyone_on(pages, title: str) -> None:
    for page in pages:
        expect(page.locator(STEP_TITLE), f"{page.person}'s screen").to_have_text(
            title, timeout=SYNC
        )


def advance(session: Session, title: str, command: str = "next") -> None:
    """The facilitator presses a command; every phone then shows the same step as the laptop.
    Before and after, every screen passes `check_screens`."""
    save_screens(session, f"{session.steps_seen:02d}-done")
    check_screens(session, f"at the end of step {session.steps_seen}")
    click_command(session.laptop, command)
    expect_everyone_on(session.everyone, title)
    if command != "end":
        current = session.laptop.locator("#room-stepper li[aria-current=step]")
        expect(current).to_contain_text(title)
    laptop_title = session.laptop.locator(STEP_TITLE).inner_text()
    for phone in session.phones.values():
        assert phone.locator(STEP_TITLE).inner_text() == laptop_title
    session.steps_seen += 1
    save_screens(session, f"{session.steps_seen:02d}-start")
    check_screens(session, f"at the start of step {session.steps_seen}")


def save_screens(session: "Session", label: str) -> None:
    """With E2E_SCREENS=<folder>, every screen as it looks now (for a visual review)."""
    folder = os.environ.get("E2E_SCREENS")
    if not folder:
        return
    target = os.path.join(folder, session.room.method.slug)
    os.makedirs(target, exist_ok=True)
    for page in session.everyone:
        page.screenshot(
            path=os.path.join(target, f"{label}-{page.person}.png"), full_page=True, caret="initial"
        )


def expect_plain_step(session: Session) -> None:
    """An info step: an instruction for everyone, no interaction."""
    for page in session.everyone:
        expect(page.locator("#room-interaction")).to_be_hidden()
    for phone in session.phones.values():
        expect(phone.locator("#room-step .you-do").first).to_be_visible()


# ---- Choosing the case (vote) -------------------------------------------------------------------


def case_row(page: Page, case) -> object:
    return page.locator(f"[data-vote-inventory] li[data-case='{case.pk}']")


def add_case(page: Page, title: str, question: str) -> None:
    form = page.locator("form[data-add-case]")
    form.locator("#vote-case-title").fill(title)
    form.locator("#vote-case-question").fill(question)
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-my-case]", has_text=title)).to_be_visible(timeout=SYNC)


def vote(page: Page, case) -> None:
    case_row(page, case).locator("button[data-vote]").click()
    expect(page.locator("[data-my-vote]")).to_have_attribute(
        "data-my-vote", str(case.pk), timeout=SYNC
    )


def choose_case(session: Session, case, owner: str) -> None:
    """The facilitator takes the case (confirmed); every screen reloads into its new role."""
    laptop = session.laptop
    case_row(laptop, case).locator("button[data-choose]").click()
    expect(laptop.locator("[data-already-chosen]")).to_have_attribute(
        "data-already-chosen", str(case.pk), timeout=SYNC
    )
    expect(session.phones[owner].locator("#room-root")).to_have_attribute(
        "data-role", "inbrenger", timeout=SYNC
    )
    for page in session.everyone:
        expect(page.locator("[data-already-chosen]")).to_have_attribute(
            "data-already-chosen", str(case.pk), timeout=SYNC
        )
        wait_for_socket(page)
    expect(laptop.locator("#room-presence .person.online")).to_have_count(
        len(session.everyone), timeout=SYNC
    )
    expect(laptop.locator(".room-head h1")).to_have_text(case.working_question)


# ---- Question rounds ----------------------------------------------------------------------------


def question_turn(session: Session, action: str, text: str = "", hint: str | None = None) -> str:
    """Whoever has the turn acts: "ask" (typed), "aloud" or "pass". Every screen shows whose turn
    it is, only that phone has the turn form. Returns the username that acted."""
    laptop = session.laptop
    current = laptop.locator("#room-interaction [data-turn-current]")
    expect(current).to_have_attribute("data-turn-current", re.compile(r"^\d+$"))
    member_id = int(current.get_attribute("data-turn-current"))
    name = next(n for n, pk in session.member_ids.items() if pk == member_id)
    first_name = name.capitalize()
    for page in session.everyone:
        shown = page.locator("#room-interaction [data-turn-current]")
        expect(shown, f"{page.person} sees whose turn").to_have_attribute(
            "data-turn-current", str(member_id), timeout=SYNC
        )
        expect(shown).to_contain_text(first_name)
    asker = session.phones[name]
    expect(asker.locator("[data-my-turn]")).to_be_visible(timeout=SYNC)
    for other, phone in session.phones.items():
        if other != name:
            expect(phone.locator("[data-my-turn]"), f"{other} has no turn").to_have_count(0)
    token = laptop.locator("[data-turn-controls] input[name=turn]").input_value()
    asked_before = laptop.locator("[data-questions] > li").count()

    mine = asker.locator("#my-interaction")
    # Your turn: your actions are on the screen of the reference phone, without scrolling.
    for button in ("ask", "aloud", "pass"):
        expect(mine.locator(f"button[data-action={button}]")).to_be_in_viewport()
    if action == "ask":
        mine.locator("#qr-question").fill(text)
        mine.locator("button[data-action=ask]").click()
    else:
        mine.locator(f"button[data-action={action}]").click()

    # The turn moves on (or the rounds end) on the laptop.
    expect(laptop.locator(f"[data-turn-controls] input[name=turn][value='{token}']")).to_have_count(
        0, timeout=SYNC
    )
    questions = laptop.locator("[data-questions] > li")
    if action == "pass":
        expect(questions).to_have_count(asked_before)
    else:
        expect(questions).to_have_count(asked_before + 1, timeout=SYNC)
        newest = questions.first  # newest first
        expect(newest).to_contain_text(first_name)
        if action == "ask":
            expect(newest).to_contain_text(text)
        else:
            expect(newest.locator("[data-aloud]")).to_be_visible()
    if action == "ask":
        on_laptop = laptop.locator("[data-questions] > li", has_text=text)
        if hint:
            expect(on_laptop.locator(f"[data-hint={hint}]")).to_be_visible()
        else:
            expect(on_laptop.locator("[data-hint]")).to_have_count(0)
        for phone in session.phones.values():
            # The question reaches every phone (in its folded list), the hint never does.
            expect(phone.locator("[data-questions] > li", has_text=text)).to_have_count(
                1, timeout=SYNC
            )
            expect(phone.locator("#room-interaction [data-hint]")).to_have_count(0)
    return name


def question_round(session: Session, moves) -> list[str]:
    """One turn per move: ("ask", text[, hint]) / ("aloud",) / ("pass",)."""
    return [question_turn(session, *move) for move in moves]


def end_rounds(session: Session) -> None:
    session.laptop.locator("[data-turn-controls] button[data-action=end_rounds]").click()
    for page in session.everyone:
        expect(page.locator("[data-rounds-ended]")).to_be_visible(timeout=SYNC)
    for phone in session.phones.values():
        expect(phone.locator("[data-my-turn]")).to_have_count(0)


# ---- Listen-only steps --------------------------------------------------------------------------


def listen_only(session: Session, inbrenger: str, note: str) -> None:
    """The inbrenger's phone says: listen only, and keep notes; notes save as they are typed."""
    phone = session.phones[inbrenger]
    expect(phone.locator("#room-step .you-do.listen-only")).to_be_visible()
    # Issue 20.7: the time left stays on the first screen, above the notepad.
    phone.evaluate("window.scrollTo(0, 0)")
    expect(phone.locator("#room-timer [data-timer]")).to_be_in_viewport(ratio=1)
    for page in session.others(inbrenger):
        expect(page.locator("#room-step .you-do.listen-only")).to_have_count(0)
    expect(phone.locator("#notes-title")).to_be_visible()
    notes = phone.locator("#id_notes")
    notes.fill(note)
    expect(phone.locator("#notes-status")).to_contain_text("✓", timeout=SYNC)
    session.room.case.refresh_from_db()
    assert session.room.case.private_notes == note


# ---- Boards -------------------------------------------------------------------------------------


def board_items(page: Page):
    return page.locator("#room-interaction .board-item .board-text")


def add_item(page: Page, text: str, shown_as: str | None = None) -> None:
    """A phone writes an item on the board; their own list shows it as the board keeps it."""
    form = page.locator("#my-interaction form.board-add")
    form.locator("textarea[name=text]").fill(text)
    form.locator("button[type=submit]").click()
    mine = page.locator("#my-interaction .board-mine")
    expect(mine).to_contain_text(shown_as or text, timeout=SYNC)


def expect_board(page: Page, texts: list[str]) -> None:
    items = board_items(page)
    expect(items, f"{page.person}'s board").to_have_count(len(texts), timeout=SYNC)
    for text in texts:
        expect(items.filter(has_text=text), f"{page.person}: {text}").to_have_count(1)


def reveal(session: Session) -> None:
    session.laptop.locator("#room-interaction button[data-action=reveal]").click()
    expect(session.laptop.locator("#room-interaction [data-revealed]")).to_be_visible(timeout=SYNC)


# ---- Pick ---------------------------------------------------------------------------------------


def pick(phone: Page, text: str, reason: str = "") -> None:
    item = phone.locator("#my-interaction [data-pick-item]", has_text=text)
    if reason:
        item.locator("input[name=reason]").fill(reason)
    item.locator("button[data-pick]").click()
    expect(item).to_have_attribute("data-picked", "1", timeout=SYNC)


def expect_picked(page: Page, picked: dict[str, str], total: int) -> None:
    """Shared pick view: the items taken along are marked, each with its why."""
    status = page.locator("#room-interaction [data-picked-count]")
    expect(status).to_have_attribute("data-picked-count", str(len(picked)), timeout=SYNC)
    expect(status).to_have_attribute("data-total", str(total))
    marked = page.locator("#room-interaction .board-item[data-picked='1']")
    expect(marked).to_have_count(len(picked))
    for text, reason in picked.items():
        item = marked.filter(has_text=text)
        expect(item).to_have_count(1)
        expect(item.locator(".pick-mark")).to_be_visible()
        if reason:
            expect(item.locator("[data-reason]")).to_contain_text(reason)
        else:
            expect(item.locator("[data-reason]")).to_have_count(0)


# ---- Evaluation ---------------------------------------------------------------------------------


def evaluate(
    phone: Page,
    product: int | None,
    process: int | None,
    remark: str = "",
    signed: bool = False,
    takeaway: str = "",
    feedback: str = "",
) -> None:
    form = phone.locator("#my-interaction form[data-evaluation-form]")
    for score, value in (("product", product), ("process", process)):
        if value is not None:
            form.locator(f"label[for=ev-{score}-{value}]").click()
            expect(form.locator(f"#ev-{score}-{value}")).to_be_checked()
    if remark:
        form.locator("#ev-remark").fill(remark)
    if takeaway:
        form.locator("#ev-takeaway").fill(takeaway)
    if feedback:
        form.locator("#ev-feedback").fill(feedback)
    if signed:
        form.locator("label[for=ev-signed]").click()
        expect(form.locator("#ev-signed")).to_be_checked()
    form.locator("button[type=submit]").click()
    expect(phone.locator("#my-interaction [data-my-evaluation]")).to_have_attribute(
        "data-my-evaluation", "done", timeout=SYNC
    )


def expect_evaluations(
    session: Session,
    responses: int,
    averages: dict[str, str],
    signed: dict[str, str],
    unsigned,
    shown: int | None = None,
    waiting: tuple[str, ...] = (),
) -> None:
    """The laptop shows how many evaluated, the averages and the texts — names only of those who
    signed; phones see only how many evaluated. The figures and texts cover `shown` evaluations
    (they catch up per three people, interactions/anonymity.py); the `waiting` texts are not on
    the laptop yet."""
    laptop = session.laptop
    shown = responses if shown is None else shown
    people = str(len(session.everyone))
    for page in session.everyone:
        badge = page.locator("#room-interaction [data-responses]")
        expect(badge, f"{page.person}'s count").to_have_attribute(
            "data-responses", str(responses), timeout=SYNC
        )
        expect(badge).to_have_attribute("data-people", people)
    for score, average in averages.items():
        summary = laptop.locator(f"#room-interaction [data-summary={score}]")
        expect(summary).to_have_attribute("data-count", str(shown))
        expect(summary).to_have_attribute("data-average", average)
        expect(summary.locator(".step-title")).to_contain_text(average.replace(".", ","))
    texts = laptop.locator("#room-interaction [data-texts] [data-text]")
    for text, name in signed.items():
        expect(texts.filter(has_text=text).locator("[data-signed-by]")).to_contain_text(name)
    for text, name in unsigned.items():
        row = texts.filter(has_text=text)
        expect(row).to_have_count(1)
        expect(row.locator("[data-signed-by]")).to_have_count(0)
        expect(laptop.locator("#room-interaction [data-evaluation]")).not_to_contain_text(name)
    for text in waiting:
        expect(texts.filter(has_text=text)).to_have_count(0)
    for phone in session.phones.values():
        expect(phone.locator("#room-interaction [data-summary]")).to_have_count(0)
        expect(phone.locator("#room-interaction [data-texts]")).to_have_count(0)


def share_advice(session: Session, advice: dict[str, str], inbrenger: str) -> None:
    """Balint 4: whoever the laptop names reads their own advice from their phone and hands it
    over; it arrives on the inbrenger's phone, and the turn moves on."""
    laptop = session.laptop
    received = session.phones[inbrenger].locator("#room-interaction [data-received]")
    for shared in range(len(advice)):
        current = laptop.locator("#room-interaction [data-share-current]")
        expect(current).to_have_count(1, timeout=SYNC)
        member_id = int(current.get_attribute("data-share-current"))
        name = next(n for n, pk in session.member_ids.items() if pk == member_id)
        phone = session.phones[name]
        mine = phone.locator("#my-interaction [data-my-share]")
        expect(mine).to_have_attribute("data-my-share", "turn", timeout=SYNC)
        expect(mine).to_contain_text(advice[name])
        button = mine.locator("button[data-action=hand-over]")
        expect(button).to_be_in_viewport()
        button.click()
        expect(received).to_have_count(shared + 1, timeout=SYNC)
        expect(received.last).to_contain_text(advice[name])
        expect(mine).to_have_attribute("data-my-share", "handed", timeout=SYNC)
    expect(laptop.locator("#room-interaction [data-share-current]")).to_have_count(0, timeout=SYNC)
