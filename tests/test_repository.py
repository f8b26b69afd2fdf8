"""Nothing stray in the repository: no database file is ever committed.

A test database's SQLite files (`ix_a-wal`, with test users and their password hashes) once were;
a database file holds whatever the app stored, so it must never reach git. This runs in
`make test`, so in CI, against what git tracks (staged files included)."""

import fnmatch
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# SQLite and its sidecar files (write-ahead log, shared memory, rollback journal), and *.db.
DATABASE_FILES = ("*.sqlite", "*.sqlite3", "*.sqlite3*", "*-wal", "*-shm", "*-journal", "*.db")


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True
    ).stdout


def tracked_database_files(root: Path = ROOT) -> list[str]:
    """Tracked paths whose name looks like a database file."""
    return [
        path
        for path in git(root, "ls-files", "-z").split("\0")
        if path and any(fnmatch.fnmatch(Path(path).name, p) for p in DATABASE_FILES)
    ]


@pytest.fixture(scope="module")
def repository() -> Path:
    try:
        inside = git(ROOT, "rev-parse", "--is-inside-work-tree").strip() == "true"
    except (OSError, subprocess.CalledProcessError):
        inside = False
    if not inside:
        pytest.skip("not a git checkout (CI always is: a skip fails CI)")
    return ROOT


def test_no_database_file_is_tracked(repository):
    assert tracked_database_files(repository) == []


@pytest.mark.parametrize(
    "name", ["db.sqlite3", "ix_a-wal", "ix_a-shm", "x.sqlite3-journal", "a.db"]
)
def test_database_files_are_ignored_so_they_are_not_added_by_accident(repository, name):
    assert git(repository, "check-ignore", "--no-index", name).strip() == name


def test_a_committed_database_file_is_found(tmp_path):
    git(tmp_path, "init", "-q")
    (tmp_path / "app.py").write_text("print('hello')\n")
    (tmp_path / "data").mkdir()
    for name in ("ix_a-wal", "ix_a-shm", "data/test.sqlite3", "notes.db"):
        (tmp_path / name).write_bytes(b"SQLite format 3\0")
    git(tmp_path, "add", "-f", ".")
    assert sorted(tracked_database_files(tmp_path)) == [
        "data/test.sqlite3",
        "ix_a-shm",
        "ix_a-wal",
        "notes.db",
    ]
