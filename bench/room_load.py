"""Load test of the live room: R rooms × 8 phones, facilitators pressing Next/Back over HTTP.

    .venv/bin/python bench/room_load.py --rooms 10 50 100 200 --layer memory --processes 1
    .venv/bin/python bench/room_load.py --rooms 100 --layer redis --processes 2 \
        --redis-url redis://127.0.0.1:6390/0 --database-url postgres://u:pw@127.0.0.1:5432/postgres

Everything runs on 127.0.0.1 and stops by itself (every phase is bounded in time).

1. Setup: a fresh database (a temporary SQLite file, or a new database on the PostgreSQL server
   of --database-url, dropped at the end), migrated; per room a group of 9 users, a meeting and a
   Roddelmodel room opened with sessions_app.opening.open_room and started; Django sessions are
   created directly (no login requests), their keys used as `sessionid` cookies.
2. Per R: Daphne process(es) are started for the project (fresh, so their peak RSS is per R;
   `--websocket_timeout 86400 --websocket_connect_timeout 30` as in docs/deploy.md);
   8 phones per room connect (Origin header for AllowedHostsOriginValidator); each facilitator
   posts /r/<room>/do/next|back/ (CSRF cookie + X-CSRFToken) at random moments, about once a
   second. Latency = from sending the POST until EVERY phone of the room has received the push
   whose `data-seq` is the new one (and which carries the step fragment).
3. The same fan-out and message size against two references: (a) a raw `websockets` broadcast
   server (bench/ref_websockets_server.py), (b) a bare Channels consumer on Daphne that only
   forwards a pre-rendered fragment to a group (bench/ref_channels/), triggered over HTTP.
4. Reconnect surge: --surge-rooms rooms × 8 phones connected, the Daphne process(es) killed
   (SIGKILL) and restarted at once; phones reconnect like the browser (250 ms + random up to
   3 s, again after every failure) and the time until all are back is reported, with failures.

Prints one table per phase and, with --json, writes all figures to a file.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

PHONES_PER_ROOM = 8
HOST = "127.0.0.1"
SEQ_RE = re.compile(r'data-seq="(\d+)"')
REVISION_RE = re.compile(r'data-revision="(\d+)"')
WAIT_FOR_PHONES = 5.0  # a push that has not reached every phone by then counts as lost
STARTUP_TIMEOUT = 30.0

# ---- Setup (Django ORM, in this process, before any server starts) ----------------------------


@dataclass
class RoomInfo:
    id: str
    facilitator_session: str
    phone_sessions: list[str]
    # RoomMember pks: the facilitator's, then one per phone (the first phone is the inbrenger's).
    member_ids: list[int] = field(default_factory=list)


def prepare_database(database_url: str | None, workdir: Path) -> tuple[str, callable]:
    """A fresh database URL, and a function that removes it afterwards."""
    if not database_url:
        path = workdir / "bench.sqlite3"
        return f"sqlite:///{path}", lambda: None
    import psycopg

    parts = urlsplit(database_url)
    name = f"intervisie_bench_{os.getpid()}"
    admin_url = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))

    def execute(sql: str) -> None:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(sql)

    execute(f'DROP DATABASE IF EXISTS "{name}"')
    execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), lambda: execute(
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    )


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["REDIS_URL"] = ""  # setup pushes go nowhere: no server is listening yet
    os.environ["DEBUG"] = "0"
    os.environ["INTERVISIE_FAST_PASSWORD_HASHING"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intervisie.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def create_rooms(
    count: int, method_slug: str = "roddelmodel", steps_in=lambda r: 0
) -> list[RoomInfo]:
    """Per room: 9 users in a group, a meeting, a started room (the Roddelmodel unless
    `method_slug` says otherwise) moved on `steps_in(r)` steps, 9 sessions."""
    from datetime import timedelta

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from django.utils import timezone

    from cases.models import Case
    from groups.models import Group, Meeting, Membership
    from methods.models import Method
    from sessions_app import services
    from sessions_app.opening import open_room

    method = Method.objects.get(slug=method_slug)
    password = make_password(None)
    rooms = []
    for r in range(count):
        with transaction.atomic():
            users = User.objects.bulk_create(
                User(
                    username=f"b{r}u{i}",
                    first_name=f"Persoon{i}",
                    last_name=f"Kamer{r}",
                    password=password,
                )
                for i in range(PHONES_PER_ROOM + 1)
            )
            users = list(User.objects.filter(username__startswith=f"b{r}u").order_by("pk"))
            group = Group.objects.create(name=f"Bench-groep {r}")
            Membership.objects.bulk_create(Membership(group=group, user=u) for u in users)
            meeting = Meeting.objects.create(
                group=group, starts_at=timezone.now() + timedelta(minutes=5), duration_minutes=90
            )
            case = Case.objects.create(
                group=group,
                owner=users[1],
                title="Overdracht",
                working_question="Hoe kan ik zorgen dat mijn overdracht gelezen wordt?",
            )
            room = open_room(
                meeting,
                {
                    "present": users,
                    "method": method,
                    "case": case,
                    "facilitator": users[0],
                    "inbrenger": users[1],
                    "note_taker": None,
                    "timekeeper": None,
                    "observers": [],
                },
            )
            keys = []
            for user in users:
                session = SessionStore()
                session[SESSION_KEY] = str(user.pk)
                session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
                session[HASH_SESSION_KEY] = user.get_session_auth_hash()
                session.create()
                keys.append(session.session_key)
        room = services.run_command(room.pk, users[0], "start", 1).room
        for _ in range(steps_in(r)):
            room = services.run_command(room.pk, users[0], "next", room.revision).room
        by_user = dict(room.members.values_list("user_id", "pk"))
        rooms.append(RoomInfo(str(room.pk), keys[0], keys[1:], [by_user[u.pk] for u in users]))
    return rooms


# ---- Server processes ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """A subprocess that serves on 127.0.0.1:port; killed, restarted and measured by the bench."""

    def __init__(self, name: str, argv: list[str], env: dict, probe: str | None, log: Path):
        self.name, self.argv, self.env, self.probe, self.log = name, argv, env, probe, log
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self, wait: bool = True) -> None:
        argv = [a.replace("{port}", str(self.port)) for a in self.argv]
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                argv, cwd=BASE_DIR, env=self.env, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        if wait:
            self.wait_ready()

    def wait_ready(self) -> float:
        started = time.monotonic()
        deadline = started + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with {self.proc.returncode}; see {self.log}"
                )
            try:
                if self.probe:
                    with urllib.request.urlopen(self.url + self.probe, timeout=2):
                        return time.monotonic() - started
                else:
                    with socket.create_connection((HOST, self.port), timeout=1):
                        return time.monotonic() - started
            except (urllib.error.URLError, OSError):
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{self.name} did not start within {STARTUP_TIMEOUT}s; see {self.log}")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)

    def peak_rss_mb(self) -> float:
        """VmHWM: the process's peak resident set size over its life."""
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
        except (OSError, AttributeError):
            return float("nan")
        match = re.search(r"VmHWM:\s+(\d+) kB", status)
        return int(match.group(1)) / 1024 if match else float("nan")

    def cpu_seconds(self) -> float:
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, AttributeError):
            return float("nan")
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def daphne(name: str, env: dict, log: Path, app: str = "intervisie.asgi:application") -> Server:
    argv = [
        sys.executable, "-m", "intervisie.serve", "--bind", HOST, "--port", "{port}",
        "--websocket_timeout", "86400", "--websocket_connect_timeout", "30",
        "--access-log", os.devnull, app,
    ]  # fmt: skip
    probe = "/time/" if app.startswith("intervisie") else None
    return Server(name, argv, env, probe, log)


# ---- A tiny keep-alive HTTP/1.1 client (one connection per facilitator) -------------------------


class Http:
    def __init__(self, port: int):
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, headers: dict, body: bytes = b""):
        for attempt in (1, 2):
            try:
                if self.writer is None:
                    self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
                lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{self.port}"]
                lines += [f"{k}: {v}" for k, v in headers.items()]
                lines.append(f"Content-Length: {len(body)}")
                self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
                return await self._response()
            except (OSError, asyncio.IncompleteReadError, ValueError):
                await self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _response(self):
        status_line = await self.reader.readuntil(b"\r\n")
        status = int(status_line.split()[1])
        headers: list[tuple[str, str]] = []
        while (line := await self.reader.readuntil(b"\r\n")) != b"\r\n":
            key, _, value = line.decode("latin-1").partition(":")
            headers.append((key.strip().lower(), value.strip()))
        names = dict(headers)
        if names.get("transfer-encoding") == "chunked":
            body = b""
            while size := int((await self.reader.readuntil(b"\r\n")).strip(), 16):
                body += await self.reader.readexactly(size + 2)
                body = body[:-2]
            await self.reader.readuntil(b"\r\n")
        else:
            body = await self.reader.readexactly(int(names.get("content-length", 0)))
        if names.get("connection") == "close":
            await self.close()
        return status, headers, body.decode("utf-8", "replace")

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


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
        lat = sorted(self.latencies)

        def pct(p: float) -> float:
            if not lat:
                return float("nan")
            return lat[min(len(lat) - 1, int(round(p / 100 * (len(lat) - 1))))] * 1000

        return {
            "commands": len(lat),
            "p50_ms": pct(50),
            "p95_ms": pct(95),
            "p99_ms": pct(99),
            "max_ms": lat[-1] * 1000 if lat else float("nan"),
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


# ---- Main ---------------------------------------------------------------------------------------


def fmt(value, digits: int = 1) -> str:
    if isinstance(value, list):
        return "/".join(fmt(v, digits) for v in value)
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def guarded(name: str, rooms: int, coroutine) -> dict:
    """Run one phase; a phase that breaks down is reported, not fatal to the whole run."""
    try:
        return asyncio.run(coroutine)
    except Exception as exc:
        print(f"  {name}: phase failed: {exc!r}", flush=True)
        return {"target": name, "rooms": rooms, "error": repr(exc)}


def print_row(result: dict, floor: dict | None = None) -> None:
    if "error" in result:
        print(f"  {result['target']:<15} R={result['rooms']:<4} FAILED: {result['error']}")
        return
    ratio = ""
    if floor and "error" not in floor and result is not floor:
        ratio = f"  p95 ×{result['p95_ms'] / floor['p95_ms']:.2f} of bare channels"
    print(
        f"  {result['target']:<15} R={result['rooms']:<4} phones={result['phones']:<5} "
        f"connect={fmt(result['connect_s'], 2)}s ({result['connect_failures']} failed)  "
        f"p50={fmt(result['p50_ms'])} "
        f"p95={fmt(result['p95_ms'])} p99={fmt(result['p99_ms'])} ms  "
        f"msgs/s={fmt(result['msgs_per_s'], 0)}  rss={fmt(result['peak_rss_mb'])} MB  "
        f"cpu={fmt(result['server_cpu'], 2)} ({fmt(result['cpu_ms_per_command'])} ms/cmd)  "
        f"n={result['commands']} lost={result['lost']} "
        f"stale={result['stale']} err={result['errors']} missed={result['missed']} "
        f"load={result['loadavg']:.1f}{ratio}",
        flush=True,
    )


def realistic_phase(args, rooms: list[RoomInfo], env, ref_env, workdir, spread) -> list:
    """The project, then bare Channels with the project's message sizes (bench/realistic.py)."""
    from bench import realistic

    count = args.rooms[0]
    subset = rooms[:count]
    print(f"\nrealistic phase: R={count} rooms × 9 screens, time ×{args.time_scale}", flush=True)
    servers = [
        daphne(f"project-{i}", env, workdir / f"project-{i}.log") for i in range(args.processes)
    ]
    for s in servers:
        s.start()
    try:
        target = realistic.ProjectTarget(servers, spread)
        project = guarded("project", count, realistic.run_realistic(target, servers, subset, args))
    finally:
        for s in servers:
            s.stop()
    phase = [project]
    if not args.no_refs:
        sizes = {k: int(v["msg_bytes"] or 4000) for k, v in project.get("kinds", {}).items()}
        ref_servers = [
            daphne(f"ref-channels-{i}", ref_env, workdir / f"ref-channels-{i}.log",
                   app="bench.ref_channels.asgi:application")
            for i in range(args.processes)
        ]  # fmt: skip
        for s in ref_servers:
            s.start()
        try:
            target = realistic.ReferenceTarget(ref_servers, spread, sizes)
            phase.append(
                guarded(
                    "bare channels",
                    count,
                    realistic.run_realistic(target, ref_servers, subset, args),
                )
            )
        finally:
            for s in ref_servers:
                s.stop()
    floor = phase[1] if len(phase) > 1 else None
    for result in phase:
        realistic.print_realistic(result, floor)
    return phase


def main() -> int:
    parser = argparse.ArgumentParser(description="Load test of the live room (see the docstring).")
    parser.add_argument("--rooms", type=int, nargs="+", default=[10, 50, 100, 200])
    parser.add_argument("--layer", choices=["memory", "redis"], default="memory")
    parser.add_argument("--processes", type=int, choices=[1, 2], default=1)
    parser.add_argument(
        "--redis-url", default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6390/0"
    )
    parser.add_argument(
        "--database-url", default="", help="a PostgreSQL server URL (default: SQLite)"
    )
    parser.add_argument(
        "--duration", type=float, default=20.0, help="seconds of commands per phase"
    )
    parser.add_argument("--warmup", type=float, default=3.0, help="first seconds not timed")
    parser.add_argument("--surge-rooms", type=int, default=100, help="0: no reconnect surge")
    parser.add_argument(
        "--commands-to",
        choices=["a", "spread"],
        default="a",
        help="with 2 processes: every facilitator posts to process A (a), or each room's "
        "facilitator to one process, as a balancing proxy would (spread)",
    )
    parser.add_argument("--no-refs", action="store_true", help="skip the two references")
    parser.add_argument("--json", type=Path, help="write all figures to this file")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--realistic",
        action="store_true",
        help="the realistic phase (bench/realistic.py) instead of Next/Back every second",
    )
    parser.add_argument(
        "--time-scale", type=float, default=10.0, help="realistic phase: ×N faster than life"
    )
    parser.add_argument(
        "--calibrate-events", type=int, default=100, help="realistic phase: events per kind"
    )
    parser.add_argument(
        "--calibrate-rate", type=float, default=20.0, help="realistic phase: their rate (/s)"
    )
    args = parser.parse_args()
    if args.realistic and len(args.rooms) != 1:
        parser.error("the realistic phase runs one --rooms value (the rooms walk their method)")
    if args.processes == 2 and args.layer != "redis":
        parser.error("two processes need the Redis channel layer (--layer redis)")
    random.seed(args.seed)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))

    workdir = Path(tempfile.mkdtemp(prefix="intervisie-bench-"))
    database_url, drop_database = prepare_database(args.database_url, workdir)
    print(
        f"bench: layer={args.layer} processes={args.processes} commands-to={args.commands_to} "
        f"db={database_url.split('@')[-1]}"
    )
    started = time.monotonic()
    setup_django(database_url)
    if args.realistic:
        from bench.realistic import create_busy_rooms

        rooms = create_busy_rooms(max([*args.rooms, args.surge_rooms]))
    else:
        rooms = create_rooms(max([*args.rooms, args.surge_rooms]))
    print(f"setup: {len(rooms)} rooms in {time.monotonic() - started:.1f}s (logs in {workdir})")

    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_ALLOW")}
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=args.redis_url if args.layer == "redis" else "",
        INTERVISIE_FAST_PASSWORD_HASHING="1",
        DEBUG="0",
        PYTHONUNBUFFERED="1",
        DJANGO_SETTINGS_MODULE="intervisie.settings",
    )
    ref_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.ref_channels.settings"}
    spread = args.commands_to == "spread"
    results: dict = {"config": vars(args) | {"json": str(args.json)}, "phases": [], "surge": None}
    try:
        if args.realistic:
            results["realistic"] = realistic_phase(args, rooms, env, ref_env, workdir, spread)
        for count in [] if args.realistic else args.rooms:
            subset = rooms[:count]
            print(f"\nR={count} rooms × {PHONES_PER_ROOM} phones", flush=True)
            servers = [
                daphne(f"project-{i}", env, workdir / f"project-{i}.log")
                for i in range(args.processes)
            ]
            for s in servers:
                s.start()
            try:
                project = guarded(
                    "project",
                    count,
                    run_phase(project_target(servers, spread), subset, args.duration, args.warmup),
                )
            finally:
                for s in servers:
                    s.stop()
            phase = [project]
            if not args.no_refs:
                size = int(project.get("avg_step_msg_bytes") or 4200)
                ref_servers = [
                    daphne(f"ref-channels-{i}", {**ref_env, "BENCH_SIZE": str(size)},
                           workdir / f"ref-channels-{i}.log",
                           app="bench.ref_channels.asgi:application")
                    for i in range(args.processes)
                ]  # fmt: skip
                for s in ref_servers:
                    s.start()
                try:
                    phase.append(
                        guarded(
                            "bare channels",
                            count,
                            run_phase(
                                ref_channels_target(ref_servers, spread),
                                subset,
                                args.duration,
                                args.warmup,
                            ),
                        )
                    )
                finally:
                    for s in ref_servers:
                        s.stop()
                raw = Server(
                    "ref-websockets",
                    [sys.executable, "bench/ref_websockets_server.py", "--port", "{port}",
                     "--size", str(size)],
                    env, None, workdir / "ref-websockets.log",
                )  # fmt: skip
                raw.start()
                try:
                    phase.append(
                        guarded(
                            "raw websockets",
                            count,
                            run_phase(
                                ref_websockets_target(raw), subset, args.duration, args.warmup
                            ),
                        )
                    )
                finally:
                    raw.stop()
            floor = next((r for r in phase if r["target"] == "bare channels"), None)
            for result in phase:
                print_row(result, floor)
            if floor and all("error" not in r for r in phase):
                for result in phase:
                    result["p95_vs_bare_channels"] = result["p95_ms"] / floor["p95_ms"]
                raw_p95 = phase[-1]["p95_ms"]
                project["p95_vs_raw_websockets"] = project["p95_ms"] / raw_p95
                print(
                    f"  project p95 = {project['p95_vs_bare_channels']:.2f}× bare channels, "
                    f"{project['p95_vs_raw_websockets']:.2f}× raw websockets; "
                    f"avg step push {project['avg_step_msg_bytes']:.0f} bytes",
                    flush=True,
                )
            results["phases"].append(phase)
        if args.surge_rooms:
            print(
                f"\nreconnect surge: {args.surge_rooms} rooms × {PHONES_PER_ROOM} phones",
                flush=True,
            )
            servers = [
                daphne(f"surge-{i}", env, workdir / f"surge-{i}.log") for i in range(args.processes)
            ]
            for s in servers:
                s.start()
            try:
                surge = guarded(
                    "surge", args.surge_rooms, run_surge(servers, rooms[: args.surge_rooms])
                )
            finally:
                for s in servers:
                    s.stop()
            results["surge"] = surge
            if "error" not in surge:
                print(
                    f"  all back in {fmt(surge['all_back_s'], 2)}s after the kill (restart took "
                    f"{fmt(surge['server_restart_s'], 2)}s; all back "
                    f"{fmt(surge['back_after_ready_s'], 2)}s after it answered); "
                    f"not back: {surge['not_back']}; load={surge['loadavg']:.1f}; "
                    f"failed connects: {surge['failed_connects']} {surge['failure_kinds'] or ''}; "
                    f"refused while down: {surge['refused_while_down']}; "
                    f"rss={fmt(surge['peak_rss_mb'])} MB",
                    flush=True,
                )
    finally:
        from django.db import connections

        connections.close_all()
        drop_database()
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
