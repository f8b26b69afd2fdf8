"""Daphne with a graceful stop. Takes Daphne's own options, plus --drain:

    python -m intervisie.serve --bind 127.0.0.1 --port 8001 [--drain 10] intervisie.asgi:application

On SIGTERM (systemctl stop/restart, a deploy) or SIGINT the process
1. stops listening, so the proxy sends new connections to its siblings, and closes its idle
   keep-alive connections, so the proxy stops reusing them;
2. closes every websocket with 1012 "service restart", spread over a short jitter: browsers
   reconnect (htmx's ws extension does on 1012, after its own jittered delay) through the proxy
   to a sibling, and get a snapshot there;
3. lets running requests and the consumers' disconnect handlers (presence) finish;
4. exits once nothing runs, at the latest --drain seconds (DRAIN_TIMEOUT, default 10) after the
   signal. A second signal stops at once.

Daphne alone stops its event loop at once on SIGTERM and cancels the applications; Python then
waits at exit for every thread of every thread pool, and a request thread blocked in asgiref's
async_to_sync (a push waiting for the stopped event loop) never returns: the process hung until
systemd's SIGKILL. Here the loop runs until the requests are done, and the process then leaves
with os._exit after flushing its output, so no leftover thread can hold it.
"""

import daphne.server  # noqa: F401  isort:skip — installs Twisted's asyncio reactor first

import asyncio
import contextlib
import logging
import os
import random
import signal
import sys
import threading
import time
import weakref

from daphne.cli import CommandLineInterface
from daphne.server import Server
from daphne.ws_protocol import WebSocketProtocol
from twisted.internet import reactor

logger = logging.getLogger("intervisie.serve")

CLOSE_SERVICE_RESTART = 1012  # RFC 6455: the browser should reconnect
DRAIN_DEFAULT = 10.0  # seconds
JITTER = 2.0  # seconds over which the sockets are closed (at most a quarter of the drain)
POLL = 0.1  # seconds between checks whether everything finished
# A closed socket's application is waited for this long after the close: its disconnect handler
# (group discard, presence) runs within milliseconds; what may linger is channels_redis's
# receive being cancelled, which waits for its blocking Redis read (up to 5 s) and is cancelled
# at stop anyway.
SOCKET_GRACE = 2.0  # seconds
# An HTTP connection younger than this without a request yet is waited for (its request is on
# its way); an older idle one (a proxy's keep-alive connection) is closed during the drain, so
# the proxy stops reusing it before the process is gone.
FRESH_CONNECTION = 1.0  # seconds


class WebSocketProtocolWithRetryCodes(WebSocketProtocol):
    """Autobahn lets an application close only with 1000 or 3000-4999; htmx's ws extension
    reconnects on 1011 "internal error", 1012 "service restart" and 1013 "try again later",
    which RFC 6455 and IANA allow a server to send. The frame itself is the same."""

    def serverClose(self, code: int | None = None) -> None:
        if code in (1011, 1012, 1013):
            self.sendCloseFrame(code=code, isReply=False)
        else:
            super().serverClose(code)

    def handle_reply(self, message: dict) -> None:
        if message.get("type") == "websocket.send" and self.state == self.STATE_CLOSING:
            return  # a push that arrives after the close frame went out has no one to reach
        super().handle_reply(message)


class GracefulServer(Server):
    drain = DRAIN_DEFAULT

    def run(self) -> None:
        self.signal_handlers = False  # ours, below, instead of Twisted's immediate stop
        self.ports = []
        self.draining_since: float | None = None
        reactor.callWhenRunning(self._install_signal_handlers)
        super().run()

    def listen_success(self, port) -> None:
        self.ports.append(port)
        super().listen_success(port)

    def _install_signal_handlers(self) -> None:
        self.ws_factory.protocol = WebSocketProtocolWithRetryCodes
        self.channels: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # -> opened at
        build = self.http_factory.buildProtocol

        def build_tracked(addr):
            channel = build(addr)
            if channel is not None:
                self.channels[channel] = time.monotonic()
            return channel

        self.http_factory.buildProtocol = build_tracked
        loop = asyncio.get_event_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, self.begin_drain, signum)

    def begin_drain(self, signum: int = signal.SIGTERM) -> None:
        if self.draining_since is not None:
            logger.warning("second signal: stopping without waiting")
            self.stop()
            return
        self.draining_since = time.monotonic()
        # Whatever hangs after the drain (closing the channel layer's connections to a Redis
        # that is away retries for seconds), the process is gone half a second after it.
        watchdog = threading.Timer(self.drain + 0.5, _exit_now, args=(0,))
        watchdog.daemon = True
        watchdog.start()
        sockets = self._open_sockets()
        logger.warning(
            "%s: draining (up to %.0f s): %d sockets told to reconnect, %d requests running",
            signal.Signals(signum).name,
            self.drain,
            len(sockets),
            self._busy_requests(),
        )
        for port in self.ports:
            # Connections the kernel already queued would be reset by the close (a proxy does
            # not resend a POST that was reset): take them in first, they are served as usual.
            port.numberAccepts = max(getattr(port, "numberAccepts", 1), 1000)
            with contextlib.suppress(Exception):
                port.doRead()
            port.stopListening()
        jitter = min(JITTER, self.drain / 4)
        for protocol in sockets:
            reactor.callLater(random.uniform(0, jitter), self._close, protocol)
        reactor.callLater(POLL, self._check_drained)

    def _open_sockets(self) -> list[WebSocketProtocol]:
        return [
            p
            for p, details in self.connections.items()
            if isinstance(p, WebSocketProtocol)
            and p.state == p.STATE_OPEN
            and not details.get("disconnected")
        ]

    def _busy_requests(self) -> int:
        return sum(
            1
            for p, details in self.connections.items()
            if not isinstance(p, WebSocketProtocol) and self._running(details)
        )

    @staticmethod
    def _running(details: dict) -> bool:
        app = details.get("application_instance")
        return app is not None and not app.done()

    def _needed(self, protocol, details: dict) -> bool:
        if not self._running(details):
            return False
        closed = details.get("disconnected")
        if isinstance(protocol, WebSocketProtocol) and closed:
            return time.time() - closed < SOCKET_GRACE
        return True

    def _close(self, protocol: WebSocketProtocol) -> None:
        details = self.connections.get(protocol)
        if details and not details.get("disconnected") and protocol.state == protocol.STATE_OPEN:
            WebSocketProtocolWithRetryCodes.serverClose(protocol, CLOSE_SERVICE_RESTART)

    def _idle_channels(self) -> tuple[list, int]:
        """HTTP connections without a request: (old ones to close, young ones to wait for)."""
        old, young, now = [], 0, time.monotonic()
        for channel, opened in list(self.channels.items()):
            transport = getattr(channel, "transport", None)
            if transport is None or getattr(transport, "protocol", channel) is not channel:
                continue  # closed, or handed over to a websocket
            if getattr(channel, "requests", None):
                continue  # a request in progress: in self.connections
            if now - opened < FRESH_CONNECTION:
                young += 1
            else:
                old.append(channel)
        return old, young

    def _check_drained(self) -> None:
        elapsed = time.monotonic() - self.draining_since
        if elapsed > min(JITTER, self.drain / 4):
            for protocol in self._open_sockets():  # handshakes that finished during the drain
                self._close(protocol)
        idle, young = self._idle_channels()
        for channel in idle:
            channel.transport.loseConnection()
        busy = [p for p, details in self.connections.items() if self._needed(p, details)]
        busy += [None] * young
        if not busy:
            logger.warning("drained in %.1f s; stopping", elapsed)
            self.stop()
        elif elapsed >= self.drain:
            logger.warning(
                "drain time over: stopping with %d connections still busy: %s",
                len(busy),
                ", ".join(_describe(p) for p in busy[:5] if p is not None),
            )
            self.stop()
        else:
            reactor.callLater(POLL, self._check_drained)

    def kill_all_applications(self):
        # Daphne's own reads details["application_instance"], which the application checker
        # removes from finished connections: a KeyError that broke the shutdown trigger.
        for details in self.connections.values():
            details.setdefault("application_instance", _DONE)
        return super().kill_all_applications()


def _describe(protocol) -> str:
    if isinstance(protocol, WebSocketProtocol):
        return f"websocket {getattr(protocol, 'path', b'').decode(errors='replace')}"
    return f"{getattr(protocol, 'method', b'?').decode()} {getattr(protocol, 'uri', b'').decode()}"


class _Done:
    @staticmethod
    def done() -> bool:
        return True


_DONE = _Done()


class GracefulCommandLineInterface(CommandLineInterface):
    server_class = GracefulServer

    def __init__(self):
        super().__init__()
        self.parser.add_argument(
            "--drain",
            type=float,
            default=float(os.environ.get("DRAIN_TIMEOUT", DRAIN_DEFAULT)),
            help="Seconds a stopping process waits for its requests and sockets (default 10, "
            "or DRAIN_TIMEOUT)",
        )

    def run(self, args: list[str]) -> None:
        GracefulServer.drain = self.parser.parse_args(args).drain
        super().run(args)


def _exit_now(status: int) -> None:
    """Leave without waiting for threads (see the module docstring), output flushed."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(status)


def main(argv: list[str] | None = None) -> None:
    status = 0
    try:
        GracefulCommandLineInterface().run(sys.argv[1:] if argv is None else argv)
    except SystemExit as stop:  # Daphne exits 1 when it cannot listen
        status = stop.code if isinstance(stop.code, int) else 1
    logging.shutdown()
    _exit_now(status)


if __name__ == "__main__":
    main()
