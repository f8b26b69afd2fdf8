"""The phones and laptops bench/faults.py drives through its faults: phones that reconnect as
room.js does and record every push, facilitators that press Next/Back, and the tally of their
commands."""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from bench.load_setup import HOST, REVISION_RE, SEQ_RE, RoomInfo

PUSH_WINDOW = 5.0  # seconds: a step change not on an open socket by then is a lost push
NOTICE = 'id="db-notice"'


@dataclass
class Phone:
    room: Room
    session: str
    seq: int = -1
    notice: bool = False
    received: dict = field(default_factory=dict)  # seq -> when its step change arrived
    open_since: float | None = None
    closed: list = field(default_factory=list)  # (from, to) without a socket
    down_since: float | None = None
    ws: object = None

    async def live(self, port: int, stop: asyncio.Event) -> None:
        from websockets.asyncio.client import connect

        failures = outages = 0
        while not stop.is_set():
            code = None
            try:
                async with connect(
                    f"ws://{HOST}:{port}/ws/rooms/{self.room.info.id}/",
                    additional_headers={
                        "Cookie": f"sessionid={self.session}",
                        "Origin": f"http://{HOST}:{port}",
                    },
                    open_timeout=30, ping_interval=None, compression=None, max_size=None,
                ) as ws:  # fmt: skip
                    self.ws = ws
                    async for message in ws:
                        self.on_message(message)
                    code = ws.close_code
            except Exception as error:  # refused, reset, closed: as a browser, try again
                code = getattr(getattr(error, "rcvd", None), "code", None)
            if self.open_since is not None:
                self.open_since = None
                self.down_since = time.monotonic()
            failures += 1
            if code == 1013:
                outages += 1
                delay = 1.0 + random.uniform(0, min(9.0, 2.0 ** (outages - 1)))
            else:
                delay = 0.25 + random.uniform(0, min(3.0, 0.5 * 2**failures))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)

    def on_message(self, message: str) -> None:
        now = time.monotonic()
        if NOTICE in message[:300]:
            self.notice = True
            return
        match = SEQ_RE.search(message, 0, 400)
        if match is None:
            return
        self.notice = False  # a snapshot or a push: the notice is gone from the screen
        if 'id="room-step"' not in message:
            return
        if self.open_since is None:  # the snapshot after (re)connecting
            self.open_since = now
            if self.down_since is not None:
                self.closed.append((self.down_since, now))
                self.down_since = None
        seq = int(match.group(1))
        self.received.setdefault(seq, now)
        self.seq = max(self.seq, seq)


@dataclass
class Room:
    info: RoomInfo
    revision: int = 0
    seq: int = 0
    csrf: str = ""
    phones: list = field(default_factory=list)
    applied: list = field(default_factory=list)  # (seq, when)


@dataclass
class Tally:
    answered: int = 0
    failed: dict = field(default_factory=dict)  # reason -> count
    stale: int = 0
    failed_at: list = field(default_factory=list)  # when (monotonic), for the timeline

    def fail(self, reason: str) -> None:
        self.failed[reason] = self.failed.get(reason, 0) + 1
        self.failed_at.append(time.monotonic())


async def http(port: int, method: str, path: str, headers: dict, body: bytes = b""):
    """One request on a connection of its own (Connection: close)."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), 10)
    try:
        head = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}", "Connection: close"]
        head += [f"{k}: {v}" for k, v in headers.items()]
        head.append(f"Content-Length: {len(body)}")
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        raw = await asyncio.wait_for(reader.read(-1), 30)
    finally:
        writer.close()
    if not raw:
        raise ConnectionResetError("closed without an answer")
    head, _, text = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    cookies = [
        v for k, _, v in (line.partition(": ") for line in lines[1:]) if k.lower() == "set-cookie"
    ]
    if b"chunked" in head.lower():
        text = dechunk(text)
    return status, cookies, text.decode("utf-8", "replace")


def dechunk(data: bytes) -> bytes:
    out = b""
    while data:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.strip() or b"0", 16)
        if size == 0:
            break
        out, data = out + data[:size], data[size + 2 :]
    return out


async def open_laptop(room: Room, port: int) -> None:
    cookie = f"sessionid={room.info.facilitator_session}"
    status, cookies, body = await http(port, "GET", f"/r/{room.info.id}/", {"Cookie": cookie})
    if status != 200:
        raise RuntimeError(f"facilitator page: HTTP {status}")
    for value in cookies:
        if value.startswith("csrftoken="):
            room.csrf = value.split(";", 1)[0].split("=", 1)[1]
    room.revision = int(REVISION_RE.search(body).group(1))
    room.seq = int(SEQ_RE.search(body).group(1))


async def drive(room: Room, port: int, running: asyncio.Event, stop: asyncio.Event, tally: Tally):
    name = "next"
    while not stop.is_set():
        await asyncio.sleep(random.uniform(0.5, 1.5))
        await running.wait()
        headers = {
            "Cookie": f"sessionid={room.info.facilitator_session}; csrftoken={room.csrf}",
            "X-CSRFToken": room.csrf,
            "HX-Request": "true",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        body = urlencode({"revision": room.revision}).encode()
        try:
            status, _, text = await http(
                port, "POST", f"/r/{room.info.id}/do/{name}/", headers, body
            )
        except Exception as error:
            tally.fail(type(error).__name__)
            await resync_laptop(room, port)
            continue
        if status == 204:
            room.revision, room.seq = room.revision + 1, room.seq + 1
        elif status in (200, 409):
            room.revision = int(REVISION_RE.search(text).group(1))
            room.seq = int(SEQ_RE.search(text).group(1))
        if status in (200, 204):
            tally.answered += 1
            room.applied.append((room.seq, time.monotonic()))
            name = "back" if name == "next" else "next"
        elif status == 409:
            tally.stale += 1
        else:
            tally.fail(f"HTTP {status}")


async def resync_laptop(room: Room, port: int) -> None:
    """What a person does after an error: look at the page again."""
    for _ in range(20):
        try:
            await open_laptop(room, port)
            return
        except Exception:
            await asyncio.sleep(0.5)
