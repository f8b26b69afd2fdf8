"""The realistic phase's two targets (bench/realistic.py): the project, and bare Channels sent
the same messages."""

from bench.load_setup import HOST, Server
from bench.realistic_meetings import MARKERS, Meeting, Screen

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
