"""Browser tests: a real Daphne in a subprocess, and headless Debian Chromium through Playwright.

- ``daphne_server`` / ``live_server_url``: Daphne serving ``intervisie.asgi:application`` on a free
  port of 127.0.0.1, on the pytest-django *test* database (SQLite file or PostgreSQL), with
  ``REDIS_URL`` passed through when set. Tests that use it need
  ``@pytest.mark.django_db(transaction=True)``: only committed data is visible to another process.
  Add ``serialized_rollback=True`` when the test needs the built-in method library, which the
  flush after every transactional test removes.
- ``browser``: headless Chromium (``shutil.which("chromium")``), one per test. It skips where
  Chromium is not installed, but fails under CI (``CI=true``): CI must run these tests.
- ``new_person(username, device="phone"|"laptop")``: a fresh browser context per person, logged in
  through /accounts/login/; the page collects console errors in ``page.console_errors``.

On a failure, every person's screen is saved under test-artifacts/browser/ and the tail of the
Daphne log is printed.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import PASSWORD

BASE_DIR = Path(__file__).resolve().parents[2]
ARTIFACTS = BASE_DIR / "test-artifacts" / "browser"
CHROMIUM_MISSING = "Chromium not installed (apt-get install chromium)"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEVICES = {
    # The reference phone (an iPhone 12-14 sized screen) and a facilitator's laptop.
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    "laptop": {"viewport": {"width": 1440, "height": 900}},
    # What a group meets in practice: the usual projector, and a small Android phone.
    "projector": {"viewport": {"width": 1280, "height": 720}},
    "small-phone": {
        "viewport": {"width": 360, "height": 640},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}
STARTUP_TIMEOUT = 20.0
STOP_TIMEOUT = 15.0
# Console noise that says nothing about the app.
IGNORED_CONSOLE = re.compile(r"favicon\.ico")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def database_url(settings: dict) -> str:
    """A DATABASE_URL (django-environ syntax) for the database Django is connected to now."""
    engine = settings["ENGINE"]
    name = str(settings["NAME"])
    if engine == "django.db.backends.sqlite3":
        if name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
            pytest.fail(
                "An in-memory SQLite test database cannot be shared with a Daphne subprocess."
            )
        return "sqlite:///" + str(Path(name).resolve())
    if engine == "django.db.backends.postgresql":
        user = quote(settings.get("USER") or "", safe="")
        password = quote(settings.get("PASSWORD") or "", safe="")
        auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = settings.get("HOST") or "127.0.0.1"
        port = settings.get("PORT") or 5432
        return f"postgres://{auth}{host}:{port}/{quote(name, safe='')}"
    pytest.fail(f"The browser tests do not know how to share a {engine} database with Daphne.")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class DaphneServer:
    """One Daphne process; ``restart()`` brings it back on the same port (for fault tests)."""

    host = "127.0.0.1"

    def __init__(self, env: dict, log_path: Path, port: int | None = None):
        self.env = env
        self.log_path = log_path
        self.port = port or free_port(self.host)
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "intervisie.serve",
            "--bind", self.host,
            "--port", str(self.port),
            "--websocket_timeout", "86400",
            "--access-log", "-",
            "intervisie.asgi:application",
        ]  # fmt: skip

    def start(self) -> None:
        assert self.proc is None or self.proc.poll() is not None, "Daphne is already running"
        self.starts += 1
        with self.log_path.open("ab") as log:
            log.write(f"\n===== start #{self.starts}: {' '.join(self.command())}\n".encode())
            log.flush()
            self.proc = subprocess.Popen(
                self.command(),
                cwd=BASE_DIR,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        """Until Django answers (the port alone may open before the application is loaded)."""
        deadline = time.monotonic() + STARTUP_TIMEOUT
        probe = f"{self.url}/time/"
        last_error = ""
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self._fail_start(f"Daphne exited with code {self.proc.returncode} while starting")
            try:
                with urllib.request.urlopen(probe, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError) as exc:
                last_error = str(exc)
            time.sleep(0.1)
        self.stop()
        self._fail_start(
            f"Daphne did not answer {probe} within {STARTUP_TIMEOUT:.0f} s ({last_error})"
        )

    def _fail_start(self, message: str) -> None:
        pytest.fail(f"{message}. Last lines of {self.log_path}:\n{self.log_tail()}", pytrace=False)

    def stop(self, graceful: bool = True) -> None:
        """SIGTERM and wait (Daphne gives open websockets up to 10 s to close), else SIGKILL;
        ``graceful=False`` kills at once, as a crash would."""
        if self.proc is None or self.proc.poll() is not None:
            return
        if graceful:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=STOP_TIMEOUT)
                return
            except subprocess.TimeoutExpired:
                pass
        self.proc.kill()
        self.proc.wait(timeout=STOP_TIMEOUT)

    def restart(self, graceful: bool = True) -> None:
        """Stop and start again on the same port, as after a deploy or a crash."""
        self.stop(graceful=graceful)
        self.start()

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's outcome on the item, so fixtures can tell a failed test at teardown."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _failed(node) -> bool:
    return any(
        getattr(getattr(node, f"rep_{when}", None), "failed", False) for when in ("setup", "call")
    )


@pytest.fixture
def daphne_server(transactional_db, tmp_path, request):
    """A real Daphne on the test database; ``daphne_server.restart()`` for fault tests.

    (Not named ``live_server``: pytest-django's fixture of that name is its in-process server.)"""
    from django.db import connection

    env = os.environ.copy()
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set in this process for Playwright only
    env.update(
        DJANGO_SETTINGS_MODULE="intervisie.settings",
        DATABASE_URL=database_url(connection.settings_dict),
        PYTHONUNBUFFERED="1",
        PYTHONFAULTHANDLER="1",
    )
    server = DaphneServer(env, tmp_path / "daphne.log")
    server.start()
    yield server
    server.stop()
    if _failed(request.node):
        print(f"\n----- last lines of {server.log_path} -----\n{server.log_tail(80)}")


@pytest.fixture
def live_server_url(daphne_server) -> str:
    return daphne_server.url


@pytest.fixture
def browser(transactional_db):
    """Headless Debian Chromium, started for one test.

    Not once per session: while Playwright's sync API runs, its asyncio loop counts as running in
    this thread. Django then hands out other database connections (its connection handler keeps
    them per async context), on which pytest-django's serialized rollback and flush misbehave,
    and pytest-asyncio tests that would run meanwhile break. So the browser starts after the test
    database is set up and stops before it is flushed, and the ORM is allowed while it runs."""
    executable = shutil.which("chromium")
    if executable is None:
        if in_ci():
            pytest.fail(
                f"{CHROMIUM_MISSING}; CI must run the browser tests, not skip them.", pytrace=False
            )
        pytest.skip(CHROMIUM_MISSING)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
    finally:
        connections.close_all()  # the connections opened while Playwright ran
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _collect_console_errors(page) -> None:
    page.console_errors = []

    def on_console(message) -> None:
        if message.type == "error" and not IGNORED_CONSOLE.search(
            f"{message.text} {message.location}"
        ):
            page.console_errors.append(
                f"console: {message.text} @ {message.location.get('url', '')}"
            )

    page.on("console", on_console)
    page.on("pageerror", lambda error: page.console_errors.append(f"pageerror: {error}"))


@pytest.fixture
def new_person(browser, live_server_url, request):
    """``new_person("anna", device="laptop")`` → a logged-in page in a context of its own."""
    people = []

    def make(username: str, device: str = "phone", password: str = PASSWORD, login: bool = True):
        context = browser.new_context(**DEVICES[device], locale="nl-NL", base_url=live_server_url)
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.person = username
        page.device = device
        _collect_console_errors(page)
        people.append(page)
        if login:
            page.goto("/accounts/login/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", password)
            with page.expect_navigation():
                page.locator("form:has(input[name=password]) button[type=submit]").click()
            if "/accounts/login/" in page.url:
                pytest.fail(f"{username} could not log in (still on {page.url})", pytrace=False)
        return page

    yield make

    if _failed(request.node):
        target = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
        target.mkdir(parents=True, exist_ok=True)
        for page in people:
            try:
                page.screenshot(path=str(target / f"{page.person}.png"), full_page=True)
            except Exception as exc:  # a crashed page must not hide the real failure
                print(f"no screenshot of {page.person}: {exc}")
            if page.console_errors:
                print(f"console errors of {page.person}:", *page.console_errors, sep="\n  ")
        print(f"screens saved in {target}")
    for page in people:
        page.context.close()


def assert_no_console_errors(*pages, known: dict[str, list[str]] | None = None) -> None:
    """No page logged an error, except those ``known`` lists by device ("phone"/"laptop") as
    regular expressions: known app bugs, to be removed from the list when fixed."""
    known = known or {}
    errors = {
        page.person: unexpected
        for page in pages
        if (
            unexpected := [
                error
                for error in page.console_errors
                if not any(re.search(pattern, error) for pattern in known.get(page.device, []))
            ]
        )
    }
    assert not errors, f"console errors: {errors}"


# ---- The session room ---------------------------------------------------------------------------

STEP_TITLE = "#room-step .step-title"
TIMER = "#room-timer [data-timer]"
SYNC = 5_000  # ms a push may take to reach every screen
PAUSED = re.compile(r"\bpaused\b")
# Console errors a test may tolerate, per device, as regular expressions. Empty: every error
# fails the test. (Kept as a hook for a known bug that must not block the rest of a run.)
KNOWN_CONSOLE_ERRORS: dict[str, list[str]] = {"phone": [], "laptop": []}


def click_command(laptop, command: str) -> None:
    laptop.locator(f"#room-controls button[data-command={command}]").click()


@pytest.fixture
def roddel_room(members, group, meeting):
    """Bram's case in a Roddelmodel room, opened for Anna (facilitator), Bram (inbrenger),
    Chantal and Daan; waiting for the start."""
    from cases.models import Case
    from methods.models import Method
    from sessions_app.opening import open_room

    anna, bram, chantal, daan = members[:4]
    method = Method.objects.get(slug="roddelmodel", is_builtin=True)
    case = Case.objects.create(
        group=group,
        owner=bram,
        title="Overdracht op de afdeling",
        working_question="Hoe zorg ik dat de avonddienst mijn overdracht ook echt leest?",
    )
    return open_room(
        meeting,
        {
            "present": [anna, bram, chantal, daan],
            "method": method,
            "case": case,
            "facilitator": anna,
            "inbrenger": bram,
            "note_taker": None,
            "timekeeper": None,
            "observers": [],
        },
    )


def step_titles(room) -> list[str]:
    """The titles the room shows in Dutch: lobby, every step in order, and the end."""
    from django.utils import translation

    with translation.override("nl"):
        return [
            translation.gettext("Waiting for the start"),
            *[step.name for step in room.method.steps.order_by("order")],
            translation.gettext("The session has ended"),
        ]


def seconds(clock: str) -> int:
    """'4:59' → 299, '-0:05' → -5."""
    match = re.fullmatch(r"\s*(-?)(\d+):(\d\d)\s*", clock)
    assert match, f"not a m:ss timer: {clock!r}"
    sign, minutes, secs = match.groups()
    return (-1 if sign else 1) * (int(minutes) * 60 + int(secs))


def read_timers(pages) -> dict[str, int]:
    """Every screen's countdown, read as close together as Playwright allows."""
    return {page.person: seconds(page.locator(TIMER).inner_text()) for page in pages}
