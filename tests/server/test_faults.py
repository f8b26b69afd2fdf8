"""Faults mid-meeting against real server processes: Redis restarting under a command, the
database unreachable, a process stopped with SIGTERM, a rolling restart of two processes.

The Redis and rolling-restart tests need PostgreSQL and Redis (INTERVISIE_TEST_DATABASE_URL,
INTERVISIE_TEST_REDIS_URL, as tests/server/test_scale_out.py) and `redis-server`; without them
they skip, except under CI, where they fail.
"""

import asyncio
import random
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid

import pytest

from .conftest import HOST, Person, base_env, free_port, in_ci, make_scenario, revision_of
from .proxy import Proxy
from .test_scale_out import postgres_and_redis  # noqa: F401 — a fixture

pytestmark = [pytest.mark.server, pytest.mark.asyncio]

PHONES_FOLLOW = "Telefoons worden bijgewerkt zodra de verbinding terug is."
SEQ = re.compile(r'data-seq="(\d+)"')


class RedisServer:
    """A Redis of the test's own on a free port, stopped and started as an operator would."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--bind", HOST, "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection((HOST, self.port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        pytest.fail("redis-server did not answer within 10 s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


@pytest.fixture
def own_redis(tmp_path):
    if shutil.which("redis-server") is None:
        message = "the Redis restart test needs redis-server (apt-get install redis-server)"
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    redis = RedisServer(tmp_path)
    redis.start()
    yield redis
    redis.stop()


class BrowserSocket:
    """A room's websocket as htmx keeps it: after a close it reconnects with a jittered delay
    (room.js: 250 ms plus up to 0.5–3 s), and it remembers what the room last showed it."""

    def __init__(self, person: Person, port: int, room: str):
        self.person, self.port, self.room = person, port, room
        self.seq = -1  # the newest data-seq received with the step fragment
        self.latest = ""  # that message
        self.close_codes: list[int | None] = []
        self.connects = 0
        self.closed_at: float | None = None
        self.gaps: list[float] = []  # seconds from a close to the next snapshot
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        from websockets.asyncio.client import connect
        from websockets.exceptions import ConnectionClosed

        failures = 0
        while True:
            try:
                async with connect(
                    f"ws://{HOST}:{self.port}/ws/rooms/{self.room}/",
                    additional_headers={
                        "Cookie": f"sessionid={self.person.session_key}",
                        "Origin": f"http://{HOST}:{self.port}",
                    },
                    open_timeout=10,
                ) as ws:
                    self.connects += 1
                    async for message in ws:
                        failures = 0
                        self._received(message)
                    self.close_codes.append(ws.close_code)
            except (OSError, ConnectionClosed, TimeoutError) as error:
                code = getattr(getattr(error, "rcvd", None), "code", None)
                self.close_codes.append(code)
                failures += 1
            if self.closed_at is None:
                self.closed_at = time.monotonic()
            await asyncio.sleep(0.25 + random.uniform(0, min(3.0, 0.5 * 2**failures)))

    def _received(self, message: str) -> None:
        match = SEQ.search(message)
        if match and 'id="room-step"' in message and int(match.group(1)) >= self.seq:
            self.seq, self.latest = int(match.group(1)), message
            if self.closed_at is not None:
                self.gaps.append(time.monotonic() - self.closed_at)
                self.closed_at = None

    async def shows(self, seq: int, text: str, timeout: float) -> float:
        """Seconds until this socket shows the room at `seq` (or later) with `text`."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.seq >= seq and text in self.latest:
                return time.monotonic() - started
            await asyncio.sleep(0.05)
        raise AssertionError(f"no snapshot with seq {seq} and {text!r} within {timeout} s")


def seq_of(html: str) -> int:
    return int(SEQ.search(html).group(1))


async def test_redis_restarting_under_next_the_room_moves_on_and_every_screen_catches_up(
    postgres_and_redis,  # noqa: F811
    own_redis,
    daphnes,
):
    database_url, _ = postgres_and_redis
    env = base_env(DATABASE_URL=database_url, REDIS_URL=own_redis.url, DEBUG="0")
    scenario = make_scenario({**env, "REDIS_URL": ""})
    room, steps = scenario["room"], scenario["steps"]
    (server,) = daphnes(env)
    anna = Person(scenario["sessions"]["anna"])
    page = anna.get(server, f"/r/{room}/")
    phone = BrowserSocket(Person(scenario["sessions"]["chantal"]), server.port, room)
    phone.start()
    try:
        await phone.shows(seq_of(page), steps[0], timeout=10)

        own_redis.stop()
        status, body = await asyncio.to_thread(
            anna.post, server, f"/r/{room}/do/next/", {"revision": revision_of(page)}
        )
        # Committed and answered as committed: the laptop gets the new step, and a quiet notice.
        assert status == 200, body
        assert steps[1] in body and PHONES_FOLLOW in body
        page = await asyncio.to_thread(anna.get, server, f"/r/{room}/")
        assert steps[1] in page and revision_of(page) == revision_of(body)

        own_redis.start()
        await phone.shows(seq_of(body), steps[1], timeout=10)
        # Its socket did drop with Redis (the process tells every socket to reconnect, 1012, or
        # Daphne closes the one whose read failed, 1011), and came back by itself.
        assert phone.close_codes[0] in (1011, 1012), phone.close_codes
    finally:
        await phone.stop()
        own_redis.stop()


async def test_with_the_database_unreachable_everything_says_even_geduld(daphnes):
    """A broken DATABASE_URL: PostgreSQL refuses every connection."""
    closed_port = free_port()
    env = base_env(
        DATABASE_URL=f"postgres://intervisie:x@{HOST}:{closed_port}/intervisie", DEBUG="0"
    )
    (server,) = daphnes(env)
    phone = Person("no-such-session")
    room = uuid.uuid4()

    def get(path: str, **headers) -> tuple[int, dict, str]:
        request = urllib.request.Request(
            server.url + path, headers={"Cookie": "sessionid=abc", **headers}
        )
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    status, headers, page = await asyncio.to_thread(get, f"/r/{room}/")
    assert status == 503 and headers["Retry-After"] == "5"
    assert "Even geduld" in page and "Server Error" not in page

    # The gate is closed now: the next answers come at once.
    started = time.monotonic()
    status, _, page = await asyncio.to_thread(get, "/", **{"Accept-Language": "en"})
    assert status == 503 and "One moment please" in page
    status, _, notice = await asyncio.to_thread(get, f"/r/{room}/mine/", **{"HX-Request": "true"})
    assert status == 503 and 'id="db-notice"' in notice and "niet opgeslagen" in notice
    assert time.monotonic() - started < 2

    snapshot = await phone.connect(server, str(room))
    assert 'id="db-notice"' in snapshot and "Even geduld" in snapshot
    from websockets.exceptions import ConnectionClosed

    with pytest.raises(ConnectionClosed):
        await asyncio.wait_for(phone.ws.recv(), 5)
    assert phone.ws.close_code == 1013  # try again later: the browser retries with backoff

    status, _, health = await asyncio.to_thread(get, "/healthz")
    assert status == 503
    assert health == "database: unreachable\nchannel layer: ok\n"


async def test_sigterm_ends_a_process_with_50_sockets_within_the_drain_time(tmp_path, daphnes):
    """Every socket is told to reconnect (1012), the commands in flight are answered, and the
    process is gone within DRAIN_TIMEOUT, also with request threads busy pushing (the hang)."""
    drain = 5.0
    env = base_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'drain.sqlite3'}",
        DRAIN_TIMEOUT=str(drain),
        # 50 sockets of a few scenario members: none may be closed as a member's surplus.
        ROOM_SOCKETS_PER_MEMBER="50",
    )
    scenario = make_scenario(env)
    room = scenario["room"]
    (server,) = daphnes(env)
    names = list(scenario["sessions"])
    people = [Person(scenario["sessions"][names[i % len(names)]]) for i in range(50)]
    await asyncio.gather(*(p.connect(server, room) for p in people))
    anna = Person(scenario["sessions"]["anna"])
    page = anna.get(server, f"/r/{room}/")

    answers: list[int] = []
    stop = threading.Event()

    def press_plus_one_minute() -> None:
        revision = revision_of(page)
        while not stop.is_set():
            try:
                status, body = anna.post(
                    server, f"/r/{room}/do/add_minute/", {"revision": revision}
                )
            except OSError:
                return  # no longer listening: the proxy would send this to a sibling
            answers.append(status)
            revision = revision + 1 if status == 204 else revision_of(body)

    presses = [threading.Thread(target=press_plus_one_minute) for _ in range(4)]
    for thread in presses:
        thread.start()
    await asyncio.sleep(1.0)

    started = time.monotonic()
    server.proc.send_signal(signal.SIGTERM)

    async def close_code(person: Person) -> int | None:
        try:
            while True:
                await person.ws.recv()
        except Exception:
            return person.ws.close_code

    codes = await asyncio.gather(*(close_code(p) for p in people))
    stop.set()
    exit_code = await asyncio.to_thread(server.proc.wait, drain + 5)
    took = time.monotonic() - started
    for thread in presses:
        thread.join(10)

    assert codes == [1012] * 50
    assert exit_code == 0
    assert took < drain + 1.0, f"took {took:.1f} s"
    assert answers and set(answers) <= {204, 409}  # every command in flight was answered


async def test_a_rolling_restart_of_two_processes_keeps_every_phone_in_the_room(
    postgres_and_redis,  # noqa: F811
    daphnes,
):
    """Two processes behind a proxy; each is stopped with SIGTERM and started again in turn.
    Every phone is back within a few seconds each time, and the next step reaches all of them."""
    database_url, redis_url = postgres_and_redis
    env = base_env(DATABASE_URL=database_url, REDIS_URL=redis_url, DEBUG="0", DRAIN_TIMEOUT="5")
    scenario = make_scenario({**env, "REDIS_URL": ""})
    room, steps = scenario["room"], scenario["steps"]
    servers = daphnes(env, 2)
    proxy = Proxy([s.port for s in servers]).start()
    names = list(scenario["sessions"])
    phones = [
        BrowserSocket(Person(scenario["sessions"][names[i % len(names)]]), proxy.port, room)
        for i in range(16)
    ]
    for phone in phones:
        phone.start()
    try:
        anna = Person(scenario["sessions"]["anna"])
        page = await asyncio.to_thread(anna.get, servers[0], f"/r/{room}/")
        await asyncio.gather(*(p.shows(seq_of(page), steps[0], timeout=15) for p in phones))

        for server in servers:
            server.proc.send_signal(signal.SIGTERM)
            await asyncio.to_thread(server.proc.wait, 10)
            await asyncio.to_thread(server.start)

        other = servers[0]
        page = await asyncio.to_thread(anna.get, other, f"/r/{room}/")
        status, body = await asyncio.to_thread(
            anna.post, other, f"/r/{room}/do/next/", {"revision": revision_of(page)}
        )
        assert status == 204, body
        page = await asyncio.to_thread(anna.get, other, f"/r/{room}/")
        await asyncio.gather(*(p.shows(seq_of(page), steps[1], timeout=10) for p in phones))

        gaps = [gap for phone in phones for gap in phone.gaps]
        assert len(gaps) >= len(phones)  # every phone was moved at least once
        assert max(gaps) < 5, f"longest time without the room: {max(gaps):.1f} s"
        assert proxy.refused == 0
    finally:
        await asyncio.gather(*(p.stop() for p in phones))
        proxy.stop()
