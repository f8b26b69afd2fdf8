"""Reproducible installs: the lock files (requirements/*.txt, made by `make lock`) pin every
package with its hashes, agree with pyproject.toml's ranges, keep the test tools out of the
runtime set, and are what `make test` installed."""

import os
import re
import subprocess
import sysconfig
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
RUN_LOCK = ROOT / "requirements" / "run.txt"
TEST_LOCK = ROOT / "requirements" / "test.txt"
# Never in a lock: they come with every virtualenv.
INSTALLER = {"pip", "setuptools", "wheel"}


def pins(lock: Path) -> dict[str, tuple[str, set[str]]]:
    """Name → (version, hashes) of every entry whose markers hold here."""
    text = lock.read_text().replace("\\\n", " ")
    found: dict[str, tuple[str, set[str]]] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        spec, *hashes = re.split(r"\s+--hash=", line)
        requirement = Requirement(spec)
        assert hashes, f"{lock.name}: {requirement.name} has no hash"
        if requirement.marker and not requirement.marker.evaluate():
            continue
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", f"{lock.name}: {spec} is not pinned"
        name = canonicalize_name(requirement.name)
        assert name not in found, f"{lock.name}: {name} twice"
        found[name] = (specifier.version, {h.strip() for h in hashes})
    return found


def declared(extra: str | None = None) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    listed = project["optional-dependencies"][extra] if extra else project["dependencies"]
    return [Requirement(r) for r in listed]


def test_every_entry_is_pinned_and_hashed_with_sha256():
    for lock in (RUN_LOCK, TEST_LOCK):
        entries = pins(lock)
        assert entries
        for name, (_version, hashes) in entries.items():
            assert all(h.startswith("sha256:") and len(h) == 71 for h in hashes), name


@pytest.mark.parametrize(
    ("lock", "requirements"),
    [(RUN_LOCK, declared()), (TEST_LOCK, declared() + declared("test"))],
    ids=["run", "test"],
)
def test_the_locks_honour_pyproject_ranges(lock, requirements):
    entries = pins(lock)
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        assert name in entries, f"{name} is in pyproject.toml but not in {lock.name}: make lock"
        version = entries[name][0]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{lock.name} pins {name}=={version}, outside pyproject.toml's {requirement}"
        )


def test_the_runtime_set_is_the_test_set_without_the_test_tools():
    run, test = pins(RUN_LOCK), pins(TEST_LOCK)
    for name, pinned in run.items():
        assert test.get(name) == pinned, f"{name}: the two locks disagree"
    runtime = {canonicalize_name(r.name) for r in declared()}
    for requirement in declared("test"):
        name = canonicalize_name(requirement.name)
        if name not in runtime:
            assert name not in run, f"the test tool {name} is in the runtime lock"
    assert not {"pytest", "playwright", "hypothesis", "ruff", "greenlet"} & set(run)


def test_this_environment_is_exactly_the_test_lock():
    """`make test` installed requirements/test.txt, nothing more, nothing else."""
    # Only what is installed in the environment (an old `pip install .` leaves the project's own
    # egg-info in the checkout, which sys.path also sees).
    site = list({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
    installed = {
        canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions(path=site)
    }
    wanted = {name: version for name, (version, _h) in pins(TEST_LOCK).items()}
    differ = {
        name: (installed.get(name), wanted.get(name))
        for name in (set(installed) | set(wanted)) - INSTALLER
        if installed.get(name) != wanted.get(name)
    }
    assert differ == {}, "installed vs locked; rebuild with `make install`"


def test_make_run_installs_the_runtime_lock_only_and_make_test_the_test_lock():
    """What `make` would do from scratch (-B: as in a fresh clone; -n: print, run nothing)."""

    def plan(target: str) -> list[str]:
        # Run from `make test` itself, make would pass its own flags down and name directories.
        env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}
        done = subprocess.run(
            ["make", "--no-print-directory", "-n", "-B", target],
            cwd=ROOT, env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        return done.stdout.splitlines()

    def installs(lines: list[str]) -> list[str]:
        return [line for line in lines if "pip install" in line]

    run = plan("run")
    (install,) = installs(run)
    assert install.startswith(".venv-run/bin/python -m pip install")
    for flag in ("--require-hashes", "--no-deps", "--only-binary :all:", "-r requirements/run.txt"):
        assert flag in install
    served = [line for line in run if "manage.py" in line or "intervisie.serve" in line]
    assert served and all(".venv-run/bin/python" in line for line in served)
    assert not any("requirements/test.txt" in line or ".venv/" in line for line in run)

    test = plan("test")
    (install,) = installs(test)
    assert install.startswith(".venv/bin/python -m pip install")
    assert "--require-hashes" in install and "-r requirements/test.txt" in install
    assert test[-1].startswith(".venv/bin/python -m pytest")
