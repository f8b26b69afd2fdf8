"""Shared personas: a group of six (Anna facilitates, Bram brings a case) and an outsider."""

import os
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from groups.models import Group, Meeting, Membership

# Inherited by the Daphne subprocesses of browser and server tests (see settings.py).
os.environ["INTERVISIE_FAST_PASSWORD_HASHING"] = "1"

PASSWORD = "intervisie-test-pw"
MEMBER_NAMES = [
    ("anna", "Anna", "de Vries"),
    ("bram", "Bram", "Jansen"),
    ("chantal", "Chantal", "Bakker"),
    ("daan", "Daan", "Visser"),
    ("eva", "Eva", "Smit"),
    ("femke", "Femke", "Mulder"),
]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs half a second a user; browser servers get the same via the environment
    variable INTERVISIE_FAST_PASSWORD_HASHING=1."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def cold_step_cache():
    """Every test starts with an empty per-process step cache (methods/cache.py), so query
    counts do not depend on which test ran before."""
    from methods import cache

    cache.clear()


@pytest.fixture(autouse=True)
def fresh_rate_limits(settings):
    """Every test starts with nothing counted against anyone: the limiter's counters (Redis, or
    a database table that transactional tests do not flush) live on, so each test counts under a
    key prefix of its own."""
    limits = settings.RATE_LIMIT_CACHE
    settings.CACHES = {
        **settings.CACHES,
        limits: {**settings.CACHES[limits], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"},
    }


@pytest.fixture
def in_memory_layer(settings):
    """One server process: the in-memory channel layer, whatever REDIS_URL the test run has."""
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "intervisie.channel_layers.SweepingInMemoryChannelLayer"}
    }


@pytest.fixture(autouse=True)
def fresh_presence(settings):
    """Every test starts as a process that has not registered yet (sessions_app/presence.py: the
    rows of the last test's process are rolled back), with no heartbeat task: a test's event
    loop ends with the test. Tests of the heartbeat call presence.beat() themselves."""
    from sessions_app import presence

    settings.PRESENCE_HEARTBEAT = 0
    presence._registered = False
    presence._open.clear()
    presence._changed_rooms.clear()
    presence._closed_unrecorded.clear()


@pytest.fixture
async def orm_thread_closed():
    """Django's async ORM calls and sync_to_async run on asgiref's one shared thread, which never
    closes its database connection; the consumers no longer use that thread, so nothing else
    closes it. With PostgreSQL's pool a connection left there stays checked out and can keep the
    test database from being dropped at the end: close it (database_sync_to_async does, on that
    thread)."""
    yield
    from channels.db import database_sync_to_async

    await database_sync_to_async(lambda: None)()


def make_user(username: str, first: str = "", last: str = "", **extra):
    return get_user_model().objects.create_user(
        username=username,
        password=PASSWORD,
        first_name=first,
        last_name=last,
        email=f"{username}@example.org",
        **extra,
    )


def ensure_method_library() -> None:
    """Transactional tests flush the tables, data migrations included: load the library again."""
    from methods.library import BUILTIN_LIBRARY_PATH, load_library, read_library_file
    from methods.models import Method

    if not Method.objects.filter(is_builtin=True).exists():
        load_library(read_library_file(BUILTIN_LIBRARY_PATH), builtin=True)


@pytest.fixture
def method_library(db):
    ensure_method_library()


@pytest.fixture
def members(db):
    return [make_user(*names) for names in MEMBER_NAMES]


@pytest.fixture
def coordinator(db):
    return make_user("coco", "Coco", "Coördinator", is_staff=True)


@pytest.fixture
def outsider(db):
    return make_user("olaf", "Olaf", "Buitenstaander")


@pytest.fixture
def group(members, coordinator):
    group = Group.objects.create(name="Intervisie Zorgteam Noord", coordinator=coordinator)
    for user in members:
        Membership.objects.create(group=group, user=user)
    return group


@pytest.fixture
def meeting(group):
    return Meeting.objects.create(
        group=group,
        starts_at=timezone.now() + timedelta(days=7),
        duration_minutes=90,
        location="Kamer 2.14",
    )


def everyone_agrees(group) -> None:
    """The coordinator asks to read the group's cases and every current member agrees."""
    from groups import consent

    group.coordinator_may_read_cases = True
    group.save(update_fields=["coordinator_may_read_cases"])
    for user in group.active_members():
        consent.agree(group, user)
