"""A stand-in for nginx in front of several server processes, for the fault tests and the bench.

Each new TCP connection goes to the next upstream, round robin, no sticky sessions; an upstream
that refuses the connection (a process that stopped listening or is down) is skipped, as nginx's
`proxy_next_upstream error` does. Bytes are relayed unchanged, so websockets pass too. It runs
its own event loop on a thread of its own: blocking test code may use it.
"""

import asyncio
import itertools
import threading

HOST = "127.0.0.1"


class Proxy:
    def __init__(self, upstream_ports: list[int]):
        self.upstreams = list(upstream_ports)
        self._turn = itertools.count()
        self.port = 0
        self.refused = 0  # connections no upstream accepted
        self._loop = asyncio.new_event_loop()
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._run, name="proxy", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> "Proxy":
        self._thread.start()
        self._started.wait(10)
        return self

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._handle, HOST, 0))
        self.port = server.sockets[0].getsockname()[1]
        self._started.set()
        try:
            self._loop.run_forever()
        finally:
            server.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        first = next(self._turn)
        for i in range(len(self.upstreams)):
            port = self.upstreams[(first + i) % len(self.upstreams)]
            try:
                up_reader, up_writer = await asyncio.open_connection(HOST, port)
                break
            except OSError:
                continue
        else:
            self.refused += 1
            writer.close()
            return
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (OSError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()
