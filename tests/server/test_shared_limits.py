"""Two Daphne processes share one guess budget: a guesser who spreads wrong codes over both
processes is stopped after the same ~50 as on one.

Runs twice: on SQLite (the limiter's database cache table, shared through the file) and on
PostgreSQL + Redis (the Redis cache; needs INTERVISIE_TEST_DATABASE_URL and
INTERVISIE_TEST_REDIS_URL, see test_scale_out.py)."""

import urllib.error
import urllib.request
from urllib.parse import urlsplit, urlunsplit

import pytest

from .conftest import Person, base_env, make_scenario
from .test_scale_out import postgres_and_redis  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.server]

WRONG_PER_HOUR = 50


def status_of(url: str) -> int:
    request = urllib.request.Request(url)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wrong(i: int) -> str:
    return f"ZZZ{i:03d}".replace("0", "Z").replace("1", "Y")  # never issued: no Z-only codes


def guess_over_both(a, b, scenario) -> None:
    statuses = [
        status_of(f"{(a if i % 2 else b).url}/j/{wrong(i)}/") for i in range(WRONG_PER_HOUR + 6)
    ]
    assert statuses[:WRONG_PER_HOUR] == [404] * WRONG_PER_HOUR
    assert statuses[WRONG_PER_HOUR:] == [429] * 6  # on both processes
    # The right code is refused to the blocked address too: it must not stand out…
    assert status_of(f"{a.url}/j/{scenario['code']}/") == 429
    # …except for a member of the room's group, whichever process they reach.
    bram = Person(scenario["sessions"]["bram"])
    for server in (a, b):
        page = bram.get(server, f"/j/{scenario['code']}/")  # follows the redirect into the room
        assert 'id="room-root"' in page


def test_two_processes_on_sqlite_share_the_guess_budget(tmp_path, daphnes):
    env = base_env(DATABASE_URL=f"sqlite:///{tmp_path / 'limits.sqlite3'}", TRUSTED_PROXIES="")
    scenario = make_scenario(env)
    a, b = daphnes(env, 2)
    guess_over_both(a, b, scenario)


def test_two_processes_on_redis_share_the_guess_budget(postgres_and_redis, daphnes):  # noqa: F811
    database_url, redis_url = postgres_and_redis
    parts = urlsplit(redis_url)
    db = int((parts.path or "/0").strip("/") or 0)
    limits_url = urlunsplit(parts._replace(path=f"/{(db + 1) % 16}"))
    import redis

    redis.Redis.from_url(limits_url).flushdb()  # no counts left from an earlier run
    env = base_env(
        DATABASE_URL=database_url, REDIS_URL=redis_url, LIMITS_REDIS_URL=limits_url,
        TRUSTED_PROXIES="",
    )  # fmt: skip
    scenario = make_scenario({**env, "REDIS_URL": ""})
    a, b = daphnes(env, 2)
    guess_over_both(a, b, scenario)
