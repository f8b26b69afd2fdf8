"""What the benches share: a fresh database with rooms and sessions, Daphne processes to start,
measure and stop, and a small keep-alive HTTP client (moved out of room_load.py)."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
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


def latency_figures(latencies: list[float]) -> dict:
    """p50/p95/p99/max in ms of latencies in seconds (nearest rank; nan when there are none)."""
    lat = sorted(latencies)

    def pct(p: float) -> float:
        if not lat:
            return float("nan")
        return lat[min(len(lat) - 1, int(round(p / 100 * (len(lat) - 1))))] * 1000

    return {
        "p50_ms": pct(50),
        "p95_ms": pct(95),
        "p99_ms": pct(99),
        "max_ms": lat[-1] * 1000 if lat else float("nan"),
    }
