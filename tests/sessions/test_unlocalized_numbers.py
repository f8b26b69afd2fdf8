"""Numbers that scripts, SVG or URLs read are rendered without the locale's formatting.

In Dutch a float renders as "593,27": the room's script then reads 593 and every screen is a
second off. Every fragment of every step of every method is rendered here in Dutch, with the
timer paused at a fraction of a second, and every numeric data attribute is parsed.
"""

import json
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone, translation

from methods.library import BUILTIN_LIBRARY_PATH
from sessions_app import live, services
from sessions_app.models import Audience, Room
from tests.sessions.conftest import open_room_for

# A value made of digits and separators only: something a script will parse as a number.
NUMBERISH = re.compile(r"^[-+]?[\d.,\s]*\d[\d.,\s]*$")
MACHINE_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
# Attributes a script, the SVG renderer or the server reads back as numbers.
NUMERIC_ATTRIBUTES = {"value", "width", "height", "x", "y", "min", "max", "step"}
SLUGS = [m["slug"] for m in json.loads(BUILTIN_LIBRARY_PATH.read_text())["methods"]]
URL_ATTRIBUTES = {"href", "hx-get", "hx-post", "action", "ws-connect", "src"}


class NumberCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.checked = 0
        self.bad: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name.startswith("data-") or name in NUMERIC_ATTRIBUTES:
                if NUMBERISH.match(value):
                    self.checked += 1
                    if not MACHINE_NUMBER.match(value.strip()):
                        self.bad.append(f"<{tag} {name}={value!r}>")
            elif name in URL_ATTRIBUTES and re.search(r"\d,\d", value):
                self.bad.append(f"<{tag} {name}={value!r}>")


def parse(html: str) -> NumberCollector:
    collector = NumberCollector()
    collector.feed(html)
    return collector


def render_everything(room: Room) -> str:
    """Every part every audience has, for each person in the room, in Dutch."""
    state = live.load_state(room.pk)
    html = []
    with translation.override("nl"):
        for member in state.members:
            parts = live.SCREEN_PARTS[member.audience]
            html.append(live.render_parts(state, member.audience, parts, member=member))
            html.append(live.render_parts(state, member.audience, parts))
    return "".join(html)


def test_a_paused_timer_reads_the_same_second_in_dutch(meeting, members, case):
    room = open_room_for(meeting, members, case=case)
    start = timezone.now()
    services.run_command(room.pk, room.facilitator, "start", room.revision, now=start)
    room.refresh_from_db()
    services.run_command(
        room.pk, room.facilitator, "pause", room.revision, now=start + timedelta(seconds=6.73)
    )
    room.refresh_from_db()
    assert room.paused_remaining % 1, "the test needs a fraction of a second"
    html = render_everything(room)
    values = re.findall(r'data-paused-remaining="([^"]*)"', html)
    assert values and all(float(v) == pytest.approx(room.paused_remaining) for v in values), values


@pytest.mark.parametrize("slug", SLUGS)
def test_every_room_fragment_renders_machine_numbers_in_dutch(slug, meeting, members, case):
    room = open_room_for(meeting, members, method_slug=slug, case=case)
    checked = 0
    bad: list[str] = []

    def check(label: str) -> None:
        nonlocal checked
        room.refresh_from_db()
        result = parse(render_everything(room))
        checked += result.checked
        bad.extend(f"{label}: {b}" for b in result.bad)

    check("lobby")
    now = timezone.now()
    services.run_command(room.pk, room.facilitator, "start", room.revision, now=now)
    for _ in range(40):
        room.refresh_from_db()
        now += timedelta(seconds=7.381)
        services.run_command(room.pk, room.facilitator, "pause", room.revision, now=now)
        room.refresh_from_db()
        step = room.step
        check(step.key)
        services.run_command(room.pk, room.facilitator, "resume", room.revision, now=now)
        room.refresh_from_db()
        if live.load_state(room.pk).is_last_step:
            break
        answer = "yes" if step.has_branch else None
        services.run_command(room.pk, room.facilitator, "next", room.revision, branch_answer=answer)
    services.run_command(room.pk, room.facilitator, "end", room.revision)
    check("ended")
    assert checked > 0
    assert not bad, "localized numbers:\n" + "\n".join(bad)
    assert Audience.FACILITATOR in {m.audience for m in live.load_state(room.pk).members}
