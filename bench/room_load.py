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
import resource
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.load_phones import run_phase  # noqa: E402
from bench.load_setup import (  # noqa: E402
    PHONES_PER_ROOM,
    RoomInfo,
    Server,
    create_rooms,
    daphne,
    prepare_database,
    setup_django,
)
from bench.load_targets import (  # noqa: E402
    project_target,
    ref_channels_target,
    ref_websockets_target,
    run_surge,
)

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
    from bench import realistic, realistic_targets

    count = args.rooms[0]
    subset = rooms[:count]
    print(f"\nrealistic phase: R={count} rooms × 9 screens, time ×{args.time_scale}", flush=True)
    servers = [
        daphne(f"project-{i}", env, workdir / f"project-{i}.log") for i in range(args.processes)
    ]
    for s in servers:
        s.start()
    try:
        target = realistic_targets.ProjectTarget(servers, spread)
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
            target = realistic_targets.ReferenceTarget(ref_servers, spread, sizes)
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
