"""A server crash mid-step loses nothing: after kill -9 and a restart, reconnecting screens get
the very same step, deadline and open storing as before."""

import asyncio
import re

import pytest

from .conftest import Person, base_env, make_scenario, revision_of

pytestmark = [pytest.mark.server, pytest.mark.asyncio]

# What may differ between two snapshots of an unchanged room: the countdown text (time passed) and
# who shows as online (a crashed server never counted its sockets down).
_ONLINE = re.compile(r"\b(online|offline)\b")
_CLOCK = re.compile(r'(data-timer role="timer" aria-live="off">)[^<]*(<)')
_OVER = re.compile(r'class="timer( paused)?( over)?"')
_PRESENCE = re.compile(r'<section id="room-presence".*?</section>', re.S)


def comparable(snapshot: str) -> str:
    snapshot = _PRESENCE.sub("", _OVER.sub('class="timer"', _CLOCK.sub(r"\1\2", snapshot)))
    return _ONLINE.sub("", snapshot)


def facts(snapshot: str) -> dict:
    def attr(name: str) -> str:
        return re.search(rf'{name}="([^"]*)"', snapshot).group(1)

    return {
        "revision": attr("data-revision"),
        "seq": attr("data-seq"),
        "step_run": attr("data-step-run"),
        "deadline": attr("data-deadline"),
        "title": re.search(r'class="step-title">([^<]*)<', snapshot).group(1),
    }


async def test_kill_9_mid_step_keeps_step_deadline_and_storing(tmp_path, daphnes):
    env = base_env(DATABASE_URL=f"sqlite:///{tmp_path / 'restart.sqlite3'}")
    scenario = make_scenario(env)
    room, steps = scenario["room"], scenario["steps"]
    (server,) = daphnes(env)
    anna = Person(scenario["sessions"]["anna"])
    chantal = Person(scenario["sessions"]["chantal"])

    # Mid-step: Anna moves on to step 2, Chantal raises a disturbance.
    page = anna.get(server, f"/r/{room}/")
    status, body = anna.post(server, f"/r/{room}/do/next/", {"revision": revision_of(page)})
    assert status == 204, body  # the push brings the new step
    chantal.get(server, f"/r/{room}/")
    status, body = chantal.post(server, f"/r/{room}/storing/", {"text": "Ik moet om 11 uur weg"})
    assert status == 200, body

    laptop_before = await anna.connect(server, room)
    phone_before = await chantal.connect(server, room)
    assert steps[1] in phone_before and "Ik moet om 11 uur weg" in laptop_before

    server.kill()
    await asyncio.gather(anna.close(), chantal.close(), return_exceptions=True)
    server.start()

    laptop_after = await anna.connect(server, room)
    phone_after = await chantal.connect(server, room)
    try:
        assert facts(phone_after) == facts(phone_before)
        assert facts(laptop_after) == facts(laptop_before)
        assert comparable(phone_after) == comparable(phone_before)
        assert comparable(laptop_after) == comparable(laptop_before)
        assert "Ik moet om 11 uur weg" in laptop_after
    finally:
        await asyncio.gather(anna.close(), chantal.close(), return_exceptions=True)
