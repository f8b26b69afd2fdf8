"""room_load.py's targets (the project, bare Channels, raw websockets) and the reconnect surge."""

from __future__ import annotations

import asyncio
import os
import random
import time
from dataclasses import dataclass, field

from bench.load_phones import (
    LiveRoom,
    Phone,
    Stats,
    Target,
    connect_all,
    project_command,
    project_login,
    ref_channels_command,
    ref_websockets_command,
)
from bench.load_setup import HOST, PHONES_PER_ROOM, Http, RoomInfo, Server

# ---- Targets ------------------------------------------------------------------------------------


def cookie_headers(session: str, port: int) -> dict:
    return {"Cookie": f"sessionid={session}", "Origin": f"http://{HOST}:{port}"}


def laptop_server(servers: list[Server], room: LiveRoom, spread: bool) -> Server:
    """Where a room's facilitator posts: process A, or (spread) one process per room, as a
    balancing proxy in front of the processes would choose."""
    if not spread:
        return servers[0]
    return servers[int(room.info.id.replace("-", ""), 16) % len(servers)]


def project_target(servers: list[Server], spread: bool = False) -> Target:
    def phone_url(room: LiveRoom, i: int):
        server = servers[i % len(servers)]  # spread over the processes
        return (
            f"ws://{HOST}:{server.port}/ws/rooms/{room.info.id}/",
            cookie_headers(room.info.phone_sessions[i], server.port),
        )

    async def prepare(room: LiveRoom) -> None:
        await project_login(room, laptop_server(servers, room, spread).port)

    return Target("project", servers, phone_url, prepare, project_command)


def ref_channels_target(servers: list[Server], spread: bool = False) -> Target:
    def phone_url(room: LiveRoom, i: int):
        server = servers[i % len(servers)]
        return f"ws://{HOST}:{server.port}/ws/{room.info.id}/", {}

    async def prepare(room: LiveRoom) -> None:
        room.http = Http(laptop_server(servers, room, spread).port)

    return Target("bare channels", servers, phone_url, prepare, ref_channels_command)


def ref_websockets_target(server: Server) -> Target:
    def phone_url(room: LiveRoom, i: int):
        return f"ws://{HOST}:{server.port}/ws/{room.info.id}/", {}

    async def prepare(room: LiveRoom) -> None:
        from websockets.asyncio.client import connect

        room.trigger = await connect(
            f"ws://{HOST}:{server.port}/trigger/{room.info.id}/", compression=None,
            ping_interval=None,
        )  # fmt: skip

    return Target("raw websockets", [server], phone_url, prepare, ref_websockets_command)


# ---- Reconnect surge ----------------------------------------------------------------------------


@dataclass
class SurgeStats:
    refused: int = 0  # the server was not listening yet: expected while it restarts
    failed: int = 0  # handshake refused (HTTP 4xx/5xx), timed out, or closed before a snapshot
    failures: dict = field(default_factory=dict)


async def reconnecting(phone: Phone, surge: SurgeStats, give_up_at: float) -> float | None:
    """Like the browser after a drop: wait 250 ms + up to 3 s (jitter), try, repeat."""
    from websockets.exceptions import InvalidStatus

    while time.monotonic() < give_up_at:
        await asyncio.sleep(0.25 + random.uniform(0, 3.0))
        try:
            await phone.connect(timeout=30.0)  # a browser waits for the handshake too
            return time.perf_counter()
        except (ConnectionRefusedError, ConnectionResetError) as exc:
            if isinstance(exc, ConnectionRefusedError):
                surge.refused += 1
                continue
            reason = type(exc).__name__
        except InvalidStatus as exc:
            reason = f"HTTP {exc.response.status_code}"
        except Exception as exc:  # timeouts, closed before the snapshot, …
            reason = type(exc).__name__
        surge.failed += 1
        surge.failures[reason] = surge.failures.get(reason, 0) + 1
    return None


async def run_surge(servers: list[Server], rooms: list[RoomInfo]) -> dict:
    from websockets.exceptions import ConnectionClosed

    target = project_target(servers)
    stats = Stats()
    phones = []
    for info in rooms:
        room = LiveRoom(info)
        for i in range(PHONES_PER_ROOM):
            url, headers = target.phone_url(room, i)
            phones.append(Phone(room, url, headers, stats))
    connect_seconds, _ = await connect_all(phones)
    await asyncio.sleep(2)  # let the presence pushes of the first connect settle
    surge = SurgeStats()
    give_up_at = time.monotonic() + 60

    async def life(phone: Phone) -> float | None:
        try:
            async for _ in phone.ws:
                pass
        except ConnectionClosed:
            pass
        phone.back.clear()
        return await reconnecting(phone, surge, give_up_at)

    lives = [asyncio.create_task(life(p)) for p in phones]
    killed = time.perf_counter()
    for server in servers:
        server.kill()
    for server in servers:
        server.start(wait=False)
    startup = await asyncio.to_thread(lambda: max(s.wait_ready() for s in servers))
    ready = time.perf_counter()
    back = await asyncio.gather(*lives)
    missing = sum(1 for t in back if t is None)
    done = [t for t in back if t is not None]
    await asyncio.gather(*(p.close() for p in phones), return_exceptions=True)
    return {
        "rooms": len(rooms),
        "phones": len(phones),
        "first_connect_s": connect_seconds,
        "server_restart_s": startup,
        "all_back_s": (max(done) - killed) if done and not missing else float("nan"),
        "back_after_ready_s": (max(done) - ready) if done and not missing else float("nan"),
        "not_back": missing,
        "loadavg": os.getloadavg()[0],
        "failed_connects": surge.failed,
        "failure_kinds": surge.failures,
        "refused_while_down": surge.refused,
        "peak_rss_mb": [round(s.peak_rss_mb(), 1) for s in servers],
    }
