"""Where does a room event spend its CPU? Each event kind of the realistic phase, in this process.

    .venv/bin/python bench/event_profile.py [--events 200] [--kinds question tip] [--profile KIND]
        [--database-url URL]

Sets up three rooms of the realistic phase's bench method (bench/realistic.py) — one in its
question round, one on its tips board, one writing alone — with all 9 people connected (so every
push renders for the laptop, the inbrenger and the participants), and sends each event kind
through Django's test client with the in-memory channel layer: the request that makes the
event (view, transaction, push on commit), then what the screens do after the push (`mine`: the
phones fetching their own view when a push asks them to; since own views are pushed, only a
socket in another language than its member's last one is asked, so none are here). Prints CPU
per event (request and push apart) and queries per event; `--profile KIND` adds the top of
cProfile for that kind.
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

from bench.load_setup import prepare_database, setup_django  # noqa: E402

# Step changes last: they move the rooms on to other steps.
KINDS = ("question", "pass", "rating", "tip", "ready", "step")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--kinds", nargs="+", default=list(KINDS), choices=KINDS)
    parser.add_argument("--profile", choices=KINDS)
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


class Bench:
    """Three rooms (question round, tips, writing alone) and a test client per person."""

    def __init__(self):
        from django.conf import settings
        from django.test import Client

        from bench.realistic import create_busy_rooms
        from sessions_app.models import RoomMember

        settings.ALLOWED_HOSTS = ["*"]
        self.rooms = create_busy_rooms(3)
        for info in self.rooms:
            RoomMember.objects.filter(room_id=info.id).update(connections=1, language="nl")
        self.clients = {}
        for info in self.rooms:
            for member_id, session in zip(
                info.member_ids, [info.facilitator_session, *info.phone_sessions], strict=True
            ):
                client = Client(HTTP_ACCEPT_LANGUAGE="nl")
                client.cookies["sessionid"] = session
                self.clients[member_id] = client
        self.n = 0
        self.pushed: list = []  # the messages of each push since the last event

    def state(self, info):
        """The room as it is now; a round or board kept at the size of a real step's (a step of
        120–240 s at one action per 5 s: 20 questions, 30 tips), so figures stay comparable."""
        from sessions_app import live
        from sessions_app.models import BoardItem, Question

        Question.objects.filter(room_id=info.id, passed=True).delete()
        for model, keep in ((Question, 20), (BoardItem, 30)):
            rows = model.objects.filter(room_id=info.id).order_by("-pk")
            old = list(rows.values_list("pk", flat=True)[keep:])
            if old:
                model.objects.filter(pk__in=old).delete()
        return live.load_state(info.id)

    def request(self, kind: str):
        """(client, path, data) of one event of `kind` (read outside the timing)."""
        self.n += 1
        question_room, tips_room, think_room = self.rooms
        if kind == "step":
            info = self.rooms[self.n % 3]
            state = self.state(info)
            name = "back" if state.current_index and self.n % 2 else "next"
            if state.is_last_step:
                name = "back"
            return (
                self.clients[info.member_ids[0]],
                f"/r/{info.id}/do/{name}/",
                {"revision": state.room.revision},
            )
        if kind in ("question", "pass", "rating"):
            state = self.state(question_room)
            data = state.interaction_data()
            run = state.room.step_run_id
            if kind == "rating":
                question = data.questions[-1]
                return (
                    self.clients[question_room.member_ids[1]],
                    f"/r/{question_room.id}/act/rate/",
                    {"step_run": run, "question": question.pk, "rating": "warm"},
                )
            if data.turns.ended:
                return (
                    self.clients[question_room.member_ids[0]],
                    f"/r/{question_room.id}/act/reopen_rounds/",
                    {"step_run": run},
                )
            current = data.turns.current(data.present)
            action = "ask" if kind == "question" else "pass"
            return (
                self.clients[current],
                f"/r/{question_room.id}/act/{action}/",
                {"step_run": run, "question": f"Vraag {self.n}: wat maakte dat je zo reageerde?"},
            )
        if kind == "tip":
            state = self.state(tips_room)
            member = tips_room.member_ids[2 + self.n % 7]
            return (
                self.clients[member],
                f"/r/{tips_room.id}/act/add/",
                {"step_run": state.room.step_run_id, "text": f"Tip {self.n}: een kort gesprek"},
            )
        state = self.state(think_room)
        member = think_room.member_ids[2 + self.n % 7]
        ready = next(m for m in state.members if m.pk == member).ready_step_run is None
        return (
            self.clients[member],
            f"/r/{think_room.id}/ready/",
            {"step_run": state.room.step_run_id, "ready": "1" if ready else "0"},
        )


def run(args) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sessions_app import delivery, live

    bench = Bench()
    timings: dict[str, list[float]] = {}
    real_push, real_send = live.push, delivery.send

    def kept_send(layer, room_id, revision, seq, messages, reload=False):
        bench.pushed.extend(messages)
        return real_send(layer, room_id, revision, seq, messages, reload=reload)

    def timed_push(*a, **kw):
        started = time.process_time()
        try:
            return real_push(*a, **kw)
        finally:
            timings.setdefault("push", []).append(time.process_time() - started)

    live.push, delivery.send = timed_push, kept_send
    try:
        for kind in args.kinds:
            for _ in range(10):  # warm caches, templates, translations
                client, path, data = bench.request(kind)
                client.post(path, data)
            timings.clear()
            profiler = cProfile.Profile() if args.profile == kind else None
            request_times, mine_times, mine_counts = [], [], []
            queries = mine_queries = 0
            for _ in range(args.events):
                client, path, data = bench.request(kind)
                bench.pushed.clear()
                with CaptureQueriesContext(connection) as captured:
                    started = time.process_time()
                    if profiler:
                        profiler.enable()
                    response = client.post(path, data)
                    if profiler:
                        profiler.disable()
                    request_times.append(time.process_time() - started)
                queries += len(captured.captured_queries)
                assert response.status_code in (200, 204), (path, response.status_code)
                fetched = fetch_mine(bench, path, response)
                mine_times.append(fetched[0])
                mine_counts.append(fetched[1])
                mine_queries += fetched[2]
            report(kind, request_times, timings.get("push", []), queries, args.events)
            if sum(mine_counts):
                n = sum(mine_counts)
                print(
                    f"    + phones fetching their own view: {n / args.events:.1f} a event, "
                    f"{1000 * sum(mine_times) / args.events:.2f} ms CPU, "
                    f"{mine_queries / args.events:.1f} queries per event"
                )
            if profiler:
                stats = pstats.Stats(profiler)
                stats.sort_stats("cumulative").print_stats(60)
                stats.sort_stats("tottime").print_stats(25)
    finally:
        live.push, delivery.send = real_push, real_send


def fetch_mine(bench: Bench, path: str, response) -> tuple[float, int, int]:
    """What the phones do after the push: GET their own view when the push asks them to (an
    audience's message with `mine_refresh`; a phone's own message is rendered for it)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if not any(
        message["type"] == "room.push" and "/mine/" in message["html"]
        for _group, message in bench.pushed
    ):
        return 0.0, 0, 0
    info = next(i for i in bench.rooms if i.id in path)
    started = time.process_time()
    with CaptureQueriesContext(connection) as captured:
        for member_id in info.member_ids[1:]:
            bench.clients[member_id].get(f"/r/{info.id}/mine/")
    return time.process_time() - started, len(info.member_ids) - 1, len(captured)


def report(kind: str, request: list[float], push: list[float], queries: int, n: int) -> None:
    def ms(values: list[float]) -> str:
        if not values:
            return "-"
        values = sorted(values)
        mean, median = sum(values) / len(values), values[len(values) // 2]
        return f"{1000 * mean:.2f} (median {1000 * median:.2f})"

    print(
        f"  {kind:<9} request {ms(request)} ms CPU, of which push {ms(push)} ms; "
        f"{queries / n:.1f} queries per event"
    )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intervisie.settings")
    main()
