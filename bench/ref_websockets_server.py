"""Reference (a): the least a broadcast can cost — a raw `websockets` server, no framework.

Phones connect to ``/ws/<room>/`` and get a small snapshot; a trigger socket per room
(``/trigger/<room>/``) sends a sequence number, and the server broadcasts one pre-rendered
fragment of ``--size`` bytes carrying that ``data-seq`` to the room's phones, then answers the
trigger. Used by bench/room_load.py; runs until killed.

    .venv/bin/python bench/ref_websockets_server.py --port 8765 --size 6000
"""

import argparse
import asyncio
import signal

from websockets.asyncio.server import broadcast, serve


def fragment(seq: int, size: int) -> str:
    head = (
        f'<div id="room-meta" hx-swap-oob="true" hidden data-seq="{seq}" data-revision="{seq}">'
        f'</div><section id="room-step" hx-swap-oob="true" class="card step-card">'
    )
    tail = "</section>"
    return head + "x" * max(0, size - len(head) - len(tail)) + tail


async def main(port: int, size: int) -> None:
    rooms: dict[str, set] = {}

    async def handler(ws) -> None:
        path = ws.request.path.strip("/").split("/")
        if len(path) != 2:
            await ws.close(4404)
            return
        kind, room = path
        if kind == "ws":
            phones = rooms.setdefault(room, set())
            phones.add(ws)
            try:
                await ws.send(fragment(0, size))
                await ws.wait_closed()
            finally:
                phones.discard(ws)
        elif kind == "trigger":
            async for message in ws:
                seq = int(message)
                broadcast(rooms.get(room, ()), fragment(seq, size))
                await ws.send(str(seq))

    stop = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set_result, None)
    async with serve(
        handler, "127.0.0.1", port, compression=None, ping_interval=None, max_size=None
    ):
        print(f"ref websockets server on 127.0.0.1:{port}", flush=True)
        await stop


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--size", type=int, default=6000)
    args = parser.parse_args()
    asyncio.run(main(args.port, args.size))
