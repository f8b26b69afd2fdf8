"""Rate limits shared by every server process, on Django's cache framework.

The counters live in the cache `settings.RATE_LIMIT_CACHE`: Redis when REDIS_URL is set (one
counter for all Daphne processes), else the database cache (one process, and its counters survive
a restart). A limit is `Rate(limit, seconds)`: at most `limit` events in any `seconds`. Each rate
keeps `BUCKETS` sub-windows and sums the last BUCKETS + 1 of them, so the count always covers at
least the whole period (never more than `limit` in any rolling period) and a refusal can say
exactly when the oldest events drop out.

`reserve()` counts first and decides on the count, so concurrent requests can never slip past the
limit together; what turned out harmless is given back with `refund()`. Keys are hashed with the
secret key: the cache never holds a client's address or an email address in the clear.
"""

import hashlib
import math
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.utils.translation import ngettext

BUCKETS = 6
# Backends whose incr() is one atomic server-side operation. Others (the database cache, the
# local-memory cache) read and write: one lock makes that atomic within the process, which is
# all there is without Redis (the in-memory channel layer means one process).
ATOMIC_BACKENDS = ("RedisCache", "PyMemcacheCache", "PyLibMCCache")
_lock = threading.Lock()


@dataclass(frozen=True)
class Rate:
    limit: int
    seconds: int

    @property
    def bucket_seconds(self) -> int:
        return max(1, math.ceil(self.seconds / BUCKETS))


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    wait: int = 0  # seconds until one more event would be allowed; 0 when allowed
    counted: str = ""  # the bucket an allowed reserve() counted in, for refund()

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Verdict(True)


def rate(name: str) -> Rate:
    """A named rate from settings.RATE_LIMITS: (limit, seconds)."""
    limit, seconds = settings.RATE_LIMITS[name]
    return Rate(int(limit), int(seconds))


def store() -> BaseCache:
    return caches[settings.RATE_LIMIT_CACHE]


def digest(text: str) -> str:
    key = settings.SECRET_KEY.encode()[:64]
    return hashlib.blake2b(text.encode(), key=key, digest_size=12).hexdigest()


def _keys(name: str, who: str, rate: Rate, now: float) -> tuple[list[str], int]:
    """The bucket keys from the oldest counted to the current one, and the current bucket's
    index."""
    size = rate.bucket_seconds
    current = int(now // size)
    base = f"rl:{name}:{digest(who)}:{size}"
    return [f"{base}:{i}" for i in range(current - BUCKETS, current + 1)], current


def _ttl(rate: Rate) -> int:
    return rate.bucket_seconds * (BUCKETS + 2)


def _add(key: str, amount: int, ttl: int) -> int:
    cache = store()
    if type(cache).__name__ in ATOMIC_BACKENDS:
        if amount > 0 and cache.add(key, amount, timeout=ttl):
            return amount
        try:
            return cache.incr(key, amount)
        except ValueError:  # expired between the two calls: nothing left to take from
            if amount > 0 and cache.add(key, amount, timeout=ttl):
                return amount
            return 0
    with _lock:
        value = max(0, int(cache.get(key) or 0) + amount)
        cache.set(key, value, timeout=ttl)
        return value


def _wait(counts: list[int], rate: Rate, current: int, now: float) -> int:
    """Seconds until the counted buckets hold at most limit - 1 events (room for one more).
    counts[i] is bucket current - BUCKETS + i, counted up to bucket current + i: it drops out
    when bucket current + 1 + i begins."""
    total = sum(counts)
    if total <= rate.limit - 1:
        return 0
    for i, bucket in enumerate(counts):
        total -= bucket
        if total <= rate.limit - 1:
            return max(1, math.ceil((current + 1 + i) * rate.bucket_seconds - now))
    raise AssertionError("unreachable: an empty window is below any limit")


def count(name: str, who: str, rate: Rate, now: float | None = None) -> int:
    """How many events the limit counts now (nothing is added)."""
    now = time.time() if now is None else now
    keys, _current = _keys(name, who, rate, now)
    values = store().get_many(keys)
    return sum(int(values.get(key) or 0) for key in keys)


def peek(name: str, who: str, rate: Rate, now: float | None = None) -> Verdict:
    """Would one more event be allowed? Nothing is counted."""
    now = time.time() if now is None else now
    keys, current = _keys(name, who, rate, now)
    values = store().get_many(keys)
    counts = [int(values.get(key) or 0) for key in keys]
    if sum(counts) + 1 <= rate.limit:
        return ALLOWED
    return Verdict(False, _wait(counts, rate, current, now))


def hit(name: str, who: str, rate: Rate, now: float | None = None) -> int:
    """Count one event, whatever the limit says; returns the count now."""
    now = time.time() if now is None else now
    keys, _current = _keys(name, who, rate, now)
    _add(keys[-1], 1, _ttl(rate))
    values = store().get_many(keys)
    return sum(int(values.get(key) or 0) for key in keys)


def reserve(name: str, who: str, rate: Rate, now: float | None = None) -> Verdict:
    """Count one event if the limit allows it; a refused event is not counted."""
    now = time.time() if now is None else now
    keys, current = _keys(name, who, rate, now)
    mine = _add(keys[-1], 1, _ttl(rate))
    older = store().get_many(keys[:-1])
    counts = [int(older.get(key) or 0) for key in keys[:-1]] + [mine]
    if sum(counts) <= rate.limit:
        return Verdict(True, counted=f"{keys[-1]}|{_ttl(rate)}")
    _add(keys[-1], -1, _ttl(rate))
    counts[-1] -= 1
    return Verdict(False, _wait(counts, rate, current, now))


def refund(verdict: Verdict) -> None:
    """Give back an event that reserve() counted (it turned out harmless)."""
    if verdict.counted:
        key, ttl = verdict.counted.rsplit("|", 1)
        _add(key, -1, int(ttl))


def remember(name: str, who: str, seconds: int) -> None:
    """A fact that holds for a while (this address used this code correctly)."""
    store().set(f"rl:{name}:{digest(who)}", 1, timeout=seconds)


def remembers(name: str, who: str) -> bool:
    return bool(store().get(f"rl:{name}:{digest(who)}"))


def forget(name: str, who: str) -> None:
    store().delete(f"rl:{name}:{digest(who)}")


def wait_text(seconds: int) -> str:
    """A wait as people say it: '40 seconden', '3 minuten', '2 uur' (rounded up)."""
    if seconds < 60:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    minutes = math.ceil(seconds / 60)
    if minutes < 120:
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    hours = math.ceil(minutes / 60)
    return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
