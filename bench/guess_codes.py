"""Brute force against the join codes of a running server: how long would guessing take?

    .venv/bin/python bench/guess_codes.py                 # starts its own Daphne on 127.0.0.1
    .venv/bin/python bench/guess_codes.py --url https://intervisie.example.org --probe-only

Without --url it makes a temporary SQLite database with one open room (tests/server/scenario.py),
starts Daphne with TRUSTED_PROXIES=127.0.0.1 and poses as a proxy in front of it, so that it can
guess from many client addresses (X-Forwarded-For). It then measures, against the real server:

1. one client address guessing as fast as it can: how many wrong codes are answered before the
   first 429, how fast they are answered, and the wait the 429 states;
2. many addresses at once (a botnet) until the global alarm level is passed, then a fresh
   address: how many wrong codes it may try and how long it must wait;
3. that the valid code, guessed by a blocked address, is refused like any other.

and prints how long finding one valid code takes at the enforced rates. With --url it only does
step 1 from this machine's own address (which that server then blocks for an hour).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # sessions_app/models.py
SPACE = len(ALPHABET) ** 6


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def guess(base: str, code: str, client: str | None) -> tuple[int, int]:
    """(status, Retry-After seconds) for one looked-up code."""
    headers = {"X-Forwarded-For": client} if client else {}
    request = urllib.request.Request(f"{base}/j/{code}/", headers=headers)
    try:
        with _opener.open(request, timeout=20) as response:
            return response.status, 0
    except urllib.error.HTTPError as error:
        return error.code, int(error.headers.get("Retry-After") or 0)


def random_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(6))


def until_refused(base: str, client: str | None, cap: int = 1000) -> dict:
    started, answered = time.perf_counter(), 0
    for _ in range(cap):
        status, wait = guess(base, random_code(), client)
        if status == 429:
            elapsed = time.perf_counter() - started
            return {"answered": answered, "seconds": elapsed, "wait": wait}
        answered += 1
    return {"answered": answered, "seconds": time.perf_counter() - started, "wait": 0}


def start_server(workdir: Path) -> tuple[subprocess.Popen, str, dict]:
    from tests.server.conftest import base_env, free_port, make_scenario

    env = base_env(
        DATABASE_URL=f"sqlite:///{workdir / 'guess.sqlite3'}",
        TRUSTED_PROXIES="127.0.0.1",
        DEBUG="0",
    )
    scenario = make_scenario(env)
    port = free_port()
    log = (workdir / "daphne.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "daphne", "--bind", "127.0.0.1", "--port", str(port),
         "intervisie.asgi:application"],
        cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{base}/time/", timeout=1).close()
            return proc, base, scenario
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"Daphne did not start; see {workdir / 'daphne.log'}")


def years(hours: float) -> str:
    if hours < 48:
        return f"{hours:,.1f} hours"
    if hours < 24 * 365:
        return f"{hours / 24:,.0f} days"
    return f"{hours / 24 / 365:,.0f} years"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server (only step 1, from this machine)")
    parser.add_argument("--rooms", type=int, default=50, help="rooms open at once (default 50)")
    parser.add_argument("--botnet", type=int, default=1000, help="addresses (default 1000)")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()

    proc = None
    try:
        if args.url:
            base, scenario = args.url.rstrip("/"), None
        else:
            proc, base, scenario = start_server(Path(tempfile.mkdtemp(prefix="guess-")))
        one = until_refused(base, None if args.url else "203.0.113.1")
        figures = {"one_address": one}
        per_second = one["answered"] / one["seconds"] if one["seconds"] else 0.0
        print(f"One address: {one['answered']} wrong codes answered ({per_second:,.0f}/s), "
              f"then 429 with a stated wait of {one['wait'] / 60:.0f} min.")  # fmt: skip
        if scenario is not None:
            status, _wait = guess(base, scenario["code"], "203.0.113.1")
            figures["valid_code_while_blocked"] = status
            print(f"The valid code from that blocked address: HTTP {status} (like any code).")
            # A botnet: many addresses, each well below its own limit, until the alarm.
            alarm_after, address = 0, 0
            while alarm_after < 5000:
                address += 1
                for _ in range(10):
                    guess(base, random_code(), f"198.18.{address // 250}.{address % 250}")
                alarm_after += 10
                if address % 5 == 0:  # is a newcomer slowed yet? (two tries tell)
                    probe = until_refused(base, f"198.19.{address // 250}.{address % 250}", cap=2)
                    alarm_after += probe["answered"]
                    if probe["answered"] < 2:
                        break
            fresh = until_refused(base, "198.20.0.1", cap=60)
            figures["alarm"] = {"wrong_codes_before": alarm_after, "fresh_address": fresh}
            print(f"After {alarm_after} wrong codes from {address} addresses the alarm is on: "
                  f"a fresh address gets {fresh['answered']} wrong code(s), then waits "
                  f"{fresh['wait']} s.")  # fmt: skip
            alarm_rate = 3600 / max(fresh["wait"], 1) * max(fresh["answered"], 1)
        else:
            alarm_rate = 20.0
        per_hour = float(one["answered"])  # a full hour's budget, refused once it is spent
        rows = [
            ("no limit, one client at the measured speed", per_second * 3600),
            ("one address (enforced)", per_hour),
            (f"{args.botnet} addresses, alarm on (enforced)", args.botnet * alarm_rate),
        ]
        figures["rows"] = []
        print(f"\nCode space {SPACE:,} codes; {args.rooms} rooms open at once.")
        print(f"{'attacker':45} {'guesses/hour':>14} {'one given code':>16} {'any open room':>15}")
        for name, rate in rows:
            one_code = SPACE / 2 / rate if rate else float("inf")
            any_room = SPACE / (args.rooms + 1) / rate if rate else float("inf")
            figures["rows"].append({"attacker": name, "per_hour": rate, "hours_one_code":
                                    one_code, "hours_any_room": any_room})  # fmt: skip
            print(f"{name:45} {rate:>14,.0f} {years(one_code):>16} {years(any_room):>15}")
        if args.json:
            Path(args.json).write_text(json.dumps(figures, indent=2))
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=10)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intervisie.settings")
    raise SystemExit(main())
