"""Who shows online when server processes die: sessions_app/presence.py without a server.

A "process" here is a value of presence.BOOT; the tests switch it to act as another process."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sessions_app import presence
from sessions_app.models import RoomMember, ServerProcess, ServerSocket

pytestmark = pytest.mark.django_db

REDIS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer"}}


@pytest.fixture
def several_processes(settings):
    settings.CHANNEL_LAYERS = REDIS
    settings.PRESENCE_TIMEOUT = 30


@pytest.fixture
def as_process(monkeypatch):
    """Act as the process `boot`, with what it keeps in memory (its sockets, whether it has
    registered), kept per process."""
    memory: dict[str, tuple[dict, bool]] = {}

    def switch(boot: str) -> None:
        memory[presence.BOOT] = (presence._open, presence._registered)
        held, registered = memory.get(boot, ({}, False))
        monkeypatch.setattr(presence, "BOOT", boot)
        monkeypatch.setattr(presence, "_open", held)
        monkeypatch.setattr(presence, "_registered", registered)

    return switch


def online(room) -> dict[str, int]:
    return {m.name: m.connections for m in RoomMember.objects.filter(room=room) if m.online}


def member(room, user) -> RoomMember:
    return RoomMember.objects.get(room=room, user=user)


def stale(boot: str) -> None:
    ServerProcess.objects.filter(boot=boot).update(seen_at=timezone.now() - timedelta(minutes=1))


def test_sockets_count_in_and_out(room, members):
    bram = member(room, members[1])
    phone = presence.connected(bram.pk, language="en")
    laptop = presence.connected(bram.pk, language="nl")
    bram.refresh_from_db()
    assert (bram.connections, bram.language) == (2, "nl")
    presence.disconnected(phone)
    presence.disconnected(phone)  # a second close of the same socket counts nothing
    assert online(room) == {bram.name: 1}
    presence.disconnected(laptop)
    assert online(room) == {}
    assert not ServerSocket.objects.exists()


def test_a_dead_process_is_counted_out_by_a_live_one_after_the_timeout(
    room, members, several_processes, as_process
):
    bram, chantal = member(room, members[1]), member(room, members[2])
    as_process("a" * 32)
    presence.connected(bram.pk)
    presence.connected(chantal.pk)
    as_process("b" * 32)
    presence.connected(chantal.pk)  # Chantal's laptop sits on the other process
    assert online(room) == {bram.name: 1, chantal.name: 2}

    assert presence.beat() == set()  # A beat 0 s ago: alive
    assert online(room) == {bram.name: 1, chantal.name: 2}

    stale("a" * 32)  # A was killed and has not beaten for a minute
    assert presence.beat() == {room.pk}  # B counts A's sockets out, and says which room
    assert online(room) == {chantal.name: 1}
    assert list(ServerProcess.objects.values_list("boot", flat=True)) == ["b" * 32]
    assert presence.beat() == set()  # once


def test_with_one_process_every_earlier_process_is_dead_at_once(
    room, members, in_memory_layer, as_process
):
    bram = member(room, members[1])
    as_process("a" * 32)
    presence.connected(bram.pk)
    as_process("c" * 32)  # the restarted server; A beat a moment ago, but there is only one
    chantal_socket = presence.connected(member(room, members[2]).pk)
    assert online(room) == {member(room, members[2]).name: 1}
    assert presence.beat() == {room.pk}  # the rooms of A's sockets, to push presence to
    presence.disconnected(chantal_socket)
    assert online(room) == {}


def test_a_process_counted_out_while_alive_puts_its_sockets_back(
    room, members, several_processes, as_process
):
    """A process whose event loop stalled past the timeout is taken for dead by another; on its
    next beat it records the sockets it still holds again."""
    bram = member(room, members[1])
    as_process("a" * 32)
    socket = presence.connected(bram.pk)
    stale("a" * 32)
    as_process("b" * 32)
    presence.beat()
    assert online(room) == {}

    as_process("a" * 32)
    assert presence.beat() == {room.pk}
    assert online(room) == {bram.name: 1}
    presence.disconnected(socket)
    assert online(room) == {}


@pytest.mark.django_db(transaction=True)  # the socket's foreign key is checked on commit
def test_a_socket_opened_after_its_process_was_counted_out_registers_it_again(
    room, members, several_processes, as_process
):
    bram, chantal = member(room, members[1]), member(room, members[2])
    as_process("a" * 32)
    presence.connected(bram.pk)
    stale("a" * 32)
    as_process("b" * 32)
    presence.beat()
    as_process("a" * 32)
    presence.connected(chantal.pk)
    assert online(room) == {bram.name: 1, chantal.name: 1}
    assert ServerSocket.objects.filter(process_id="a" * 32).count() == 2
