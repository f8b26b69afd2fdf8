"""The realistic phase's meetings (bench/realistic.py): the screens of a meeting, what each
event looks like on them, and the statistics per event kind."""

from __future__ import annotations

import asyncio
import random
import re
import secrets
import time
from dataclasses import dataclass, field

from bench.load_setup import HOST, Http, RoomInfo, latency_figures

KINDS = ("step", "question", "pass", "rating", "tip", "ready")
# The fragment that shows an event, as every screen of the room gets it.
MARKERS = {
    "step": 'id="room-step"',
    "question": 'id="room-interaction"',
    "pass": 'id="room-interaction"',
    "rating": 'id="room-interaction"',
    "tip": 'id="room-interaction"',
    "ready": 'id="room-presence"',
}
# The busy steps, from the library: (method slug, step kind), repeated CYCLES times.
SOURCES = (
    ("fresh-questioning", "question_round"),
    ("guns-and-roses", "collect"),
    ("incidentmethode-percepties", "think"),
)
CYCLES = 12
WAIT_FOR_SCREENS = 10.0  # an event not on every screen by then counts as lost
META_RE = re.compile(r'<div id="room-meta"[^>]*>')
SEQ_RE = re.compile(r'data-seq="(\d+)"')
REVISION_RE = re.compile(r'data-revision="(\d+)"')
STEP_RUN_RE = re.compile(r'data-step-run="(\d*)"')
TURN_RE = re.compile(r'data-turn-current="(\d+)"')
QUESTION_RE = re.compile(r'data-question="(\d+)"')
MINE_RE = re.compile(r'hx-get="(/r/[0-9a-f-]+/mine/)"')


def step_kinds() -> list[str]:
    return [kind for _cycle in range(CYCLES) for _slug, kind in SOURCES]


# ---- Statistics ---------------------------------------------------------------------------------


@dataclass
class KindStats:
    latencies: list[float] = field(default_factory=list)
    lost: int = 0
    refused: int = 0
    errors: int = 0
    late_start: int = 0  # started more than 1 s after its moment (its room was still busy)
    screen_messages: int = 0  # messages that showed it, over all screens
    screen_bytes: int = 0

    def summary(self) -> dict:
        return {
            "n": len(self.latencies),
            **latency_figures(self.latencies),
            "lost": self.lost,
            "refused": self.refused,
            "errors": self.errors,
            "late_start": self.late_start,
            "msg_bytes": self.screen_bytes / self.screen_messages if self.screen_messages else 0,
        }


@dataclass
class Waiter:
    kind: str
    seq: int
    remaining: int
    future: asyncio.Future
    counted: set = field(default_factory=set)


# ---- Screens and meetings ---------------------------------------------------------------------


class Screen:
    """One socket of a room: index 0 is the facilitator's laptop, 1 the inbrenger's phone, the
    rest participants' phones."""

    def __init__(self, meeting: Meeting, index: int, session: str, member_id: int):
        self.meeting, self.index, self.session, self.member_id = meeting, index, session, member_id
        self.csrf = secrets.token_hex(16)  # 32 characters: Django takes it as the cookie secret
        self.ws = None
        self.http: Http | None = None
        self.fetch_http: Http | None = None
        self.fetching = False
        self.fetch_again = False

    def headers(self, port: int) -> dict:
        return {"Cookie": f"sessionid={self.session}", "Origin": f"http://{HOST}:{port}"}

    async def connect(self, timeout: float = 30.0) -> None:
        from websockets.asyncio.client import connect

        url, headers = self.meeting.target.socket(self)
        self.ws = await connect(
            url, additional_headers=headers, compression=None, max_size=None,
            ping_interval=None, open_timeout=timeout, close_timeout=1,
        )  # fmt: skip
        self.on_message(await asyncio.wait_for(self.ws.recv(), timeout))

    async def listen(self) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            async for message in self.ws:
                self.on_message(message)
        except ConnectionClosed:
            pass

    def on_message(self, message: str) -> None:
        meeting = self.meeting
        meta = META_RE.search(message, 0, 600)
        seq = int(SEQ_RE.search(meta.group(0)).group(1)) if meta else None
        if meta is not None:
            meeting.observe_meta(meta.group(0), seq)
        if "data-question-round" in message:
            meeting.observe_round(message)
        mine = MINE_RE.search(message)
        if mine is not None and meeting.target.fetches_mine:
            self.fetch_mine(mine.group(1))
        waiter = meeting.waiter
        if waiter is None or seq is None or seq < waiter.seq or self.index in waiter.counted:
            return
        if MARKERS[waiter.kind] not in message:
            return
        waiter.counted.add(self.index)
        stats = meeting.run.stats[waiter.kind]
        stats.screen_messages += 1
        stats.screen_bytes += len(message)
        waiter.remaining -= 1
        if waiter.remaining == 0 and not waiter.future.done():
            waiter.future.set_result(time.perf_counter())

    def fetch_mine(self, path: str) -> None:
        """What htmx does with `hx-trigger="load"`: GET the person's own view (one at a time)."""
        if self.fetching:
            self.fetch_again = True
            return
        self.fetching = True
        asyncio.get_running_loop().create_task(self._fetch(path))

    async def _fetch(self, path: str) -> None:
        try:
            while True:
                self.fetch_again = False
                try:
                    await self.request("GET", path, b"", own=True)
                    self.meeting.run.mine_fetches += 1
                except OSError:
                    self.meeting.run.mine_errors += 1
                if not self.fetch_again:
                    return
        finally:
            self.fetching = False

    async def request(
        self, method: str, path: str, body: bytes, own: bool = False
    ) -> tuple[int, str]:
        """An HTTP request of this screen's browser: actions on one keep-alive connection, the
        fetches of its own view (`own`) on another, as a browser opens a second one."""
        port = self.meeting.target.http_port(self.meeting)
        if own:
            self.fetch_http = self.fetch_http or Http(port)
            http = self.fetch_http
        else:
            self.http = self.http or Http(port)
            http = self.http
        headers = {
            "Cookie": f"sessionid={self.session}; csrftoken={self.csrf}",
            "X-CSRFToken": self.csrf,
            "HX-Request": "true",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        status, _headers, text = await http.request(method, path, headers, body)
        return status, text

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        for http in (self.http, self.fetch_http):
            if http is not None:
                await http.close()


class Meeting:
    """One room as the bench sees it: its screens, what the pushes said, and its own model of
    where the meeting is (the same for both targets, so the schedules match)."""

    def __init__(self, run: Run, info: RoomInfo, number: int):
        self.run, self.info, self.number = run, info, number
        self.target = run.target
        self.screens = [Screen(self, 0, info.facilitator_session, info.member_ids[0])] + [
            Screen(self, i + 1, session, info.member_ids[i + 1])
            for i, session in enumerate(info.phone_sessions)
        ]
        # What the pushes said (project): the room's seq, revision, step run, whose turn it is,
        # the questions of this step.
        self.seq = 0
        self.revision = 0
        self.step_run = ""
        self.turn: int | None = None
        self.question_ids: list[int] = []
        # The bench's own model: the step (index into the method), questions asked and labelled
        # in it, who is ready.
        self.step = number % len(SOURCES)
        self.direction = 1
        self.asked = 0
        self.rated: set[int] = set()
        self.rated_count = 0
        self.ready: set[int] = set()
        self.tips = 0
        self.waiter: Waiter | None = None
        self.rng = random.Random(f"{run.seed}-{number}")

    # -- what the pushes say

    def observe_meta(self, meta: str, seq: int) -> None:
        if seq >= self.seq:
            self.seq = seq
            revision = REVISION_RE.search(meta)
            if revision:
                self.revision = int(revision.group(1))
            run = STEP_RUN_RE.search(meta)
            if run and run.group(1) != self.step_run:
                self.step_run = run.group(1)
                self.question_ids = []
                self.turn = None

    def observe_round(self, message: str) -> None:
        turn = TURN_RE.search(message)
        self.turn = int(turn.group(1)) if turn else None
        self.question_ids = [int(q) for q in QUESTION_RE.findall(message)]

    # -- the bench's model

    @property
    def step_kind(self) -> str:
        return self.run.kinds[self.step]

    def helpers(self) -> list[Screen]:
        return self.screens[2:]

    def choose(self) -> str | None:
        """The next phone action, from the room's own random sequence and the bench's model."""
        rng, kind = self.rng, self.step_kind
        roll = rng.random()
        if kind == "question_round":
            if self.asked > self.rated_count and roll < 0.25:
                return "rating"
            return "pass" if rng.random() < 0.2 else "question"
        if kind == "collect":
            return "ready" if roll < 0.15 else "tip"
        if kind == "think":
            return "ready"
        return None

    def step_command(self) -> str:
        """Next, until the method's last step; then Back, down to the first; and so on."""
        if not 0 <= self.step + self.direction < len(self.run.kinds):
            self.direction = -self.direction
        return "next" if self.direction > 0 else "back"

    def moved(self) -> None:
        """A step change went through: the bench's model follows."""
        self.step += self.direction
        self.asked = self.rated_count = self.tips = 0
        self.rated.clear()
        self.ready.clear()


class Run:
    """One realistic phase against one target."""

    def __init__(self, target, rooms: list[RoomInfo], args):
        self.target = target
        self.seed = args.seed
        self.scale = args.time_scale
        self.kinds = step_kinds()
        self.stats = {kind: KindStats() for kind in KINDS}
        self.mine_fetches = 0
        self.mine_errors = 0
        self.meetings = [Meeting(self, info, n) for n, info in enumerate(rooms)]

    @property
    def screens(self) -> list[Screen]:
        return [s for m in self.meetings for s in m.screens]
