"""A small fixed-window rate limit per client address, on Django's cache."""

import time

from django.core.cache import cache
from django.http import HttpRequest

LIMITS = {"join": (20, 300)}  # attempts per window (seconds): guessing codes stays hopeless


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def exceeded(request: HttpRequest, scope: str) -> bool:
    """Count this attempt; True once the client is over the limit for the current window."""
    limit, window = LIMITS[scope]
    key = f"ratelimit:{scope}:{client_address(request)}:{int(time.time() // window)}"
    if cache.add(key, 1, timeout=window):
        return False
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit
