"""room_load.py's phones, facilitators and what they measure: phones that count pushes by seq,
facilitators that press Next/Back, the statistics of a phase and the phase itself."""

from __future__ import annotations

import asyncio
import os
import random
import time
from dataclasses import dataclass, field

from bench.load_setup import (
    PHONES_PER_ROOM,
    REVISION_RE,
    SEQ_RE,
    WAIT_FOR_PHONES,
    Http,
    RoomInfo,
    Server,
    latency_figures,
)

# ---- Phones, facilitators and what they measure -------------------------------------------------


@dataclass
class Waiter:
    seq: int
    remaining: int
    future: asyncio.Future


@dataclass
class LiveRoom:
    info: RoomInfo
    revision: int = 0
    seq: int = 0
    waiter: Waiter | None = None
    trigger: object = None  # the reference websockets server's trigger socket
    http: Http | None = None
    csrf: str = ""


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    messages: int = 0
    bytes: int = 0
    step_messages: int = 0
    step_bytes: int = 0
    lost: int = 0
    stale: int = 0
    errors: int = 0
    missed: int = 0  # a phone saw a newer seq without the one it waited for (dropped push)
    applied: int = 0  # commands the server applied, warm-up included (for CPU per command)

    def summary(self) -> dict:
        return {
            "commands": len(self.latencies),
            **latency_figures(self.latencies),
            "lost": self.lost,
            "stale": self.stale,
            "errors": self.errors,
            "missed": self.missed,
        }


class Phone:
    def __init__(self, room: LiveRoom, url: str, headers: dict, stats: Stats):
        self.room, self.url, self.headers, self.stats = room, url, headers, stats
        self.last_seq = -1
        self.ws = None
        self.back = asyncio.Event()

    async def connect(self, timeout: float = 30.0) -> None:
        from websockets.asyncio.client import connect

        self.ws = await connect(
            self.url, additional_headers=self.headers, compression=None, max_size=None,
            ping_interval=None, open_timeout=timeout, close_timeout=1,
        )  # fmt: skip
        snapshot = await asyncio.wait_for(self.ws.recv(), timeout)
        self.on_message(snapshot, counting=False)
        self.back.set()

    def on_message(self, message: str, counting: bool = True) -> None:
        if counting:
            self.stats.messages += 1
            self.stats.bytes += len(message)
        match = SEQ_RE.search(message, 0, 400)
        if match is None or 'id="room-step"' not in message:
            return  # presence, timer… pushes: not the step change we time
        seq = int(match.group(1))
        if seq <= self.last_seq:
            return
        self.last_seq = seq
        if counting:
            self.stats.step_messages += 1
            self.stats.step_bytes += len(message)
        waiter = self.room.waiter
        if waiter is None:
            return
        if seq == waiter.seq:
            waiter.remaining -= 1
            if waiter.remaining == 0 and not waiter.future.done():
                waiter.future.set_result(time.perf_counter())
        elif seq > waiter.seq:
            self.stats.missed += 1

    async def listen(self) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            async for message in self.ws:
                self.on_message(message)
        except ConnectionClosed:
            pass

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


async def connect_all(phones: list[Phone], concurrency: int = 16) -> tuple[float, int]:
    """Connect every phone (at most `concurrency` handshakes at once), retrying a refused or
    dropped handshake after a jittered pause like the browser does. Returns (seconds for all,
    failed attempts)."""
    gate = asyncio.Semaphore(concurrency)
    failures = 0
    give_up_at = time.monotonic() + 180

    async def one(phone: Phone) -> None:
        nonlocal failures
        while True:
            try:
                async with gate:
                    await phone.connect()
                return
            except Exception:
                failures += 1
                if time.monotonic() > give_up_at:
                    raise
                await asyncio.sleep(0.25 + random.uniform(0, 3.0))

    started = time.perf_counter()
    await asyncio.gather(*(one(p) for p in phones))
    return time.perf_counter() - started, failures


async def project_login(room: LiveRoom, port: int) -> None:
    """The facilitator's page: the CSRF cookie and the revision the room is at."""
    room.http = Http(port)
    status, headers, body = await room.http.request(
        "GET", f"/r/{room.info.id}/", {"Cookie": f"sessionid={room.info.facilitator_session}"}
    )
    if status != 200:
        raise RuntimeError(f"facilitator page: HTTP {status}")
    for key, value in headers:
        if key == "set-cookie" and value.startswith("csrftoken="):
            room.csrf = value.split(";", 1)[0].split("=", 1)[1]
    room.revision = int(REVISION_RE.search(body).group(1))
    room.seq = int(SEQ_RE.search(body).group(1))


async def project_command(room: LiveRoom, name: str) -> tuple[int, str]:
    return (
        await room.http.request(
            "POST",
            f"/r/{room.info.id}/do/{name}/",
            {
                "Cookie": f"sessionid={room.info.facilitator_session}; csrftoken={room.csrf}",
                "X-CSRFToken": room.csrf,
                "HX-Request": "true",
                "Content-Type": "application/x-www-form-urlencoded",
            },
            f"revision={room.revision}".encode(),
        )
    )[::2]


async def ref_channels_command(room: LiveRoom, name: str) -> tuple[int, str]:
    status, _, body = await room.http.request(
        "POST",
        f"/trigger/{room.info.id}/",
        {"Content-Type": "application/x-www-form-urlencoded"},
        f"seq={room.seq + 1}".encode(),
    )
    return status, body


async def ref_websockets_command(room: LiveRoom, name: str) -> tuple[int, str]:
    await room.trigger.send(str(room.seq + 1))
    seq = await room.trigger.recv()
    return 200, f'data-seq="{seq}" data-revision="{seq}"'


async def drive(room: LiveRoom, command, stop_at: float, warm_until: float, stats: Stats) -> None:
    """The facilitator: Next, Back, Next… at random moments, about once a second."""
    loop = asyncio.get_running_loop()
    name = "next"
    await asyncio.sleep(random.uniform(0, 1.0))
    while time.monotonic() < stop_at:
        await asyncio.sleep(random.uniform(0.5, 1.5))
        waiter = Waiter(room.seq + 1, PHONES_PER_ROOM, loop.create_future())
        room.waiter = waiter
        sent = time.perf_counter()
        try:
            status, body = await command(room, name)
        except OSError:
            stats.errors += 1
            room.waiter = None
            continue
        if status == 204:
            # Accepted: the push brings the new state; nothing else moves these in the bench.
            room.seq += 1
            room.revision += 1
        meta_seq = SEQ_RE.search(body)
        meta_revision = REVISION_RE.search(body)
        if meta_seq:
            room.seq = int(meta_seq.group(1))
        if meta_revision:
            room.revision = int(meta_revision.group(1))
        if status == 409:
            stats.stale += 1
            room.waiter = None
            continue
        if status not in (200, 204) or room.seq != waiter.seq:
            stats.errors += 1
            room.waiter = None
            continue
        stats.applied += 1
        try:
            done = await asyncio.wait_for(asyncio.shield(waiter.future), WAIT_FOR_PHONES)
            if sent >= warm_until:
                stats.latencies.append(done - sent)
        except TimeoutError:
            stats.lost += 1
        room.waiter = None
        name = "back" if name == "next" else "next"


@dataclass
class Target:
    """One system under test: how phones connect and how a facilitator triggers a push."""

    name: str
    servers: list[Server]
    phone_url: callable  # (room, phone index) -> (url, headers)
    prepare: callable  # async (room) -> None
    command: callable


async def run_phase(target: Target, rooms: list[RoomInfo], duration: float, warmup: float) -> dict:
    stats = Stats()
    live = [LiveRoom(info) for info in rooms]
    phones = []
    for room in live:
        for i in range(PHONES_PER_ROOM):
            url, headers = target.phone_url(room, i)
            phones.append(Phone(room, url, headers, stats))
    connect_seconds, connect_failures = await connect_all(phones)
    listeners = [asyncio.create_task(p.listen()) for p in phones]
    await asyncio.gather(*(target.prepare(room) for room in live))
    cpu_before = [s.cpu_seconds() for s in target.servers]
    started = time.monotonic()
    warm_until = time.perf_counter() + warmup
    counted_from = stats.messages
    await asyncio.gather(
        *(drive(room, target.command, started + duration, warm_until, stats) for room in live)
    )
    elapsed = time.monotonic() - started
    cpu = [
        (s.cpu_seconds() - before) / elapsed
        for s, before in zip(target.servers, cpu_before, strict=True)
    ]
    await asyncio.gather(*(p.close() for p in phones), return_exceptions=True)
    for task in listeners:
        task.cancel()
    for room in live:
        if room.http:
            await room.http.close()
        if room.trigger:
            await room.trigger.close()
    result = stats.summary()
    result.update(
        loadavg=os.getloadavg()[0],
        target=target.name,
        rooms=len(rooms),
        phones=len(phones),
        connect_s=connect_seconds,
        connect_failures=connect_failures,
        msgs_per_s=(stats.messages - counted_from) / elapsed,
        # Server CPU per step change: what the machine's load does not distort (much).
        cpu_ms_per_command=(
            sum(c * elapsed for c in cpu) / stats.applied * 1000 if stats.applied else float("nan")
        ),
        avg_step_msg_bytes=stats.step_bytes / stats.step_messages if stats.step_messages else 0,
        peak_rss_mb=[round(s.peak_rss_mb(), 1) for s in target.servers],
        server_cpu=[round(c, 2) for c in cpu],
    )
    return result
