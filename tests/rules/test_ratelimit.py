"""The shared limiter (common/ratelimit.py) on the cache this run is configured with: the
database cache (embedded run) or Redis (REDIS_URL set). Time is passed in, so the windows are
exact."""

import pytest
from django.conf import settings
from django.core.cache import caches

from common import ratelimit
from common.ratelimit import Rate

pytestmark = pytest.mark.django_db

HOUR = Rate(limit=50, seconds=3600)
T0 = 1_800_000_000.0  # a bucket boundary (600 s buckets for an hour)


def test_fifty_events_an_hour_are_allowed_and_the_fifty_first_is_refused():
    verdicts = [ratelimit.reserve("t", "client", HOUR, now=T0 + i) for i in range(50)]
    assert all(verdicts)
    refused = ratelimit.reserve("t", "client", HOUR, now=T0 + 60)
    assert not refused
    # All fifty sit in the first 10-minute bucket, counted until a full hour has passed over it.
    assert refused.wait == 3600 + 600 - 60
    assert ratelimit.count("t", "client", HOUR, now=T0 + 60) == 50  # the refusal is not counted


def test_the_stated_wait_is_exactly_when_the_next_event_is_allowed():
    for i in range(50):
        ratelimit.reserve("t", "client", HOUR, now=T0 + i)
    wait = ratelimit.reserve("t", "client", HOUR, now=T0 + 100).wait
    assert not ratelimit.reserve("t", "client", HOUR, now=T0 + 100 + wait - 1)
    assert ratelimit.reserve("t", "client", HOUR, now=T0 + 100 + wait)


def test_no_rolling_hour_ever_holds_more_than_the_limit():
    allowed = []
    for minute in range(0, 240):
        for second in (0, 20, 40):
            now = T0 + minute * 60 + second
            if ratelimit.reserve("t", "client", HOUR, now=now):
                allowed.append(now)
    assert len(allowed) >= 150  # not stingier than needed: at least 50 in each hour
    for start in allowed:
        assert sum(1 for t in allowed if start <= t < start + 3600) <= 50


def test_clients_are_counted_apart():
    for i in range(50):
        ratelimit.reserve("t", "a", HOUR, now=T0 + i)
    assert not ratelimit.reserve("t", "a", HOUR, now=T0 + 60)
    assert ratelimit.reserve("t", "b", HOUR, now=T0 + 60)
    assert ratelimit.reserve("other", "a", HOUR, now=T0 + 60)


def test_a_refund_gives_a_reserved_event_back():
    for i in range(49):
        ratelimit.reserve("t", "client", HOUR, now=T0 + i)
    last = ratelimit.reserve("t", "client", HOUR, now=T0 + 50)
    assert last
    ratelimit.refund(last)
    assert ratelimit.count("t", "client", HOUR, now=T0 + 50) == 49
    assert ratelimit.reserve("t", "client", HOUR, now=T0 + 51)


def test_peek_and_hit_count_without_deciding():
    rate = Rate(limit=2, seconds=60)
    assert ratelimit.peek("t", "x", rate, now=T0)
    assert ratelimit.hit("t", "x", rate, now=T0) == 1
    assert ratelimit.hit("t", "x", rate, now=T0) == 2
    assert ratelimit.hit("t", "x", rate, now=T0) == 3  # hit() always counts
    verdict = ratelimit.peek("t", "x", rate, now=T0 + 1)
    assert not verdict and 0 < verdict.wait <= 70


def test_the_cache_never_holds_an_address_in_the_clear():
    ratelimit.reserve("t", "203.0.113.7", HOUR, now=T0)
    ratelimit.remember("known", "203.0.113.7|ABCDEF", 60)
    store = caches[settings.RATE_LIMIT_CACHE]
    keys, _current = ratelimit._keys("t", "203.0.113.7", HOUR, T0)
    assert store.get(keys[-1]) == 1
    assert all("203.0.113.7" not in key for key in keys)
    assert ratelimit.remembers("known", "203.0.113.7|ABCDEF")


@pytest.mark.parametrize(
    ("seconds", "dutch"),
    [(1, "1 seconde"), (40, "40 seconden"), (61, "2 minuten"), (3600, "60 minuten"),
     (4 * 3600, "4 uur")],
)  # fmt: skip
def test_waits_read_as_people_say_them(seconds, dutch):
    from django.utils import translation

    with translation.override("nl"):
        assert ratelimit.wait_text(seconds) == dutch


def test_the_limiter_counts_in_redis_when_redis_is_configured():
    backend = settings.CACHES[settings.RATE_LIMIT_CACHE]["BACKEND"]
    if settings.REDIS_URL:
        assert backend.endswith("RedisCache")
        assert settings.LIMITS_REDIS_URL != settings.REDIS_URL  # another database number
    else:
        assert backend.endswith("DatabaseCache")
