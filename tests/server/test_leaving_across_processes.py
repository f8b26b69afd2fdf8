"""Leaving the group closes that person's sockets on every server process (PostgreSQL + Redis):
the membership ends in a third process, and phones on both Daphne processes are closed."""

import asyncio
import subprocess
import sys
import time
import urllib.error

import pytest

from .conftest import BASE_DIR, Person, base_env, make_scenario
from .test_scale_out import postgres_and_redis  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.server, pytest.mark.asyncio]

CLOSE_FORBIDDEN = 4403


async def close_code(person: Person, timeout: float) -> int:
    from websockets.exceptions import ConnectionClosed

    deadline = time.monotonic() + timeout
    try:
        while (left := deadline - time.monotonic()) > 0:
            await asyncio.wait_for(person.ws.recv(), left)  # pushes still on their way
    except ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd else -1
    raise AssertionError(f"the socket stayed open for {timeout} s")


async def test_leaving_closes_the_members_sockets_on_every_process(
    postgres_and_redis,  # noqa: F811
    daphnes,
):
    database_url, redis_url = postgres_and_redis
    env = base_env(DATABASE_URL=database_url, REDIS_URL=redis_url)
    scenario = make_scenario({**env, "REDIS_URL": ""})
    room, sessions = scenario["room"], scenario["sessions"]
    a, b = daphnes(env, 2)

    phone = Person(sessions["chantal"])  # Chantal's phone on B, her laptop on A
    laptop = Person(sessions["chantal"])
    daan = Person(sessions["daan"])
    await phone.connect(b, room)
    await laptop.connect(a, room)
    await daan.connect(b, room)
    try:
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "tests.server.end_membership", "chantal"],
            cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-2000:]
        assert await close_code(phone, 5) == CLOSE_FORBIDDEN
        assert await close_code(laptop, 5) == CLOSE_FORBIDDEN
        print(f"sockets on both processes closed {time.monotonic() - started:.2f} s after")
        # Daan's socket stays: presence shows Chantal gone.
        await daan.receive_until(r'id="room-presence"')
        for server in (a, b):
            with pytest.raises(urllib.error.HTTPError) as refused:
                Person(sessions["chantal"]).get(server, f"/r/{room}/")
            assert refused.value.code == 403
            assert "Je bent geen lid meer van deze groep" in refused.value.read().decode()
    finally:
        await asyncio.gather(phone.close(), laptop.close(), daan.close(), return_exceptions=True)
