"""Real server processes for the `server` tests: Daphne in subprocesses on 127.0.0.1.

- ``make_scenario(env)``: migrates the database of ``env["DATABASE_URL"]`` and creates a started
  Roddelmodel room in a subprocess (tests/server/scenario.py); returns its JSON.
- ``Daphne(env, log)``: one server process; ``kill()`` is a crash (SIGKILL), ``start()`` brings it
  back on the same port.
- ``Browserless``: what a phone or laptop does over HTTP (cookies, CSRF) and the websocket
  (Origin header for AllowedHostsOriginValidator), with the `websockets` client.
"""

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
STARTUP_TIMEOUT = 30.0


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def base_env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_ALLOW")}
    env.update(
        DJANGO_SETTINGS_MODULE="intervisie.settings",
        INTERVISIE_FAST_PASSWORD_HASHING="1",
        PYTHONUNBUFFERED="1",
        REDIS_URL="",
    )
    env.update(extra)
    return env


def make_scenario(env: dict) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "tests.server.scenario"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, f"scenario setup failed:\n{done.stderr[-3000:]}"
    return json.loads(done.stdout)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Daphne:
    def __init__(self, env: dict, log: Path):
        self.env, self.log = env, log
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "intervisie.serve", "--bind", HOST, "--port", str(self.port),
                 "--websocket_timeout", "86400", "intervisie.asgi:application"],
                cwd=BASE_DIR, env=self.env, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"Daphne exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/time/", timeout=2):
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        self.stop()
        pytest.fail(f"Daphne did not answer within {STARTUP_TIMEOUT:.0f} s:\n{self.log_tail()}")

    def kill(self) -> None:
        """A crash: no shutdown, no disconnect handlers."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "(no log)"


@pytest.fixture
def daphnes(tmp_path):
    """Start Daphne processes with ``daphnes(env, n)``; all are stopped after the test."""
    started: list[Daphne] = []

    def start(env: dict, count: int = 1) -> list[Daphne]:
        for _ in range(count):
            server = Daphne(env, tmp_path / f"daphne-{len(started)}.log")
            started.append(server)
            server.start()
        return started[-count:]

    yield start
    for server in started:
        server.stop()


class Person:
    """Someone's device: a session cookie, the CSRF cookie once a page was read, a websocket."""

    def __init__(self, session_key: str):
        self.session_key = session_key
        self.csrf = ""
        self.ws = None

    def _cookies(self) -> str:
        return f"sessionid={self.session_key}" + (f"; csrftoken={self.csrf}" if self.csrf else "")

    def get(self, server: Daphne, path: str) -> str:
        request = urllib.request.Request(server.url + path, headers={"Cookie": self._cookies()})
        with urllib.request.urlopen(request, timeout=10) as response:
            for header in response.headers.get_all("Set-Cookie") or []:
                if header.startswith("csrftoken="):
                    self.csrf = header.split(";", 1)[0].split("=", 1)[1]
            return response.read().decode()

    def post(self, server: Daphne, path: str, data: dict) -> tuple[int, str]:
        request = urllib.request.Request(
            server.url + path,
            data=urlencode(data).encode(),
            headers={"Cookie": self._cookies(), "X-CSRFToken": self.csrf, "HX-Request": "true"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    async def connect(self, server: Daphne, room_id: str) -> str:
        """Open the room's socket; returns the snapshot."""
        from websockets.asyncio.client import connect

        self.ws = await connect(
            f"ws://{HOST}:{server.port}/ws/rooms/{room_id}/",
            additional_headers={"Cookie": self._cookies(), "Origin": server.url},
            open_timeout=10,
        )
        return await asyncio.wait_for(self.ws.recv(), 10)

    async def receive_until(self, pattern: str, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            message = await asyncio.wait_for(self.ws.recv(), left)
            if re.search(pattern, message):
                return message
        raise AssertionError(f"no message matching {pattern!r} within {timeout} s")

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


def revision_of(html: str) -> int:
    return int(re.search(r'data-revision="(\d+)"', html).group(1))
