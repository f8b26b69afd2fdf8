"""GET /healthz for the reverse proxy, systemd and monitoring: no login, no data.

Answered in front of Django (asgi.py), so neither the host check, the HTTPS redirect nor the
session stand in the way of a probe on 127.0.0.1. 200 when the database and the channel layer both
answer, else 503; one line per part, with a reason that names no address or setting:

    database: ok
    channel layer: unreachable (ConnectionError)
"""

import asyncio

from channels.layers import get_channel_layer

from common import availability

PATH = "/healthz"
TIMEOUT = 3.0  # seconds per part; a part that takes longer is down for a proxy anyway


async def check_database() -> str:
    # A connection of its own, not the pool's: a pool out of connections is busy, not down.
    try:
        ok = await asyncio.wait_for(asyncio.to_thread(availability.probe), TIMEOUT)
    except TimeoutError:
        return f"no answer within {TIMEOUT:.0f} s"
    return "ok" if ok else "unreachable"


async def check_channel_layer() -> str:
    layer = get_channel_layer()
    if layer is None:
        return "not configured"
    try:
        # What every push does, to a group nobody is in: Redis must answer, nobody receives it.
        async with asyncio.timeout(TIMEOUT):
            await layer.group_send("healthz", {"type": "health.ping"})
    except TimeoutError:
        return f"no answer within {TIMEOUT:.0f} s"
    except Exception as error:
        return f"unreachable ({type(error).__name__})"
    return "ok"


async def report() -> tuple[int, str]:
    database, layer = await asyncio.gather(check_database(), check_channel_layer())
    status = 200 if database == layer == "ok" else 503
    return status, f"database: {database}\nchannel layer: {layer}\n"


class HealthCheck:
    """ASGI middleware: answers PATH itself, passes everything else on."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH:
            return await self.app(scope, receive, send)
        status, text = await report()
        body = b"" if scope["method"] == "HEAD" else text.encode()
        headers = [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"content-length", str(len(text.encode())).encode()),
            (b"cache-control", b"no-store"),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
