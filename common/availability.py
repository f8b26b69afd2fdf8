"""Is the database there? A gate per process, so that an outage answers at once.

While PostgreSQL is down or restarting, every request would wait for a pooled connection until
the pool's timeout (20 s) and then fail; every phone's socket would do the same. So the first
database error that turns out to be an outage (a probe on a connection of its own fails) closes
the gate: requests and sockets answer "even geduld" at once (intervisie/middleware.py,
sessions_app/outage.py). While it is closed, at most one caller a PROBE_INTERVAL probes again; the
first probe that succeeds opens it, replaces the connection pool (its reconnection attempts back
off exponentially, for minutes) and tells the listeners, which bring the phones up to date.

Part of common/: every app may use it, and it needs Django only.
"""

import contextlib
import logging
import threading
import time
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import InterfaceError, OperationalError

logger = logging.getLogger(__name__)

RETRY_AFTER = 5  # seconds: what browsers are told to wait (Retry-After, the 503 page's refresh)
PROBE_INTERVAL = 1.0  # seconds between probes while the database is away
PROBE_TIMEOUT = 2  # seconds a probe waits for a PostgreSQL connection

_lock = threading.Lock()  # one prober at a time; the others do not wait for it
_down_since: float | None = None
_next_probe = 0.0
_listeners: list[Callable[[bool], None]] = []


def is_outage(error: BaseException | None) -> bool:
    """Errors that may mean the database cannot be reached: refused, dropped or timed-out
    connections (OperationalError, also a pool timeout, and InterfaceError for a closed one), as
    opposed to a statement the database refused (IntegrityError, ProgrammingError…)."""
    return isinstance(error, (OperationalError, InterfaceError))


def available() -> bool:
    """False while the database is known to be away; the caller that finds it time for a probe
    (one a PROBE_INTERVAL, on a connection of its own) runs it."""
    if _down_since is None:
        return True
    if time.monotonic() >= _next_probe and _lock.acquire(blocking=False):
        try:
            if _down_since is not None and time.monotonic() >= _next_probe:
                if probe():
                    _opened()
                else:
                    _schedule_probe()
        finally:
            _lock.release()
    return _down_since is None


def without_database(view):
    """Mark a view that reads nothing from the database: it still answers during an outage."""
    view.needs_database = False
    return view


def down_for() -> float | None:
    """Seconds since the gate closed, or None while the database is there."""
    return None if _down_since is None else time.monotonic() - _down_since


def report(error: BaseException | None = None) -> None:
    """A database error happened: probe, and close the gate if the database is away. A deadlock
    or a lock timeout also raises OperationalError; then the probe succeeds and nothing closes."""
    if _down_since is not None or not _lock.acquire(blocking=False):
        return
    try:
        if _down_since is None and not probe():
            _closed(error)
    finally:
        _lock.release()


def on_change(listener: Callable[[bool], None]) -> None:
    """Call `listener(available)` whenever the gate opens or closes, from the thread that found
    out (keep it short; hop to an event loop with call_soon_threadsafe)."""
    if listener not in _listeners:
        _listeners.append(listener)


def probe() -> bool:
    """One statement on a connection of its own, outside the pool (whose getconn would wait for
    the pool's timeout), with a short connect timeout."""
    wrapper = connections[DEFAULT_DB_ALIAS]
    options = {k: v for k, v in wrapper.settings_dict.get("OPTIONS", {}).items() if k != "pool"}
    if wrapper.vendor == "postgresql":
        options["connect_timeout"] = PROBE_TIMEOUT
    prober = type(wrapper)({**wrapper.settings_dict, "OPTIONS": options}, alias="probe")
    try:
        with prober.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # any failure means: not there for us
        return False
    finally:
        with contextlib.suppress(Exception):
            prober.close()


def _schedule_probe() -> None:
    global _next_probe
    _next_probe = time.monotonic() + PROBE_INTERVAL


def _closed(error: BaseException | None) -> None:
    global _down_since
    _down_since = time.monotonic()
    _schedule_probe()
    logger.warning(
        "database unreachable (%s); answering 503 until a probe succeeds",
        type(error).__name__ if error else "probe failed",
    )
    _notify(False)


def _opened() -> None:
    global _down_since
    down = time.monotonic() - (_down_since or time.monotonic())
    _down_since = None
    _replace_pool()
    logger.warning("database reachable again after %.1f s", down)
    _notify(True)


def _replace_pool() -> None:
    """The pool's connections died with the server, and its reconnection attempts back off
    exponentially (1, 2, 4… s): drop it, so the next request opens a new one at once. The old
    one closes on a thread of its own (close() waits for its workers); connections still lent
    out go back to it and are closed there."""
    wrapper = connections[DEFAULT_DB_ALIAS]
    pools = getattr(type(wrapper), "_connection_pools", None)
    old = pools.pop(wrapper.alias, None) if pools else None
    if old is not None:
        threading.Thread(target=old.close, name="closing-db-pool", daemon=True).start()


def _notify(up: bool) -> None:
    for listener in list(_listeners):
        try:
            listener(up)
        except Exception:
            logger.exception("database availability listener failed")


def reset() -> None:
    """Open the gate without probing (tests)."""
    global _down_since, _next_probe
    _down_since = None
    _next_probe = 0.0
