"""The realistic phase of bench/room_load.py: meetings as they run, not a room pressing Next.

    .venv/bin/python bench/room_load.py --realistic --rooms 500 --time-scale 1 --duration 300

Every room runs the bench method (`busy_method`): a question round with labels (Fresh
Questioning's), a tips board (Guns & Roses'), a step of writing alone (Incidentmethode's), over
and over, so that every room is always in a step where its phones act. The rooms start spread
over these three steps. Per room, seeded (`--seed`) and so the same in every run and for both
targets:

- the facilitator changes step every 120–240 s (Next; Back at the method's end), the first time
  0–240 s into the run (the bench joins meetings under way);
- between step changes the phones act at random moments, one action per room every 5 s on
  average (exponential gaps): in the question round the one whose turn it is asks (80 %) or
  passes, and the inbrenger labels a question (a quarter of the actions, while some question is
  still unlabelled); on the tips board a participant adds a tip, or taps "klaar" (15 %); while
  writing alone a participant taps "klaar" (or takes it back when already ready).

`--time-scale` compresses all of it (×10: a step change every 12–24 s, an action per room every
0.5 s). One event per room is in flight at a time. Each event is timed from its request until
every screen of its room — the facilitator's laptop and the 8 phones — has received the push that
shows it (a seq at least the event's, carrying the fragment the event changes). Screens behave as
the browser does: when a push asks a phone to fetch its own view (`mine_refresh`), the phone GETs
it (not timed, but its CPU counts).

The reference: bare Channels (bench/ref_channels/) with the same rooms, sockets, schedule and, per
event kind, the same number and size of messages per screen as the project sent in the same run.

After the timed run, the same servers are measured per event kind: first idle (sockets open, no
events), then each kind alone at a fixed rate; CPU per event = (CPU − idle CPU) ÷ events.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.room_load import HOST, Http, RoomInfo, Server

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


# ---- Setup ------------------------------------------------------------------------------------


def busy_method() -> str:
    """The bench method (see the docstring); returns its slug."""
    from methods.models import Method, Step

    method, created = Method.objects.get_or_create(
        slug="bench-busy", defaults={"name_nl": "Bench: vragen, tips, klaar", "is_builtin": False}
    )
    if created:
        sources = [
            Step.objects.get(method__slug=slug, method__is_builtin=True, kind=kind)
            for slug, kind in SOURCES
        ]
        order = 0
        for cycle in range(CYCLES):
            for source in sources:
                key = source.key
                source.pk, source.method, source.order = None, method, order
                source.key = f"{key}-{cycle}"
                source.save()
                source.key = key
                order += 1
    return method.slug


def step_kinds() -> list[str]:
    return [kind for _cycle in range(CYCLES) for _slug, kind in SOURCES]


def create_busy_rooms(count: int) -> list[RoomInfo]:
    from bench.room_load import create_rooms

    return create_rooms(count, method_slug=busy_method(), steps_in=lambda r: r % len(SOURCES))


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
        lat = sorted(self.latencies)

        def pct(p: float) -> float:
            if not lat:
                return float("nan")
            return lat[min(len(lat) - 1, int(round(p / 100 * (len(lat) - 1))))] * 1000

        return {
            "n": len(lat),
            "p50_ms": pct(50),
            "p95_ms": pct(95),
            "p99_ms": pct(99),
            "max_ms": lat[-1] * 1000 if lat else float("nan"),
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


# ---- Targets ------------------------------------------------------------------------------------


class ProjectTarget:
    name = "project"
    fetches_mine = True

    def __init__(self, servers: list[Server], spread: bool):
        self.servers, self.spread = servers, spread

    def socket(self, screen: Screen) -> tuple[str, dict]:
        # Phones over the processes in turn, as a balancing proxy would spread them.
        server = self.servers[screen.index % len(self.servers)]
        url = f"ws://{HOST}:{server.port}/ws/rooms/{screen.meeting.info.id}/"
        return url, screen.headers(server.port)

    def http_port(self, meeting: Meeting) -> int:
        if not self.spread:
            return self.servers[0].port
        return self.servers[meeting.number % len(self.servers)].port

    async def act(self, meeting: Meeting, kind: str) -> tuple[int, bool]:
        """Send the event's request; (HTTP status, whether it changed the room)."""
        room = meeting.info.id
        if kind == "step":
            status, _ = await meeting.screens[0].request(
                "POST",
                f"/r/{room}/do/{meeting.step_command()}/",
                f"revision={meeting.revision}".encode(),
            )
            return status, status == 204
        run = f"step_run={meeting.step_run}"
        if kind in ("question", "pass"):
            screen = next((s for s in meeting.helpers() if s.member_id == meeting.turn), None)
            if screen is None:
                return 0, False
            if kind == "question":
                n = meeting.asked + 1
                body = f"{run}&question=Vraag+{n}%3A+wat+maakte+dat+je+toen+zo+reageerde%3F"
                status, _ = await screen.request("POST", f"/r/{room}/act/ask/", body.encode())
            else:
                status, _ = await screen.request("POST", f"/r/{room}/act/pass/", run.encode())
            return status, status == 200
        if kind == "rating":
            todo = [q for q in meeting.question_ids if q not in meeting.rated]
            if not todo:
                return 0, False
            question = todo[0]
            label = meeting.rng.choice(("warm", "lauw", "koud"))
            body = f"{run}&question={question}&rating={label}"
            status, _ = await meeting.screens[1].request(
                "POST", f"/r/{room}/act/rate/", body.encode()
            )
            if status == 200:
                meeting.rated.add(question)
            return status, status == 200
        if kind == "tip":
            screen = meeting.rng.choice(meeting.helpers())
            text = f"Tip {meeting.tips + 1}: een kort gesprek vooraf, met wie de overdracht leest"
            body = f"{run}&text={text.replace(' ', '+')}"
            status, _ = await screen.request("POST", f"/r/{room}/act/add/", body.encode())
            return status, status == 200
        if kind == "ready":
            screen = meeting.rng.choice(meeting.helpers())
            ready = screen.member_id not in meeting.ready
            body = f"{run}&ready={1 if ready else 0}"
            status, _ = await screen.request("POST", f"/r/{room}/ready/", body.encode())
            if status == 200:
                (meeting.ready.add if ready else meeting.ready.discard)(screen.member_id)
            return status, status == 200
        raise ValueError(kind)


class ReferenceTarget:
    """Bare Channels: per event one trigger request; the same messages per screen and bytes."""

    name = "bare channels"
    fetches_mine = False

    def __init__(self, servers: list[Server], spread: bool, sizes: dict[str, int]):
        self.servers, self.spread, self.sizes = servers, spread, sizes

    def socket(self, screen: Screen) -> tuple[str, dict]:
        server = self.servers[screen.index % len(self.servers)]
        return f"ws://{HOST}:{server.port}/ws/{screen.meeting.info.id}/", {}

    def http_port(self, meeting: Meeting) -> int:
        if not self.spread:
            return self.servers[0].port
        return self.servers[meeting.number % len(self.servers)].port

    async def act(self, meeting: Meeting, kind: str) -> tuple[int, bool]:
        if kind == "step":
            meeting.step_command()
        if kind == "ready":
            screen = meeting.rng.choice(meeting.helpers())  # the same draws as the project
            if screen.member_id in meeting.ready:
                meeting.ready.discard(screen.member_id)
            else:
                meeting.ready.add(screen.member_id)
        if kind == "tip":
            meeting.rng.choice(meeting.helpers())
        if kind == "rating":
            meeting.rng.choice(("warm", "lauw", "koud"))
        body = (
            f"seq={meeting.seq + 1}&size={self.sizes.get(kind, 4000)}"
            f"&part={MARKERS[kind].split('=')[1].strip(chr(34))}"
        )
        status, _ = await meeting.screens[0].request(
            "POST", f"/trigger/{meeting.info.id}/", body.encode()
        )
        return status, status == 200


# ---- Running ------------------------------------------------------------------------------------


async def event(meeting: Meeting, kind: str, timed: bool) -> bool:
    """One event, timed from its request until every screen shows it."""
    stats = meeting.run.stats[kind]
    loop = asyncio.get_running_loop()
    waiter = Waiter(kind, meeting.seq + 1, len(meeting.screens), loop.create_future())
    meeting.waiter = waiter
    sent = time.perf_counter()
    try:
        status, changed = await meeting.target.act(meeting, kind)
    except OSError:
        stats.errors += 1
        meeting.waiter = None
        return False
    if not changed:
        if status in (0, 409, 422):
            stats.refused += 1
        else:
            stats.errors += 1
        meeting.waiter = None
        return False
    try:
        done = await asyncio.wait_for(asyncio.shield(waiter.future), WAIT_FOR_SCREENS)
        if timed:
            stats.latencies.append(done - sent)
    except TimeoutError:
        stats.lost += 1
    meeting.waiter = None
    if kind == "step":
        meeting.moved()
    elif kind == "question":
        meeting.asked += 1
    elif kind == "rating":
        meeting.rated_count += 1
    elif kind == "tip":
        meeting.tips += 1
    return True


async def meeting_life(meeting: Meeting, started: float, stop_at: float, warm_until: float):
    """The meeting's schedule: step changes and phone actions at their moments."""
    rng, scale = meeting.rng, meeting.run.scale
    # The bench joins meetings already under way: the first step change comes 0–240 s in.
    next_step = started + rng.uniform(0, 240) / scale
    next_action = started + rng.expovariate(1 / 5) / scale
    while True:
        moment = min(next_step, next_action)
        if moment >= stop_at:
            return
        await asyncio.sleep(max(0.0, moment - time.monotonic()))
        if moment == next_step:
            kind = "step"
            next_step += rng.uniform(120, 240) / scale
        else:
            kind = meeting.choose()
            next_action += rng.expovariate(1 / 5) / scale
            if kind is None:
                continue
        if time.monotonic() - moment > 1.0:
            meeting.run.stats[kind].late_start += 1
        await event(meeting, kind, timed=moment >= warm_until)


def eligible(meeting: Meeting, kind: str) -> bool:
    step = meeting.step_kind
    return {
        "step": True,
        "question": step == "question_round",
        "pass": step == "question_round",
        "rating": step == "question_round" and meeting.asked > meeting.rated_count,
        "tip": step == "collect",
        "ready": step in ("collect", "think"),
    }[kind]


def cpu_of(servers: list[Server]) -> float:
    return sum(s.cpu_seconds() for s in servers)


async def calibrate(run: Run, servers: list[Server], per_kind: int, rate: float) -> dict:
    """CPU per event kind: idle first, then each kind alone, `per_kind` events at `rate` a
    second, round-robin over the rooms where the kind can happen (one event per room at a time,
    as in the timed run). CPU per event = (CPU - idle CPU) / events that changed the room."""
    idle_seconds = 4.0
    before = cpu_of(servers)
    await asyncio.sleep(idle_seconds)
    idle = (cpu_of(servers) - before) / idle_seconds
    result = {"idle_cpu": idle}
    locks = {m.number: asyncio.Lock() for m in run.meetings}
    # Questions before ratings (ratings need asked questions), step changes last.
    for kind in ("question", "rating", "pass", "tip", "ready", "step"):
        candidates = [m for m in run.meetings if eligible(m, kind)]
        if not candidates:
            continue

        async def one(meeting: Meeting, kind: str = kind) -> bool:
            async with locks[meeting.number]:
                if not eligible(meeting, kind):
                    return False
                return await event(meeting, kind, timed=False)

        before, started = cpu_of(servers), time.monotonic()
        tasks = []
        for i in range(per_kind):
            await asyncio.sleep(max(0.0, started + i / rate - time.monotonic()))
            tasks.append(asyncio.create_task(one(candidates[i % len(candidates)])))
        done = sum(await asyncio.gather(*tasks))
        await asyncio.sleep(1.0)  # the pushes' tails (and phones' fetches)
        elapsed = time.monotonic() - started
        used = cpu_of(servers) - before - idle * elapsed
        result[kind] = {"events": done, "cpu_ms": used / done * 1000 if done else float("nan")}
    return result


def rss_kb(server: Server) -> float:
    try:
        status = Path(f"/proc/{server.proc.pid}/status").read_text()
    except (OSError, AttributeError):
        return float("nan")
    match = re.search(r"VmRSS:\s+(\d+) kB", status)
    return float(match.group(1)) if match else float("nan")


async def run_realistic(target, servers: list[Server], rooms: list[RoomInfo], args) -> dict:
    from bench.room_load import connect_all

    run = Run(target, rooms, args)
    idle_rss = [rss_kb(s) for s in servers]
    screens = run.screens
    connect_seconds, connect_failures = await connect_all(screens)
    listeners = [asyncio.create_task(s.listen()) for s in screens]
    await asyncio.sleep(3.0)  # presence pushes of the connects settle
    connected_rss = [rss_kb(s) for s in servers]
    cpu_before, started = cpu_of(servers), time.monotonic()
    warm_until = started + args.warmup
    await asyncio.gather(
        *(meeting_life(m, started, started + args.duration, warm_until) for m in run.meetings)
    )
    elapsed = time.monotonic() - started
    cpu = cpu_of(servers) - cpu_before
    events = sum(len(s.latencies) + s.lost for s in run.stats.values())
    kinds = {kind: stats.summary() for kind, stats in run.stats.items()}  # before calibrating
    calibration = await calibrate(run, servers, args.calibrate_events, args.calibrate_rate)
    peak_rss = [s.peak_rss_mb() for s in servers]
    await asyncio.gather(*(s.close() for s in screens), return_exceptions=True)
    for task in listeners:
        task.cancel()
    sockets = len(screens)
    return {
        "target": target.name,
        "rooms": len(rooms),
        "sockets": sockets,
        "time_scale": run.scale,
        "connect_s": connect_seconds,
        "connect_failures": connect_failures,
        "seconds": elapsed,
        "events_per_s": events / elapsed,
        "server_cpu": cpu / elapsed,
        "cpu_ms_per_event": cpu / events * 1000 if events else float("nan"),
        "kinds": kinds,
        "calibration": calibration,
        "mine_fetches": run.mine_fetches,
        "mine_errors": run.mine_errors,
        "idle_rss_mb": [round(r / 1024, 1) for r in idle_rss],
        "connected_rss_mb": [round(r / 1024, 1) for r in connected_rss],
        "peak_rss_mb": [round(r, 1) for r in peak_rss],
        "kb_per_socket": (sum(connected_rss) - sum(idle_rss)) / sockets,
        "peak_kb_per_socket": (sum(peak_rss) * 1024 - sum(idle_rss)) / sockets,
        "loadavg": os.getloadavg()[0],
    }


def print_realistic(result: dict, floor: dict | None = None) -> None:
    if "error" in result:
        print(f"  {result['target']:<14} FAILED: {result['error']}", flush=True)
        return
    print(
        f"  {result['target']:<14} R={result['rooms']} sockets={result['sockets']} "
        f"connect={result['connect_s']:.1f}s ({result['connect_failures']} failed) "
        f"events/s={result['events_per_s']:.1f} cpu={result['server_cpu']:.2f} cores "
        f"({result['cpu_ms_per_event']:.2f} ms/event) rss idle/connected/peak="
        f"{result['idle_rss_mb']}/{result['connected_rss_mb']}/{result['peak_rss_mb']} MB "
        f"({result['kb_per_socket']:.0f} KB/socket, peak {result['peak_kb_per_socket']:.0f}) "
        f"mine fetches={result['mine_fetches']} load={result['loadavg']:.1f}",
        flush=True,
    )
    calibration = result["calibration"]
    ref_cal = floor["calibration"] if floor and "error" not in floor else {}
    for kind, s in result["kinds"].items():
        cal = calibration.get(kind, {}).get("cpu_ms", float("nan"))
        ref = ref_cal.get(kind, {}).get("cpu_ms") if ref_cal else None
        ratio = f" ({cal / ref:.2f}× bare)" if ref else ""
        print(
            f"    {kind:<9} n={s['n']:<6} p50={s['p50_ms']:.1f} p95={s['p95_ms']:.1f} "
            f"p99={s['p99_ms']:.1f} max={s['max_ms']:.0f} ms  lost={s['lost']} "
            f"refused={s['refused']} err={s['errors']} late={s['late_start']} "
            f"msg={s['msg_bytes']:.0f} B  cpu/event={cal:.2f} ms{ratio}",
            flush=True,
        )
    print(f"    idle cpu={calibration['idle_cpu']:.3f} cores", flush=True)
