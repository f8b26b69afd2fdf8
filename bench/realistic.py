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
import re
import time
from pathlib import Path

from bench.load_setup import RoomInfo, Server
from bench.realistic_meetings import CYCLES, SOURCES, WAIT_FOR_SCREENS, Meeting, Run, Waiter

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


def create_busy_rooms(count: int) -> list[RoomInfo]:
    from bench.load_setup import create_rooms

    return create_rooms(count, method_slug=busy_method(), steps_in=lambda r: r % len(SOURCES))


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
    from bench.load_phones import connect_all

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
