"""The HTTP side of intervisie.asgi: Django's middleware chain run as one synchronous call."""

import asyncio
import threading

import pytest
from asgiref.testing import ApplicationCommunicator

from intervisie.http import SyncChainASGIHandler

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db]


async def get(path: str) -> tuple[int, dict, bytes]:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1"), (b"accept-language", b"nl")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    app = ApplicationCommunicator(SyncChainASGIHandler(), scope)
    await app.send_input({"type": "http.request", "body": b"", "more_body": False})
    start = await app.receive_output(5)
    body = await app.receive_output(5)
    headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    return start["status"], headers, body["body"]


async def test_every_middleware_still_runs():
    status, headers, body = await get("/accounts/login/")
    assert status == 200
    assert "csrftoken=" in headers.get("set-cookie", "")  # CSRF middleware
    assert "script-src" in headers["content-security-policy"]  # django-csp
    assert headers["x-frame-options"] == "DENY"  # clickjacking middleware
    assert headers["content-language"] == "nl"  # locale middleware
    assert b"Inloggen" in body


async def test_a_request_does_not_queue_behind_the_consumers_database_work():
    """Consumers run their database work on the event loop's pool (during a reconnect surge,
    hundreds of handshakes); requests have threads of their own, so a facilitator's click is
    answered meanwhile."""
    loop = asyncio.get_running_loop()
    release = threading.Event()
    busy = [loop.run_in_executor(None, release.wait, 30) for _ in range(64)]
    try:
        status, _headers, body = await asyncio.wait_for(get("/accounts/login/"), 10)
        assert status == 200 and b"Inloggen" in body
    finally:
        release.set()
        await asyncio.gather(*busy)
