"""Faults mid-meeting, measured: Redis restarting, PostgreSQL restarting, a rolling restart.

    .venv/bin/python bench/faults.py [--rooms 20] [--scenarios redis postgres rolling]
        [--outage 5] [--pg-bin /usr/lib/postgresql/15/bin] [--json FILE]

The deployment of docs/deploy.md on one machine: two server processes (`python -m
intervisie.serve`) behind a proxy that spreads connections round robin and skips a process that
refuses them (tests/server/proxy.py, standing in for nginx), a Redis and a PostgreSQL of the
bench's own (a fresh cluster in a temporary folder, so it can be restarted; run as root, it runs
as the `postgres` user). R rooms × 8 phones; every phone is a websocket that reconnects as
room.js does (250 ms + up to 3 s; after a 1013 "try again later" up to 10 s), through the proxy.
Every facilitator presses Next/Back every 0.5–1.5 s, one connection per command through the
proxy (what nginx does with an idle keep-alive connection to a stopped process: it retries on
another one).

Per scenario: BEFORE seconds of commands, the fault, AFTER seconds of commands. The fault:
- redis: Redis stopped (SIGTERM), OUTAGE seconds, started again (empty: no persistence);
- postgres: PostgreSQL stopped (fast), OUTAGE seconds, started again;
- rolling: process A stopped with SIGTERM, started, then the same for B (systemd's restart).

Reported: commands answered / failed (anything but 200, 204 or 409: a 503, a 500, a dropped
connection), the time from the end of the fault until every phone shows its room's state as it
was then (its seq, without the outage notice), the pushes lost (a step change that never reached
a phone whose socket stayed open until a later step change reached it; a phone that reconnected
meanwhile got a snapshot instead, which is not a loss) and late (arrived more than 5 s after the
command was answered), the pushes channels_redis dropped because a process's queue was full
(its log at INFO), the phones whose socket never dropped, and the longest time a phone was
without its socket.
"""

import argparse
import asyncio
import contextlib
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.fault_clients import PUSH_WINDOW, Phone, Room, Tally, drive, resync_laptop  # noqa: E402
from bench.load_setup import (  # noqa: E402
    PHONES_PER_ROOM,
    Server,
    create_rooms,
    daphne,
    setup_django,
)
from bench.local_services import LocalPostgres, LocalRedis  # noqa: E402
from tests.server.proxy import Proxy  # noqa: E402

# ---- One scenario -------------------------------------------------------------------------------


async def run_scenario(name: str, servers: list[Server], proxy: Proxy, rooms: list[Room],
                       fault, before: float, after: float) -> dict:  # fmt: skip
    stop, running = asyncio.Event(), asyncio.Event()
    running.set()
    tally = Tally()
    for room in rooms:
        room.applied.clear()
        room.phones = [Phone(room, s) for s in room.info.phone_sessions[:PHONES_PER_ROOM]]
        await resync_laptop(room, proxy.port)
    phones = [p for room in rooms for p in room.phones]
    lives = [asyncio.create_task(p.live(proxy.port, stop)) for p in phones]
    deadline = time.monotonic() + 60
    while any(p.open_since is None for p in phones):
        if time.monotonic() > deadline:
            raise RuntimeError("phones did not connect within 60 s")
        await asyncio.sleep(0.1)
    drivers = [asyncio.create_task(drive(r, proxy.port, running, stop, tally)) for r in rooms]

    await asyncio.sleep(before)
    fault_started = time.monotonic()
    await fault()
    repaired = time.monotonic()
    targets = {id(room): room.seq for room in rooms}  # the state at the end of the fault
    caught_up = None
    while time.monotonic() - repaired < after or caught_up is None:
        if caught_up is None and all(
            p.seq >= targets[id(p.room)] and not p.notice and p.open_since is not None
            for p in phones
        ):
            caught_up = time.monotonic() - repaired
        if time.monotonic() - repaired > after + 30:
            break
        await asyncio.sleep(0.05)
    stop.set()
    await asyncio.gather(*drivers, return_exceptions=True)
    await asyncio.sleep(PUSH_WINDOW)
    end = time.monotonic()
    kept = sum(1 for p in phones if not p.closed and p.down_since is None)
    await asyncio.gather(*(p.ws.close() for p in phones if p.ws), return_exceptions=True)
    await asyncio.gather(*lives, return_exceptions=True)

    lost = late = 0
    for room in rooms:
        for seq, when in room.applied:
            for phone in room.phones:
                arrived = phone.received.get(seq)
                if arrived is not None:
                    late += arrived - when > PUSH_WINDOW
                    continue
                # Never arrived. Lost, unless the socket was replaced before the next push that
                # did arrive (a reconnect's snapshot brings the state instead of the push).
                later = [t for s, t in phone.received.items() if s > seq and t >= when]
                until = min(later, default=end)
                gaps = [(a, b) for a, b in phone.closed if a < end]
                if not any(a < until and b > when for a, b in gaps):
                    lost += 1
    longest_gap = max((b - a for p in phones for a, b in p.closed), default=0.0)
    return {
        "scenario": name,
        "rooms": len(rooms),
        "phones": len(phones),
        "fault_s": round(repaired - fault_started, 2),
        "commands_answered": tally.answered,
        "commands_failed": sum(tally.failed.values()),
        "failures": tally.failed,
        # Seconds after the fault began; negative: before.
        "failed_at_s": [round(t - fault_started, 2) for t in tally.failed_at[:10]],
        "stale_409": tally.stale,
        "all_phones_current_after_s": round(caught_up, 2) if caught_up is not None else None,
        "pushes_lost": lost,
        "pushes_late": late,
        "phones_that_kept_their_socket": kept,
        "longest_without_socket_s": round(longest_gap, 2),
        "loadavg": round(os.getloadavg()[0], 2),
    }


def logged(servers: list[Server], needle: str) -> int:
    """How many lines of the processes' logs say `needle` so far."""
    total = 0
    for server in servers:
        with server.log.open(errors="replace") as log:
            total += sum(needle in line for line in log)
    return total


def stop_gracefully(server: Server) -> float:
    started = time.monotonic()
    server.proc.send_signal(signal.SIGTERM)
    server.proc.wait(30)
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description="Faults mid-meeting (see the docstring).")
    parser.add_argument("--rooms", type=int, default=20)
    parser.add_argument(
        "--scenarios", nargs="+", choices=["redis", "postgres", "rolling"],
        default=["redis", "postgres", "rolling"],
    )  # fmt: skip
    parser.add_argument(
        "--outage", type=float, default=5.0, help="seconds Redis/PostgreSQL are away"
    )
    parser.add_argument("--before", type=float, default=5.0)
    parser.add_argument("--after", type=float, default=10.0)
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: float(p.parent.name))
    parser.add_argument("--pg-bin", type=Path, default=versions[-1] if versions else None)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    random.seed(args.seed)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))

    workdir = Path(tempfile.mkdtemp(prefix="intervisie-faults-"))
    postgres, redis = LocalPostgres(args.pg_bin, workdir / "pg"), LocalRedis(workdir)
    postgres.init()
    redis.start()
    servers: list[Server] = []
    proxy = None
    try:
        subprocess.run(
            [sys.executable, "-c", "import psycopg,sys; psycopg.connect(sys.argv[1], "
             "autocommit=True).execute('CREATE DATABASE bench')", postgres.admin_url],
            check=True,
        )  # fmt: skip
        database_url = postgres.admin_url.rsplit("/", 1)[0] + "/bench"
        started = time.monotonic()
        setup_django(database_url)
        infos = create_rooms(args.rooms)
        from django.db import connections

        connections.close_all()  # the bench process holds no connection through the restarts
        print(
            f"setup: {len(infos)} rooms in {time.monotonic() - started:.1f} s (logs in {workdir})"
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_ALLOW")}
        env.update(
            DATABASE_URL=database_url, REDIS_URL=redis.url, INTERVISIE_FAST_PASSWORD_HASHING="1",
            DEBUG="0", PYTHONUNBUFFERED="1", DJANGO_SETTINGS_MODULE="intervisie.settings",
            # channels_redis says at INFO when a process's queue is full and a push is dropped.
            LOG_LEVEL=os.environ.get("LOG_LEVEL", "INFO"),
        )  # fmt: skip
        servers = [daphne(f"process-{i}", env, workdir / f"process-{i}.log") for i in range(2)]
        for server in servers:
            server.start()
        proxy = Proxy([s.port for s in servers]).start()

        async def redis_restart() -> None:
            await asyncio.to_thread(redis.stop)
            await asyncio.sleep(args.outage)
            await asyncio.to_thread(redis.start)

        async def postgres_restart() -> None:
            await asyncio.to_thread(postgres.stop)
            await asyncio.sleep(args.outage)
            await asyncio.to_thread(postgres.start)

        async def rolling_restart() -> None:
            began = time.monotonic()
            for server in servers:
                stopping = time.monotonic() - began
                took = await asyncio.to_thread(stop_gracefully, server)
                print(f"  {server.name}: SIGTERM at {stopping:.2f} s, gone {took:.1f} s later")
                await asyncio.to_thread(server.start)
                print(f"  {server.name}: answering again at {time.monotonic() - began:.2f} s")

        faults = {"redis": redis_restart, "postgres": postgres_restart, "rolling": rolling_restart}
        results = []
        for name in args.scenarios:
            rooms = [Room(info) for info in infos]
            print(f"\n{name}: {len(rooms)} rooms × {PHONES_PER_ROOM} phones", flush=True)
            dropped = logged(servers, "over capacity in group")
            result = asyncio.run(
                run_scenario(name, servers, proxy, rooms, faults[name], args.before, args.after)
            )
            result["pushes_dropped_by_full_queues"] = (
                logged(servers, "over capacity in group") - dropped
            )
            results.append(result)
            for key, value in result.items():
                print(f"  {key}: {value}")
        if args.json:
            args.json.write_text(json.dumps({"config": vars(args) | {"json": str(args.json),
                                             "pg_bin": str(args.pg_bin)}, "results": results},
                                            indent=2))  # fmt: skip
    finally:
        if proxy is not None:
            proxy.stop()
        for server in servers:
            server.stop()
        redis.stop()
        with contextlib.suppress(subprocess.CalledProcessError):
            postgres.stop()
        shutil.rmtree(workdir / "pg", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
