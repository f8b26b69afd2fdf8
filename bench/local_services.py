"""A PostgreSQL cluster and a Redis of the bench's own, on free ports, to stop and start at will
(bench/faults.py). PostgreSQL refuses to run as root: as root, it runs as the postgres user."""

import os
import shutil
import subprocess
import time
from pathlib import Path

from bench.load_setup import HOST, free_port


def as_owner(argv: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: then as the postgres user."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


class LocalPostgres:
    def __init__(self, bindir: Path, workdir: Path):
        self.bindir, self.workdir = bindir, workdir
        self.data = workdir / "pgdata"
        self.port = free_port()

    @property
    def admin_url(self) -> str:
        return f"postgres://intervisie@{HOST}:{self.port}/postgres"

    def _ctl(self, *args: str) -> None:
        subprocess.run(
            as_owner([str(self.bindir / "pg_ctl"), "-D", str(self.data), "-w", *args]),
            check=True, capture_output=True, cwd="/",
        )  # fmt: skip

    def init(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:  # the postgres user must reach its folder
            self.workdir.parent.chmod(0o755)
            shutil.chown(self.workdir, "postgres")
        subprocess.run(
            as_owner([str(self.bindir / "initdb"), "-D", str(self.data), "-U", "intervisie",
                      "--auth=trust", "--no-sync"]),
            check=True, capture_output=True, cwd="/",
        )  # fmt: skip
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"listen_addresses = '{HOST}'\nport = {self.port}\n"
                f"unix_socket_directories = '{self.workdir}'\nfsync = off\nmax_connections = 200\n"
            )
        self.start()

    def start(self) -> None:
        self._ctl("-l", str(self.workdir / "postgres.log"), "start")

    def stop(self) -> None:
        self._ctl("-m", "fast", "stop")


class LocalRedis:
    def __init__(self, workdir: Path):
        self.workdir, self.port, self.proc = workdir, free_port(), None

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--bind", HOST, "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while (
            subprocess.run(
                ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True
            ).stdout.strip()
            != "PONG"
        ):
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
