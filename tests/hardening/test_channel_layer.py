"""The embedded channel layer delivers like Channels' own, and still expires old messages."""

import pytest

from intervisie import channel_layers
from intervisie.channel_layers import SweepingInMemoryChannelLayer


async def test_group_messages_reach_every_member():
    layer = SweepingInMemoryChannelLayer()
    channels = [await layer.new_channel() for _ in range(3)]
    for channel in channels:
        await layer.group_add("room-1", channel)
    await layer.group_send("room-1", {"type": "room.push", "html": "<p>stap 2</p>"})
    for channel in channels:
        assert await layer.receive(channel) == {"type": "room.push", "html": "<p>stap 2</p>"}


async def test_expired_messages_are_dropped_by_the_next_sweep(monkeypatch):
    layer = SweepingInMemoryChannelLayer(expiry=-1)  # every message is stale at once
    old, fresh = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("room-1", old)
    await layer.send(old, {"type": "room.push", "html": "oud"})
    layer.expiry = 60
    await layer.send(fresh, {"type": "room.push", "html": "a"})
    assert await layer.receive(fresh) == {"type": "room.push", "html": "a"}  # first sweep
    assert old not in layer.channels
    assert old not in layer.groups["room-1"]  # an expired message drops its channel from groups


async def test_receives_between_sweeps_skip_the_walk_over_all_queues(monkeypatch):
    clock = {"now": 1_000.0}
    monkeypatch.setattr(channel_layers.time, "monotonic", lambda: clock["now"])
    layer = SweepingInMemoryChannelLayer()
    sweeps = []
    monkeypatch.setattr(
        channel_layers.InMemoryChannelLayer, "_clean_expired", lambda self: sweeps.append(1)
    )
    channel = await layer.new_channel()
    for _ in range(50):
        await layer.send(channel, {"type": "room.push"})
        await layer.receive(channel)
    assert len(sweeps) == 1
    clock["now"] += channel_layers.SWEEP_INTERVAL
    await layer.send(channel, {"type": "room.push"})
    await layer.receive(channel)
    assert len(sweeps) == 2


pytestmark = pytest.mark.asyncio
