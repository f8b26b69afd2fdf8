"""Where does a step change spend its CPU? One room, in this process, no server.

    .venv/bin/python bench/command_profile.py [--commands 300] [--profile] [--database-url URL]

Sets up one bench room (as bench/room_load.py does: a started Roddelmodel room, 9 people, all
marked connected so every push renders for facilitator, inbrenger and participants), then
alternates the facilitator's Next and Back through Django's test client, with the in-memory
channel layer. Prints CPU per command split into the request as a whole, the push (load + render
+ send) and the command itself, with query counts; `--profile` adds the top of cProfile.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load_setup import create_rooms, prepare_database, setup_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=300)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="intervisie-profile-"))
    url, drop = prepare_database(args.database_url, workdir)
    try:
        setup_django(url)
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        drop()


def run(args) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from sessions_app import live
    from sessions_app.models import Room, RoomMember

    settings.ALLOWED_HOSTS = ["*"]
    info = create_rooms(1)[0]
    RoomMember.objects.filter(room_id=info.id).update(connections=1, language="nl")
    client = Client(enforce_csrf_checks=False)
    client.cookies["sessionid"] = info.facilitator_session

    def command(name: str) -> None:
        revision = Room.objects.values_list("revision", flat=True).get(pk=info.id)
        response = client.post(f"/r/{info.id}/do/{name}/", {"revision": revision})
        assert response.status_code == 204, (response.status_code, response.content[:300])

    for i in range(20):  # warm caches, templates, translations
        command("next" if i % 2 == 0 else "back")

    timings = {"request": [], "push": []}
    real_push = live.push

    def timed_push(*a, **kw):
        started = time.process_time()
        real_push(*a, **kw)
        timings["push"].append(time.process_time() - started)

    live.push = timed_push
    profiler = cProfile.Profile() if args.profile else None
    with CaptureQueriesContext(connection) as queries:
        for i in range(args.commands):
            name = "next" if i % 2 == 0 else "back"
            revision = Room.objects.values_list("revision", flat=True).get(pk=info.id)
            started = time.process_time()
            if profiler:
                profiler.enable()
            response = client.post(f"/r/{info.id}/do/{name}/", {"revision": revision})
            if profiler:
                profiler.disable()
            timings["request"].append(time.process_time() - started)
            assert response.status_code == 204, response.status_code
    live.push = real_push

    def ms(values):
        values = sorted(values)
        return (
            f"mean {1000 * sum(values) / len(values):.2f} ms, "
            f"median {1000 * values[len(values) // 2]:.2f} ms"
        )

    per_command_queries = (len(queries.captured_queries) - args.commands) / args.commands
    print(f"{args.commands} commands on {connection.vendor}")
    print(f"  whole request (view + command + push): {ms(timings['request'])}")
    print(f"  push (load_state + render + group_send): {ms(timings['push'])}")
    print(f"  queries per command: {per_command_queries:.1f}")
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(90)
        stats.sort_stats("tottime").print_stats(25)
        if os.environ.get("CALLERS"):
            stats.print_callers(os.environ["CALLERS"])


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intervisie.settings")
    main()
