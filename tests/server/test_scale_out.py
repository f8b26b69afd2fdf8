"""Scale-out: two Daphne processes on one PostgreSQL and one Redis act as one server.

Needs INTERVISIE_TEST_DATABASE_URL (a PostgreSQL server URL whose user may create databases; the
test creates and drops a database of its own) and INTERVISIE_TEST_REDIS_URL. Without them the
test is skipped, except under CI, where it fails: CI must prove scale-out, not skip it.
"""

import asyncio
import os
import re
from urllib.parse import urlsplit, urlunsplit

import pytest

from .conftest import Person, base_env, in_ci, make_scenario, revision_of

pytestmark = [pytest.mark.server, pytest.mark.asyncio]

NEEDS = "INTERVISIE_TEST_DATABASE_URL and INTERVISIE_TEST_REDIS_URL"


@pytest.fixture
def postgres_and_redis():
    database_url = os.environ.get("INTERVISIE_TEST_DATABASE_URL", "")
    redis_url = os.environ.get("INTERVISIE_TEST_REDIS_URL", "")
    if not (database_url and redis_url):
        message = f"scale-out needs PostgreSQL and Redis: set {NEEDS}"
        if in_ci():
            pytest.fail(f"{message} (CI must run this test, not skip it)", pytrace=False)
        pytest.skip(message)
    import psycopg

    parts = urlsplit(database_url)
    name = f"intervisie_scaleout_{os.getpid()}"
    admin_url = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))

    def execute(sql: str) -> None:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(sql)

    execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}")), redis_url
    finally:
        execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def test_a_facilitator_on_process_a_drives_phones_on_process_b(postgres_and_redis, daphnes):
    database_url, redis_url = postgres_and_redis
    env = base_env(DATABASE_URL=database_url, REDIS_URL=redis_url)
    scenario = make_scenario({**env, "REDIS_URL": ""})
    room, steps = scenario["room"], scenario["steps"]
    a, b = daphnes(env, 2)

    anna = Person(scenario["sessions"]["anna"])  # the facilitator's laptop, on A
    phones = [Person(scenario["sessions"][name]) for name in ("bram", "chantal", "daan")]
    for phone in phones:
        snapshot = await phone.connect(b, room)
        assert steps[0] in snapshot
    try:
        page = anna.get(a, f"/r/{room}/")
        status, body = anna.post(a, f"/r/{room}/do/next/", {"revision": revision_of(page)})
        assert status == 204, body  # the push brings the new step
        seq = re.search(r'data-seq="(\d+)"', anna.get(a, f"/r/{room}/")).group(1)
        for phone in phones:
            message = await phone.receive_until(rf'(?s)data-seq="{seq}"[^>]*>.*id="room-step"')
            assert steps[1] in message
    finally:
        for phone in phones:
            await phone.close()


ONLINE = r'(?s)id="room-presence".*?badge-muted">{}/'


async def test_phones_on_a_killed_process_go_offline_on_the_facilitators_screen(
    postgres_and_redis, daphnes
):
    """Process B dies (kill -9) with three phones on it: nobody counts their sockets out there,
    so process A, by its heartbeat, does, and the facilitator sees them offline."""
    database_url, redis_url = postgres_and_redis
    env = base_env(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        PRESENCE_HEARTBEAT="0.5",
        PRESENCE_TIMEOUT="2",
    )
    scenario = make_scenario({**env, "REDIS_URL": ""})
    room = scenario["room"]
    a, b = daphnes(env, 2)

    anna = Person(scenario["sessions"]["anna"])  # the facilitator's laptop, on A
    phones = [Person(scenario["sessions"][name]) for name in ("bram", "chantal", "daan")]
    await anna.connect(a, room)
    try:
        for phone in phones:
            await phone.connect(b, room)
        await anna.receive_until(ONLINE.format(4))
        b.kill()
        await anna.receive_until(ONLINE.format(1), timeout=15)
        page = anna.get(a, f"/r/{room}/")  # the page, read anew, says the same
        assert re.search(ONLINE.format(1), page)
    finally:
        await asyncio.gather(anna.close(), *(p.close() for p in phones), return_exceptions=True)
