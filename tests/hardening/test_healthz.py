"""/healthz: no login, no data; 200 or 503 with one line per part, for the proxy and monitoring."""

import pytest
from asgiref.testing import ApplicationCommunicator
from channels.layers import InMemoryChannelLayer

from common import availability
from intervisie.asgi import application

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


class DownLayer(InMemoryChannelLayer):
    async def group_send(self, group, message):
        raise ConnectionError("Error 111 connecting to 10.0.0.5:6379. Connection refused.")


async def get(path: str, host: bytes = b"127.0.0.1", method: str = "GET"):
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(b"host", host)],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    app = ApplicationCommunicator(application, scope)
    await app.send_input({"type": "http.request", "body": b"", "more_body": False})
    start = await app.receive_output(10)
    body = await app.receive_output(10)
    return start["status"], dict(start["headers"]), body["body"].decode()


async def test_healthy_is_200_with_a_line_per_part(in_memory_layer):
    status, headers, body = await get("/healthz")
    assert status == 200
    assert body == "database: ok\nchannel layer: ok\n"
    assert headers[b"cache-control"] == b"no-store"


async def test_it_answers_any_host_without_login(in_memory_layer, settings):
    """A probe on 127.0.0.1 in production: ALLOWED_HOSTS names only the public host."""
    settings.ALLOWED_HOSTS = ["intervisie.example.org"]
    status, _, body = await get("/healthz", host=b"127.0.0.1:8001")
    assert status == 200 and body.startswith("database: ok")


async def test_a_database_away_is_503_and_says_which_part(in_memory_layer, monkeypatch):
    monkeypatch.setattr(availability, "probe", lambda: False)
    status, _, body = await get("/healthz")
    assert status == 503
    assert body == "database: unreachable\nchannel layer: ok\n"


async def test_a_channel_layer_away_is_503_without_its_address(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": f"{__name__}.DownLayer"}}
    status, _, body = await get("/healthz")
    assert status == 503
    assert body == "database: ok\nchannel layer: unreachable (ConnectionError)\n"
    assert "10.0.0.5" not in body


async def test_head_has_the_status_and_no_body(in_memory_layer):
    status, headers, body = await get("/healthz", method="HEAD")
    assert status == 200 and body == ""
