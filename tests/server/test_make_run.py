"""The README's run command: `make run PORT=…` tells (and mails) the address it listens on, and
serves static files collected: compressed, with hashed names, cached for good."""

import re
import subprocess
import sys
import urllib.request

import pytest

from .conftest import BASE_DIR, base_env

pytestmark = pytest.mark.server


def test_make_run_announces_the_port_it_runs_on():
    plan = subprocess.run(
        ["make", "-n", "run", "PORT=8101"], cwd=BASE_DIR, capture_output=True, text=True
    )
    assert plan.returncode == 0, plan.stderr
    assert "http://127.0.0.1:8101/" in plan.stdout
    assert "8000" not in plan.stdout
    assert "collectstatic" in plan.stdout
    # The demo (and every link in an email) gets the same address.
    demo = next(line for line in plan.stdout.splitlines() if "manage.py demo" in line)
    assert "SITE_URL=http://127.0.0.1:8101 " in demo


def test_the_demo_prints_the_site_url(tmp_path):
    env = base_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}", SITE_URL="http://127.0.0.1:8101"
    )
    for command in (["migrate", "--noinput"], ["demo"]):
        done = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-2000:]
    assert "http://127.0.0.1:8101/" in done.stdout
    assert "8000" not in done.stdout


def test_collected_static_files_are_compressed_with_hashed_names(tmp_path, daphnes):
    env = base_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        INTERVISIE_COLLECTED_STATIC="1",
        STATIC_ROOT=str(tmp_path / "static"),
    )
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert collected.returncode == 0, collected.stderr[-2000:]
    (server,) = daphnes(env)
    with urllib.request.urlopen(f"{server.url}/accounts/login/") as page:
        html = page.read().decode()
    css = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', html)
    assert css, "the stylesheet has no hashed name"
    for path in re.findall(r'(?:href|src)="(/static/[^"]+)"', html):
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", path), f"{path} has no hashed name"
    request = urllib.request.Request(
        server.url + css.group(1), headers={"Accept-Encoding": "gzip, br"}
    )
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Encoding"] in ("gzip", "br")
        assert "immutable" in response.headers["Cache-Control"]
